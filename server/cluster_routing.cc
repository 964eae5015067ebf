// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/cluster_routing.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace ringkv::server {

namespace {

bool IsShardPubSub(const CommandSpec& spec) {
  return spec.name == "spublish" || spec.name == "ssubscribe" || spec.name == "sunsubscribe";
}

}  // namespace

bool RoutedByKeys(const CommandSpec& spec) {
  return spec.first_key > 0 || (spec.flags & kMovableKeys) != 0 || spec.name == "exec";
}

Route RouteCommand(ServerContext& server, const ClientState& client, const CommandSpec& spec,
                   std::span<const std::string_view> args, bool asking,
                   std::optional<engine::KeyLock>* lock) {
  Route route;
  // Reused per thread: routing runs on every keyed command in cluster mode. (RouteCommand does
  // not nest on a thread: a script's redis.call is routed after the script's own route ended.)
  thread_local std::vector<std::string_view> keys;
  thread_local std::vector<size_t> positions;
  thread_local std::vector<std::string_view> queued_args;
  thread_local std::vector<const CommandSpec*> specs;  // the commands with keys
  specs.clear();
  keys.clear();
  bool multiple_keys = false;
  bool write = false;
  bool cross_slot = false;
  // Collects the keys of one command (EXEC: of each queued command) and their slot.
  auto visit = [&](const CommandSpec& s, std::span<const std::string_view> a) {
    positions.clear();
    if (!KeyPositions(s, a, &positions)) return;
    write = write || (s.flags & kWrite) != 0;
    specs.push_back(&s);
    for (size_t pos : positions) {
      if (pos >= a.size() || cross_slot) continue;
      std::string_view key = a[pos];
      const int slot = cluster::KeySlot(key);
      if (keys.empty()) {
        route.slot = slot;
      } else if (key != keys.front()) {
        if (slot != route.slot) {
          cross_slot = true;
          continue;
        }
        multiple_keys = true;
      }
      keys.push_back(key);
    }
  };
  if (spec.name == "exec") {
    if (client.tx == nullptr || !client.tx->in_multi) return route;
    for (const std::vector<std::string>& q : client.tx->queued) {
      const CommandSpec* s = server.commands->Find(q[0]);
      if (s == nullptr) continue;
      queued_args.assign(q.begin(), q.end());
      visit(*s, queued_args);
    }
  } else {
    visit(spec, args);
  }
  if (cross_slot) {
    route.kind = Route::kCrossSlot;
    return route;
  }
  if (keys.empty()) return route;  // no key at all: served here
  const std::shared_ptr<const cluster::Topology> t = server.cluster.Get();
  const int owner = t->owner[static_cast<size_t>(route.slot)];
  if (owner < 0) {
    route.kind = Route::kUnbound;
    return route;
  }
  const cluster::ClusterOptions& options = server.cluster.options();
  if (!cluster::ClusterState::StateOk(*t, options.require_full_coverage)) {
    if (!options.allow_reads_when_down) {
      route.kind = Route::kDown;
      return route;
    }
    if (write) {
      route.kind = Route::kDownReadOnly;
      return route;
    }
  }
  const auto migrating = owner == t->self ? t->migrating.find(route.slot) : t->migrating.end();
  const bool is_migrating = migrating != t->migrating.end();
  const auto importing = t->importing.find(route.slot);
  const bool is_importing = !is_migrating && importing != t->importing.end();
  auto addr_of = [&](int node) {
    const cluster::Node& n = t->nodes[static_cast<size_t>(node)];
    return absl::StrCat(n.ip, ":", n.port);
  };
  if ((is_migrating || is_importing) && spec.name == "migrate") return route;
  int missing = 0;
  int existing = 0;
  // Only on a slot being moved (rare): what kind of commands these are.
  bool shard_pubsub = false;
  bool needs_all_shards = false;
  if (is_migrating || is_importing) {
    for (const CommandSpec* c : specs) {
      shard_pubsub = shard_pubsub || IsShardPubSub(*c);
      needs_all_shards =
          needs_all_shards || IsScriptCommand(c->name) || (c->flags & kMovableKeys) != 0;
    }
  }
  if ((is_migrating || is_importing) && !shard_pubsub) {
    // Hold the keys (every shard for EXEC, scripts and movable-key commands, whose own locks
    // may reach past these keys) while counting them and while the command runs.
    if (needs_all_shards || spec.name == "exec") {
      lock->emplace(*server.engine, engine::KeyLock::AllTag{});
    } else {
      lock->emplace(*server.engine, 0, std::span<const std::string_view>(keys));
    }
    for (std::string_view key : keys) {
      if (server.engine->Exists(0, key)) {
        ++existing;
      } else {
        ++missing;
      }
    }
  }
  if (is_migrating && missing > 0) {
    if (existing > 0) {
      route.kind = Route::kTryAgain;
    } else {
      route.kind = Route::kAsk;
      route.addr = addr_of(migrating->second);
    }
    return route;
  }
  if (is_importing && asking) {
    if (multiple_keys && missing > 0) route.kind = Route::kTryAgain;
    return route;
  }
  if (owner != t->self) {
    route.kind = Route::kMoved;
    route.addr = addr_of(owner);
  }
  return route;
}

std::string RouteError(const Route& route) {
  switch (route.kind) {
    case Route::kCrossSlot:
      return "CROSSSLOT Keys in request don't hash to the same slot";
    case Route::kTryAgain:
      return "TRYAGAIN Multiple keys request during rehashing of slot";
    case Route::kDown:
      return "CLUSTERDOWN The cluster is down";
    case Route::kDownReadOnly:
      return "CLUSTERDOWN The cluster is down and only accepts read commands";
    case Route::kUnbound:
      return "CLUSTERDOWN Hash slot not served";
    case Route::kMoved:
      return absl::StrCat("MOVED ", route.slot, " ", route.addr);
    case Route::kAsk:
      return absl::StrCat("ASK ", route.slot, " ", route.addr);
    case Route::kLocal:
      break;
  }
  return "";
}

size_t RedirectBlockedClients(ServerContext& server) {
  if (!server.cluster.enabled() || server.blocking.empty()) return 0;
  const std::shared_ptr<const cluster::Topology> t = server.cluster.Get();
  const bool ok =
      cluster::ClusterState::StateOk(*t, server.cluster.options().require_full_coverage);
  return server.blocking.AnswerWithError([&](const BlockedClient& w) -> std::optional<std::string> {
    if (w.keys.empty()) return std::nullopt;
    Route route;
    if (!ok) {
      route.kind = Route::kDown;
      return RouteError(route);
    }
    // All keys of a blocked command are in one slot (it was routed), so the first decides.
    route.slot = cluster::KeySlot(w.keys.front());
    const int owner = t->owner[static_cast<size_t>(route.slot)];
    if (owner == t->self || t->importing.contains(route.slot)) return std::nullopt;
    if (owner < 0) {
      route.kind = Route::kUnbound;
    } else {
      const cluster::Node& n = t->nodes[static_cast<size_t>(owner)];
      route.kind = Route::kMoved;
      route.addr = absl::StrCat(n.ip, ":", n.port);
    }
    return RouteError(route);
  });
}

}  // namespace ringkv::server
