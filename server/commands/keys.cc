// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Generic keyspace commands (Redis's "generic" group, plus DBSIZE/SWAPDB/FLUSHDB/FLUSHALL of its
// "server" group): DEL, UNLINK, EXISTS, TOUCH, TYPE, RENAME, RENAMENX, COPY, MOVE, SWAPDB, DBSIZE,
// FLUSHDB, FLUSHALL, RANDOMKEY. The EXPIRE family, SCAN/KEYS and OBJECT/MEMORY live in expire.cc,
// scan.cc and object.cc; RegisterKeyCommands() registers them too.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/key_lock.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using engine::OpStatus;

// Keyspace events (notify-keyspace-events), with Redis 7.0's names; one relaxed load when off.
void Notify(CommandContext& ctx, int db, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, kNotifyGeneric, event, db, key);
}

// DEL / UNLINK. Redis announces "del" for each key removed, which the engine's multi-key call does
// not name; with those events on, the keys are removed one by one under one KeyLock (still
// atomic) and announced once the lock is released.
void DelGeneric(CommandContext& ctx, Args args, bool async) {
  const int db = ctx.client.db;
  Args keys = args.subspan(1);
  if ((ctx.server.pubsub.notify_flags() & kNotifyGeneric) == 0) {
    size_t n = async ? ctx.engine.Unlink(db, keys) : ctx.engine.Del(db, keys);
    ctx.reply.Integer(static_cast<int64_t>(n));
    return;
  }
  std::vector<std::string_view> removed;
  {
    engine::KeyLock lock(ctx.engine, db, keys);
    for (std::string_view key : keys) {
      const bool gone = async
                            ? ctx.engine.Unlink(db, std::span<const std::string_view>(&key, 1)) > 0
                            : ctx.engine.Del(db, key);
      if (gone) removed.push_back(key);
    }
  }
  for (std::string_view key : removed) Notify(ctx, db, "del", key);
  ctx.reply.Integer(static_cast<int64_t>(removed.size()));
}

void Del(CommandContext& ctx, Args args) { DelGeneric(ctx, args, /*async=*/false); }
void Unlink(CommandContext& ctx, Args args) { DelGeneric(ctx, args, /*async=*/true); }

// EXISTS and TOUCH count a key once per time it is named, as Redis does.
void Exists(CommandContext& ctx, Args args) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.engine.Exists(ctx.client.db, args.subspan(1))));
}

void Touch(CommandContext& ctx, Args args) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.engine.Touch(ctx.client.db, args.subspan(1))));
}

void Type(CommandContext& ctx, Args args) {
  ctx.reply.SimpleString(engine::TypeName(ctx.engine.Type(ctx.client.db, args[1])));
}

void RenameGeneric(CommandContext& ctx, Args args, bool nx) {
  OpStatus st = ctx.engine.Rename(ctx.client.db, args[1], args[2], nx);
  // Renaming a key onto itself does nothing, and Redis announces nothing.
  if (st == OpStatus::kOk && args[1] != args[2]) {
    Notify(ctx, ctx.client.db, "rename_from", args[1]);
    Notify(ctx, ctx.client.db, "rename_to", args[2]);
  }
  switch (st) {
    case OpStatus::kOk:
      if (nx) {
        ctx.reply.Integer(1);
      } else {
        ctx.reply.Ok();
      }
      break;
    case OpStatus::kSkipped:
      ctx.reply.Integer(0);
      break;
    default:
      ctx.reply.Error(errors::OpStatusMessage(st));
  }
}
void Rename(CommandContext& ctx, Args args) { RenameGeneric(ctx, args, false); }
void RenameNx(CommandContext& ctx, Args args) { RenameGeneric(ctx, args, true); }

// A database index argument: an integer (else "not an integer"), within int (else Redis's
// getIntFromObject range error), naming a database (else "DB index is out of range").
bool ParseDb(CommandContext& ctx, std::string_view arg, int* db) {
  int64_t v;
  if (!cmd::ParseInt64(arg, &v)) {
    ctx.reply.Error(errors::kNotInteger);
    return false;
  }
  if (!cmd::ParseInt32(arg, db)) {
    ctx.reply.Error(errors::kIntOutOfRange);
    return false;
  }
  if (*db < 0 || *db >= ctx.engine.databases()) {
    ctx.reply.Error(errors::kInvalidDb);
    return false;
  }
  return true;
}

