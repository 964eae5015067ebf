// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The consumer-group and introspection commands: XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM and
// XINFO, in Redis 7.0's argument order and replies (entries-read and lag as t_stream.c computes
// them, engine/types/stream.h).
#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types/stream.h"
#include "protocol/output_buffer.h"
#include "server/commands/command_util.h"
#include "server/commands/stream_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server::stream_cmd {

// ---- XGROUP. -----------------------------------------------------------------------------------

namespace {

constexpr std::string_view kXGroupHelp[] = {
    "CREATE <key> <groupname> <id|$> [option]",
    "    Create a new consumer group. Options are:",
    "    * MKSTREAM",
    "      Create the empty stream if it does not exist.",
    "    * ENTRIESREAD entries_read",
    "      Set the group's entries_read counter (internal use).",
    "CREATECONSUMER <key> <groupname> <consumer>",
    "    Create a new consumer in the specified group.",
    "DELCONSUMER <key> <groupname> <consumer>",
    "    Remove the specified consumer.",
    "DESTROY <key> <groupname>",
    "    Remove the specified group.",
    "SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]",
    "    Set the current group ID and entries_read counter.",
};

// Redis 7's subcommand arities for XGROUP.
bool XGroupArity(CommandContext& ctx, Args args, std::string_view* sub) {
  struct Sub {
    std::string_view name;
    int arity;
  };
  static constexpr Sub kSubs[] = {{"create", -5},        {"setid", -5},      {"destroy", 4},
                                  {"createconsumer", 5}, {"delconsumer", 5}, {"help", 2}};
  for (const Sub& s : kSubs) {
    if (!Is(args[1], s.name)) continue;
    const bool ok = s.arity >= 0 ? args.size() == static_cast<size_t>(s.arity)
                                 : args.size() >= static_cast<size_t>(-s.arity);
    if (!ok) {
      ctx.reply.Error(errors::WrongArity(std::string("xgroup|").append(s.name)));
      return false;
    }
    *sub = s.name;
    return true;
  }
  ctx.reply.Error(errors::UnknownSubcommand(args[1], "XGROUP"));
  return false;
}

}  // namespace

namespace {

// What one XGROUP call asks for, its options parsed.
struct GroupCall {
  std::string_view sub;  // lower case
  std::string_view key;
  std::string_view group;
  bool mkstream = false;
  int64_t entries_read = -1;
};

// CREATE's MKSTREAM / ENTRIESREAD and SETID's ENTRIESREAD, then Redis's extra argument checks
// (the arity allows more than CREATE and SETID take). False after replying an error.
bool ParseGroupOptions(CommandContext& ctx, Args args, GroupCall* call) {
  const bool create = call->sub == "create";
  const bool setid = call->sub == "setid";
  for (size_t i = 5; i < args.size();) {
    if (create && Is(args[i], "mkstream")) {
      call->mkstream = true;
      ++i;
    } else if ((create || setid) && Is(args[i], "entriesread") && i + 1 < args.size()) {
      if (!ParseInt64(args[i + 1], &call->entries_read)) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      if (call->entries_read < 0 && call->entries_read != -1) {
        ctx.reply.Error("ERR value for ENTRIESREAD must be positive or -1");
        return false;
      }
      i += 2;
    } else {
      ctx.reply.Error(SubcommandSyntax(args));
      return false;
    }
  }
  if ((create && args.size() > 8) || (setid && args.size() != 5 && args.size() != 7)) {
    ctx.reply.Error(SubcommandSyntax(args));
    return false;
  }
  return true;
}

// The outcome of one XGROUP subcommand on the stream.
struct GroupOutcome {
  std::string error;
  std::string_view event;  // keyspace event to publish
  int64_t integer = -1;    // -1: reply OK
};

// Runs the subcommand on the key's stream (o null: no such key), in Redis's order of checks.
GroupOutcome RunGroup(const GroupCall& call, Args args, int64_t now,
                      std::unique_ptr<engine::Object>& o) {
  GroupOutcome out;
  if (o == nullptr && !call.mkstream) {
    out.error =
        "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
        "want to use the MKSTREAM option to create an empty stream automatically.";
    return out;
  }
  const bool create = call.sub == "create";
  Stream::Group* g = o != nullptr ? AsStream(*o).FindGroup(call.group) : nullptr;
  if (g == nullptr && !create && call.sub != "destroy") {
    out.error = "NOGROUP No such consumer group '" + std::string(call.group) + "' for key name '" +
                std::string(call.key) + "'";
    return out;
  }
  if (create || call.sub == "setid") {
    StreamId id;
    if (args[4] == "$") {
      id = o != nullptr ? AsStream(*o).last_id() : StreamId{};
    } else if (!engine::ParseStreamId(args[4], 0, /*strict=*/create, &id)) {
      out.error = kInvalidId;
      return out;
    }
    if (!create) {
      g->last_id = id;
      g->entries_read = call.entries_read;
      out.event = "xgroup-setid";
      return out;
    }
    if (o == nullptr) o = std::make_unique<Stream>();
    if (AsStream(*o).CreateGroup(call.group, id, call.entries_read) == nullptr) {
      out.error = "BUSYGROUP Consumer Group name already exists";
      return out;
    }
    out.event = "xgroup-create";
  } else if (call.sub == "destroy") {
    out.integer = AsStream(*o).DestroyGroup(call.group) ? 1 : 0;
    if (out.integer == 1) out.event = "xgroup-destroy";
  } else if (call.sub == "createconsumer") {
    out.integer = Stream::CreateConsumer(*g, args[4], now) != nullptr ? 1 : 0;
    if (out.integer == 1) out.event = "xgroup-createconsumer";
  } else {  // delconsumer
    Stream::Consumer* c = Stream::FindConsumer(*g, args[4], now, false);
    out.integer = 0;
    if (c != nullptr) {
      out.integer = static_cast<int64_t>(Stream::DeleteConsumer(*g, c));
      out.event = "xgroup-delconsumer";
    }
  }
  return out;
}

}  // namespace

