// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Scripting (Redis's "scripting" group): EVAL, EVALSHA, EVAL_RO, EVALSHA_RO, SCRIPT, FCALL,
// FCALL_RO and FUNCTION. The interpreter, the caches and the run state are in
// server/scripting/; this file parses the commands, checks what Redis checks before a script
// runs, and serves redis.call (ScriptCaller).
//
// Atomicity: a script takes an engine::KeyLock over every shard of every database before it
// starts and holds it to the end, so no other client observes it half done, whichever keys it
// touches, declared or not (scripts in the wild touch undeclared keys; they are not refused).
// Other clients wait meanwhile; past busy-reply-threshold they get -BUSY instead (dispatcher).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "engine/glob.h"
#include "engine/key_lock.h"
#include "protocol/output_buffer.h"
#include "server/acl.h"
#include "server/cluster_routing.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/memory_limit.h"
#include "server/persistence/persistence.h"
#include "server/scripting/script_engine.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using scripting::ScriptEngine;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr std::string_view kRoWithWriteFlag =
    "ERR Can not execute a script with write flag using *_ro command.";

bool WritesRefusedByDisk(const ServerContext& server) {
  return server.persistence != nullptr && server.persistence->last_bgsave_failed() &&
         server.live.stop_writes_on_bgsave_error.load(std::memory_order_relaxed) &&
         server.persistence->has_rules();
}

// Serves redis.call/pcall and the rest of ScriptHost for one script run, on behalf of the client
// that started it.
class ScriptCaller final : public scripting::ScriptHost {
 public:
  // declared_slot: the hash slot of the script's declared keys in cluster mode (-1: none).
  ScriptCaller(CommandContext& ctx, bool read_only, bool allow_oom, bool oom_at_start,
               bool allow_cross_slot, int declared_slot)
      : ctx_(ctx),
        read_only_(read_only),
        allow_oom_(allow_oom),
        oom_at_start_(oom_at_start),
        allow_cross_slot_(allow_cross_slot),
        slot_(declared_slot) {
    // The script's own client: the caller's database and user; SELECT inside the script does
    // not change the caller's database. Blocking commands never block in a script.
    // The caller's user moves to the script's client for the run (the caller runs nothing
    // meanwhile) and back afterwards.
    client_.db = ctx.client.db;
    client_.acl_user = std::move(ctx.client.acl_user);
    client_.authenticated = true;
    client_.in_exec = true;
    client_.in_script = true;
    client_.name = ctx.client.name;
  }
  ~ScriptCaller() override { ctx_.client.acl_user = std::move(client_.acl_user); }
  ScriptCaller(const ScriptCaller&) = delete;
  ScriptCaller& operator=(const ScriptCaller&) = delete;

  bool Call(std::span<const std::string_view> args, bool resp3, std::string* reply,
            std::string* error) override {
    const CommandSpec* spec = ctx_.server.commands->Find(args[0]);
    if (!Check(spec, args, error)) {
      // Counted as Redis counts a refused command (INFO errorstats / commandstats).
      const size_t commands = ctx_.server.commands->all().size();
      if (spec != nullptr) {
        ctx_.server.command_stats.RecordRejected(
            static_cast<size_t>(spec - ctx_.server.commands->all().data()), commands);
      }
      std::string_view code = "ERR";
      if (!error->empty() && (*error)[0] == '-') {
        code = std::string_view(*error).substr(1, error->find(' ') - 1);
      }
      ctx_.server.command_stats.RecordError(code, commands);
      return false;
    }
    if ((spec->flags & kWrite) != 0 && !dirty_) {
      dirty_ = true;
      ctx_.server.scripts.NoteWrite();
    }
    protocol::OutputBuffer buffer;
    const protocol::RespVersion version =
        resp3 ? protocol::RespVersion::kResp3 : protocol::RespVersion::kResp2;
    protocol::ReplyEncoder encoder(&buffer, version);
    client_.resp = version;
    Execute(ctx_.server, client_, encoder, *spec, args);
    *reply = buffer.ToString();
    return true;
  }

