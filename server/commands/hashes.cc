// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Hash commands (Redis's "hash" group): the Redis 7.0 set, byte for byte, plus per-field expiry
// (Redis 7.4: HEXPIRE, HPEXPIRE, HEXPIREAT, HPEXPIREAT, HTTL, HPTTL, HEXPIRETIME, HPEXPIRETIME,
// HPERSIST; Redis 8.0: HGETEX, HSETEX, HGETDEL) and HSCAN's NOVALUES (7.4). Each handler parses
// its arguments, runs on the key's HashObject (engine/types/hash.h) through Engine::ReadObject or
// UpdateObject, and writes the reply. Argument checks run in the order Redis runs them, because
// that order decides which error a client sees when several things are wrong: e.g. HINCRBY
// parses the increment before it looks at the key, HEXPIRE looks the key up (WRONGTYPE) before
// it parses anything, HSETEX parses everything before it looks the key up.
//
// Expired fields are never visible: every command first removes the expired fields of the hash
// it touches (ReadHash / WriteHash below), and a hash left without fields is deleted with its
// key, TTL included, before the command goes on, so a write then creates a fresh key.
#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "engine/glob.h"
#include "engine/key_lock.h"
#include "engine/types/hash.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {
namespace {

using cmd::Args;
using cmd::Is;
using engine::FieldExpireCondition;
using engine::FieldTtl;
using engine::HashObject;
using engine::Object;
using engine::OpStatus;
using engine::ValueType;

// Error texts of Redis's t_hash.c that server/errors.h does not have yet (7.0 wording for the 7.0
// commands, 7.4 for the HEXPIRE family, HTTL and HPERSIST, 8.0 for HGETEX, HSETEX, HGETDEL).
constexpr std::string_view kHashValueNotInteger = "ERR hash value is not an integer";
constexpr std::string_view kHashValueNotFloat = "ERR hash value is not a float";
constexpr std::string_view kIncrNanOrInfinity = "ERR value is NaN or Infinity";
constexpr std::string_view kValueOutOfRange = "ERR value is out of range";
constexpr std::string_view kCountOutOfRange =
    "ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807";
constexpr std::string_view kFieldsMissing =
    "ERR Mandatory argument FIELDS is missing or not at the right position";
constexpr std::string_view kNumFieldsPositive = "ERR Number of fields must be a positive integer";
constexpr std::string_view kNumFieldsAboveZero =
    "ERR Parameter `numFields` should be greater than 0";
constexpr std::string_view kNumFieldsMismatch =
    "ERR The `numfields` parameter must match the number of arguments";
constexpr std::string_view kExpireNegative = "ERR invalid expire time, must be >= 0";
constexpr std::string_view kInvalidNumberOfFields = "ERR invalid number of fields";
constexpr std::string_view kMissingExpireTime = "ERR missing expire time";
constexpr std::string_view kOnlyOneCondition =
    "ERR Only one of FXX or FNX arguments can be specified";
constexpr std::string_view kOnlyOneExpiration =
    "ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified";
constexpr std::string_view kUnknownArgumentPrefix = "ERR unknown argument: ";

// Redis 7.4's HFE_MAX_ABS_TIME_MSEC: the largest field expiry accepted, in Unix ms (48 bits of
// its expiry buckets, minus 2 reserved).
constexpr int64_t kMaxFieldExpireMs = int64_t{0xFFFFFFFFFFFF} >> 2;
// HRANDFIELD with a count: a reply of more elements than this is refused ("value is out of
// range") rather than built in memory. Redis streams such a reply until the client is dropped.
constexpr uint64_t kMaxRandomReply = uint64_t{1} << 24;

const HashObject& AsHash(const Object& o) { return static_cast<const HashObject&>(o); }
HashObject& AsHash(Object& o) { return static_cast<HashObject&>(o); }

int64_t NowMs(const CommandContext& ctx) { return ctx.engine.clock().NowMs(); }

// Keyspace events (notify-keyspace-events) with Redis's t_hash.c names (7.0 for the 7.0
// commands, 7.4 / 8.0 for field expiry), published after the write and after any KeyLock is
// released (as keys.cc does). As in Redis, only a write that changed something is announced, and
// a hash left empty is announced as deleted ("del") after the command's own event.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, type, event, ctx.client.db, key);
}

void NotifyChange(CommandContext& ctx, std::string_view event, std::string_view key, bool emptied) {
  Notify(ctx, kNotifyHash, event, key);
  if (emptied) Notify(ctx, kNotifyGeneric, "del", key);
}

bool Emptied(const std::unique_ptr<Object>& obj) { return obj != nullptr && obj->Size() == 0; }

// Per-thread state for HRANDFIELD's sampling.
uint64_t* RandomState() {
  thread_local uint64_t state =
      reinterpret_cast<uintptr_t>(&state) ^
      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return &state;
}

