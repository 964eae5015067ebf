// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CommandTable: every command ringkv serves, looked up case-insensitively without allocating.
// Command families register their specs from their own files (server/commands/*.cc) through
// RegisterXxxCommands(); the table is built once at start-up and read-only afterwards.
//
// Thread safety: immutable after construction; safe to share between workers.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "server/command.h"

namespace ringkv::server {

class CommandTable {
 public:
  // Builds the table from every command family.
  CommandTable();

  // nullptr if unknown. `name` may be in any case.
  const CommandSpec* Find(std::string_view name) const;

  // All specs in registration order.
  std::span<const CommandSpec> all() const { return specs_; }

  void Add(const CommandSpec& spec);

 private:
  std::vector<CommandSpec> specs_;
  absl::flat_hash_map<std::string, size_t> index_;  // lower-case name -> position in specs_
};

// Each command family adds its commands.
void RegisterConnectionCommands(CommandTable& table);
void RegisterStringCommands(CommandTable& table);
void RegisterBitmapCommands(CommandTable& table);
void RegisterKeyCommands(CommandTable& table);
void RegisterHashCommands(CommandTable& table);
void RegisterListCommands(CommandTable& table);
void RegisterSetCommands(CommandTable& table);
void RegisterZSetCommands(CommandTable& table);
void RegisterTransactionCommands(CommandTable& table);
void RegisterPubSubCommands(CommandTable& table);
void RegisterDiagnosticCommands(CommandTable& table);
void RegisterPersistenceCommands(CommandTable& table);
void RegisterServerCommands(CommandTable& table);
void RegisterClientCommands(CommandTable& table);
void RegisterConfigCommands(CommandTable& table);
void RegisterAclCommands(CommandTable& table);
void RegisterBlockingCommands(CommandTable& table);
void RegisterStreamCommands(CommandTable& table);
void RegisterScriptingCommands(CommandTable& table);
void RegisterClusterCommands(CommandTable& table);

// EVAL, EVALSHA, their _RO forms, FCALL and FCALL_RO (`lower_name` in lower case): commands
// that may touch keys they do not declare.
bool IsScriptCommand(std::string_view lower_name);

// Redis's key specs for `name` (lower case) when one index + range spec does not describe its
// keys (server/key_specs.cc); empty otherwise.
std::span<const KeySpec> KeySpecsFor(std::string_view name);

// The COMMAND reply entry for one spec (10 fields, Redis 7 layout).
void EncodeCommandInfo(const CommandSpec& spec, protocol::ReplyEncoder& reply);

}  // namespace ringkv::server