  // Redis's checks before a command (`spec`, null if unknown) runs from a script (scriptCall);
  // false with *error.
  bool Check(const CommandSpec* spec, std::span<const std::string_view> args, std::string* error) {
    ServerContext& server = ctx_.server;
    if (spec == nullptr) {
      *error = "Unknown Redis command called from script";
      return false;
    }
    if (!ArityOk(*spec, args.size())) {
      *error = "Wrong number of args calling Redis command from script";
      return false;
    }
    if (spec->flags & kNoscript) {
      *error = "This Redis command is not allowed from script";
      return false;
    }
    if (std::string denied; !AclAllows(server, client_, *spec, args, &denied)) {
      *error = ScriptAclError(denied);
      return false;
    }
    const bool write = (spec->flags & kWrite) != 0;
    if (write && read_only_) {
      *error = "Write commands are not allowed from read-only scripts.";
      return false;
    }
    if (write && !dirty_ && WritesRefusedByDisk(server)) {
      *error = "-" + std::string(errors::kMisconf);
      return false;
    }
    // Past maxmemory, a script may not start growing the dataset; once it wrote, it may finish.
    if (!allow_oom_ && !dirty_ && oom_at_start_ && (spec->flags & kDenyOom) != 0) {
      *error = "-" + std::string(errors::kOom);
      return false;
    }
    // Cluster mode: only keys this node serves, all in one slot unless the script says
    // allow-cross-slot-keys (Redis's scriptVerifyClusterState). The script holds every shard.
    if (server.cluster.enabled() && RoutedByKeys(*spec)) {
      std::optional<engine::KeyLock> lock;
      const Route route = RouteCommand(server, client_, *spec, args, ctx_.client.asking, &lock);
      if (route.kind == Route::kDownReadOnly) {
        *error =
            "Script attempted to execute a write command while the cluster is down and "
            "readonly";
        return false;
      }
      if (route.kind == Route::kDown) {
        *error = "Script attempted to execute a command while the cluster is down";
        return false;
      }
      if (route.kind != Route::kLocal) {
        *error = "Script attempted to access a non local key in a cluster node";
        return false;
      }
      if (route.slot != -1 && !allow_cross_slot_) {
        if (slot_ == -1) {
          slot_ = route.slot;
        } else if (slot_ != route.slot) {
          *error = "Script attempted to access keys that do not hash to the same slot";
          return false;
        }
      }
    }
    return true;
  }

  bool AclCheck(std::span<const std::string_view> args, bool* allowed,
                std::string* error) override {
    const CommandSpec* spec = ctx_.server.commands->Find(args[0]);
    if (spec == nullptr || !ArityOk(*spec, args.size())) {
      *error = "Invalid command passed to redis.acl_check_cmd()";
      return false;
    }
    std::string denied;
    *allowed = AclAllows(ctx_.server, client_, *spec, args, &denied);
    return true;
  }

  void Log(int level, std::string_view message) override {
    ringkv::server::Log(static_cast<LogLevel>(level), std::string(message));
  }

  bool Interrupted() override { return ctx_.server.scripts.kill_requested(); }

 private:
  // Redis words an ACL refusal inside a script as "The user executing the script <reason>",
  // with getAclErrorMessage's reasons.
  static std::string ScriptAclError(std::string_view denied) {
    if (denied.find("keys") != std::string_view::npos) {
      return "The user executing the script can't access at least one of the keys mentioned in "
             "the command arguments";
    }
    if (denied.find("channels") != std::string_view::npos) {
      return "The user executing the script can't publish to the channel mentioned in the "
             "command";
    }
    return "The user executing the script can't run this command or subcommand";
  }

  CommandContext& ctx_;
  const bool read_only_;
  const bool allow_oom_;
  const bool oom_at_start_;
  const bool allow_cross_slot_;
  int slot_;
  bool dirty_ = false;
  ClientState client_;
};

// Parses numkeys (argument 2) and checks it against the arguments that follow.
bool ParseNumKeys(CommandContext& ctx, Args args, std::string_view not_integer, size_t* numkeys) {
  int64_t n = 0;
  if (!cmd::ParseInt64(args[2], &n)) {
    ctx.reply.Error(not_integer);
    return false;
  }
  if (n < 0) {
    ctx.reply.Error("ERR Number of keys can't be negative");
    return false;
  }
  if (static_cast<uint64_t>(n) > args.size() - 3) {
    ctx.reply.Error("ERR Number of keys can't be greater than number of args");
    return false;
  }
  *numkeys = static_cast<size_t>(n);
  return true;
}

