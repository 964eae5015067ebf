// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The `cmsgpack` library that Redis gives scripts: MessagePack encoding and decoding of Lua
// values, written to produce the same bytes, results and error messages as the lua-cmsgpack
// 0.4.0 build inside Redis 7.0, for Lua 5.1.
//
//   cmsgpack.pack(v1, v2, ...)             -> the encodings of v1, v2, ... concatenated
//   cmsgpack.unpack(s)                     -> every value encoded in s
//   cmsgpack.unpack_one(s [, offset])      -> next_offset, value
//   cmsgpack.unpack_limit(s, n [, offset]) -> next_offset, up to n values
// Offsets are 0-based byte positions; next_offset is -1 once s is used up.
//
// Encoding choices (all Redis's): a table whose keys are exactly 1..n is an array, any other
// table a map; an integral number in int64 range is the smallest MessagePack integer, any other
// number a float32 when that is exact and a float64 otherwise; strings are fixstr/str8/str16/
// str32; tables nested 16 deep are written as nil (so cyclic tables terminate); functions and
// other values are nil. Decoding accepts what Redis accepts (no bin or ext types) and raises
// Redis's errors for truncated or malformed input.
//
// Scripts are untrusted: decoding never reads outside its input, its nesting is bounded by the
// Lua stack (8000 slots, as in Redis), and the pack buffer is owned by a userdata so that a Lua
// error in the middle of packing leaks nothing.
#pragma once

#include "server/scripting/lua_headers.h"

namespace ringkv::server::scripting {

// Pushes a new table holding pack, unpack, unpack_one, unpack_limit, _NAME and _VERSION, and
// returns 1. It does not set a global; the caller names the table. It has the lua_CFunction
// shape, so it may be called directly or through lua_call/lua_cpcall; it raises only Lua's
// out-of-memory error.
int OpenCmsgpack(lua_State* L);

}  // namespace ringkv::server::scripting
