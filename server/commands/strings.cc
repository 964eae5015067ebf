// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// String commands (Redis's "string" group). Each handler parses its arguments, makes one engine
// call and turns the outcome into Redis's reply. Argument checks run in the order Redis 7.0's
// t_string.c runs them, because that order decides which error a client sees when several
// things are wrong at once (e.g. SET parses every option before it validates the expire time,
// GETEX looks the key up before it does). A refused command changes nothing.
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/key_lock.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace cmd {

std::string InvalidExpire(std::string_view command_name) {
  std::string s(errors::kInvalidExpirePrefix);
  s.append(command_name);
  s.append(errors::kInvalidExpireSuffix);
  return s;
}

}  // namespace cmd

namespace {

using cmd::Args;
using cmd::Is;
using engine::OpStatus;

// The error for an engine outcome of a string command. APPEND/SETRANGE's size limit is worded
// with Redis's "(proto-max-bulk-len)" suffix.
std::string_view StringError(OpStatus st) {
  return st == OpStatus::kTooLarge ? errors::kStringTooLong : errors::OpStatusMessage(st);
}

// Keyspace events (notify-keyspace-events), with Redis 7.0's names; one relaxed load when off.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, type, event, ctx.client.db, key);
}

// The time before a write, read only while events are on: a TTL already past at that time is
// one the engine deleted instead of storing.
int64_t ClockForEvents(CommandContext& ctx) {
  return ctx.server.pubsub.notify_flags() != 0 ? ctx.engine.clock().NowMs() : 0;
}

// A SET-family write: "set", then "expire" when it carried a TTL. A TTL already past stores
// nothing, so its key is announced as "expired" at once (Redis's expire cycle would announce it
// a moment later). `before` is ClockForEvents() from before the write.
void NotifySet(CommandContext& ctx, std::string_view key, int64_t expire_at_ms, int64_t before) {
  Notify(ctx, kNotifyString, "set", key);
  if (expire_at_ms == 0) return;
  Notify(ctx, kNotifyGeneric, "expire", key);
  if (expire_at_ms <= before) Notify(ctx, kNotifyExpired, "expired", key);
}

void ReplyOptional(CommandContext& ctx, const std::optional<std::string>& v) {
  if (v.has_value()) {
    ctx.reply.Bulk(*v);
  } else {
    ctx.reply.Null();
  }
}