bool OverMaxmemory(ServerContext& server) {
  return server.live.maxmemory.load(std::memory_order_relaxed) > 0 && !EnforceMaxmemory(server);
}

// Runs a script or function after Redis's pre-run checks (scriptPrepareForRun). `declared`:
// the script declares its flags (a shebang, or any function); undeclared EVAL scripts run in
// Redis's compatibility mode, where the checks happen per command instead.
void RunScript(CommandContext& ctx, const ScriptEngine::RunInfo& info, bool declared,
               uint32_t flags, bool ro) {
  const bool no_writes = (flags & scripting::kScriptNoWrites) != 0;
  if (declared && (flags & scripting::kScriptNoCluster) != 0 && ctx.server.cluster.enabled()) {
    ctx.reply.Error("ERR Can not run script on cluster, 'no-cluster' flag is set.");
    return;
  }
  const bool oom = OverMaxmemory(ctx.server);
  if (declared && !no_writes) {
    if (WritesRefusedByDisk(ctx.server)) {
      ctx.reply.Error(
          "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to "
          "persist to disk. Writable scripts are blocked. Use 'no-writes' flag for read only "
          "scripts.");
      return;
    }
    if (ro) {
      ctx.reply.Error(kRoWithWriteFlag);
      return;
    }
  }
  if (declared && oom && (flags & (scripting::kScriptAllowOom | scripting::kScriptNoWrites)) == 0) {
    ctx.reply.Error(
        "OOM allow-oom flag is not set on the script, can not run it when used memory > "
        "'maxmemory'");
    return;
  }
  engine::KeyLock lock(ctx.engine, engine::KeyLock::AllTag{});
  const int declared_slot =
      ctx.server.cluster.enabled() && !info.keys.empty() ? cluster::KeySlot(info.keys.front()) : -1;
  ScriptCaller caller(ctx, ro || no_writes, (flags & scripting::kScriptAllowOom) != 0, oom,
                      (flags & scripting::kScriptAllowCrossSlot) != 0, declared_slot);
  ctx.server.scripts.Run(info, caller, ctx.reply);
}

void EvalGeneric(CommandContext& ctx, Args args, bool by_sha, bool ro) {
  size_t numkeys = 0;
  if (!ParseNumKeys(ctx, args, errors::kNotInteger, &numkeys)) return;
  ScriptEngine& scripts = ctx.server.scripts;
  std::string sha;
  if (by_sha) {
    sha = absl::AsciiStrToLower(absl::string_view(args[1].data(), args[1].size()));
  } else if (std::string error; !scripts.LoadScript(args[1], &sha, &error)) {
    ctx.reply.Error(error);
    return;
  }
  bool has_shebang = false;
  uint32_t flags = 0;
  if (sha.size() != 40 || !scripts.ScriptFlags(sha, &has_shebang, &flags)) {
    ctx.reply.Error("NOSCRIPT No matching script. Please use EVAL.");
    return;
  }
  ScriptEngine::RunInfo info{.eval = true,
                             .name = sha,
                             .library = {},
                             .command = args,
                             .keys = args.subspan(3, numkeys),
                             .args = args.subspan(3 + numkeys)};
  RunScript(ctx, info, has_shebang, flags, ro);
}

void Eval(CommandContext& ctx, Args args) { EvalGeneric(ctx, args, false, false); }
void EvalSha(CommandContext& ctx, Args args) { EvalGeneric(ctx, args, true, false); }
void EvalRo(CommandContext& ctx, Args args) { EvalGeneric(ctx, args, false, true); }
void EvalShaRo(CommandContext& ctx, Args args) { EvalGeneric(ctx, args, true, true); }

void FCallGeneric(CommandContext& ctx, Args args, bool ro) {
  std::string library;
  uint32_t flags = 0;
  if (!ctx.server.scripts.FindFunction(args[1], &library, &flags)) {
    ctx.reply.Error("ERR Function not found");
    return;
  }
  size_t numkeys = 0;
  if (!ParseNumKeys(ctx, args, "ERR Bad number of keys provided", &numkeys)) return;
  ScriptEngine::RunInfo info{.eval = false,
                             .name = args[1],
                             .library = library,
                             .command = args,
                             .keys = args.subspan(3, numkeys),
                             .args = args.subspan(3 + numkeys)};
  RunScript(ctx, info, true, flags, ro);
}

