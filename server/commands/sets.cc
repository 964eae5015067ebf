// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Set commands (Redis's "set" group): SADD, SREM, SMEMBERS, SISMEMBER, SMISMEMBER, SCARD, SPOP,
// SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF, SINTERSTORE, SUNIONSTORE, SDIFFSTORE,
// SSCAN. Each handler parses its arguments in the order Redis 7.0's t_set.c does (that order
// decides which error a client sees when several things are wrong), then works on
// engine::SetObject through Engine::ReadObject / UpdateObject. Commands over several keys hold
// an engine::KeyLock on all of them first, so they are atomic.
//
// Replies are Redis 7.0's: SMEMBERS, SINTER, SUNION, SDIFF and SPOP with a count are RESP3 sets
// ('~'); SRANDMEMBER with a count is an array in both protocols (Redis changed it in 6.2); a
// missing key is an empty set, an empty array, a null or 0 exactly where Redis sends them.
#include <algorithm>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "engine/glob.h"
#include "engine/key_lock.h"
#include "engine/types/set.h"
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
using engine::ValueType;
using Set = engine::SetObject;

// Error texts of Redis 7.0's t_set.c that no other command family uses (server/errors.h is not
// this file's to extend).
constexpr std::string_view kNotPositive = "ERR value is out of range, must be positive";
constexpr std::string_view kNumkeysNotPositive = "ERR numkeys should be greater than 0";
constexpr std::string_view kTooManyNumkeys =
    "ERR Number of keys can't be greater than number of args";
constexpr std::string_view kLimitNegative = "ERR LIMIT can't be negative";
constexpr std::string_view kRandCountRange =
    "ERR value is out of range, value must between -9223372036854775807 and "
    "9223372036854775807";

// A reply of SRANDMEMBER with a negative count has no size bound of its own. Redis stops adding
// to it once the client passes its output buffer limit and drops the client; so does ringkv,
// with proto-max-bulk-len's 512 MB standing in when no hard limit is configured (Redis would
// grow until memory runs out).
constexpr int64_t kDefaultReplyCap = int64_t{512} << 20;

// One generator per worker thread: random choices need no lock and no shared state.
engine::SetRng& Rng() {
  thread_local engine::SetRng rng([] {
    std::random_device rd;
    return (static_cast<uint64_t>(rd()) << 32) ^ rd() ^
           std::hash<std::thread::id>{}(std::this_thread::get_id());
  }());
  return rng;
}

const Set& AsSet(const engine::Object& o) { return static_cast<const Set&>(o); }
Set& AsSet(engine::Object& o) { return static_cast<Set&>(o); }

void ReplyStatus(CommandContext& ctx, OpStatus st) { ctx.reply.Error(errors::OpStatusMessage(st)); }

// Every member of s as a set reply.
void ReplyMembers(CommandContext& ctx, const Set& s) {
  ctx.reply.SetHeader(s.Size());
  s.ForEach([&](std::string_view m) { ctx.reply.Bulk(m); });
}

// Redis's getPositiveLongFromObjectOrReply: an integer >= 0, else `error` (the same text for
// "not a number" and "negative").
bool ParseNonNegative(std::string_view arg, int64_t* out) {
  return cmd::ParseInt64(arg, out) && *out >= 0;
}

// Keyspace events (notify-keyspace-events) with Redis 7.0's t_set.c names, published after the
// write and, where a command holds a KeyLock, after the lock is released (as keys.cc does). As in
// Redis, only a write that changed something is announced, and a set left empty is announced as
// deleted ("del") after the command's own event.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, type, event, ctx.client.db, key);
}

void NotifyChange(CommandContext& ctx, std::string_view event, std::string_view key, bool emptied) {
  Notify(ctx, kNotifySet, event, key);
  if (emptied) Notify(ctx, kNotifyGeneric, "del", key);
}

