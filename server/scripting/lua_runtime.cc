// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/scripting/lua_runtime.h"

#include "server/scripting/lua_headers.h"

extern "C" {  // Debian's module headers declare luaopen_* without C linkage of their own
#include <lua-bitop.h>
#include <lua-cjson.h>
}

#include <chrono>
#include <cstring>
#include <string>

#include "server/scripting/lua_cmsgpack.h"
#include "server/scripting/lua_convert.h"
#include "server/scripting/lua_redis_lib.h"
#include "server/scripting/lua_struct.h"

namespace ringkv::server::scripting {

namespace {

// Registry keys.
constexpr const char* kScripts = "ringkv.scripts";      // sha -> compiled EVAL script
constexpr const char* kLibraries = "ringkv.libraries";  // library -> {function -> callback}
constexpr const char* kPending = "ringkv.pending";      // functions of the library being loaded
constexpr const char* kErrorHandler = "ringkv.error_handler";
constexpr const char* kFullApi = "ringkv.full_api";  // what scripts' globals resolve to
constexpr const char* kUseApi = "ringkv.use_api";    // function(load): switch the globals' source

// Run once at start-up with the real globals and the FUNCTION LOAD `redis` table. Builds the
// protected environment: read-only proxies of every library table, a globals table that raises
// on unknown names and on any assignment, and a rawset that refuses the protected tables.
// Returns the new globals, the table they resolve to, and the function switching that source
// between the full API and the library-load API.
constexpr const char* kBootstrap = R"lua(
local real, load_redis = ...
local error, rawset, setmetatable, getmetatable, setfenv, type, tostring, next =
      error, rawset, setmetatable, getmetatable, setfenv, type, tostring, next
local protected = setmetatable({}, {__mode = 'k'})
local function deny() error('Attempt to modify a readonly table', 2) end
-- Called from a proxy's __index (below), itself called by the script: level 3 is the script.
local function missing(_, k)
  error("Script attempted to access nonexistent global variable '" .. tostring(k) .. "'", 3)
end
-- A read-only view of t; `index` (optional) answers for names t lacks.
local function proxy(t, index)
  local mt = {__newindex = deny}
  if index then
    mt.__index = function(p, k) local v = t[k]; if v == nil then index(p, k) end; return v end
  else
    mt.__index = t
  end
  local p = setmetatable({}, mt)
  protected[p] = true
  -- What getmetatable() shows of p: a read-only copy, so the real one stays out of reach.
  local shown = {}
  for k, v in next, mt do shown[k] = v end
  shown = setmetatable({}, {__index = shown, __newindex = deny, __metatable = false})
  protected[shown] = true
  mt.__metatable = shown
  return p
end
local full = {}
for k, v in next, real do
  if k ~= '_G' then
    if type(v) == 'table' then full[k] = proxy(v) else full[k] = v end
  end
end
-- Not in Redis's environment: a script could swap the globals of everything after it.
full.setfenv, full.getfenv, full.newproxy = nil, nil, nil
local load_api = {redis = proxy(load_redis, missing)}
local source = full
local env = proxy(setmetatable({}, {__index = function(_, k) return source[k] end}), missing)
full._G = env
full.rawset = function(t, k, v)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return rawset(t, k, v)
end
full.setmetatable = function(t, mt)
  if protected[t] then error('Attempt to modify a readonly table', 0) end
  return setmetatable(t, mt)
end
setfenv(full.rawset, env)
setfenv(full.setmetatable, env)
-- Strings' metatable leads to the string library: show a read-only copy of it.
local string_mt = getmetatable('')
string_mt.__index = full.string
local shown = setmetatable({}, {__index = {__index = full.string}, __newindex = deny,
                                __metatable = false})
protected[shown] = true
string_mt.__metatable = shown
local function use(load) if load then source = load_api else source = full end end
return env, full, use
)lua";

// Redis's error handler: turns what a script raised into {err = ..., source = ..., line = ...},
// the source and line being those of the script function that raised (or called the C function
// or protection function that raised).
int ErrorHandler(lua_State* L) {
  // The first frame that is neither C nor our own bootstrap code (the protection functions).
  lua_Debug ar;
  bool have = false;
  for (int level = 1; !have && lua_getstack(L, level, &ar) != 0; ++level) {
    have = lua_getinfo(L, "nSl", &ar) != 0 && std::strcmp(ar.what, "C") != 0 &&
           std::strcmp(ar.source, "=bootstrap") != 0;
  }
  if (!lua_istable(L, 1)) {
    if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER) {
      lua_pushstring(L, "ERR ");
      lua_pushvalue(L, 1);
      lua_concat(L, 2);
    } else if (lua_isnil(L, 1)) {
      lua_pushstring(L, "ERR nil");
    } else if (lua_type(L, 1) == LUA_TBOOLEAN) {
      lua_pushstring(L, lua_toboolean(L, 1) ? "ERR true" : "ERR false");
    } else {
      lua_pushfstring(L, "ERR %s: %p", luaL_typename(L, 1), lua_topointer(L, 1));
    }
    lua_newtable(L);
    lua_insert(L, -2);
    lua_setfield(L, -2, "err");
    lua_replace(L, 1);
    lua_settop(L, 1);
  }
  if (have) {
    lua_pushstring(L, ar.source);
    lua_setfield(L, 1, "source");
    lua_pushinteger(L, ar.currentline);
    lua_setfield(L, 1, "line");
  }
  return 1;
}