// COPY source destination [DB destination-db] [REPLACE]
void Copy(CommandContext& ctx, Args args) {
  int dst_db = ctx.client.db;
  bool replace = false;
  for (size_t i = 3; i < args.size(); ++i) {
    if (Is(args[i], "REPLACE")) {
      replace = true;
    } else if (Is(args[i], "DB") && i + 1 < args.size()) {
      if (!ParseDb(ctx, args[++i], &dst_db)) return;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  if (ctx.server.cluster.enabled() && (ctx.client.db != 0 || dst_db != 0)) {
    ctx.reply.Error("ERR Copying to another database is not allowed in cluster mode");
    return;
  }
  // Redis refuses a copy onto itself before it looks for the source.
  OpStatus st = ctx.engine.Copy(ctx.client.db, args[1], dst_db, args[2], replace);
  if (st == OpStatus::kOk) Notify(ctx, dst_db, "copy_to", args[2]);
  if (st == OpStatus::kOk || st == OpStatus::kSkipped || st == OpStatus::kNotFound) {
    ctx.reply.Integer(st == OpStatus::kOk ? 1 : 0);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// MOVE key db: the same database is an error even when the key does not exist.
void Move(CommandContext& ctx, Args args) {
  if (ctx.server.cluster.enabled()) {
    ctx.reply.Error("ERR MOVE is not allowed in cluster mode");
    return;
  }
  int dst_db;
  if (!ParseDb(ctx, args[2], &dst_db)) return;
  OpStatus st = ctx.engine.Move(ctx.client.db, args[1], dst_db);
  if (st == OpStatus::kOk) {
    Notify(ctx, ctx.client.db, "move_from", args[1]);
    Notify(ctx, dst_db, "move_to", args[1]);
  }
  if (st == OpStatus::kOk || st == OpStatus::kSkipped || st == OpStatus::kNotFound) {
    ctx.reply.Integer(st == OpStatus::kOk ? 1 : 0);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

void SwapDb(CommandContext& ctx, Args args) {
  if (ctx.server.cluster.enabled()) {
    ctx.reply.Error("ERR SWAPDB is not allowed in cluster mode");
    return;
  }
  int a, b;
  if (!cmd::ParseInt32(args[1], &a)) {
    ctx.reply.Error(errors::kInvalidFirstDb);
    return;
  }
  if (!cmd::ParseInt32(args[2], &b)) {
    ctx.reply.Error(errors::kInvalidSecondDb);
    return;
  }
  OpStatus st = ctx.engine.SwapDb(a, b);
  if (st == OpStatus::kOk) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

void DbSize(CommandContext& ctx, Args) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.engine.DbSize(ctx.client.db)));
}

// FLUSHDB/FLUSHALL [ASYNC | SYNC]. Without an argument the flush is synchronous (Redis's
// lazyfree-lazy-user-flush default).
bool ParseFlushMode(CommandContext& ctx, Args args, bool* async) {
  *async = false;
  if (args.size() == 2 && (Is(args[1], "ASYNC") || Is(args[1], "SYNC"))) {
    *async = Is(args[1], "ASYNC");
    return true;
  }
  if (args.size() == 1) return true;
  ctx.reply.Error(errors::kSyntax);
  return false;
}

void FlushDb(CommandContext& ctx, Args args) {
  bool async;
  if (!ParseFlushMode(ctx, args, &async)) return;
  ctx.engine.FlushDb(ctx.client.db, async);
  ctx.reply.Ok();
}

void FlushAll(CommandContext& ctx, Args args) {
  bool async;
  if (!ParseFlushMode(ctx, args, &async)) return;
  ctx.engine.FlushAll(async);
  ctx.reply.Ok();
}

void RandomKey(CommandContext& ctx, Args) {
  std::optional<std::string> key = ctx.engine.RandomKey(ctx.client.db);
  if (key.has_value()) {
    ctx.reply.Bulk(*key);
  } else {
    ctx.reply.Null();
  }
}

}  // namespace

void RegisterKeyCommands(CommandTable& table) {
  // Facts (arity, flags, key specs, categories, tips) as Redis 7.0.15's COMMAND INFO reports them.
  constexpr std::string_view kMultiShardSum = "request_policy:multi_shard response_policy:agg_sum";
  constexpr std::string_view kAllShardsOk =
      "request_policy:all_shards response_policy:all_succeeded";
  auto multi = [&](std::string_view name, uint32_t flags, std::string_view cats,
                   std::string_view key_flags, std::string_view since, std::string_view summary,
                   CommandHandler handler) {
    table.Add({.name = name,
               .arity = -2,
               .flags = flags,
               .first_key = 1,
               .last_key = -1,
               .key_step = 1,
               .acl_categories = cats,
               .tips = kMultiShardSum,
               .key_spec_flags = key_flags,
               .group = "generic",
               .since = since,
               .summary = summary,
               .handler = handler});
  };
  multi("del", kWrite, "@keyspace @write @slow", "RM delete", "1.0.0", "Deletes one or more keys.",
        Del);
  multi("unlink", kWrite | kFast, "@keyspace @write @fast", "RM delete", "4.0.0",
        "Deletes one or more keys, freeing large values in the background.", Unlink);
  multi("exists", kReadonly | kFast, "@keyspace @read @fast", "RO", "1.0.0",
        "Determines whether one or more keys exist.", Exists);
  multi("touch", kReadonly | kFast, "@keyspace @read @fast", "RO", "3.2.1",
        "Updates the last access time of keys and returns how many of them exist.", Touch);
  table.Add({.name = "type",
             .arity = 2,
             .flags = kReadonly | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@keyspace @read @fast",
             .key_spec_flags = "RO",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Returns the type of the value stored at a key.",
             .handler = Type});
  // RENAME, RENAMENX and COPY have two key specs in Redis (source and destination, with different
  // flags); the table holds one spec per command, so it carries the source key's flags.
  table.Add({.name = "rename",
             .arity = 3,
             .flags = kWrite,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .acl_categories = "@keyspace @write @slow",
             .key_spec_flags = "RW access delete",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Renames a key, overwriting the destination.",
             .handler = Rename});
  table.Add({.name = "renamenx",
             .arity = 3,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .acl_categories = "@keyspace @write @fast",
             .key_spec_flags = "RW access delete",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Renames a key only when the destination does not exist.",
             .handler = RenameNx});
  table.Add({.name = "copy",
             .arity = -3,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .acl_categories = "@keyspace @write @slow",
             .key_spec_flags = "RO access",
             .group = "generic",
             .since = "6.2.0",
             .summary = "Copies the value of a key to another key, possibly in another database.",
             .handler = Copy});
  table.Add({.name = "move",
             .arity = 3,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@keyspace @write @fast",
             .key_spec_flags = "RW access update",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Moves a key to another database.",
             .handler = Move});
  table.Add({.name = "swapdb",
             .arity = 3,
             .flags = kWrite | kFast,
             .acl_categories = "@keyspace @write @fast @dangerous",
             .group = "server",
             .since = "4.0.0",
             .summary = "Swaps the contents of two databases.",
             .handler = SwapDb});
  table.Add({.name = "dbsize",
             .arity = 1,
             .flags = kReadonly | kFast,
             .acl_categories = "@keyspace @read @fast",
             .tips = "request_policy:all_shards response_policy:agg_sum",
             .group = "server",
             .since = "1.0.0",
             .summary = "Returns the number of keys in the database.",
             .handler = DbSize});
  table.Add({.name = "flushdb",
             .arity = -1,
             .flags = kWrite,
             .acl_categories = "@keyspace @write @slow @dangerous",
             .tips = kAllShardsOk,
             .group = "server",
             .since = "1.0.0",
             .summary = "Removes every key of the current database.",
             .handler = FlushDb});
  table.Add({.name = "flushall",
             .arity = -1,
             .flags = kWrite,
             .acl_categories = "@keyspace @write @slow @dangerous",
             .tips = kAllShardsOk,
             .group = "server",
             .since = "1.0.0",
             .summary = "Removes every key of every database.",
             .handler = FlushAll});
  table.Add({.name = "randomkey",
             .arity = 1,
             .flags = kReadonly,
             .acl_categories = "@keyspace @read @slow",
             .tips = "request_policy:all_shards nondeterministic_output",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Returns a random key name from the database.",
             .handler = RandomKey});
  cmd::RegisterExpireCommands(table);
  cmd::RegisterScanCommands(table);
  cmd::RegisterObjectCommands(table);
}

}  // namespace ringkv::server