void SAdd(CommandContext& ctx, Args args) {
  int64_t added = 0;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kSet,
                                        [&](std::unique_ptr<engine::Object>& o) {
                                          if (o == nullptr) o = std::make_unique<Set>();
                                          Set& s = AsSet(*o);
                                          for (std::string_view m : args.subspan(2))
                                            added += s.Add(m) ? 1 : 0;
                                        });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (added > 0) Notify(ctx, kNotifySet, "sadd", args[1]);
  ctx.reply.Integer(added);
}

void SRem(CommandContext& ctx, Args args) {
  int64_t removed = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kSet,
                                        [&](std::unique_ptr<engine::Object>& o) {
                                          if (o == nullptr) return;
                                          Set& s = AsSet(*o);
                                          for (std::string_view m : args.subspan(2))
                                            removed += s.Remove(m) ? 1 : 0;
                                          emptied = s.Size() == 0;
                                        });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (removed > 0) NotifyChange(ctx, "srem", args[1], emptied);
  ctx.reply.Integer(removed);
}

void SMembers(CommandContext& ctx, Args args) {
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet,
                            [&](const engine::Object& o) { ReplyMembers(ctx, AsSet(o)); });
  if (st == OpStatus::kNotFound) {
    ctx.reply.SetHeader(0);
  } else if (st != OpStatus::kOk) {
    ReplyStatus(ctx, st);
  }
}

void SIsMember(CommandContext& ctx, Args args) {
  bool found = false;
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet,
                            [&](const engine::Object& o) { found = AsSet(o).Contains(args[2]); });
  if (st != OpStatus::kOk && st != OpStatus::kNotFound) return ReplyStatus(ctx, st);
  ctx.reply.Integer(found ? 1 : 0);
}

void SMIsMember(CommandContext& ctx, Args args) {
  Args members = args.subspan(2);
  std::vector<bool> found(members.size(), false);
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet, [&](const engine::Object& o) {
        for (size_t i = 0; i < members.size(); ++i) {
          found[i] = AsSet(o).Contains(members[i]);
        }
      });
  if (st != OpStatus::kOk && st != OpStatus::kNotFound) return ReplyStatus(ctx, st);
  ctx.reply.ArrayHeader(members.size());
  for (bool f : found) ctx.reply.Integer(f ? 1 : 0);
}

void SCard(CommandContext& ctx, Args args) {
  size_t n = 0;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet,
                                      [&](const engine::Object& o) { n = o.Size(); });
  if (st != OpStatus::kOk && st != OpStatus::kNotFound) return ReplyStatus(ctx, st);
  ctx.reply.Integer(static_cast<int64_t>(n));
}

// SPOP key [count]. The count is validated before the key is looked up, as in Redis.
void SPop(CommandContext& ctx, Args args) {
  if (args.size() > 3) return ctx.reply.Error(errors::kSyntax);
  const bool with_count = args.size() == 3;
  int64_t count = 1;
  if (with_count && !ParseNonNegative(args[2], &count)) return ctx.reply.Error(kNotPositive);
  bool popped = false;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kSet, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) {
          if (with_count) {
            ctx.reply.SetHeader(0);
          } else {
            ctx.reply.Null();
          }
          return;
        }
        Set& s = AsSet(*o);
        if (with_count) {
          ctx.reply.SetHeader(std::min<uint64_t>(static_cast<uint64_t>(count), s.Size()));
        }
        // Taking every member empties the set, and the engine deletes the key.
        s.Pop(static_cast<uint64_t>(count), Rng(), [&](std::string_view m) {
          popped = true;
          ctx.reply.Bulk(m);
        });
        emptied = s.Size() == 0;
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (popped) NotifyChange(ctx, "spop", args[1], emptied);
}