// The count hook of a run: ends the script once the host says it was killed. From then on it
// fires on every line, so a script cannot swallow the error with pcall and go on.
void RunHook(lua_State* L, lua_Debug*) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || rt->host() == nullptr || !rt->host()->Interrupted()) return;
  lua_sethook(L, RunHook, LUA_MASKLINE, 0);
  PushErrorTable(L, "Script killed by user with SCRIPT KILL...");
  lua_error(L);
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

void LoadHook(lua_State* L, lua_Debug*) {
  LuaRuntime* rt = GetRuntime(L);
  if (rt == nullptr || NowMs() <= rt->load_deadline_ms()) return;
  PushErrorTable(L, "FUNCTION LOAD timeout");
  lua_error(L);
}

void NewRegistryTable(lua_State* L, const char* key) {
  lua_newtable(L);
  lua_setfield(L, LUA_REGISTRYINDEX, key);
}

// `code` with its first line blanked when it is a shebang ("#!..."): Lua would not parse it,
// and keeping the newline keeps the line numbers of errors right.
std::string_view SkipShebang(std::string_view code) {
  if (code.size() < 2 || code[0] != '#' || code[1] != '!') return code;
  const size_t nl = code.find('\n');
  return nl == std::string_view::npos ? std::string_view() : code.substr(nl);
}

// The error message for a failed run, from the error value on top of the stack. *counted: the
// error came from a command redis.call ran, which counted it already.
std::string RunError(lua_State* L, std::string_view name, bool* counted) {
  *counted = false;
  if (!lua_istable(L, -1)) {
    const char* msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
    std::string text = "ERR Error running script ";
    text.append(name).append(", ").append(std::string_view(msg).substr(0, 100));
    return text;
  }
  std::string text;
  *counted = ErrorAlreadyCounted(L);
  lua_getfield(L, -1, "err");
  if (lua_isstring(L, -1)) text = lua_tostring(L, -1);
  lua_pop(L, 1);
  if (text.empty()) text = "ERR unknown error";
  lua_getfield(L, -1, "source");
  lua_getfield(L, -2, "line");
  if (lua_isstring(L, -2) && lua_isstring(L, -1)) {
    text.append(" script: ").append(name).append(", on ").append(lua_tostring(L, -2));
    text.append(":").append(lua_tostring(L, -1)).append(".");
  }
  lua_pop(L, 2);
  return text;
}

}  // namespace

bool ParseScriptFlag(std::string_view name, uint32_t* flag) {
  if (name == "no-writes") {
    *flag = kScriptNoWrites;
  } else if (name == "allow-oom") {
    *flag = kScriptAllowOom;
  } else if (name == "allow-stale") {
    *flag = kScriptAllowStale;
  } else if (name == "no-cluster") {
    *flag = kScriptNoCluster;
  } else if (name == "allow-cross-slot-keys") {
    *flag = kScriptAllowCrossSlot;
  } else {
    return false;
  }
  return true;
}

std::vector<std::string_view> ScriptFlagNames(uint32_t flags) {
  std::vector<std::string_view> names;
  if (flags & kScriptNoWrites) names.push_back("no-writes");
  if (flags & kScriptAllowOom) names.push_back("allow-oom");
  if (flags & kScriptAllowStale) names.push_back("allow-stale");
  if (flags & kScriptNoCluster) names.push_back("no-cluster");
  if (flags & kScriptAllowCrossSlot) names.push_back("allow-cross-slot-keys");
  return names;
}

LuaRuntime::LuaRuntime() : L_(luaL_newstate()) {
  SetRuntime(L_, this);
  OpenLibraries();
  Protect();
  NewRegistryTable(L_, kScripts);
  NewRegistryTable(L_, kLibraries);
  NewRegistryTable(L_, kPending);
  lua_pushcfunction(L_, ErrorHandler);
  lua_setfield(L_, LUA_REGISTRYINDEX, kErrorHandler);
}