void XGroup(CommandContext& ctx, Args args) {
  GroupCall call;
  if (!XGroupArity(ctx, args, &call.sub)) return;
  if (call.sub == "help") {
    cmd::ReplyHelp(ctx,
                   "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kXGroupHelp);
    return;
  }
  if (!ParseGroupOptions(ctx, args, &call)) return;
  call.key = args[2];
  call.group = args[3];
  const int64_t now = ctx.engine.clock().NowMs();
  GroupOutcome out;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, call.key, ValueType::kStream,
      [&](std::unique_ptr<engine::Object>& o) { out = RunGroup(call, args, now, o); });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!out.error.empty()) {
    ctx.reply.Error(out.error);
    return;
  }
  if (out.integer >= 0) {
    ctx.reply.Integer(out.integer);
  } else {
    ctx.reply.Ok();
  }
  if (!out.event.empty()) Notify(ctx.server, ctx.client.db, out.event, call.key);
}

// XGROUP / XINFO: the key is the third argument (none for HELP).
void SubcommandKey(Args args, std::vector<size_t>* out) {
  if (args.size() >= 3 && !Is(args[1], "help")) out->push_back(2);
}

// ---- XACK / XPENDING. --------------------------------------------------------------------------

void XAck(CommandContext& ctx, Args args) {
  int64_t acked = 0;
  bool bad_id = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) return;
        Stream::Group* g = AsStream(*o).FindGroup(args[2]);
        if (g == nullptr) return;
        std::vector<StreamId> ids(args.size() - 3);
        for (size_t j = 3; j < args.size(); ++j) {
          if (!engine::ParseStreamId(args[j], 0, true, &ids[j - 3])) {
            bad_id = true;
            return;
          }
        }
        for (StreamId id : ids) acked += Stream::Ack(*g, id) ? 1 : 0;
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (bad_id) {
    ctx.reply.Error(kInvalidId);
    return;
  }
  ctx.reply.Integer(acked);
}