void FCall(CommandContext& ctx, Args args) { FCallGeneric(ctx, args, false); }
void FCallRo(CommandContext& ctx, Args args) { FCallGeneric(ctx, args, true); }

// SCRIPT FLUSH / FUNCTION FLUSH's optional ASYNC|SYNC (both free at once here).
bool FlushMode(Args args) {
  return args.size() == 2 || (args.size() == 3 && (Is(args[2], "async") || Is(args[2], "sync")));
}

struct Subcommand {
  std::string_view name;
  int arity;  // Redis's, counting the container and the subcommand
};

// Redis's subcommand lookup: false after answering an unknown subcommand or a wrong number of
// arguments, in Redis's words. `container` is "script" or "function".
bool CheckSubcommand(CommandContext& ctx, Args args, std::string_view container,
                     std::span<const Subcommand> subcommands) {
  for (const Subcommand& s : subcommands) {
    if (!Is(args[1], s.name)) continue;
    const bool ok = s.arity >= 0 ? args.size() == static_cast<size_t>(s.arity)
                                 : args.size() >= static_cast<size_t>(-s.arity);
    if (!ok) ctx.reply.Error(errors::WrongArity(absl::StrCat(Sv(container), "|", Sv(s.name))));
    return ok;
  }
  ctx.reply.Error(errors::UnknownSubcommand(args[1], container));
  return false;
}

constexpr Subcommand kScriptSubcommands[] = {{"debug", 3}, {"exists", -3}, {"flush", -2},
                                             {"help", 2},  {"kill", 2},    {"load", 3}};
constexpr Subcommand kFunctionSubcommands[] = {{"delete", 3}, {"dump", 2},     {"flush", -2},
                                               {"help", 2},   {"kill", 2},     {"list", -2},
                                               {"load", -3},  {"restore", -3}, {"stats", 2}};