// Runs fn on the hash at `key` with its expired fields gone (nullptr when there is no such key or
// nothing is left). Returns kWrongType (fn not called) or kOk. fn runs under the shard lock.
OpStatus ReadHash(CommandContext& ctx, std::string_view key,
                  absl::FunctionRef<void(const HashObject*)> fn) {
  const int64_t now = NowMs(ctx);
  bool stale = false;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, key, ValueType::kHash, [&](const Object& o) {
    const HashObject& h = AsHash(o);
    if (h.HasExpiredFields(now)) {
      stale = true;
      return;
    }
    fn(&h);
  });
  if (st == OpStatus::kWrongType) return st;
  if (st == OpStatus::kNotFound) {
    fn(nullptr);
    return OpStatus::kOk;
  }
  if (!stale) return OpStatus::kOk;
  // Some field expired: remove them (a write, so through UpdateObject), then read. Redis 7.4
  // announces a lazily expired field as "hexpired", and the hash it empties as "del".
  bool called = false;
  bool expired = false;
  bool emptied = false;
  st = ctx.engine.UpdateObject(ctx.client.db, key, ValueType::kHash,
                               [&](std::unique_ptr<Object>& obj) {
                                 if (obj == nullptr) return;
                                 HashObject& h = AsHash(*obj);
                                 expired = h.ExpireFields(now, SIZE_MAX) > 0;
                                 called = true;
                                 emptied = h.Size() == 0;
                                 fn(h.Size() > 0 ? &h : nullptr);
                               });
  if (st != OpStatus::kOk) return st;
  if (!called) fn(nullptr);
  if (expired) NotifyChange(ctx, "hexpired", key, emptied);
  return OpStatus::kOk;
}

// Runs fn on the owning pointer of the hash at `key` (empty when there is none; fn may create
// one), with its expired fields gone. A hash whose last field expired is deleted with its key
// (and the key's TTL) first, atomically with fn. Returns kWrongType (fn not called) or kOk.
OpStatus WriteHash(CommandContext& ctx, std::string_view key,
                   absl::FunctionRef<void(std::unique_ptr<Object>&)> fn) {
  const int64_t now = NowMs(ctx);
  bool stale = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, key, ValueType::kHash, [&](std::unique_ptr<Object>& obj) {
        if (obj != nullptr && AsHash(*obj).HasExpiredFields(now)) {
          stale = true;
          return;
        }
        fn(obj);
      });
  if (st != OpStatus::kOk || !stale) return st;
  // "hexpired" (and "del" when nothing is left) go out before the command's own events, once
  // the lock is released.
  bool expired = false;
  bool emptied = false;
  {
    const std::string_view keys[] = {key};
    engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
    st = ctx.engine.UpdateObject(ctx.client.db, key, ValueType::kHash,
                                 [&](std::unique_ptr<Object>& obj) {
                                   if (obj == nullptr) return;
                                   expired = AsHash(*obj).ExpireFields(now, SIZE_MAX) > 0;
                                   emptied = obj->Size() == 0;
                                 });
    if (st == OpStatus::kOk) st = ctx.engine.UpdateObject(ctx.client.db, key, ValueType::kHash, fn);
  }
  if (expired) NotifyChange(ctx, "hexpired", key, emptied);
  return st;
}

void ReplyWrongType(CommandContext& ctx, OpStatus st) {
  if (st != OpStatus::kOk) ctx.reply.Error(errors::OpStatusMessage(st));
}

void ReplyValue(CommandContext& ctx, const HashObject* h, std::string_view field) {
  HashObject::ValueBuf buf;
  std::optional<std::string_view> v = h != nullptr ? h->Get(field, &buf) : std::nullopt;
  if (v.has_value()) {
    ctx.reply.Bulk(*v);
  } else {
    ctx.reply.Null();
  }
}

std::string Concat(std::string_view a, std::string_view b) {
  std::string s(a);
  s.append(b);
  return s;
}

// ---- Redis 7.0 commands. ------------------------------------------------------------------

// HSET key field value [field value ...] / HMSET (same, replies OK). Redis 7.4+: a field that is
// overwritten loses its expiry ("Field expirations will only be cleared by commands that delete
// or overwrite the contents of the hash fields, including HDEL and HSET commands", HEXPIRE docs;
// t_hash.c hsetCommand sets without HASH_SET_KEEP_TTL).
void HSetGeneric(CommandContext& ctx, Args args, std::string_view name, bool ok_reply) {
  if (args.size() % 2 == 1) {
    ctx.reply.Error(errors::WrongArity(name));
    return;
  }
  int64_t created = 0;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    if (obj == nullptr && args.size() > 4) {
      // A new hash of several fields is built whole (one allocation; shared field names when
      // another hash has the same ones): what setting them one by one gives, unless a field
      // repeats (then the later value wins, below).
      absl::InlinedVector<HashObject::LoadEntry, 16> entries;
      for (size_t i = 2; i < args.size(); i += 2) entries.push_back({args[i], args[i + 1], 0});
      if ((obj = HashObject::FromEntries(entries)) != nullptr) {
        created = static_cast<int64_t>(entries.size());
        return;
      }
    }
    if (obj == nullptr) obj = HashObject::New();
    for (size_t i = 2; i < args.size(); i += 2) {
      created += HashObject::Set(obj, args[i], args[i + 1], FieldTtl::kClear) ? 1 : 0;
    }
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  // Redis announces "hset" for every HSET/HMSET, even one that rewrote the same values.
  Notify(ctx, kNotifyHash, "hset", args[1]);
  if (ok_reply) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Integer(created);
  }
}
void HSet(CommandContext& ctx, Args args) { HSetGeneric(ctx, args, "hset", false); }
void HMSet(CommandContext& ctx, Args args) { HSetGeneric(ctx, args, "hmset", true); }

void HSetNx(CommandContext& ctx, Args args) {
  bool set = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    if (obj != nullptr && AsHash(*obj).Exists(args[2])) return;
    if (obj == nullptr) obj = HashObject::New();
    set = HashObject::Set(obj, args[2], args[3], FieldTtl::kClear);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (set) Notify(ctx, kNotifyHash, "hset", args[1]);
  ctx.reply.Integer(set ? 1 : 0);
}

