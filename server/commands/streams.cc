// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Stream commands (Redis's "stream" group): XADD, XLEN, XRANGE, XREVRANGE, XDEL, XTRIM, XREAD,
// XREADGROUP, XSETID, XGROUP, XACK, XPENDING, XCLAIM, XAUTOCLAIM, XINFO. Each handler parses its
// arguments in the order Redis 7.0's t_stream.c does (that order decides which error a client
// sees when several things are wrong) and works on engine::StreamObject through
// Engine::ReadObject / UpdateObject. XREAD and XREADGROUP hold an engine::KeyLock over all their
// keys, so a read of several streams is one point in time.
//
// Blocking: XREAD / XREADGROUP with BLOCK wait in server/blocking.h's registry when nothing can
// be served. The waiter keeps a rewritten command: `$` replaced by the stream's last ID at the
// time it blocked, and COUNT set (Redis's default of 1000 when none was given). Any write to one
// of its keys tries it again; an XREAD served after blocking answers with every stream that has
// new entries then (Redis answers with the one stream whose write woke it).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/key_lock.h"
#include "engine/types/limits.h"
#include "engine/types/stream.h"
#include "protocol/output_buffer.h"
#include "server/blocking.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using cmd::ParseInt64;
using engine::OpStatus;
using engine::StreamId;
using engine::StreamTrim;
using engine::ValueType;
using Stream = engine::StreamObject;
using protocol::RespVersion;

constexpr std::string_view kInvalidId =
    "ERR Invalid stream ID specified as stream command argument";
constexpr std::string_view kInvalidStart = "ERR invalid start ID for the interval";
constexpr std::string_view kInvalidEnd = "ERR invalid end ID for the interval";
// Redis's XREAD_BLOCKED_DEFAULT_COUNT: what a blocked XREAD without COUNT is served at most.
constexpr int64_t kBlockedDefaultCount = 1000;

Stream& AsStream(engine::Object& o) { return static_cast<Stream&>(o); }
const Stream& AsStream(const engine::Object& o) { return static_cast<const Stream&>(o); }

void ReplyStatus(CommandContext& ctx, OpStatus st) { ctx.reply.Error(errors::OpStatusMessage(st)); }

void Notify(ServerContext& server, int db, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(server.pubsub, kNotifyStream, event, db, key);
}