// SRANDMEMBER key [count]: a negative count allows repetitions.
void SRandMember(CommandContext& ctx, Args args) {
  if (args.size() > 3) return ctx.reply.Error(errors::kSyntax);
  if (args.size() == 2) {
    OpStatus st = ctx.engine.ReadObject(
        ctx.client.db, args[1], ValueType::kSet, [&](const engine::Object& o) {
          AsSet(o).RandomMember(Rng(), [&](std::string_view m) { ctx.reply.Bulk(m); });
        });
    if (st == OpStatus::kNotFound) {
      ctx.reply.Null();
    } else if (st != OpStatus::kOk) {
      ReplyStatus(ctx, st);
    }
    return;
  }
  int64_t v;
  if (!cmd::ParseInt64(args[2], &v)) return ctx.reply.Error(errors::kNotInteger);
  if (v == std::numeric_limits<int64_t>::min()) return ctx.reply.Error(kRandCountRange);
  const bool distinct = v >= 0;
  const uint64_t count = static_cast<uint64_t>(v < 0 ? -v : v);
  int64_t cap = ctx.server.live.output_hard_limit.load(std::memory_order_relaxed);
  if (cap <= 0) cap = kDefaultReplyCap;
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet, [&](const engine::Object& o) {
        const Set& s = AsSet(o);
        const uint64_t n = distinct ? std::min<uint64_t>(count, s.Size()) : count;
        ctx.reply.ArrayHeader(n);
        if (n == 0) return;
        const size_t start = ctx.reply.buffer()->size();
        s.RandomMembers(count, distinct, Rng(), [&](std::string_view m) {
          ctx.reply.Bulk(m);
          if (ctx.reply.buffer()->size() - start <= static_cast<uint64_t>(cap)) return true;
          ctx.client.close_after_reply = true;  // the reply is cut short: drop the client
          return false;
        });
      });
  if (st == OpStatus::kNotFound) {
    ctx.reply.ArrayHeader(0);
  } else if (st != OpStatus::kOk) {
    ReplyStatus(ctx, st);
  }
}

// What an SMOVE changed, for its keyspace events.
struct SMoveOutcome {
  bool moved = false;        // removed from the source ("srem")
  bool src_emptied = false;  // ...which it left empty ("del")
  bool added = false;        // added to the destination ("sadd"; not when already a member)
};

// SMOVE source destination member. As Redis: a missing source answers 0 before any type check;
// a wrong type on either side is an error; moving within one key only checks membership. Runs
// under SMove's KeyLock.
SMoveOutcome SMoveLocked(CommandContext& ctx, Args args) {
  SMoveOutcome out;
  const int db = ctx.client.db;
  const ValueType src_type = ctx.engine.Type(db, args[1]);
  const ValueType dst_type = ctx.engine.Type(db, args[2]);
  if (src_type == ValueType::kNone) {
    ctx.reply.Integer(0);
    return out;
  }
  if (src_type != ValueType::kSet ||
      (dst_type != ValueType::kNone && dst_type != ValueType::kSet)) {
    ctx.reply.Error(errors::kWrongType);
    return out;
  }
  bool found = false;
  if (args[1] == args[2]) {
    (void)ctx.engine.ReadObject(db, args[1], ValueType::kSet, [&](const engine::Object& o) {
      found = AsSet(o).Contains(args[3]);
    });
    ctx.reply.Integer(found ? 1 : 0);
    return out;
  }
  (void)ctx.engine.UpdateObject(db, args[1], ValueType::kSet,
                                [&](std::unique_ptr<engine::Object>& o) {
                                  found = AsSet(*o).Remove(args[3]);
                                  out.src_emptied = o->Size() == 0;
                                });
  if (!found) {
    ctx.reply.Integer(0);
    return out;
  }
  out.moved = true;
  (void)ctx.engine.UpdateObject(db, args[2], ValueType::kSet,
                                [&](std::unique_ptr<engine::Object>& o) {
                                  if (o == nullptr) o = std::make_unique<Set>();
                                  out.added = AsSet(*o).Add(args[3]);
                                });
  ctx.reply.Integer(1);
  return out;
}

// Redis 7.0 announces "srem" on the source (then "del" if it emptied), then "sadd" on the
// destination only when the member was not there already.
void SMove(CommandContext& ctx, Args args) {
  SMoveOutcome out;
  {
    std::string_view keys[] = {args[1], args[2]};
    engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
    out = SMoveLocked(ctx, args);
  }
  if (out.moved) NotifyChange(ctx, "srem", args[1], out.src_emptied);
  if (out.added) Notify(ctx, kNotifySet, "sadd", args[2]);
}

