// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Server commands: COMMAND (derived from the command table), INFO, SHUTDOWN.
#include <dlfcn.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "engine/glob.h"
#include "engine/types/hash_shape.h"
#include "server/client_registry.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/connection.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/memory_limit.h"
#include "server/persistence/persistence.h"
#include "server/process_stats.h"
#include "server/server_context.h"
#include "server/version.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool Is(std::string_view a, std::string_view b) { return absl::EqualsIgnoreCase(Sv(a), Sv(b)); }

void CommandDocs(CommandContext& ctx, Args args) {
  const CommandTable& table = *ctx.server.commands;
  std::vector<const CommandSpec*> specs;
  if (args.size() == 2) {
    for (const CommandSpec& s : table.all()) specs.push_back(&s);
  } else {
    for (size_t i = 2; i < args.size(); ++i) {
      if (const CommandSpec* s = table.Find(args[i])) specs.push_back(s);
    }
  }
  ctx.reply.MapHeader(specs.size());
  for (const CommandSpec* s : specs) {
    ctx.reply.Bulk(s->name);
    ctx.reply.MapHeader(3);
    ctx.reply.Bulk("summary");
    ctx.reply.Bulk(s->summary);
    ctx.reply.Bulk("since");
    ctx.reply.Bulk(s->since);
    ctx.reply.Bulk("group");
    ctx.reply.Bulk(s->group);
  }
}

// Words of a space-separated spec string.
std::vector<std::string_view> SpecWords(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    size_t j = s.find(' ', i);
    if (j == std::string_view::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// COMMAND GETKEYS / GETKEYSANDFLAGS <command> <args...>.
void CommandGetKeys(CommandContext& ctx, Args args, bool with_flags) {
  Args call = args.subspan(2);
  const CommandSpec* spec = ctx.server.commands->Find(call[0]);
  if (spec == nullptr) {
    ctx.reply.Error("ERR Invalid command specified");
    return;
  }
  if (spec->first_key == 0 && !(spec->flags & kMovableKeys)) {
    ctx.reply.Error("ERR The command has no key arguments");
    return;
  }
  if (!ArityOk(*spec, call.size())) {
    ctx.reply.Error("ERR Invalid number of arguments specified for command");
    return;
  }
  std::vector<size_t> positions;
  if (!KeyPositions(*spec, call, &positions)) {
    ctx.reply.Error("ERR Invalid arguments specified for command");
    return;
  }
  ctx.reply.ArrayHeader(positions.size());
  // Each key's flags: those of the key spec that finds it (the command's own specs), else the
  // command's declared ones.
  const std::vector<std::string_view> declared = SpecWords(spec->key_spec_flags);
  std::vector<std::pair<size_t, std::string_view>> spec_flags;  // position -> flags
  for (const KeySpec& ks : spec->key_specs) {
    // An "incomplete" spec only hints (MIGRATE's KEYS): Redis reports those keys with the
    // command's main flags.
    if (absl::StrContains(absl::string_view(ks.flags.data(), ks.flags.size()), "incomplete")) {
      continue;
    }
    std::vector<size_t> found;
    KeySpecPositions(ks, call, &found);
    for (size_t p : found) spec_flags.emplace_back(p, ks.flags);
  }
  for (size_t i : positions) {
    if (!with_flags) {
      ctx.reply.Bulk(call[i]);
      continue;
    }
    std::vector<std::string_view> flags = declared;
    for (const auto& [p, f] : spec_flags) {
      if (p == i) {
        flags = SpecWords(f);
        break;
      }
    }
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk(call[i]);
    ctx.reply.SetHeader(flags.size());
    for (std::string_view f : flags) ctx.reply.SimpleString(f);
  }
}

// COMMAND LIST FILTERBY MODULE name | ACLCAT category | PATTERN pattern.
void CommandListFiltered(CommandContext& ctx, Args args) {
  if (args.size() != 5 || !Is(args[2], "FILTERBY")) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  std::vector<std::string_view> names;
  if (Is(args[3], "MODULE")) {
    // No modules: nothing matches.
  } else if (Is(args[3], "ACLCAT")) {
    for (const CommandSpec& s : ctx.server.commands->all()) {
      for (std::string_view cat : SpecWords(s.acl_categories)) {
        if (cat.size() > 1 && Is(cat.substr(1), args[4])) names.push_back(s.name);
      }
    }
  } else if (Is(args[3], "PATTERN")) {
    for (const CommandSpec& s : ctx.server.commands->all()) {
      if (engine::GlobMatch(args[4], s.name, /*nocase=*/true)) names.push_back(s.name);
    }
  } else {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  ctx.reply.ArrayHeader(names.size());
  for (std::string_view n : names) ctx.reply.Bulk(n);
}

void CommandHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "(no subcommand)",
      "    Return details about all Redis commands.",
      "COUNT",
      "    Return the total number of commands in this Redis server.",
      "LIST",
      "    Return a list of all commands in this Redis server.",
      "INFO [<command-name> ...]",
      "    Return details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "DOCS [<command-name> ...]",
      "    Return documentation details about multiple Redis commands.",
      "    If no command names are given, documentation details for all",
      "    commands are returned.",
      "GETKEYS <full-command>",
      "    Return the keys from a full Redis command.",
      "GETKEYSANDFLAGS <full-command>",
      "    Return the keys and the access flags from a full Redis command.",
  };
  cmd::ReplyHelp(ctx, "COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
}

// COMMAND [COUNT | INFO name... | DOCS [name...] | LIST [FILTERBY ...] | GETKEYS ... | HELP]
void Command(CommandContext& ctx, Args args) {
  const CommandTable& table = *ctx.server.commands;
  if (args.size() == 1) {
    ctx.reply.ArrayHeader(table.all().size());
    for (const CommandSpec& s : table.all()) EncodeCommandInfo(s, ctx.reply);
    return;
  }
  std::string_view sub = args[1];
  if (Is(sub, "COUNT")) {
    if (args.size() != 2) {
      ctx.reply.Error(errors::WrongArity("command|count"));
      return;
    }
    ctx.reply.Integer(static_cast<int64_t>(table.all().size()));
  } else if (Is(sub, "LIST") && args.size() == 2) {
    ctx.reply.ArrayHeader(table.all().size());
    for (const CommandSpec& s : table.all()) ctx.reply.Bulk(s.name);
  } else if (Is(sub, "LIST")) {
    CommandListFiltered(ctx, args);
  } else if (Is(sub, "GETKEYS") || Is(sub, "GETKEYSANDFLAGS")) {
    if (args.size() < 4) {
      ctx.reply.Error(
          errors::WrongArity(Is(sub, "GETKEYS") ? "command|getkeys" : "command|getkeysandflags"));
      return;
    }
    CommandGetKeys(ctx, args, Is(sub, "GETKEYSANDFLAGS"));
  } else if (Is(sub, "HELP") && args.size() == 2) {
    CommandHelp(ctx);
  } else if (Is(sub, "INFO")) {
    ctx.reply.ArrayHeader(args.size() - 2);
    for (size_t i = 2; i < args.size(); ++i) {
      const CommandSpec* s = table.Find(args[i]);
      if (s == nullptr) {
        ctx.reply.NullArray();
      } else {
        EncodeCommandInfo(*s, ctx.reply);
      }
    }
  } else if (Is(sub, "DOCS")) {
    CommandDocs(ctx, args);
  } else {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "COMMAND"));
  }
}

