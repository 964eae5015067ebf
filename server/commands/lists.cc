// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// List commands (Redis's "list" group), except the blocking ones (BLPOP, BRPOP, BLMOVE,
// BRPOPLPUSH, BLMPOP), which are built on the same ListObject calls elsewhere. Each handler
// parses its arguments, calls the engine (one UpdateObject/ReadObject per key, under a KeyLock
// when a command names several keys) and writes Redis 7.0's reply. Arguments and the key are
// checked in the order Redis 7.0's t_list.c checks them, because that order decides which error
// a client sees when several things are wrong (LRANGE parses its indexes before it looks at the
// key; LINDEX and LSET look at the key first).
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <string_view>

#include "engine/key_lock.h"
#include "engine/types/list.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using engine::ListEnd;
using engine::ListObject;
using engine::Object;
using engine::OpStatus;
using engine::ValueType;

// Error texts only the list commands send (Redis 7.0 t_list.c and object.c wording).
constexpr std::string_view kMustBePositive = "ERR value is out of range, must be positive";
constexpr std::string_view kNumkeysPositive = "ERR numkeys should be greater than 0";
constexpr std::string_view kCountPositive = "ERR count should be greater than 0";
constexpr std::string_view kRankZero =
    "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use "
    "negative to start from the end of the list";
constexpr std::string_view kCountNegative = "ERR COUNT can't be negative";
constexpr std::string_view kMaxlenNegative = "ERR MAXLEN can't be negative";

ListObject& AsList(Object& o) { return static_cast<ListObject&>(o); }
const ListObject& AsList(const Object& o) { return static_cast<const ListObject&>(o); }

void ReplyBulk(CommandContext& ctx, std::string_view v) { ctx.reply.Bulk(v); }

// LEFT / RIGHT, as Redis's getListPositionFromObjectOrReply reads them.
bool ParseEnd(std::string_view s, ListEnd* end) {
  if (Is(s, "left")) {
    *end = ListEnd::kHead;
  } else if (Is(s, "right")) {
    *end = ListEnd::kTail;
  } else {
    return false;
  }
  return true;
}

// Redis's getPositiveLongFromObjectOrReply / getRangeLongFromObjectOrReply: one message for
// both "not an integer" and "out of range" when the command supplies one.
bool ParseAtLeast(std::string_view s, int64_t min, int64_t* out) {
  return cmd::ParseInt64(s, out) && *out >= min;
}

// Keyspace events (notify-keyspace-events) with Redis 7.0's t_list.c names, published after the
// write and, where a command holds a KeyLock, after the lock is released (as keys.cc does). As in
// Redis, a list left empty is announced as deleted ("del") after the command's own event.
void Notify(CommandContext& ctx, int type, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(ctx.server.pubsub, type, event, ctx.client.db, key);
}

void NotifyChange(CommandContext& ctx, std::string_view event, std::string_view key, bool emptied) {
  Notify(ctx, kNotifyList, event, key);
  if (emptied) Notify(ctx, kNotifyGeneric, "del", key);
}

std::string_view PushEvent(ListEnd end) { return end == ListEnd::kHead ? "lpush" : "rpush"; }
std::string_view PopEvent(ListEnd end) { return end == ListEnd::kHead ? "lpop" : "rpop"; }

// ---- Push. --------------------------------------------------------------------------------------

void PushGeneric(CommandContext& ctx, Args args, ListEnd end, bool only_if_exists) {
  size_t len = 0;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kList,
                                        [&](std::unique_ptr<Object>& o) {
                                          if (o == nullptr) {
                                            if (only_if_exists) return;
                                            o = std::make_unique<ListObject>();
                                          }
                                          ListObject& l = AsList(*o);
                                          for (size_t i = 2; i < args.size(); ++i)
                                            l.Push(end, args[i]);
                                          len = l.Size();
                                        });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
    return;
  }
  if (len > 0) Notify(ctx, kNotifyList, PushEvent(end), args[1]);
  ctx.reply.Integer(static_cast<int64_t>(len));
}

