// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Transactions (Redis's "transactions" group): MULTI, EXEC, DISCARD, WATCH, UNWATCH. Queueing
// happens in the dispatcher (server/dispatcher.cc); the state and what counts as a change of a
// watched key are in server/transaction.h.
//
// EXEC runs the queued commands atomically: it first takes an engine::KeyLock over the shards of
// every key they name (in every database they name), so no other client sees a part of the
// transaction, whichever shards and databases it spans. A transaction whose keys cannot be known
// up front (SELECT inside it, MOVE/COPY across databases, keyspace-wide commands such as FLUSHDB
// or KEYS, movable keys without a finder) locks every shard instead.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/key_lock.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/dispatcher.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;

TxState& Tx(CommandContext& ctx) {
  if (ctx.client.tx == nullptr) ctx.client.tx = std::make_unique<TxState>(&ctx.server.watches);
  return *ctx.client.tx;
}

void Multi(CommandContext& ctx, Args) {
  TxState& tx = Tx(ctx);
  if (tx.in_multi) {
    ctx.reply.Error(errors::kMultiNested);
    return;
  }
  tx.in_multi = true;
  ctx.reply.Ok();
}

void Discard(CommandContext& ctx, Args) {
  TxState& tx = Tx(ctx);
  if (!tx.in_multi) {
    ctx.reply.Error(errors::kDiscardWithoutMulti);
    return;
  }
  tx.Discard();
  tx.Unwatch();
  ctx.reply.Ok();
}

void Watch(CommandContext& ctx, Args args) {
  TxState& tx = Tx(ctx);
  if (tx.in_multi) {
    ctx.reply.Error(errors::kWatchInMulti);
    return;
  }
  for (size_t i = 1; i < args.size(); ++i) tx.Watch(ctx.engine, ctx.client.db, args[i]);
  ctx.reply.Ok();
}

void Unwatch(CommandContext& ctx, Args) {
  if (ctx.client.tx != nullptr) ctx.client.tx->Unwatch();
  ctx.reply.Ok();
}

// The (db, key) pairs the queued commands name, or nullopt when they cannot all be known.
std::optional<std::vector<std::pair<int, std::string_view>>> LockSet(
    const CommandTable& table, int db, const std::vector<std::vector<std::string_view>>& cmds) {
  std::vector<std::pair<int, std::string_view>> keys;
  std::vector<size_t> positions;
  for (const std::vector<std::string_view>& args : cmds) {
    const CommandSpec* spec = table.Find(args[0]);
    if (spec == nullptr) return std::nullopt;
    // Scripts may touch keys they do not declare.
    if (spec->name == "select" || spec->name == "move" || spec->name == "copy" ||
        spec->name == "swapdb" || IsScriptCommand(spec->name)) {
      return std::nullopt;
    }
    positions.clear();
    if (!KeyPositions(*spec, args, &positions)) return std::nullopt;
    // A keyless command that is not about the connection (FLUSHDB, KEYS, DBSIZE, INFO...) may
    // touch any shard.
    if (positions.empty() && spec->group != "connection" && spec->group != "transactions") {
      return std::nullopt;
    }
    for (size_t i : positions) {
      if (i < args.size()) keys.emplace_back(db, args[i]);
    }
  }
  return keys;
}

void Exec(CommandContext& ctx, Args) {
  TxState& tx = Tx(ctx);
  if (!tx.in_multi) {
    ctx.reply.Error(errors::kExecWithoutMulti);
    return;
  }
  if (tx.queue_error) {
    tx.Discard();
    tx.Unwatch();
    ctx.reply.Error(errors::kExecAbort);
    return;
  }
  if (tx.WatchedKeyChanged(ctx.engine)) {
    tx.Discard();
    tx.Unwatch();
    ctx.reply.NullArray();
    return;
  }
  std::vector<std::vector<std::string>> queued = std::move(tx.queued);
  tx.Discard();
  tx.Unwatch();  // as Redis: watching ends before the queued commands run

  std::vector<std::vector<std::string_view>> cmds;
  cmds.reserve(queued.size());
  for (const std::vector<std::string>& c : queued) cmds.emplace_back(c.begin(), c.end());

  const CommandTable& table = *ctx.server.commands;
  std::optional<engine::KeyLock> lock;
  if (auto keys = LockSet(table, ctx.client.db, cmds); keys.has_value()) {
    if (!keys->empty())
      lock.emplace(ctx.engine, std::span<const std::pair<int, std::string_view>>(*keys));
  } else {
    lock.emplace(ctx.engine, engine::KeyLock::AllTag{});
  }
  ctx.reply.ArrayHeader(cmds.size());
  ctx.client.in_exec = true;
  for (const std::vector<std::string_view>& args : cmds) {
    const CommandSpec* spec = table.Find(args[0]);
    // ACL rules may have changed since the command was queued (Redis checks again in EXEC).
    if (std::string denied; !AclAllowsInExec(ctx.server, ctx.client, *spec, args, &denied)) {
      ctx.reply.Error(denied);
      continue;
    }
    Execute(ctx.server, ctx.client, ctx.reply, *spec, args);
  }
  ctx.client.in_exec = false;
}

}  // namespace

void RegisterTransactionCommands(CommandTable& table) {
  constexpr uint32_t kControl = kNoscript | kLoading | kStale | kFast | kAllowBusy;
  constexpr std::string_view kCats = "@fast @transaction";
  table.Add({.name = "multi",
             .arity = 1,
             .flags = kControl,
             .acl_categories = kCats,
             .group = "transactions",
             .since = "1.2.0",
             .summary = "Starts a transaction.",
             .handler = Multi});
  table.Add({.name = "exec",
             .arity = 1,
             .flags = kNoscript | kLoading | kStale | kSkipSlowlog,
             .acl_categories = "@slow @transaction",
             .group = "transactions",
             .since = "1.2.0",
             .summary = "Executes all commands in a transaction.",
             .handler = Exec});
  table.Add({.name = "discard",
             .arity = 1,
             .flags = kControl,
             .acl_categories = kCats,
             .group = "transactions",
             .since = "2.0.0",
             .summary = "Discards a transaction.",
             .handler = Discard});
  table.Add({.name = "watch",
             .arity = -2,
             .flags = kControl,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .acl_categories = kCats,
             .key_spec_flags = "RO",
             .group = "transactions",
             .since = "2.2.0",
             .summary = "Monitors changes to keys to determine the execution of a transaction.",
             .handler = Watch});
  table.Add({.name = "unwatch",
             .arity = 1,
             .flags = kControl,
             .acl_categories = kCats,
             .group = "transactions",
             .since = "2.2.0",
             .summary = "Forgets about watched keys of a transaction.",
             .handler = Unwatch});
}

}  // namespace ringkv::server
