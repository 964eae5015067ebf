// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv's directive table: every setting the server honours, with Redis's names, defaults and
// bounds. A directive that ringkv would not act on is deliberately absent, so a config file that
// sets it fails with "Bad directive" instead of being silently ignored. docs/config.md describes
// each entry; keep the two in step.
#include <arpa/inet.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "server/config/directive.h"
#include "server/config/syntax.h"

namespace ringkv::server::config {
namespace {

// Redis's CONFIG_BINDADDR_MAX.
constexpr size_t kMaxBindAddresses = 16;

absl::Status CheckDaemonize(const bool& yes) {
  // Forking away from the terminal is a supervisor's job (systemd, runit, a container runtime);
  // accepting `daemonize yes` and then not doing it would be worse than refusing it.
  if (yes)
    return absl::InvalidArgumentError("daemonize yes is not supported; run under a supervisor");
  return absl::OkStatus();
}

bool IsBindAddress(std::string_view a) {
  if (!a.empty() && a[0] == '-') a.remove_prefix(1);  // "-addr": failing to bind is not fatal
  if (a == "*" || a == "::*") return true;
  std::string s(a);
  unsigned char buf[sizeof(struct in6_addr)];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

absl::Status CheckBind(const std::vector<std::string>& addrs) {
  if (addrs.size() > kMaxBindAddresses) {
    return absl::InvalidArgumentError("Too many bind addresses specified.");
  }
  for (const std::string& a : addrs) {
    // Redis would resolve a host name here; ringkv takes literals only, so what it listens on
    // never depends on DNS at start-up.
    if (!IsBindAddress(a)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "Invalid bind address '%s': must be an IPv4 or IPv6 address, * or ::*", a));
    }
  }
  return absl::OkStatus();
}

absl::Status CheckDebugCommandMode(const std::string& mode) {
  if (mode == "no" || mode == "yes" || mode == "local") return absl::OkStatus();
  return absl::InvalidArgumentError("argument(s) must be one of the following: no, yes, local");
}

absl::Status CheckUnixSocket(const std::string& path) {
  constexpr size_t kMax = sizeof(sockaddr_un{}.sun_path) - 1;
  if (path.size() > kMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("unixsocket path is too long (the limit is %u bytes)", kMax));
  }
  return absl::OkStatus();
}

absl::Status CheckDir(const std::string& path) {
  // Redis chdir()s here and reports chdir's error; ringkv keeps its working directory and only
  // checks that the directory exists, with the same messages.
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return absl::InvalidArgumentError(std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return absl::InvalidArgumentError(std::strerror(ENOTDIR));
  return absl::OkStatus();
}

absl::Status CheckLogFile(const std::string& path) {
  if (path.empty()) return absl::OkStatus();
  // As Redis does at load time: open (and so create) the file for appending, so that a typo in
  // the path stops start-up instead of losing the log.
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("Can't open the log file: ", std::strerror(errno)));
  }
  close(fd);
  return absl::OkStatus();
}

// `notify-keyspace-events`: a string of class letters, kept as kNotify* bits. CONFIG GET prints
// the canonical form Redis prints ("AKE" for "KEA"), so the letters are not stored as given.
class NotifyKeyspaceEventsDirective final : public Directive {
 public:
  explicit NotifyKeyspaceEventsDirective(DirectiveInfo info)
      : Directive(std::move(info), DirectiveType::kString) {}