void HGet(CommandContext& ctx, Args args) {
  ReplyWrongType(ctx,
                 ReadHash(ctx, args[1], [&](const HashObject* h) { ReplyValue(ctx, h, args[2]); }));
}

void HMGet(CommandContext& ctx, Args args) {
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   ctx.reply.ArrayHeader(args.size() - 2);
                   for (size_t i = 2; i < args.size(); ++i) ReplyValue(ctx, h, args[i]);
                 }));
}

enum class Parts { kFields, kValues, kBoth };

// HGETALL (a map in RESP3), HKEYS, HVALS.
void HGetAllGeneric(CommandContext& ctx, Args args, Parts parts) {
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   const size_t n = h != nullptr ? h->Size() : 0;
                   if (parts == Parts::kBoth) {
                     ctx.reply.MapHeader(n);
                   } else {
                     ctx.reply.ArrayHeader(n);
                   }
                   if (h == nullptr) return;
                   h->ForEach([&](std::string_view f, std::string_view v) {
                     if (parts != Parts::kValues) ctx.reply.Bulk(f);
                     if (parts != Parts::kFields) ctx.reply.Bulk(v);
                   });
                 }));
}
void HGetAll(CommandContext& ctx, Args args) { HGetAllGeneric(ctx, args, Parts::kBoth); }
void HKeys(CommandContext& ctx, Args args) { HGetAllGeneric(ctx, args, Parts::kFields); }
void HVals(CommandContext& ctx, Args args) { HGetAllGeneric(ctx, args, Parts::kValues); }

void HDel(CommandContext& ctx, Args args) {
  int64_t deleted = 0;
  bool emptied = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    if (obj == nullptr) return;
    for (size_t i = 2; i < args.size(); ++i) deleted += HashObject::Delete(obj, args[i]) ? 1 : 0;
    if (deleted > 0 && obj->Size() > 0) HashObject::ShrinkToFit(obj);
    emptied = Emptied(obj);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (deleted > 0) NotifyChange(ctx, "hdel", args[1], emptied);
  ctx.reply.Integer(deleted);
}

void HLen(CommandContext& ctx, Args args) {
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   ctx.reply.Integer(h != nullptr ? static_cast<int64_t>(h->Size()) : 0);
                 }));
}

void HExists(CommandContext& ctx, Args args) {
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   ctx.reply.Integer(h != nullptr && h->Exists(args[2]) ? 1 : 0);
                 }));
}

void HStrLen(CommandContext& ctx, Args args) {
  ReplyWrongType(
      ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
        ctx.reply.Integer(h != nullptr ? static_cast<int64_t>(h->ValueLength(args[2])) : 0);
      }));
}

// HINCRBY and HINCRBYFLOAT keep the field's expiry: Redis 7.4+ writes the result with
// HASH_SET_KEEP_TTL (t_hash.c hincrbyCommand / hincrbyfloatCommand; Valkey 9 passes the old
// expiry to hashTypeSet likewise), as the HEXPIRE docs say of commands that "alter the value
// stored at a hash key's field without replacing it with a new one".
void HIncrBy(CommandContext& ctx, Args args) {
  int64_t incr;
  if (!cmd::ParseInt64(args[3], &incr)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  std::string_view error;
  int64_t result = 0;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    int64_t value = 0;
    HashObject::ValueBuf buf;
    if (obj != nullptr) {
      std::optional<std::string_view> cur = AsHash(*obj).Get(args[2], &buf);
      if (cur.has_value() && !cmd::ParseInt64(*cur, &value)) {
        error = kHashValueNotInteger;
        return;
      }
    }
    if ((incr < 0 && value < 0 && incr < std::numeric_limits<int64_t>::min() - value) ||
        (incr > 0 && value > 0 && incr > std::numeric_limits<int64_t>::max() - value)) {
      error = errors::kOverflow;
      return;
    }
    result = value + incr;
    char text[24];
    const auto r = std::to_chars(text, text + sizeof(text), result);
    if (obj == nullptr) obj = HashObject::New();
    HashObject::Set(obj, args[2], std::string_view(text, static_cast<size_t>(r.ptr - text)),
                    FieldTtl::kKeep);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (!error.empty()) {
    ctx.reply.Error(error);
  } else {
    Notify(ctx, kNotifyHash, "hincrby", args[1]);
    ctx.reply.Integer(result);
  }
}

void HIncrByFloat(CommandContext& ctx, Args args) {
  long double incr;
  if (!engine::ParseLongDouble(args[3], &incr)) {
    ctx.reply.Error(errors::kNotFloat);
    return;
  }
  if (std::isnan(incr) || std::isinf(incr)) {
    ctx.reply.Error(kIncrNanOrInfinity);
    return;
  }
  std::string_view error;
  std::string text;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    long double value = 0;
    HashObject::ValueBuf buf;
    if (obj != nullptr) {
      std::optional<std::string_view> cur = AsHash(*obj).Get(args[2], &buf);
      if (cur.has_value() && !engine::ParseLongDouble(*cur, &value)) {
        error = kHashValueNotFloat;
        return;
      }
    }
    value += incr;
    if (std::isnan(value) || std::isinf(value)) {
      error = errors::kNanOrInfinity;
      return;
    }
    text = engine::FormatLongDouble(value);
    if (obj == nullptr) obj = HashObject::New();
    HashObject::Set(obj, args[2], text, FieldTtl::kKeep);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (!error.empty()) {
    ctx.reply.Error(error);
  } else {
    Notify(ctx, kNotifyHash, "hincrbyfloat", args[1]);
    ctx.reply.Bulk(text);
  }
}

// HSCAN key cursor [MATCH pattern] [COUNT count] [NOVALUES]. As Redis: the cursor is parsed
// first, a missing key answers an empty scan before the options are looked at, and a small hash
// returns everything with cursor 0.
void HScan(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!cmd::ParseScanCursor(args[2], &cursor)) {
    ctx.reply.Error(errors::kInvalidCursor);
    return;
  }
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   if (h == nullptr) {
                     ctx.reply.ArrayHeader(2);
                     ctx.reply.Bulk("0");
                     ctx.reply.ArrayHeader(0);
                     return;
                   }
                   int64_t count = 10;
                   std::string_view pattern;
                   bool use_pattern = false;
                   bool novalues = false;
                   for (size_t i = 3; i < args.size();) {
                     const bool has_value = i + 1 < args.size();
                     if (Is(args[i], "count") && has_value) {
                       if (!cmd::ParseInt64(args[i + 1], &count)) {
                         ctx.reply.Error(errors::kNotInteger);
                         return;
                       }
                       if (count < 1) {
                         ctx.reply.Error(errors::kSyntax);
                         return;
                       }
                       i += 2;
                     } else if (Is(args[i], "match") && has_value) {
                       pattern = args[i + 1];
                       use_pattern = pattern != "*";
                       i += 2;
                     } else if (Is(args[i], "novalues")) {
                       novalues = true;
                       i += 1;
                     } else {
                       ctx.reply.Error(errors::kSyntax);
                       return;
                     }
                   }
                   std::vector<std::string> items;
                   const uint64_t next =
                       h->Scan(cursor, static_cast<size_t>(count),
                               [&](std::string_view f, std::string_view v) {
                                 if (use_pattern && !engine::GlobMatch(pattern, f)) return;
                                 items.emplace_back(f);
                                 if (!novalues) items.emplace_back(v);
                               });
                   char buf[24];
                   const auto r = std::to_chars(buf, buf + sizeof(buf), next);
                   ctx.reply.ArrayHeader(2);
                   ctx.reply.Bulk(std::string_view(buf, static_cast<size_t>(r.ptr - buf)));
                   ctx.reply.ArrayHeader(items.size());
                   for (const std::string& s : items) ctx.reply.Bulk(s);
                 }));
}

