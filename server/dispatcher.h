// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Dispatch: the one path from a parsed argument list to a reply. Looks the command up, checks
// arity and authentication, queues it when the client is inside MULTI, else runs the handler,
// flags WATCHers of the keys a write command names, and counts it. Used by connections and by
// the in-process command tests alike (no sockets needed to test a command).
#pragma once

#include <span>
#include <string_view>

#include "protocol/reply_encoder.h"
#include "server/server_context.h"

namespace ringkv::server {

// Runs one command and encodes its reply. REQUIRES: !args.empty().
// `last` (optional) caches the previous command's spec: pipelines usually repeat one command,
// and a case-insensitive compare with the cached name is cheaper than a table lookup.
void Dispatch(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
              std::span<const std::string_view> args, const CommandSpec** last = nullptr);

// Runs a command that passed Dispatch's checks (EXEC runs its queued commands through this).
void Execute(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
             const CommandSpec& spec, std::span<const std::string_view> args);

}  // namespace ringkv::server
