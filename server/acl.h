// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Access control: users, their passwords and their command, key and channel permissions
// (Redis 7's ACL model). (Being written: every client may run every command until it lands.)
#pragma once

#include <span>
#include <string>
#include <string_view>

namespace ringkv::server {

struct ServerContext;
struct ClientState;
struct CommandSpec;

// Whether the client's user may run this command with these arguments (command, category, key
// and channel permissions). On refusal, *error receives Redis's NOPERM text.
bool AclAllows(const ServerContext& server, const ClientState& client, const CommandSpec& spec,
               std::span<const std::string_view> args, std::string* error);

}  // namespace ringkv::server
