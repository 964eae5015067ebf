// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// XREAD and XREADGROUP (one handler). Both hold an engine::KeyLock over all their keys, so a
// read of several streams is one point in time.
//
// Blocking: with BLOCK they wait in server/blocking.h's registry when nothing can be served.
// The waiter keeps a rewritten command: `$` replaced by the stream's last ID at the time it
// blocked, and COUNT set (Redis's default of 1000 when none was given). Any write to one of its
// keys tries it again; an XREAD served after blocking answers with every stream that has new
// entries then (Redis answers with the one stream whose write woke it).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/key_lock.h"
#include "engine/types/stream.h"
#include "protocol/output_buffer.h"
#include "server/blocking.h"
#include "server/commands/command_util.h"
#include "server/commands/stream_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server::stream_cmd {

namespace {

// Redis's XREAD_BLOCKED_DEFAULT_COUNT: what a blocked XREAD without COUNT is served at most.
constexpr int64_t kBlockedDefaultCount = 1000;

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
      if (ctx.client.in_script) {  // Redis refuses BLOCK in scripts outright
        ctx.reply.Error(absl::StrCat("ERR ", absl::string_view(args[0].data(), args[0].size()),
                                     " command is not allowed with BLOCK option from scripts"));
        return false;
      }
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

// Resolves one stream's ID argument, as Redis's argument loop does, after checking its type
// and (XREADGROUP) its group. False after replying an error.
bool ResolveTarget(CommandContext& ctx, const ReadArgs& ra, std::string_view id_arg,
                   ReadTarget* t) {
  bool exists = false;
  bool has_group = false;
  StreamId last;
  OpStatus st = ctx.engine.ReadObject(ctx.client.db, t->key, ValueType::kStream,
                                      [&](const engine::Object& o) {
                                        exists = true;
                                        const Stream& s = AsStream(o);
                                        last = s.last_id();
                                        if (ra.group_mode)
                                          has_group = s.FindGroup(ra.group) != nullptr;
                                      });
  if (st == OpStatus::kWrongType) {
    ReplyStatus(ctx, st);
    return false;
  }
  if (ra.group_mode && (!exists || !has_group)) {
    ctx.reply.Error("NOGROUP No such key '" + std::string(t->key) + "' or consumer group '" +
                    std::string(ra.group) + "' in XREADGROUP with GROUP option");
    return false;
  }
  if (id_arg == "$") {
    if (ra.group_mode) {
      ctx.reply.Error(
          "ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the "
          "history of this consumer by specifying a proper ID, or use the > ID to get new "
          "messages. The $ ID would just return an empty result set.");
      return false;
    }
    t->after = exists ? last : StreamId{};
    return true;
  }
  if (id_arg == ">") {
    if (!ra.group_mode) {
      ctx.reply.Error(
          "ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> "
          "<consumer> option.");
      return false;
    }
    t->new_only = true;
    return true;
  }
  if (!ParseId(ctx, id_arg, 0, true, &t->after)) return false;
  // Redis marks ">" internally as the largest ID, so that ID given in full reads as ">".
  if (ra.group_mode && t->after == StreamId::Max()) t->new_only = true;
  return true;
}

// Redis's serve_synchronously: whether the stream has something for this read now.
bool HasSomethingToServe(CommandContext& ctx, const ReadArgs& ra, const ReadTarget& t) {
  bool serve = false;
  ctx.engine.ReadObject(ctx.client.db, t.key, ValueType::kStream, [&](const engine::Object& o) {
    const Stream& s = AsStream(o);
    if (ra.group_mode && !t.new_only) {
      serve = true;  // history: always answered, even with nothing
    } else if (s.Size() > 0) {
      serve = s.LastEntryId() > (ra.group_mode ? s.FindGroup(ra.group)->last_id : t.after);
    }
  });
  return serve;
}

// Writes one served stream's entries (XREAD) or delivers them to the consumer (XREADGROUP).
void ServeTarget(CommandContext& ctx, const ReadArgs& ra, const ReadTarget& t, int64_t now,
                 protocol::ReplyEncoder& out, std::vector<std::string_view>* created_consumers) {
  const auto count = static_cast<size_t>(ra.count);
  auto entry = [&](protocol::ReplyEncoder& r) {
    return [&r](StreamId id, std::span<const std::string_view> fv) { ReplyEntry(r, id, fv); };
  };
  if (!ra.group_mode) {
    StreamId start = t.after;
    start.Incr();
    ctx.engine.ReadObject(ctx.client.db, t.key, ValueType::kStream, [&](const engine::Object& o) {
      CountedArray(out, [&](protocol::ReplyEncoder& r) {
        return AsStream(o).Range(start, StreamId::Max(), count, false, entry(r));
      });
    });
    return;
  }
  ctx.engine.UpdateObject(
      ctx.client.db, t.key, ValueType::kStream, [&](std::unique_ptr<engine::Object>& o) {
        Stream& s = AsStream(*o);
        Stream::Group& g = *s.FindGroup(ra.group);
        Stream::Consumer* c = Stream::FindConsumer(g, ra.consumer, now, true);
        if (c == nullptr) {
          c = Stream::CreateConsumer(g, ra.consumer, now);
          created_consumers->push_back(t.key);
        }
        CountedArray(out, [&](protocol::ReplyEncoder& r) {
          if (t.new_only) return s.DeliverNew(g, *c, count, ra.noack, now, entry(r));
          return s.DeliverHistory(*c, g, t.after, count, now,
                                  [&](StreamId id, const std::span<const std::string_view>* fv) {
                                    if (fv != nullptr) return ReplyEntry(r, id, *fv);
                                    r.ArrayHeader(2);  // deleted meanwhile: [id, nil]
                                    ReplyId(r, id);
                                    r.NullArray();
                                  });
        });
      });
}

// Runs a parsed XREAD / XREADGROUP once, without blocking: replies (kServed or kError) or
// writes nothing (kEmpty). *targets receives the keys and the IDs resolved (`$` as the stream's
// last ID then), which a waiter keeps.
BlockingTry RunRead(CommandContext& ctx, Args args, const ReadArgs& ra,
                    std::vector<ReadTarget>* targets) {
  const int64_t now = ctx.engine.clock().NowMs();
  std::vector<std::string_view> keys;
  for (size_t i = 0; i < ra.nstreams; ++i) keys.push_back(args[ra.streams_at + i]);
  engine::KeyLock lock(ctx.engine, ctx.client.db, keys);
  // Types, groups and IDs of every stream before anything is served, as Redis checks them.
  targets->assign(ra.nstreams, {});
  for (size_t i = 0; i < ra.nstreams; ++i) {
    (*targets)[i].key = keys[i];
    if (!ResolveTarget(ctx, ra, args[ra.streams_at + ra.nstreams + i], &(*targets)[i])) {
      return BlockingTry::kError;
    }
  }
  // Each stream in turn, as Redis serves them: whether it has something to serve is decided
  // after the ones before it were served, so a key named twice by XREADGROUP ">" is served
  // once. The sections are written aside, since the count of streams served heads the reply.
  const bool resp3 = ctx.reply.version() == RespVersion::kResp3;
  protocol::OutputBuffer body(4096);
  protocol::ReplyEncoder out(&body, ctx.reply.version());
  size_t served = 0;
  std::vector<std::string_view> created_consumers;
  for (ReadTarget& t : *targets) {
    t.serve = HasSomethingToServe(ctx, ra, t);
    if (!t.serve) continue;
    ++served;
    if (!resp3) out.ArrayHeader(2);
    out.Bulk(t.key);
    ServeTarget(ctx, ra, t, now, out, &created_consumers);
  }
  if (served == 0) return BlockingTry::kEmpty;
  if (resp3) {
    ctx.reply.MapHeader(served);
  } else {
    ctx.reply.ArrayHeader(served);
  }
  ctx.reply.buffer()->Append(body.ToString());
  for (std::string_view key : created_consumers) {
    Notify(ctx.server, ctx.client.db, "xgroup-createconsumer", key);
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

}  // namespace

void XRead(CommandContext& ctx, Args args) {
  ReadArgs ra;
  const int64_t now = ctx.engine.clock().NowMs();
  if (!ParseRead(ctx, args, &ra, now)) return;
  std::vector<ReadTarget> targets;
  const BlockingTry r = RunRead(ctx, args, ra, &targets);
  if (r != BlockingTry::kEmpty) return;
  if (ra.block_ms < 0 || !CanBlock(ctx)) {
    ctx.reply.NullArray();
    return;
  }
  std::shared_ptr<BlockedClient> w = NewWaiter(ctx, ra.block_ms, TryRead);
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
  BlockClient(ctx, w);
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

}  // namespace ringkv::server::stream_cmd