void LPush(CommandContext& ctx, Args args) { PushGeneric(ctx, args, ListEnd::kHead, false); }
void RPush(CommandContext& ctx, Args args) { PushGeneric(ctx, args, ListEnd::kTail, false); }
void LPushX(CommandContext& ctx, Args args) { PushGeneric(ctx, args, ListEnd::kHead, true); }
void RPushX(CommandContext& ctx, Args args) { PushGeneric(ctx, args, ListEnd::kTail, true); }

// ---- Pop. ---------------------------------------------------------------------------------------

// LPOP/RPOP key [count]. Without count: the element or a null. With count: an array of up to
// count elements, an empty array for count 0 on an existing list, a null array for a missing key
// (whatever the count). The count is parsed before the key is looked up.
void PopGeneric(CommandContext& ctx, Args args, std::string_view name, ListEnd end) {
  if (args.size() > 3) {
    ctx.reply.Error(errors::WrongArity(name));
    return;
  }
  const bool has_count = args.size() == 3;
  int64_t count = 0;
  if (has_count && !ParseAtLeast(args[2], 0, &count)) {
    ctx.reply.Error(kMustBePositive);
    return;
  }
  bool found = false;
  size_t popped = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kList, [&](std::unique_ptr<Object>& o) {
        if (o == nullptr) return;
        found = true;
        ListObject& l = AsList(*o);
        auto reply = [&](std::string_view v) {
          ++popped;
          ReplyBulk(ctx, v);
        };
        if (!has_count) {
          l.Pop(end, reply);
        } else {
          const size_t n = std::min<uint64_t>(static_cast<uint64_t>(count), l.Size());
          ctx.reply.ArrayHeader(n);
          l.PopMany(end, n, reply);
        }
        emptied = l.Size() == 0;
      });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  } else if (!found) {
    has_count ? ctx.reply.NullArray() : ctx.reply.Null();
  } else if (popped > 0) {  // LPOP key 0 announces nothing
    NotifyChange(ctx, PopEvent(end), args[1], emptied);
  }
}

void LPop(CommandContext& ctx, Args args) { PopGeneric(ctx, args, "lpop", ListEnd::kHead); }
void RPop(CommandContext& ctx, Args args) { PopGeneric(ctx, args, "rpop", ListEnd::kTail); }

// ---- Reads. -------------------------------------------------------------------------------------

void LLen(CommandContext& ctx, Args args) {
  size_t len = 0;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kList,
                                      [&](const Object& o) { len = o.Size(); });
  if (st == OpStatus::kWrongType) {
    ctx.reply.Error(errors::kWrongType);
    return;
  }
  ctx.reply.Integer(static_cast<int64_t>(len));
}

