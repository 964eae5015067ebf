// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-server: reads the configuration (file, standard input, command line), applies the
// settings that act at start-up (log, pidfile), starts the server and waits for it to stop.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "server/config/command_line.h"
#include "server/config/config_store.h"
#include "server/log.h"
#include "server/server.h"

#ifdef RINGKV_WITH_JEMALLOC
// Purge unused pages from jemalloc's own background thread, not from the workers' hot path, and
// give them back within about a second and with MADV_DONTNEED (muzzy decay 0): with jemalloc's
// defaults (10 s, then MADV_FREE) the table arrays a growing keyspace frees stayed in RSS, 64
// bytes per key after 1M SETs where the data needs 47; with these settings RSS comes to ~52
// (bench/compare's memory cell, docs/benchmarks.md).
extern "C" const char* malloc_conf;
const char* malloc_conf = "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
#endif

namespace {

using ringkv::server::ServerOptions;
namespace config = ringkv::server::config;

ServerOptions ToServerOptions(const config::LoadedConfig& loaded) {
  const config::ServerConfig& c = loaded.config;
  ServerOptions o;
  o.bind = c.bind;
  o.port = c.port;
  o.unixsocket = c.unixsocket;
  o.unixsocketperm = c.unixsocketperm;
  o.threads = c.threads;
  o.io_backend = c.io_backend == config::IoBackendKind::kIoUring ? "io_uring"
                 : c.io_backend == config::IoBackendKind::kEpoll ? "epoll"
                                                                 : "auto";
  o.databases = c.databases;
  o.maxclients = c.maxclients;
  o.timeout_s = c.timeout;
  o.tcp_keepalive_s = c.tcp_keepalive;
  o.tcp_backlog = c.tcp_backlog;
  o.hz = c.hz;
  o.parser_limits.max_bulk_len = c.proto_max_bulk_len;
  o.client_query_buffer_limit = c.client_query_buffer_limit;
  const config::ClientBufferLimit& normal = c.output_limit(config::ClientClass::kNormal);
  o.output_hard_limit = static_cast<int64_t>(normal.hard_bytes);
  o.output_soft_limit = static_cast<int64_t>(normal.soft_bytes);
  o.output_soft_seconds = static_cast<int>(normal.soft_seconds);
  o.requirepass = c.requirepass;
  o.protected_mode = c.protected_mode;
  o.config_file = loaded.config_file;
  o.dir = c.dir;
  o.dbfilename = c.dbfilename;
  o.save_rules = c.save_rules;
  o.snapshot_compression = c.snapshot_compression;
  o.stop_writes_on_bgsave_error = c.stop_writes_on_bgsave_error;
  o.maxmemory = c.maxmemory;
  o.maxmemory_policy = c.maxmemory_policy;
  o.maxmemory_samples = static_cast<int>(c.maxmemory_samples);
  o.maxmemory_eviction_tenacity = static_cast<int>(c.maxmemory_eviction_tenacity);
  o.lfu_log_factor = static_cast<int>(c.lfu_log_factor);
  o.lfu_decay_time = static_cast<int>(c.lfu_decay_time);
  o.cluster_enabled = c.cluster_enabled;
  o.cluster_config_file = c.cluster_config_file;
  o.cluster_announce_ip = c.cluster_announce_ip;
  o.cluster_announce_port = static_cast<int>(c.cluster_announce_port);
  o.cluster_announce_bus_port = static_cast<int>(c.cluster_announce_bus_port);
  o.cluster_require_full_coverage = c.cluster_require_full_coverage;
  o.cluster_allow_reads_when_down = c.cluster_allow_reads_when_down;
  return o;
}

ringkv::server::LogLevel ToLogLevel(config::LogLevel level) {
  return static_cast<ringkv::server::LogLevel>(static_cast<int>(level));
}

}  // namespace

int main(int argc, char** argv) {
  // Debian's abseil is built with absl::Mutex deadlock detection on, which records every lock
  // acquisition in a global graph: measured at about 15% of the instructions of a pipelined GET.
  // The test suites keep it on; the server turns it off.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::vector<std::string> args(argv, argv + argc);
  config::StartupResult startup = config::HandleStartupArgs(args, std::cin, std::cout, std::cerr);
  if (startup.exit_code.has_value()) return *startup.exit_code;
  const config::ServerConfig cfg = startup.loaded.config;
  config::ConfigStore store(startup.loaded);

  ringkv::server::SetLogLevel(ToLogLevel(cfg.loglevel));
  if (absl::Status s = ringkv::server::SetLogFile(cfg.logfile); !s.ok()) {
    std::cerr << s.message() << "\n";
    return 1;
  }
  if (!cfg.pidfile.empty()) {
    std::ofstream pid(cfg.pidfile, std::ios::trunc);
    pid << getpid() << "\n";
  }
  std::string_view version = config::RingkvVersion();
  ringkv::server::Log(ringkv::server::LogLevel::kNotice, "ringkv ",
                      absl::string_view(version.data(), version.size()),
                      " starting, pid=", getpid());

  ringkv::server::Server server(ToServerOptions(startup.loaded), &store);
  absl::Status s = server.Start();
  if (!s.ok()) {
    ringkv::server::Log(ringkv::server::LogLevel::kWarning, "failed to start: ", s.message());
    return 1;
  }
  server.Wait();
  if (!cfg.pidfile.empty()) unlink(cfg.pidfile.c_str());
  return server.exit_code();
}