namespace {

// XPENDING's extended form: [IDLE min] start end count [consumer].
struct PendingRange {
  StreamId start;
  StreamId end;
  int64_t count = 0;
  int64_t minidle = 0;
  std::optional<std::string_view> consumer;
};

// Parses the extended form's arguments, in Redis's order. False after replying an error.
bool ParsePendingRange(CommandContext& ctx, Args args, PendingRange* p) {
  size_t at = 3;
  if (Is(args[3], "idle")) {
    if (!ParseInt64(args[4], &p->minidle)) {
      ctx.reply.Error(errors::kNotInteger);
      return false;
    }
    if (args.size() < 8) {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
    at += 2;
  }
  if (!ParseInt64(args[at + 2], &p->count)) {
    ctx.reply.Error(errors::kNotInteger);
    return false;
  }
  if (p->count < 0) p->count = 0;
  if (!ParseInterval(ctx, args[at], 0, true, &p->start)) return false;
  if (!ParseInterval(ctx, args[at + 1], UINT64_MAX, false, &p->end)) return false;
  if (at + 3 < args.size()) p->consumer = args[at + 3];
  return true;
}

// [count, first ID, last ID, [[consumer, count as a bulk string], ...]]
void ReplyPendingSummary(protocol::ReplyEncoder& reply, const Stream::Group& g) {
  reply.ArrayHeader(4);
  reply.Integer(static_cast<int64_t>(g.pel.size()));
  if (g.pel.empty()) {
    reply.Null();
    reply.Null();
    reply.NullArray();
    return;
  }
  ReplyId(reply, g.pel.begin()->first);
  ReplyId(reply, std::prev(g.pel.end())->first);
  size_t owners = 0;
  for (const auto& [name, c] : g.consumers) owners += c->pel.empty() ? 0 : 1;
  reply.ArrayHeader(owners);
  for (const auto& [name, c] : g.consumers) {
    if (c->pel.empty()) continue;
    reply.ArrayHeader(2);
    reply.Bulk(name);
    reply.Bulk(std::to_string(c->pel.size()));
  }
}

// [[id, consumer, idle ms, deliveries], ...] of the group's (or one consumer's) PEL in range.
void ReplyPendingRange(protocol::ReplyEncoder& reply, const Stream::Group& g, PendingRange p,
                       int64_t now) {
  const Stream::Consumer* c = nullptr;
  if (p.consumer) {
    auto it = g.consumers.find(*p.consumer);
    if (it == g.consumers.end()) {
      reply.ArrayHeader(0);
      return;
    }
    c = it->second.get();
  }
  CountedArray(reply, [&](protocol::ReplyEncoder& r) {
    size_t n = 0;
    auto emit = [&](StreamId id, const Stream::Nack& nack) {
      if (p.minidle != 0 && now - nack.delivery_time < p.minidle) return;
      ++n;
      --p.count;
      r.ArrayHeader(4);
      ReplyId(r, id);
      r.Bulk(nack.consumer != nullptr ? std::string_view(nack.consumer->name) : "");
      r.Integer(std::max<int64_t>(0, now - nack.delivery_time));
      r.Integer(static_cast<int64_t>(nack.delivery_count));
    };
    if (c != nullptr) {
      for (auto it = c->pel.lower_bound(p.start); p.count > 0 && it != c->pel.end(); ++it) {
        if (*it > p.end) break;
        emit(*it, g.pel.find(*it)->second);
      }
    } else {
      for (auto it = g.pel.lower_bound(p.start); p.count > 0 && it != g.pel.end(); ++it) {
        if (it->first > p.end) break;
        emit(it->first, it->second);
      }
    }
    return n;
  });
}

}  // namespace

void XPending(CommandContext& ctx, Args args) {
  const bool justinfo = args.size() == 3;
  if (args.size() != 3 && (args.size() < 6 || args.size() > 9)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  PendingRange range;
  if (!justinfo && !ParsePendingRange(ctx, args, &range)) return;
  const int64_t now = ctx.engine.clock().NowMs();
  bool found = false;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kStream,
                                      [&](const engine::Object& o) {
                                        const Stream::Group* g = AsStream(o).FindGroup(args[2]);
                                        if (g == nullptr) return;
                                        found = true;
                                        if (justinfo) {
                                          ReplyPendingSummary(ctx.reply, *g);
                                        } else {
                                          ReplyPendingRange(ctx.reply, *g, range, now);
                                        }
                                      });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  if (!found) ctx.reply.Error(NoGroup(args[1], args[2]));
}

// ---- XCLAIM / XAUTOCLAIM. ----------------------------------------------------------------------

namespace {

struct ClaimOptions {
  int64_t minidle = 0;
  std::vector<StreamId> ids;
  bool force = false;
  bool justid = false;
  int64_t retrycount = -1;    // -1: not given
  int64_t deliverytime = -1;  // -1: not given (now)
  StreamId last_id;
};

// XCLAIM's min-idle-time, IDs (until the first argument that is not one) and options, as
// Redis parses them once the group is known. Returns the error reply, or "".
std::string ParseClaim(Args args, int64_t now, ClaimOptions* o) {
  if (!ParseInt64(args[4], &o->minidle)) return "ERR Invalid min-idle-time argument for XCLAIM";
  if (o->minidle < 0) o->minidle = 0;
  size_t j = 5;
  for (StreamId id; j < args.size() && engine::ParseStreamId(args[j], 0, true, &id); ++j) {
    o->ids.push_back(id);
  }
  for (; j < args.size(); ++j) {
    const bool more = j + 1 < args.size();
    std::string_view opt = args[j];
    if (Is(opt, "force")) {
      o->force = true;
    } else if (Is(opt, "justid")) {
      o->justid = true;
    } else if (Is(opt, "idle") && more) {
      if (!ParseInt64(args[++j], &o->deliverytime)) {
        return "ERR Invalid IDLE option argument for XCLAIM";
      }
      o->deliverytime = now - o->deliverytime;
    } else if (Is(opt, "time") && more) {
      if (!ParseInt64(args[++j], &o->deliverytime)) {
        return "ERR Invalid TIME option argument for XCLAIM";
      }
    } else if (Is(opt, "retrycount") && more) {
      if (!ParseInt64(args[++j], &o->retrycount)) {
        return "ERR Invalid RETRYCOUNT option argument for XCLAIM";
      }
    } else if (Is(opt, "lastid") && more) {
      if (!engine::ParseStreamId(args[++j], 0, true, &o->last_id)) return std::string(kInvalidId);
    } else {
      return "ERR Unrecognized XCLAIM option '" + std::string(opt) + "'";
    }
  }
  if (o->deliverytime == -1 || o->deliverytime < 0 || o->deliverytime > now) {
    o->deliverytime = now;
  }
  return "";
}

// Claims `id` for the consumer named `name` (created on the first claim, *consumer then set)
// and writes its reply element. False when there was nothing to claim: the entry is gone (its
// PEL entry goes too), it is not pending and not forced, or it was delivered too recently.
bool ClaimOne(Stream& s, Stream::Group& g, StreamId id, const ClaimOptions& o,
              std::string_view name, int64_t now, Stream::Consumer** consumer,
              protocol::ReplyEncoder& r) {
  auto pit = g.pel.find(id);
  const bool pending = pit != g.pel.end();
  if (!s.Contains(id)) {
    if (pending) Stream::Ack(g, id);
    return false;
  }
  if (!pending && !o.force) return false;
  if (pending && pit->second.consumer != nullptr && o.minidle != 0 &&
      now - pit->second.delivery_time < o.minidle) {
    return false;
  }
  if (*consumer == nullptr) {
    *consumer = Stream::FindConsumer(g, name, now, true);
    if (*consumer == nullptr) *consumer = Stream::CreateConsumer(g, name, now);
  }
  Stream::Nack& nack = Stream::Assign(g, id, *consumer, now);
  nack.delivery_time = o.deliverytime;
  if (o.retrycount >= 0) {
    nack.delivery_count = static_cast<uint64_t>(o.retrycount);
  } else if (!o.justid) {
    ++nack.delivery_count;
  }
  if (o.justid) {
    ReplyId(r, id);
  } else {
    s.Range(id, id, 1, false,
            [&](StreamId eid, std::span<const std::string_view> fv) { ReplyEntry(r, eid, fv); });
  }
  return true;
}

}  // namespace

void XClaim(CommandContext& ctx, Args args) {
  const int64_t now = ctx.engine.clock().NowMs();
  std::string error;
  bool found_group = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) return;
        Stream& s = AsStream(*o);
        Stream::Group* g = s.FindGroup(args[2]);
        if (g == nullptr) return;
        found_group = true;
        ClaimOptions opts;
        error = ParseClaim(args, now, &opts);
        if (!error.empty()) return;
        if (opts.last_id > g->last_id) g->last_id = opts.last_id;
        Stream::Consumer* consumer = nullptr;
        CountedArray(ctx.reply, [&](protocol::ReplyEncoder& r) {
          size_t n = 0;
          for (StreamId id : opts.ids) {
            n += ClaimOne(s, *g, id, opts, args[3], now, &consumer, r) ? 1 : 0;
          }
          return n;
        });
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!found_group) {
    ctx.reply.Error(NoGroup(args[1], args[2]));
    return;
  }
  if (!error.empty()) ctx.reply.Error(error);
}

