// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// State shared by every worker: the engine, the command table, the options the server runs with,
// and the server-wide statistics INFO reports. Per-connection state (ClientState) lives with the
// connection on its worker.
//
// Thread safety: engine and table are thread-safe / immutable; statistics are relaxed atomics
// (exact totals, no ordering needed); options are fixed after start-up.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "engine/engine.h"
#include "protocol/limits.h"
#include "protocol/reply_encoder.h"
#include "server/acl.h"
#include "server/blocking.h"
#include "server/client_registry.h"
#include "server/cluster/cluster_state.h"
#include "server/command_stats.h"
#include "server/command_table.h"
#include "server/monitor.h"
#include "server/pubsub.h"
#include "server/scripting/script_engine.h"
#include "server/slowlog.h"
#include "server/tracking.h"
#include "server/transaction.h"

namespace ringkv::server {

namespace config {
class ConfigStore;
}
namespace persistence {
class Persistence;
}

struct ServerOptions {
  std::vector<std::string> bind = {"127.0.0.1"};
  int port = 6379;
  std::string unixsocket;
  unsigned unixsocketperm = 0;
  int threads = 0;  // 0: number of cores
  std::string io_backend = "auto";
  int databases = 16;
  int64_t maxclients = 10000;
  int timeout_s = 0;
  int tcp_keepalive_s = 300;
  int tcp_backlog = 511;
  int hz = 10;
  protocol::ParserLimits parser_limits;
  int64_t client_query_buffer_limit = 1LL << 30;
  // client-output-buffer-limit normal <hard> <soft> <soft seconds>; 0 disables.
  int64_t output_hard_limit = 0;
  int64_t output_soft_limit = 0;
  int output_soft_seconds = 0;
  bool protected_mode = true;
  std::string requirepass;
  std::string config_file;
  // Snapshots (server/persistence/). Without a config store these are the settings; an empty
  // dir means no snapshot is loaded at start-up (in-process servers in tests).
  std::string dir;
  std::string dbfilename = "dump.ringkv";
  std::vector<std::pair<int64_t, int64_t>> save_rules;  // (seconds, changes)
  std::string snapshot_compression = "lz4";
  bool stop_writes_on_bgsave_error = true;
  // maxmemory and friends (server/memory_limit.h).
  int64_t maxmemory = 0;
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;
  int maxmemory_eviction_tenacity = 10;
  int lfu_log_factor = 10;
  int lfu_decay_time = 1;
  // Redis Cluster (server/cluster/): cluster-enabled and friends. config_file is relative to dir.
  bool cluster_enabled = false;
  std::string cluster_config_file = "nodes.conf";
  std::string cluster_announce_ip;
  int cluster_announce_port = 0;
  int cluster_announce_bus_port = 0;
  bool cluster_require_full_coverage = true;
  bool cluster_allow_reads_when_down = false;
};

// The settings CONFIG SET can change while the server runs, published as atomics so that workers
// read them without a lock. Written only by ConfigStore callbacks (server.cc).
struct LiveOptions {
  std::atomic<int64_t> maxclients{10000};
  std::atomic<int> timeout_s{0};
  std::atomic<int> tcp_keepalive_s{300};
  std::atomic<bool> protected_mode{true};
  std::atomic<int64_t> proto_max_bulk_len{512LL << 20};
  std::atomic<int64_t> client_query_buffer_limit{1LL << 30};
  std::atomic<int64_t> output_hard_limit{0};
  std::atomic<int64_t> output_soft_limit{0};
  std::atomic<int> output_soft_seconds{0};
  // client-output-buffer-limit pubsub (clients with a subscription): 32mb 8mb 60 by default.
  std::atomic<int64_t> pubsub_hard_limit{32LL << 20};
  std::atomic<int64_t> pubsub_soft_limit{8LL << 20};
  std::atomic<int> pubsub_soft_seconds{60};
  std::atomic<int> hz{10};
  std::atomic<int64_t> slowlog_log_slower_than{10000};
  std::atomic<int64_t> slowlog_max_len{128};
  std::atomic<int64_t> latency_monitor_threshold_ms{0};
  // The smaller of the two thresholds above in CycleNow() ticks (UINT64_MAX: neither is on), so
  // the request path makes one comparison. Kept in step by SetSlowThresholds().
  std::atomic<uint64_t> slow_command_cycles{UINT64_MAX};
  void SetSlowThresholds(int64_t slowlog_us, int64_t latency_ms, double cycles_per_us) {
    slowlog_log_slower_than = slowlog_us;
    latency_monitor_threshold_ms = latency_ms;
    double lowest = -1;
    if (slowlog_us >= 0) lowest = static_cast<double>(slowlog_us);
    if (latency_ms > 0 && (lowest < 0 || latency_ms * 1000.0 < lowest))
      lowest = latency_ms * 1000.0;
    slow_command_cycles = lowest < 0 ? UINT64_MAX : static_cast<uint64_t>(lowest * cycles_per_us);
  }
  // DEBUG allowed: 0 no, 1 yes, 2 local clients only. In-process tests (no config) allow it.
  std::atomic<int> enable_debug_command{1};
  // DEBUG SET-ACTIVE-EXPIRE: whether the workers' ticks expire keys in the background.
  std::atomic<bool> active_expire_enabled{true};
  // stop-writes-on-bgsave-error.
  std::atomic<bool> stop_writes_on_bgsave_error{true};
  // maxmemory (0: none), maxmemory-policy (an engine::EvictionPolicy), maxmemory-samples,
  // maxmemory-eviction-tenacity.
  std::atomic<int64_t> maxmemory{0};
  std::atomic<int> maxmemory_policy{0};
  std::atomic<int> maxmemory_samples{5};
  std::atomic<int> maxmemory_eviction_tenacity{10};
  // busy-reply-threshold (lua-time-limit): ms a script runs before others get -BUSY.
  std::atomic<int64_t> busy_reply_threshold_ms{5000};