std::string InfoServer(const ServerContext& server) {
  int64_t uptime = (server.engine->clock().NowMs() - server.start_time_ms) / 1000;
  return absl::StrFormat(
      "# Server\r\nredis_version:%s\r\nringkv_version:%s\r\nredis_mode:standalone\r\n"
      "os:Linux\r\narch_bits:64\r\nmultiplexing_api:%s\r\nprocess_id:%d\r\ntcp_port:%d\r\n"
      "uptime_in_seconds:%d\r\nuptime_in_days:%d\r\nhz:%d\r\nexecutable:ringkv-server\r\n"
      "config_file:%s\r\nio_threads_active:0\r\n",
      Sv(kRedisCompatVersion), Sv(kRingkvVersion), server.options.io_backend, getpid(), server.port,
      uptime, uptime / 86400, server.live.hz.load(), server.options.config_file);
}

std::string InfoClients(const ServerContext& server) {
  return absl::StrFormat(
      "# Clients\r\nconnected_clients:%d\r\nmaxclients:%d\r\nblocked_clients:%d\r\n"
      "tracking_clients:%d\r\n",
      server.stats.connected_clients.load(), server.live.maxclients.load(),
      server.blocking.blocked_clients(), server.tracking.clients());
}

std::string InfoStats(ServerContext& server) {
  const ServerStats& s = server.stats;
  engine::EngineStats e = server.engine->Stats();
  return absl::StrFormat(
      "# Stats\r\ntotal_connections_received:%d\r\ntotal_commands_processed:%d\r\n"
      "instantaneous_ops_per_sec:%d\r\ntotal_net_input_bytes:%d\r\ntotal_net_output_bytes:%d\r\n"
      "rejected_connections:%d\r\nexpired_keys:%d\r\nevicted_keys:%d\r\nkeyspace_hits:%d\r\n"
      "keyspace_misses:%d\r\npubsub_channels:%d\r\npubsub_patterns:%d\r\npubsubshard_channels:%"
      "d\r\n"
      "latest_fork_usec:0\r\ntotal_forks:0\r\ntracking_total_keys:%d\r\n"
      "tracking_total_items:%d\r\ntracking_total_prefixes:%d\r\ntotal_error_replies:%d\r\n",
      s.total_connections_received.load(), server.command_stats.TotalCalls(),
      s.instantaneous_ops_per_sec.load(), s.total_net_input_bytes.load(),
      s.total_net_output_bytes.load(), s.rejected_connections.load(), e.totals.expired_keys,
      e.totals.evicted_keys, e.totals.keyspace_hits, e.totals.keyspace_misses,
      server.pubsub.ActiveCount(SubKind::kChannel), server.pubsub.ActiveCount(SubKind::kPattern),
      server.pubsub.ActiveCount(SubKind::kShard), server.tracking.total_keys(),
      server.tracking.total_items(), server.tracking.total_prefixes(),
      server.command_stats.TotalErrors());
}