void LRange(CommandContext& ctx, Args args) {
  int64_t start, end;
  if (!cmd::ParseInt64(args[2], &start) || !cmd::ParseInt64(args[3], &end)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kList, [&](const Object& o) {
        const ListObject& l = AsList(o);
        ctx.reply.ArrayHeader(l.RangeLength(start, end));
        l.Range(start, end, [&](std::string_view v) { ReplyBulk(ctx, v); });
      });
  if (st == OpStatus::kNotFound) {
    ctx.reply.ArrayHeader(0);
  } else if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

void LIndex(CommandContext& ctx, Args args) {
  int64_t index;
  const bool parsed = cmd::ParseInt64(args[2], &index);
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kList, [&](const Object& o) {
        if (!parsed) {
          ctx.reply.Error(errors::kNotInteger);
        } else if (!AsList(o).Index(index, [&](std::string_view v) { ReplyBulk(ctx, v); })) {
          ctx.reply.Null();
        }
      });
  if (st == OpStatus::kNotFound) {
    ctx.reply.Null();
  } else if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
void LPos(CommandContext& ctx, Args args) {
  int64_t rank = 1, count = -1, maxlen = 0;  // count -1: no COUNT option
  for (size_t j = 3; j < args.size(); ++j) {
    const bool more = j + 1 < args.size();
    if (Is(args[j], "RANK") && more) {
      if (!cmd::ParseInt64(args[++j], &rank)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (rank == 0) {
        ctx.reply.Error(kRankZero);
        return;
      }
    } else if (Is(args[j], "COUNT") && more) {
      if (!ParseAtLeast(args[++j], 0, &count)) {
        ctx.reply.Error(kCountNegative);
        return;
      }
    } else if (Is(args[j], "MAXLEN") && more) {
      if (!ParseAtLeast(args[++j], 0, &maxlen)) {
        ctx.reply.Error(kMaxlenNegative);
        return;
      }
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  // A negative rank scans from the tail. Redis negates it as a C long, so RANK
  // -9223372036854775808 stays negative there and every match counts as ranked: the same as
  // RANK -1 (first match from the tail), with no limit on how many COUNT reports. Mirror that.
  const bool from_tail = rank < 0;
  uint64_t skip = 0;
  bool unlimited = false;
  if (rank == std::numeric_limits<int64_t>::min()) {
    unlimited = true;
  } else {
    skip = static_cast<uint64_t>(from_tail ? -rank : rank) - 1;
  }
  OpStatus st =
      ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kList, [&](const Object& o) {
        const ListObject& l = AsList(o);
        if (count == -1) {
          int64_t found = -1;
          l.Find(args[2], from_tail, skip, 1, static_cast<uint64_t>(maxlen),
                 [&](int64_t i) { found = i; });
          found >= 0 ? ctx.reply.Integer(found) : ctx.reply.Null();
          return;
        }
        std::vector<int64_t> positions;
        const uint64_t limit = unlimited ? 0 : static_cast<uint64_t>(count);
        l.Find(args[2], from_tail, skip, limit, static_cast<uint64_t>(maxlen),
               [&](int64_t i) { positions.push_back(i); });
        ctx.reply.ArrayHeader(positions.size());
        for (int64_t i : positions) ctx.reply.Integer(i);
      });
  if (st == OpStatus::kNotFound) {
    count == -1 ? ctx.reply.Null() : ctx.reply.ArrayHeader(0);
  } else if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  }
}

// ---- Edits. -------------------------------------------------------------------------------------

// LSET key index element: the key is looked up before the index is parsed.
void LSet(CommandContext& ctx, Args args) {
  int64_t index;
  const bool parsed = cmd::ParseInt64(args[2], &index);
  std::string_view error;
  bool found = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kList,
                                        [&](std::unique_ptr<Object>& o) {
                                          if (o == nullptr) return;
                                          found = true;
                                          if (!parsed) {
                                            error = errors::kNotInteger;
                                          } else if (!AsList(*o).Set(index, args[3])) {
                                            error = errors::kOutOfRange;
                                          }
                                        });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
  } else if (!found) {
    ctx.reply.Error(errors::kNoSuchKey);
  } else if (!error.empty()) {
    ctx.reply.Error(error);
  } else {
    Notify(ctx, kNotifyList, "lset", args[1]);
    ctx.reply.Ok();
  }
}

void LRem(CommandContext& ctx, Args args) {
  int64_t count;
  if (!cmd::ParseInt64(args[2], &count)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  size_t removed = 0;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kList,
                                        [&](std::unique_ptr<Object>& o) {
                                          if (o == nullptr) return;
                                          removed = AsList(*o).Remove(args[3], count);
                                          emptied = o->Size() == 0;
                                        });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
    return;
  }
  if (removed > 0) NotifyChange(ctx, "lrem", args[1], emptied);
  ctx.reply.Integer(static_cast<int64_t>(removed));
}