// Redis's addReplySubcommandSyntaxError.
std::string SubcommandSyntax(Args args) {
  std::string cmd(args[0]);
  for (char& c : cmd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return "ERR unknown subcommand or wrong number of arguments for '" +
         std::string(args[1].substr(0, 128)) + "'. Try " + cmd + " HELP.";
}

engine::StreamNodeLimits NodeLimits() {
  const engine::TypeLimits& l = engine::Limits();
  return {static_cast<size_t>(l.stream_node_max_bytes.load(std::memory_order_relaxed)),
          static_cast<size_t>(l.stream_node_max_entries.load(std::memory_order_relaxed))};
}

void ReplyId(protocol::ReplyEncoder& reply, StreamId id) { reply.Bulk(id.ToString()); }

void ReplyEntry(protocol::ReplyEncoder& reply, StreamId id,
                std::span<const std::string_view> fields) {
  reply.ArrayHeader(2);
  ReplyId(reply, id);
  reply.ArrayHeader(fields.size());
  for (std::string_view f : fields) reply.Bulk(f);
}

// Writes what fn writes, preceded by an array header of the number fn returns (the count of a
// range is known only after walking it).
template <typename Fn>
void CountedArray(protocol::ReplyEncoder& reply, Fn fn) {
  protocol::OutputBuffer tmp(4096);
  protocol::ReplyEncoder inner(&tmp, reply.version());
  const size_t n = fn(inner);
  reply.ArrayHeader(n);
  reply.buffer()->Append(tmp.ToString());
}

bool ParseId(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, bool strict,
             StreamId* id, bool* seq_given = nullptr) {
  if (engine::ParseStreamId(arg, missing_seq, strict, id, seq_given)) return true;
  ctx.reply.Error(kInvalidId);
  return false;
}

// Redis's streamParseIntervalIDOrReply plus the exclusive-bound step: "(" makes the bound
// exclusive (a strict ID then), moved one ID inwards.
bool ParseInterval(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, bool start,
                   StreamId* id) {
  const bool exclusive = arg.size() > 1 && arg[0] == '(';
  if (exclusive) {
    if (!ParseId(ctx, arg.substr(1), missing_seq, true, id)) return false;
    if (!(start ? id->Incr() : id->Decr())) {
      ctx.reply.Error(start ? kInvalidStart : kInvalidEnd);
      return false;
    }
    return true;
  }
  return ParseId(ctx, arg, missing_seq, false, id);
}

// ---- XADD / XTRIM. ------------------------------------------------------------------------------

struct AddTrimArgs {
  StreamTrim trim;
  bool nomkstream = false;
  bool id_given = false;
  bool seq_given = true;
  StreamId id;
};

// Redis's streamParseAddOrTrimArgsOrReply: the position of XADD's ID argument, or -1 after
// replying with an error.
int64_t ParseAddOrTrim(CommandContext& ctx, Args args, bool xadd, AddTrimArgs* out) {
  const auto argc = static_cast<int64_t>(args.size());
  bool limit_given = false;
  int64_t i = 2;
  for (; i < argc; ++i) {
    const int64_t moreargs = argc - 1 - i;
    std::string_view opt = args[i];
    const bool maxlen = Is(opt, "maxlen");
    if (xadd && opt == "*") {
      break;
    } else if ((maxlen || Is(opt, "minid")) && moreargs > 0) {
      if (out->trim.strategy != StreamTrim::Strategy::kNone) {
        ctx.reply.Error(
            "ERR syntax error, MAXLEN and MINID options at the same time are not compatible");
        return -1;
      }
      out->trim.approx = false;
      std::string_view next = args[i + 1];
      if (moreargs >= 2 && next == "~") {
        out->trim.approx = true;
        ++i;
      } else if (moreargs >= 2 && next == "=") {
        ++i;
      }
      if (maxlen) {
        int64_t n = 0;
        if (!ParseInt64(args[i + 1], &n)) {
          ctx.reply.Error(errors::kNotInteger);
          return -1;
        }
        if (n < 0) {
          ctx.reply.Error("ERR The MAXLEN argument must be >= 0.");
          return -1;
        }
        out->trim.maxlen = static_cast<uint64_t>(n);
        out->trim.strategy = StreamTrim::Strategy::kMaxLen;
      } else {
        if (!ParseId(ctx, args[i + 1], 0, true, &out->trim.minid)) return -1;
        out->trim.strategy = StreamTrim::Strategy::kMinId;
      }
      ++i;
    } else if (Is(opt, "limit") && moreargs > 0) {
      if (!ParseInt64(args[i + 1], &out->trim.limit)) {
        ctx.reply.Error(errors::kNotInteger);
        return -1;
      }
      if (out->trim.limit < 0) {
        ctx.reply.Error("ERR The LIMIT argument must be >= 0.");
        return -1;
      }
      limit_given = true;
      ++i;
    } else if (xadd && Is(opt, "nomkstream")) {
      out->nomkstream = true;
    } else if (xadd) {
      if (!ParseId(ctx, opt, 0, true, &out->id, &out->seq_given)) return -1;
      out->id_given = true;
      break;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return -1;
    }
  }
  if (out->trim.limit != 0 && out->trim.strategy == StreamTrim::Strategy::kNone) {
    ctx.reply.Error(
        "ERR syntax error, LIMIT cannot be used without specifying a trimming strategy");
    return -1;
  }
  if (!xadd && out->trim.strategy == StreamTrim::Strategy::kNone) {
    ctx.reply.Error("ERR syntax error, XTRIM must be called with a trimming strategy");
    return -1;
  }
  if (limit_given) {
    if (!out->trim.approx) {
      ctx.reply.Error("ERR syntax error, LIMIT cannot be used without the special ~ option");
      return -1;
    }
  } else if (out->trim.approx) {
    // At most 100 nodes' worth of entries per call, as Redis bounds the work of `~`.
    int64_t limit = 100 * engine::Limits().stream_node_max_entries.load(std::memory_order_relaxed);
    if (limit <= 0) limit = 10000;
    if (limit > 1000000) limit = 1000000;
    out->trim.limit = limit;
  } else {
    out->trim.limit = 0;
  }
  return i;
}

void XAdd(CommandContext& ctx, Args args) {
  AddTrimArgs a;
  const int64_t idpos = ParseAddOrTrim(ctx, args, /*xadd=*/true, &a);
  if (idpos < 0) return;
  const int64_t field_pos = idpos + 1;
  const int64_t nfv = static_cast<int64_t>(args.size()) - field_pos;
  if (nfv < 2 || nfv % 2 == 1) {
    ctx.reply.Error(errors::WrongArity("xadd"));
    return;
  }
  if (a.id_given && a.seq_given && a.id.IsZero()) {
    ctx.reply.Error("ERR The ID specified in XADD must be greater than 0-0");
    return;
  }
  enum class Outcome { kAdded, kNoStream, kExhausted, kTooSmall, kTooLarge };
  Outcome outcome = Outcome::kAdded;
  StreamId added;
  int64_t trimmed = 0;
  const int64_t now = ctx.engine.clock().NowMs();
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        const bool created = o == nullptr;
        if (created) {
          if (a.nomkstream) {
            outcome = Outcome::kNoStream;
            return;
          }
          o = std::make_unique<Stream>();
        }
        Stream& s = AsStream(*o);
        if (s.last_id() == StreamId::Max()) {
          outcome = Outcome::kExhausted;
          return;
        }
        switch (s.Add(args.subspan(static_cast<size_t>(field_pos)), now,
                      a.id_given ? &a.id : nullptr, a.seq_given, NodeLimits(), &added)) {
          case Stream::AddStatus::kOk:
            outcome = Outcome::kAdded;
            break;
          case Stream::AddStatus::kIdTooSmall:
            outcome = Outcome::kTooSmall;
            break;
          case Stream::AddStatus::kTooLarge:
            outcome = Outcome::kTooLarge;
            break;
        }
        if (outcome != Outcome::kAdded) {
          if (created) o.reset();
          return;
        }
        trimmed = s.Trim(a.trim);
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  switch (outcome) {
    case Outcome::kNoStream:
      ctx.reply.Null();
      return;
    case Outcome::kExhausted:
      ctx.reply.Error(
          "ERR The stream has exhausted the last possible ID, unable to add more items");
      return;
    case Outcome::kTooSmall:
      ctx.reply.Error(
          "ERR The ID specified in XADD is equal or smaller than the target stream top item");
      return;
    case Outcome::kTooLarge:
      ctx.reply.Error("ERR Elements are too large to be stored");
      return;
    case Outcome::kAdded:
      break;
  }
  ReplyId(ctx.reply, added);
  Notify(ctx.server, ctx.client.db, "xadd", args[1]);
  if (trimmed > 0) Notify(ctx.server, ctx.client.db, "xtrim", args[1]);
}

void XTrim(CommandContext& ctx, Args args) {
  AddTrimArgs a;
  if (ParseAddOrTrim(ctx, args, /*xadd=*/false, &a) < 0) return;
  int64_t trimmed = 0;
  OpStatus st = ctx.engine.UpdateObject(ctx.client.db, args[1], ValueType::kStream,
                                        [&](std::unique_ptr<engine::Object>& o) {
                                          if (o != nullptr) trimmed = AsStream(*o).Trim(a.trim);
                                        });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (trimmed > 0) Notify(ctx.server, ctx.client.db, "xtrim", args[1]);
  ctx.reply.Integer(trimmed);
}

// ---- XLEN / XRANGE / XREVRANGE / XDEL. ---------------------------------------------------------

void XLen(CommandContext& ctx, Args args) {
  int64_t n = 0;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, args[1], ValueType::kStream,
                                      [&](const engine::Object& o) { n = o.Size(); });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  ctx.reply.Integer(n);
}