LuaRuntime::~LuaRuntime() { lua_close(L_); }

void LuaRuntime::OpenLibraries() {
  const struct {
    const char* name;
    lua_CFunction open;
  } libs[] = {{"", luaopen_base},
              {LUA_TABLIBNAME, luaopen_table},
              {LUA_STRLIBNAME, luaopen_string},
              {LUA_MATHLIBNAME, luaopen_math}};
  for (const auto& lib : libs) {
    lua_pushcfunction(L_, lib.open);
    lua_pushstring(L_, lib.name);
    lua_call(L_, 1, 0);
  }
  const struct {
    const char* global;
    lua_CFunction open;
  } modules[] = {{"cjson", luaopen_cjson},
                 {"bit", luaopen_bit},
                 {"cmsgpack", OpenCmsgpack},
                 {"struct", OpenStruct}};
  for (const auto& m : modules) {
    lua_pushcfunction(L_, m.open);
    lua_call(L_, 0, 1);
    lua_setglobal(L_, m.global);
  }
  // Not in Redis's environment: files and printing.
  for (const char* name : {"print", "dofile", "loadfile"}) {
    lua_pushnil(L_);
    lua_setglobal(L_, name);
  }
  InstallRandom(L_);
  InstallPcall(L_);
  PushRedisApi(L_);
  lua_setglobal(L_, "redis");
}

void LuaRuntime::Protect() {
  if (luaL_loadbuffer(L_, kBootstrap, std::strlen(kBootstrap), "=bootstrap") != 0) {
    lua_pop(L_, 1);  // unreachable: the chunk is fixed
    return;
  }
  lua_pushvalue(L_, LUA_GLOBALSINDEX);
  PushLibraryLoadApi(L_);
  lua_call(L_, 2, 3);  // env, full, use
  lua_setfield(L_, LUA_REGISTRYINDEX, kUseApi);
  lua_setfield(L_, LUA_REGISTRYINDEX, kFullApi);
  // From now on everything compiled or started resolves globals through the protected table.
  lua_replace(L_, LUA_GLOBALSINDEX);
}

void LuaRuntime::UseGlobals(bool load_api) {
  lua_getfield(L_, LUA_REGISTRYINDEX, kUseApi);
  lua_pushboolean(L_, load_api ? 1 : 0);
  lua_call(L_, 1, 0);
}

bool LuaRuntime::CompileScript(std::string_view body, const std::string& sha, std::string* error) {
  const std::string_view code = SkipShebang(body);
  if (luaL_loadbuffer(L_, code.data(), code.size(), "@user_script") != 0) {
    *error = "ERR Error compiling script (new function): ";
    error->append(lua_tostring(L_, -1));
    lua_pop(L_, 1);
    return false;
  }
  lua_getfield(L_, LUA_REGISTRYINDEX, kScripts);
  lua_insert(L_, -2);
  lua_setfield(L_, -2, sha.c_str());
  lua_pop(L_, 1);
  return true;
}

void LuaRuntime::DropScripts() {
  NewRegistryTable(L_, kScripts);
  lua_gc(L_, LUA_GCCOLLECT, 0);
}

bool LuaRuntime::LoadLibrary(std::string_view code, ScriptHost* log_host,
                             std::vector<FunctionDef>* functions, std::string* error,
                             int64_t timeout_ms) {
  NewRegistryTable(L_, kPending);
  functions->clear();
  const std::string_view body = SkipShebang(code);
  if (luaL_loadbuffer(L_, body.data(), body.size(), "@user_function") != 0) {
    *error = "ERR Error compiling function: ";
    error->append(lua_tostring(L_, -1));
    lua_pop(L_, 1);
    return false;
  }
  loading_ = functions;
  load_host_ = log_host;
  load_deadline_ms_ = NowMs() + timeout_ms;
  UseGlobals(true);
  lua_sethook(L_, LoadHook, LUA_MASKCOUNT, 100000);
  const int status = lua_pcall(L_, 0, 0, 0);
  lua_sethook(L_, nullptr, 0, 0);
  UseGlobals(false);
  loading_ = nullptr;
  load_host_ = nullptr;
  if (status != 0) {
    std::string message;
    if (lua_istable(L_, -1)) {
      lua_getfield(L_, -1, "err");
      if (lua_isstring(L_, -1)) message = lua_tostring(L_, -1);
      lua_pop(L_, 1);
    } else if (lua_isstring(L_, -1)) {
      message = "ERR ";
      message.append(lua_tostring(L_, -1));
    }
    lua_pop(L_, 1);
    *error = "ERR Error registering functions: " + message;
    functions->clear();
    NewRegistryTable(L_, kPending);
    return false;
  }
  if (functions->empty()) {
    *error = "ERR No functions registered";
    return false;
  }
  return true;
}