void LTrim(CommandContext& ctx, Args args) {
  int64_t start, end;
  if (!cmd::ParseInt64(args[2], &start) || !cmd::ParseInt64(args[3], &end)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  bool found = false;
  bool emptied = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kList,
                                        [&](std::unique_ptr<Object>& o) {
                                          if (o == nullptr) return;
                                          found = true;
                                          AsList(*o).Trim(start, end);
                                          emptied = o->Size() == 0;
                                        });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
    return;
  }
  // Redis 7.0 announces "ltrim" on any existing list, even when nothing was trimmed.
  if (found) NotifyChange(ctx, "ltrim", args[1], emptied);
  ctx.reply.Ok();
}

// LINSERT key BEFORE|AFTER pivot element: the length, -1 without the pivot, 0 without the key.
void LInsert(CommandContext& ctx, Args args) {
  bool after;
  if (Is(args[2], "after")) {
    after = true;
  } else if (Is(args[2], "before")) {
    after = false;
  } else {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  int64_t result = 0;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kList, [&](std::unique_ptr<Object>& o) {
        if (o == nullptr) return;
        ListObject& l = AsList(*o);
        result = l.Insert(args[3], args[4], after) ? static_cast<int64_t>(l.Size()) : -1;
      });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
    return;
  }
  if (result > 0) Notify(ctx, kNotifyList, "linsert", args[1]);
  ctx.reply.Integer(result);
}

// ---- Moves. -------------------------------------------------------------------------------------

// What an LMOVE changed, for its keyspace events.
struct MoveOutcome {
  bool moved = false;        // an element went from src to dst
  bool src_emptied = false;  // ...and src was left empty (deleted)
};

// LMOVE / RPOPLPUSH. Redis looks up the source (missing: null, another type: WRONGTYPE), then
// checks the destination's type, and only then pops; so a refused command changes nothing. With
// source == destination the element rotates inside one list (one engine call: the key must not
// be opened twice from a callback). Runs under MoveGeneric's KeyLock.
MoveOutcome MoveLocked(CommandContext& ctx, std::string_view src, std::string_view dst,
                       ListEnd from, ListEnd to) {
  MoveOutcome out;
  const int db = ctx.client.db;
  if (src == dst) {
    bool found = false;
    OpStatus st =
        ctx.engine.UpdateObject(db, src, ValueType::kList, [&](std::unique_ptr<Object>& o) {
          if (o == nullptr) return;
          found = AsList(*o).Rotate(from, to, [&](std::string_view v) { ReplyBulk(ctx, v); });
        });
    if (st != OpStatus::kOk) {
      ctx.reply.Error(errors::OpStatusMessage(st));
    } else if (!found) {
      ctx.reply.Null();
    }
    out.moved = st == OpStatus::kOk && found;
    return out;
  }
  const ValueType src_type = ctx.engine.Type(db, src);
  if (src_type == ValueType::kNone) {
    ctx.reply.Null();
    return out;
  }
  const ValueType dst_type = ctx.engine.Type(db, dst);
  if (src_type != ValueType::kList ||
      (dst_type != ValueType::kNone && dst_type != ValueType::kList)) {
    ctx.reply.Error(errors::kWrongType);
    return out;
  }
  std::string value;
  bool popped = false;
  OpStatus st = ctx.engine.UpdateObject(db, src, ValueType::kList, [&](std::unique_ptr<Object>& o) {
    if (o == nullptr) return;
    popped = AsList(*o).Pop(from, &value);
    out.src_emptied = o->Size() == 0;
  });
  if (st != OpStatus::kOk || !popped) {
    // Not reachable under the KeyLock (the types were just checked); answer as Redis would.
    ctx.reply.Null();
    return out;
  }
  st = ctx.engine.UpdateObject(db, dst, ValueType::kList, [&](std::unique_ptr<Object>& o) {
    if (o == nullptr) o = std::make_unique<ListObject>();
    AsList(*o).Push(to, value);
  });
  if (st != OpStatus::kOk) {
    ctx.reply.Error(errors::OpStatusMessage(st));
    return out;
  }
  out.moved = true;
  ctx.reply.Bulk(value);
  return out;
}