// Nothing is persisted until snapshots land (docs/compatibility.md): the section says so.
std::string InfoPersistence(const ServerContext& server) {
  if (server.persistence != nullptr) return server.persistence->Info();
  return absl::StrFormat(
      "# Persistence\r\nloading:0\r\nasync_loading:0\r\nrdb_bgsave_in_progress:0\r\n"
      "rdb_last_save_time:%d\r\nrdb_saves:0\r\naof_enabled:0\r\naof_rewrite_in_progress:0\r\n",
      server.start_time_ms / 1000);
}

// A 40-hex-digit id made once per process, as Redis's master_replid.
const std::string& ReplicationId() {
  static const std::string id = [] {
    std::random_device rd;
    std::string out;
    static constexpr char kHex[] = "0123456789abcdef";
    for (int i = 0; i < 40; ++i) out.push_back(kHex[rd() % 16]);
    return out;
  }();
  return id;
}

std::string InfoReplication() {
  return absl::StrCat(
      "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n"
      "master_failover_state:no-failover\r\nmaster_replid:",
      ReplicationId(),
      "\r\nmaster_replid2:0000000000000000000000000000000000000000\r\n"
      "master_repl_offset:0\r\nsecond_repl_offset:-1\r\nrepl_backlog_active:0\r\n"
      "repl_backlog_size:1048576\r\nrepl_backlog_first_byte_offset:0\r\n"
      "repl_backlog_histlen:0\r\n");
}

double Seconds(const timeval& tv) {
  return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6;
}

std::string InfoCpu() {
  rusage self{}, children{};
  getrusage(RUSAGE_SELF, &self);
  getrusage(RUSAGE_CHILDREN, &children);
  return absl::StrFormat(
      "# CPU\r\nused_cpu_sys:%.6f\r\nused_cpu_user:%.6f\r\nused_cpu_sys_children:%.6f\r\n"
      "used_cpu_user_children:%.6f\r\n",
      Seconds(self.ru_stime), Seconds(self.ru_utime), Seconds(children.ru_stime),
      Seconds(children.ru_utime));
}

std::string InfoCommandStats(const ServerContext& server, bool errors_only) {
  const CommandTable& table = *server.commands;
  std::vector<CommandCounters> counters;
  absl::flat_hash_map<std::string, int64_t> errors;
  server.command_stats.Snapshot(table.all().size(), &counters, &errors);
  if (errors_only) {
    std::vector<std::pair<std::string, int64_t>> sorted(errors.begin(), errors.end());
    std::sort(sorted.begin(), sorted.end());
    std::string out = "# Errorstats\r\n";
    for (const auto& [code, n] : sorted)
      absl::StrAppend(&out, "errorstat_", code, ":count=", n, "\r\n");
    return out;
  }
  std::string out = "# Commandstats\r\n";
  for (size_t i = 0; i < counters.size(); ++i) {
    const CommandCounters& c = counters[i];
    if (c.calls == 0 && c.rejected_calls == 0) continue;
    absl::StrAppend(
        &out, absl::StrFormat("cmdstat_%s:calls=%d,usec=%d,usec_per_call=%.2f,rejected_calls=%d,"
                              "failed_calls=%d\r\n",
                              Sv(table.all()[i].name), c.calls, c.usec,
                              c.calls > 0 ? static_cast<double>(c.usec) / c.calls : 0.0,
                              c.rejected_calls, c.failed_calls));
  }
  return out;
}