namespace {

struct AutoClaimArgs {
  int64_t minidle = 0;
  StreamId start;
  int64_t count = 100;
  bool justid = false;
};

// XAUTOCLAIM's min-idle-time, start and options, parsed before the key is looked up, as Redis
// does. False after replying an error.
bool ParseAutoClaim(CommandContext& ctx, Args args, AutoClaimArgs* a) {
  if (!ParseInt64(args[4], &a->minidle)) {
    ctx.reply.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    return false;
  }
  if (a->minidle < 0) a->minidle = 0;
  if (!ParseInterval(ctx, args[5], 0, true, &a->start)) return false;
  for (size_t j = 6; j < args.size(); ++j) {
    if (Is(args[j], "count") && j + 1 < args.size()) {
      constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max() / 16;
      // Redis's getRangeLongFromObjectOrReply: one message for "not a number" and out of range.
      if (!ParseInt64(args[j + 1], &a->count) || a->count < 1 || a->count > kMaxCount) {
        ctx.reply.Error("ERR COUNT must be > 0");
        return false;
      }
      ++j;
    } else if (Is(args[j], "justid")) {
      a->justid = true;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

// Walks the group's PEL from a.start, claiming for `name` what was idle long enough (at most
// a.count entries, looking at most 10 times as many), and replies [next start, claimed,
// deleted IDs]. Entries deleted from the stream leave the PEL and count against a.count.
void AutoClaim(protocol::ReplyEncoder& reply, Stream& s, Stream::Group& g, const AutoClaimArgs& a,
               std::string_view name, int64_t now) {
  int64_t attempts = a.count * 10;
  int64_t left = a.count;
  std::vector<StreamId> deleted;
  Stream::Consumer* consumer = nullptr;
  protocol::OutputBuffer tmp(4096);
  protocol::ReplyEncoder r(&tmp, reply.version());
  size_t n = 0;
  auto it = g.pel.lower_bound(a.start);
  while (attempts-- > 0 && left > 0 && it != g.pel.end()) {
    const StreamId id = it->first;
    if (!s.Contains(id)) {
      Stream::Ack(g, id);
      deleted.push_back(id);
      --left;
      it = g.pel.lower_bound(id);
      continue;
    }
    if (a.minidle != 0 && now - it->second.delivery_time < a.minidle) {
      ++it;
      continue;
    }
    if (consumer == nullptr) {
      consumer = Stream::FindConsumer(g, name, now, true);
      if (consumer == nullptr) consumer = Stream::CreateConsumer(g, name, now);
    }
    Stream::Nack& nack = Stream::Assign(g, id, consumer, now);
    nack.delivery_time = now;
    if (a.justid) {
      ReplyId(r, id);
    } else {
      ++nack.delivery_count;
      s.Range(id, id, 1, false,
              [&](StreamId eid, std::span<const std::string_view> fv) { ReplyEntry(r, eid, fv); });
    }
    ++n;
    --left;
    it = g.pel.upper_bound(id);
  }
  reply.ArrayHeader(3);
  ReplyId(reply, it != g.pel.end() ? it->first : StreamId{});
  reply.ArrayHeader(n);
  reply.buffer()->Append(tmp.ToString());
  reply.ArrayHeader(deleted.size());
  for (StreamId id : deleted) ReplyId(reply, id);
}

}  // namespace

void XAutoClaim(CommandContext& ctx, Args args) {
  AutoClaimArgs a;
  if (!ParseAutoClaim(ctx, args, &a)) return;
  const int64_t now = ctx.engine.clock().NowMs();
  bool found_group = false;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kStream,
                                        [&](std::unique_ptr<engine::Object>& o) {
                                          if (o == nullptr) return;
                                          Stream& s = AsStream(*o);
                                          Stream::Group* g = s.FindGroup(args[2]);
                                          if (g == nullptr) return;
                                          found_group = true;
                                          AutoClaim(ctx.reply, s, *g, a, args[3], now);
                                        });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!found_group) ctx.reply.Error(NoGroup(args[1], args[2]));
}

// ---- XINFO. ------------------------------------------------------------------------------------

namespace {

constexpr std::string_view kXInfoHelp[] = {
    "CONSUMERS <key> <groupname>",
    "    Show consumers of <groupname>.",
    "GROUPS <key>",
    "    Show the stream consumer groups.",
    "STREAM <key> [FULL [COUNT <count>]",
    "    Show information about the stream.",
};

void ReplyLag(protocol::ReplyEncoder& r, const Stream& s, const Stream::Group& g) {
  const std::optional<int64_t> lag = s.Lag(g);
  if (lag) {
    r.Integer(*lag);
  } else {
    r.Null();
  }
}

void ReplyEntriesRead(protocol::ReplyEncoder& r, const Stream::Group& g) {
  if (g.entries_read != -1) {
    r.Integer(g.entries_read);
  } else {
    r.Null();
  }
}

// One group of XINFO STREAM FULL: its counters, up to `limit` (0: all) of its pending entries
// and, per consumer, up to `limit` of the consumer's.
void ReplyGroupFull(protocol::ReplyEncoder& r, const Stream& s, std::string_view name,
                    const Stream::Group& g, size_t limit) {
  r.MapHeader(7);
  r.Bulk("name");
  r.Bulk(name);
  r.Bulk("last-delivered-id");
  ReplyId(r, g.last_id);
  r.Bulk("entries-read");
  ReplyEntriesRead(r, g);
  r.Bulk("lag");
  ReplyLag(r, s, g);
  r.Bulk("pel-count");
  r.Integer(static_cast<int64_t>(g.pel.size()));
  r.Bulk("pending");
  const size_t pel_n = limit == 0 ? g.pel.size() : std::min(limit, g.pel.size());
  r.ArrayHeader(pel_n);
  size_t k = 0;
  for (auto it = g.pel.begin(); k < pel_n; ++it, ++k) {
    r.ArrayHeader(4);
    ReplyId(r, it->first);
    r.Bulk(it->second.consumer != nullptr ? std::string_view(it->second.consumer->name) : "");
    r.Integer(it->second.delivery_time);
    r.Integer(static_cast<int64_t>(it->second.delivery_count));
  }
  r.Bulk("consumers");
  r.ArrayHeader(g.consumers.size());
  for (const auto& [cname, c] : g.consumers) {
    r.MapHeader(4);
    r.Bulk("name");
    r.Bulk(cname);
    r.Bulk("seen-time");
    r.Integer(c->seen_time);
    r.Bulk("pel-count");
    r.Integer(static_cast<int64_t>(c->pel.size()));
    r.Bulk("pending");
    const size_t cn = limit == 0 ? c->pel.size() : std::min(limit, c->pel.size());
    r.ArrayHeader(cn);
    size_t m = 0;
    for (auto it = c->pel.begin(); m < cn; ++it, ++m) {
      const Stream::Nack& nack = g.pel.find(*it)->second;
      r.ArrayHeader(3);
      ReplyId(r, *it);
      r.Integer(nack.delivery_time);
      r.Integer(static_cast<int64_t>(nack.delivery_count));
    }
  }
}

void XInfoStream(CommandContext& ctx, Args args, const Stream& s) {
  bool full = args.size() > 3;
  int64_t count = 10;
  if (full) {
    if ((args.size() != 4 && args.size() != 6) || !Is(args[3], "full") ||
        (args.size() == 6 && !Is(args[4], "count"))) {
      ctx.reply.Error(SubcommandSyntax(args));
      return;
    }
    if (args.size() == 6) {
      if (!ParseInt64(args[5], &count)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (count < 0) count = 10;
    }
  }
  protocol::ReplyEncoder& r = ctx.reply;
  r.MapHeader(full ? 9 : 10);
  r.Bulk("length");
  r.Integer(static_cast<int64_t>(s.Size()));
  // Redis reports its radix tree; ringkv's ordered map of nodes stands in: keys = nodes, and
  // tree nodes = the same (there is no separate tree-node count to give).
  r.Bulk("radix-tree-keys");
  r.Integer(static_cast<int64_t>(s.nodes()));
  r.Bulk("radix-tree-nodes");
  r.Integer(static_cast<int64_t>(s.nodes()));
  r.Bulk("last-generated-id");
  ReplyId(r, s.last_id());
  r.Bulk("max-deleted-entry-id");
  ReplyId(r, s.max_deleted_id());
  r.Bulk("entries-added");
  r.Integer(static_cast<int64_t>(s.entries_added()));
  r.Bulk("recorded-first-entry-id");
  ReplyId(r, s.first_id());
  auto entry = [&](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(r, id, fv); };
  if (!full) {
    r.Bulk("groups");
    r.Integer(static_cast<int64_t>(s.groups().size()));
    r.Bulk("first-entry");
    if (s.Range({0, 0}, StreamId::Max(), 1, false, entry) == 0) r.Null();
    r.Bulk("last-entry");
    if (s.Range({0, 0}, StreamId::Max(), 1, true, entry) == 0) r.Null();
    return;
  }
  const auto limit = static_cast<size_t>(count);  // 0: everything
  r.Bulk("entries");
  CountedArray(r, [&](protocol::ReplyEncoder& inner) {
    return s.Range(
        {0, 0}, StreamId::Max(), limit, false,
        [&](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(inner, id, fv); });
  });
  r.Bulk("groups");
  r.ArrayHeader(s.groups().size());
  for (const auto& [name, g] : s.groups()) ReplyGroupFull(r, s, name, *g, limit);
}

}  // namespace

void XInfo(CommandContext& ctx, Args args) {
  if (Is(args[1], "help")) {
    if (args.size() != 2) {
      ctx.reply.Error(errors::WrongArity("xinfo|help"));
      return;
    }
    cmd::ReplyHelp(ctx,
                   "XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kXInfoHelp);
    return;
  }
  const bool consumers = Is(args[1], "consumers");
  const bool groups = Is(args[1], "groups");
  const bool stream = Is(args[1], "stream");
  if (!consumers && !groups && !stream) {
    ctx.reply.Error(errors::UnknownSubcommand(args[1], "XINFO"));
    return;
  }
  if ((consumers && args.size() != 4) || (groups && args.size() != 3) ||
      (stream && args.size() < 3)) {
    std::string name = "xinfo|";
    for (char c : args[1]) name += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    ctx.reply.Error(errors::WrongArity(name));
    return;
  }
  const int64_t now = ctx.engine.clock().NowMs();
  bool found = false;
  OpStatus st = ctx.engine.ReadObject(
      ctx.client.db, args[2], ValueType::kStream, [&](const engine::Object& o) {
        found = true;
        const Stream& s = AsStream(o);
        protocol::ReplyEncoder& r = ctx.reply;
        if (stream) return XInfoStream(ctx, args, s);
        if (groups) {
          r.ArrayHeader(s.groups().size());
          for (const auto& [name, g] : s.groups()) {
            r.MapHeader(6);
            r.Bulk("name");
            r.Bulk(name);
            r.Bulk("consumers");
            r.Integer(static_cast<int64_t>(g->consumers.size()));
            r.Bulk("pending");
            r.Integer(static_cast<int64_t>(g->pel.size()));
            r.Bulk("last-delivered-id");
            ReplyId(r, g->last_id);
            r.Bulk("entries-read");
            ReplyEntriesRead(r, *g);
            r.Bulk("lag");
            ReplyLag(r, s, *g);
          }
          return;
        }
        const Stream::Group* g = s.FindGroup(args[3]);
        if (g == nullptr) {
          r.Error("NOGROUP No such consumer group '" + std::string(args[3]) + "' for key name '" +
                  std::string(args[2]) + "'");
          return;
        }
        r.ArrayHeader(g->consumers.size());
        for (const auto& [cname, c] : g->consumers) {
          r.MapHeader(3);
          r.Bulk("name");
          r.Bulk(cname);
          r.Bulk("pending");
          r.Integer(static_cast<int64_t>(c->pel.size()));
          r.Bulk("idle");
          r.Integer(std::max<int64_t>(0, now - c->seen_time));
        }
      });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  if (!found) ctx.reply.Error(errors::kNoSuchKey);
}

}  // namespace ringkv::server::stream_cmd
