// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/dispatcher.h"

#include "server/errors.h"

namespace ringkv::server {

void Dispatch(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
              std::span<const std::string_view> args) {
  const CommandSpec* spec = server.commands->Find(args[0]);
  if (spec == nullptr) {
    reply.Error(errors::UnknownCommand(args));
    return;
  }
  if (!client.authenticated && !(spec->flags & kNoAuth)) {
    reply.Error(errors::kNoAuth);
    return;
  }
  if (!ArityOk(*spec, args.size())) {
    reply.Error(errors::WrongArity(spec->name));
    return;
  }
  CommandContext ctx{*server.engine, reply, client, server};
  spec->handler(ctx, args);
  server.stats.total_commands_processed.fetch_add(1, std::memory_order_relaxed);
  if (ClientInfo* info = client.info.get()) {
    info->last_command.store(spec->name.data(), std::memory_order_relaxed);
    info->db.store(client.db, std::memory_order_relaxed);
    info->resp.store(static_cast<int>(client.resp), std::memory_order_relaxed);
  }
}

}  // namespace ringkv::server
