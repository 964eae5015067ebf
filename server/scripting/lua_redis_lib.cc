// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/scripting/lua_redis_lib.h"

#include <openssl/sha.h>
#include <strings.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_parser.h"
#include "server/scripting/lua_convert.h"
#include "server/scripting/lua_runtime.h"
#include "server/version.h"

namespace ringkv::server::scripting {

namespace {

constexpr const char* kRuntimeKey = "ringkv.runtime";

// Raises Redis's error table for `message` (never returns).
int RaiseError(lua_State* L, std::string_view message) {
  PushErrorTable(L, message);
  return lua_error(L);
}

// The C++ half of redis.call/pcall: everything that needs C++ objects, finished before the
// caller may raise a Lua error. Pushes the result (a value, or an error table) and returns
// whether it is an error that redis.call must raise.
bool CallCommand(lua_State* L, LuaRuntime& rt, int argc) {
  std::vector<std::string_view> args;
  args.reserve(static_cast<size_t>(argc));
  for (int i = 1; i <= argc; ++i) {
    size_t len = 0;
    const char* s = lua_tolstring(L, i, &len);  // numbers were formatted by the caller
    args.emplace_back(s, len);
  }
  std::string reply;
  std::string error;
  if (!rt.host()->Call(args, rt.resp3(), &reply, &error)) {
    PushErrorTable(L, error);
    MarkErrorCounted(L);  // the host counted the refusal
    return true;
  }
  protocol::ReplyParser parser;
  protocol::Reply parsed;
  size_t consumed = 0;
  if (parser.Parse(reply, &consumed, &parsed) != protocol::ParseStatus::kOk) {
    PushErrorTable(L, "internal error: the command's reply could not be read");
    return true;
  }
  PushReply(L, parsed, rt.resp3());
  const bool is_error = parsed.type == protocol::Reply::Type::kError;
  if (is_error) MarkErrorCounted(L);  // the command counted it
  return is_error;
}

int GenericCall(lua_State* L, bool raise) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->host() == nullptr) {
    return RaiseError(L, "redis.call/pcall can only be called inside a script invocation");
  }
  const int argc = lua_gettop(L);
  if (argc == 0) {
    PushErrorTable(L, "Please specify at least one argument for this redis lib call");
    return raise ? lua_error(L) : 1;
  }
  for (int i = 1; i <= argc; ++i) {
    const int type = lua_type(L, i);
    if (type == LUA_TNUMBER) {
      // Lua's own number-to-string loses precision; Redis formats with %.17g.
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.17g", static_cast<double>(lua_tonumber(L, i)));
      lua_pushstring(L, buf);
      lua_replace(L, i);
    } else if (type != LUA_TSTRING) {
      lua_settop(L, 0);
      PushErrorTable(L, "Lua redis lib command arguments must be strings or integers");
      return raise ? lua_error(L) : 1;
    }
  }
  const bool is_error = CallCommand(L, *rt, argc);
  if (raise && is_error) return lua_error(L);
  return 1;
}

int RedisCall(lua_State* L) { return GenericCall(L, true); }
int RedisPCall(lua_State* L) { return GenericCall(L, false); }

// redis.error_reply(msg): {err = msg}, with an ERR code when msg brings none.
// Wrong arguments give back an error table instead of raising one, as in Redis.
int RedisErrorReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  std::string_view msg(s, len);
  if (!msg.empty() && msg[0] == '-') {
    PushErrorTable(L, msg);
  } else {
    std::string with_dash = "-";  // no Lua call raises while it is alive
    with_dash.append(msg);
    PushErrorTable(L, with_dash);
  }
  return 1;
}

int RedisStatusReply(lua_State* L) {
  if (lua_gettop(L) != 1 || lua_type(L, 1) != LUA_TSTRING) {
    PushErrorTable(L, "wrong number or type of arguments");
    return 1;
  }
  lua_newtable(L);
  lua_pushvalue(L, 1);
  lua_setfield(L, -2, "ok");
  return 1;
}

int RedisSha1Hex(lua_State* L) {
  if (lua_gettop(L) != 1) return RaiseError(L, "wrong number of arguments");
  size_t len = 0;
  const char* s = lua_tolstring(L, 1, &len);
  if (s == nullptr) {
    s = "";
    len = 0;
  }
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(s), len, digest);
  char hex[2 * SHA_DIGEST_LENGTH + 1];
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
    std::snprintf(hex + 2 * i, 3, "%02x", digest[i]);
  }
  lua_pushstring(L, hex);
  return 1;
}

