// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/scripting/script_engine.h"

#include <openssl/sha.h>

#include <chrono>
#include <cstdio>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"

namespace ringkv::server::scripting {

namespace {

// Redis's FUNCTION LOAD time limit.
constexpr int64_t kLoadTimeoutMs = 500;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string_view FirstLine(std::string_view code) {
  const size_t nl = code.find('\n');
  return nl == std::string_view::npos ? code : code.substr(0, nl);
}

bool ValidLibraryName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

std::string Str(absl::string_view s) { return std::string(s.data(), s.size()); }

// The library name from a FUNCTION LOAD shebang ("#!lua name=mylib"); false with *error.
bool ParseLibraryShebang(std::string_view code, std::string* name, std::string* error) {
  if (code.size() < 2 || code[0] != '#' || code[1] != '!') {
    *error = "ERR Missing library metadata";
    return false;
  }
  if (code.find('\n') == std::string_view::npos) {
    *error = "ERR Invalid library metadata";
    return false;
  }
  const std::string_view line = FirstLine(code);
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(line.data(), line.size()), ' ', absl::SkipEmpty());
  if (parts.empty()) {
    *error = "ERR Invalid library metadata";
    return false;
  }
  const std::string engine = Str(parts[0].substr(2));
  bool have_name = false;
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!absl::StartsWith(parts[i], "name=")) {
      *error = absl::StrCat("ERR Invalid metadata value given: ", parts[i]);
      return false;
    }
    if (have_name) {
      *error = "ERR Invalid metadata value, name argument was given multiple times";
      return false;
    }
    *name = Str(parts[i].substr(5));
    have_name = true;
  }
  if (!have_name) {
    *error = "ERR Library name was not given";
    return false;
  }
  if (!ValidLibraryName(*name)) {
    *error =
        "ERR Library names can only contain letters, numbers, or underscores(_) and must be at "
        "least one character long";
    return false;
  }
  if (!absl::EqualsIgnoreCase(engine, "lua")) {
    *error = absl::StrCat("ERR Engine '", engine, "' not found");
    return false;
  }
  return true;
}

}  // namespace

std::string Sha1Hex(std::string_view body) {
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(body.data()), body.size(), digest);
  std::string hex(2 * SHA_DIGEST_LENGTH, '0');
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < SHA_DIGEST_LENGTH; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 15];
  }
  return hex;
}

bool ParseEvalShebang(std::string_view body, bool* has_shebang, uint32_t* flags,
                      std::string* error) {
  *has_shebang = false;
  *flags = 0;
  if (body.size() < 2 || body[0] != '#' || body[1] != '!') return true;
  *has_shebang = true;
  if (body.find('\n') == std::string_view::npos) {
    *error = "ERR Invalid script shebang";
    return false;
  }
  const std::string_view line = FirstLine(body);
  std::vector<absl::string_view> parts =
      absl::StrSplit(absl::string_view(line.data(), line.size()), ' ', absl::SkipEmpty());
  if (parts.empty() || parts[0] != "#!lua") {
    *error = absl::StrCat("ERR Unexpected engine in script shebang: ",
                          parts.empty() ? absl::string_view("#!") : parts[0]);
    return false;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (!absl::StartsWith(parts[i], "flags=")) {
      *error = absl::StrCat("ERR Unknown lua shebang option: ", parts[i]);
      return false;
    }
    for (absl::string_view f : absl::StrSplit(parts[i].substr(6), ',', absl::SkipEmpty())) {
      uint32_t flag = 0;
      if (!ParseScriptFlag(std::string_view(f.data(), f.size()), &flag)) {
        *error = absl::StrCat("ERR Unexpected flag in script shebang: ", f);
        return false;
      }
      *flags |= flag;
    }
  }
  return true;
}

ScriptEngine::ScriptEngine() = default;
ScriptEngine::~ScriptEngine() = default;

LuaRuntime& ScriptEngine::Runtime() {
  if (runtime_ == nullptr) runtime_ = std::make_unique<LuaRuntime>();
  return *runtime_;
}

bool ScriptEngine::LoadScript(std::string_view body, std::string* sha, std::string* error) {
  *sha = Sha1Hex(body);
  absl::MutexLock lock(&mu_);
  if (scripts_.contains(*sha)) return true;
  CachedScript cached;
  if (!ParseEvalShebang(body, &cached.has_shebang, &cached.flags, error)) return false;
  if (!Runtime().CompileScript(body, *sha, error)) return false;
  scripts_.emplace(*sha, cached);
  PublishCounts();
  return true;
}

bool ScriptEngine::ScriptExists(std::string_view sha) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(sha.data(), sha.size()));
  absl::MutexLock lock(&mu_);
  return scripts_.contains(lower);
}

bool ScriptEngine::ScriptFlags(std::string_view sha, bool* has_shebang, uint32_t* flags) {
  const std::string lower = absl::AsciiStrToLower(absl::string_view(sha.data(), sha.size()));
  absl::MutexLock lock(&mu_);
  auto it = scripts_.find(lower);
  if (it == scripts_.end()) return false;
  *has_shebang = it->second.has_shebang;
  *flags = it->second.flags;
  return true;
}

void ScriptEngine::FlushScripts() {
  absl::MutexLock lock(&mu_);
  scripts_.clear();
  if (runtime_ != nullptr) runtime_->DropScripts();
  PublishCounts();
}

