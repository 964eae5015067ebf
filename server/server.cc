// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/server.h"

#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

#include "absl/strings/str_join.h"
#include "engine/types/limits.h"
#include "server/config/config_store.h"
#include "server/cycle_clock.h"
#include "server/log.h"
#include "server/memory_limit.h"
#include "server/net/listener.h"
#include "server/process_stats.h"

namespace ringkv::server {

namespace {

net::BackendKind ParseBackend(const std::string& name) {
  if (name == "io_uring") return net::BackendKind::kUring;
  if (name == "epoll") return net::BackendKind::kEpoll;
  return net::BackendKind::kAuto;
}

}  // namespace

Server::Server(const ServerOptions& options, config::ConfigStore* config) {
  context_.options = options;
  context_.config = config;
  context_.live.LoadFrom(options);
  engine::EngineOptions eopts;
  eopts.databases = options.databases;
  engine_ = std::make_unique<engine::Engine>(eopts, &clock_);
  engine_->SetExpiredHook(&OnKeyExpired, &context_);  // keyspace "expired" events
  // "hexpired" (and "del") for hash fields removed by the active cycle.
  engine_->SetFieldsExpiredHook(&OnHashFieldsExpired, &context_);
  context_.engine = engine_.get();
  engine_->SetMemoryTracking(options.maxmemory > 0);
  engine_->SetAccessTracking(TrackingFor(options.maxmemory, options.maxmemory_policy,
                                         options.lfu_log_factor, options.lfu_decay_time));
  persistence_ = std::make_unique<persistence::Persistence>(
      engine_.get(), [this] { return PersistenceSettingsNow(); }, &context_.loading);
  context_.persistence = persistence_.get();
  persistence_->SetLibraryHooks(
      [this] {
        std::vector<std::string> codes;
        for (scripting::LibraryInfo& lib : context_.scripts.Libraries()) {
          codes.push_back(std::move(lib.code));
        }
        return codes;
      },
      [this](const std::vector<std::string>& codes) {
        for (const std::string& code : codes) {
          std::string name;
          std::string error;
          if (!context_.scripts.LoadLibrary(code, /*replace=*/true, nullptr, &name, &error)) {
            Log(LogLevel::kWarning, "Failed loading a FUNCTION library from the snapshot: ", error);
          }
        }
      });
  context_.commands = &commands_;
  context_.start_time_ms = clock_.NowMs();
  context_.request_shutdown = [this] { RequestShutdown(); };
  context_.kill_client = [this](int worker, uint64_t id) {
    if (worker >= 0 && worker < static_cast<int>(workers_.size())) workers_[worker]->KillClient(id);
  };
  context_.monitors.set_deliver([this](int worker, uint64_t id, std::string line) {
    if (worker >= 0 && worker < static_cast<int>(workers_.size())) {
      workers_[worker]->DeliverMonitorLine(id, std::move(line));
    }
  });
  context_.tracking.set_deliver(
      [this](int worker, uint64_t id, TrackingMessage message) {
        if (worker >= 0 && worker < static_cast<int>(workers_.size())) {
          workers_[worker]->DeliverTracking(id, std::move(message));
        }
      },
      [this](uint64_t id, int* worker) {
        std::shared_ptr<ClientInfo> info = context_.clients.Find(id);
        if (info == nullptr) return false;
        *worker = info->worker;
        return true;
      });
  context_.blocking.set_deliver(
      [this](int worker, uint64_t id, std::shared_ptr<BlockedClient> w, std::string reply) {
        if (worker >= 0 && worker < static_cast<int>(workers_.size())) {
          workers_[worker]->DeliverUnblocked(id, std::move(w), std::move(reply));
        }
      });
}

Server::~Server() {
  if (loader_.joinable()) loader_.join();
  persistence_->Stop();
  // Normally Wait() already stopped them; after a failed Start() some may still be running.
  for (auto& w : workers_) w->BeginShutdown();
  for (auto& w : workers_) w->Join();
  for (int fd : listen_fds_) close(fd);
  if (!context_.options.unixsocket.empty()) unlink(context_.options.unixsocket.c_str());
}

// Every worker gets its own SO_REUSEPORT socket per TCP address, so the kernel spreads new
// connections over the workers.
absl::Status Server::OpenListeners(int workers, std::vector<std::vector<int>>* per_worker) {
  const ServerOptions& o = context_.options;
  per_worker->assign(workers, {});
  // As in Redis, port 0 means no TCP listener at all (unix socket only).
  const int port = o.port;
  for (size_t a = 0; a < o.bind.size() && port != 0; ++a) {
    const std::string& addr = o.bind[a];
    // Redis's "-" prefix marks an address that may be missing (e.g. no IPv6 on the host).
    const bool optional = !addr.empty() && addr[0] == '-';
    for (int w = 0; w < workers; ++w) {
      auto fd = net::ListenTcp(addr, port, o.tcp_backlog, /*exclusive_check=*/w == 0);
      if (!fd.ok()) {
        if (optional && w == 0) break;
        return fd.status();
      }
      listen_fds_.push_back(*fd);
      (*per_worker)[w].push_back(*fd);
    }
  }
  context_.port = port;
  if (!o.unixsocket.empty()) {
    auto fd = net::ListenUnix(o.unixsocket, o.unixsocketperm, o.tcp_backlog);
    if (!fd.ok()) return fd.status();
    listen_fds_.push_back(*fd);
    (*per_worker)[0].push_back(*fd);
  }
  if (listen_fds_.empty()) return absl::InvalidArgumentError("no address to listen on");
  return absl::OkStatus();
}

namespace {
void ApplyTypeLimits(const config::ServerConfig& c) {
  engine::TypeLimits& l = engine::Limits();
  l.hash_max_listpack_entries = c.hash_max_listpack_entries;
  l.hash_max_listpack_value = c.hash_max_listpack_value;
  l.list_max_listpack_size = c.list_max_listpack_size;
  l.list_compress_depth = static_cast<int>(c.list_compress_depth);
  l.set_max_intset_entries = c.set_max_intset_entries;
  l.set_max_listpack_entries = c.set_max_listpack_entries;
  l.set_max_listpack_value = c.set_max_listpack_value;
  l.zset_max_listpack_entries = c.zset_max_listpack_entries;
  l.zset_max_listpack_value = c.zset_max_listpack_value;
  l.stream_node_max_bytes = c.stream_node_max_bytes;
  l.stream_node_max_entries = c.stream_node_max_entries;
}
// The pubsub class of client-output-buffer-limit. ServerOptions carries only the normal class, so
// this one is applied from the config at start-up and on every change.
void ApplyPubSubLimits(const config::ServerConfig& c, LiveOptions* live) {
  const config::ClientBufferLimit& p = c.output_limit(config::ClientClass::kPubSub);
  live->pubsub_hard_limit = static_cast<int64_t>(p.hard_bytes);
  live->pubsub_soft_limit = static_cast<int64_t>(p.soft_bytes);
  live->pubsub_soft_seconds = static_cast<int>(p.soft_seconds);
}
}  // namespace

// Live settings: CONFIG SET publishes a new ServerConfig; these copy what the workers read.
void Server::RegisterConfigCallbacks() {
  config::ConfigStore* store = context_.config;
  if (store == nullptr) return;
  LiveOptions* live = &context_.live;
  using config::ServerConfig;
  auto on = [store](std::string_view name, auto fn) {
    store->OnChange(name, [fn](const ServerConfig& c) {
      fn(c);
      return absl::OkStatus();
    });
  };
  on("maxclients", [live](const ServerConfig& c) { live->maxclients = c.maxclients; });
  on("timeout", [live](const ServerConfig& c) { live->timeout_s = c.timeout; });
  on("tcp-keepalive", [live](const ServerConfig& c) { live->tcp_keepalive_s = c.tcp_keepalive; });
  on("protected-mode", [live](const ServerConfig& c) { live->protected_mode = c.protected_mode; });
  engine::Engine* engine = engine_.get();
  auto retrack = [engine](const ServerConfig& c) {
    engine->SetAccessTracking(
        TrackingFor(c.maxmemory, c.maxmemory_policy, c.lfu_log_factor, c.lfu_decay_time));
  };
  on("maxmemory", [this, live, engine, retrack](const ServerConfig& c) {
    // The overhead measurement takes its baseline once maxmemory is set: the receive buffers
    // must be resident before, not count as growth when their pages arrive later.
    if (c.maxmemory > 0 && live->maxmemory.load() <= 0) {
      for (auto& w : workers_) w->MakeBuffersResident();
    }
    engine->SetMemoryTracking(c.maxmemory > 0);
    retrack(c);
    live->maxmemory = c.maxmemory;
  });
  on("maxmemory-policy", [live, retrack](const ServerConfig& c) {
    retrack(c);
    live->SetEvictionPolicy(c.maxmemory_policy);
  });
  on("lfu-log-factor", retrack);
  on("lfu-decay-time", retrack);
  on("maxmemory-samples", [live](const ServerConfig& c) {
    live->maxmemory_samples = static_cast<int>(c.maxmemory_samples);
  });
  on("maxmemory-eviction-tenacity", [live](const ServerConfig& c) {
    live->maxmemory_eviction_tenacity = static_cast<int>(c.maxmemory_eviction_tenacity);
  });
  on("stop-writes-on-bgsave-error", [live](const ServerConfig& c) {
    live->stop_writes_on_bgsave_error = c.stop_writes_on_bgsave_error;
  });
  on("requirepass", [live](const ServerConfig& c) { live->set_requirepass(c.requirepass); });
  on("proto-max-bulk-len",
     [live](const ServerConfig& c) { live->proto_max_bulk_len = c.proto_max_bulk_len; });
  on("client-query-buffer-limit", [live](const ServerConfig& c) {
    live->client_query_buffer_limit = c.client_query_buffer_limit;
  });
  on("client-output-buffer-limit", [live](const ServerConfig& c) {
    const config::ClientBufferLimit& n = c.output_limit(config::ClientClass::kNormal);
    live->output_hard_limit = static_cast<int64_t>(n.hard_bytes);
    live->output_soft_limit = static_cast<int64_t>(n.soft_bytes);
    live->output_soft_seconds = static_cast<int>(n.soft_seconds);
    ApplyPubSubLimits(c, live);
  });
  ApplyPubSubLimits(*store->Snapshot(), live);
  PubSubRegistry* pubsub = &context_.pubsub;
  on("notify-keyspace-events",
     [pubsub](const ServerConfig& c) { pubsub->set_notify_flags(c.notify_keyspace_events); });
  pubsub->set_notify_flags(store->Snapshot()->notify_keyspace_events);
  on("hz", [live](const ServerConfig& c) { live->hz = c.hz; });
  for (std::string_view name :
       {"hash-max-listpack-entries", "hash-max-listpack-value", "list-max-listpack-size",
        "list-compress-depth", "set-max-intset-entries", "set-max-listpack-entries",
        "set-max-listpack-value", "zset-max-listpack-entries", "zset-max-listpack-value",
        "stream-node-max-bytes", "stream-node-max-entries"}) {
    on(name, ApplyTypeLimits);
  }
  ApplyTypeLimits(*store->Snapshot());
  ServerContext* ctx = &context_;
  auto diagnostics = [ctx](const ServerConfig& c) {
    ctx->live.SetSlowThresholds(c.slowlog_log_slower_than, c.latency_monitor_threshold,
                                CyclesPerMicrosecond());
    ctx->live.slowlog_max_len = c.slowlog_max_len;
    ctx->slowlog.Trim(c.slowlog_max_len);
  };
  for (std::string_view name :
       {"slowlog-log-slower-than", "slowlog-max-len", "latency-monitor-threshold"}) {
    on(name, diagnostics);
  }
  diagnostics(*store->Snapshot());
  const std::string& debug = store->Snapshot()->enable_debug_command;
  live->enable_debug_command = debug == "yes" ? 1 : debug == "local" ? 2 : 0;
  on("busy-reply-threshold",
     [ctx](const ServerConfig& c) { ctx->live.busy_reply_threshold_ms = c.busy_reply_threshold; });
  live->busy_reply_threshold_ms = store->Snapshot()->busy_reply_threshold;
  on("tracking-table-max-keys",
     [ctx](const ServerConfig& c) { ctx->tracking.set_max_keys(c.tracking_table_max_keys); });
  ctx->tracking.set_max_keys(store->Snapshot()->tracking_table_max_keys);
  on("loglevel", [](const ServerConfig& c) {
    SetLogLevel(static_cast<LogLevel>(static_cast<int>(c.loglevel)));
  });
}

// Like Redis: raise the open-files limit to fit maxclients plus the server's own descriptors, and
// if the hard limit does not allow it, lower maxclients and say so.
void Server::AdjustOpenFilesLimit() {
  constexpr int64_t kReservedFds = 64;  // listeners, rings, eventfds, log, snapshots
  int64_t wanted = context_.live.maxclients.load() + kReservedFds;
  struct rlimit lim;
  if (getrlimit(RLIMIT_NOFILE, &lim) != 0) return;
  if (static_cast<int64_t>(lim.rlim_cur) >= wanted) return;
  rlim_t target = std::min<rlim_t>(static_cast<rlim_t>(wanted), lim.rlim_max);
  struct rlimit raised = lim;
  raised.rlim_cur = target;
  if (target > lim.rlim_cur && setrlimit(RLIMIT_NOFILE, &raised) == 0) lim = raised;
  if (static_cast<int64_t>(lim.rlim_cur) < wanted) {
    int64_t reduced = std::max<int64_t>(1, static_cast<int64_t>(lim.rlim_cur) - kReservedFds);
    Log(LogLevel::kWarning, "You requested maxclients of ", context_.live.maxclients.load(),
        " requiring at least ", wanted, " max file descriptors. Current maximum open files is ",
        lim.rlim_cur, ". maxclients has been reduced to ", reduced, ".");
    context_.live.maxclients = reduced;
  }
}

absl::Status Server::Start() {
  CyclesPerMicrosecond();  // calibrate the command timer now, not inside the first command
  RegisterConfigCallbacks();
  if (absl::Status acl = LoadAclAtStartup(context_); !acl.ok()) return acl;
  AdjustOpenFilesLimit();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  // A file-size limit (RLIMIT_FSIZE) makes a snapshot write fail with EFBIG, reported as a failed
  // save, instead of killing the server.
  signal(SIGXFSZ, SIG_IGN);

  const ServerOptions& o = context_.options;
  const int workers = o.threads > 0 ? o.threads : UsableCpuCount();
  context_.worker_count = workers;
  std::vector<std::vector<int>> per_worker;
  absl::Status s = OpenListeners(workers, &per_worker);
  if (!s.ok()) return s;
  if (o.cluster_enabled) {
    s = context_.cluster.Start(ClusterOptionsNow());
    if (!s.ok()) return s;
  }

  // A server run from a config (or given a dir) loads its snapshot, if there is one, while it
  // already answers: -LOADING to data commands until the load is done.
  const bool load = (context_.config != nullptr || !o.dir.empty()) &&
                    persistence::SnapshotPresent(PersistenceSettingsNow().store);
  context_.loading.store(load, std::memory_order_release);

  net::BackendOptions bopts;
  bopts.kind = ParseBackend(o.io_backend);
  bopts.hz = o.hz;
  bopts.resident_buffers = o.maxmemory > 0;  // see the "maxmemory" hook
  // Every worker exists before any runs (a running one may reach the others, e.g. CLIENT KILL),
  // and they set up their rings and receive buffers at the same time, while the snapshot loads:
  // a restart waits for the longest of these, not their sum.
  for (int w = 0; w < workers; ++w) {
    workers_.push_back(std::make_unique<Worker>(w, &context_, per_worker[w]));
  }
  if (load) loader_ = std::thread([this] { LoadSnapshot(); });
  for (auto& w : workers_) w->Start(bopts);
  for (auto& w : workers_) {
    if (absl::Status started = w->WaitStarted(); !started.ok() && s.ok()) s = started;
  }
  if (!s.ok()) return s;
  const Worker& first = *workers_.front();
  if (!first.fallback_reason().empty()) {
    Log(LogLevel::kWarning, "io_uring unavailable (", first.fallback_reason(),
        "); using the epoll backend");
  }
  context_.options.io_backend =
      first.backend_description().rfind("io_uring", 0) == 0 ? "io_uring" : "epoll";
  Log(LogLevel::kNotice, "I/O backend: ", first.backend_description(), ", ", workers,
      " worker thread(s)");
  Log(LogLevel::kNotice, "Ready to accept connections tcp on ", absl::StrJoin(o.bind, ","),
      " port ", context_.port,
      o.unixsocket.empty() ? "" : absl::StrCat(", unix socket ", o.unixsocket));
  if (!load) {
    if (context_.config != nullptr || !o.dir.empty()) {
      Log(LogLevel::kNotice, "No snapshot at ",
          persistence::SnapshotRoot(PersistenceSettingsNow().store), ": starting empty");
    }
    persistence_->Start();
  }
  return absl::OkStatus();
}

cluster::ClusterOptions Server::ClusterOptionsNow() const {
  const ServerOptions& o = context_.options;
  cluster::ClusterOptions c;
  c.enabled = o.cluster_enabled;
  // Like the snapshot, the slot map file lives under dir; in-process servers without a config
  // or dir keep it in memory only.
  std::string dir = o.dir;
  if (context_.config != nullptr) dir = context_.config->Snapshot()->dir;
  if (context_.config != nullptr || !o.dir.empty()) {
    if (dir.empty()) dir = "./";
    if (dir.back() != '/') dir += '/';
    c.config_file = dir + o.cluster_config_file;
  }
  c.announce_ip = o.cluster_announce_ip;
  if (c.announce_ip.empty()) {
    std::string first = o.bind.empty() ? "" : o.bind.front();
    if (!first.empty() && first[0] == '-') first.erase(0, 1);
    const bool wildcard =
        first.empty() || first == "*" || first == "0.0.0.0" || first == "::" || first == "::*";
    c.announce_ip = wildcard ? "127.0.0.1" : first;
  }
  c.announce_port =
      o.cluster_announce_port > 0 ? o.cluster_announce_port : static_cast<int>(context_.port);
  c.announce_bus_port = o.cluster_announce_bus_port;
  c.require_full_coverage = o.cluster_require_full_coverage;
  c.allow_reads_when_down = o.cluster_allow_reads_when_down;
  return c;
}

persistence::PersistenceSettings Server::PersistenceSettingsNow() const {
  persistence::PersistenceSettings s;
  const ServerOptions& o = context_.options;
  std::string dir = o.dir;
  std::string name = o.dbfilename;
  std::string compression = o.snapshot_compression;
  std::vector<std::pair<int64_t, int64_t>> rules = o.save_rules;
  if (context_.config != nullptr) {
    std::shared_ptr<const config::ServerConfig> c = context_.config->Snapshot();
    dir = c->dir;
    name = c->dbfilename;
    compression = c->snapshot_compression;
    rules = c->save_rules;
  }
  s.store.dir = dir.empty() ? "./" : dir;
  s.store.name = name;
  s.store.compression = compression == "none"   ? persistence::Compression::kNone
                        : compression == "zstd" ? persistence::Compression::kZstd
                                                : persistence::Compression::kLz4;
  s.store.threads = std::clamp(UsableCpuCount(), 1, 4);
  for (const auto& [seconds, changes] : rules) s.rules.push_back({seconds, changes});
  return s;
}

void Server::LoadSnapshot() {
  absl::Status s = persistence_->Load();
  if (!s.ok()) {
    // Never serve (or later save) an empty data set in place of one that exists.
    Log(LogLevel::kWarning, "Fatal error loading the snapshot under ",
        persistence::SnapshotRoot(PersistenceSettingsNow().store), ": ", s.message(), ". Exiting.");
    context_.exit_code = 1;
    context_.shutdown_save_handled = true;
    RequestShutdown();
    return;
  }
  persistence_->Start();
}

bool Server::SaveBeforeExit() {
  if (context_.shutdown_save_handled.load() || context_.loading.load() ||
      !persistence_->has_rules()) {
    return true;
  }
  Log(LogLevel::kNotice, "Saving the final snapshot before exiting.");
  if (absl::Status s = persistence_->Save(/*wait=*/true); !s.ok()) {
    Log(LogLevel::kWarning, "Error trying to save the DB, can't exit: ", s.message());
    return false;
  }
  return true;
}

void Server::RequestShutdown() {
  // Wait() sleeps in sigwait: wake it with a signal it takes.
  kill(getpid(), SIGTERM);
}

void Server::Wait() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  for (;;) {
    sigwait(&set, &sig);
    Log(LogLevel::kWarning, sig == SIGINT ? "Received SIGINT" : "Received SIGTERM or SHUTDOWN",
        ", shutting down");
    // A running script holds every shard lock: stop it, written or not, so the final save and
    // the workers can finish (Redis's SHUTDOWN ends a busy script too).
    if (context_.scripts.Abort()) {
      Log(LogLevel::kWarning, "A running script was stopped for the shutdown");
    }
    if (SaveBeforeExit()) break;
    // As Redis: a server that cannot save its data keeps running (SHUTDOWN NOSAVE ends it).
    Log(LogLevel::kWarning,
        "SIGTERM received but errors trying to shut down the server, check the logs for more "
        "information");
  }
  if (loader_.joinable()) loader_.join();
  persistence_->Stop();
  for (auto& w : workers_) w->BeginShutdown();
  for (auto& w : workers_) w->Join();
  Log(LogLevel::kWarning, "ringkv is now ready to exit, bye bye...");
}

}  // namespace ringkv::server