// The message of redis.log: the arguments joined by spaces (numbers and strings only).
void LogMessage(lua_State* L, LuaRuntime* rt, int level, int argc) {
  std::string message;
  for (int i = 2; i <= argc; ++i) {
    size_t len = 0;
    const char* s = lua_tolstring(L, i, &len);
    if (s == nullptr) continue;
    if (!message.empty()) message.push_back(' ');
    message.append(s, len);
  }
  if (rt != nullptr && rt->log_host() != nullptr) rt->log_host()->Log(level, message);
}

int RedisLog(lua_State* L) {
  const int argc = lua_gettop(L);
  if (argc < 2) return RaiseError(L, "redis.log() requires two arguments or more.");
  if (!lua_isnumber(L, 1)) return RaiseError(L, "First argument must be a number (log level).");
  const lua_Number level = lua_tonumber(L, 1);
  if (level < 0 || level > 3) return RaiseError(L, "Invalid debug level.");
  LogMessage(L, GetRuntime(L), static_cast<int>(level), argc);
  return 0;
}

int RedisSetResp(lua_State* L) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->host() == nullptr) {
    return RaiseError(L, "redis.setresp can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.setresp() requires one argument.");
  const lua_Number resp = lua_tonumber(L, 1);
  if (resp != 2 && resp != 3) return RaiseError(L, "RESP version must be 2 or 3.");
  rt->set_resp3(resp == 3);
  return 0;
}

// Replication is not part of ringkv; the flags are checked as Redis checks them and accepted.
int RedisSetRepl(lua_State* L) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->host() == nullptr) {
    return RaiseError(L, "redis.set_repl can only be called inside a script invocation");
  }
  if (lua_gettop(L) != 1) return RaiseError(L, "redis.set_repl() requires two arguments.");
  const lua_Number flags = lua_tonumber(L, 1);
  if (flags < 0 || flags > 3 || flags != std::floor(flags)) {
    return RaiseError(L,
                      "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or "
                      "REPL_NONE.");
  }
  return 0;
}

int RedisReplicateCommands(lua_State* L) {
  lua_pushboolean(L, 1);
  return 1;
}

int RedisBreakpoint(lua_State* L) {  // no debugger session: always false, as in Redis
  lua_pushboolean(L, 0);
  return 1;
}

int RedisDebug(lua_State*) { return 0; }  // no debugger session: ignored, as in Redis

// The C++ half of acl_check_cmd; returns 0 allowed, 1 denied, -1 unknown command.
int AclCheck(lua_State* L, LuaRuntime& rt, int argc) {
  std::vector<std::string_view> args;
  for (int i = 1; i <= argc; ++i) {
    size_t len = 0;
    const char* s = lua_tolstring(L, i, &len);
    args.emplace_back(s != nullptr ? std::string_view(s, len) : std::string_view());
  }
  bool allowed = false;
  std::string error;
  if (!rt.host()->AclCheck(args, &allowed, &error)) return -1;
  return allowed ? 0 : 1;
}

int RedisAclCheckCmd(lua_State* L) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->host() == nullptr) {
    return RaiseError(L, "redis.acl_check_cmd can only be called inside a script invocation");
  }
  const int argc = lua_gettop(L);
  if (argc == 0) {
    return RaiseError(L, "Please specify at least one argument for this redis lib call");
  }
  const int verdict = AclCheck(L, *rt, argc);
  if (verdict < 0) return RaiseError(L, "Invalid command passed to redis.acl_check_cmd()");
  lua_pushboolean(L, verdict == 0);
  return 1;
}

// --- redis.register_function (FUNCTION LOAD only) ---

bool ValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

// Reads the flags table at `index` into *flags; false if it holds anything but known names.
bool ReadFlags(lua_State* L, int index, uint32_t* flags) {
  if (!lua_istable(L, index)) return false;
  for (int i = 1;; ++i) {
    lua_rawgeti(L, index, i);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      return true;
    }
    size_t len = 0;
    const char* s = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : nullptr;
    uint32_t flag = 0;
    const bool ok = s != nullptr && ParseScriptFlag(std::string_view(s, len), &flag);
    lua_pop(L, 1);
    if (!ok) return false;
    *flags |= flag;
  }
}