  absl::Status Apply(std::span<const std::string> args, ServerConfig* cfg) const override {
    if (args.size() != 1) return absl::InvalidArgumentError("wrong number of arguments");
    int flags = 0;
    for (char c : args[0]) {
      int bit = Bit(c);
      if (bit == 0) {
        return absl::InvalidArgumentError("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      }
      flags |= bit;
    }
    cfg->notify_keyspace_events = flags;
    return absl::OkStatus();
  }

  // Redis's order: A or the classes one by one (n among them), then K, E, m.
  std::string Format(const ServerConfig& cfg) const override {
    const int f = cfg.notify_keyspace_events;
    std::string out;
    if ((f & kNotifyAll) == kNotifyAll) {
      out += 'A';
    } else {
      for (char c : std::string_view("g$lshzxetdn")) {
        if (f & Bit(c)) out += c;
      }
    }
    if (f & kNotifyKeyspace) out += 'K';
    if (f & kNotifyKeyevent) out += 'E';
    if (f & kNotifyKeyMiss) out += 'm';
    return out;
  }

  // Redis prints no 'n' after 'A' (so its CONFIG REWRITE loses it); the file keeps it here.
  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    std::string value = Format(cfg);
    const int f = cfg.notify_keyspace_events;
    if ((f & kNotifyAll) == kNotifyAll && (f & kNotifyNew)) value.insert(1, "n");
    return {std::string(name()) + " " + QuoteArg(value)};
  }
  std::string RangeDoc() const override { return "letters of KEg$lshzxetmdnA"; }

 private:
  static int Bit(char c) {
    static constexpr std::pair<char, int> kLetters[] = {
        {'A', kNotifyAll},      {'g', kNotifyGeneric},  {'$', kNotifyString},
        {'l', kNotifyList},     {'s', kNotifySet},      {'h', kNotifyHash},
        {'z', kNotifyZset},     {'x', kNotifyExpired},  {'e', kNotifyEvicted},
        {'K', kNotifyKeyspace}, {'E', kNotifyKeyevent}, {'t', kNotifyStream},
        {'m', kNotifyKeyMiss},  {'d', kNotifyModule},   {'n', kNotifyNew},
    };
    for (const auto& [letter, bit] : kLetters) {
      if (letter == c) return bit;
    }
    return 0;
  }
};

// `save <seconds> <changes> [<seconds> <changes> ...]`, or `save ""` for none. In a config file
// the first `save` line replaces the defaults and later ones add rules, as in Redis.
class SaveDirective final : public Directive {
 public:
  explicit SaveDirective(DirectiveInfo info)
      : Directive(std::move(info), DirectiveType::kSpecial) {}

  absl::Status Apply(std::span<const std::string> raw, ServerConfig* cfg) const override {
    // `--save "3600 1 300 100"` on a command line arrives as one word: split it.
    std::vector<std::string> words;
    if (raw.size() == 1 && raw[0].find(' ') != std::string::npos) {
      for (absl::string_view w : absl::StrSplit(raw[0], ' ', absl::SkipEmpty())) {
        words.emplace_back(w);
      }
      raw = words;
    }
    std::span<const std::string> args = raw;
    std::vector<std::pair<int64_t, int64_t>> rules;
    const bool none = args.empty() || (args.size() == 1 && args[0].empty());
    if (!none) {
      if (args.size() % 2 != 0) return absl::InvalidArgumentError("Invalid save parameters");
      for (size_t i = 0; i < args.size(); i += 2) {
        int64_t seconds = 0;
        int64_t changes = 0;
        if (!ParseInt(args[i], &seconds) || !ParseInt(args[i + 1], &changes) || seconds < 0 ||
            changes < 0) {
          return absl::InvalidArgumentError("Invalid save parameters");
        }
        rules.emplace_back(seconds, changes);
      }
    }
    if (cfg->save_rules_default || none) cfg->save_rules.clear();
    cfg->save_rules_default = false;
    cfg->save_rules.insert(cfg->save_rules.end(), rules.begin(), rules.end());
    return absl::OkStatus();
  }

  std::string Format(const ServerConfig& cfg) const override {
    std::string out;
    for (const auto& [seconds, changes] : cfg.save_rules) {
      if (!out.empty()) out += ' ';
      absl::StrAppend(&out, seconds, " ", changes);
    }
    return out;
  }

  std::vector<std::string> RewriteLines(const ServerConfig& cfg) const override {
    if (cfg.save_rules.empty()) return {"save \"\""};
    std::vector<std::string> lines;
    for (const auto& [seconds, changes] : cfg.save_rules) {
      lines.push_back(absl::StrCat("save ", seconds, " ", changes));
    }
    return lines;
  }
  bool multi_arg() const override { return true; }
  std::string RangeDoc() const override { return "<seconds> <changes> pairs, or \"\""; }