// HRANDFIELD key [count [WITHVALUES]]: a positive count gives distinct fields (at most all), a
// negative one |count| fields drawn with replacement. WITHVALUES pairs are flat in RESP2 and
// two-element arrays in RESP3, as Redis 7 sends them.
void HRandFieldWithCount(CommandContext& ctx, std::string_view key, int64_t l, bool withvalues) {
  const uint64_t count = l >= 0 ? static_cast<uint64_t>(l) : 0 - static_cast<uint64_t>(l);
  const bool distinct = l >= 0;
  ReplyWrongType(ctx, ReadHash(ctx, key, [&](const HashObject* h) {
                   if (h == nullptr || count == 0) {
                     ctx.reply.ArrayHeader(0);
                     return;
                   }
                   const uint64_t n = distinct ? std::min<uint64_t>(count, h->Size()) : count;
                   if (n > kMaxRandomReply) {
                     ctx.reply.Error(kValueOutOfRange);
                     return;
                   }
                   const bool nested = withvalues && ctx.reply.resp3();
                   ctx.reply.ArrayHeader(withvalues && !nested ? 2 * n : n);
                   auto emit = [&](std::string_view f, std::string_view v) {
                     if (nested) ctx.reply.ArrayHeader(2);
                     ctx.reply.Bulk(f);
                     if (withvalues) ctx.reply.Bulk(v);
                   };
                   if (distinct) {
                     h->RandomDistinct(n, RandomState(), emit);
                   } else {
                     h->RandomWithReplacement(n, RandomState(), emit);
                   }
                 }));
}

void HRandField(CommandContext& ctx, Args args) {
  if (args.size() >= 3) {
    int64_t l;
    if (!cmd::ParseInt64(args[2], &l)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    if (l == std::numeric_limits<int64_t>::min()) {
      ctx.reply.Error(kCountOutOfRange);
      return;
    }
    if (args.size() > 4 || (args.size() == 4 && !Is(args[3], "withvalues"))) {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
    const bool withvalues = args.size() == 4;
    constexpr int64_t kHalf = std::numeric_limits<int64_t>::max() / 2;
    if (withvalues && (l < -kHalf || l > kHalf)) {
      ctx.reply.Error(kValueOutOfRange);
      return;
    }
    HRandFieldWithCount(ctx, args[1], l, withvalues);
    return;
  }
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   if (h == nullptr) {
                     ctx.reply.Null();
                     return;
                   }
                   h->RandomWithReplacement(
                       1, RandomState(),
                       [&](std::string_view f, std::string_view) { ctx.reply.Bulk(f); });
                 }));
}

// ---- Per-field expiry (Redis 7.4 and 8.0). ----------------------------------------------------