// The sets named by `keys`, read under the caller's KeyLock (the pointers stay valid while it is
// held and nothing writes those keys). A missing key is a null pointer. Replies WRONGTYPE and
// returns false when a key holds another type, checking every key as Redis does.
bool CollectSets(CommandContext& ctx, Args keys, std::vector<const Set*>* sets, bool* any_missing) {
  sets->assign(keys.size(), nullptr);
  *any_missing = false;
  for (size_t i = 0; i < keys.size(); ++i) {
    OpStatus st = ctx.engine.ReadObject(ctx.client.db, keys[i], ValueType::kSet,
                                        [&](const engine::Object& o) { (*sets)[i] = &AsSet(o); });
    if (st == OpStatus::kWrongType) {
      ctx.reply.Error(errors::kWrongType);
      return false;
    }
    if (st == OpStatus::kNotFound) *any_missing = true;
  }
  return true;
}

// Stores a computed set under dst (replacing any value and its TTL, as Redis's setKey), or
// deletes dst when the result is empty; replies with the result's size.
// Stores a *STORE result and returns its keyspace event: `event` when a set was stored, "del"
// when an empty result removed an existing destination, nothing when it removed nothing.
std::string_view StoreResult(CommandContext& ctx, std::string_view dst, std::unique_ptr<Set> result,
                             std::string_view event) {
  const auto n = static_cast<int64_t>(result == nullptr ? 0 : result->Size());
  if (n == 0) {
    event = ctx.engine.Del(ctx.client.db, dst) ? "del" : "";
  } else {
    ctx.engine.SetObject(ctx.client.db, dst, ValueType::kSet, std::move(result));
  }
  ctx.reply.Integer(n);
  return event;
}

enum class SetOp { kInter, kUnion, kDiff };

// SINTER/SUNION/SDIFF (dst empty) and their STORE forms (dst = args[1]).
// Runs under SetAlgebra's KeyLock; returns the keyspace event of a *STORE (empty for none).
std::string_view SetAlgebraLocked(CommandContext& ctx, Args args, SetOp op, bool store) {
  Args keys = args.subspan(store ? 2 : 1);
  std::vector<const Set*> sets;
  bool any_missing;
  if (!CollectSets(ctx, keys, &sets, &any_missing)) return {};
  std::unique_ptr<Set> result;
  if (op == SetOp::kInter) {
    // An intersection with a missing (empty) set is empty.
    if (!any_missing) result = Set::Inter(sets);
  } else if (op == SetOp::kUnion) {
    result = Set::Union(sets);
  } else {
    result = Set::Diff(sets);
  }
  if (store) {
    constexpr std::string_view kStoreEvents[] = {"sinterstore", "sunionstore", "sdiffstore"};
    return StoreResult(ctx, args[1], std::move(result), kStoreEvents[static_cast<int>(op)]);
  }
  if (result == nullptr) {
    ctx.reply.SetHeader(0);
  } else {
    ReplyMembers(ctx, *result);
  }
  return {};
}

void SetAlgebra(CommandContext& ctx, Args args, SetOp op, bool store) {
  std::string_view event;
  {
    engine::KeyLock lock(ctx.engine, ctx.client.db, args.subspan(1));
    event = SetAlgebraLocked(ctx, args, op, store);
  }
  if (event.empty()) return;
  Notify(ctx, event == "del" ? kNotifyGeneric : kNotifySet, event, args[1]);
}

void SInter(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kInter, false); }
void SUnion(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kUnion, false); }
void SDiff(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kDiff, false); }
void SInterStore(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kInter, true); }
void SUnionStore(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kUnion, true); }
void SDiffStore(CommandContext& ctx, Args args) { SetAlgebra(ctx, args, SetOp::kDiff, true); }