void LuaRuntime::CommitLibrary(std::string_view library) {
  const std::string name(library);
  lua_getfield(L_, LUA_REGISTRYINDEX, kLibraries);
  lua_getfield(L_, LUA_REGISTRYINDEX, kPending);
  lua_setfield(L_, -2, name.c_str());
  lua_pop(L_, 1);
  NewRegistryTable(L_, kPending);
}

void LuaRuntime::DiscardLoaded() { NewRegistryTable(L_, kPending); }

void LuaRuntime::DropLibrary(std::string_view library) {
  const std::string name(library);
  lua_getfield(L_, LUA_REGISTRYINDEX, kLibraries);
  lua_pushnil(L_);
  lua_setfield(L_, -2, name.c_str());
  lua_pop(L_, 1);
}

void LuaRuntime::DropLibraries() {
  NewRegistryTable(L_, kLibraries);
  lua_gc(L_, LUA_GCCOLLECT, 0);
}

// Pushes a new array table of `items`.
static void PushArray(lua_State* L, std::span<const std::string_view> items) {
  lua_createtable(L, static_cast<int>(items.size()), 0);
  for (size_t i = 0; i < items.size(); ++i) {
    lua_pushlstring(L, items[i].data(), items[i].size());
    lua_rawseti(L, -2, static_cast<int>(i + 1));
  }
}

void LuaRuntime::Execute(const Run& run, ScriptHost& host, protocol::ReplyEncoder& out) {
  lua_settop(L_, 0);
  lua_getfield(L_, LUA_REGISTRYINDEX, kErrorHandler);
  const std::string name(run.name);
  if (run.eval) {
    lua_getfield(L_, LUA_REGISTRYINDEX, kScripts);
    lua_getfield(L_, -1, name.c_str());
  } else {
    const std::string library(run.library);
    lua_getfield(L_, LUA_REGISTRYINDEX, kLibraries);
    lua_getfield(L_, -1, library.c_str());
    if (lua_istable(L_, -1)) {
      lua_getfield(L_, -1, name.c_str());
      lua_remove(L_, -2);
    }
  }
  lua_remove(L_, -2);
  if (!lua_isfunction(L_, -1)) {  // the callers look scripts up first
    lua_settop(L_, 0);
    out.Error(run.eval ? "NOSCRIPT No matching script. Please use EVAL."
                       : "ERR Function not found");
    return;
  }
  host_ = &host;
  resp3_ = false;
  ReseedRandom(L_, 0);
  int nargs = 0;
  if (run.eval) {
    lua_getfield(L_, LUA_REGISTRYINDEX, kFullApi);
    PushArray(L_, run.keys);
    lua_setfield(L_, -2, "KEYS");
    PushArray(L_, run.args);
    lua_setfield(L_, -2, "ARGV");
    lua_pop(L_, 1);
  } else {
    PushArray(L_, run.keys);
    PushArray(L_, run.args);
    nargs = 2;
  }
  lua_sethook(L_, RunHook, LUA_MASKCOUNT, 100000);
  const int status = lua_pcall(L_, nargs, 1, 1);
  lua_sethook(L_, nullptr, 0, 0);
  if (status != 0) {
    bool counted = false;
    const std::string error = RunError(L_, run.name, &counted);
    if (counted) {
      out.RelayedError(error);
    } else {
      out.Error(error);
    }
  } else {
    WriteLuaValue(L_, out, resp3_);
  }
  if (run.eval) {  // functions have no KEYS/ARGV globals: do not leave these behind
    lua_getfield(L_, LUA_REGISTRYINDEX, kFullApi);
    lua_pushnil(L_);
    lua_setfield(L_, -2, "KEYS");
    lua_pushnil(L_);
    lua_setfield(L_, -2, "ARGV");
    lua_pop(L_, 1);
  }
  host_ = nullptr;
  resp3_ = false;
  lua_settop(L_, 0);
  // A little garbage collection after every run keeps Lua from a long full cycle later.
  lua_gc(L_, LUA_GCSTEP, 1);
}

int64_t LuaRuntime::used_memory() const {
  return static_cast<int64_t>(lua_gc(L_, LUA_GCCOUNT, 0)) * 1024 + lua_gc(L_, LUA_GCCOUNTB, 0);
}

}  // namespace ringkv::server::scripting