// Redis 7.4's expire-time check for field commands (t_hash.c): an integer, not negative, and
// the absolute time at most kMaxFieldExpireMs. `base_ms` is now for relative forms, else 0.
// Replies and returns false on failure.
bool ParseFieldExpireTime(CommandContext& ctx, std::string_view arg, bool seconds, int64_t base_ms,
                          std::string_view command, int64_t* at_ms) {
  int64_t v;
  if (!cmd::ParseInt64(arg, &v)) {
    ctx.reply.Error(errors::kNotInteger);
    return false;
  }
  if (v < 0) {
    ctx.reply.Error(kExpireNegative);
    return false;
  }
  if (seconds) {
    if (v > kMaxFieldExpireMs / 1000) {
      ctx.reply.Error(cmd::InvalidExpire(command));
      return false;
    }
    v *= 1000;
  }
  if (v > kMaxFieldExpireMs - base_ms) {
    ctx.reply.Error(cmd::InvalidExpire(command));
    return false;
  }
  *at_ms = v + base_ms;
  return true;
}

// "FIELDS numfields field..." starting at args[at]: the fields, or an error reply. Redis 7.4
// words a bad count differently per command (`count_error`).
bool ParseFieldsBlock(CommandContext& ctx, Args args, std::string_view name, size_t at,
                      std::string_view count_error, Args* fields) {
  if (at + 1 >= args.size()) {
    // Only HGETEX key EX <time> FIELDS gets here (the arity covers the others); Redis reads past
    // its arguments there.
    ctx.reply.Error(errors::WrongArity(name));
    return false;
  }
  if (!Is(args[at], "FIELDS")) {
    ctx.reply.Error(kFieldsMissing);
    return false;
  }
  int64_t n;
  if (!cmd::ParseInt64(args[at + 1], &n) || n < 1) {
    ctx.reply.Error(count_error);
    return false;
  }
  if (static_cast<uint64_t>(n) != args.size() - at - 2) {
    ctx.reply.Error(kNumFieldsMismatch);
    return false;
  }
  *fields = args.subspan(at + 2);
  return true;
}

// HEXPIRE key seconds [NX | XX | GT | LT] FIELDS numfields field... (and HPEXPIRE, HEXPIREAT,
// HPEXPIREAT). Per field: -2 no such field, 0 condition not met, 1 set, 2 deleted because the
// time is not in the future. Redis 7.4 order: WRONGTYPE, the time, the condition, FIELDS.
void HExpireGeneric(CommandContext& ctx, Args args, std::string_view name, bool seconds,
                    bool relative) {
  const int64_t now = NowMs(ctx);
  int64_t updated = 0, deleted = 0;
  bool emptied = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    int64_t at;
    if (!ParseFieldExpireTime(ctx, args[2], seconds, relative ? now : 0, name, &at)) return;
    FieldExpireCondition cond = FieldExpireCondition::kAlways;
    size_t fields_at = 3;
    if (Is(args[3], "NX")) {
      cond = FieldExpireCondition::kNx;
    } else if (Is(args[3], "XX")) {
      cond = FieldExpireCondition::kXx;
    } else if (Is(args[3], "GT")) {
      cond = FieldExpireCondition::kGt;
    } else if (Is(args[3], "LT")) {
      cond = FieldExpireCondition::kLt;
    }
    if (cond != FieldExpireCondition::kAlways) fields_at = 4;
    Args fields;
    if (!ParseFieldsBlock(ctx, args, name, fields_at, kNumFieldsAboveZero, &fields)) return;
    ctx.reply.ArrayHeader(fields.size());
    for (std::string_view f : fields) {
      engine::FieldExpireResult r = engine::FieldExpireResult::kNoField;
      if (obj != nullptr && obj->Size() > 0) r = HashObject::SetFieldExpiry(obj, f, at, cond, now);
      updated += r == engine::FieldExpireResult::kSet ? 1 : 0;
      deleted += r == engine::FieldExpireResult::kDeleted ? 1 : 0;
      ctx.reply.Integer(static_cast<int64_t>(r));
    }
    emptied = Emptied(obj);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  // Redis 7.4 (hexpireGenericCommand): one event, "hdel" when a time not in the future deleted
  // any field, else "hexpire"; then "del" if the hash is gone.
  if (updated + deleted > 0) NotifyChange(ctx, deleted > 0 ? "hdel" : "hexpire", args[1], emptied);
}
void HExpire(CommandContext& ctx, Args args) { HExpireGeneric(ctx, args, "hexpire", true, true); }
void HPExpire(CommandContext& ctx, Args args) {
  HExpireGeneric(ctx, args, "hpexpire", false, true);
}
void HExpireAt(CommandContext& ctx, Args args) {
  HExpireGeneric(ctx, args, "hexpireat", true, false);
}
void HPExpireAt(CommandContext& ctx, Args args) {
  HExpireGeneric(ctx, args, "hpexpireat", false, false);
}

enum class TtlQuery { kTtl, kPTtl, kExpireTime, kPExpireTime };

