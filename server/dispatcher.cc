// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/dispatcher.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "server/acl.h"
#include "server/acl_commands.h"
#include "server/cluster_routing.h"
#include "server/cycle_clock.h"
#include "server/errors.h"
#include "server/memory_limit.h"
#include "server/persistence/persistence.h"

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

// What may run while a script is busy: commands flagged allow-busy, SCRIPT KILL, FUNCTION KILL
// and FUNCTION STATS (Redis's processCommand).
bool AllowedWhileBusy(const CommandSpec& spec, std::span<const std::string_view> args) {
  if (spec.flags & kAllowBusy) return true;
  if (args.size() != 2) return false;
  if (spec.name == "script") return SameName("kill", args[1]);
  if (spec.name == "function") return SameName("kill", args[1]) || SameName("stats", args[1]);
  return false;
}

size_t SpecIndex(const ServerContext& server, const CommandSpec& spec) {
  return static_cast<size_t>(&spec - server.commands->all().data());
}

// A refusal while queueing makes the later EXEC answer EXECABORT.
void FlagTransaction(ClientState& client) {
  if (client.tx != nullptr && client.tx->in_multi) client.tx->queue_error = true;
}

// A command refused before it ran: counted as rejected, and its error by code. A refused EXEC
// ends the transaction and says why (Redis's rejectCommand -> execCommandAbort), inside MULTI
// or not.
// (Cluster redirects are the exception: abort_exec false.)
void Reject(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
            const CommandSpec* spec, std::string_view error, bool abort_exec = true) {
  FlagTransaction(client);
  if (abort_exec && spec != nullptr && spec->name == "exec" && !error.starts_with("EXECABORT")) {
    if (client.tx != nullptr) {
      client.tx->Discard();
      client.tx->Unwatch();
    }
    std::string_view message = error;
    if (size_t space = message.find(' ');
        space != std::string_view::npos && message.substr(0, space) == "ERR") {
      message.remove_prefix(space + 1);
    }
    reply.Error(absl::StrCat("EXECABORT Transaction discarded because of: ",
                             absl::string_view(message.data(), message.size())));
  } else {
    reply.Error(error);
  }
  const size_t commands = server.commands->all().size();
  if (spec != nullptr) server.command_stats.RecordRejected(SpecIndex(server, *spec), commands);
  server.command_stats.RecordError(reply.last_error_code(), commands);
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

// Client-side caching (server/tracking.h), once some client tracks: a tracking client's reads
// are remembered; a write invalidates its keys for every client that read them (a flush, all).
void TrackKeys(ServerContext& server, const ClientState& client, const CommandSpec& spec,
               std::span<const std::string_view> args, bool failed) {
  const bool write = (spec.flags & kWrite) != 0;
  const uint32_t t = client.tracking;
  const bool remember = (t & kTrackingOn) != 0 && (t & kTrackingBcast) == 0 &&
                        (spec.flags & (kReadonly | kPubsub)) == kReadonly &&
                        spec.name != "eval_ro" && spec.name != "evalsha_ro" &&
                        spec.name != "fcall_ro" &&
                        !((t & kTrackingOptin) != 0 && !client.tracking_caching) &&
                        !((t & kTrackingOptout) != 0 && client.tracking_caching);
  if (!remember && !(write && !failed)) return;
  if (write && (spec.name == "flushdb" || spec.name == "flushall" || spec.name == "swapdb")) {
    if (!failed) server.tracking.InvalidateAll();
    return;
  }
  std::vector<size_t> positions;
  if (!KeyPositions(spec, args, &positions)) return;
  std::vector<std::string_view> keys;
  keys.reserve(positions.size());
  for (size_t i : positions) {
    if (i < args.size()) keys.push_back(args[i]);
  }
  if (keys.empty()) return;
  if (remember) server.tracking.RememberKeys(client.id, keys);
  if (write && !failed) server.tracking.Invalidate(client.id, keys);
}

// The slow path of a slow command: SLOWLOG entry and LATENCY event.
void RecordSlow(ServerContext& server, const ClientState& client, const CommandSpec& spec,
                std::span<const std::string_view> args, int64_t usec, int64_t slower,
                int64_t threshold_ms) {
  const int64_t now_s = std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
  if (slower >= 0 && usec >= slower && !(spec.flags & kSkipSlowlog)) {
    std::string peer;
    if (client.info != nullptr) peer = client.info->addr;
    server.slowlog.Add(args, usec, now_s, std::move(peer), client.name,
                       server.live.slowlog_max_len.load(std::memory_order_relaxed));
  }
  if (threshold_ms > 0 && usec >= threshold_ms * 1000) {
    server.latency.Add((spec.flags & kFast) ? "fast-command" : "command", now_s, usec / 1000);
  }
}

}  // namespace

