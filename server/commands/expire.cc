// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Key expiry commands: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (with Redis 7's NX/XX/GT/LT), TTL,
// PTTL, EXPIRETIME, PEXPIRETIME, PERSIST. Argument checks run in Redis 7.0's expire.c order:
// options, then the time, then its overflow, then the key. A key expires once now > its time,
// so TTL reports 0 (not -2) in its last millisecond.
#include <cstdint>
#include <string>

#include "engine/key_lock.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server::cmd {

namespace {

using engine::ExpireCondition;
using engine::OpStatus;

struct ExpireOptions {
  bool nx = false, xx = false, gt = false, lt = false;
};

// Redis's parseExtendedExpireArgumentsOrReply: any order, repeats allowed, then the conflicts.
bool ParseExpireOptions(CommandContext& ctx, Args args, ExpireOptions* o) {
  for (size_t i = 3; i < args.size(); ++i) {
    if (Is(args[i], "NX")) {
      o->nx = true;
    } else if (Is(args[i], "XX")) {
      o->xx = true;
    } else if (Is(args[i], "GT")) {
      o->gt = true;
    } else if (Is(args[i], "LT")) {
      o->lt = true;
    } else {
      std::string error(errors::kUnsupportedOptionPrefix);
      error.append(args[i]);
      ctx.reply.Error(error);
      return false;
    }
  }
  if (o->nx && (o->xx || o->gt || o->lt)) {
    ctx.reply.Error(errors::kExpireNxConflict);
    return false;
  }
  if (o->gt && o->lt) {
    ctx.reply.Error(errors::kExpireGtLtConflict);
    return false;
  }
  return true;
}

// XX with LT needs both checks (LT alone accepts a key without TTL); the engine takes one
// condition, so the TTL is read and the expire set under one KeyLock, which keeps it atomic.
OpStatus ExpireXxLt(CommandContext& ctx, std::string_view key, int64_t at_ms) {
  std::string_view keys[] = {key};
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  if (ctx.engine.ExpireTimeMs(ctx.client.db, key) < 0) return OpStatus::kSkipped;
  return ctx.engine.Expire(ctx.client.db, key, at_ms, ExpireCondition::kLt);
}

void ExpireGeneric(CommandContext& ctx, Args args, std::string_view name, bool seconds,
                   bool relative) {
  ExpireOptions o;
  if (!ParseExpireOptions(ctx, args, &o)) return;
  int64_t value;
  if (!ParseInt64(args[2], &value)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  // Negative times are allowed (they delete the key); only overflow is refused.
  const int64_t now = ctx.engine.clock().NowMs();
  engine::OpResult<int64_t> at = engine::ToAbsoluteMs(value, seconds, relative, now);
  if (!at.ok()) {
    ctx.reply.Error(InvalidExpire(name));
    return;
  }
  OpStatus st;
  if (o.xx && o.lt) {
    st = ExpireXxLt(ctx, args[1], *at);
  } else {
    // XX with GT is GT: a key without TTL never passes GT.
    ExpireCondition cond = o.nx   ? ExpireCondition::kNx
                           : o.gt ? ExpireCondition::kGt
                           : o.lt ? ExpireCondition::kLt
                           : o.xx ? ExpireCondition::kXx
                                  : ExpireCondition::kAlways;
    st = ctx.engine.Expire(ctx.client.db, args[1], *at, cond);
  }
  if (st == OpStatus::kOk) {
    // A time not in the future deleted the key: Redis announces "del", else "expire".
    NotifyKeyspaceEvent(ctx.server.pubsub, kNotifyGeneric, *at <= now ? "del" : "expire",
                        ctx.client.db, args[1]);
  }
  ctx.reply.Integer(st == OpStatus::kOk ? 1 : 0);
}

void Expire(CommandContext& ctx, Args args) { ExpireGeneric(ctx, args, "expire", true, true); }
void PExpire(CommandContext& ctx, Args args) { ExpireGeneric(ctx, args, "pexpire", false, true); }
void ExpireAt(CommandContext& ctx, Args args) { ExpireGeneric(ctx, args, "expireat", true, false); }
void PExpireAt(CommandContext& ctx, Args args) {
  ExpireGeneric(ctx, args, "pexpireat", false, false);
}

// Seconds are rounded to the nearest, as Redis's ttlGenericCommand does for TTL and EXPIRETIME.
int64_t MsToSeconds(int64_t ms) { return ms < 0 ? ms : (ms + 500) / 1000; }

void Ttl(CommandContext& ctx, Args args) {
  ctx.reply.Integer(MsToSeconds(ctx.engine.PTtl(ctx.client.db, args[1])));
}
void PTtl(CommandContext& ctx, Args args) {
  ctx.reply.Integer(ctx.engine.PTtl(ctx.client.db, args[1]));
}
void ExpireTime(CommandContext& ctx, Args args) {
  ctx.reply.Integer(MsToSeconds(ctx.engine.ExpireTimeMs(ctx.client.db, args[1])));
}
void PExpireTime(CommandContext& ctx, Args args) {
  ctx.reply.Integer(ctx.engine.ExpireTimeMs(ctx.client.db, args[1]));
}

void Persist(CommandContext& ctx, Args args) {
  const bool done = ctx.engine.Persist(ctx.client.db, args[1]) == OpStatus::kOk;
  if (done) {
    NotifyKeyspaceEvent(ctx.server.pubsub, kNotifyGeneric, "persist", ctx.client.db, args[1]);
  }
  ctx.reply.Integer(done ? 1 : 0);
}

void AddKeyCommand(CommandTable& table, std::string_view name, int arity, uint32_t flags,
                   std::string_view key_flags, std::string_view since, std::string_view summary,
                   CommandHandler handler) {
  const bool write = flags & kWrite;
  const bool ttl = name == "ttl" || name == "pttl";
  table.Add({.name = name,
             .arity = arity,
             .flags = flags,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = write ? "@keyspace @write @fast" : "@keyspace @read @fast",
             .tips = ttl ? "nondeterministic_output" : std::string_view(),
             .key_spec_flags = key_flags,
             .group = "generic",
             .since = since,
             .summary = summary,
             .handler = handler});
}

}  // namespace

void RegisterExpireCommands(CommandTable& table) {
  // Facts as Redis 7.0.15's COMMAND INFO reports them.
  constexpr uint32_t kWF = kWrite | kFast;
  constexpr uint32_t kRF = kReadonly | kFast;
  AddKeyCommand(table, "expire", -3, kWF, "RW update", "1.0.0",
                "Sets a key's time to live in seconds.", Expire);
  AddKeyCommand(table, "pexpire", -3, kWF, "RW update", "2.6.0",
                "Sets a key's time to live in milliseconds.", PExpire);
  AddKeyCommand(table, "expireat", -3, kWF, "RW update", "1.2.0",
                "Sets a key's expiration to a Unix time in seconds.", ExpireAt);
  AddKeyCommand(table, "pexpireat", -3, kWF, "RW update", "2.6.0",
                "Sets a key's expiration to a Unix time in milliseconds.", PExpireAt);
  AddKeyCommand(table, "expiretime", 2, kRF, "RO access", "7.0.0",
                "Returns a key's expiration as a Unix time in seconds.", ExpireTime);
  AddKeyCommand(table, "pexpiretime", 2, kRF, "RO access", "7.0.0",
                "Returns a key's expiration as a Unix time in milliseconds.", PExpireTime);
  AddKeyCommand(table, "ttl", 2, kRF, "RO access", "1.0.0",
                "Returns a key's remaining time to live in seconds.", Ttl);
  AddKeyCommand(table, "pttl", 2, kRF, "RO access", "2.6.0",
                "Returns a key's remaining time to live in milliseconds.", PTtl);
  AddKeyCommand(table, "persist", 2, kWF, "RW update", "2.2.0", "Removes a key's expiration time.",
                Persist);
}

}  // namespace ringkv::server::cmd