// SINTERCARD numkeys key [key ...] [LIMIT limit]
void SInterCard(CommandContext& ctx, Args args) {
  int64_t numkeys;
  if (!cmd::ParseInt64(args[1], &numkeys) || numkeys < 1) {
    return ctx.reply.Error(kNumkeysNotPositive);
  }
  if (static_cast<uint64_t>(numkeys) > args.size() - 2) return ctx.reply.Error(kTooManyNumkeys);
  int64_t limit = 0;
  for (size_t i = 2 + static_cast<size_t>(numkeys); i < args.size(); ++i) {
    if (Is(args[i], "LIMIT") && i + 1 < args.size()) {
      if (!ParseNonNegative(args[++i], &limit)) return ctx.reply.Error(kLimitNegative);
    } else {
      return ctx.reply.Error(errors::kSyntax);
    }
  }
  Args keys = args.subspan(2, static_cast<size_t>(numkeys));
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  std::vector<const Set*> sets;
  bool any_missing;
  if (!CollectSets(ctx, keys, &sets, &any_missing)) return;
  if (any_missing) return ctx.reply.Integer(0);
  ctx.reply.Integer(static_cast<int64_t>(Set::InterCard(sets, static_cast<size_t>(limit))));
}

// SINTERCARD's keys for COMMAND GETKEYS, EXEC's locking and cluster routing: numkeys keys after
// the count. As Redis's genericGetKeys: none when numkeys is not a count the arguments can hold.
void SInterCardKeys(Args args, std::vector<size_t>* positions) {
  int64_t numkeys;
  if (args.size() < 2 || !cmd::ParseInt64(args[1], &numkeys) || numkeys < 1 ||
      static_cast<uint64_t>(numkeys) > args.size() - 2) {
    return;
  }
  for (size_t i = 2; i < 2 + static_cast<size_t>(numkeys); ++i) positions->push_back(i);
}

// SSCAN key cursor [MATCH pattern] [COUNT count]. As Redis's scanGenericCommand: the cursor is
// parsed first, then the key is looked up (a missing key answers an empty scan whatever the
// options), then the options. Cursor values are ringkv's own (a hash position in a table; 0 for
// the compact forms, which are returned whole), the guarantee is Redis's.
void SScan(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!cmd::ParseScanCursor(args[2], &cursor)) return ctx.reply.Error(errors::kInvalidCursor);
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kSet, [&](const engine::Object& o) {
        int64_t count = 10;
        std::string_view pattern;
        bool use_pattern = false;
        for (size_t i = 3; i < args.size(); i += 2) {
          const bool has_next = i + 1 < args.size();
          if (Is(args[i], "COUNT") && has_next) {
            if (!cmd::ParseInt64(args[i + 1], &count)) return ctx.reply.Error(errors::kNotInteger);
            if (count < 1) return ctx.reply.Error(errors::kSyntax);
          } else if (Is(args[i], "MATCH") && has_next) {
            pattern = args[i + 1];
            use_pattern = pattern != "*";
          } else {
            return ctx.reply.Error(errors::kSyntax);
          }
        }
        std::vector<std::string> found;
        const uint64_t next =
            AsSet(o).Scan(cursor, static_cast<size_t>(count), [&](std::string_view m) {
              if (!use_pattern || engine::GlobMatch(pattern, m)) found.emplace_back(m);
            });
        ctx.reply.ArrayHeader(2);
        ctx.reply.Bulk(std::to_string(next));
        ctx.reply.ArrayHeader(found.size());
        for (const std::string& m : found) ctx.reply.Bulk(m);
      });
  if (st == OpStatus::kNotFound) {
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("0");
    ctx.reply.ArrayHeader(0);
  } else if (st != OpStatus::kOk) {
    ReplyStatus(ctx, st);
  }
}

}  // namespace

