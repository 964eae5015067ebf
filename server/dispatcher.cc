// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/dispatcher.h"

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

}  // namespace

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