void Execute(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
             const CommandSpec& spec, std::span<const std::string_view> args) {
  const bool touch = (spec.flags & kWrite) != 0 && !server.watches.empty();
  const bool flush =
      touch && (spec.name == "flushdb" || spec.name == "flushall" || spec.name == "swapdb");
  const int db = client.db;
  if (flush) {
    // FLUSHDB/FLUSHALL/SWAPDB change every key that exists (before, for a flush).
    server.watches.TouchExisting(*server.engine, spec.name == "flushall" ? -1 : db);
  }
  CommandContext ctx{*server.engine, reply, client, server};
  const uint64_t errors_before = reply.error_count();
  const uint64_t start = CycleNow();
  spec.handler(ctx, args);
  const uint64_t cycles = CycleNow() - start;
  const bool failed = reply.error_count() != errors_before;
  const size_t commands = server.commands->all().size();
  server.command_stats.RecordCall(SpecIndex(server, spec), commands, cycles, failed);
  if (failed) server.command_stats.RecordError(reply.last_error_code(), commands);
  // One comparison in counter ticks; the thresholds themselves only for the rare slow command.
  if (cycles >= server.live.slow_command_cycles.load(std::memory_order_relaxed)) {
    const int64_t slower = server.live.slowlog_log_slower_than.load(std::memory_order_relaxed);
    const int64_t threshold_ms =
        server.live.latency_monitor_threshold_ms.load(std::memory_order_relaxed);
    const double usec = static_cast<double>(cycles) / CyclesPerMicrosecond();
    if ((slower >= 0 && usec >= static_cast<double>(slower)) ||
        (threshold_ms > 0 && usec >= static_cast<double>(threshold_ms) * 1000.0)) {
      RecordSlow(server, client, spec, args, static_cast<int64_t>(usec), slower, threshold_ms);
    }
  }
  // A command that answered an error changed nothing (Redis's commands check before they write).
  if (!server.monitors.empty()) {
    const int64_t now_us = absl::ToUnixMicros(absl::Now());
    const std::string_view addr = client.info != nullptr ? std::string_view(client.info->addr) : "";
    server.monitors.Feed(now_us, db, addr, spec, args);
  }
  // Blocked clients waiting on what this command wrote are served after it (Dispatch).
  if (!failed && (spec.flags & kWrite) != 0 && !server.blocking.empty()) {
    server.blocking.NoteWrite(db, spec, args);
  }
  if (server.tracking.active()) TrackKeys(server, client, spec, args, failed);
  if (touch && !failed) {
    if (spec.name == "swapdb") {
      server.watches.TouchExisting(*server.engine, -1);  // what exists in either, after
    } else if (!flush) {
      TouchWatchedKeys(server, db, spec, args);
    }
  }
  if (ClientInfo* info = client.info.get()) {
    info->last_command.store(spec.name.data(), std::memory_order_relaxed);
    info->db.store(client.db, std::memory_order_relaxed);
    info->resp.store(static_cast<int>(client.resp), std::memory_order_relaxed);
  }
}