void Script(CommandContext& ctx, Args args) {
  if (!CheckSubcommand(ctx, args, "script", kScriptSubcommands)) return;
  ScriptEngine& scripts = ctx.server.scripts;
  const std::string_view sub = args[1];
  if (Is(sub, "load")) {
    std::string sha;
    if (std::string error; !scripts.LoadScript(args[2], &sha, &error)) {
      ctx.reply.Error(error);
      return;
    }
    ctx.reply.Bulk(sha);
  } else if (Is(sub, "exists")) {
    ctx.reply.ArrayHeader(args.size() - 2);
    for (size_t i = 2; i < args.size(); ++i) ctx.reply.Integer(scripts.ScriptExists(args[i]));
  } else if (Is(sub, "flush")) {
    if (!FlushMode(args)) {
      ctx.reply.Error("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
      return;
    }
    scripts.FlushScripts();
    ctx.reply.Ok();
  } else if (Is(sub, "kill")) {
    const std::string error = scripts.Kill(true);
    if (error.empty()) {
      ctx.reply.Ok();
    } else {
      ctx.reply.Error(error);
    }
  } else if (Is(sub, "debug")) {
    ctx.reply.Error("ERR SCRIPT DEBUG is not supported by ringkv");
  } else {  // help
    static constexpr std::string_view kLines[] = {
        "DEBUG (YES|SYNC|NO)",
        "    Not supported by ringkv (Redis's Lua debugger).",
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
    };
    cmd::ReplyHelp(ctx, "SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
  }
}

void FunctionLoad(CommandContext& ctx, Args args) {
  bool replace = false;
  size_t i = 2;
  for (; i + 1 < args.size(); ++i) {
    if (!Is(args[i], "replace")) {
      ctx.reply.Error(absl::StrCat("ERR Unknown option given: ",
                                   absl::string_view(args[i].data(), args[i].size())));
      return;
    }
    replace = true;
  }
  if (i >= args.size()) {
    ctx.reply.Error("ERR Function code is missing");
    return;
  }
  std::string name;
  std::string error;
  ScriptCaller logger(ctx, true, false, false, false, -1);
  if (!ctx.server.scripts.LoadLibrary(args[i], replace, &logger, &name, &error)) {
    ctx.reply.Error(error);
    return;
  }
  ctx.reply.Bulk(name);
}

void FunctionList(CommandContext& ctx, Args args) {
  bool with_code = false;
  std::string_view pattern;
  bool has_pattern = false;
  for (size_t i = 2; i < args.size(); ++i) {
    if (Is(args[i], "withcode") && !with_code) {
      with_code = true;
    } else if (Is(args[i], "libraryname") && !has_pattern) {
      if (i + 1 >= args.size()) {
        ctx.reply.Error("ERR library name argument was not given");
        return;
      }
      pattern = args[++i];
      has_pattern = true;
    } else {
      ctx.reply.Error(
          absl::StrCat("ERR Unknown argument ", absl::string_view(args[i].data(), args[i].size())));
      return;
    }
  }
  std::vector<scripting::LibraryInfo> libraries = ctx.server.scripts.Libraries();
  if (has_pattern) {
    std::erase_if(libraries, [&](const scripting::LibraryInfo& l) {
      return !engine::GlobMatch(pattern, l.name, /*nocase=*/true);
    });
  }
  protocol::ReplyEncoder& r = ctx.reply;
  r.ArrayHeader(libraries.size());
  for (const scripting::LibraryInfo& lib : libraries) {
    r.MapHeader(with_code ? 4 : 3);
    r.Bulk("library_name");
    r.Bulk(lib.name);
    r.Bulk("engine");
    r.Bulk("LUA");
    r.Bulk("functions");
    r.ArrayHeader(lib.functions.size());
    for (const scripting::FunctionDef& f : lib.functions) {
      r.MapHeader(3);
      r.Bulk("name");
      r.Bulk(f.name);
      r.Bulk("description");
      if (f.has_description) {
        r.Bulk(f.description);
      } else {
        r.Null();
      }
      r.Bulk("flags");
      const std::vector<std::string_view> names = scripting::ScriptFlagNames(f.flags);
      r.SetHeader(names.size());
      for (std::string_view n : names) r.SimpleString(n);
    }
    if (with_code) {
      r.Bulk("library_code");
      r.Bulk(lib.code);
    }
  }
}

void FunctionStats(CommandContext& ctx) {
  ScriptEngine& scripts = ctx.server.scripts;
  const ScriptEngine::Stats stats = scripts.RunningStats();
  protocol::ReplyEncoder& r = ctx.reply;
  r.MapHeader(2);
  r.Bulk("running_script");
  if (stats.running) {
    r.MapHeader(3);
    r.Bulk("name");
    r.Bulk(stats.name);
    r.Bulk("command");
    r.ArrayHeader(stats.command.size());
    for (const std::string& arg : stats.command) r.Bulk(arg);
    r.Bulk("duration_ms");
    r.Integer(stats.duration_ms);
  } else {
    r.Null();
  }
  r.Bulk("engines");
  r.MapHeader(1);
  r.Bulk("LUA");
  r.MapHeader(2);
  r.Bulk("libraries_count");
  r.Integer(static_cast<int64_t>(scripts.library_count()));
  r.Bulk("functions_count");
  r.Integer(static_cast<int64_t>(scripts.function_count()));
}

void Function(CommandContext& ctx, Args args) {
  if (!CheckSubcommand(ctx, args, "function", kFunctionSubcommands)) return;
  ScriptEngine& scripts = ctx.server.scripts;
  const std::string_view sub = args[1];
  if (Is(sub, "load")) {
    FunctionLoad(ctx, args);
  } else if (Is(sub, "delete")) {
    if (!scripts.DeleteLibrary(args[2])) {
      ctx.reply.Error("ERR Library not found");
      return;
    }
    ctx.reply.Ok();
  } else if (Is(sub, "flush")) {
    if (args.size() > 3) {  // Redis's addReplySubcommandSyntaxError
      ctx.reply.Error(absl::StrCat("ERR unknown subcommand or wrong number of arguments for '",
                                   absl::string_view(args[1].data(), args[1].size()),
                                   "'. Try FUNCTION HELP."));
      return;
    }
    if (!FlushMode(args)) {
      ctx.reply.Error("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
      return;
    }
    scripts.FlushLibraries();
    ctx.reply.Ok();
  } else if (Is(sub, "list")) {
    FunctionList(ctx, args);
  } else if (Is(sub, "kill")) {
    const std::string error = scripts.Kill(false);
    if (error.empty()) {
      ctx.reply.Ok();
    } else {
      ctx.reply.Error(error);
    }
  } else if (Is(sub, "stats")) {
    FunctionStats(ctx);
  } else if (Is(sub, "dump") || Is(sub, "restore")) {
    ctx.reply.Error(
        "ERR FUNCTION DUMP and RESTORE are not supported by ringkv; copy libraries with "
        "FUNCTION LIST WITHCODE and FUNCTION LOAD");
  } else {  // help
    static constexpr std::string_view kLines[] = {
        "LOAD [REPLACE] <FUNCTION CODE>",
        "    Create a new library with the given library name and code.",
        "DELETE <LIBRARY NAME>",
        "    Delete the given library.",
        "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
        "    Return general information on all the libraries:",
        "    * Library name",
        "    * The engine used to run the Library",
        "    * Library description",
        "    * Functions list",
        "    * Library code (if WITHCODE is given)",
        "    It also possible to get only function that matches a pattern using LIBRARYNAME "
        "argument.",
        "STATS",
        "    Return information about the current function running:",
        "    * Function name",
        "    * Command used to run the function",
        "    * Duration in MS that the function is running",
        "    If no function is running, return nil",
        "    In addition, returns a list of available engines.",
        "KILL",
        "    Kill the current running function.",
        "FLUSH [ASYNC|SYNC]",
        "    Delete all the libraries.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the libraries.",
        "    * SYNC: Synchronously flush the libraries.",
        "DUMP",
        "    Not supported by ringkv.",
        "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
        "    Not supported by ringkv.",
    };
    cmd::ReplyHelp(ctx,
                   "FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
  }
}

// EVAL* and FCALL*: the keys follow numkeys (argument 2).
void ScriptKeys(Args args, std::vector<size_t>* out) {
  int64_t n = 0;
  if (args.size() < 3 || !cmd::ParseInt64(args[2], &n) || n <= 0) return;
  for (int64_t i = 0; i < n && static_cast<size_t>(3 + i) < args.size(); ++i) {
    out->push_back(static_cast<size_t>(3 + i));
  }
}

}  // namespace

bool IsScriptCommand(std::string_view lower_name) {
  return lower_name == "eval" || lower_name == "evalsha" || lower_name == "eval_ro" ||
         lower_name == "evalsha_ro" || lower_name == "fcall" || lower_name == "fcall_ro";
}

void RegisterScriptingCommands(CommandTable& table) {
  constexpr uint32_t kRun = kNoscript | kStale | kMovableKeys;
  struct Runner {
    std::string_view name;
    std::string_view since;
    std::string_view summary;
    CommandHandler handler;
    bool ro;
  };
  const Runner runners[] = {
      {"eval", "2.6.0", "Executes a server-side Lua script.", Eval, false},
      {"evalsha", "2.6.0", "Executes a server-side Lua script by SHA1 digest.", EvalSha, false},
      {"eval_ro", "7.0.0", "Executes a read-only server-side Lua script.", EvalRo, true},
      {"evalsha_ro", "7.0.0", "Executes a read-only server-side Lua script by SHA1 digest.",
       EvalShaRo, true},
      {"fcall", "7.0.0", "Invokes a function.", FCall, false},
      {"fcall_ro", "7.0.0", "Invokes a read-only function.", FCallRo, true},
  };
  for (const Runner& r : runners) {
    table.Add({.name = r.name,
               .arity = -3,
               .flags = kRun | (r.ro ? static_cast<uint32_t>(kReadonly) : 0u),
               .acl_categories = "@slow @scripting",
               .key_spec_flags = r.ro ? "RO access" : "RW access update",
               .key_spec_notes = r.ro ? std::string_view()
                                      : "We cannot tell how the keys will be used so we assume "
                                        "the worst, RW and UPDATE",
               .group = "scripting",
               .since = r.since,
               .summary = r.summary,
               .handler = r.handler,
               .get_keys = ScriptKeys});
  }
  table.Add({.name = "script",
             .arity = -2,
             .flags = kNoscript | kStale,
             .acl_categories = "@slow @scripting",
             .group = "scripting",
             .since = "2.6.0",
             .summary = "A container for Lua scripts management commands.",
             .handler = Script});
  table.Add({.name = "function",
             .arity = -2,
             .flags = kNoscript,
             .acl_categories = "@slow @scripting",
             .group = "scripting",
             .since = "7.0.0",
             .summary = "A container for function commands.",
             .handler = Function});
}

}  // namespace ringkv::server