// HTTL / HPTTL / HEXPIRETIME / HPEXPIRETIME key FIELDS numfields field...: -2 no such field, -1
// no expiry, else the remaining time or the Unix time. Seconds round up, as Redis 7.4 computes
// them ((ms + 999) / 1000), unlike TTL's rounding to nearest.
void HTtlGeneric(CommandContext& ctx, Args args, std::string_view name, TtlQuery q) {
  const int64_t now = NowMs(ctx);
  ReplyWrongType(ctx, ReadHash(ctx, args[1], [&](const HashObject* h) {
                   Args fields;
                   if (!ParseFieldsBlock(ctx, args, name, 2, kNumFieldsPositive, &fields)) return;
                   ctx.reply.ArrayHeader(fields.size());
                   for (std::string_view f : fields) {
                     const int64_t at = h != nullptr ? h->FieldExpireMs(f) : -2;
                     if (at < 0) {
                       ctx.reply.Integer(at);
                       continue;
                     }
                     const int64_t base = (q == TtlQuery::kTtl || q == TtlQuery::kPTtl) ? now : 0;
                     const int64_t ms = std::max<int64_t>(at - base, 0);
                     const bool in_seconds = q == TtlQuery::kTtl || q == TtlQuery::kExpireTime;
                     ctx.reply.Integer(in_seconds ? (ms + 999) / 1000 : ms);
                   }
                 }));
}
void HTtl(CommandContext& ctx, Args args) { HTtlGeneric(ctx, args, "httl", TtlQuery::kTtl); }
void HPTtl(CommandContext& ctx, Args args) { HTtlGeneric(ctx, args, "hpttl", TtlQuery::kPTtl); }
void HExpireTime(CommandContext& ctx, Args args) {
  HTtlGeneric(ctx, args, "hexpiretime", TtlQuery::kExpireTime);
}
void HPExpireTime(CommandContext& ctx, Args args) {
  HTtlGeneric(ctx, args, "hpexpiretime", TtlQuery::kPExpireTime);
}

// HPERSIST key FIELDS numfields field...: -2 no such field, -1 no expiry, 1 removed.
void HPersist(CommandContext& ctx, Args args) {
  bool changed = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    Args fields;
    if (!ParseFieldsBlock(ctx, args, "hpersist", 2, kNumFieldsPositive, &fields)) return;
    ctx.reply.ArrayHeader(fields.size());
    for (std::string_view f : fields) {
      const int r = obj != nullptr ? AsHash(*obj).PersistField(f) : -2;
      changed |= r == 1;
      ctx.reply.Integer(r);
    }
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (changed) Notify(ctx, kNotifyHash, "hpersist", args[1]);
}

// HGETDEL key FIELDS numfields field... (Redis 8.0): the values (nil for missing fields), and
// the fields are deleted; the key goes with its last field.
void HGetDel(CommandContext& ctx, Args args) {
  int64_t deleted = 0;
  bool emptied = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    Args fields;
    if (!ParseFieldsBlock(ctx, args, "hgetdel", 2, kNumFieldsPositive, &fields)) return;
    ctx.reply.ArrayHeader(fields.size());
    for (std::string_view f : fields) {
      ReplyValue(ctx, obj != nullptr ? &AsHash(*obj) : nullptr, f);
      if (obj != nullptr) deleted += HashObject::Delete(obj, f) ? 1 : 0;
    }
    if (obj != nullptr && obj->Size() > 0) HashObject::ShrinkToFit(obj);
    emptied = Emptied(obj);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  if (deleted > 0) NotifyChange(ctx, "hdel", args[1], emptied);
}

// HGETEX key [EX s | PX ms | EXAT ts | PXAT ms-ts | PERSIST] FIELDS numfields field...
// (Redis 8.0): the values, and each existing field's expiry set (a time not in the future
// deletes it after its value was read) or removed.
void HGetEx(CommandContext& ctx, Args args) {
  const int64_t now = NowMs(ctx);
  enum { kNone, kExpire, kPersist } mode = kNone;
  int64_t updated = 0, deleted = 0;
  bool emptied = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    int64_t at = 0;
    size_t fields_at = 2;
    const std::string_view opt = args[2];
    const bool ex = Is(opt, "EX"), px = Is(opt, "PX"), exat = Is(opt, "EXAT"),
               pxat = Is(opt, "PXAT");
    if (ex || px || exat || pxat) {
      if (!ParseFieldExpireTime(ctx, args[3], ex || exat, (ex || px) ? now : 0, "hgetex", &at)) {
        return;
      }
      mode = kExpire;
      fields_at = 4;
    } else if (Is(opt, "PERSIST")) {
      mode = kPersist;
      fields_at = 3;
    }
    Args fields;
    if (!ParseFieldsBlock(ctx, args, "hgetex", fields_at, kNumFieldsPositive, &fields)) return;
    ctx.reply.ArrayHeader(fields.size());
    for (std::string_view f : fields) {
      HashObject* h = obj != nullptr ? &AsHash(*obj) : nullptr;
      ReplyValue(ctx, h, f);
      if (h == nullptr || !h->Exists(f)) continue;
      if (mode == kExpire) {
        const engine::FieldExpireResult r =
            HashObject::SetFieldExpiry(obj, f, at, FieldExpireCondition::kAlways, now);
        updated += r == engine::FieldExpireResult::kSet ? 1 : 0;
        deleted += r == engine::FieldExpireResult::kDeleted ? 1 : 0;
      } else if (mode == kPersist) {
        updated += h->PersistField(f) == 1 ? 1 : 0;
      }
    }
    emptied = Emptied(obj);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  // Redis 8.0 (hgetexCommand): "hpersist" or "hexpire" when an expiry changed, else "hdel" when
  // a time not in the future deleted fields; then "del" if the hash is gone.
  if (updated > 0) {
    NotifyChange(ctx, mode == kPersist ? "hpersist" : "hexpire", args[1], emptied);
  } else if (deleted > 0) {
    NotifyChange(ctx, "hdel", args[1], emptied);
  }
}

