// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ScriptEngine: the server's scripting state. It owns the Lua interpreter (created on first use),
// the EVAL script cache (SHA1 -> body and shebang flags), the FUNCTION libraries, and the state
// of the script that runs now, which other clients consult: while a script runs, a command that
// is not allowed while busy waits for it to end, and gets -BUSY once the script has run longer
// than busy-reply-threshold; SCRIPT KILL / FUNCTION KILL end a script that has not written yet.
//
// Locking: `mu_` guards the interpreter and the caches; a script holds it for its whole run.
// Whoever runs a script takes the engine's shard locks (engine::KeyLock) first and `mu_` second,
// and nothing that holds `mu_` takes a shard lock, so the two never deadlock. The run state
// (`state_mu_`) is separate so SCRIPT KILL, FUNCTION STATS and the busy check never wait on a
// running script.
//
// Thread safety: thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "protocol/reply_encoder.h"
#include "server/scripting/lua_runtime.h"

namespace ringkv::server::scripting {

// The lower-case hex SHA1 of `body` (what EVALSHA names a script by).
std::string Sha1Hex(std::string_view body);

// A "#!lua ..." first line of an EVAL script: false with *error for a bad engine or option.
// *has_shebang false: no shebang (the script runs in Redis's compatibility mode).
bool ParseEvalShebang(std::string_view body, bool* has_shebang, uint32_t* flags,
                      std::string* error);

struct LibraryInfo {
  std::string name;
  std::string code;
  std::vector<FunctionDef> functions;
};

class ScriptEngine {
 public:
  ScriptEngine();
  ~ScriptEngine();

  // --- EVAL scripts ---
  // Compiles `body` unless cached; sets *sha. False with *error on a compile or shebang error.
  bool LoadScript(std::string_view body, std::string* sha, std::string* error)
      ABSL_LOCKS_EXCLUDED(mu_);
  bool ScriptExists(std::string_view sha) ABSL_LOCKS_EXCLUDED(mu_);
  // Shebang flags of a cached script; false if not cached.
  bool ScriptFlags(std::string_view sha, bool* has_shebang, uint32_t* flags)
      ABSL_LOCKS_EXCLUDED(mu_);
  void FlushScripts() ABSL_LOCKS_EXCLUDED(mu_);
  // For INFO (which a script may call while it holds `mu_`): kept outside it.
  size_t script_count() const { return script_count_.load(std::memory_order_relaxed); }

  // --- FUNCTION libraries ---
  // FUNCTION LOAD: sets *name to the library's name. False with *error (Redis's wording).
  bool LoadLibrary(std::string_view code, bool replace, ScriptHost* log_host, std::string* name,
                   std::string* error) ABSL_LOCKS_EXCLUDED(mu_);
  bool DeleteLibrary(std::string_view name) ABSL_LOCKS_EXCLUDED(mu_);
  void FlushLibraries() ABSL_LOCKS_EXCLUDED(mu_);
  // A copy of every library, ordered by name.
  std::vector<LibraryInfo> Libraries() ABSL_LOCKS_EXCLUDED(mu_);
  // The library and flags of function `name`; false if there is none.
  bool FindFunction(std::string_view name, std::string* library, uint32_t* flags)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Counts for FUNCTION STATS, which runs while a script holds `mu_`: kept outside it.
  size_t library_count() const { return library_count_.load(std::memory_order_relaxed); }
  size_t function_count() const { return function_count_.load(std::memory_order_relaxed); }

  // --- running ---
  struct RunInfo {
    bool eval = true;
    std::string_view name;                      // SHA1 or function name
    std::string_view library;                   // FCALL
    std::span<const std::string_view> command;  // the command that started it, arguments and all
    std::span<const std::string_view> keys;
    std::span<const std::string_view> args;
  };
  // Runs a script or function (REQUIRES: the caller holds the engine locks the script may
  // touch) and writes its reply to `out`. `host` serves redis.call.
  void Run(const RunInfo& run, ScriptHost& host, protocol::ReplyEncoder& out)
      ABSL_LOCKS_EXCLUDED(mu_);

  // True while a script runs. One relaxed load: the dispatcher asks for every command.
  bool running() const { return running_.load(std::memory_order_acquire); }
  // Waits until no script runs (true), or until the running one has run `threshold_ms` (false:
  // the caller answers -BUSY). Returns true at once when the caller's thread is the one
  // running the script. *eval: whether the busy script is an EVAL script (for the message).
  bool WaitUntilIdle(int64_t threshold_ms, bool* eval) ABSL_LOCKS_EXCLUDED(state_mu_);

  // SCRIPT KILL (eval true) / FUNCTION KILL: the reply's error, or empty after asking the
  // script to stop.
  std::string Kill(bool eval) ABSL_LOCKS_EXCLUDED(state_mu_);
  // Stops the running script even if it wrote (shutdown). Returns whether one was running.
  bool Abort() ABSL_LOCKS_EXCLUDED(state_mu_);
  // Marks that the running script wrote (it can no longer be killed).
  void NoteWrite() ABSL_LOCKS_EXCLUDED(state_mu_);
  // Whether a script runs and has written (SCRIPT KILL would answer -UNKILLABLE).
  bool RunningScriptWrote() ABSL_LOCKS_EXCLUDED(state_mu_);
  // For the Lua hook: whether the running script was killed.
  bool kill_requested() const { return kill_.load(std::memory_order_acquire); }

  struct Stats {
    bool running = false;
    std::string name;
    std::vector<std::string> command;
    int64_t duration_ms = 0;
  };
  Stats RunningStats() ABSL_LOCKS_EXCLUDED(state_mu_);

  // Bytes the Lua interpreter uses (0 before it is created), as of the end of the last script,
  // load or flush.
  int64_t used_memory() const { return lua_memory_.load(std::memory_order_relaxed); }

 private:
  struct CachedScript {
    bool has_shebang = false;
    uint32_t flags = 0;
  };
  LuaRuntime& Runtime() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  absl::Mutex mu_;
  std::unique_ptr<LuaRuntime> runtime_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, CachedScript> scripts_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, LibraryInfo, std::less<>> libraries_ ABSL_GUARDED_BY(mu_);
  // function name -> library name
  absl::flat_hash_map<std::string, std::string> functions_ ABSL_GUARDED_BY(mu_);
  // libraries_.size() and functions_.size(), readable without `mu_`.
  std::atomic<size_t> library_count_{0};
  std::atomic<size_t> function_count_{0};
  std::atomic<size_t> script_count_{0};
  std::atomic<int64_t> lua_memory_{0};
  void PublishCounts() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    library_count_.store(libraries_.size(), std::memory_order_relaxed);
    function_count_.store(functions_.size(), std::memory_order_relaxed);
    script_count_.store(scripts_.size(), std::memory_order_relaxed);
    lua_memory_.store(runtime_ != nullptr ? runtime_->used_memory() : 0, std::memory_order_relaxed);
  }

  absl::Mutex state_mu_;
  std::atomic<bool> running_{false};
  std::atomic<bool> kill_{false};
  bool run_eval_ ABSL_GUARDED_BY(state_mu_) = true;
  bool run_wrote_ ABSL_GUARDED_BY(state_mu_) = false;
  int64_t run_start_ms_ ABSL_GUARDED_BY(state_mu_) = 0;
  std::thread::id run_thread_ ABSL_GUARDED_BY(state_mu_);
  std::string run_name_ ABSL_GUARDED_BY(state_mu_);
  std::vector<std::string> run_command_ ABSL_GUARDED_BY(state_mu_);
};

}  // namespace ringkv::server::scripting