std::string HumanBytes(double bytes) {
  static constexpr const char* kUnits[] = {"B", "K", "M", "G", "T", "P"};
  int u = 0;
  while (bytes >= 1024 && u < 5) {
    bytes /= 1024;
    ++u;
  }
  return u == 0 ? absl::StrCat(static_cast<int64_t>(bytes), "B")
                : absl::StrFormat("%.2f%s", bytes, kUnits[u]);
}

std::string InfoMemory(ServerContext& server) {
  // used_memory: the data and the clients' buffers, as Redis counts its allocations.
  const int64_t dataset = static_cast<int64_t>(server.engine->UsedMemory());
  const int64_t maxmemory = server.live.maxmemory.load();
  // While maxmemory is set the workers keep a running total (what the limit counts); otherwise
  // the clients' last published buffer sizes are summed here.
  int64_t clients = server.stats.client_memory.load();
  if (maxmemory <= 0) {
    clients = 0;
    for (const auto& info : server.clients.All()) {
      clients += static_cast<int64_t>(sizeof(Connection) + sizeof(ClientInfo)) +
                 info->query_buffer_bytes.load() + info->output_bytes.load();
    }
  }
  const int64_t used = dataset + clients;
  int64_t rss = RssBytes();
  const auto policy = static_cast<engine::EvictionPolicy>(server.live.maxmemory_policy.load());
  // The Lua heap (scripts and function libraries), as Redis 7.0 reports it.
  const int64_t lua = server.scripts.used_memory();
  // The field lists that small hashes share (engine/types/hash_shape.h), process-wide.
  const engine::hash_detail::ShapeStats shapes = engine::hash_detail::GetShapeStats();
  return absl::StrFormat(
      "# Memory\r\nused_memory:%d\r\nused_memory_human:%s\r\nused_memory_rss:%d\r\n"
      "used_memory_rss_human:%s\r\nused_memory_dataset:%d\r\nmem_clients_normal:%d\r\n"
      "maxmemory:%d\r\nmaxmemory_human:%s\r\nmaxmemory_policy:%s\r\n"
      "mem_overhead_counted_for_evict:%d\r\nmem_fragmentation_ratio:%.2f\r\n"
      "mem_fragmentation_bytes:%d\r\nmem_allocator:%s\r\n"
      "used_memory_lua:%d\r\nused_memory_vm_eval:%d\r\nused_memory_lua_human:%s\r\n"
      "number_of_cached_scripts:%d\r\nnumber_of_functions:%d\r\nnumber_of_libraries:%d\r\n"
      "hash_shapes:%d\r\nmem_hash_shapes:%d\r\n",
      used, HumanBytes(static_cast<double>(used)), rss, HumanBytes(static_cast<double>(rss)),
      dataset, clients, maxmemory, HumanBytes(static_cast<double>(maxmemory)),
      std::string(engine::EvictionPolicyName(policy)),
      maxmemory > 0 ? UsedMemoryForLimit(server) - used : 0,
      used > 0 ? static_cast<double>(rss) / static_cast<double>(used) : 0.0, rss - used,
      AllocatorName(), lua, lua, HumanBytes(static_cast<double>(lua)),
      server.scripts.script_count(), server.scripts.function_count(),
      server.scripts.library_count(), shapes.shapes, shapes.bytes);
}

std::string InfoKeyspace(ServerContext& server) {
  std::string out = "# Keyspace\r\n";
  for (int db = 0; db < server.engine->databases(); ++db) {
    engine::KeyspaceInfo k = server.engine->Keyspace(db);
    if (k.keys > 0) {
      absl::StrAppend(&out, "db", db, ":keys=", k.keys, ",expires=", k.expires,
                      ",avg_ttl=", k.avg_ttl_ms, "\r\n");
    }
  }
  return out;
}

