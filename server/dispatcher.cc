// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/dispatcher.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/acl.h"
#include "server/errors.h"

namespace ringkv::server {

namespace {

bool SameName(std::string_view lower, std::string_view any_case) {
  if (lower.size() != any_case.size()) return false;
  for (size_t i = 0; i < lower.size(); ++i) {
    char c = any_case[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower[i]) return false;
  }
  return true;
}

// Commands that run at once inside MULTI instead of being queued (Redis's processCommand).
bool RunsInsideMulti(std::string_view name) {
  return name == "exec" || name == "discard" || name == "multi" || name == "watch" ||
         name == "quit" || name == "reset";
}

// What a RESP2 client in subscribed mode may run (Redis's processCommand).
bool AllowedWhileSubscribed(std::string_view name) {
  return name == "subscribe" || name == "ssubscribe" || name == "unsubscribe" ||
         name == "sunsubscribe" || name == "psubscribe" || name == "punsubscribe" ||
         name == "ping" || name == "quit" || name == "reset";
}

// A refusal while queueing makes the later EXEC answer EXECABORT.
void FlagTransaction(ClientState& client) {
  if (client.tx != nullptr && client.tx->in_multi) client.tx->queue_error = true;
}

// Flags the WATCHers of the keys `args` names (a write command ran). Keys whose position is
// unknown (movable keys without a finder) are approximated by every argument.
void TouchWatchedKeys(ServerContext& server, int db, const CommandSpec& spec,
                      std::span<const std::string_view> args) {
  std::vector<size_t> positions;
  if (!KeyPositions(spec, args, &positions)) {
    positions.clear();
    for (size_t i = 1; i < args.size(); ++i) positions.push_back(i);
  }
  // MOVE and COPY ... DB write the key in another database too.
  const bool any_db = spec.name == "move" || spec.name == "copy";
  for (size_t i : positions) {
    if (i >= args.size()) continue;
    if (any_db) {
      for (int d = 0; d < server.engine->databases(); ++d) server.watches.Touch(d, args[i]);
    } else {
      server.watches.Touch(db, args[i]);
    }
  }
}

}  // namespace

void Execute(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
             const CommandSpec& spec, std::span<const std::string_view> args) {
  const bool touch = (spec.flags & kWrite) != 0 && !server.watches.empty();
  const bool flush = touch && (spec.name == "flushdb" || spec.name == "flushall" ||
                               spec.name == "swapdb");
  const int db = client.db;
  if (flush) {
    // FLUSHDB/FLUSHALL/SWAPDB change every key that exists (before, for a flush).
    server.watches.TouchExisting(*server.engine, spec.name == "flushall" ? -1 : db);
  }
  CommandContext ctx{*server.engine, reply, client, server};
  spec.handler(ctx, args);
  if (touch) {
    if (spec.name == "swapdb") {
      server.watches.TouchExisting(*server.engine, -1);  // what exists in either, after
    } else if (!flush) {
      TouchWatchedKeys(server, db, spec, args);
    }
  }
  server.stats.total_commands_processed.fetch_add(1, std::memory_order_relaxed);
  if (ClientInfo* info = client.info.get()) {
    info->last_command.store(spec.name.data(), std::memory_order_relaxed);
    info->db.store(client.db, std::memory_order_relaxed);
    info->resp.store(static_cast<int>(client.resp), std::memory_order_relaxed);
  }
}

void Dispatch(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
              std::span<const std::string_view> args, const CommandSpec** last) {
  const CommandSpec* spec = nullptr;
  if (last != nullptr && *last != nullptr && SameName((*last)->name, args[0])) {
    spec = *last;
  } else {
    spec = server.commands->Find(args[0]);
    if (last != nullptr && spec != nullptr) *last = spec;
  }
  if (spec == nullptr) {
    FlagTransaction(client);
    reply.Error(errors::UnknownCommand(args));
    return;
  }
  if (!client.authenticated && !(spec->flags & kNoAuth)) {
    FlagTransaction(client);
    reply.Error(errors::kNoAuth);
    return;
  }
  if (!ArityOk(*spec, args.size())) {
    FlagTransaction(client);
    reply.Error(errors::WrongArity(spec->name));
    return;
  }
  if (std::string denied; !AclAllows(server, client, *spec, args, &denied)) {
    FlagTransaction(client);
    reply.Error(denied);
    return;
  }
  if (client.subscriptions > 0 && client.resp == protocol::RespVersion::kResp2 &&
      !AllowedWhileSubscribed(spec->name)) {
    std::string message = absl::StrCat(
        "Can't execute '", absl::string_view(spec->name.data(), spec->name.size()),
        "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
        "context");
    if (spec->name == "exec" && client.tx != nullptr && client.tx->in_multi) {
      // A refused EXEC ends the transaction, saying why (Redis's rejectCommand in MULTI).
      client.tx->Discard();
      client.tx->Unwatch();
      reply.Error(absl::StrCat("EXECABORT Transaction discarded because of: ", message));
      return;
    }
    FlagTransaction(client);
    reply.Error(absl::StrCat("ERR ", message));
    return;
  }
  if (client.tx != nullptr && client.tx->in_multi && !RunsInsideMulti(spec->name)) {
    if (spec->flags & kNoMulti) {
      FlagTransaction(client);
      reply.Error(errors::kNotInTransaction);
      return;
    }
    client.tx->queued.emplace_back(args.begin(), args.end());
    reply.SimpleString("QUEUED");
    return;
  }
  Execute(server, client, reply, *spec, args);
}

}  // namespace ringkv::server
