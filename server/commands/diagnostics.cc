// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Operator diagnostics: SLOWLOG, LATENCY, DEBUG (the subset test tools and operators use), TIME
// and LASTSAVE. The recording side of SLOWLOG and LATENCY is in the dispatcher; the stores are
// server/slowlog.h.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/engine.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/persistence/persistence.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

std::string UnknownSub(std::string_view sub, std::string_view command) {
  return absl::StrCat("ERR unknown subcommand '", Sv(sub), "'. Try ", Sv(command), " HELP.");
}

// ---- SLOWLOG ---------------------------------------------------------------------------------

void SlowlogCommand(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  if (Is(sub, "HELP") && args.size() == 2) {
    static constexpr std::string_view kLines[] = {
        "GET [<count>]",
        "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
        "    Entries are made of:",
        "    id, timestamp, time in microseconds, arguments array, client IP and port,",
        "    client name",
        "LEN",
        "    Return the length of the slowlog.",
        "RESET",
        "    Reset the slowlog.",
    };
    cmd::ReplyHelp(ctx, "SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
  } else if (Is(sub, "RESET") && args.size() == 2) {
    ctx.server.slowlog.Reset();
    ctx.reply.Ok();
  } else if (Is(sub, "LEN") && args.size() == 2) {
    ctx.reply.Integer(static_cast<int64_t>(ctx.server.slowlog.Len()));
  } else if (Is(sub, "GET") && (args.size() == 2 || args.size() == 3)) {
    int64_t count = 10;
    if (args.size() == 3) {
      if (!cmd::ParseInt64(args[2], &count)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (count < -1) {
        ctx.reply.Error("ERR count should be greater than or equal to -1");
        return;
      }
    }
    std::vector<SlowlogEntry> entries = ctx.server.slowlog.Get(count);
    ctx.reply.ArrayHeader(entries.size());
    for (const SlowlogEntry& e : entries) {
      ctx.reply.ArrayHeader(6);
      ctx.reply.Integer(e.id);
      ctx.reply.Integer(e.unix_seconds);
      ctx.reply.Integer(e.usec);
      ctx.reply.ArrayHeader(e.args.size());
      for (const std::string& a : e.args) ctx.reply.Bulk(a);
      ctx.reply.Bulk(e.peer);
      ctx.reply.Bulk(e.name);
    }
  } else {
    ctx.reply.Error(UnknownSub(sub, "SLOWLOG"));
  }
}

// ---- LATENCY ---------------------------------------------------------------------------------

void LatencyDoctor(CommandContext& ctx) {
  auto events = ctx.server.latency.Events();
  std::string text;
  if (events.empty()) {
    text = ctx.server.live.latency_monitor_threshold_ms.load() == 0
               ? "I'm sorry, Dave, I can't do that. Latency monitoring is disabled in this "
                 "ringkv instance. You may use \"CONFIG SET latency-monitor-threshold "
                 "<milliseconds>.\" in order to enable it.\n"
               : "Dave, no latency spike was observed during the lifetime of this ringkv "
                 "instance, not in the slightest bit.\n";
  } else {
    text = "Latency events observed:\n";
    int n = 1;
    for (const auto& [name, e] : events) {
      int64_t sum = 0;
      for (const auto& s : e.samples) sum += s.ms;
      absl::StrAppend(&text, n++, ". ", name, ": ", e.samples.size(), " latency spikes (average ",
                      e.samples.empty() ? 0 : sum / static_cast<int64_t>(e.samples.size()),
                      "ms, worst ", e.max_ms, "ms).\n");
    }
    absl::StrAppend(&text,
                    "\nAdvice: look at SLOWLOG GET for the slow commands, and prefer SCAN, "
                    "UNLINK and smaller MULTI/EXEC batches over whole-keyspace commands.\n");
  }
  ctx.reply.Verbatim("txt", text);
}

void LatencyCommand(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  if (Is(sub, "HELP") && args.size() == 2) {
    static constexpr std::string_view kLines[] = {
        "DOCTOR",
        "    Return a human readable latency analysis report.",
        "GRAPH <event>",
        "    Return an ASCII latency graph for the <event> class.",
        "HISTORY <event>",
        "    Return time-latency samples for the <event> class.",
        "LATEST",
        "    Return the latest latency samples for all events.",
        "RESET [<event> ...]",
        "    Reset latency data of one or more <event> classes.",
        "    (default: reset all data for all event classes)",
        "HISTOGRAM [COMMAND ...]",
        "    Return a cumulative distribution of latencies in the format of a histogram for "
        "the specified command names.",
        "    If no commands are specified then all histograms are replied.",
    };
    cmd::ReplyHelp(ctx, "LATENCY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
  } else if (Is(sub, "LATEST") && args.size() == 2) {
    auto events = ctx.server.latency.Events();
    ctx.reply.ArrayHeader(events.size());
    for (const auto& [name, e] : events) {
      ctx.reply.ArrayHeader(4);
      ctx.reply.Bulk(name);
      ctx.reply.Integer(e.samples.empty() ? 0 : e.samples.back().unix_seconds);
      ctx.reply.Integer(e.samples.empty() ? 0 : e.samples.back().ms);
      ctx.reply.Integer(e.max_ms);
    }
  } else if (Is(sub, "HISTORY") && args.size() == 3) {
    auto events = ctx.server.latency.Events();
    auto it = events.find(std::string(args[2]));
    if (it == events.end()) {
      ctx.reply.ArrayHeader(0);
      return;
    }
    ctx.reply.ArrayHeader(it->second.samples.size());
    for (const auto& s : it->second.samples) {
      ctx.reply.ArrayHeader(2);
      ctx.reply.Integer(s.unix_seconds);
      ctx.reply.Integer(s.ms);
    }
  } else if (Is(sub, "RESET")) {
    ctx.reply.Integer(static_cast<int64_t>(ctx.server.latency.Reset(args.subspan(2))));
  } else if (Is(sub, "DOCTOR") && args.size() == 2) {
    LatencyDoctor(ctx);
  } else if ((Is(sub, "GRAPH") && args.size() == 3) || Is(sub, "HISTOGRAM")) {
    // Not kept: ringkv records no per-command latency histograms and draws no graphs.
    ctx.reply.Error(absl::StrCat("ERR LATENCY ", absl::AsciiStrToUpper(Sv(sub)),
                                 " is not supported by ringkv"));
  } else {
    ctx.reply.Error(UnknownSub(sub, "LATENCY"));
  }
}

// ---- DEBUG -----------------------------------------------------------------------------------

bool IsLocalClient(const ClientState& client) {
  if (client.info == nullptr) return true;  // in-process
  const std::string& a = client.info->addr;
  return a.rfind("127.", 0) == 0 || a.rfind("::1", 0) == 0 || a.rfind("/", 0) == 0;
}

void DebugPopulate(CommandContext& ctx, Args args) {
  int64_t count = 0;
  if (!cmd::ParseInt64(args[2], &count) || count < 0) {
    ctx.reply.Error("ERR value is out of range, must be positive");
    return;
  }
  std::string_view prefix = args.size() > 3 ? args[3] : std::string_view("key");
  int64_t size = 0;
  if (args.size() > 4 && (!cmd::ParseInt64(args[4], &size) || size < 0)) {
    ctx.reply.Error("ERR value is out of range, must be positive");
    return;
  }
  engine::SetParams nx;
  nx.condition = engine::SetParams::Condition::kIfAbsent;
  for (int64_t i = 0; i < count; ++i) {
    std::string key = absl::StrCat(Sv(prefix), ":", i);
    std::string value = absl::StrCat("value:", i);
    // As Redis: a given size pads with NUL bytes or cuts the "value:N" text.
    if (size > 0) value.resize(static_cast<size_t>(size), '\0');
    ctx.engine.Set(ctx.client.db, key, value, nx);
  }
  ctx.reply.Ok();
}

// DEBUG RELOAD: SAVE, FLUSHALL and a load of what was saved (tests of the snapshot format).
void DebugReload(CommandContext& ctx) {
  persistence::Persistence* p = ctx.server.persistence;
  if (p == nullptr) {
    ctx.reply.Error("ERR snapshots are not available in this server");
    return;
  }
  if (ctx.client.in_exec) {  // EXEC holds shard locks a snapshot must take
    ctx.reply.Error("ERR DEBUG RELOAD is not allowed inside a transaction");
    return;
  }
  if (absl::Status s = p->Save(); !s.ok()) {
    ctx.reply.Error(absl::StrCat("ERR Error trying to save the snapshot: ", s.message()));
    return;
  }
  ctx.engine.FlushAll(/*async=*/false);
  if (absl::Status s = p->Load(); !s.ok()) {
    ctx.server.loading.store(false);  // serve the (empty) data set rather than refuse everything
    ctx.reply.Error(absl::StrCat("ERR Error trying to load the snapshot: ", s.message()));
    return;
  }
  ctx.reply.Ok();
}

void Debug(CommandContext& ctx, Args args) {
  int mode = ctx.server.live.enable_debug_command.load();
  if (mode == 0 || (mode == 2 && !IsLocalClient(ctx.client))) {
    ctx.reply.Error(
        "ERR DEBUG command not allowed. If the enable-debug-command option is set to \"local\", "
        "you can run it from a local connection, otherwise you need to set this option in the "
        "configuration file, and then restart the server.");
    return;
  }
  std::string_view sub = args[1];
  if (Is(sub, "HELP") && args.size() == 2) {
    static constexpr std::string_view kLines[] = {
        "OBJECT <key>",
        "    Show low level info about the `key` and associated value.",
        "POPULATE <count> [<prefix>] [<size>]",
        "    Create <count> string keys named key:<num>. If <prefix> is specified then",
        "    it is used instead of the 'key' prefix. These are not propagated to",
        "    replicas. Cluster slots are not respected so keys not belonging to the",
        "    current node can be created in cluster mode.",
        "SET-ACTIVE-EXPIRE <0|1>",
        "    Setting it to 0 disables expiring keys in background when they are not",
        "    accessed (otherwise the Redis behavior). Setting it to 1 reenables back the",
        "    default.",
        "RELOAD",
        "    Save the snapshot on disk, empty the data set and load the snapshot back.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
    };
    cmd::ReplyHelp(ctx, "DEBUG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
  } else if (Is(sub, "SLEEP") && args.size() == 3) {
    long double seconds = 0;
    if (!engine::ParseLongDouble(args[2], &seconds) || seconds < 0) {
      ctx.reply.Error(errors::kNotFloat);
      return;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(seconds * 1e6L)));
    ctx.reply.Ok();
  } else if (Is(sub, "OBJECT") && args.size() == 3) {
    engine::OpResult<engine::ObjectInfo> info = ctx.engine.GetObjectInfo(ctx.client.db, args[2]);
    if (!info.ok()) {
      ctx.reply.Error(errors::kNoSuchKey);
      return;
    }
    engine::OpResult<size_t> bytes = ctx.engine.MemoryUsage(ctx.client.db, args[2]);
    // serializedlength: ringkv reports the value's memory usage (no RDB encoding exists).
    ctx.reply.SimpleString(absl::StrFormat(
        "Value at:0x0 refcount:1 encoding:%s serializedlength:%d lru:0 lru_seconds_idle:%d",
        Sv(engine::EncodingName(info->encoding)), bytes.ok() ? *bytes : 0, info->idle_seconds));
  } else if (Is(sub, "RELOAD") && args.size() == 2) {
    DebugReload(ctx);
  } else if (Is(sub, "POPULATE") && args.size() >= 3 && args.size() <= 5) {
    DebugPopulate(ctx, args);
  } else if (Is(sub, "SET-ACTIVE-EXPIRE") && args.size() == 3) {
    int64_t on = 0;
    if (!cmd::ParseInt64(args[2], &on)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    ctx.server.live.active_expire_enabled = on != 0;
    ctx.reply.Ok();
  } else {
    ctx.reply.Error(UnknownSub(sub, "DEBUG"));
  }
}

// ---- TIME --------------------------------------------------------------------------

void Time(CommandContext& ctx, Args) {
  int64_t us = std::chrono::duration_cast<std::chrono::microseconds>(
                   std::chrono::system_clock::now().time_since_epoch())
                   .count();
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(absl::StrCat(us / 1000000));
  ctx.reply.Bulk(absl::StrCat(us % 1000000));
}

}  // namespace

void RegisterDiagnosticCommands(CommandTable& table) {
  table.Add({.name = "slowlog",
             .arity = -2,
             .flags = kAdmin | kLoading | kStale,
             .acl_categories = "@admin @slow @dangerous",
             .tips = "request_policy:all_nodes nondeterministic_output",
             .group = "server",
             .since = "2.2.12",
             .summary = "A container for slow log commands.",
             .handler = SlowlogCommand});
  table.Add({.name = "latency",
             .arity = -2,
             .flags = kAdmin | kNoscript | kLoading | kStale,
             .acl_categories = "@admin @slow @dangerous",
             .tips = "nondeterministic_output request_policy:all_nodes",
             .group = "server",
             .since = "2.8.13",
             .summary = "A container for latency diagnostics commands.",
             .handler = LatencyCommand});
  table.Add({.name = "debug",
             .arity = -2,
             .flags = kAdmin | kNoscript | kLoading | kStale,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "1.0.0",
             .summary = "A container for debugging commands.",
             .handler = Debug});
  table.Add({.name = "time",
             .arity = 1,
             .flags = kLoading | kStale | kFast,
             .acl_categories = "@fast",
             .tips = "nondeterministic_output",
             .group = "server",
             .since = "2.6.0",
             .summary = "Returns the server time.",
             .handler = Time});
}

}  // namespace ringkv::server