bool ScriptEngine::LoadLibrary(std::string_view code, bool replace, ScriptHost* log_host,
                               std::string* name, std::string* error) {
  if (!ParseLibraryShebang(code, name, error)) return false;
  absl::MutexLock lock(&mu_);
  auto existing = libraries_.find(*name);
  if (existing != libraries_.end() && !replace) {
    *error = absl::StrCat("ERR Library '", *name, "' already exists");
    return false;
  }
  LibraryInfo info;
  info.name = *name;
  info.code = std::string(code);
  LuaRuntime& rt = Runtime();
  if (!rt.LoadLibrary(code, log_host, &info.functions, error, kLoadTimeoutMs)) return false;
  for (const FunctionDef& f : info.functions) {
    auto other = functions_.find(f.name);
    if (other != functions_.end() && other->second != *name) {
      rt.DiscardLoaded();
      *error = absl::StrCat("ERR Function ", f.name, " already exists");
      return false;
    }
  }
  if (existing != libraries_.end()) {
    for (const FunctionDef& f : existing->second.functions) functions_.erase(f.name);
  }
  for (const FunctionDef& f : info.functions) functions_[f.name] = *name;
  rt.CommitLibrary(*name);
  libraries_[*name] = std::move(info);
  PublishCounts();
  return true;
}

bool ScriptEngine::DeleteLibrary(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = libraries_.find(name);
  if (it == libraries_.end()) return false;
  for (const FunctionDef& f : it->second.functions) functions_.erase(f.name);
  libraries_.erase(it);
  if (runtime_ != nullptr) runtime_->DropLibrary(name);
  PublishCounts();
  return true;
}

void ScriptEngine::FlushLibraries() {
  absl::MutexLock lock(&mu_);
  libraries_.clear();
  functions_.clear();
  if (runtime_ != nullptr) runtime_->DropLibraries();
  PublishCounts();
}

std::vector<LibraryInfo> ScriptEngine::Libraries() {
  absl::MutexLock lock(&mu_);
  std::vector<LibraryInfo> out;
  out.reserve(libraries_.size());
  for (const auto& [name, info] : libraries_) out.push_back(info);
  return out;
}

bool ScriptEngine::FindFunction(std::string_view name, std::string* library, uint32_t* flags) {
  absl::MutexLock lock(&mu_);
  auto it = functions_.find(std::string(name));
  if (it == functions_.end()) return false;
  *library = it->second;
  *flags = 0;
  for (const FunctionDef& f : libraries_.find(it->second)->second.functions) {
    if (f.name == name) *flags = f.flags;
  }
  return true;
}

void ScriptEngine::Run(const RunInfo& run, ScriptHost& host, protocol::ReplyEncoder& out) {
  absl::MutexLock lock(&mu_);
  {
    absl::MutexLock state(&state_mu_);
    run_eval_ = run.eval;
    run_wrote_ = false;
    run_start_ms_ = NowMs();
    run_thread_ = std::this_thread::get_id();
    run_name_ = std::string(run.name);
    run_command_.assign(run.command.begin(), run.command.end());
    kill_.store(false, std::memory_order_release);
    running_.store(true, std::memory_order_release);
  }
  LuaRuntime::Run r{.eval = run.eval,
                    .name = run.name,
                    .library = run.library,
                    .keys = run.keys,
                    .args = run.args};
  Runtime().Execute(r, host, out);
  PublishCounts();
  absl::MutexLock state(&state_mu_);
  running_.store(false, std::memory_order_release);
  kill_.store(false, std::memory_order_release);
}

bool ScriptEngine::WaitUntilIdle(int64_t threshold_ms, bool* eval) {
  absl::MutexLock state(&state_mu_);
  if (!running_.load(std::memory_order_acquire)) return true;
  if (run_thread_ == std::this_thread::get_id()) return true;
  const int64_t deadline_ms = run_start_ms_ + threshold_ms;
  auto idle = [this]() ABSL_SHARED_LOCKS_REQUIRED(state_mu_) {
    return !running_.load(std::memory_order_acquire);
  };
  while (!idle()) {
    const int64_t left = deadline_ms - NowMs();
    if (left <= 0) {
      *eval = run_eval_;
      return false;
    }
    state_mu_.AwaitWithTimeout(absl::Condition(&idle), absl::Milliseconds(left));
  }
  return true;
}

std::string ScriptEngine::Kill(bool eval) {
  absl::MutexLock state(&state_mu_);
  if (!running_.load(std::memory_order_acquire)) {
    return "NOTBUSY No scripts in execution right now.";
  }
  if (run_wrote_) {
    return "UNKILLABLE Sorry the script already executed write commands against the dataset. You "
           "can either wait the script termination or kill the server in a hard way using the "
           "SHUTDOWN NOSAVE command.";
  }
  if (eval && !run_eval_) {
    return "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN "
           "NOSAVE.";
  }
  if (!eval && run_eval_) {
    return "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN "
           "NOSAVE.";
  }
  kill_.store(true, std::memory_order_release);
  return "";
}

bool ScriptEngine::Abort() {
  absl::MutexLock state(&state_mu_);
  if (!running_.load(std::memory_order_acquire)) return false;
  kill_.store(true, std::memory_order_release);
  return true;
}

void ScriptEngine::NoteWrite() {
  absl::MutexLock state(&state_mu_);
  run_wrote_ = true;
}

bool ScriptEngine::RunningScriptWrote() {
  absl::MutexLock lock(&state_mu_);
  return running_.load(std::memory_order_acquire) && run_wrote_;
}

ScriptEngine::Stats ScriptEngine::RunningStats() {
  absl::MutexLock state(&state_mu_);
  Stats stats;
  stats.running = running_.load(std::memory_order_acquire);
  if (stats.running) {
    stats.name = run_name_;
    stats.command = run_command_;
    stats.duration_ms = NowMs() - run_start_ms_;
  }
  return stats;
}

}  // namespace ringkv::server::scripting