// Reads register_function's arguments: on success the callback is left on top of the stack and
// *name/*description/*flags are set; else returns the error text.
const char* ReadRegisterArgs(lua_State* L, std::string* name, std::string* description,
                             bool* has_description, uint32_t* flags) {
  const int argc = lua_gettop(L);
  if (argc < 1 || argc > 2) return "wrong number of arguments to redis.register_function";
  if (argc == 2) {
    if (!lua_isstring(L, 1)) {  // numbers too, as in Redis
      return "first argument to redis.register_function must be a string";
    }
    if (!lua_isfunction(L, 2)) {
      return "second argument to redis.register_function must be a function";
    }
    size_t len = 0;
    const char* s = lua_tolstring(L, 1, &len);
    name->assign(s, len);
    lua_pushvalue(L, 2);
    return nullptr;
  }
  if (!lua_istable(L, 1)) {
    return "calling redis.register_function with a single argument is only applicable to Lua "
           "table (representing named arguments).";
  }
  bool have_name = false;
  bool have_callback = false;
  lua_pushnil(L);
  while (lua_next(L, 1) != 0) {  // stack: args, [callback], key, value
    if (!lua_isstring(L, -2)) {
      return "named argument key given to redis.register_function is not a string";
    }
    // A number key must not be converted in place (lua_next needs it intact): look at a copy.
    lua_pushvalue(L, -2);
    const char* k = lua_tostring(L, -1);
    const int which = strcasecmp(k, "function_name") == 0 ? 1
                      : strcasecmp(k, "description") == 0 ? 2
                      : strcasecmp(k, "callback") == 0    ? 3
                      : strcasecmp(k, "flags") == 0       ? 4
                                                          : 0;
    lua_pop(L, 1);
    if (which == 1) {
      if (!lua_isstring(L, -1)) {
        return "function_name argument given to redis.register_function must be a string";
      }
      *name = lua_tostring(L, -1);
      have_name = true;
    } else if (which == 2) {
      if (!lua_isstring(L, -1)) {
        return "description argument given to redis.register_function must be a string";
      }
      *description = lua_tostring(L, -1);
      *has_description = true;
    } else if (which == 3) {
      if (!lua_isfunction(L, -1)) {
        return "callback argument given to redis.register_function must be a function";
      }
      have_callback = true;
      lua_pushvalue(L, -1);
      lua_setfield(L, LUA_REGISTRYINDEX, "ringkv.register_callback");
    } else if (which == 4) {
      if (!lua_istable(L, -1)) {
        return "flags argument to redis.register_function must be a table representing "
               "function flags";
      }
      if (!ReadFlags(L, lua_gettop(L), flags)) return "unknown flag given";
    } else {
      return "unknown argument given to redis.register_function";
    }
    lua_pop(L, 1);
  }
  if (!have_name) return "redis.register_function must get a function name argument";
  if (!have_callback) return "redis.register_function must get a callback argument";
  lua_getfield(L, LUA_REGISTRYINDEX, "ringkv.register_callback");
  lua_pushnil(L);
  lua_setfield(L, LUA_REGISTRYINDEX, "ringkv.register_callback");
  return nullptr;
}

// The C++ half of register_function; returns the error text or null after registering.
const char* Register(lua_State* L, LuaRuntime& rt) {
  FunctionDef def;
  const char* error =
      ReadRegisterArgs(L, &def.name, &def.description, &def.has_description, &def.flags);
  if (error != nullptr) return error;
  if (!ValidName(def.name)) {
    // Redis 7.0 words this as a library name error; so do we.
    return "Library names can only contain letters, numbers, or underscores(_) and must be at "
           "least one character long";
  }
  for (const FunctionDef& f : *rt.loading()) {
    if (f.name == def.name) return "Function already exists in the library";
  }
  // The callback is on top: pending[name] = callback.
  lua_getfield(L, LUA_REGISTRYINDEX, "ringkv.pending");
  lua_insert(L, -2);
  lua_setfield(L, -2, def.name.c_str());
  lua_pop(L, 1);
  rt.loading()->push_back(std::move(def));
  return nullptr;
}

int RedisRegisterFunction(lua_State* L) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->loading() == nullptr) {
    return RaiseError(L, "redis.register_function can only be called on FUNCTION LOAD command");
  }
  const char* error = Register(L, *rt);
  if (error != nullptr) return RaiseError(L, error);
  return 0;
}

void SetNumber(lua_State* L, const char* name, lua_Number value) {
  lua_pushnumber(L, value);
  lua_setfield(L, -2, name);
}

void SetFunction(lua_State* L, const char* name, lua_CFunction fn) {
  lua_pushcfunction(L, fn);
  lua_setfield(L, -2, name);
}

void SetLogAndVersion(lua_State* L) {
  SetFunction(L, "log", RedisLog);
  SetNumber(L, "LOG_DEBUG", 0);
  SetNumber(L, "LOG_VERBOSE", 1);
  SetNumber(L, "LOG_NOTICE", 2);
  SetNumber(L, "LOG_WARNING", 3);
  lua_pushlstring(L, kRedisCompatVersion.data(), kRedisCompatVersion.size());
  lua_setfield(L, -2, "REDIS_VERSION");
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::sscanf(std::string(kRedisCompatVersion).c_str(), "%d.%d.%d", &major, &minor, &patch);
  SetNumber(L, "REDIS_VERSION_NUM", (major << 16) | (minor << 8) | patch);
}