// INFO [section ...]: server, clients, memory, persistence, stats, replication, cpu, modules,
// errorstats, cluster, keyspace (the default set), commandstats, or all / default / everything.
// latencystats (per-command latency percentiles) is not kept: asking for it adds nothing.
void Info(CommandContext& ctx, Args args) {
  auto wanted = [&](std::string_view section) {
    if (args.size() == 1) return true;
    for (size_t i = 1; i < args.size(); ++i) {
      if (Is(args[i], section) || Is(args[i], "all") || Is(args[i], "default") ||
          Is(args[i], "everything")) {
        return true;
      }
    }
    return false;
  };
  // Sections outside the default set: named, or "all" / "everything".
  auto wanted_explicitly = [&](std::string_view section) {
    for (size_t i = 1; i < args.size(); ++i) {
      if (Is(args[i], section) || Is(args[i], "all") || Is(args[i], "everything")) return true;
    }
    return false;
  };
  std::string text;
  auto add = [&](std::string section) {
    if (!text.empty()) text += "\r\n";
    text += section;
  };
  if (wanted("server")) add(InfoServer(ctx.server));
  if (wanted("clients")) add(InfoClients(ctx.server));
  if (wanted("memory")) add(InfoMemory(ctx.server));
  if (wanted("persistence")) add(InfoPersistence(ctx.server));
  if (wanted("stats")) add(InfoStats(ctx.server));
  if (wanted("replication")) add(InfoReplication());
  if (wanted("cpu")) add(InfoCpu());
  if (wanted("modules")) add("# Modules\r\n");
  if (wanted("errorstats")) add(InfoCommandStats(ctx.server, true));
  // commandstats is in "all" and "everything" but not in the default set, as Redis.
  if (wanted_explicitly("commandstats")) add(InfoCommandStats(ctx.server, false));
  if (wanted("cluster")) {
    add(ctx.server.cluster.enabled() ? "# Cluster\r\ncluster_enabled:1\r\n"
                                     : "# Cluster\r\ncluster_enabled:0\r\n");
  }
  if (wanted("keyspace")) add(InfoKeyspace(ctx.server));
  ctx.reply.Verbatim("txt", text);
}

// SHUTDOWN [NOSAVE | SAVE] [NOW] [FORCE]: as Redis, a final snapshot when save rules exist (or
// SAVE asks for one) unless NOSAVE; a failed save keeps the server running unless FORCE. NOW
// has nothing to skip (no replicas to wait for). On success no reply is sent: the connection
// closes as the server exits.
void Shutdown(CommandContext& ctx, Args args) {
  bool nosave = false;
  bool save = false;
  bool force = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (Is(args[i], "NOSAVE")) {
      nosave = true;
    } else if (Is(args[i], "SAVE")) {
      save = true;
    } else if (Is(args[i], "FORCE")) {
      force = true;
    } else if (!Is(args[i], "NOW")) {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  if (nosave && save) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  persistence::Persistence* p = ctx.server.persistence;
  // Never while loading: that would replace the snapshot with part of itself.
  if (p != nullptr && !ctx.server.loading.load() && !nosave && (save || p->has_rules())) {
    if (absl::Status s = p->Save(/*wait=*/true); !s.ok() && !force) {
      Log(LogLevel::kWarning, "Error trying to save the DB, can't exit: ", s.message());
      ctx.reply.Error("ERR Errors trying to SHUTDOWN. Check logs.");
      return;
    }
  }
  ctx.server.shutdown_save_handled = true;
  ctx.client.close_after_reply = true;
  if (ctx.server.request_shutdown) ctx.server.request_shutdown();
}

// MONITOR: from now on this connection receives a line per command the server runs
// (server/monitor.h). A second MONITOR is ignored without a reply, as in Redis.
void Monitor(CommandContext& ctx, Args) {
  if (ctx.client.monitor) return;
  if (ctx.client.info == nullptr) {
    ctx.reply.Error("ERR MONITOR needs a network connection");
    return;
  }
  ctx.client.monitor = true;
  ctx.client.info->monitor.store(true, std::memory_order_relaxed);
  ctx.server.monitors.Add(ctx.client.id, ctx.client.info->worker);
  ctx.reply.Ok();
}

}  // namespace

void RegisterServerCommands(CommandTable& table) {
  table.Add({.name = "command",
             .arity = -1,
             .flags = kLoading | kStale,
             .acl_categories = "@slow @connection",
             .tips = "nondeterministic_output_order",
             .group = "server",
             .since = "2.8.13",
             .summary = "Returns detailed information about all commands.",
             .handler = Command});
  table.Add({.name = "info",
             .arity = -1,
             .flags = kLoading | kStale,
             .acl_categories = "@slow @dangerous",
             .tips = "nondeterministic_output request_policy:all_shards response_policy:special",
             .group = "server",
             .since = "1.0.0",
             .summary = "Returns information and statistics about the server.",
             .handler = Info});
  table.Add({.name = "shutdown",
             .arity = -1,
             .flags = kAdmin | kNoscript | kLoading | kStale | kNoMulti | kAllowBusy,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "1.0.0",
             .summary = "Synchronously saves the database(s) to disk and shuts down the Redis "
                        "server.",
             .handler = Shutdown});
  table.Add({.name = "monitor",
             .arity = 1,
             .flags = kAdmin | kNoscript | kLoading | kStale,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "1.0.0",
             .summary = "Listen for all requests received by the server in real time.",
             .handler = Monitor});
}

}  // namespace ringkv::server
