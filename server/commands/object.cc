// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// OBJECT (ENCODING, FREQ, IDLETIME, REFCOUNT, HELP) and MEMORY (USAGE, STATS, DOCTOR, PURGE,
// MALLOC-STATS, HELP). Both are Redis 7 container commands: the subcommand decides the arity
// ("wrong number of arguments for 'object|encoding' command") and an unknown one gets "unknown
// subcommand". The command table has no subcommand entries, so the handlers check that
// themselves.
#include <climits>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/strings/str_format.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/process_stats.h"
#include "server/server_context.h"

namespace ringkv::server::cmd {

namespace {

constexpr std::string_view kObjectHelp[] = {
    "ENCODING <key>",
    "    Return the kind of internal representation used in order to store the value",
    "    associated with a <key>.",
    "FREQ <key>",
    "    Return the access frequency index of the <key>. The returned integer is",
    "    proportional to the logarithm of the recent access frequency of the key.",
    "IDLETIME <key>",
    "    Return the idle time of the <key>, that is the approximated number of",
    "    seconds elapsed since the last access to the key.",
    "REFCOUNT <key>",
    "    Return the number of references of the value associated with the specified",
    "    <key>.",
};

constexpr std::string_view kMemoryHelp[] = {
    "DOCTOR",
    "    Return memory problems reports.",
    "MALLOC-STATS",
    "    Return internal statistics report from the memory allocator.",
    "PURGE",
    "    Attempt to purge dirty pages for reclamation by the allocator.",
    "STATS",
    "    Return information about the memory usage of the server.",
    "USAGE <key> [SAMPLES <count>]",
    "    Return memory in bytes used by <key> and its value. Nested values are",
    "    sampled up to <count> times (default: 5, 0 means sample all).",
};

// Redis shares one object for the integers 0..9999 (OBJ_SHARED_INTEGERS) and reports the shared
// object's refcount, INT_MAX. ringkv stores every value once; it reports what Redis would.
int64_t RefCount(CommandContext& ctx, std::string_view key, engine::Encoding encoding) {
  if (encoding != engine::Encoding::kInt) return 1;
  int64_t value = -1;
  ctx.engine.Get(ctx.client.db, key, [&](std::string_view v) {
    if (!ParseInt64(v, &value)) value = -1;
  });
  return value >= 0 && value < 10000 ? INT_MAX : 1;
}

void ObjectKey(CommandContext& ctx, std::string_view sub, std::string_view key) {
  engine::OpResult<engine::ObjectInfo> info = ctx.engine.GetObjectInfo(ctx.client.db, key);
  if (!info.ok()) {
    ctx.reply.Null();
  } else if (Is(sub, "ENCODING")) {
    ctx.reply.Bulk(engine::EncodingName(info->encoding));
  } else if (Is(sub, "IDLETIME")) {
    // The slot holds either the LRU clock or LFU data (engine/access_tracking.h).
    if (info->lfu) {
      ctx.reply.Error(errors::kLfuSelected);
    } else {
      ctx.reply.Integer(info->idle_seconds);
    }
  } else if (Is(sub, "REFCOUNT")) {
    ctx.reply.Integer(RefCount(ctx, key, info->encoding));
  } else if (info->lfu) {  // FREQ
    ctx.reply.Integer(info->freq);
  } else {
    ctx.reply.Error(errors::kLfuNotSelected);
  }
}

void Object(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  if (Is(sub, "HELP")) {
    if (args.size() != 2) {
      ctx.reply.Error(errors::WrongArity("object|help"));
      return;
    }
    ReplyHelp(ctx, "OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kObjectHelp);
    return;
  }
  for (std::string_view name : {"encoding", "freq", "idletime", "refcount"}) {
    if (!Is(sub, name)) continue;
    if (args.size() != 3) {
      ctx.reply.Error(errors::WrongArity(std::string("object|").append(name)));
      return;
    }
    ObjectKey(ctx, sub, args[2]);
    return;
  }
  ctx.reply.Error(errors::UnknownSubcommand(sub, "object"));
}

// MEMORY USAGE key [SAMPLES count]: values are not sampled (sizes are exact), but the option is
// validated as Redis validates it.
void MemoryUsage(CommandContext& ctx, Args args) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (Is(args[i], "SAMPLES") && i + 1 < args.size()) {
      int64_t samples;
      if (!ParseInt64(args[++i], &samples)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (samples < 0) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  engine::OpResult<size_t> usage = ctx.engine.MemoryUsage(ctx.client.db, args[2]);
  if (usage.ok()) {
    ctx.reply.Integer(static_cast<int64_t>(*usage));
  } else {
    ctx.reply.Null();
  }
}

// MEMORY STATS: Redis's field names for what ringkv measures. Keys are counted over every
// database; "dataset" is the engine's accounted data (entries, values, tables, expiry indexes).
void MemoryStats(CommandContext& ctx) {
  engine::EngineStats e = ctx.engine.Stats();
  const int64_t used = static_cast<int64_t>(e.used_memory);
  const int64_t keys = static_cast<int64_t>(e.keys);
  const int64_t rss = RssBytes();
  std::optional<AllocatorStats> alloc = GetAllocatorStats();
  ctx.reply.MapHeader(alloc.has_value() ? 10 : 7);
  ctx.reply.Bulk("total.allocated");
  ctx.reply.Integer(used);
  ctx.reply.Bulk("keys.count");
  ctx.reply.Integer(keys);
  ctx.reply.Bulk("keys.bytes-per-key");
  ctx.reply.Integer(keys > 0 ? used / keys : 0);
  ctx.reply.Bulk("dataset.bytes");
  ctx.reply.Integer(used);
  ctx.reply.Bulk("expires.count");
  ctx.reply.Integer(static_cast<int64_t>(e.expires));
  ctx.reply.Bulk("rss.bytes");
  ctx.reply.Integer(rss);
  if (alloc.has_value()) {
    ctx.reply.Bulk("allocator.allocated");
    ctx.reply.Integer(alloc->allocated);
    ctx.reply.Bulk("allocator.active");
    ctx.reply.Integer(alloc->active);
    ctx.reply.Bulk("allocator.resident");
    ctx.reply.Integer(alloc->resident);
  }
  ctx.reply.Bulk("fragmentation");
  ctx.reply.Double(used > 0 ? static_cast<double>(rss) / static_cast<double>(used) : 0.0);
}

void MemoryDoctor(CommandContext& ctx) {
  engine::EngineStats e = ctx.engine.Stats();
  const int64_t used = static_cast<int64_t>(e.used_memory);
  const int64_t rss = RssBytes();
  std::string text;
  if (used < 5 * 1024 * 1024) {
    text = "The data set is under 5 MB, too small for a meaningful memory report.\n";
  } else if (static_cast<double>(rss) > 1.4 * static_cast<double>(used)) {
    text = absl::StrFormat(
        "High RSS to data ratio: the process holds %d bytes for %d bytes of data (%.2fx). "
        "Memory freed by deletes and table resizes is returned to the OS within about a "
        "second; MEMORY PURGE does it at once. A lasting ratio points at fragmentation from "
        "mixed value sizes.\n",
        rss, used, static_cast<double>(rss) / static_cast<double>(used));
  } else {
    text = "No memory issue found: the process holds no more than 1.4x its data set.\n";
  }
  ctx.reply.Verbatim("txt", text);
}

void Memory(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  if (Is(sub, "HELP")) {
    if (args.size() != 2) {
      ctx.reply.Error(errors::WrongArity("memory|help"));
      return;
    }
    ReplyHelp(ctx, "MEMORY <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kMemoryHelp);
  } else if (Is(sub, "USAGE")) {
    if (args.size() < 3) {
      ctx.reply.Error(errors::WrongArity("memory|usage"));
      return;
    }
    MemoryUsage(ctx, args);
  } else if (Is(sub, "STATS") && args.size() == 2) {
    MemoryStats(ctx);
  } else if (Is(sub, "DOCTOR") && args.size() == 2) {
    MemoryDoctor(ctx);
  } else if (Is(sub, "PURGE") && args.size() == 2) {
    // As Redis: OK whether or not the allocator could purge.
    PurgeAllocator();
    ctx.reply.Ok();
  } else if (Is(sub, "MALLOC-STATS") && args.size() == 2) {
    std::optional<std::string> text = AllocatorStatsText();
    ctx.reply.Verbatim("txt", text.value_or("Stats not supported for the current allocator"));
  } else {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "memory"));
  }
}

}  // namespace

void RegisterObjectCommands(CommandTable& table) {
  // Container commands: Redis lists no flags, keys or categories but @slow at this level.
  table.Add({.name = "object",
             .arity = -2,
             .acl_categories = "@slow",
             .group = "generic",
             .since = "2.2.3",
             .summary = "A container for commands that inspect how a key's value is stored.",
             .handler = Object});
  table.Add({.name = "memory",
             .arity = -2,
             .acl_categories = "@slow",
             .group = "server",
             .since = "4.0.0",
             .summary = "A container for memory diagnostics commands.",
             .handler = Memory});
}

}  // namespace ringkv::server::cmd