namespace {

void DispatchOne(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
                 std::span<const std::string_view> args, const CommandSpec** last,
                 const CommandSpec** ran) {
  const CommandSpec* spec = nullptr;
  if (last != nullptr && *last != nullptr && SameName((*last)->name, args[0])) {
    spec = *last;
  } else {
    spec = server.commands->Find(args[0]);
    if (last != nullptr && spec != nullptr) *last = spec;
  }
  if (spec == nullptr) {
    Reject(server, client, reply, nullptr, errors::UnknownCommand(args));
    return;
  }
  *ran = spec;
  if (!client.authenticated && !(spec->flags & kNoAuth) && AclAuthRequired(server)) {
    Reject(server, client, reply, spec, errors::kNoAuth);
    return;
  }
  if (!ArityOk(*spec, args.size())) {
    Reject(server, client, reply, spec, errors::WrongArity(spec->name));
    return;
  }
  if (std::string denied; !AclAllows(server, client, *spec, args, &denied)) {
    Reject(server, client, reply, spec, denied);
    return;
  }
  if (server.loading.load(std::memory_order_relaxed) && !(spec->flags & kLoading)) {
    Reject(server, client, reply, spec, errors::kLoading);
    return;
  }
  // A script runs on another worker: wait for it to end, or answer -BUSY once it has run past
  // busy-reply-threshold (0: wait however long it runs). Checked before anything below that
  // may take engine locks (eviction), which the script holds.
  if (server.scripts.running() && !AllowedWhileBusy(*spec, args)) {
    int64_t threshold = server.live.busy_reply_threshold_ms.load(std::memory_order_relaxed);
    if (threshold <= 0) threshold = INT64_MAX / 2;
    bool eval = true;
    if (!server.scripts.WaitUntilIdle(threshold, &eval)) {
      Reject(server, client, reply, spec, eval ? errors::kBusyScript : errors::kBusyFunction);
      return;
    }
  }
  // Redis refuses writes (and PING) while the last BGSAVE failed and save rules exist.
  if (server.persistence != nullptr && server.persistence->last_bgsave_failed() &&
      ((spec->flags & kWrite) != 0 || spec->name == "ping") &&
      server.live.stop_writes_on_bgsave_error.load(std::memory_order_relaxed) &&
      server.persistence->has_rules()) {
    Reject(server, client, reply, spec, errors::kMisconf);
    return;
  }
  // Over maxmemory: evict by policy first; what still does not fit refuses denyoom commands.
  if (server.live.maxmemory.load(std::memory_order_relaxed) > 0 && !EnforceMaxmemory(server) &&
      (spec->flags & kDenyOom) != 0) {
    Reject(server, client, reply, spec, errors::kOom);
    return;
  }
  // Cluster mode: redirect what another node serves (queued commands are checked one by one,
  // EXEC checks them all together). A command on a slot being migrated keeps its keys locked
  // until it has run, and every routed command holds a guard that slot-map changes wait out.
  std::optional<cluster::ClusterState::CommandGuard> cluster_guard;
  std::optional<engine::KeyLock> slot_lock;
  if (server.cluster.enabled() && RoutedByKeys(*spec)) {
    cluster_guard.emplace(server.cluster);
    const bool asking = client.asking || (spec->flags & kAsking) != 0;
    Route route = RouteCommand(server, client, *spec, args, asking, &slot_lock);
    if (route.kind != Route::kLocal) {
      if (spec->name == "exec" && client.tx != nullptr && client.tx->in_multi) {
        client.tx->Discard();
        client.tx->Unwatch();
      }
      Reject(server, client, reply, spec, RouteError(route), /*abort_exec=*/false);
      return;
    }
  }
  // A MONITOR client is a replica in Redis's eyes: it may not touch the keyspace.
  if (client.monitor && (spec->flags & (kWrite | kReadonly)) != 0) {
    Reject(server, client, reply, spec, "ERR Replica can't interact with the keyspace");
    return;
  }
  if (client.subscriptions > 0 && client.resp == protocol::RespVersion::kResp2 &&
      !AllowedWhileSubscribed(spec->name)) {
    // A container's subcommand is named in full ("pubsub|numpat"), as Redis's fullname.
    std::string_view name = spec->name;
    if (args.size() > 1) {
      const int sub = acl_internal::FindSubcommand(spec->name, args[1]);
      if (sub >= 0) name = acl_internal::kSubcommands[sub].name;
    }
    const std::string message = absl::StrCat(
        "Can't execute '", absl::string_view(name.data(), name.size()),
        "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this "
        "context");
    Reject(server, client, reply, spec, absl::StrCat("ERR ", message));  // EXEC: EXECABORT
    return;
  }
  if (client.tx != nullptr && client.tx->in_multi && !RunsInsideMulti(spec->name)) {
    if (spec->flags & kNoMulti) {
      Reject(server, client, reply, spec, errors::kNotInTransaction);
      return;
    }
    client.tx->queued.emplace_back(args.begin(), args.end());
    reply.SimpleString("QUEUED");
    return;
  }
  Execute(server, client, reply, *spec, args);
  slot_lock.reset();
  cluster_guard.reset();
  // No engine lock is held here (EXEC's is released): serve clients blocked on what was written.
  if (BlockingRegistry::HasReady()) server.blocking.ServeReady(server);
}

}  // namespace

void Dispatch(ServerContext& server, ClientState& client, protocol::ReplyEncoder& reply,
              std::span<const std::string_view> args, const CommandSpec** last) {
  const CommandSpec* ran = nullptr;
  DispatchOne(server, client, reply, args, last, &ran);
  // ASKING lasts for one command, or until the transaction it was sent in ends (Redis's
  // resetClient).
  const bool in_multi = client.tx != nullptr && client.tx->in_multi;
  if (client.asking && (ran == nullptr || ran->name != "asking") && !in_multi) {
    client.asking = false;
  }
  // So does CLIENT CACHING yes/no (any CLIENT subcommand keeps it, as in Redis).
  if (client.tracking_caching && (ran == nullptr || ran->name != "client") && !in_multi) {
    client.tracking_caching = false;
  }
}

}  // namespace ringkv::server
