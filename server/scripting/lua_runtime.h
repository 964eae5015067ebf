// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// LuaRuntime: one Lua 5.1 interpreter set up as Redis sets up its scripting environment, and
// everything that runs in it: EVAL scripts (compiled once, cached by SHA1) and the functions of
// FUNCTION LOAD libraries.
//
// The environment (what a script sees):
// - the string, math, table and coroutine libraries and Lua's base functions, less print,
//   dofile and loadfile; math.random is a rand48 generator reseeded to 0 before each script, so
//   a script's random sequence is the same on every run (Redis does the same);
// - cjson and bit (Debian's lua-cjson and lua-bitop), cmsgpack and struct (ours);
// - redis.call/pcall/error_reply/status_reply/sha1hex/log/setresp/set_repl/replicate_commands/
//   acl_check_cmd/breakpoint/debug, the LOG_* and REPL_* constants, REDIS_VERSION(_NUM).
// Globals are protected as in Redis 7: reading a global that does not exist and creating or
// changing any global (or a field of a library table) raises an error, so scripts cannot leak
// state into later scripts. Stock Lua 5.1 has no read-only tables, so scripts see read-only
// proxies of the real tables; `pairs()` over a library table or _G therefore lists nothing.
//
// What the server provides (redis.call, logging, SCRIPT KILL) comes through ScriptHost.
//
// Thread safety: not thread-safe; the owner (ScriptEngine) serializes every call.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_encoder.h"

struct lua_State;  // lua.h; only lua_*.cc include the Lua headers

namespace ringkv::server::scripting {

// The server side of the redis.* library, for one script run.
class ScriptHost {
 public:
  virtual ~ScriptHost() = default;
  // redis.call / redis.pcall: runs `args` as a command. On success writes the command's reply
  // (RESP3 when `resp3`, else RESP2) to *reply and returns true, even if the reply is an error;
  // a command refused before it ran returns false with *error in Redis's script wording, either
  // "message" or "-CODE message".
  virtual bool Call(std::span<const std::string_view> args, bool resp3, std::string* reply,
                    std::string* error) = 0;
  // redis.acl_check_cmd: whether the calling user may run `args`; false with *error when the
  // command does not exist.
  virtual bool AclCheck(std::span<const std::string_view> args, bool* allowed,
                        std::string* error) = 0;
  // redis.log: level 0..3 (debug, verbose, notice, warning).
  virtual void Log(int level, std::string_view message) = 0;
  // Polled about every 100,000 Lua instructions; true ends the script with Redis's "Script
  // killed by user with SCRIPT KILL..." error.
  virtual bool Interrupted() = 0;
};

// Function flags (FUNCTION LOAD's register_function and EVAL's "#!lua flags=" shebang).
enum ScriptFlag : uint32_t {
  kScriptNoWrites = 1 << 0,
  kScriptAllowOom = 1 << 1,
  kScriptAllowStale = 1 << 2,
  kScriptNoCluster = 1 << 3,
  kScriptAllowCrossSlot = 1 << 4,
};
// Parses one flag name ("no-writes", ...); false if unknown.
bool ParseScriptFlag(std::string_view name, uint32_t* flag);
// The names of `flags`, in Redis's order.
std::vector<std::string_view> ScriptFlagNames(uint32_t flags);

// A function registered by a library (FUNCTION LOAD).
struct FunctionDef {
  std::string name;
  std::string description;  // empty: none
  bool has_description = false;
  uint32_t flags = 0;
};

class LuaRuntime {
 public:
  LuaRuntime();
  ~LuaRuntime();
  LuaRuntime(const LuaRuntime&) = delete;
  LuaRuntime& operator=(const LuaRuntime&) = delete;

  // Compiles an EVAL script body and keeps it under `sha`. False with *error ("Error compiling
  // script (new function): ...") if it does not compile.
  bool CompileScript(std::string_view body, const std::string& sha, std::string* error);
  // Forgets every EVAL script.
  void DropScripts();

  // Runs a library's code (its "#!lua" line blanked, so line numbers stay) so that it registers
  // its functions; on success *functions lists them, held until CommitLibrary or DiscardLoaded.
  // False with *error in FUNCTION LOAD's wording. Loading may take at most `timeout_ms`.
  bool LoadLibrary(std::string_view code, ScriptHost* log_host, std::vector<FunctionDef>* functions,
                   std::string* error, int64_t timeout_ms);
  // After a successful LoadLibrary: keeps its functions as library `library` (replacing one of
  // that name), or forgets them.
  void CommitLibrary(std::string_view library);
  void DiscardLoaded();
  // Forgets library `library` and its functions.
  void DropLibrary(std::string_view library);
  void DropLibraries();

  struct Run {
    bool eval = true;          // EVAL script (KEYS/ARGV globals) or FCALL function
    std::string_view name;     // the script's SHA1, or the function's name
    std::string_view library;  // FCALL: the function's library
    std::span<const std::string_view> keys;
    std::span<const std::string_view> args;
  };
  // Runs a script or function and writes its result (or error) to `out`.
  void Execute(const Run& run, ScriptHost& host, protocol::ReplyEncoder& out);

  // Bytes the interpreter uses (INFO used_memory_lua).
  int64_t used_memory() const;

  // For the redis.* C functions: the host of the run in progress, or null.
  ScriptHost* host() const { return host_; }
  // Where redis.log writes: the run's host, or the loader's during FUNCTION LOAD.
  ScriptHost* log_host() const { return host_ != nullptr ? host_ : load_host_; }
  bool resp3() const { return resp3_; }
  void set_resp3(bool v) { resp3_ = v; }
  // For redis.register_function: the library being loaded, or null.
  std::vector<FunctionDef>* loading() const { return loading_; }
  std::string_view loading_library() const { return loading_library_; }
  int64_t load_deadline_ms() const { return load_deadline_ms_; }
  // math.random's rand48 state.
  uint64_t& rand_state() { return rand_state_; }

 private:
  void OpenLibraries();
  void Protect();
  // Points the globals' lookups at the full API (runs) or the library-load API.
  void UseGlobals(bool load_api);

  lua_State* L_;
  ScriptHost* host_ = nullptr;
  ScriptHost* load_host_ = nullptr;
  bool resp3_ = false;
  std::vector<FunctionDef>* loading_ = nullptr;
  std::string loading_library_;
  int64_t load_deadline_ms_ = 0;
  uint64_t rand_state_ = 0;
};

}  // namespace ringkv::server::scripting
