// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The blocking pops: BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN, BZPOPMAX, BZMPOP.
// Each is its non-blocking command (LPOP, LMOVE, LMPOP, ZPOPMIN, ZMPOP, ...) run first; when
// every key is empty the client waits in server/blocking.h's registry until a write serves it
// or its timeout passes. Inside MULTI/EXEC (and without workers, in in-process tests) an empty
// result answers the timeout reply at once, as Redis does in a transaction.
//
// Arguments are checked in Redis 7.0's order: BLMOVE's directions, then the timeout, then what
// the non-blocking command checks (numkeys, COUNT, key types).
#include "server/blocking.h"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/output_buffer.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;
using cmd::ParseInt64;
using protocol::RespVersion;

// Runs a non-blocking command (its spec found by name) for database `db` in protocol `resp`,
// and returns its reply bytes.
std::string RunInner(ServerContext& server, int db, RespVersion resp,
                     const std::vector<std::string_view>& args) {
  const CommandSpec* spec = server.commands->Find(args[0]);
  protocol::OutputBuffer out(256);
  protocol::ReplyEncoder reply(&out, resp);
  ClientState scratch;
  scratch.db = db;
  scratch.resp = resp;
  CommandContext ctx{*server.engine, reply, scratch, server};
  spec->handler(ctx, args);
  return out.ToString();
}

bool IsError(const std::string& r) { return !r.empty() && r[0] == '-'; }
bool IsNull(const std::string& r) { return r == "$-1\r\n" || r == "*-1\r\n" || r == "_\r\n"; }

// Copies an inner error to the reply (counted as the blocking command's error).
BlockingTry Fail(const std::string& r, protocol::ReplyEncoder& reply) {
  reply.Error(std::string_view(r).substr(1, r.size() - 3));
  return BlockingTry::kError;
}

// BLPOP / BRPOP key [key ...] timeout: the first non-empty list, as [key, element].
BlockingTry TryListPop(ServerContext& server, int db, RespVersion resp, Args args,
                       protocol::ReplyEncoder& reply) {
  const std::string_view pop = Is(args[0], "blpop") ? "lpop" : "rpop";
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    std::string r = RunInner(server, db, resp, {pop, args[i]});
    if (IsError(r)) return Fail(r, reply);
    if (IsNull(r)) continue;
    reply.ArrayHeader(2);
    reply.Bulk(args[i]);
    reply.buffer()->Append(r);
    return BlockingTry::kServed;
  }
  return BlockingTry::kEmpty;
}

// BZPOPMIN / BZPOPMAX key [key ...] timeout: the first non-empty sorted set, as
// [key, member, score].
BlockingTry TryZSetPop(ServerContext& server, int db, RespVersion resp, Args args,
                       protocol::ReplyEncoder& reply) {
  const std::string_view pop = Is(args[0], "bzpopmin") ? "zpopmin" : "zpopmax";
  for (size_t i = 1; i + 1 < args.size(); ++i) {
    std::string r = RunInner(server, db, resp, {pop, args[i]});
    if (IsError(r)) return Fail(r, reply);
    // A missing key: an empty array. A popped member: "*2\r\n" member score.
    if (r.size() < 4 || r.compare(0, 4, "*2\r\n") != 0) continue;
    reply.ArrayHeader(3);
    reply.Bulk(args[i]);
    reply.buffer()->Append(std::string_view(r).substr(4));
    return BlockingTry::kServed;
  }
  return BlockingTry::kEmpty;
}

// Commands whose non-blocking form takes the same arguments minus the timeout:
// BLMOVE src dst from to timeout -> LMOVE; BRPOPLPUSH src dst timeout -> RPOPLPUSH;
// BLMPOP timeout numkeys ... -> LMPOP; BZMPOP timeout numkeys ... -> ZMPOP.
BlockingTry TryForwarded(ServerContext& server, int db, RespVersion resp, Args args,
                         protocol::ReplyEncoder& reply) {
  std::vector<std::string_view> inner;
  if (Is(args[0], "blmove")) {
    inner = {"lmove", args[1], args[2], args[3], args[4]};
  } else if (Is(args[0], "brpoplpush")) {
    inner = {"rpoplpush", args[1], args[2]};
  } else {
    inner.push_back(Is(args[0], "blmpop") ? "lmpop" : "zmpop");
    inner.insert(inner.end(), args.begin() + 2, args.end());
  }
  std::string r = RunInner(server, db, resp, inner);
  if (IsError(r)) return Fail(r, reply);
  if (IsNull(r)) return BlockingTry::kEmpty;
  reply.buffer()->Append(r);
  return BlockingTry::kServed;
}

