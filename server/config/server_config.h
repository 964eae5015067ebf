// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ServerConfig: the typed, plain-value view of every directive ringkv understands. The server
// reads its settings from here; the directive table (directives.h) is what parses text into it,
// formats it for CONFIG GET and writes it back for CONFIG REWRITE. The default member values
// below must equal the defaults spelled in the directive table (a test checks this), so a
// default-constructed ServerConfig is the configuration of a server started without a file.
//
// This struct is a value: copying it is how snapshots are taken (config_store.h). It holds no
// locks and does no I/O.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace ringkv::server::config {

// `io-backend`: which event-loop implementation the workers use.
enum class IoBackendKind { kAuto, kIoUring, kEpoll };

// `loglevel`: from the most to the least verbose; kNothing silences the log.
enum class LogLevel { kDebug, kVerbose, kNotice, kWarning, kNothing };

// The client classes of `client-output-buffer-limit`, in Redis's order.
enum class ClientClass { kNormal = 0, kReplica = 1, kPubSub = 2 };
inline constexpr int kNumClientClasses = 3;

// One class of `client-output-buffer-limit`: a client whose pending output exceeds `hard_bytes`,
// or stays above `soft_bytes` for `soft_seconds` in a row, is disconnected. 0 disables a limit.
struct ClientBufferLimit {
  uint64_t hard_bytes = 0;
  uint64_t soft_bytes = 0;
  int64_t soft_seconds = 0;

  friend bool operator==(const ClientBufferLimit&, const ClientBufferLimit&) = default;
};

// `notify-keyspace-events` classes, with Redis's bit values and letters.
inline constexpr int kNotifyKeyspace = 1 << 0;  // K: publish to __keyspace@<db>__:<key>
inline constexpr int kNotifyKeyevent = 1 << 1;  // E: publish to __keyevent@<db>__:<event>
inline constexpr int kNotifyGeneric = 1 << 2;   // g: DEL, EXPIRE, RENAME, ...
inline constexpr int kNotifyString = 1 << 3;    // $
inline constexpr int kNotifyList = 1 << 4;      // l
inline constexpr int kNotifySet = 1 << 5;       // s
inline constexpr int kNotifyHash = 1 << 6;      // h
inline constexpr int kNotifyZset = 1 << 7;      // z
inline constexpr int kNotifyExpired = 1 << 8;   // x: a key removed because its TTL passed
inline constexpr int kNotifyEvicted = 1 << 9;   // e: a key evicted by maxmemory
inline constexpr int kNotifyStream = 1 << 10;   // t
inline constexpr int kNotifyKeyMiss = 1 << 11;  // m
inline constexpr int kNotifyModule = 1 << 13;   // d
inline constexpr int kNotifyNew = 1 << 14;      // n
// A: every class but m and n.
inline constexpr int kNotifyAll = kNotifyGeneric | kNotifyString | kNotifyList | kNotifySet |
                                  kNotifyHash | kNotifyZset | kNotifyExpired | kNotifyEvicted |
                                  kNotifyStream | kNotifyModule;

inline constexpr uint64_t kMiB = uint64_t{1} << 20;
inline constexpr uint64_t kGiB = uint64_t{1} << 30;