// HSETEX key [FNX | FXX] [EX s | PX ms | EXAT ts | PXAT ms-ts | KEEPTTL] FIELDS numfields
// field value... (Redis 8.0): 1 when the fields were set, 0 when FNX/FXX said no. Without an
// expiry option the fields lose any expiry (as HSET); KEEPTTL keeps it; a time not in the
// future sets and then deletes the fields. Everything is parsed before the key is looked up.
void HSetEx(CommandContext& ctx, Args args) {
  const int64_t now = NowMs(ctx);
  enum Flag : unsigned { kFnx = 1, kFxx = 2, kExpire = 4, kKeepTtl = 8 };
  unsigned flags = 0;
  int64_t at = 0;
  size_t first_field = 0;
  for (size_t i = 2; i < args.size() && first_field == 0; ++i) {
    const std::string_view a = args[i];
    const bool ex = Is(a, "EX"), px = Is(a, "PX"), exat = Is(a, "EXAT"), pxat = Is(a, "PXAT");
    if (Is(a, "FIELDS")) {
      if (i + 3 >= args.size()) {
        ctx.reply.Error(errors::WrongArity("hsetex"));
        return;
      }
      int64_t n;
      if (!cmd::ParseInt64(args[i + 1], &n) || n < 1 || n > std::numeric_limits<int>::max()) {
        ctx.reply.Error(kInvalidNumberOfFields);
        return;
      }
      const size_t remaining = args.size() - i - 2;
      if (remaining % 2 != 0 || static_cast<uint64_t>(n) != remaining / 2) {
        ctx.reply.Error(errors::WrongArity("hsetex"));
        return;
      }
      first_field = i + 2;
    } else if (ex || px || exat || pxat) {
      if (flags & (kExpire | kKeepTtl)) {
        ctx.reply.Error(kOnlyOneExpiration);
        return;
      }
      if (i + 1 >= args.size()) {
        ctx.reply.Error(kMissingExpireTime);
        return;
      }
      flags |= kExpire;
      ++i;
      if (!ParseFieldExpireTime(ctx, args[i], ex || exat, (ex || px) ? now : 0, "hsetex", &at)) {
        return;
      }
    } else if (Is(a, "KEEPTTL")) {
      if (flags & (kExpire | kKeepTtl)) {
        ctx.reply.Error(kOnlyOneExpiration);
        return;
      }
      flags |= kKeepTtl;
    } else if (Is(a, "FXX") || Is(a, "FNX")) {
      if (flags & (kFnx | kFxx)) {
        ctx.reply.Error(kOnlyOneCondition);
        return;
      }
      flags |= Is(a, "FXX") ? kFxx : kFnx;
    } else {
      ctx.reply.Error(Concat(kUnknownArgumentPrefix, a));
      return;
    }
  }
  if (first_field == 0) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  bool set = false;
  int64_t updated = 0, deleted = 0;
  bool emptied = false;
  OpStatus st = WriteHash(ctx, args[1], [&](std::unique_ptr<Object>& obj) {
    if (flags & (kFnx | kFxx)) {
      for (size_t i = first_field; i < args.size(); i += 2) {
        const bool exists = obj != nullptr && AsHash(*obj).Exists(args[i]);
        if (((flags & kFnx) && exists) || ((flags & kFxx) && !exists)) return;
      }
    }
    if (obj == nullptr) obj = HashObject::New();
    const FieldTtl ttl = (flags & (kExpire | kKeepTtl)) ? FieldTtl::kKeep : FieldTtl::kClear;
    for (size_t i = first_field; i < args.size(); i += 2) {
      HashObject::Set(obj, args[i], args[i + 1], ttl);
      if (flags & kExpire) {
        const engine::FieldExpireResult r =
            HashObject::SetFieldExpiry(obj, args[i], at, FieldExpireCondition::kAlways, now);
        updated += r == engine::FieldExpireResult::kSet ? 1 : 0;
        deleted += r == engine::FieldExpireResult::kDeleted ? 1 : 0;
      }
    }
    set = true;
    emptied = Emptied(obj);
  });
  if (st != OpStatus::kOk) return ReplyWrongType(ctx, st);
  // Redis 8.0 (hsetexCommand): "hset", then "hdel" when a time not in the future deleted the
  // fields or "hexpire" when it set their expiry, then "del" if the hash is gone.
  if (set) {
    Notify(ctx, kNotifyHash, "hset", args[1]);
    if (updated + deleted > 0) Notify(ctx, kNotifyHash, deleted > 0 ? "hdel" : "hexpire", args[1]);
    if (emptied) Notify(ctx, kNotifyGeneric, "del", args[1]);
  }
  ctx.reply.Integer(set ? 1 : 0);
}

struct HashCommand {
  std::string_view name;
  int arity;
  uint32_t flags;
  std::string_view key_spec_flags;
  std::string_view tips;
  std::string_view since;
  std::string_view summary;
  CommandHandler handler;
  std::string_view key_spec_notes = {};
};

}  // namespace