void Get(CommandContext& ctx, Args args) {
  OpStatus st = ctx.engine.Get(ctx.client.db, args[1],
                               [&](std::string_view value) { ctx.reply.Bulk(value); });
  if (st == OpStatus::kNotFound) {
    ctx.reply.Null();
  } else if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// Expire units and bases as Redis's parseExtendedStringArgumentsOrReply records them.
enum SetFlag : unsigned {
  kNx = 1,
  kXx = 2,
  kEx = 4,
  kPx = 8,
  kExAt = 16,
  kPxAt = 32,
  kKeepTtl = 64,
  kGetOld = 128,
  kPersist = 256,
};
constexpr unsigned kAnyExpire = kEx | kPx | kExAt | kPxAt;

// Redis's getExpireMillisecondsOrReply: the argument must be a positive integer, and the absolute
// time in ms must not overflow. Replies and returns false on failure.
bool ExpireArgToAbsoluteMs(CommandContext& ctx, std::string_view command, std::string_view arg,
                           unsigned flags, int64_t* at_ms) {
  int64_t value;
  if (!cmd::ParseInt64(arg, &value)) {
    ctx.reply.Error(errors::kNotInteger);
    return false;
  }
  const bool seconds = flags & (kEx | kExAt);
  engine::OpResult<int64_t> ms = OpStatus::kInvalidExpire;
  if (value > 0) {
    ms = engine::ToAbsoluteMs(value, seconds, flags & (kEx | kPx), ctx.engine.clock().NowMs());
  }
  if (!ms.ok() || *ms <= 0) {
    ctx.reply.Error(cmd::InvalidExpire(command));
    return false;
  }
  *at_ms = *ms;
  return true;
}

// SET's and GETEX's options from args[first..]. Syntax is checked for every option before any
// value is parsed, as Redis does; `*expire_arg` is the expire value left to validate.
bool ParseStringOptions(Args args, size_t first, bool is_set, unsigned* flags,
                        std::string_view* expire_arg) {
  for (size_t i = first; i < args.size(); ++i) {
    std::string_view opt = args[i];
    const bool has_next = i + 1 < args.size();
    unsigned f = 0;
    if (is_set && Is(opt, "NX")) {
      f = kNx;
    } else if (is_set && Is(opt, "XX")) {
      f = kXx;
    } else if (is_set && Is(opt, "KEEPTTL")) {
      f = kKeepTtl;
    } else if (is_set && Is(opt, "GET")) {
      f = kGetOld;
    } else if (!is_set && Is(opt, "PERSIST")) {
      f = kPersist;
    } else if (Is(opt, "EX") && has_next) {
      f = kEx;
    } else if (Is(opt, "PX") && has_next) {
      f = kPx;
    } else if (Is(opt, "EXAT") && has_next) {
      f = kExAt;
    } else if (Is(opt, "PXAT") && has_next) {
      f = kPxAt;
    }
    // Repeating an option is allowed (the last expire value wins); combining two of the
    // NX/XX pair or two different TTL options is not.
    const unsigned ttl_like = kAnyExpire | kKeepTtl | kPersist;
    const bool conflict = f == 0 || ((f & kNx) && (*flags & kXx)) ||
                          ((f & kXx) && (*flags & kNx)) ||
                          ((f & ttl_like) && (*flags & ttl_like & ~f));
    if (conflict) return false;
    *flags |= f;
    if (f & kAnyExpire) *expire_arg = args[++i];
  }
  return true;
}

void ReplySetOutcome(CommandContext& ctx, OpStatus st) {
  if (st == OpStatus::kOk) {
    ctx.reply.Ok();
  } else if (st == OpStatus::kSkipped) {
    ctx.reply.Null();
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// SET key value [NX | XX] [GET] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL]
void Set(CommandContext& ctx, Args args) {
  unsigned flags = 0;
  std::string_view expire_arg;
  if (!ParseStringOptions(args, 3, /*is_set=*/true, &flags, &expire_arg)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  engine::SetParams params;
  if ((flags & kAnyExpire) &&
      !ExpireArgToAbsoluteMs(ctx, "set", expire_arg, flags, &params.expire_at_ms)) {
    return;
  }
  if (flags & kNx) params.condition = engine::SetParams::Condition::kIfAbsent;
  if (flags & kXx) params.condition = engine::SetParams::Condition::kIfPresent;
  params.keep_ttl = flags & kKeepTtl;
  const int64_t before = ClockForEvents(ctx);
  if (!(flags & kGetOld)) {
    OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[2], params);
    if (st == OpStatus::kOk) NotifySet(ctx, args[1], params.expire_at_ms, before);
    ReplySetOutcome(ctx, st);
    return;
  }
  // With GET the reply is the old value whether or not NX/XX let the write happen.
  std::optional<std::string> old;
  OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[2], params, &old);
  if (st == OpStatus::kOk) NotifySet(ctx, args[1], params.expire_at_ms, before);
  if (st == OpStatus::kOk || st == OpStatus::kSkipped) {
    ReplyOptional(ctx, old);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

void SetNx(CommandContext& ctx, Args args) {
  engine::SetParams params;
  params.condition = engine::SetParams::Condition::kIfAbsent;
  OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[2], params);
  if (st == OpStatus::kOk) NotifySet(ctx, args[1], 0, 0);
  if (st == OpStatus::kOk || st == OpStatus::kSkipped) {
    ctx.reply.Integer(st == OpStatus::kOk ? 1 : 0);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// SETEX key seconds value / PSETEX key milliseconds value.
void SetExGeneric(CommandContext& ctx, Args args, std::string_view name, unsigned unit) {
  engine::SetParams params;
  if (!ExpireArgToAbsoluteMs(ctx, name, args[2], unit, &params.expire_at_ms)) return;
  const int64_t before = ClockForEvents(ctx);
  OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[3], params);
  if (st == OpStatus::kOk) NotifySet(ctx, args[1], params.expire_at_ms, before);
  ReplySetOutcome(ctx, st);
}
void SetEx(CommandContext& ctx, Args args) { SetExGeneric(ctx, args, "setex", kEx); }
void PSetEx(CommandContext& ctx, Args args) { SetExGeneric(ctx, args, "psetex", kPx); }

void GetSet(CommandContext& ctx, Args args) {
  std::optional<std::string> old;
  OpStatus st = ctx.engine.Set(ctx.client.db, args[1], args[2], engine::SetParams{}, &old);
  if (st == OpStatus::kOk) {
    NotifySet(ctx, args[1], 0, 0);
    ReplyOptional(ctx, old);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

void ReplyValueOrNull(CommandContext& ctx, const engine::OpResult<std::string>& r) {
  if (r.ok()) {
    ctx.reply.Bulk(*r);
  } else if (r.status() == OpStatus::kNotFound) {
    ctx.reply.Null();
  } else {
    ctx.reply.Error(errors::OpStatusMessage(r.status()));
  }
}

void GetDel(CommandContext& ctx, Args args) {
  engine::OpResult<std::string> r = ctx.engine.GetDel(ctx.client.db, args[1]);
  if (r.ok()) Notify(ctx, kNotifyGeneric, "del", args[1]);
  ReplyValueOrNull(ctx, r);
}

// GETEX ... PERSIST announces "persist" only when a TTL was removed, so with events on the TTL is
// read and the value taken under one KeyLock.
engine::OpResult<std::string> GetExPersist(CommandContext& ctx, std::string_view key,
                                           const engine::GetExParams& params) {
  if ((ctx.server.pubsub.notify_flags() & kNotifyGeneric) == 0) {
    return ctx.engine.GetEx(ctx.client.db, key, params);
  }
  std::string_view keys[] = {key};
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  const bool had_ttl = ctx.engine.PTtl(ctx.client.db, key) >= 0;
  engine::OpResult<std::string> r = ctx.engine.GetEx(ctx.client.db, key, params);
  if (r.ok() && had_ttl) Notify(ctx, kNotifyGeneric, "persist", key);
  return r;
}

// GETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST]
void GetEx(CommandContext& ctx, Args args) {
  unsigned flags = 0;
  std::string_view expire_arg;
  if (!ParseStringOptions(args, 2, /*is_set=*/false, &flags, &expire_arg)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  engine::GetExParams params;
  if (flags & kPersist) params.mode = engine::GetExParams::Mode::kPersist;
  if (flags & kAnyExpire) {
    // Redis looks the key up before it validates the time: a missing key answers nil and a key
    // of another type WRONGTYPE even when the time is bad.
    engine::ValueType type = ctx.engine.Type(ctx.client.db, args[1]);
    if (type == engine::ValueType::kNone) {
      ctx.reply.Null();
      return;
    }
    if (type != engine::ValueType::kString) {
      ctx.reply.Error(errors::kWrongType);
      return;
    }
    if (!ExpireArgToAbsoluteMs(ctx, "getex", expire_arg, flags, &params.expire_at_ms)) return;
    params.mode = engine::GetExParams::Mode::kSetExpire;
  }
  if (flags & kPersist) {
    ReplyValueOrNull(ctx, GetExPersist(ctx, args[1], params));
    return;
  }
  const int64_t before = ClockForEvents(ctx);
  engine::OpResult<std::string> r = ctx.engine.GetEx(ctx.client.db, args[1], params);
  if (r.ok() && (flags & kAnyExpire)) {
    // A time already past deleted the key (Redis: "del"); else the TTL was set.
    Notify(ctx, kNotifyGeneric, params.expire_at_ms <= before ? "del" : "expire", args[1]);
  }
  ReplyValueOrNull(ctx, r);
}

void MGet(CommandContext& ctx, Args args) {
  ctx.reply.ArrayHeader(args.size() - 1);
  ctx.engine.MGet(ctx.client.db, args.subspan(1), [&](size_t, std::optional<std::string_view> v) {
    if (v.has_value()) {
      ctx.reply.Bulk(*v);
    } else {
      ctx.reply.Null();
    }
  });
}

// MSET/MSETNX take key/value pairs; an odd count is an arity error, as Redis words it.
bool CollectPairs(CommandContext& ctx, Args args, std::string_view name,
                  std::vector<std::pair<std::string_view, std::string_view>>* kvs) {
  if (args.size() % 2 != 1) {
    ctx.reply.Error(errors::WrongArity(name));
    return false;
  }
  kvs->reserve(args.size() / 2);
  for (size_t i = 1; i + 1 < args.size(); i += 2) kvs->emplace_back(args[i], args[i + 1]);
  return true;
}

void MSet(CommandContext& ctx, Args args) {
  std::vector<std::pair<std::string_view, std::string_view>> kvs;
  if (!CollectPairs(ctx, args, "mset", &kvs)) return;
  ctx.engine.MSet(ctx.client.db, kvs);
  for (const auto& kv : kvs) Notify(ctx, kNotifyString, "set", kv.first);
  ctx.reply.Ok();
}

void MSetNx(CommandContext& ctx, Args args) {
  std::vector<std::pair<std::string_view, std::string_view>> kvs;
  if (!CollectPairs(ctx, args, "msetnx", &kvs)) return;
  const bool done = ctx.engine.MSetNx(ctx.client.db, kvs);
  if (done) {
    for (const auto& kv : kvs) Notify(ctx, kNotifyString, "set", kv.first);
  }
  ctx.reply.Integer(done ? 1 : 0);
}

// INCR, DECR, INCRBY, DECRBY: all announce "incrby".
void ReplyIncr(CommandContext& ctx, std::string_view key, const engine::OpResult<int64_t>& r) {
  if (r.ok()) {
    Notify(ctx, kNotifyString, "incrby", key);
    ctx.reply.Integer(*r);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(r.status()));
  }
}

void Incr(CommandContext& ctx, Args args) {
  ReplyIncr(ctx, args[1], ctx.engine.IncrBy(ctx.client.db, args[1], 1));
}
void Decr(CommandContext& ctx, Args args) {
  ReplyIncr(ctx, args[1], ctx.engine.IncrBy(ctx.client.db, args[1], -1));
}

void IncrBy(CommandContext& ctx, Args args) {
  int64_t delta;
  if (!cmd::ParseInt64(args[2], &delta)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  ReplyIncr(ctx, args[1], ctx.engine.IncrBy(ctx.client.db, args[1], delta));
}

void DecrBy(CommandContext& ctx, Args args) {
  int64_t delta;
  if (!cmd::ParseInt64(args[2], &delta)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  // Redis refuses to negate INT64_MIN before it looks at the key.
  if (delta == std::numeric_limits<int64_t>::min()) {
    ctx.reply.Error(errors::kDecrementOverflow);
    return;
  }
  ReplyIncr(ctx, args[1], ctx.engine.IncrBy(ctx.client.db, args[1], -delta));
}

bool ParseFloatText(std::string_view s, long double* out) {
  return engine::ParseLongDouble(s, out);
}

// Redis checks, in order: the key's type, the stored value, the increment, then the result. The
// checks and the increment run under one KeyLock so that they see the same value.
void IncrByFloat(CommandContext& ctx, Args args) {
  std::string_view keys[] = {args[1]};
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  bool stored_ok = true;
  OpStatus st = ctx.engine.Get(ctx.client.db, args[1], [&](std::string_view v) {
    long double unused;
    stored_ok = ParseFloatText(v, &unused);
  });
  long double delta;
  if (st == OpStatus::kWrongType) {
    ctx.reply.Error(errors::kWrongType);
  } else if (!stored_ok || !ParseFloatText(args[2], &delta)) {
    ctx.reply.Error(errors::kNotFloat);
  } else if (engine::OpResult<std::string> r =
                 ctx.engine.IncrByFloat(ctx.client.db, args[1], delta);
             r.ok()) {
    Notify(ctx, kNotifyString, "incrbyfloat", args[1]);
    ctx.reply.Bulk(*r);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(r.status()));
  }
}

void ReplySize(CommandContext& ctx, const engine::OpResult<size_t>& r) {
  if (r.ok()) {
    ctx.reply.Integer(static_cast<int64_t>(*r));
  } else {
    ctx.reply.Error(StringError(r.status()));
  }
}

void Append(CommandContext& ctx, Args args) {
  engine::OpResult<size_t> r = ctx.engine.Append(ctx.client.db, args[1], args[2]);
  if (r.ok()) Notify(ctx, kNotifyString, "append", args[1]);
  ReplySize(ctx, r);
}

void StrLen(CommandContext& ctx, Args args) {
  ReplySize(ctx, ctx.engine.StrLen(ctx.client.db, args[1]));
}

// GETRANGE key start end (and its old name SUBSTR): both indexes are parsed before the lookup.
void GetRange(CommandContext& ctx, Args args) {
  int64_t start, end;
  if (!cmd::ParseInt64(args[2], &start) || !cmd::ParseInt64(args[3], &end)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  engine::OpResult<std::string> r = ctx.engine.GetRange(ctx.client.db, args[1], start, end);
  if (r.ok()) {
    ctx.reply.Bulk(*r);
  } else {
    ctx.reply.Error(errors::OpStatusMessage(r.status()));
  }
}

void SetRange(CommandContext& ctx, Args args) {
  int64_t offset;
  if (!cmd::ParseInt64(args[2], &offset)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (offset < 0) {
    ctx.reply.Error(errors::kOffsetOutOfRange);
    return;
  }
  engine::OpResult<size_t> r = ctx.engine.SetRange(ctx.client.db, args[1], offset, args[3]);
  // An empty value changes nothing, and Redis announces nothing.
  if (r.ok() && !args[3].empty()) Notify(ctx, kNotifyString, "setrange", args[1]);
  ReplySize(ctx, r);
}

struct StringCommand {
  std::string_view name;
  int arity;
  uint32_t flags;
  int last_key;
  int key_step;
  std::string_view key_spec_flags;
  std::string_view since;
  std::string_view summary;
  CommandHandler handler;
};

}  // namespace

void RegisterStringCommands(CommandTable& table) {
  // Facts (arity, flags, key specs, categories) as Redis 7.0.15's COMMAND INFO reports them.
  constexpr uint32_t kW = kWrite | kDenyOom;
  constexpr uint32_t kWF = kWrite | kDenyOom | kFast;
  constexpr uint32_t kRF = kReadonly | kFast;
  const StringCommand commands[] = {
      {"get", 2, kRF, 1, 1, "RO access", "1.0.0", "Returns the string value of a key.", Get},
      {"setnx", 3, kWF, 1, 1, "OW insert", "1.0.0",
       "Sets the string value of a key only when the key does not exist.", SetNx},
      {"setex", 4, kW, 1, 1, "OW update", "2.0.0",
       "Sets the string value and the expiration time, in seconds, of a key.", SetEx},
      {"psetex", 4, kW, 1, 1, "OW update", "2.6.0",
       "Sets the string value and the expiration time, in milliseconds, of a key.", PSetEx},
      {"getset", 3, kWF, 1, 1, "RW access update", "1.0.0",
       "Replaces the string value of a key and returns the value it had before.", GetSet},
      {"getdel", 2, kWrite | kFast, 1, 1, "RW access delete", "6.2.0",
       "Returns the string value of a key and deletes the key.", GetDel},
      {"getex", -2, kWrite | kFast, 1, 1, "RW access update", "6.2.0",
       "Returns the string value of a key, changing or removing its expiration time.", GetEx},
      {"mget", -2, kRF, -1, 1, "RO access", "1.0.0",
       "Returns the string values of one or more keys.", MGet},
      {"mset", -3, kW, -1, 2, "OW update", "1.0.1",
       "Sets the string values of one or more keys atomically.", MSet},
      {"msetnx", -3, kW, -1, 2, "OW insert", "1.0.1",
       "Sets the string values of several keys only when none of them exists.", MSetNx},
      {"incr", 2, kWF, 1, 1, "RW access update", "1.0.0", "Adds one to the integer value of a key.",
       Incr},
      {"decr", 2, kWF, 1, 1, "RW access update", "1.0.0",
       "Subtracts one from the integer value of a key.", Decr},
      {"incrby", 3, kWF, 1, 1, "RW access update", "1.0.0",
       "Adds a number to the integer value of a key.", IncrBy},
      {"decrby", 3, kWF, 1, 1, "RW access update", "1.0.0",
       "Subtracts a number from the integer value of a key.", DecrBy},
      {"incrbyfloat", 3, kWF, 1, 1, "RW access update", "2.6.0",
       "Adds a floating point number to the numeric value of a key.", IncrByFloat},
      {"append", 3, kWF, 1, 1, "RW insert", "2.0.0",
       "Appends bytes to the string value of a key, creating the key if needed.", Append},
      {"strlen", 2, kRF, 1, 1, "RO", "2.2.0", "Returns the length of a string value.", StrLen},
      {"getrange", 4, kReadonly, 1, 1, "RO access", "2.4.0",
       "Returns a substring of the string value of a key.", GetRange},
      {"substr", 4, kReadonly, 1, 1, "RO access", "1.0.0",
       "Returns a substring of the string value of a key (old name of GETRANGE).", GetRange},
      {"setrange", 4, kW, 1, 1, "RW update", "2.2.0",
       "Overwrites part of a string value from an offset, padding with zero bytes.", SetRange},
  };
  for (const StringCommand& c : commands) {
    const bool write = c.flags & kWrite;
    const bool fast = c.flags & kFast;
    std::string_view cats = write ? (fast ? "@write @string @fast" : "@write @string @slow")
                                  : (fast ? "@read @string @fast" : "@read @string @slow");
    std::string_view tips = {};
    if (c.name == "mget") tips = "request_policy:multi_shard";
    if (c.name == "mset") tips = "request_policy:multi_shard response_policy:all_succeeded";
    if (c.name == "msetnx") tips = "request_policy:multi_shard response_policy:agg_min";
    table.Add({.name = c.name,
               .arity = c.arity,
               .flags = c.flags,
               .first_key = 1,
               .last_key = c.last_key,
               .key_step = c.key_step,
               .acl_categories = cats,
               .tips = tips,
               .key_spec_flags = c.key_spec_flags,
               .key_spec_notes = c.name == "getex" ? "RW and UPDATE because it changes the TTL"
                                                   : std::string_view(),
               .group = "string",
               .since = c.since,
               .summary = c.summary,
               .handler = c.handler});
  }
  table.Add({.name = "set",
             .arity = -3,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @string @slow",
             .key_spec_flags = "RW access update variable_flags",
             .key_spec_notes = "RW and ACCESS due to the optional `GET` argument",
             .group = "string",
             .since = "1.0.0",
             .summary = "Sets the string value of a key, ignoring its type. The key is created "
                        "if it doesn't exist.",
             .handler = Set});
}

}  // namespace ringkv::server