 private:
  static bool ParseInt(const std::string& s, int64_t* out) {
    if (s.empty() || s.size() > 18) return false;
    int64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return false;
      v = v * 10 + (c - '0');
    }
    *out = v;
    return true;
  }
};

absl::Status CheckEvictionPolicy(const std::string& name) {
  for (const char* n : {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                        "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    if (name == n) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, "
      "volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction");
}

absl::Status CheckDbFilename(const std::string& name) {
  // Redis: "dbfilename can't be a path, just a filename".
  if (name.empty() || name.find('/') != std::string::npos || name == "." || name == "..") {
    return absl::InvalidArgumentError("dbfilename can't be a path, just a filename");
  }
  return absl::OkStatus();
}

absl::Status CheckCompression(const std::string& name) {
  if (name == "none" || name == "lz4" || name == "zstd") return absl::OkStatus();
  return absl::InvalidArgumentError("argument(s) must be one of the following: none, lz4, zstd");
}

std::vector<std::unique_ptr<Directive>> BuildTable() {
  std::vector<std::unique_ptr<Directive>> t;
  // Network.
  t.push_back(MakeInt({"port", {}, "6379", false, "TCP port to listen on; 0 disables TCP."},
                      &ServerConfig::port, 0, 65535));
  t.push_back(MakeStringList(
      {"bind", {}, "127.0.0.1", false, "Addresses to listen on (IPv4/IPv6 literals, * or ::*)."},
      &ServerConfig::bind, CheckBind));
  t.push_back(MakeBool({"protected-mode",
                        {},
                        "yes",
                        true,
                        "Without a password, accept only loopback and Unix socket clients."},
                       &ServerConfig::protected_mode));
  t.push_back(MakeInt({"tcp-backlog", {}, "511", false, "listen(2) backlog."},
                      &ServerConfig::tcp_backlog, 0, INT_MAX));
  t.push_back(MakeInt({"tcp-keepalive",
                       {},
                       "300",
                       true,
                       "SO_KEEPALIVE interval in seconds for new clients; 0 disables it."},
                      &ServerConfig::tcp_keepalive, 0, INT_MAX));
  t.push_back(MakeString(
      {"unixsocket", {}, "\"\"", false, "Path of a Unix domain socket to listen on; empty: none."},
      &ServerConfig::unixsocket, CheckUnixSocket));
  t.push_back(MakeOctal({"unixsocketperm",
                         {},
                         "0",
                         false,
                         "Permission bits of the Unix socket, in octal; 0 leaves the umask's."},
                        &ServerConfig::unixsocketperm, 0, 0777));
  // Threads and event loops.
  t.push_back(MakeInt({"threads", {}, "0", false, "Worker threads; 0 means one per CPU core."},
                      &ServerConfig::threads, 0, 1024));
  t.push_back(MakeEnum({"io-backend",
                        {},
                        "auto",
                        false,
                        "Event loop: auto (io_uring if the kernel allows, else epoll), io_uring "
                        "or epoll."},
                       &ServerConfig::io_backend, {"auto", "io_uring", "epoll"}));
  t.push_back(
      MakeInt({"hz", {}, "10", true, "Background task frequency per second; clamped to 1..500."},
              &ServerConfig::hz, 0, INT_MAX, 1, 500));
  // Clients.
  t.push_back(MakeInt({"maxclients", {}, "10000", true, "Most simultaneous client connections."},
                      &ServerConfig::maxclients, 1, UINT_MAX));
  t.push_back(MakeInt(
      {"timeout", {}, "0", true, "Close a client idle for this many seconds; 0 never does."},
      &ServerConfig::timeout, 0, INT_MAX));
  t.push_back(MakeString(
      {"requirepass", {}, "\"\"", true, "Password clients must AUTH with; empty: no password."},
      &ServerConfig::requirepass));
  t.push_back(MakeString({"aclfile",
                          {},
                          "\"\"",
                          false,
                          "ACL users file (ACL LOAD/SAVE, read at start-up); empty: none."},
                         &ServerConfig::aclfile));
  t.push_back(MakeInt({"acllog-max-len", {}, "128", true, "Most ACL LOG entries kept."},
                      &ServerConfig::acllog_max_len, 0, LLONG_MAX));
  t.push_back(MakeMemory(
      {"proto-max-bulk-len", {}, "512mb", true, "Largest bulk string a request may carry."},
      &ServerConfig::proto_max_bulk_len, 1024 * 1024, LLONG_MAX));
  t.push_back(MakeMemory({"client-query-buffer-limit",
                          {},
                          "1gb",
                          true,
                          "Largest unparsed input buffered for one client."},
                         &ServerConfig::client_query_buffer_limit, 1024 * 1024, LLONG_MAX));
  t.push_back(MakeClientOutputBufferLimit(
      {"client-output-buffer-limit",
       {},
       "normal 0 0 0 replica 256mb 64mb 60 pubsub 32mb 8mb 60",
       true,
       "Disconnect a client whose pending output passes a hard limit, or a soft limit for long."}));
  // Keyspace.
  t.push_back(MakeInt({"databases", {}, "16", false, "Number of logical databases."},
                      &ServerConfig::databases, 1, INT_MAX));
  t.push_back(std::make_unique<NotifyKeyspaceEventsDirective>(
      DirectiveInfo{"notify-keyspace-events",
                    {},
                    "\"\"",
                    true,
                    "Keyspace event classes published over pub/sub; empty: none."}));
  // Memory limit and eviction.
  t.push_back(
      MakeMemory({"maxmemory",
                  {},
                  "0",
                  true,
                  "Limit on the data's memory (used_memory); 0: none. See maxmemory-policy."},
                 &ServerConfig::maxmemory, 0, LLONG_MAX));
  t.push_back(MakeString({"maxmemory-policy",
                          {},
                          "noeviction",
                          true,
                          "At maxmemory: noeviction (-OOM to writes), allkeys-lru, allkeys-lfu, "
                          "allkeys-random, volatile-lru, volatile-lfu, volatile-random or "
                          "volatile-ttl (docs/eviction.md)."},
                         &ServerConfig::maxmemory_policy, CheckEvictionPolicy));
  t.push_back(MakeInt({"maxmemory-samples",
                       {},
                       "5",
                       true,
                       "Keys sampled per shard for each eviction (more: closer to true LRU/TTL)."},
                      &ServerConfig::maxmemory_samples, 1, 64));
  t.push_back(MakeInt({"maxmemory-eviction-tenacity",
                       {},
                       "10",
                       true,
                       "Time one command may spend evicting: 10 = 500 us, +15% a step, 100 = "
                       "unlimited."},
                      &ServerConfig::maxmemory_eviction_tenacity, 0, 100));
  t.push_back(MakeInt({"lfu-log-factor",
                       {},
                       "10",
                       true,
                       "LFU counter growth: the more, the more accesses a counter step needs."},
                      &ServerConfig::lfu_log_factor, 0, INT_MAX));
  t.push_back(MakeInt({"lfu-decay-time",
                       {},
                       "1",
                       true,
                       "Minutes after which an idle key's LFU counter drops by one; 0: never."},
                      &ServerConfig::lfu_decay_time, 0, INT_MAX));
  // Diagnostics.
  t.push_back(MakeInt({"slowlog-log-slower-than",
                       {},
                       "10000",
                       true,
                       "Log commands slower than this many microseconds; negative disables."},
                      &ServerConfig::slowlog_log_slower_than, -1, LLONG_MAX));
  t.push_back(MakeInt({"slowlog-max-len", {}, "128", true, "Most SLOWLOG entries kept."},
                      &ServerConfig::slowlog_max_len, 0, LONG_MAX));
  t.push_back(MakeInt({"busy-reply-threshold",
                       {"lua-time-limit"},
                       "5000",
                       true,
                       "Milliseconds a script runs before other clients get -BUSY and SCRIPT "
                       "KILL / FUNCTION KILL may stop it; 0: never."},
                      &ServerConfig::busy_reply_threshold, 0, LLONG_MAX));
  t.push_back(MakeInt({"tracking-table-max-keys",
                       {},
                       "1000000",
                       true,
                       "Most keys remembered for CLIENT TRACKING; past it keys are invalidated "
                       "early. 0: no limit."},
                      &ServerConfig::tracking_table_max_keys, 0, LLONG_MAX));
  t.push_back(MakeInt({"latency-monitor-threshold",
                       {},
                       "0",
                       true,
                       "Record LATENCY events for commands of at least this many ms; 0: off."},
                      &ServerConfig::latency_monitor_threshold, 0, LLONG_MAX));
  t.push_back(MakeString({"enable-debug-command",
                          {},
                          "no",
                          false,
                          "Allow DEBUG: no, yes, or local (loopback and Unix socket clients)."},
                         &ServerConfig::enable_debug_command, CheckDebugCommandMode));
  // Collection encodings: the small (listpack/intset) form is kept up to these sizes.
  t.push_back(MakeInt({"hash-max-listpack-entries",
                       {"hash-max-ziplist-entries"},
                       "512",
                       true,
                       "Hashes with at most this many fields use the compact listpack encoding."},
                      &ServerConfig::hash_max_listpack_entries, 0, LLONG_MAX));
  t.push_back(MakeMemory({"hash-max-listpack-value",
                          {"hash-max-ziplist-value"},
                          "64",
                          true,
                          "Largest field name or value a listpack-encoded hash may hold."},
                         &ServerConfig::hash_max_listpack_value, 0, LLONG_MAX));
  t.push_back(MakeInt({"list-max-listpack-size",
                       {"list-max-ziplist-size"},
                       "-2",
                       true,
                       "List node size: positive = entries per node, -1..-5 = 4/8/16/32/64 KiB."},
                      &ServerConfig::list_max_listpack_size, INT_MIN, INT_MAX));
  t.push_back(MakeInt({"list-compress-depth",
                       {},
                       "0",
                       true,
                       "List nodes kept uncompressed at each end; 0 = no compression."},
                      &ServerConfig::list_compress_depth, 0, INT_MAX));
  t.push_back(MakeInt({"set-max-intset-entries",
                       {},
                       "512",
                       true,
                       "Sets of only integers with at most this many members use the intset."},
                      &ServerConfig::set_max_intset_entries, 0, LLONG_MAX));
  t.push_back(MakeInt({"set-max-listpack-entries",
                       {},
                       "128",
                       true,
                       "Other sets with at most this many members use the listpack encoding."},
                      &ServerConfig::set_max_listpack_entries, 0, LLONG_MAX));
  t.push_back(MakeMemory(
      {"set-max-listpack-value", {}, "64", true, "Largest member a listpack-encoded set may hold."},
      &ServerConfig::set_max_listpack_value, 0, LLONG_MAX));
  t.push_back(MakeInt({"zset-max-listpack-entries",
                       {"zset-max-ziplist-entries"},
                       "128",
                       true,
                       "Sorted sets with at most this many members use the listpack encoding."},
                      &ServerConfig::zset_max_listpack_entries, 0, LLONG_MAX));
  t.push_back(MakeMemory({"zset-max-listpack-value",
                          {"zset-max-ziplist-value"},
                          "64",
                          true,
                          "Largest member a listpack-encoded sorted set may hold."},
                         &ServerConfig::zset_max_listpack_value, 0, LLONG_MAX));
  t.push_back(MakeMemory({"stream-node-max-bytes",
                          {},
                          "4096",
                          true,
                          "Bytes of entries a stream node holds before a new one starts; 0 = no "
                          "limit."},
                         &ServerConfig::stream_node_max_bytes, 0, LLONG_MAX));
  t.push_back(MakeInt({"stream-node-max-entries",
                       {},
                       "100",
                       true,
                       "Entries a stream node holds before a new one starts; 0 = no limit."},
                      &ServerConfig::stream_node_max_entries, 0, LLONG_MAX));
  // Files and process.
  t.push_back(
      MakeString({"dir", {}, "./", true, "Directory for snapshots and other files ringkv writes."},
                 &ServerConfig::dir, CheckDir));
  t.push_back(MakeString({"dbfilename",
                          {},
                          "dump.ringkv",
                          true,
                          "Name of the snapshot directory under dir (a RocksDB snapshot set)."},
                         &ServerConfig::dbfilename, CheckDbFilename));
  t.push_back(std::make_unique<SaveDirective>(
      DirectiveInfo{"save",
                    {},
                    "3600 1 300 100 60 10000",
                    true,
                    "Snapshot in the background after <seconds> if at least <changes> writes; "
                    "\"\" disables."}));
  t.push_back(MakeBool({"stop-writes-on-bgsave-error",
                        {},
                        "yes",
                        true,
                        "Refuse writes while the last background snapshot failed."},
                       &ServerConfig::stop_writes_on_bgsave_error));
  t.push_back(MakeString({"snapshot-compression",
                          {},
                          "lz4",
                          true,
                          "Compression of snapshot files: none, lz4 or zstd."},
                         &ServerConfig::snapshot_compression, CheckCompression));
  // Redis Cluster.
  t.push_back(MakeBool({"cluster-enabled",
                        {},
                        "no",
                        false,
                        "Serve the Redis Cluster protocol: slot checks, -MOVED/-ASK, CLUSTER."},
                       &ServerConfig::cluster_enabled));
  t.push_back(MakeString({"cluster-config-file",
                          {},
                          "nodes.conf",
                          false,
                          "This node's slot map file under dir, written by ringkv (nodes.conf "
                          "format)."},
                         &ServerConfig::cluster_config_file, CheckDbFilename));
  t.push_back(MakeString({"cluster-announce-ip",
                          {},
                          "\"\"",
                          false,
                          "Address this node gives clients; empty: the first bind address, or "
                          "127.0.0.1 when that is a wildcard."},
                         &ServerConfig::cluster_announce_ip));
  t.push_back(MakeInt({"cluster-announce-port",
                       {},
                       "0",
                       false,
                       "Port this node gives clients; 0: the port it listens on."},
                      &ServerConfig::cluster_announce_port, 0, 65535));
  t.push_back(MakeInt({"cluster-announce-bus-port",
                       {},
                       "0",
                       false,
                       "Bus port shown in CLUSTER NODES (ringkv has no bus); 0: port + 10000."},
                      &ServerConfig::cluster_announce_bus_port, 0, 65535));
  t.push_back(MakeBool({"cluster-require-full-coverage",
                        {},
                        "yes",
                        false,
                        "Refuse keyed commands while any slot has no owner."},
                       &ServerConfig::cluster_require_full_coverage));
  t.push_back(MakeBool({"cluster-allow-reads-when-down",
                        {},
                        "no",
                        false,
                        "While the cluster is down, still serve reads."},
                       &ServerConfig::cluster_allow_reads_when_down));
  t.push_back(MakeEnum({"loglevel",
                        {},
                        "notice",
                        true,
                        "Least severe messages logged: debug, verbose, notice, warning, nothing."},
                       &ServerConfig::loglevel,
                       {"debug", "verbose", "notice", "warning", "nothing"}));
  t.push_back(MakeString({"logfile", {}, "\"\"", false, "Log file; empty: standard output."},
                         &ServerConfig::logfile, CheckLogFile));
  t.push_back(MakeString(
      {"pidfile", {}, "\"\"", false, "File to write the process id to at start-up; empty: none."},
      &ServerConfig::pidfile));
  t.push_back(MakeBool({"daemonize",
                        {},
                        "no",
                        false,
                        "Must be no: ringkv stays in the foreground under a supervisor."},
                       &ServerConfig::daemonize, CheckDaemonize));
  return t;
}

}  // namespace

const DirectiveTable& DirectiveTable::Default() {
  static const DirectiveTable* table = new DirectiveTable(BuildTable());
  return *table;
}

}  // namespace ringkv::server::config
