// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Cluster routing: whether this node serves a command now, or which redirect or error it
// answers (Redis's getNodeByQuery): -MOVED for a slot another node owns, -ASK for a key missing
// from a slot being migrated, -CROSSSLOT for keys in different slots (across a whole MULTI at
// EXEC), -TRYAGAIN for a multi-key request on a slot half moved, -CLUSTERDOWN when slots are
// unserved. The server wires this between the command table, the engine and ClusterState.
//
// Thread safety: call from the thread running the command, inside a ClusterState::CommandGuard.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/key_lock.h"
#include "server/command.h"
#include "server/server_context.h"

namespace ringkv::server {

struct Route {
  enum Kind {
    kLocal,         // served here
    kCrossSlot,     // keys in more than one slot
    kTryAgain,      // multi-key request on a migrating/importing slot, keys split
    kDown,          // cluster down (unserved slots with cluster-require-full-coverage)
    kDownReadOnly,  // cluster down and a write (cluster-allow-reads-when-down yes)
    kUnbound,       // the key's slot has no owner
    kMoved,         // another node owns the slot
    kAsk,           // the slot is migrating and the keys are not here
  };
  Kind kind = kLocal;
  int slot = -1;     // the slot of the keys (-1: the command has none)
  std::string addr;  // ip:port for kMoved and kAsk
};

// True if the command is routed by its keys at all (has key positions, movable keys, or EXEC).
bool RoutedByKeys(const CommandSpec& spec);

// Routes `spec` with `args` (EXEC: the client's queued commands) for `client`. When the slot is
// migrating or importing, keys are looked up: *lock then holds them (every shard for EXEC and
// scripts) and must stay held until the command has run, so that MIGRATE cannot move a key
// between the check and the command. `asking` is the client's ASKING flag (or the command's own).
Route RouteCommand(ServerContext& server, const ClientState& client, const CommandSpec& spec,
                   std::span<const std::string_view> args, bool asking,
                   std::optional<engine::KeyLock>* lock);

// The error a client gets for a route other than kLocal, as Redis words it.
std::string RouteError(const Route& route);

// After a slot-map change: answers the clients blocked on keys of a slot this node no longer
// serves (nor imports) with -MOVED, or -CLUSTERDOWN when the slot has no owner or the cluster is
// down (Redis's clusterRedirectBlockedClientIfNeeded). Returns how many were answered.
size_t RedirectBlockedClients(ServerContext& server);

}  // namespace ringkv::server