struct ServerConfig {
  // TCP port to listen on; 0 disables TCP. Default: 6379.
  int port = 6379;
  // Addresses to listen on (IPv4 or IPv6 literals; "*" = every IPv4 address, "::*" = every IPv6
  // address; a leading "-" marks an address whose failure to bind is not fatal). Empty: no TCP
  // listener. Default: {"127.0.0.1"}.
  std::vector<std::string> bind = {"127.0.0.1"};
  // Worker threads; 0 means one per CPU core. Default: 0.
  int threads = 0;
  // Event-loop implementation. Default: kAuto (io_uring when the kernel allows it, else epoll).
  IoBackendKind io_backend = IoBackendKind::kAuto;
  // Number of logical databases (SELECT 0..databases-1). Default: 16.
  int databases = 16;
  // Small-encoding thresholds of the collection types (engine/types/limits.h has the meaning).
  // Defaults: 128, 64, -2, 512, 128, 64, 128, 64 as Redis 7.
  int64_t hash_max_listpack_entries = 512;
  int64_t hash_max_listpack_value = 64;
  int64_t list_max_listpack_size = -2;
  int64_t list_compress_depth = 0;
  int64_t set_max_intset_entries = 512;
  int64_t set_max_listpack_entries = 128;
  int64_t set_max_listpack_value = 64;
  int64_t zset_max_listpack_entries = 128;
  int64_t zset_max_listpack_value = 64;
  int64_t stream_node_max_bytes = 4096;
  int64_t stream_node_max_entries = 100;
  // Most simultaneous client connections. Default: 10000.
  int64_t maxclients = 10000;
  // Seconds of idleness after which a client is closed; 0 = never. Default: 0.
  int timeout = 0;
  // SO_KEEPALIVE interval in seconds on client sockets; 0 = off. Default: 300.
  int tcp_keepalive = 300;
  // listen(2) backlog. Default: 511.
  int tcp_backlog = 511;
  // Refuse non-loopback clients while no password is set and bind is the default. Default: true.
  bool protected_mode = true;
  // Password for AUTH; empty = no password. Default: "".
  std::string requirepass;
  // ACL file loaded at start-up and by ACL LOAD, written by ACL SAVE; empty = none. Default: "".
  std::string aclfile;
  // Most ACL LOG entries kept. Default: 128.
  int64_t acllog_max_len = 128;
  // Path of a Unix domain socket to listen on; empty = none. Default: "".
  std::string unixsocket;
  // Permission bits for the Unix socket; 0 = leave as umask makes them. Default: 0.
  uint32_t unixsocketperm = 0;
  // Least severe level written to the log. Default: kNotice.
  LogLevel loglevel = LogLevel::kNotice;
  // Log file; empty = standard output. Default: "".
  std::string logfile;
  // File to write the process id to at start-up; empty = none. Default: "".
  std::string pidfile;
  // Always false: ringkv does not fork into the background (the directive exists so that
  // `daemonize no` in a Redis config file is accepted). Default: false.
  bool daemonize = false;
  // Largest bulk string a request may carry, in bytes (at least 1 MiB). Default: 512 MiB.
  int64_t proto_max_bulk_len = 512 * int64_t{kMiB};
  // Largest unparsed input buffered for one client, in bytes (at least 1 MiB). Default: 1 GiB.
  int64_t client_query_buffer_limit = int64_t{kGiB};
  // Output buffer limits per client class (index with ClientClass).
  // Default: normal 0 0 0, replica 256mb 64mb 60, pubsub 32mb 8mb 60.
  std::array<ClientBufferLimit, kNumClientClasses> client_output_buffer_limit = {{
      {0, 0, 0},
      {256 * kMiB, 64 * kMiB, 60},
      {32 * kMiB, 8 * kMiB, 60},
  }};
  // Memory limit for the data (engine-accounted used_memory), in bytes; 0 = none. Default: 0.
  int64_t maxmemory = 0;
  // What happens at the limit: noeviction (writes fail with -OOM), allkeys-lru, allkeys-lfu,
  // allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl.
  // Default: "noeviction".
  std::string maxmemory_policy = "noeviction";
  // Keys sampled per eviction, per shard visited (Redis's maxmemory-samples). Default: 5.
  int64_t maxmemory_samples = 5;
  // How long one command may spend evicting: 0..100, 10 = 500 us, each step +15%, 100 = no limit
  // (Redis's maxmemory-eviction-tenacity). Default: 10.
  int64_t maxmemory_eviction_tenacity = 10;
  // LFU counter: the logarithm's factor, and the minutes per decrement of an idle key's counter
  // (0: no decay). Defaults: 10 and 1, as Redis.
  int64_t lfu_log_factor = 10;
  int64_t lfu_decay_time = 1;
  // Working directory for snapshots and other files ringkv writes. Default: "./".
  std::string dir = "./";
  // Name of the snapshot directory under `dir` (server/persistence/snapshot_store.h).
  // Default: "dump.ringkv".
  std::string dbfilename = "dump.ringkv";
  // `save <seconds> <changes>` rules: a BGSAVE once both have passed since the last save. Empty:
  // no automatic snapshots (and none on SIGTERM). Default: Redis 7's 3600 1 300 100 60 10000.
  std::vector<std::pair<int64_t, int64_t>> save_rules = {{3600, 1}, {300, 100}, {60, 10000}};
  // True until a `save` line replaces the defaults: the first `save` line of a config file
  // replaces them and later lines add to them, as in Redis. CONFIG SET resets it first, so it
  // replaces the whole list. Not a directive.
  bool save_rules_default = true;
  // Refuse writes while the last background save failed and save rules exist. Default: true.
  bool stop_writes_on_bgsave_error = true;
  // Compression of snapshot files: "none", "lz4" or "zstd". Default: "lz4".
  std::string snapshot_compression = "lz4";
  // Background task frequency (expiry sampling, timeouts), clamped to 1..500. Default: 10.
  int hz = 10;
  // Keyspace notification classes (kNotify* bits); 0 = none are published. Default: 0 ("").
  int notify_keyspace_events = 0;
  // Commands slower than this many microseconds go to the SLOWLOG; negative: none. Default: 10000.
  int64_t slowlog_log_slower_than = 10000;
  // Most SLOWLOG entries kept. Default: 128.
  int64_t slowlog_max_len = 128;
  int64_t busy_reply_threshold = 5000;  // ms; lua-time-limit is its old name
  // Most keys the client-side caching table remembers (0: no limit). Default: 1000000.
  int64_t tracking_table_max_keys = 1000000;
  // Redis Cluster (docs/scale-out.md). cluster_config_file is relative to dir.
  bool cluster_enabled = false;
  std::string cluster_config_file = "nodes.conf";
  std::string cluster_announce_ip;
  int64_t cluster_announce_port = 0;
  int64_t cluster_announce_bus_port = 0;
  bool cluster_require_full_coverage = true;
  bool cluster_allow_reads_when_down = false;
  // Commands taking at least this many ms are LATENCY events; 0 disables. Default: 0.
  int64_t latency_monitor_threshold = 0;
  // DEBUG: "no", "yes" or "local" (loopback and Unix socket clients only). Default: "no".
  std::string enable_debug_command = "no";

  const ClientBufferLimit& output_limit(ClientClass c) const {
    return client_output_buffer_limit[static_cast<int>(c)];
  }
};

}  // namespace ringkv::server::config