  // requirepass: read on AUTH and at connect only.
  std::string requirepass() const {
    absl::MutexLock lock(&mu_);
    return requirepass_;
  }
  bool has_requirepass() const { return has_requirepass_.load(std::memory_order_relaxed); }
  void set_requirepass(std::string pass) {
    absl::MutexLock lock(&mu_);
    has_requirepass_.store(!pass.empty(), std::memory_order_relaxed);
    requirepass_ = std::move(pass);
  }

  void SetEvictionPolicy(const std::string& name) {
    engine::EvictionPolicy p = engine::EvictionPolicy::kNoEviction;
    engine::ParseEvictionPolicy(name, &p);
    maxmemory_policy = static_cast<int>(p);
  }

  void LoadFrom(const ServerOptions& o) {
    maxclients = o.maxclients;
    timeout_s = o.timeout_s;
    tcp_keepalive_s = o.tcp_keepalive_s;
    protected_mode = o.protected_mode;
    proto_max_bulk_len = o.parser_limits.max_bulk_len;
    client_query_buffer_limit = o.client_query_buffer_limit;
    output_hard_limit = o.output_hard_limit;
    output_soft_limit = o.output_soft_limit;
    output_soft_seconds = o.output_soft_seconds;
    hz = o.hz;
    stop_writes_on_bgsave_error = o.stop_writes_on_bgsave_error;
    maxmemory = o.maxmemory;
    SetEvictionPolicy(o.maxmemory_policy);
    maxmemory_samples = o.maxmemory_samples;
    maxmemory_eviction_tenacity = o.maxmemory_eviction_tenacity;
    set_requirepass(o.requirepass);
  }