void RegisterHashCommands(CommandTable& table) {
  // Facts (arity, flags, key specs, categories, tips, summaries) as Redis 7.0.15's COMMAND INFO
  // and COMMAND DOCS report them; the field-expiry commands as Redis 7.4 / 8.0's command JSON.
  constexpr uint32_t kWF = kWrite | kDenyOom | kFast;
  constexpr uint32_t kRF = kReadonly | kFast;
  constexpr uint32_t kR = kReadonly;
  constexpr uint32_t kWFnoOom = kWrite | kFast;
  const HashCommand commands[] = {
      {"hset", -4, kWF, "RW update", {}, "2.0.0", "Set the string value of a hash field", HSet},
      {"hsetnx",
       4,
       kWF,
       "RW insert",
       {},
       "2.0.0",
       "Set the value of a hash field, only if the field does not exist",
       HSetNx},
      {"hget", 3, kRF, "RO access", {}, "2.0.0", "Get the value of a hash field", HGet},
      {"hmget",
       -3,
       kRF,
       "RO access",
       {},
       "2.0.0",
       "Get the values of all the given hash fields",
       HMGet},
      {"hmset",
       -4,
       kWF,
       "RW update",
       {},
       "2.0.0",
       "Set multiple hash fields to multiple values",
       HMSet},
      {"hgetall", 2, kR, "RO access", "nondeterministic_output_order", "2.0.0",
       "Get all the fields and values in a hash", HGetAll},
      {"hdel", -3, kWFnoOom, "RW delete", {}, "2.0.0", "Delete one or more hash fields", HDel},
      {"hexists", 3, kRF, "RO", {}, "2.0.0", "Determine if a hash field exists", HExists},
      {"hlen", 2, kRF, "RO", {}, "2.0.0", "Get the number of fields in a hash", HLen},
      {"hkeys", 2, kR, "RO access", "nondeterministic_output_order", "2.0.0",
       "Get all the fields in a hash", HKeys},
      {"hvals", 2, kR, "RO access", "nondeterministic_output_order", "2.0.0",
       "Get all the values in a hash", HVals},
      {"hincrby",
       4,
       kWF,
       "RW access update",
       {},
       "2.0.0",
       "Increment the integer value of a hash field by the given number",
       HIncrBy},
      {"hincrbyfloat",
       4,
       kWF,
       "RW access update",
       {},
       "2.6.0",
       "Increment the float value of a hash field by the given amount",
       HIncrByFloat},
      {"hstrlen",
       3,
       kRF,
       "RO",
       {},
       "3.2.0",
       "Get the length of the value of a hash field",
       HStrLen},
      {"hscan", -3, kR, "RO access", "nondeterministic_output", "2.8.0",
       "Incrementally iterate hash fields and associated values", HScan},
      {"hrandfield", -2, kR, "RO access", "nondeterministic_output", "6.2.0",
       "Get one or multiple random fields from a hash", HRandField},
      {"hexpire",
       -6,
       kWF,
       "RW update",
       {},
       "7.4.0",
       "Set expiry for hash field using relative time to expire (seconds)",
       HExpire},
      {"hpexpire",
       -6,
       kWF,
       "RW update",
       {},
       "7.4.0",
       "Set expiry for hash field using relative time to expire (milliseconds)",
       HPExpire},
      {"hexpireat",
       -6,
       kWF,
       "RW update",
       {},
       "7.4.0",
       "Set expiry for hash field using an absolute Unix timestamp (seconds)",
       HExpireAt},
      {"hpexpireat",
       -6,
       kWF,
       "RW update",
       {},
       "7.4.0",
       "Set expiry for hash field using an absolute Unix timestamp (milliseconds)",
       HPExpireAt},
      {"httl",
       -5,
       kRF,
       "RO access",
       {},
       "7.4.0",
       "Returns the TTL in seconds of a hash field.",
       HTtl},
      {"hpttl",
       -5,
       kRF,
       "RO access",
       {},
       "7.4.0",
       "Returns the TTL in milliseconds of a hash field.",
       HPTtl},
      {"hexpiretime",
       -5,
       kRF,
       "RO access",
       {},
       "7.4.0",
       "Returns the expiration time of a hash field as a Unix timestamp, in seconds.",
       HExpireTime},
      {"hpexpiretime",
       -5,
       kRF,
       "RO access",
       {},
       "7.4.0",
       "Returns the expiration time of a hash field as a Unix timestamp, in msec.",
       HPExpireTime},
      {"hpersist",
       -5,
       kWFnoOom,
       "RW update",
       {},
       "7.4.0",
       "Removes the expiration time for each specified field",
       HPersist},
      {"hgetex",
       -5,
       kWFnoOom,
       "RW access update",
       {},
       "8.0.0",
       "Get the value of one or more fields of a given hash key, and optionally set their "
       "expiration.",
       HGetEx,
       "RW and UPDATE because it changes the TTL"},
      {"hsetex",
       -6,
       kWF,
       "RW update",
       {},
       "8.0.0",
       "Set the value of one or more fields of a given hash key, and optionally set their "
       "expiration.",
       HSetEx},
      {"hgetdel",
       -5,
       kWFnoOom,
       "RW access delete",
       {},
       "8.0.0",
       "Get and delete the value of one or more fields of a given hash key.",
       HGetDel},
  };
  for (const HashCommand& c : commands) {
    const bool write = c.flags & kWrite;
    const bool fast = c.flags & kFast;
    std::string_view cats = write ? (fast ? "@write @hash @fast" : "@write @hash @slow")
                                  : (fast ? "@read @hash @fast" : "@read @hash @slow");
    table.Add({.name = c.name,
               .arity = c.arity,
               .flags = c.flags,
               .first_key = 1,
               .last_key = 1,
               .key_step = 1,
               .acl_categories = cats,
               .tips = c.tips,
               .key_spec_flags = c.key_spec_flags,
               .key_spec_notes = c.key_spec_notes,
               .group = "hash",
               .since = c.since,
               .summary = c.summary,
               .handler = c.handler});
  }
}

}  // namespace ringkv::server