void XRangeGeneric(CommandContext& ctx, Args args, bool rev) {
  StreamId start;
  StreamId end;
  if (!ParseInterval(ctx, rev ? args[3] : args[2], 0, true, &start)) return;
  if (!ParseInterval(ctx, rev ? args[2] : args[3], UINT64_MAX, false, &end)) return;
  int64_t count = -1;
  for (size_t j = 4; j < args.size(); ++j) {
    if (Is(args[j], "count") && j + 1 < args.size()) {
      if (!ParseInt64(args[++j], &count)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (count < 0) count = 0;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  bool found = false;
  OpStatus st = ctx.engine.ReadObject(
      ctx.client.db, args[1], ValueType::kStream, [&](const engine::Object& o) {
        found = true;
        if (count == 0) {
          ctx.reply.NullArray();
          return;
        }
        CountedArray(ctx.reply, [&](protocol::ReplyEncoder& r) {
          return AsStream(o).Range(
              start, end, count < 0 ? 0 : static_cast<size_t>(count), rev,
              [&](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(r, id, fv); });
        });
      });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  if (!found) ctx.reply.ArrayHeader(0);
}

void XRange(CommandContext& ctx, Args args) { XRangeGeneric(ctx, args, false); }
void XRevRange(CommandContext& ctx, Args args) { XRangeGeneric(ctx, args, true); }

void XDel(CommandContext& ctx, Args args) {
  // Redis looks the key up before parsing the IDs: a missing key answers 0 whatever they are.
  std::vector<StreamId> ids;
  bool bad_id = false;
  size_t deleted = 0;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) return;
        ids.resize(args.size() - 2);
        for (size_t j = 2; j < args.size(); ++j) {
          if (!engine::ParseStreamId(args[j], 0, true, &ids[j - 2])) {
            bad_id = true;
            return;
          }
        }
        deleted = AsStream(*o).Delete(ids);
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (bad_id) {
    ctx.reply.Error(kInvalidId);
    return;
  }
  if (deleted > 0) Notify(ctx.server, ctx.client.db, "xdel", args[1]);
  ctx.reply.Integer(static_cast<int64_t>(deleted));
}

// ---- XREAD / XREADGROUP. ----------------------------------------------------------------------

struct ReadArgs {
  bool group_mode = false;  // XREADGROUP
  int64_t block_ms = -1;    // -1: no BLOCK
  int64_t count = 0;        // 0: no limit
  bool noack = false;
  bool has_group = false;
  std::string_view group;
  std::string_view consumer;
  size_t streams_at = 0;  // index of the first key
  size_t nstreams = 0;
};

// Parses everything up to the IDs, as Redis's xreadCommand; false after replying an error.
bool ParseRead(CommandContext& ctx, Args args, ReadArgs* out, int64_t now_ms) {
  out->group_mode = args[0].size() == 10;
  for (size_t i = 1; i < args.size(); ++i) {
    const size_t moreargs = args.size() - i - 1;
    std::string_view o = args[i];
    if (Is(o, "block") && moreargs > 0) {
      ++i;
      int64_t t = 0;
      if (!ParseInt64(args[i], &t)) {
        ctx.reply.Error("ERR timeout is not an integer or out of range");
        return false;
      }
      if (t < 0) {
        ctx.reply.Error("ERR timeout is negative");
        return false;
      }
      out->block_ms = t == 0 ? 0 : (t > INT64_MAX - now_ms ? INT64_MAX : now_ms + t);
    } else if (Is(o, "count") && moreargs > 0) {
      ++i;
      if (!ParseInt64(args[i], &out->count)) {
        ctx.reply.Error(errors::kNotInteger);
        return false;
      }
      if (out->count < 0) out->count = 0;
    } else if (Is(o, "streams") && moreargs > 0) {
      out->streams_at = i + 1;
      const size_t n = args.size() - out->streams_at;
      if (n % 2 != 0) {
        ctx.reply.Error(
            "ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be "
            "specified.");
        return false;
      }
      out->nstreams = n / 2;
      break;
    } else if (Is(o, "group") && moreargs >= 2) {
      if (!out->group_mode) {
        ctx.reply.Error(
            "ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      out->has_group = true;
      out->group = args[i + 1];
      out->consumer = args[i + 2];
      i += 2;
    } else if (Is(o, "noack")) {
      if (!out->group_mode) {
        ctx.reply.Error(
            "ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.");
        return false;
      }
      out->noack = true;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return false;
    }
  }
  if (out->streams_at == 0) {
    ctx.reply.Error(errors::kSyntax);
    return false;
  }
  if (out->group_mode && !out->has_group) {
    ctx.reply.Error("ERR Missing GROUP option for XREADGROUP");
    return false;
  }
  return true;
}

// One stream of an XREAD: the ID to read after; `new_only` is XREADGROUP's ">".
struct ReadTarget {
  std::string_view key;
  StreamId after;
  bool new_only = false;
  bool serve = false;
};

// Runs a parsed XREAD / XREADGROUP once, without blocking: replies (kServed or kError) or
// writes nothing (kEmpty). *targets receives the keys and the IDs resolved (`$` as the stream's
// last ID then), which a waiter keeps.
BlockingTry RunRead(CommandContext& ctx, Args args, const ReadArgs& ra,
                    std::vector<ReadTarget>* targets) {
  const int db = ctx.client.db;
  const int64_t now = ctx.engine.clock().NowMs();
  std::vector<std::string_view> keys;
  for (size_t i = 0; i < ra.nstreams; ++i) keys.push_back(args[ra.streams_at + i]);
  engine::KeyLock lock(ctx.engine, db, keys);
  targets->assign(ra.nstreams, {});
  // Pass 1, as Redis's argument loop: types, groups and IDs of every stream, before anything is
  // served.
  for (size_t i = 0; i < ra.nstreams; ++i) {
    ReadTarget& t = (*targets)[i];
    t.key = keys[i];
    std::string_view id_arg = args[ra.streams_at + ra.nstreams + i];
    bool exists = false;
    bool has_group = false;
    StreamId last;
    OpStatus st =
        ctx.engine.ReadObject(db, t.key, ValueType::kStream, [&](const engine::Object& o) {
          exists = true;
          const Stream& s = AsStream(o);
          last = s.last_id();
          if (ra.group_mode) has_group = s.FindGroup(ra.group) != nullptr;
        });
    if (st == OpStatus::kWrongType) {
      ReplyStatus(ctx, st);
      return BlockingTry::kError;
    }
    if (ra.group_mode && (!exists || !has_group)) {
      ctx.reply.Error("NOGROUP No such key '" + std::string(t.key) + "' or consumer group '" +
                      std::string(ra.group) + "' in XREADGROUP with GROUP option");
      return BlockingTry::kError;
    }
    if (id_arg == "$") {
      if (ra.group_mode) {
        ctx.reply.Error(
            "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
            "history of this consumer by specifying a proper ID, or use the > ID to get new "
            "messages. The $ ID would just return an empty result set.");
        return BlockingTry::kError;
      }
      t.after = exists ? last : StreamId{};
      continue;
    }
    if (id_arg == ">") {
      if (!ra.group_mode) {
        ctx.reply.Error(
            "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
            "<consumer> option.");
        return BlockingTry::kError;
      }
      t.new_only = true;
      continue;
    }
    if (!ParseId(ctx, id_arg, 0, true, &t.after)) return BlockingTry::kError;
    // Redis marks ">" internally as the largest ID, so that ID given in full reads as ">".
    if (ra.group_mode && t.after == StreamId::Max()) t.new_only = true;
  }
  // Each stream in turn, as Redis serves them: whether it has something to serve
  // (serve_synchronously) is decided after the ones before it were served, so a key named twice
  // by XREADGROUP ">" is served once. The sections are written aside, since the count of
  // streams served heads the reply.
  const bool resp3 = ctx.reply.version() == RespVersion::kResp3;
  const auto count = static_cast<size_t>(ra.count);
  protocol::OutputBuffer body(4096);
  protocol::ReplyEncoder out(&body, ctx.reply.version());
  size_t served = 0;
  std::vector<std::string_view> created_consumers;
  for (ReadTarget& t : *targets) {
    ctx.engine.ReadObject(db, t.key, ValueType::kStream, [&](const engine::Object& o) {
      const Stream& s = AsStream(o);
      if (ra.group_mode) {
        if (!t.new_only) {
          t.serve = true;
        } else if (s.Size() > 0) {
          t.serve = s.LastEntryId() > s.FindGroup(ra.group)->last_id;
        }
      } else if (s.Size() > 0) {
        t.serve = s.LastEntryId() > t.after;
      }
    });
    if (!t.serve) continue;
    ++served;
    if (!resp3) out.ArrayHeader(2);
    out.Bulk(t.key);
    if (!ra.group_mode) {
      StreamId start = t.after;
      start.Incr();
      ctx.engine.ReadObject(db, t.key, ValueType::kStream, [&](const engine::Object& o) {
        CountedArray(out, [&](protocol::ReplyEncoder& r) {
          return AsStream(o).Range(
              start, StreamId::Max(), count, false,
              [&](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(r, id, fv); });
        });
      });
      continue;
    }
    ctx.engine.UpdateObject(db, t.key, ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
      Stream& s = AsStream(*o);
      Stream::Group& g = *s.FindGroup(ra.group);
      Stream::Consumer* c = Stream::FindConsumer(g, ra.consumer, now, true);
      if (c == nullptr) {
        c = Stream::CreateConsumer(g, ra.consumer, now);
        created_consumers.push_back(t.key);
      }
      CountedArray(out, [&](protocol::ReplyEncoder& r) {
        if (t.new_only) {
          return s.DeliverNew(
              g, *c, count, ra.noack, now,
              [&](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(r, id, fv); });
        }
        return s.DeliverHistory(*c, g, t.after, count, now,
                                [&](StreamId id, const std::span<const std::string_view>* fv) {
                                  if (fv != nullptr) return ReplyEntry(r, id, *fv);
                                  r.ArrayHeader(2);
                                  ReplyId(r, id);
                                  r.NullArray();
                                });
      });
    });
  }
  if (served == 0) return BlockingTry::kEmpty;
  if (resp3) {
    ctx.reply.MapHeader(served);
  } else {
    ctx.reply.ArrayHeader(served);
  }
  ctx.reply.buffer()->Append(body.ToString());
  for (std::string_view key : created_consumers) {
    Notify(ctx.server, db, "xgroup-createconsumer", key);
  }
  return BlockingTry::kServed;
}

// A blocked XREAD / XREADGROUP tried again (server/blocking.h). The stored command is the
// rewritten one (no BLOCK, COUNT set, `$` resolved), so it parses. A missing group (or stream)
// ends an XREADGROUP's wait with an error; any other error (the key now holds another type)
// leaves the waiter waiting, as for the blocking list pops.
BlockingTry TryRead(ServerContext& server, int db, RespVersion resp, Args args,
                    protocol::ReplyEncoder& reply) {
  ClientState scratch;
  scratch.db = db;
  scratch.resp = resp;
  CommandContext ctx{*server.engine, reply, scratch, server};
  ReadArgs ra;
  if (!ParseRead(ctx, args, &ra, server.engine->clock().NowMs())) return BlockingTry::kError;
  std::vector<ReadTarget> targets;
  protocol::OutputBuffer out(256);
  protocol::ReplyEncoder inner(&out, resp);
  CommandContext inner_ctx{*server.engine, inner, scratch, server};
  const BlockingTry r = RunRead(inner_ctx, args, ra, &targets);
  const std::string bytes = out.ToString();
  if (r == BlockingTry::kError && bytes.starts_with("-NOGROUP")) {
    // The group (or its stream) went while the client waited: Redis's wording for that case.
    reply.Error("NOGROUP the consumer group this client was blocked on no longer exists");
    return BlockingTry::kEnded;
  }
  reply.buffer()->Append(bytes);
  return r;
}

void XRead(CommandContext& ctx, Args args) {
  ReadArgs ra;
  const int64_t now = ctx.engine.clock().NowMs();
  if (!ParseRead(ctx, args, &ra, now)) return;
  std::vector<ReadTarget> targets;
  const BlockingTry r = RunRead(ctx, args, ra, &targets);
  if (r != BlockingTry::kEmpty) return;
  BlockingRegistry& registry = ctx.server.blocking;
  if (ra.block_ms < 0 || ctx.client.in_exec || ctx.client.info == nullptr ||
      !registry.can_block()) {
    ctx.reply.NullArray();
    return;
  }
  auto w = std::make_shared<BlockedClient>();
  w->client_id = ctx.client.id;
  w->worker = ctx.client.info->worker;
  w->db = ctx.client.db;
  w->resp = ctx.client.resp;
  w->deadline_ms = ra.block_ms;
  w->try_fn = TryRead;
  w->own_position = true;
  w->args.emplace_back(args[0]);
  if (ra.group_mode) {
    w->args.insert(w->args.end(), {"GROUP", std::string(ra.group), std::string(ra.consumer)});
    if (ra.noack) w->args.emplace_back("NOACK");
  }
  w->args.insert(w->args.end(),
                 {"COUNT", std::to_string(ra.count != 0 ? ra.count : kBlockedDefaultCount)});
  w->args.emplace_back("STREAMS");
  for (const ReadTarget& t : targets) w->args.emplace_back(t.key);
  for (const ReadTarget& t : targets) {
    w->args.push_back(t.new_only ? std::string(">") : t.after.ToString());
    w->keys.emplace_back(t.key);
  }
  ctx.client.blocked = w;
  ctx.client.info->blocked.store(true, std::memory_order_relaxed);
  registry.Block(w);
}

// XREAD / XREADGROUP: the keys are the first half of what follows STREAMS.
void ReadKeys(Args args, std::vector<size_t>* out) {
  for (size_t i = 1; i < args.size(); ++i) {
    if (Is(args[i], "streams")) {
      const size_t n = (args.size() - i - 1) / 2;
      for (size_t k = 0; k < n; ++k) out->push_back(i + 1 + k);
      return;
    }
    // Skip option values so a key named "streams" after BLOCK/COUNT/GROUP is not taken.
    if (Is(args[i], "block") || Is(args[i], "count")) {
      ++i;
    } else if (Is(args[i], "group")) {
      i += 2;
    }
  }
}

// ---- XSETID. -----------------------------------------------------------------------------------

void XSetId(CommandContext& ctx, Args args) {
  StreamId id;
  if (!ParseId(ctx, args[2], 0, true, &id)) return;
  std::optional<uint64_t> entries_added;
  std::optional<StreamId> max_xdel;
  for (size_t i = 3; i < args.size(); i += 2) {
    const bool more = i + 1 < args.size();
    if (Is(args[i], "entriesadded") && more) {
      int64_t v = 0;
      if (!ParseInt64(args[i + 1], &v)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (v < 0) {
        ctx.reply.Error("ERR entries_added must be positive");
        return;
      }
      entries_added = static_cast<uint64_t>(v);
    } else if (Is(args[i], "maxdeletedid") && more) {
      StreamId m;
      if (!ParseId(ctx, args[i + 1], 0, true, &m)) return;
      if (id < m) {
        ctx.reply.Error(
            "ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id");
        return;
      }
      max_xdel = m;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  std::string_view error;
  bool found = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) return;
        found = true;
        Stream& s = AsStream(*o);
        if (s.Size() > 0) {
          if (id < s.LastEntryId()) {
            error = "ERR The ID specified in XSETID is smaller than the target stream top item";
            return;
          }
          if (entries_added && s.Size() > *entries_added) {
            error =
                "ERR The entries_added specified in XSETID is smaller than the target stream "
                "length";
            return;
          }
        }
        if (max_xdel && max_xdel->IsZero()) max_xdel.reset();
        s.SetIds(id, entries_added, max_xdel);
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!found) {
    ctx.reply.Error(errors::kNoSuchKey);
    return;
  }
  if (!error.empty()) {
    ctx.reply.Error(error);
    return;
  }
  ctx.reply.Ok();
  Notify(ctx.server, ctx.client.db, "xsetid", args[1]);
}

// ---- XGROUP. -----------------------------------------------------------------------------------

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

void XGroup(CommandContext& ctx, Args args) {
  std::string_view sub;
  if (!XGroupArity(ctx, args, &sub)) return;
  if (sub == "help") {
    cmd::ReplyHelp(ctx,
                   "XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kXGroupHelp);
    return;
  }
  const bool create = sub == "create";
  const bool setid = sub == "setid";
  bool mkstream = false;
  int64_t entries_read = -1;
  for (size_t i = 5; i < args.size();) {
    if (create && Is(args[i], "mkstream")) {
      mkstream = true;
      ++i;
    } else if ((create || setid) && Is(args[i], "entriesread") && i + 1 < args.size()) {
      if (!ParseInt64(args[i + 1], &entries_read)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (entries_read < 0 && entries_read != -1) {
        ctx.reply.Error("ERR value for ENTRIESREAD must be positive or -1");
        return;
      }
      i += 2;
    } else {
      ctx.reply.Error(SubcommandSyntax(args));
      return;
    }
  }
  // Redis's extra argument checks (arity allows more than CREATE/SETID take).
  if ((create && args.size() > 8) || (setid && args.size() != 5 && args.size() != 7)) {
    ctx.reply.Error(SubcommandSyntax(args));
    return;
  }
  const std::string_view key = args[2];
  const std::string_view group = args[3];
  const int64_t now = ctx.engine.clock().NowMs();
  std::string error;
  std::string_view event;
  int64_t integer = -1;  // -1: reply OK
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, key, ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr && !mkstream) {
          error =
              "ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may "
              "want to use the MKSTREAM option to create an empty stream automatically.";
          return;
        }
        Stream::Group* g = o != nullptr ? AsStream(*o).FindGroup(group) : nullptr;
        if (g == nullptr && !create && sub != "destroy") {
          error = "NOGROUP No such consumer group '" + std::string(group) + "' for key name '" +
                  std::string(key) + "'";
          return;
        }
        if (create || setid) {
          StreamId id;
          if (args[4] == "$") {
            id = o != nullptr ? AsStream(*o).last_id() : StreamId{};
          } else if (!engine::ParseStreamId(args[4], 0, /*strict=*/create, &id)) {
            error = kInvalidId;
            return;
          }
          if (setid) {
            g->last_id = id;
            g->entries_read = entries_read;
            event = "xgroup-setid";
            return;
          }
          if (o == nullptr) o = std::make_unique<Stream>();
          if (AsStream(*o).CreateGroup(group, id, entries_read) == nullptr) {
            error = "BUSYGROUP Consumer Group name already exists";
            return;
          }
          event = "xgroup-create";
          return;
        }
        if (sub == "destroy") {
          integer = AsStream(*o).DestroyGroup(group) ? 1 : 0;
          if (integer == 1) event = "xgroup-destroy";
          return;
        }
        if (sub == "createconsumer") {
          integer = Stream::CreateConsumer(*g, args[4], now) != nullptr ? 1 : 0;
          if (integer == 1) event = "xgroup-createconsumer";
          return;
        }
        // delconsumer
        Stream::Consumer* c = Stream::FindConsumer(*g, args[4], now, false);
        integer = 0;
        if (c != nullptr) {
          integer = static_cast<int64_t>(Stream::DeleteConsumer(*g, c));
          event = "xgroup-delconsumer";
        }
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!error.empty()) {
    ctx.reply.Error(error);
    return;
  }
  if (integer >= 0) {
    ctx.reply.Integer(integer);
  } else {
    ctx.reply.Ok();
  }
  if (!event.empty()) Notify(ctx.server, ctx.client.db, event, key);
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

std::string NoGroup(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'";
}

void XPending(CommandContext& ctx, Args args) {
  const bool justinfo = args.size() == 3;
  if (args.size() != 3 && (args.size() < 6 || args.size() > 9)) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  StreamId start;
  StreamId end;
  int64_t count = 0;
  int64_t minidle = 0;
  std::string_view consumer_name;
  bool has_consumer = false;
  if (args.size() >= 6) {
    size_t at = 3;
    if (Is(args[3], "idle")) {
      if (!ParseInt64(args[4], &minidle)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (args.size() < 8) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
      at += 2;
    }
    if (!ParseInt64(args[at + 2], &count)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    if (count < 0) count = 0;
    if (!ParseInterval(ctx, args[at], 0, true, &start)) return;
    if (!ParseInterval(ctx, args[at + 1], UINT64_MAX, false, &end)) return;
    if (at + 3 < args.size()) {
      consumer_name = args[at + 3];
      has_consumer = true;
    }
  }
  const int64_t now = ctx.engine.clock().NowMs();
  bool found = false;
  OpStatus st = ctx.engine.ReadObject(
      ctx.client.db, args[1], ValueType::kStream, [&](const engine::Object& o) {
        const Stream::Group* g = AsStream(o).FindGroup(args[2]);
        if (g == nullptr) return;
        found = true;
        protocol::ReplyEncoder& reply = ctx.reply;
        if (justinfo) {
          reply.ArrayHeader(4);
          reply.Integer(static_cast<int64_t>(g->pel.size()));
          if (g->pel.empty()) {
            reply.Null();
            reply.Null();
            reply.NullArray();
            return;
          }
          ReplyId(reply, g->pel.begin()->first);
          ReplyId(reply, std::prev(g->pel.end())->first);
          size_t owners = 0;
          for (const auto& [name, c] : g->consumers) owners += c->pel.empty() ? 0 : 1;
          reply.ArrayHeader(owners);
          for (const auto& [name, c] : g->consumers) {
            if (c->pel.empty()) continue;
            reply.ArrayHeader(2);
            reply.Bulk(name);
            reply.Bulk(std::to_string(c->pel.size()));
          }
          return;
        }
        const Stream::Consumer* c = nullptr;
        if (has_consumer) {
          auto it = g->consumers.find(consumer_name);
          if (it == g->consumers.end()) {
            reply.ArrayHeader(0);
            return;
          }
          c = it->second.get();
        }
        CountedArray(reply, [&](protocol::ReplyEncoder& r) {
          size_t n = 0;
          auto emit = [&](StreamId id, const Stream::Nack& nack) {
            if (minidle != 0 && now - nack.delivery_time < minidle) return;
            ++n;
            --count;
            r.ArrayHeader(4);
            ReplyId(r, id);
            r.Bulk(nack.consumer != nullptr ? std::string_view(nack.consumer->name) : "");
            r.Integer(std::max<int64_t>(0, now - nack.delivery_time));
            r.Integer(static_cast<int64_t>(nack.delivery_count));
          };
          if (c != nullptr) {
            for (auto it = c->pel.lower_bound(start); count > 0 && it != c->pel.end(); ++it) {
              if (*it > end) break;
              emit(*it, g->pel.find(*it)->second);
            }
          } else {
            for (auto it = g->pel.lower_bound(start); count > 0 && it != g->pel.end(); ++it) {
              if (it->first > end) break;
              emit(it->first, it->second);
            }
          }
          return n;
        });
      });
  if (st == OpStatus::kWrongType) return ReplyStatus(ctx, st);
  if (!found) ctx.reply.Error(NoGroup(args[1], args[2]));
}

// ---- XCLAIM / XAUTOCLAIM. ----------------------------------------------------------------------

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
        int64_t minidle = 0;
        if (!ParseInt64(args[4], &minidle)) {
          error = "ERR Invalid min-idle-time argument for XCLAIM";
          return;
        }
        if (minidle < 0) minidle = 0;
        // IDs until the first argument that is not one; options after.
        std::vector<StreamId> ids;
        size_t j = 5;
        for (; j < args.size(); ++j) {
          StreamId id;
          if (!engine::ParseStreamId(args[j], 0, true, &id)) break;
          ids.push_back(id);
        }
        bool force = false;
        bool justid = false;
        int64_t retrycount = -1;
        int64_t deliverytime = -1;
        StreamId last_id;
        for (; j < args.size(); ++j) {
          const bool more = j + 1 < args.size();
          std::string_view opt = args[j];
          if (Is(opt, "force")) {
            force = true;
          } else if (Is(opt, "justid")) {
            justid = true;
          } else if (Is(opt, "idle") && more) {
            if (!ParseInt64(args[++j], &deliverytime)) {
              error = "ERR Invalid IDLE option argument for XCLAIM";
              return;
            }
            deliverytime = now - deliverytime;
          } else if (Is(opt, "time") && more) {
            if (!ParseInt64(args[++j], &deliverytime)) {
              error = "ERR Invalid TIME option argument for XCLAIM";
              return;
            }
          } else if (Is(opt, "retrycount") && more) {
            if (!ParseInt64(args[++j], &retrycount)) {
              error = "ERR Invalid RETRYCOUNT option argument for XCLAIM";
              return;
            }
          } else if (Is(opt, "lastid") && more) {
            if (!engine::ParseStreamId(args[++j], 0, true, &last_id)) {
              error = kInvalidId;
              return;
            }
          } else {
            error = "ERR Unrecognized XCLAIM option '" + std::string(opt) + "'";
            return;
          }
        }
        if (last_id > g->last_id) g->last_id = last_id;
        if (deliverytime != -1) {
          if (deliverytime < 0 || deliverytime > now) deliverytime = now;
        } else {
          deliverytime = now;
        }
        Stream::Consumer* consumer = nullptr;
        CountedArray(ctx.reply, [&](protocol::ReplyEncoder& r) {
          size_t n = 0;
          for (StreamId id : ids) {
            auto pit = g->pel.find(id);
            const bool pending = pit != g->pel.end();
            if (!s.Contains(id)) {
              // The entry went (XDEL, XTRIM): its PEL entry goes too.
              if (pending) Stream::Ack(*g, id);
              continue;
            }
            if (!pending && !force) continue;
            if (pending && pit->second.consumer != nullptr && minidle != 0 &&
                now - pit->second.delivery_time < minidle) {
              continue;
            }
            if (consumer == nullptr) {
              consumer = Stream::FindConsumer(*g, args[3], now, true);
              if (consumer == nullptr) consumer = Stream::CreateConsumer(*g, args[3], now);
            }
            Stream::Nack& nack = Stream::Assign(*g, id, consumer, now);
            nack.delivery_time = deliverytime;
            if (retrycount >= 0) {
              nack.delivery_count = static_cast<uint64_t>(retrycount);
            } else if (!justid) {
              ++nack.delivery_count;
            }
            if (justid) {
              ReplyId(r, id);
            } else {
              s.Range(id, id, 1, false, [&](StreamId eid, std::span<const std::string_view> fv) {
                ReplyEntry(r, eid, fv);
              });
            }
            ++n;
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

void XAutoClaim(CommandContext& ctx, Args args) {
  int64_t minidle = 0;
  if (!ParseInt64(args[4], &minidle)) {
    ctx.reply.Error("ERR Invalid min-idle-time argument for XAUTOCLAIM");
    return;
  }
  if (minidle < 0) minidle = 0;
  StreamId start;
  if (!ParseInterval(ctx, args[5], 0, true, &start)) return;
  int64_t count = 100;
  bool justid = false;
  for (size_t j = 6; j < args.size(); ++j) {
    const bool more = j + 1 < args.size();
    if (Is(args[j], "count") && more) {
      constexpr int64_t kMaxCount = std::numeric_limits<int64_t>::max() / 16;
      // Redis's getRangeLongFromObjectOrReply: one message for "not a number" and out of range.
      if (!ParseInt64(args[j + 1], &count) || count < 1 || count > kMaxCount) {
        ctx.reply.Error("ERR COUNT must be > 0");
        return;
      }
      ++j;
    } else if (Is(args[j], "justid")) {
      justid = true;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  const int64_t now = ctx.engine.clock().NowMs();
  bool found_group = false;
  OpStatus st = ctx.engine.UpdateObject(
      ctx.client.db, args[1], ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        if (o == nullptr) return;
        Stream& s = AsStream(*o);
        Stream::Group* g = s.FindGroup(args[2]);
        if (g == nullptr) return;
        found_group = true;
        int64_t attempts = count * 10;
        int64_t left = count;
        std::vector<StreamId> deleted;
        Stream::Consumer* consumer = nullptr;
        StreamId next;
        protocol::OutputBuffer tmp(4096);
        protocol::ReplyEncoder r(&tmp, ctx.reply.version());
        size_t n = 0;
        auto it = g->pel.lower_bound(start);
        while (attempts-- > 0 && left > 0 && it != g->pel.end()) {
          const StreamId id = it->first;
          if (!s.Contains(id)) {
            Stream::Ack(*g, id);
            deleted.push_back(id);
            --left;
            it = g->pel.lower_bound(id);
            continue;
          }
          if (minidle != 0 && now - it->second.delivery_time < minidle) {
            ++it;
            continue;
          }
          if (consumer == nullptr) {
            consumer = Stream::FindConsumer(*g, args[3], now, true);
            if (consumer == nullptr) consumer = Stream::CreateConsumer(*g, args[3], now);
          }
          Stream::Nack& nack = Stream::Assign(*g, id, consumer, now);
          nack.delivery_time = now;
          if (!justid) ++nack.delivery_count;
          if (justid) {
            ReplyId(r, id);
          } else {
            s.Range(id, id, 1, false, [&](StreamId eid, std::span<const std::string_view> fv) {
              ReplyEntry(r, eid, fv);
            });
          }
          ++n;
          --left;
          it = g->pel.upper_bound(id);
        }
        if (it != g->pel.end()) next = it->first;
        ctx.reply.ArrayHeader(3);
        ReplyId(ctx.reply, next);
        ctx.reply.ArrayHeader(n);
        ctx.reply.buffer()->Append(tmp.ToString());
        ctx.reply.ArrayHeader(deleted.size());
        for (StreamId id : deleted) ReplyId(ctx.reply, id);
      });
  if (st != OpStatus::kOk) return ReplyStatus(ctx, st);
  if (!found_group) ctx.reply.Error(NoGroup(args[1], args[2]));
}

// ---- XINFO. ------------------------------------------------------------------------------------

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
  for (const auto& [name, g] : s.groups()) {
    r.MapHeader(7);
    r.Bulk("name");
    r.Bulk(name);
    r.Bulk("last-delivered-id");
    ReplyId(r, g->last_id);
    r.Bulk("entries-read");
    ReplyEntriesRead(r, *g);
    r.Bulk("lag");
    ReplyLag(r, s, *g);
    r.Bulk("pel-count");
    r.Integer(static_cast<int64_t>(g->pel.size()));
    r.Bulk("pending");
    const size_t pel_n = limit == 0 ? g->pel.size() : std::min(limit, g->pel.size());
    r.ArrayHeader(pel_n);
    size_t k = 0;
    for (auto it = g->pel.begin(); k < pel_n; ++it, ++k) {
      r.ArrayHeader(4);
      ReplyId(r, it->first);
      r.Bulk(it->second.consumer != nullptr ? std::string_view(it->second.consumer->name) : "");
      r.Integer(it->second.delivery_time);
      r.Integer(static_cast<int64_t>(it->second.delivery_count));
    }
    r.Bulk("consumers");
    r.ArrayHeader(g->consumers.size());
    for (const auto& [cname, c] : g->consumers) {
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
        const Stream::Nack& nack = g->pel.find(*it)->second;
        r.ArrayHeader(3);
        ReplyId(r, *it);
        r.Integer(nack.delivery_time);
        r.Integer(static_cast<int64_t>(nack.delivery_count));
      }
    }
  }
}

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

}  // namespace

void RegisterStreamCommands(CommandTable& table) {
  table.Add({.name = "xadd",
             .arity = -5,
             .flags = kWrite | kDenyOom | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RW insert",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Appends a new message to a stream. Creates the key if it doesn't exist.",
             .handler = XAdd});
  table.Add({.name = "xtrim",
             .arity = -4,
             .flags = kWrite,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @slow",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RW delete",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Deletes messages from the beginning of a stream.",
             .handler = XTrim});
  table.Add({.name = "xlen",
             .arity = 2,
             .flags = kReadonly | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@read @stream @fast",
             .key_spec_flags = "RO",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Return the number of messages in a stream.",
             .handler = XLen});
  table.Add({.name = "xrange",
             .arity = -4,
             .flags = kReadonly,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@read @stream @slow",
             .key_spec_flags = "RO access",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns the messages from a stream within a range of IDs.",
             .handler = XRange});
  table.Add({.name = "xrevrange",
             .arity = -4,
             .flags = kReadonly,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@read @stream @slow",
             .key_spec_flags = "RO access",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns the messages from a stream within a range of IDs in reverse "
                        "order.",
             .handler = XRevRange});
  table.Add({.name = "xdel",
             .arity = -3,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .key_spec_flags = "RW delete",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns the number of messages after removing them from a stream.",
             .handler = XDel});
  table.Add({.name = "xread",
             .arity = -4,
             .flags = kReadonly | kBlocking | kMovableKeys,
             .acl_categories = "@read @stream @slow @blocking",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns messages from multiple streams with IDs greater than the ones "
                        "requested. Blocks until a message is available otherwise.",
             .handler = XRead,
             .get_keys = ReadKeys});
  table.Add({.name = "xreadgroup",
             .arity = -7,
             .flags = kWrite | kBlocking | kMovableKeys,
             .acl_categories = "@write @stream @slow @blocking",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns new or historical messages from a stream for a consumer in a "
                        "group. Blocks until a message is available otherwise.",
             .handler = XRead,
             .get_keys = ReadKeys});
  table.Add({.name = "xsetid",
             .arity = -3,
             .flags = kWrite | kDenyOom | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .key_spec_flags = "RW update",
             .group = "stream",
             .since = "5.0.0",
             .summary = "An internal command for replicating stream values.",
             .handler = XSetId});
  table.Add({.name = "xgroup",
             .arity = -2,
             .flags = kWrite | kMovableKeys,
             .acl_categories = "@write @stream @slow",
             .group = "stream",
             .since = "5.0.0",
             .summary = "A container for consumer groups commands.",
             .handler = XGroup,
             .get_keys = SubcommandKey});
  table.Add({.name = "xack",
             .arity = -4,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .key_spec_flags = "RW update",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns the number of messages that were successfully acknowledged by "
                        "the consumer group member of a stream.",
             .handler = XAck});
  table.Add({.name = "xpending",
             .arity = -3,
             .flags = kReadonly,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@read @stream @slow",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RO access",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns the information and entries from a stream consumer group's "
                        "pending entries list.",
             .handler = XPending});
  table.Add({.name = "xclaim",
             .arity = -6,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RW update",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Changes, or acquires, ownership of a message in a consumer group, as if "
                        "the message was delivered a consumer group member.",
             .handler = XClaim});
  table.Add({.name = "xautoclaim",
             .arity = -6,
             .flags = kWrite | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@write @stream @fast",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RW update",
             .group = "stream",
             .since = "6.2.0",
             .summary = "Changes, or acquires, ownership of messages in a consumer group, as if "
                        "the messages were delivered to as consumer group member.",
             .handler = XAutoClaim});
  table.Add({.name = "xinfo",
             .arity = -2,
             .flags = kReadonly | kMovableKeys,
             .acl_categories = "@read @stream @slow",
             .group = "stream",
             .since = "5.0.0",
             .summary = "A container for stream introspection commands.",
             .handler = XInfo,
             .get_keys = SubcommandKey});
}

}  // namespace ringkv::server
