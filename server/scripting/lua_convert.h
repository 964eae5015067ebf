// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The conversions between command replies and Lua values that Redis defines for scripts.
//
// Reply -> Lua (what redis.call returns): integer -> number, bulk -> string, array -> table,
// status -> {ok = s}, error -> {err = "CODE message"}. A nil bulk or nil array is false while
// the script speaks RESP2 (the default) and nil after redis.setresp(3); RESP3 adds map ->
// {map = {k = v}}, set -> {set = {m = true}}, double -> {double = n}, boolean -> boolean,
// big number -> {big_number = s}, verbatim -> {verbatim_string = {format = f, string = s}}.
//
// Lua -> reply (what the script returns): number -> integer (truncated), string -> bulk,
// true -> :1 and false -> null (or RESP3 booleans after redis.setresp(3)), a table with a
// string `err` -> error, `ok` -> status, `double`, `big_number`, `verbatim_string`, `map` and
// `set` -> their RESP3 types, any other table -> array of its elements 1..n up to the first
// nil, anything else (nil, functions, ...) -> null.
#pragma once

#include <string_view>

#include "protocol/reply_encoder.h"
#include "protocol/reply_parser.h"
#include "server/scripting/lua_headers.h"

namespace ringkv::server::scripting {

// Pushes the Lua value of `reply`. `resp3`: the script called redis.setresp(3).
void PushReply(lua_State* L, const protocol::Reply& reply, bool resp3);

// Pops the value on top of the stack and writes it to `out` as a reply. `script_resp3` as above.
// A nesting deeper than the Lua stack allows (cyclic tables) is written as the error "reached
// lua stack limit" in place of the rest, as Redis does.
void WriteLuaValue(lua_State* L, protocol::ReplyEncoder& out, bool script_resp3);

// Pushes Redis's Lua error table {err = "CODE message"} for `error` given either as "-CODE
// message" (the code is kept) or as a plain message (the code becomes ERR); a trailing CR/LF is
// trimmed.
void PushErrorTable(lua_State* L, std::string_view error);

// True if the error table on top was produced by redis.call/pcall (the command's error was
// counted in INFO errorstats already; the script's reply must not count it again).
bool ErrorAlreadyCounted(lua_State* L);
// Marks the error table on top that way.
void MarkErrorCounted(lua_State* L);

}  // namespace ringkv::server::scripting
