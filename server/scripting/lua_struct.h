// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The `struct` library that Redis gives scripts: converting between Lua numbers and strings and
// packed binary strings, in the format language of Roberto Ierusalimschy's struct library as
// Redis 7.0 ships it. Written to give the same bytes, results and error messages.
//
//   struct.pack(fmt, v1, v2, ...) -> string
//   struct.unpack(fmt, s [, pos]) -> v1, v2, ..., next_pos    (pos is 1-based, default 1)
//   struct.size(fmt)              -> the length of what pack(fmt, ...) returns
//
// Format letters, read left to right:
//   '>' / '<'  big / little endian from here on (default: the machine's, little on x86-64)
//   '![n]'     align items to at most n bytes, n a power of 2 (default n: 8; initially 1)
//   ' '        ignored
//   'x'        one zero byte (skipped when unpacking)
//   'b' 'B'    signed / unsigned char; 'h' 'H' short; 'l' 'L' long; 'T' size_t
//   'i[n]' 'I[n]'  signed / unsigned integer of n bytes (default sizeof(int), at most 32)
//   'f' 'd'    float, double
//   's'        a zero-terminated string
//   'c[n]'     n bytes of a string (default 1). Packing c0 takes the whole string; unpacking c0
//              takes as many bytes as the number unpacked just before it says.
// Integers are converted as Redis's x86-64 build converts them, including for values out of
// range; items are aligned to min(size, n) when '!' is in effect.
//
// Scripts are untrusted: every read is checked against the data's length, sizes are checked for
// overflow, and nothing recurses.
#pragma once

#include "server/scripting/lua_headers.h"

namespace ringkv::server::scripting {

// Pushes a new table holding pack, unpack and size, and returns 1. It does not set a global;
// the caller names the table. It has the lua_CFunction shape and raises only Lua's
// out-of-memory error.
int OpenStruct(lua_State* L);

}  // namespace ringkv::server::scripting
