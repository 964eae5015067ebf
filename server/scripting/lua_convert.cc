// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/scripting/lua_convert.h"

#include <cstdint>
#include <string>

namespace ringkv::server::scripting {

namespace {

using protocol::Reply;

// Deeper nesting than this is written as an error instead of recursing further (a table can
// contain itself). Lua's own C stack limit is 200 nested C calls; replies stay well below it.
constexpr int kMaxDepth = 200;

void SetField(lua_State* L, const char* name) {  // t[name] = top; pops the value
  lua_setfield(L, -2, name);
}

void PushTyped(lua_State* L, const char* field) {  // {field = top}; replaces the top
  lua_newtable(L);
  lua_insert(L, -2);
  SetField(L, field);
}

void PushReplyAt(lua_State* L, const Reply& reply, bool resp3, int depth) {
  if (!lua_checkstack(L, 4) || depth > kMaxDepth) {
    lua_pushnil(L);  // unreachable for parsed replies (the parser bounds their depth)
    return;
  }
  switch (reply.type) {
    case Reply::Type::kInteger:
      lua_pushnumber(L, static_cast<lua_Number>(reply.integer));
      return;
    case Reply::Type::kBulk:
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      return;
    case Reply::Type::kSimpleString:
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      PushTyped(L, "ok");
      return;
    case Reply::Type::kError:
      PushErrorTable(L, "-" + reply.str);
      return;
    case Reply::Type::kNull:
      if (resp3) {
        lua_pushnil(L);
      } else {
        lua_pushboolean(L, 0);
      }
      return;
    case Reply::Type::kArray:
    case Reply::Type::kPush:
      lua_createtable(L, static_cast<int>(reply.elements.size()), 0);
      for (size_t i = 0; i < reply.elements.size(); ++i) {
        PushReplyAt(L, reply.elements[i], resp3, depth + 1);
        lua_rawseti(L, -2, static_cast<int>(i + 1));
      }
      return;
    case Reply::Type::kMap:
    case Reply::Type::kAttribute:
      lua_newtable(L);
      for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
        PushReplyAt(L, reply.elements[i], resp3, depth + 1);
        PushReplyAt(L, reply.elements[i + 1], resp3, depth + 1);
        lua_rawset(L, -3);
      }
      PushTyped(L, "map");
      return;
    case Reply::Type::kSet:
      lua_newtable(L);
      for (const Reply& member : reply.elements) {
        PushReplyAt(L, member, resp3, depth + 1);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
      }
      PushTyped(L, "set");
      return;
    case Reply::Type::kDouble:
      lua_pushnumber(L, reply.dbl);
      PushTyped(L, "double");
      return;
    case Reply::Type::kBool:
      lua_pushboolean(L, reply.boolean ? 1 : 0);
      return;
    case Reply::Type::kBigNumber:
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      PushTyped(L, "big_number");
      return;
    case Reply::Type::kVerbatim:
      lua_newtable(L);
      lua_pushlstring(L, reply.str.data(), reply.str.size());
      SetField(L, "string");
      lua_pushlstring(L, reply.format.data(), reply.format.size());
      SetField(L, "format");
      PushTyped(L, "verbatim_string");
      return;
  }
  lua_pushnil(L);
}

// Status and big-number text go out on one line: CR and LF become spaces, as in Redis.
std::string OneLine(const char* s, size_t len) {
  std::string out(s, len);
  for (char& c : out) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return out;
}

// The table field `name` of the table on top, pushed (nil when absent; no metamethods).
int RawField(lua_State* L, const char* name) {
  lua_pushstring(L, name);
  lua_rawget(L, -2);
  return lua_type(L, -1);
}

void WriteAt(lua_State* L, protocol::ReplyEncoder& out, bool script_resp3, int depth);

// The table on top (left on the stack) as a reply; false if it is a plain array.
bool WriteTypedTable(lua_State* L, protocol::ReplyEncoder& out, bool script_resp3, int depth) {
  if (RawField(L, "err") == LUA_TSTRING) {
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    lua_pop(L, 1);  // the table still holds the string
    if (ErrorAlreadyCounted(L)) {
      out.RelayedError(std::string_view(s, len));
    } else {
      out.Error(std::string_view(s, len));
    }
    return true;
  }
  lua_pop(L, 1);
  if (RawField(L, "ok") == LUA_TSTRING) {
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    out.SimpleString(OneLine(s, len));
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  if (RawField(L, "double") == LUA_TNUMBER) {
    out.Double(lua_tonumber(L, -1));
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  if (RawField(L, "big_number") == LUA_TSTRING) {
    size_t len = 0;
    const char* s = lua_tolstring(L, -1, &len);
    out.BigNumber(OneLine(s, len));
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  if (RawField(L, "verbatim_string") == LUA_TTABLE) {  // stack: table, verbatim
    lua_pushstring(L, "format");
    lua_rawget(L, -2);  // table, verbatim, format
    lua_pushstring(L, "string");
    lua_rawget(L, -3);  // table, verbatim, format, string
    if (lua_type(L, -2) == LUA_TSTRING && lua_type(L, -1) == LUA_TSTRING) {
      size_t flen = 0;
      size_t slen = 0;
      const char* f = lua_tolstring(L, -2, &flen);
      const char* s = lua_tolstring(L, -1, &slen);
      out.Verbatim(std::string_view(f, flen), std::string_view(s, slen));
      lua_pop(L, 3);
      return true;
    }
    lua_pop(L, 2);
  }
  lua_pop(L, 1);
  if (RawField(L, "map") == LUA_TTABLE) {
    size_t pairs = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pop(L, 1);
      ++pairs;
    }
    out.MapHeader(pairs);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {  // stack: map, key, value
      lua_pushvalue(L, -2);
      WriteAt(L, out, script_resp3, depth + 1);  // the key
      WriteAt(L, out, script_resp3, depth + 1);  // the value
    }
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  if (RawField(L, "set") == LUA_TTABLE) {
    size_t members = 0;
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {
      lua_pop(L, 1);
      ++members;
    }
    out.SetHeader(members);
    lua_pushnil(L);
    while (lua_next(L, -2) != 0) {  // stack: set, key, value
      lua_pop(L, 1);
      lua_pushvalue(L, -1);
      WriteAt(L, out, script_resp3, depth + 1);
    }
    lua_pop(L, 1);
    return true;
  }
  lua_pop(L, 1);
  return false;
}

void WriteAt(lua_State* L, protocol::ReplyEncoder& out, bool script_resp3, int depth) {
  if (depth > kMaxDepth || !lua_checkstack(L, 4)) {
    out.Error("ERR reached lua stack limit");
    lua_pop(L, 1);
    return;
  }
  switch (lua_type(L, -1)) {
    case LUA_TSTRING: {
      size_t len = 0;
      const char* s = lua_tolstring(L, -1, &len);
      out.Bulk(std::string_view(s, len));
      break;
    }
    case LUA_TBOOLEAN:
      if (script_resp3) {
        out.Bool(lua_toboolean(L, -1) != 0);
      } else if (lua_toboolean(L, -1)) {
        out.Integer(1);
      } else {
        out.Null();
      }
      break;
    case LUA_TNUMBER:
      out.Integer(static_cast<int64_t>(lua_tonumber(L, -1)));
      break;
    case LUA_TTABLE: {
      if (WriteTypedTable(L, out, script_resp3, depth)) break;
      size_t n = 0;
      while (true) {
        lua_rawgeti(L, -1, static_cast<int>(n + 1));
        const bool nil = lua_isnil(L, -1);
        lua_pop(L, 1);
        if (nil) break;
        ++n;
      }
      out.ArrayHeader(n);
      for (size_t i = 1; i <= n; ++i) {
        lua_rawgeti(L, -1, static_cast<int>(i));
        WriteAt(L, out, script_resp3, depth + 1);
      }
      break;
    }
    default:
      out.Null();
  }
  lua_pop(L, 1);
}

}  // namespace

void PushReply(lua_State* L, const protocol::Reply& reply, bool resp3) {
  PushReplyAt(L, reply, resp3, 0);
}

void WriteLuaValue(lua_State* L, protocol::ReplyEncoder& out, bool script_resp3) {
  WriteAt(L, out, script_resp3, 0);
}

bool ErrorAlreadyCounted(lua_State* L) {
  lua_getfield(L, -1, "ignore_error_stats_update");
  const bool counted = lua_toboolean(L, -1) != 0;
  lua_pop(L, 1);
  return counted;
}

void MarkErrorCounted(lua_State* L) {
  lua_pushboolean(L, 1);
  lua_setfield(L, -2, "ignore_error_stats_update");
}

void PushErrorTable(lua_State* L, std::string_view error) {
  std::string_view code = "ERR";
  std::string_view message = error;
  if (!error.empty() && error[0] == '-') {
    const size_t space = error.find(' ');
    if (space == std::string_view::npos) {
      message = error.substr(1);
    } else {
      code = error.substr(1, space - 1);
      message = error.substr(space + 1);
    }
  }
  while (!message.empty() && (message.back() == '\r' || message.back() == '\n')) {
    message.remove_suffix(1);
  }
  std::string text;
  text.reserve(code.size() + 1 + message.size());
  text.append(code).append(" ").append(message);
  lua_newtable(L);
  lua_pushlstring(L, text.data(), text.size());
  lua_setfield(L, -2, "err");
}

}  // namespace ringkv::server::scripting