// BLMPOP / BZMPOP timeout numkeys key [key ...] LEFT|RIGHT|MIN|MAX [COUNT count]: Redis 7.0
// checks everything after the timeout first (as LMPOP / ZMPOP do), then the timeout.
bool CheckMPopArgs(Args args, protocol::ReplyEncoder& reply) {
  int64_t numkeys = 0;
  if (!ParseInt64(args[2], &numkeys) || numkeys < 1) {
    reply.Error("ERR numkeys should be greater than 0");
    return false;
  }
  // The direction follows the keys; it must exist.
  if (static_cast<uint64_t>(numkeys) >= args.size() - 3) {
    reply.Error(errors::kSyntax);
    return false;
  }
  const size_t where = 3 + static_cast<size_t>(numkeys);
  const bool list = Is(args[0], "blmpop");
  const bool known = list ? (Is(args[where], "left") || Is(args[where], "right"))
                          : (Is(args[where], "min") || Is(args[where], "max"));
  if (!known) {
    reply.Error(errors::kSyntax);
    return false;
  }
  bool has_count = false;
  for (size_t j = where + 1; j < args.size(); ++j) {
    int64_t count = 0;
    if (!has_count && Is(args[j], "count") && j + 1 < args.size()) {
      has_count = true;
      if (!ParseInt64(args[++j], &count) || count < 1) {
        reply.Error("ERR count should be greater than 0");
        return false;
      }
    } else {
      reply.Error(errors::kSyntax);
      return false;
    }
  }
  return true;
}

enum class Shape : uint8_t {
  kKeysThenTimeout,  // BLPOP, BRPOP, BZPOPMIN, BZPOPMAX
  kMove,             // BLMOVE src dst from to timeout
  kRpoplpush,        // BRPOPLPUSH src dst timeout
  kTimeoutNumkeys,   // BLMPOP, BZMPOP: timeout numkeys key [key ...] ...
};

void RunBlocking(CommandContext& ctx, Args args, Shape shape, BlockingTryFn try_fn) {
  if (shape == Shape::kMove) {
    for (size_t i : {3, 4}) {
      if (!Is(args[i], "left") && !Is(args[i], "right")) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
    }
  }
  size_t timeout_at = args.size() - 1;
  if (shape == Shape::kTimeoutNumkeys) {
    timeout_at = 1;
    if (!CheckMPopArgs(args, ctx.reply)) return;
  }
  const int64_t now = ctx.engine.clock().NowMs();
  int64_t deadline = 0;
  if (!ParseBlockingTimeout(args[timeout_at], now, &deadline, ctx.reply)) return;
  if (try_fn(ctx.server, ctx.client.db, ctx.client.resp, args, ctx.reply) != BlockingTry::kEmpty) {
    return;
  }
  if (!CanBlock(ctx)) {
    // What the non-blocking command answers for "nothing": BLMOVE and BRPOPLPUSH a null bulk.
    if (shape == Shape::kMove || shape == Shape::kRpoplpush) {
      ctx.reply.Null();
    } else {
      ctx.reply.NullArray();
    }
    return;
  }
  std::shared_ptr<BlockedClient> w = NewWaiter(ctx, deadline, try_fn);
  w->args.assign(args.begin(), args.end());
  switch (shape) {
    case Shape::kKeysThenTimeout:
      w->keys.assign(args.begin() + 1, args.end() - 1);
      break;
    case Shape::kMove:
    case Shape::kRpoplpush:
      w->keys.emplace_back(args[1]);
      w->push_key = std::string(args[2]);
      break;
    case Shape::kTimeoutNumkeys: {
      // The inner command accepted numkeys, so it is in range.
      int64_t numkeys = 0;
      ParseInt64(args[2], &numkeys);
      w->keys.assign(args.begin() + 3, args.begin() + 3 + numkeys);
      break;
    }
  }
  BlockClient(ctx, w);
}

void BLPop(CommandContext& ctx, Args args) {
  RunBlocking(ctx, args, Shape::kKeysThenTimeout, TryListPop);
}
void BZPop(CommandContext& ctx, Args args) {
  RunBlocking(ctx, args, Shape::kKeysThenTimeout, TryZSetPop);
}
void BLMove(CommandContext& ctx, Args args) { RunBlocking(ctx, args, Shape::kMove, TryForwarded); }
void BRPopLPush(CommandContext& ctx, Args args) {
  RunBlocking(ctx, args, Shape::kRpoplpush, TryForwarded);
}
void BMPop(CommandContext& ctx, Args args) {
  RunBlocking(ctx, args, Shape::kTimeoutNumkeys, TryForwarded);
}