void RegisterSetCommands(CommandTable& table) {
  // Facts (arity, flags, key positions, categories, tips, key-spec flags) as Redis 7.0.15's
  // COMMAND INFO reports them; summaries as its COMMAND DOCS.
  struct Def {
    std::string_view name;
    int arity;
    uint32_t flags;
    int first, last, step;
    std::string_view cats, tips, key_flags, since, summary;
    CommandHandler handler;
    KeyFinder get_keys = nullptr;
  };
  constexpr std::string_view kOrder = "nondeterministic_output_order";
  constexpr std::string_view kOutput = "nondeterministic_output";
  const Def defs[] = {
      {"sadd", -3, kWrite | kDenyOom | kFast, 1, 1, 1, "@write @set @fast", "", "RW insert",
       "1.0.0", "Add one or more members to a set", SAdd},
      {"srem", -3, kWrite | kFast, 1, 1, 1, "@write @set @fast", "", "RW delete", "1.0.0",
       "Remove one or more members from a set", SRem},
      {"smembers", 2, kReadonly, 1, 1, 1, "@read @set @slow", kOrder, "RO access", "1.0.0",
       "Get all the members in a set", SMembers},
      {"sismember", 3, kReadonly | kFast, 1, 1, 1, "@read @set @fast", "", "RO", "1.0.0",
       "Determine if a given value is a member of a set", SIsMember},
      {"smismember", -3, kReadonly | kFast, 1, 1, 1, "@read @set @fast", "", "RO access", "6.2.0",
       "Returns the membership associated with the given elements for a set", SMIsMember},
      {"scard", 2, kReadonly | kFast, 1, 1, 1, "@read @set @fast", "", "RO", "1.0.0",
       "Get the number of members in a set", SCard},
      {"spop", -2, kWrite | kFast, 1, 1, 1, "@write @set @fast", kOutput, "RW access delete",
       "1.0.0", "Remove and return one or multiple random members from a set", SPop},
      {"srandmember", -2, kReadonly, 1, 1, 1, "@read @set @slow", kOutput, "RO access", "1.0.0",
       "Get one or multiple random members from a set", SRandMember},
      // SMOVE and the STORE commands have two key specs in Redis; the table holds one, which
      // carries the first key's flags (as RENAME does).
      {"smove", 4, kWrite | kFast, 1, 2, 1, "@write @set @fast", "", "RW access delete", "1.0.0",
       "Move a member from one set to another", SMove},
      {"sinter", -2, kReadonly, 1, -1, 1, "@read @set @slow", kOrder, "RO access", "1.0.0",
       "Intersect multiple sets", SInter},
      // Redis describes SINTERCARD's keys with a "keynum" key spec (numkeys at index 1), which
      // the table cannot express: first/last/step are 0, COMMAND INFO lists no key spec, and
      // SInterCardKeys finds the keys.
      {"sintercard", -3, kReadonly | kMovableKeys, 0, 0, 0, "@read @set @slow", "", "", "7.0.0",
       "Intersect multiple sets and return the cardinality of the result", SInterCard,
       SInterCardKeys},
      {"sunion", -2, kReadonly, 1, -1, 1, "@read @set @slow", kOrder, "RO access", "1.0.0",
       "Add multiple sets", SUnion},
      {"sdiff", -2, kReadonly, 1, -1, 1, "@read @set @slow", kOrder, "RO access", "1.0.0",
       "Subtract multiple sets", SDiff},
      {"sinterstore", -3, kWrite | kDenyOom, 1, -1, 1, "@write @set @slow", "", "RW update",
       "1.0.0", "Intersect multiple sets and store the resulting set in a key", SInterStore},
      {"sunionstore", -3, kWrite | kDenyOom, 1, -1, 1, "@write @set @slow", "", "OW update",
       "1.0.0", "Add multiple sets and store the resulting set in a key", SUnionStore},
      {"sdiffstore", -3, kWrite | kDenyOom, 1, -1, 1, "@write @set @slow", "", "OW update", "1.0.0",
       "Subtract multiple sets and store the resulting set in a key", SDiffStore},
      {"sscan", -3, kReadonly, 1, 1, 1, "@read @set @slow", kOutput, "RO access", "2.8.0",
       "Incrementally iterate Set elements", SScan},
  };
  for (const Def& d : defs) {
    table.Add({.name = d.name,
               .arity = d.arity,
               .flags = d.flags,
               .first_key = d.first,
               .last_key = d.last,
               .key_step = d.step,
               .acl_categories = d.cats,
               .tips = d.tips,
               .key_spec_flags = d.key_flags,
               .group = "set",
               .since = d.since,
               .summary = d.summary,
               .handler = d.handler,
               .get_keys = d.get_keys});
  }
}

}  // namespace ringkv::server
