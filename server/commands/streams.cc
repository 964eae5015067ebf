// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Stream commands (Redis's "stream" group): XADD, XTRIM, XLEN, XRANGE, XREVRANGE, XDEL and
// XSETID here, XREAD / XREADGROUP in stream_read.cc, the consumer-group commands in
// stream_groups.cc; this file registers them all and holds the helpers of stream_util.h. Each
// handler parses its arguments in the order Redis 7.0's t_stream.c does (that order decides
// which error a client sees when several things are wrong) and works on engine::StreamObject
// through Engine::ReadObject / UpdateObject.
#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/types/limits.h"
#include "engine/types/stream.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/commands/stream_util.h"
#include "server/errors.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace stream_cmd {

void ReplyStatus(CommandContext& ctx, OpStatus st) { ctx.reply.Error(errors::OpStatusMessage(st)); }

void Notify(ServerContext& server, int db, std::string_view event, std::string_view key) {
  NotifyKeyspaceEvent(server.pubsub, kNotifyStream, event, db, key);
}

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

bool ParseId(CommandContext& ctx, std::string_view arg, uint64_t missing_seq, bool strict,
             StreamId* id, bool* seq_given) {
  if (engine::ParseStreamId(arg, missing_seq, strict, id, seq_given)) return true;
  ctx.reply.Error(kInvalidId);
  return false;
}

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

std::string NoGroup(std::string_view key, std::string_view group) {
  return "NOGROUP No such key '" + std::string(key) + "' or consumer group '" + std::string(group) +
         "'";
}

}  // namespace stream_cmd

namespace {

using namespace stream_cmd;  // NOLINT(build/namespaces): this file's own helpers

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
             .handler = stream_cmd::XRead,
             .get_keys = stream_cmd::ReadKeys});
  table.Add({.name = "xreadgroup",
             .arity = -7,
             .flags = kWrite | kBlocking | kMovableKeys,
             .acl_categories = "@write @stream @slow @blocking",
             .group = "stream",
             .since = "5.0.0",
             .summary = "Returns new or historical messages from a stream for a consumer in a "
                        "group. Blocks until a message is available otherwise.",
             .handler = stream_cmd::XRead,
             .get_keys = stream_cmd::ReadKeys});
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
             .handler = stream_cmd::XGroup,
             .get_keys = stream_cmd::SubcommandKey});
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
             .handler = stream_cmd::XAck});
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
             .handler = stream_cmd::XPending});
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
             .handler = stream_cmd::XClaim});
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
             .handler = stream_cmd::XAutoClaim});
  table.Add({.name = "xinfo",
             .arity = -2,
             .flags = kReadonly | kMovableKeys,
             .acl_categories = "@read @stream @slow",
             .group = "stream",
             .since = "5.0.0",
             .summary = "A container for stream introspection commands.",
             .handler = stream_cmd::XInfo,
             .get_keys = stream_cmd::SubcommandKey});
}

}  // namespace ringkv::server