// BLMPOP / BZMPOP: keys follow numkeys (argument 2).
void NumkeysKeys(Args args, std::vector<size_t>* out) {
  int64_t n = 0;
  if (args.size() < 3 || !ParseInt64(args[2], &n) || n <= 0) return;
  for (int64_t i = 0; i < n && static_cast<size_t>(3 + i) < args.size(); ++i) {
    out->push_back(static_cast<size_t>(3 + i));
  }
}

}  // namespace

void RegisterBlockingCommands(CommandTable& table) {
  constexpr uint32_t kFlags = kWrite | kBlocking | kNoscript;
  table.Add(
      {.name = "blpop",
       .arity = -3,
       .flags = kFlags,
       .first_key = 1,
       .last_key = -2,
       .key_step = 1,
       .acl_categories = "@write @list @slow @blocking",
       .key_spec_flags = "RW access delete",
       .group = "list",
       .since = "2.0.0",
       .summary = "Remove and get the first element in a list, or block until one is available",
       .handler = BLPop});
  table.Add(
      {.name = "brpop",
       .arity = -3,
       .flags = kFlags,
       .first_key = 1,
       .last_key = -2,
       .key_step = 1,
       .acl_categories = "@write @list @slow @blocking",
       .key_spec_flags = "RW access delete",
       .group = "list",
       .since = "2.0.0",
       .summary = "Remove and get the last element in a list, or block until one is available",
       .handler = BLPop});
  table.Add({.name = "blmove",
             .arity = 6,
             .flags = kFlags | kDenyOom,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .acl_categories = "@write @list @slow @blocking",
             .key_spec_flags = "RW access delete",
             .group = "list",
             .since = "6.2.0",
             .summary = "Pop an element from a list, push it to another list and return it; or "
                        "block until one is available",
             .handler = BLMove});
  table.Add({.name = "brpoplpush",
             .arity = 4,
             .flags = kFlags | kDenyOom,
             .first_key = 1,
             .last_key = 2,
             .key_step = 1,
             .acl_categories = "@write @list @slow @blocking",
             .key_spec_flags = "RW access delete",
             .group = "list",
             .since = "2.2.0",
             .summary = "Pop an element from a list, push it to another list and return it; or "
                        "block until one is available",
             .handler = BRPopLPush});
  // BLMPOP and BZMPOP may run in scripts (without blocking), as in Redis.
  table.Add({.name = "blmpop",
             .arity = -5,
             .flags = (kFlags & ~kNoscript) | kMovableKeys,
             .acl_categories = "@write @list @slow @blocking",
             .group = "list",
             .since = "7.0.0",
             .summary = "Pop elements from a list, or block until one is available",
             .handler = BMPop,
             .get_keys = NumkeysKeys});
  table.Add({.name = "bzpopmin",
             .arity = -3,
             .flags = kFlags | kFast,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .acl_categories = "@write @sortedset @fast @blocking",
             .key_spec_flags = "RW access delete",
             .group = "sorted_set",
             .since = "5.0.0",
             .summary = "Remove and return the member with the lowest score from one or more "
                        "sorted sets, or block until one is available",
             .handler = BZPop});
  table.Add({.name = "bzpopmax",
             .arity = -3,
             .flags = kFlags | kFast,
             .first_key = 1,
             .last_key = -2,
             .key_step = 1,
             .acl_categories = "@write @sortedset @fast @blocking",
             .key_spec_flags = "RW access delete",
             .group = "sorted_set",
             .since = "5.0.0",
             .summary = "Remove and return the member with the highest score from one or more "
                        "sorted sets, or block until one is available",
             .handler = BZPop});
  table.Add({.name = "bzmpop",
             .arity = -5,
             .flags = (kFlags & ~kNoscript) | kMovableKeys,
             .acl_categories = "@write @sortedset @slow @blocking",
             .group = "sorted_set",
             .since = "7.0.0",
             .summary = "Remove and return members with scores in a sorted set or block until one "
                        "is available",
             .handler = BMPop,
             .get_keys = NumkeysKeys});
}

}  // namespace ringkv::server