 private:
  mutable absl::Mutex mu_;
  std::string requirepass_ ABSL_GUARDED_BY(mu_);
  std::atomic<bool> has_requirepass_{false};
};

struct ServerStats {
  std::atomic<int64_t> connected_clients{0};
  // Bytes the connections hold: each one's object, unparsed input and output buffer chunks, as
  // last published by its worker (INFO mem_clients_normal; counted against maxmemory).
  std::atomic<int64_t> client_memory{0};
  // Resident memory the accounting above and the engine's used_memory do not explain
  // (fragmentation, freed pages not yet returned, structures not counted), measured each tick
  // by UpdateMemoryOverhead (memory_limit.h) while maxmemory is set; it counts against it.
  std::atomic<int64_t> memory_overhead{0};
  // Its baselines, taken at the first measurement (touched by that worker only).
  int64_t overhead_rss_base = -1;
  int64_t overhead_accounted_base = 0;
  std::atomic<int64_t> total_connections_received{0};
  std::atomic<int64_t> rejected_connections{0};
  std::atomic<int64_t> total_net_input_bytes{0};
  std::atomic<int64_t> total_net_output_bytes{0};
  // Commands per second over the last ~1.6 s, sampled each tick by worker 0 (Redis samples
  // 16 times over the same span).
  std::atomic<int64_t> instantaneous_ops_per_sec{0};
};

// CLIENT REPLY: whether replies are sent.
enum class ReplyMode { kOn, kOff, kSkipNext };

// Per-connection state that commands read and change.
struct ClientState {
  uint64_t id = 0;
  int db = 0;
  protocol::RespVersion resp = protocol::RespVersion::kResp2;
  bool authenticated = true;
  // The ACL user this client runs as; empty: the default user (server/acl.h).
  AclUserRef acl_user;
  bool close_after_reply = false;
  ReplyMode reply_mode = ReplyMode::kOn;
  std::string name;
  // What CLIENT LIST shows of this client; null for in-process command tests.
  std::shared_ptr<ClientInfo> info;
  // MULTI/EXEC/WATCH state, created by the first MULTI or WATCH.
  std::unique_ptr<TxState> tx;
  // Set while EXEC runs the queued commands: blocking commands do not block then.
  bool in_exec = false;
  // The client a script's redis.call runs as (server/commands/scripting.cc).
  bool in_script = false;
  // In MONITOR mode (server/monitor.h): keyspace commands are refused.
  bool monitor = false;
  // Cluster mode: ASKING was sent (for the next command, or until EXEC inside MULTI), and
  // READONLY / READWRITE (recorded; ringkv has no replicas to read from).
  bool asking = false;
  bool readonly = false;
  // CLIENT TRACKING (server/tracking.h): kTracking* bits, 0 when off; and CLIENT CACHING
  // yes/no given for the next command (or transaction).
  uint32_t tracking = 0;
  bool tracking_caching = false;
  // Set while this client waits in a blocking command (server/blocking.h); its connection runs
  // nothing else until the registry serves it, it times out, or it is unblocked.
  std::shared_ptr<BlockedClient> blocked;
  // Channels + patterns + shard channels this client is subscribed to. While it is non-zero a
  // RESP2 client may only run (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE, PING, QUIT and RESET.
  size_t subscriptions = 0;
  // Pub/sub (server/pubsub.h): where this client's messages are written (its connection; null
  // in in-process tests), and its subscriptions, created by the first one.
  PubSubSink* pubsub_sink = nullptr;
  std::unique_ptr<PubSubClient> pubsub;
};

struct ServerContext {
  // As the server was started; live-changeable settings are read from `live` instead.
  ServerOptions options;
  LiveOptions live;
  // CONFIG GET/SET/REWRITE; null when the server runs without one (in-process tests).
  config::ConfigStore* config = nullptr;
  engine::Engine* engine = nullptr;
  const CommandTable* commands = nullptr;
  ServerStats stats;
  // INFO commandstats / errorstats.
  CommandStats command_stats;
  Slowlog slowlog;
  LatencyMonitor latency;
  int64_t start_time_ms = 0;
  int64_t port = 0;  // the TCP port bound
  int worker_count = 1;
  std::atomic<uint64_t> next_client_id{1};
  ClientRegistry clients;
  // Who WATCHes which keys (MULTI/EXEC).
  WatchRegistry watches;
  // ACL users and the ACL LOG (server/acl.h).
  Acl acl;
  // Pub/sub subscriptions and keyspace notification settings.
  PubSubRegistry pubsub;
  // Clients blocked in BLPOP and friends.
  BlockingRegistry blocking;
  // Clients in MONITOR mode.
  MonitorRegistry monitors;
  // EVAL scripts, FUNCTION libraries and the script running now (server/scripting/).
  scripting::ScriptEngine scripts;
  cluster::ClusterState cluster;
  TrackingRegistry tracking;
  // Snapshots: SAVE, BGSAVE, rules, INFO persistence (server/persistence/persistence.h).
  persistence::Persistence* persistence = nullptr;
  // True while the start-up load runs: commands without the loading flag get -LOADING.
  std::atomic<bool> loading{false};
  // Set when SHUTDOWN has done (or skipped) the final save, and when loading failed: the signal
  // that follows must not save again.
  std::atomic<bool> shutdown_save_handled{false};
  // The process's exit status (1 when the snapshot could not be loaded).
  std::atomic<int> exit_code{0};
  // Asks the server to shut down (SHUTDOWN, signals); safe from any thread.
  std::function<void()> request_shutdown;
  // Closes client `id` owned by worker `worker` (CLIENT KILL); safe from any thread.
  std::function<void(int worker, uint64_t id)> kill_client;
};

}  // namespace ringkv::server