// Redis 7.0 (t_list.c lmoveGenericCommand, checked against redis-server 7.0.15) announces the
// push on the destination first, then the pop on the source, then "del" if the source emptied;
// the keyspace-notifications page claims the opposite order, the server does not.
void MoveGeneric(CommandContext& ctx, std::string_view src, std::string_view dst, ListEnd from,
                 ListEnd to) {
  MoveOutcome out;
  {
    std::string_view keys[] = {src, dst};
    engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
    out = MoveLocked(ctx, src, dst, from, to);
  }
  if (!out.moved) return;
  Notify(ctx, kNotifyList, PushEvent(to), dst);
  NotifyChange(ctx, PopEvent(from), src, out.src_emptied);
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
void LMove(CommandContext& ctx, Args args) {
  ListEnd from, to;
  if (!ParseEnd(args[3], &from) || !ParseEnd(args[4], &to)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  MoveGeneric(ctx, args[1], args[2], from, to);
}

void RPopLPush(CommandContext& ctx, Args args) {
  MoveGeneric(ctx, args[1], args[2], ListEnd::kTail, ListEnd::kHead);
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]: pops from the first non-empty list
// and replies [key, [elements]]; a null array when every key is missing. A key of another type
// met before that list is an error (later ones are never looked at).
void LMPop(CommandContext& ctx, Args args) {
  int64_t numkeys;
  if (!ParseAtLeast(args[1], 1, &numkeys)) {
    ctx.reply.Error(kNumkeysPositive);
    return;
  }
  // The direction follows the keys; it must exist (numkeys + 2 < argc).
  if (static_cast<uint64_t>(numkeys) >= args.size() - 2) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  const size_t where = 2 + static_cast<size_t>(numkeys);
  ListEnd end;
  if (!ParseEnd(args[where], &end)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  int64_t count = -1;
  for (size_t j = where + 1; j < args.size(); ++j) {
    if (count == -1 && Is(args[j], "COUNT") && j + 1 < args.size()) {
      if (!ParseAtLeast(args[++j], 1, &count)) {
        ctx.reply.Error(kCountPositive);
        return;
      }
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  if (count == -1) count = 1;
  const int db = ctx.client.db;
  Args keys = args.subspan(2, static_cast<size_t>(numkeys));
  std::string_view popped_key;
  bool popped = false;
  bool emptied = false;
  {
    engine::KeyLock lock(ctx.engine, db, keys);
    for (std::string_view key : keys) {
      OpStatus st =
          ctx.engine.UpdateObject(db, key, ValueType::kList, [&](std::unique_ptr<Object>& o) {
            if (o == nullptr || o->Size() == 0) return;
            ListObject& l = AsList(*o);
            const size_t n = std::min<uint64_t>(static_cast<uint64_t>(count), l.Size());
            ctx.reply.ArrayHeader(2);
            ctx.reply.Bulk(key);
            ctx.reply.ArrayHeader(n);
            l.PopMany(end, n, [&](std::string_view v) { ReplyBulk(ctx, v); });
            popped_key = key;
            popped = true;
            emptied = l.Size() == 0;
          });
      if (st != OpStatus::kOk) {
        ctx.reply.Error(errors::OpStatusMessage(st));
        return;
      }
      if (popped) break;
    }
  }
  if (!popped) {
    ctx.reply.NullArray();
    return;
  }
  NotifyChange(ctx, PopEvent(end), popped_key, emptied);
}

struct ListCommand {
  std::string_view name;
  int arity;
  uint32_t flags;
  int last_key;
  std::string_view key_spec_flags;
  std::string_view since;
  std::string_view summary;
  CommandHandler handler;
};

}  // namespace

void RegisterListCommands(CommandTable& table) {
  // Facts (arity, flags, key specs, categories, summaries) as Redis 7.0.15's COMMAND INFO and
  // COMMAND DOCS report them.
  constexpr uint32_t kW = kWrite | kDenyOom;
  constexpr uint32_t kWF = kWrite | kDenyOom | kFast;
  const ListCommand commands[] = {
      {"lpush", -3, kWF, 1, "RW insert", "1.0.0", "Prepend one or multiple elements to a list",
       LPush},
      {"rpush", -3, kWF, 1, "RW insert", "1.0.0", "Append one or multiple elements to a list",
       RPush},
      {"lpushx", -3, kWF, 1, "RW insert", "2.2.0",
       "Prepend an element to a list, only if the list exists", LPushX},
      {"rpushx", -3, kWF, 1, "RW insert", "2.2.0",
       "Append an element to a list, only if the list exists", RPushX},
      {"lpop", -2, kWrite | kFast, 1, "RW access delete", "1.0.0",
       "Remove and get the first elements in a list", LPop},
      {"rpop", -2, kWrite | kFast, 1, "RW access delete", "1.0.0",
       "Remove and get the last elements in a list", RPop},
      {"llen", 2, kReadonly | kFast, 1, "RO", "1.0.0", "Get the length of a list", LLen},
      {"lrange", 4, kReadonly, 1, "RO access", "1.0.0", "Get a range of elements from a list",
       LRange},
      {"lindex", 3, kReadonly, 1, "RO access", "1.0.0", "Get an element from a list by its index",
       LIndex},
      {"lset", 4, kW, 1, "RW update", "1.0.0", "Set the value of an element in a list by its index",
       LSet},
      {"lrem", 4, kWrite, 1, "RW delete", "1.0.0", "Remove elements from a list", LRem},
      {"ltrim", 4, kWrite, 1, "RW delete", "1.0.0", "Trim a list to the specified range", LTrim},
      {"linsert", 5, kW, 1, "RW insert", "2.2.0",
       "Insert an element before or after another element in a list", LInsert},
      {"lpos", -3, kReadonly, 1, "RO access", "6.0.6",
       "Return the index of matching elements on a list", LPos},
      // LMOVE and RPOPLPUSH have two key specs in Redis (source "RW access delete", destination
      // "RW insert"); the table holds one, so it carries the source's, as RENAME does.
      {"lmove", 5, kW, 2, "RW access delete", "6.2.0",
       "Pop an element from a list, push it to another list and return it", LMove},
      {"rpoplpush", 3, kW, 2, "RW access delete", "1.2.0",
       "Remove the last element in a list, prepend it to another list and return it", RPopLPush},
  };
  for (const ListCommand& c : commands) {
    const bool write = c.flags & kWrite;
    const bool fast = c.flags & kFast;
    std::string_view cats = write ? (fast ? "@write @list @fast" : "@write @list @slow")
                                  : (fast ? "@read @list @fast" : "@read @list @slow");
    table.Add({.name = c.name,
               .arity = c.arity,
               .flags = c.flags,
               .first_key = 1,
               .last_key = c.last_key,
               .key_step = 1,
               .acl_categories = cats,
               .key_spec_flags = c.key_spec_flags,
               .group = "list",
               .since = c.since,
               .summary = c.summary,
               .handler = c.handler});
  }
  // LMPOP's keys follow a count (a "keynum" key spec in Redis), which the table cannot express:
  // like Redis's legacy fields it reports 0 0 0 and movablekeys, and no key spec.
  table.Add({.name = "lmpop",
             .arity = -4,
             .flags = kWrite | kMovableKeys,
             .acl_categories = "@write @list @slow",
             .group = "list",
             .since = "7.0.0",
             .summary = "Pop elements from a list",
             .handler = LMPop});
}

}  // namespace ringkv::server