// --- math.random on rand48, as Redis's ---

constexpr uint64_t kRand48Mask = (uint64_t{1} << 48) - 1;

int32_t NextRand48(uint64_t& state) {
  state = (state * 0x5DEECE66DULL + 0xB) & kRand48Mask;
  return static_cast<int32_t>(state >> 17);
}

int MathRandom(lua_State* L) {
  LuaRuntime* rt = GetRuntime(L);
  uint64_t fallback = 0;
  uint64_t& state = rt != nullptr ? rt->rand_state() : fallback;
  constexpr int32_t kMax = 2147483647;
  const lua_Number r =
      static_cast<lua_Number>(NextRand48(state) % kMax) / static_cast<lua_Number>(kMax);
  switch (lua_gettop(L)) {
    case 0:
      lua_pushnumber(L, r);
      break;
    case 1: {
      const int u = luaL_checkint(L, 1);
      luaL_argcheck(L, 1 <= u, 1, "interval is empty");
      lua_pushnumber(L, std::floor(r * u) + 1);
      break;
    }
    case 2: {
      const int l = luaL_checkint(L, 1);
      const int u = luaL_checkint(L, 2);
      luaL_argcheck(L, l <= u, 2, "interval is empty");
      lua_pushnumber(L, std::floor(r * (u - l + 1)) + l);
      break;
    }
    default:
      return luaL_error(L, "wrong number of arguments");
  }
  return 1;
}

int MathRandomSeed(lua_State* L) {
  ReseedRandom(L, luaL_checkint(L, 1));
  return 0;
}

// Redis 7.0's pcall: an error table caught by pcall comes back as its `err` string, as errors
// were strings before Redis 7.
int LuaPcall(lua_State* L) {
  const int argc = lua_gettop(L);
  lua_pushboolean(L, 1);
  lua_insert(L, 1);
  if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) != 0) {
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
      lua_getfield(L, -1, "err");
      if (lua_isstring(L, -1)) {
        lua_replace(L, -2);
      } else {
        lua_pop(L, 1);
      }
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
  }
  return lua_gettop(L);
}

}  // namespace

void InstallPcall(lua_State* L) {
  lua_pushcfunction(L, LuaPcall);
  lua_setglobal(L, "pcall");
}

void SetRuntime(lua_State* L, LuaRuntime* runtime) {
  lua_pushlightuserdata(L, runtime);
  lua_setfield(L, LUA_REGISTRYINDEX, kRuntimeKey);
}

LuaRuntime* GetRuntime(lua_State* L) {
  lua_getfield(L, LUA_REGISTRYINDEX, kRuntimeKey);
  auto* rt = static_cast<LuaRuntime*>(lua_touserdata(L, -1));
  lua_pop(L, 1);
  return rt;
}

void PushRedisApi(lua_State* L) {
  lua_newtable(L);
  SetFunction(L, "call", RedisCall);
  SetFunction(L, "pcall", RedisPCall);
  SetFunction(L, "error_reply", RedisErrorReply);
  SetFunction(L, "status_reply", RedisStatusReply);
  SetFunction(L, "sha1hex", RedisSha1Hex);
  SetFunction(L, "setresp", RedisSetResp);
  SetFunction(L, "set_repl", RedisSetRepl);
  SetFunction(L, "replicate_commands", RedisReplicateCommands);
  SetFunction(L, "breakpoint", RedisBreakpoint);
  SetFunction(L, "debug", RedisDebug);
  SetFunction(L, "acl_check_cmd", RedisAclCheckCmd);
  SetNumber(L, "REPL_NONE", 0);
  SetNumber(L, "REPL_AOF", 1);
  SetNumber(L, "REPL_SLAVE", 2);
  SetNumber(L, "REPL_REPLICA", 2);
  SetNumber(L, "REPL_ALL", 3);
  SetLogAndVersion(L);
}

void PushLibraryLoadApi(lua_State* L) {
  lua_newtable(L);
  SetFunction(L, "register_function", RedisRegisterFunction);
  SetLogAndVersion(L);
}

void InstallRandom(lua_State* L) {
  lua_getglobal(L, "math");
  SetFunction(L, "random", MathRandom);
  SetFunction(L, "randomseed", MathRandomSeed);
  lua_pop(L, 1);
}

void ReseedRandom(lua_State* L, int64_t seed) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr) return;
  rt->rand_state() = ((static_cast<uint64_t>(seed) << 16) | 0x330E) & kRand48Mask;
}

}  // namespace ringkv::server::scripting
