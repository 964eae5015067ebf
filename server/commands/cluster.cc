// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The cluster family: CLUSTER and its subcommands, ASKING, READONLY, READWRITE, and the key
// transfer commands slot moves use (DUMP, RESTORE, RESTORE-ASKING, MIGRATE).
//
// ringkv has no cluster bus: the slot map is what the operator or a manager gives each node
// (cluster-config-file, CLUSTER SETTOPOLOGY, or Redis's ADDSLOTS / DELSLOTS / SETSLOT sent to
// every node); see docs/scale-out.md. DUMP payloads are ringkv's own record format (engine/
// snapshot.h) followed by a 2-byte format version and an XXH64 checksum, not Redis's RDB
// encoding: they move keys between ringkv nodes.
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xxhash.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "engine/key_lock.h"
#include "engine/snapshot.h"
#include "protocol/reply_parser.h"
#include "server/cluster/cluster_state.h"
#include "server/cluster_routing.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

constexpr std::string_view kDisabled = "ERR This instance has cluster support disabled";
constexpr uint16_t kDumpFormatVersion = 1;

// ---- CLUSTER ----------------------------------------------------------------------------------

// Redis's getSlotOrReply.
bool ParseSlot(CommandContext& ctx, std::string_view arg, int* slot) {
  int64_t v = 0;
  if (!cmd::ParseInt64(arg, &v) || v < 0 || v >= cluster::kSlots) {
    ctx.reply.Error("ERR Invalid or out of range slot");
    return false;
  }
  *slot = static_cast<int>(v);
  return true;
}

// Applies a change to the slot map and answers +OK, or the change's error.
void UpdateAndReply(CommandContext& ctx,
                    absl::FunctionRef<absl::Status(cluster::Topology&)> change) {
  absl::Status s = ctx.server.cluster.Update(change);
  if (!s.ok()) {
    ctx.reply.Error(absl::StrCat("ERR ", s.message()));
    return;
  }
  RedirectBlockedClients(ctx.server);
  ctx.reply.Ok();
}

// Keys of `slot` in database 0, at most `max` of them (all when max < 0).
std::vector<std::string> KeysInSlot(engine::Engine& engine, int slot, int64_t max) {
  std::vector<std::string> keys;
  if (max == 0) return keys;
  engine.Keys(0, "*", [&](std::string_view key) {
    if ((max < 0 || static_cast<int64_t>(keys.size()) < max) && cluster::KeySlot(key) == slot) {
      keys.emplace_back(key);
    }
  });
  return keys;
}

int64_t CountKeysInSlot(engine::Engine& engine, int slot) {
  int64_t n = 0;
  engine.Keys(0, "*", [&](std::string_view key) { n += cluster::KeySlot(key) == slot ? 1 : 0; });
  return n;
}

void ReplyInfo(CommandContext& ctx, const cluster::Topology& t) {
  const cluster::ClusterOptions& o = ctx.server.cluster.options();
  const int assigned = t.SlotsAssigned();
  std::string info = absl::StrCat(
      "cluster_state:", cluster::ClusterState::StateOk(t, o.require_full_coverage) ? "ok" : "fail",
      "\r\ncluster_slots_assigned:", assigned, "\r\ncluster_slots_ok:", assigned,
      "\r\ncluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:", t.nodes.size(),
      "\r\ncluster_size:", t.Size(), "\r\ncluster_current_epoch:", t.current_epoch,
      "\r\ncluster_my_epoch:", t.me().config_epoch,
      "\r\ncluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n"
      "total_cluster_links_buffer_limit_exceeded:0\r\n");
  ctx.reply.Verbatim("txt", info);
}

void ReplySlots(CommandContext& ctx, const cluster::Topology& t) {
  // One entry per run of slots with the same owner, in slot order (Redis 7.0).
  std::vector<std::pair<std::pair<int, int>, int>> runs;
  for (int s = 0; s < cluster::kSlots; ++s) {
    const int o = t.owner[static_cast<size_t>(s)];
    if (o < 0) continue;
    if (!runs.empty() && runs.back().second == o && runs.back().first.second == s - 1) {
      runs.back().first.second = s;
    } else {
      runs.push_back({{s, s}, o});
    }
  }
  ctx.reply.ArrayHeader(runs.size());
  for (const auto& [range, owner] : runs) {
    const cluster::Node& n = t.nodes[static_cast<size_t>(owner)];
    ctx.reply.ArrayHeader(3);
    ctx.reply.Integer(range.first);
    ctx.reply.Integer(range.second);
    ctx.reply.ArrayHeader(4);
    ctx.reply.Bulk(n.ip);
    ctx.reply.Integer(n.port);
    ctx.reply.Bulk(n.id);
    ctx.reply.MapHeader(0);
  }
}

void ReplyShards(CommandContext& ctx, const cluster::Topology& t) {
  // One shard per node that owns slots, and one per node without any (Redis lists every
  // master), in the order the map lists them.
  ctx.reply.ArrayHeader(t.nodes.size());
  for (size_t i = 0; i < t.nodes.size(); ++i) {
    const cluster::Node& n = t.nodes[i];
    const auto ranges = t.Ranges(static_cast<int>(i));
    ctx.reply.MapHeader(2);
    ctx.reply.Bulk("slots");
    ctx.reply.ArrayHeader(ranges.size() * 2);
    for (const auto& [first, last] : ranges) {
      ctx.reply.Integer(first);
      ctx.reply.Integer(last);
    }
    ctx.reply.Bulk("nodes");
    ctx.reply.ArrayHeader(1);
    ctx.reply.MapHeader(7);
    ctx.reply.Bulk("id");
    ctx.reply.Bulk(n.id);
    ctx.reply.Bulk("port");
    ctx.reply.Integer(n.port);
    ctx.reply.Bulk("ip");
    ctx.reply.Bulk(n.ip);
    ctx.reply.Bulk("endpoint");
    ctx.reply.Bulk(n.ip);
    ctx.reply.Bulk("role");
    ctx.reply.Bulk("master");
    ctx.reply.Bulk("replication-offset");
    ctx.reply.Integer(0);
    ctx.reply.Bulk("health");
    ctx.reply.Bulk("online");
  }
}

// ADDSLOTS / DELSLOTS (ranges = false) and their RANGE forms: the slots from args[2...].
// Each slot is checked as it is read, in Redis's order: unassigned (DEL) or busy (ADD), then
// named twice.
bool CollectSlots(CommandContext& ctx, Args args, bool del, bool ranges, std::vector<int>* slots) {
  const std::shared_ptr<const cluster::Topology> t = ctx.server.cluster.Get();
  std::vector<bool> seen(cluster::kSlots, false);
  if (ranges && (args.size() - 2) % 2 != 0) {
    ctx.reply.Error(errors::WrongArity(absl::StrCat(
        "cluster|", cmd::Is(args[1], "addslotsrange") ? "addslotsrange" : "delslotsrange")));
    return false;
  }
  for (size_t i = 2; i < args.size(); i += ranges ? 2 : 1) {
    int first = 0;
    int last = 0;
    if (!ParseSlot(ctx, args[i], &first)) return false;
    if (ranges) {
      if (!ParseSlot(ctx, args[i + 1], &last)) return false;
      if (first > last) {
        ctx.reply.Error(absl::StrCat("ERR start slot number ", first,
                                     " is greater than end slot number ", last));
        return false;
      }
    } else {
      last = first;
    }
    for (int s = first; s <= last; ++s) {
      const int16_t owner = t->owner[static_cast<size_t>(s)];
      if (del && owner < 0) {
        ctx.reply.Error(absl::StrCat("ERR Slot ", s, " is already unassigned"));
        return false;
      }
      if (!del && owner >= 0) {
        ctx.reply.Error(absl::StrCat("ERR Slot ", s, " is already busy"));
        return false;
      }
      if (seen[static_cast<size_t>(s)]) {
        ctx.reply.Error(absl::StrCat("ERR Slot ", s, " specified multiple times"));
        return false;
      }
      seen[static_cast<size_t>(s)] = true;
      slots->push_back(s);
    }
  }
  return true;
}

void AddOrDelSlots(CommandContext& ctx, Args args, bool del, bool ranges) {
  std::vector<int> slots;
  if (!CollectSlots(ctx, args, del, ranges, &slots)) return;
  UpdateAndReply(ctx, [&](cluster::Topology& t) {
    for (int s : slots) {
      const int16_t o = t.owner[static_cast<size_t>(s)];
      if (del && o < 0)
        return absl::InvalidArgumentError(absl::StrCat("Slot ", s, " is already unassigned"));
      if (!del && o >= 0)
        return absl::InvalidArgumentError(absl::StrCat("Slot ", s, " is already busy"));
    }
    for (int s : slots) {
      t.owner[static_cast<size_t>(s)] = static_cast<int16_t>(del ? -1 : t.self);
      if (!del) t.importing.erase(s);
      if (del) t.migrating.erase(s);
    }
    return absl::OkStatus();
  });
}

void SetSlot(CommandContext& ctx, Args args) {
  int slot = 0;
  if (!ParseSlot(ctx, args[2], &slot)) return;
  const std::string_view action = args[3];
  const std::string node_id = args.size() > 4 ? std::string(args[4]) : std::string();
  if (Is(action, "stable") && args.size() == 4) {
    UpdateAndReply(ctx, [&](cluster::Topology& t) {
      t.migrating.erase(slot);
      t.importing.erase(slot);
      return absl::OkStatus();
    });
    return;
  }
  if (args.size() != 5 ||
      !(Is(action, "migrating") || Is(action, "importing") || Is(action, "node"))) {
    ctx.reply.Error("ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP");
    return;
  }
  // NODE hands a slot of ours away only once no key of it is left here.
  int64_t keys_here = -1;
  if (Is(action, "node")) keys_here = CountKeysInSlot(ctx.engine, slot);
  UpdateAndReply(ctx, [&](cluster::Topology& t) {
    const int n = t.FindNode(node_id);
    if (Is(action, "migrating")) {
      if (t.owner[static_cast<size_t>(slot)] != t.self) {
        return absl::InvalidArgumentError(absl::StrCat("I'm not the owner of hash slot ", slot));
      }
      if (n < 0)
        return absl::InvalidArgumentError(absl::StrCat("I don't know about node ", node_id));
      t.migrating[slot] = n;
    } else if (Is(action, "importing")) {
      if (t.owner[static_cast<size_t>(slot)] == t.self) {
        return absl::InvalidArgumentError(
            absl::StrCat("I'm already the owner of hash slot ", slot));
      }
      if (n < 0)
        return absl::InvalidArgumentError(absl::StrCat("I don't know about node ", node_id));
      t.importing[slot] = n;
    } else {
      if (n < 0) return absl::InvalidArgumentError(absl::StrCat("Unknown node ", node_id));
      if (t.owner[static_cast<size_t>(slot)] == t.self && n != t.self && keys_here != 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("Can't assign hashslot ", slot,
                         " to a different node while I still hold keys for this hash slot."));
      }
      if (keys_here == 0) t.migrating.erase(slot);
      t.owner[static_cast<size_t>(slot)] = static_cast<int16_t>(n);
      if (n == t.self && t.importing.erase(slot) > 0) {
        // Taking over an imported slot bumps this node's config epoch past every other (Redis
        // does so without consensus too).
        t.current_epoch += 1;
        t.nodes[static_cast<size_t>(t.self)].config_epoch = t.current_epoch;
      }
    }
    return absl::OkStatus();
  });
}

constexpr std::string_view kClusterHelp[] = {
    "ADDSLOTS <slot> [<slot> ...]",
    "    Assign slots to current node.",
    "ADDSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Assign slots which are between <start-slot> and <end-slot> to current node.",
    "COUNTKEYSINSLOT <slot>",
    "    Return the number of keys in <slot>.",
    "DELSLOTS <slot> [<slot> ...]",
    "    Delete slots information from current node.",
    "DELSLOTSRANGE <start slot> <end slot> [<start slot> <end slot> ...]",
    "    Delete slots information which are between <start-slot> and <end-slot> from current node.",
    "FLUSHSLOTS",
    "    Delete current node own slots information.",
    "GETKEYSINSLOT <slot> <count>",
    "    Return key names stored by current node in a slot.",
    "INFO",
    "    Return information about the cluster.",
    "KEYSLOT <key>",
    "    Return the hash slot for <key>.",
    "LINKS",
    "    Return information about all network links between this node and its peers.",
    "MYID",
    "    Return the node id.",
    "NODES",
    "    Return cluster configuration seen by node. Output format:",
    "    <id> <ip:port> <flags> <master> <pings> <pongs> <epoch> <link> <slot> ...",
    "SAVECONFIG",
    "    Force saving cluster configuration on disk.",
    "SETSLOT <slot> (IMPORTING <node-id>|MIGRATING <node-id>|STABLE|NODE <node-id>)",
    "    Set slot state.",
    "SETTOPOLOGY <nodes-text>",
    "    Replace the whole slot map with one in CLUSTER NODES format (ringkv).",
    "SHARDS",
    "    Return information about slot range mappings and the nodes associated with them.",
    "SLOTS",
    "    Return information about slots range mappings. Each range is made of:",
    "    start, end, master and replicas IP addresses, ports and ids",
};

struct Subcommand {
  std::string_view name;
  int arity;       // Redis's, counting CLUSTER and the subcommand
  bool needs_bus;  // Redis Cluster's bus subcommands: refused by ringkv
};
constexpr Subcommand kSubcommands[] = {
    {"addslots", -3, false},
    {"addslotsrange", -4, false},
    {"bumpepoch", 2, true},
    {"count-failure-reports", 3, true},
    {"countkeysinslot", 3, false},
    {"delslots", -3, false},
    {"delslotsrange", -4, false},
    {"failover", -2, true},
    {"flushslots", 2, false},
    {"forget", 3, true},
    {"getkeysinslot", 4, false},
    {"help", 2, false},
    {"info", 2, false},
    {"keyslot", 3, false},
    {"links", 2, false},
    {"meet", -4, true},
    {"myid", 2, false},
    {"nodes", 2, false},
    {"replicas", 3, true},
    {"replicate", 3, true},
    {"reset", -2, true},
    {"saveconfig", 2, false},
    {"set-config-epoch", 3, true},
    {"setslot", -4, false},
    {"settopology", 3, false},
    {"shards", 2, false},
    {"slaves", 3, true},
    {"slots", 2, false},
};

void Cluster(CommandContext& ctx, Args args) {
  const std::string_view sub = args[1];
  const Subcommand* found = nullptr;
  for (const Subcommand& c : kSubcommands) {
    if (Is(sub, c.name)) found = &c;
  }
  if (found == nullptr) {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "CLUSTER"));
    return;
  }
  const size_t argc = args.size();
  if (found->arity >= 0 ? argc != static_cast<size_t>(found->arity)
                        : argc < static_cast<size_t>(-found->arity)) {
    ctx.reply.Error(errors::WrongArity(absl::StrCat("cluster|", Sv(found->name))));
    return;
  }
  if (!ctx.server.cluster.enabled()) {
    ctx.reply.Error(kDisabled);
    return;
  }
  const std::string_view name = found->name;
  if (name == "help") {
    cmd::ReplyHelp(
        ctx, "CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kClusterHelp);
    return;
  }
  if (found->needs_bus) {
    ctx.reply.Error(absl::StrCat("ERR CLUSTER ", Sv(sub),
                                 " is not supported: ringkv has no cluster bus; give every node "
                                 "the slot map (CLUSTER SETTOPOLOGY, see docs/scale-out.md)"));
    return;
  }
  if (name == "keyslot") {
    ctx.reply.Integer(cluster::KeySlot(args[2]));
    return;
  }
  const std::shared_ptr<const cluster::Topology> t = ctx.server.cluster.Get();
  if (name == "info") {
    ReplyInfo(ctx, *t);
  } else if (name == "myid") {
    ctx.reply.Bulk(t->me().id);
  } else if (name == "slots") {
    ReplySlots(ctx, *t);
  } else if (name == "shards") {
    ReplyShards(ctx, *t);
  } else if (name == "nodes") {
    ctx.reply.Verbatim("txt", cluster::FormatNodes(*t, /*vars=*/false));
  } else if (name == "links") {
    ctx.reply.ArrayHeader(0);  // no cluster bus, so no links
  } else if (name == "countkeysinslot") {
    int64_t slot = 0;
    if (!cmd::ParseInt64(args[2], &slot)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    if (slot < 0 || slot >= cluster::kSlots) {
      ctx.reply.Error("ERR Invalid slot");
      return;
    }
    ctx.reply.Integer(CountKeysInSlot(ctx.engine, static_cast<int>(slot)));
  } else if (name == "getkeysinslot") {
    int64_t slot = 0;
    int64_t count = 0;
    if (!cmd::ParseInt64(args[2], &slot) || !cmd::ParseInt64(args[3], &count)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    if (slot < 0 || slot >= cluster::kSlots || count < 0) {
      ctx.reply.Error("ERR Invalid slot or number of keys");
      return;
    }
    std::vector<std::string> keys = KeysInSlot(ctx.engine, static_cast<int>(slot), count);
    ctx.reply.ArrayHeader(keys.size());
    for (const std::string& k : keys) ctx.reply.Bulk(k);
  } else if (name == "addslots" || name == "delslots") {
    AddOrDelSlots(ctx, args, name == "delslots", /*ranges=*/false);
  } else if (name == "addslotsrange" || name == "delslotsrange") {
    AddOrDelSlots(ctx, args, name == "delslotsrange", /*ranges=*/true);
  } else if (name == "flushslots") {
    if (ctx.engine.DbSize(0) != 0) {
      ctx.reply.Error("ERR DB must be empty to perform CLUSTER FLUSHSLOTS.");
      return;
    }
    UpdateAndReply(ctx, [&](cluster::Topology& m) {
      for (int16_t& o : m.owner) {
        if (o == m.self) o = -1;
      }
      m.migrating.clear();
      return absl::OkStatus();
    });
  } else if (name == "setslot") {
    SetSlot(ctx, args);
  } else if (name == "saveconfig") {
    absl::Status s = ctx.server.cluster.Save();
    if (!s.ok()) {
      ctx.reply.Error(absl::StrCat("ERR error saving the cluster node config: ", s.message()));
      return;
    }
    ctx.reply.Ok();
  } else if (name == "settopology") {
    const std::string self_id = t->me().id;
    const std::string self_ip = t->me().ip;
    const int self_port = t->me().port;
    UpdateAndReply(ctx, [&](cluster::Topology& m) {
      absl::StatusOr<cluster::Topology> next =
          cluster::ParseNodes(args[2], self_id, /*use_myself_flag=*/false, self_ip, self_port);
      if (!next.ok()) return absl::InvalidArgumentError(next.status().message());
      if (next->current_epoch < m.current_epoch) {
        return absl::InvalidArgumentError(
            absl::StrCat("stale topology: currentEpoch ", next->current_epoch,
                         " is older than this node's ", m.current_epoch));
      }
      // Slots that leave this node must leave no keys behind (move them first: SETSLOT
      // MIGRATING and MIGRATE), as SETSLOT NODE requires.
      std::vector<bool> leaving(cluster::kSlots, false);
      bool any = false;
      for (int s = 0; s < cluster::kSlots; ++s) {
        const size_t i = static_cast<size_t>(s);
        if (m.owner[i] == m.self && next->owner[i] != next->self) leaving[i] = any = true;
      }
      if (any) {
        int busy = -1;
        ctx.engine.Keys(0, "*", [&](std::string_view key) {
          const int s = cluster::KeySlot(key);
          if (busy < 0 && leaving[static_cast<size_t>(s)]) busy = s;
        });
        if (busy >= 0) {
          return absl::FailedPreconditionError(
              absl::StrCat("Can't assign hashslot ", busy,
                           " to a different node while I still hold keys for this hash slot."));
        }
      }
      m = std::move(*next);
      return absl::OkStatus();
    });
  }
}

void Asking(CommandContext& ctx, Args) {
  if (!ctx.server.cluster.enabled()) {
    ctx.reply.Error(kDisabled);
    return;
  }
  ctx.client.asking = true;
  ctx.reply.Ok();
}

void ReadOnly(CommandContext& ctx, Args) {
  if (!ctx.server.cluster.enabled()) {
    ctx.reply.Error(kDisabled);
    return;
  }
  ctx.client.readonly = true;
  ctx.reply.Ok();
}

void ReadWrite(CommandContext& ctx, Args) {
  if (!ctx.server.cluster.enabled()) {
    ctx.reply.Error(kDisabled);
    return;
  }
  ctx.client.readonly = false;
  ctx.reply.Ok();
}

// ---- DUMP / RESTORE ---------------------------------------------------------------------------

void AppendFooter(std::string* payload) {
  payload->push_back(static_cast<char>(kDumpFormatVersion & 0xff));
  payload->push_back(static_cast<char>(kDumpFormatVersion >> 8));
  const uint64_t sum = XXH64(payload->data(), payload->size(), 0);
  for (int i = 0; i < 8; ++i) payload->push_back(static_cast<char>((sum >> (8 * i)) & 0xff));
}

// The record inside a payload, or false when the version or checksum is wrong.
bool VerifyPayload(std::string_view payload, std::string_view* record) {
  if (payload.size() < 10) return false;
  const size_t body = payload.size() - 8;
  uint64_t sum = 0;
  for (int i = 0; i < 8; ++i) {
    sum |= uint64_t{static_cast<uint8_t>(payload[body + static_cast<size_t>(i)])} << (8 * i);
  }
  if (XXH64(payload.data(), body, 0) != sum) return false;
  const uint16_t version = static_cast<uint16_t>(static_cast<uint8_t>(payload[body - 2]) |
                                                 (static_cast<uint8_t>(payload[body - 1]) << 8));
  if (version != kDumpFormatVersion) return false;
  *record = payload.substr(0, body - 2);
  return true;
}

void Dump(CommandContext& ctx, Args args) {
  std::string payload;
  if (!ctx.engine.DumpRecord(ctx.client.db, args[1], &payload)) {
    ctx.reply.Null();
    return;
  }
  AppendFooter(&payload);
  ctx.reply.Bulk(payload);
}

void Restore(CommandContext& ctx, Args args) {
  bool replace = false;
  bool absttl = false;
  int64_t idle = -1;
  int64_t freq = -1;
  for (size_t j = 4; j < args.size(); ++j) {
    const size_t more = args.size() - j - 1;
    if (Is(args[j], "replace")) {
      replace = true;
    } else if (Is(args[j], "absttl")) {
      absttl = true;
    } else if (Is(args[j], "idletime") && more >= 1 && freq == -1) {
      if (!cmd::ParseInt64(args[++j], &idle)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (idle < 0) {
        ctx.reply.Error("ERR Invalid IDLETIME value, must be >= 0");
        return;
      }
    } else if (Is(args[j], "freq") && more >= 1 && idle == -1) {
      if (!cmd::ParseInt64(args[++j], &freq)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (freq < 0 || freq > 255) {
        ctx.reply.Error("ERR Invalid FREQ value, must be >= 0 and <= 255");
        return;
      }
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  const int db = ctx.client.db;
  const std::string_view key = args[1];
  const std::string_view one_key[] = {key};
  engine::KeyLock lock(ctx.engine, db, one_key);
  if (!replace && ctx.engine.Exists(db, key)) {
    ctx.reply.Error("BUSYKEY Target key name already exists.");
    return;
  }
  int64_t ttl = 0;
  if (!cmd::ParseInt64(args[2], &ttl)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (ttl < 0) {
    ctx.reply.Error("ERR Invalid TTL value, must be >= 0");
    return;
  }
  std::string_view record;
  if (!VerifyPayload(args[3], &record)) {
    ctx.reply.Error("ERR DUMP payload version or checksum are wrong");
    return;
  }
  int64_t expire_ms = 0;
  if (ttl > 0) {
    const int64_t now = ctx.engine.clock().NowMs();
    expire_ms = absttl ? ttl : (ttl > INT64_MAX - now ? INT64_MAX : now + ttl);
  }
  // Checked whole before anything changes: a bad record leaves the old value in place.
  std::string error;
  if (!engine::RestoreRecord(ctx.engine, db, key, record, expire_ms, &error)) {
    ctx.reply.Error("ERR Bad data format");
    return;
  }
  ctx.reply.Ok();
}

// ---- MIGRATE ----------------------------------------------------------------------------------

// A blocking connection to another server for MIGRATE, every step bounded by a timeout.
class TargetConnection {
 public:
  ~TargetConnection() {
    if (fd_ >= 0) close(fd_);
  }

  bool Connect(const std::string& host, const std::string& port, int timeout_ms) {
    deadline_ = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* res = nullptr;
    if (getaddrinfo(host.c_str(), port.c_str(), &hints, &res) != 0) return false;
    bool ok = false;
    for (addrinfo* a = res; a != nullptr && !ok; a = a->ai_next) {
      fd_ = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
      if (fd_ < 0) continue;
      if (connect(fd_, a->ai_addr, a->ai_addrlen) == 0) {
        ok = true;
      } else if (errno == EINPROGRESS && Wait(POLLOUT)) {
        int err = 0;
        socklen_t len = sizeof(err);
        ok = getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0;
      }
      if (!ok) {
        close(fd_);
        fd_ = -1;
      }
    }
    freeaddrinfo(res);
    return ok;
  }

  bool Write(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n > 0) {
        data.remove_prefix(static_cast<size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!Wait(POLLOUT)) return false;
      } else {
        return false;
      }
    }
    return true;
  }

  bool Read(protocol::Reply* reply) {
    protocol::ReplyParser parser;
    while (true) {
      size_t consumed = 0;
      if (!buffer_.empty()) {
        protocol::ParseStatus s = parser.Parse(buffer_, &consumed, reply);
        if (s == protocol::ParseStatus::kOk) {
          buffer_.erase(0, consumed);
          return true;
        }
        if (s == protocol::ParseStatus::kError) return false;
      }
      char chunk[16384];
      ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
      if (n > 0) {
        buffer_.append(chunk, static_cast<size_t>(n));
      } else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        if (!Wait(POLLIN)) return false;
      } else {
        return false;
      }
    }
  }

 private:
  bool Wait(short events) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline_ - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0) return false;
    pollfd p{.fd = fd_, .events = events, .revents = 0};
    return poll(&p, 1, static_cast<int>(left)) == 1;
  }

  int fd_ = -1;
  std::string buffer_;
  std::chrono::steady_clock::time_point deadline_;
};

void AppendCommand(std::initializer_list<std::string_view> parts, std::string* out) {
  absl::StrAppend(out, "*", parts.size(), "\r\n");
  for (std::string_view p : parts) absl::StrAppend(out, "$", p.size(), "\r\n", Sv(p), "\r\n");
}

void Migrate(CommandContext& ctx, Args args) {
  bool copy = false;
  bool replace = false;
  std::string_view username;
  std::string_view password;
  bool auth = false;
  size_t first_key = 3;
  size_t num_keys = 1;
  for (size_t j = 6; j < args.size(); ++j) {
    const size_t more = args.size() - 1 - j;
    if (Is(args[j], "copy")) {
      copy = true;
    } else if (Is(args[j], "replace")) {
      replace = true;
    } else if (Is(args[j], "auth")) {
      if (more < 1) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
      auth = true;
      password = args[++j];
    } else if (Is(args[j], "auth2")) {
      if (more < 2) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
      auth = true;
      username = args[++j];
      password = args[++j];
    } else if (Is(args[j], "keys")) {
      if (!args[3].empty()) {
        ctx.reply.Error(
            "ERR When using MIGRATE KEYS option, the key argument must be set to the empty "
            "string");
        return;
      }
      first_key = j + 1;
      num_keys = args.size() - j - 1;
      break;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  int64_t timeout = 0;
  int64_t dbid = 0;
  if (!cmd::ParseInt64(args[5], &timeout) || !cmd::ParseInt64(args[4], &dbid)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (timeout <= 0) timeout = 1000;
  if (timeout > INT32_MAX) timeout = INT32_MAX;
  const int db = ctx.client.db;
  const std::span<const std::string_view> keys = args.subspan(first_key, num_keys);
  // The keys stay locked from their dump until they are deleted here: no write to them can
  // land in between and be lost.
  engine::KeyLock lock(ctx.engine, db, keys);
  struct Item {
    std::string_view key;
    std::string payload;
    int64_t ttl_ms;
  };
  std::vector<Item> items;
  const int64_t now = ctx.engine.clock().NowMs();
  for (std::string_view key : keys) {
    Item item{key, {}, 0};
    if (!ctx.engine.DumpRecord(db, key, &item.payload)) continue;
    const int64_t at = ctx.engine.ExpireTimeMs(db, key);
    if (at > 0) {
      item.ttl_ms = at - now;
      if (item.ttl_ms < 1) item.ttl_ms = 1;
    }
    AppendFooter(&item.payload);
    items.push_back(std::move(item));
  }
  if (items.empty()) {
    ctx.reply.SimpleString("NOKEY");
    return;
  }
  TargetConnection target;
  if (!target.Connect(std::string(args[1]), std::string(args[2]), static_cast<int>(timeout))) {
    ctx.reply.Error("IOERR error or timeout connecting to the client");
    return;
  }
  std::string request;
  if (auth) {
    if (username.empty()) {
      AppendCommand({"AUTH", password}, &request);
    } else {
      AppendCommand({"AUTH", username, password}, &request);
    }
  }
  const std::string db_text = std::to_string(dbid);
  AppendCommand({"SELECT", db_text}, &request);
  const char* restore = ctx.server.cluster.enabled() ? "RESTORE-ASKING" : "RESTORE";
  for (const Item& item : items) {
    const std::string ttl = std::to_string(item.ttl_ms);
    if (replace) {
      AppendCommand({restore, item.key, ttl, item.payload, "REPLACE"}, &request);
    } else {
      AppendCommand({restore, item.key, ttl, item.payload}, &request);
    }
  }
  if (!target.Write(request)) {
    ctx.reply.Error("IOERR error or timeout writing to target instance");
    return;
  }
  protocol::Reply r;
  std::string first_error;
  const size_t preamble = (auth ? 1 : 0) + 1;
  for (size_t i = 0; i < preamble; ++i) {
    if (!target.Read(&r)) {
      ctx.reply.Error("IOERR error or timeout reading to target instance");
      return;
    }
    if (r.is_error()) {
      ctx.reply.Error(absl::StrCat("ERR Target instance replied with error: ", r.str));
      return;
    }
  }
  std::vector<std::string_view> moved;
  for (const Item& item : items) {
    if (!target.Read(&r)) {
      // What the target acknowledged so far is deleted here; the rest stays.
      if (!copy && !moved.empty()) ctx.engine.Del(db, moved);
      ctx.reply.Error("IOERR error or timeout reading to target instance");
      return;
    }
    if (r.is_error()) {
      if (first_error.empty()) first_error = r.str;
    } else {
      moved.push_back(item.key);
    }
  }
  if (!copy && !moved.empty()) ctx.engine.Del(db, moved);
  if (!first_error.empty()) {
    ctx.reply.Error(absl::StrCat("ERR Target instance replied with error: ", first_error));
    return;
  }
  ctx.reply.Ok();
}

// MIGRATE's keys: argument 3, or those after KEYS when argument 3 is empty.
void MigrateKeys(std::span<const std::string_view> args, std::vector<size_t>* positions) {
  for (size_t j = 6; j < args.size(); ++j) {
    if (Is(args[j], "auth")) {
      ++j;
    } else if (Is(args[j], "auth2")) {
      j += 2;
    } else if (Is(args[j], "keys")) {
      if (!args[3].empty()) break;
      for (size_t k = j + 1; k < args.size(); ++k) positions->push_back(k);
      return;
    }
  }
  positions->push_back(3);
}

}  // namespace

void RegisterClusterCommands(CommandTable& table) {
  table.Add({.name = "cluster",
             .arity = -2,
             .flags = 0,
             .acl_categories = "@slow",
             .group = "cluster",
             .since = "3.0.0",
             .summary = "A container for Redis Cluster commands.",
             .handler = Cluster});
  table.Add({.name = "asking",
             .arity = 1,
             .flags = kFast,
             .acl_categories = "@fast @connection",
             .group = "cluster",
             .since = "3.0.0",
             .summary = "Signals that a cluster client is following an -ASK redirect.",
             .handler = Asking});
  table.Add(
      {.name = "readonly",
       .arity = 1,
       .flags = kFast | kLoading | kStale,
       .acl_categories = "@fast @connection",
       .group = "cluster",
       .since = "3.0.0",
       .summary = "Enables read-only queries for a connection to a Redis Cluster replica node.",
       .handler = ReadOnly});
  table.Add(
      {.name = "readwrite",
       .arity = 1,
       .flags = kFast | kLoading | kStale,
       .acl_categories = "@fast @connection",
       .group = "cluster",
       .since = "3.0.0",
       .summary = "Enables read-write queries for a connection to a Redis Cluster replica node.",
       .handler = ReadWrite});
  table.Add({.name = "dump",
             .arity = 2,
             .flags = kReadonly,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@keyspace @read @slow",
             .tips = "nondeterministic_output",
             .key_spec_flags = "RO access",
             .group = "generic",
             .since = "2.6.0",
             .summary = "Returns a serialized representation of the value stored at a key.",
             .handler = Dump});
  table.Add({.name = "restore",
             .arity = -4,
             .flags = kWrite | kDenyOom,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@keyspace @write @slow @dangerous",
             .key_spec_flags = "OW update",
             .group = "generic",
             .since = "2.6.0",
             .summary = "Creates a key from the serialized representation of a value.",
             .handler = Restore});
  table.Add({.name = "restore-asking",
             .arity = -4,
             .flags = kWrite | kDenyOom | kAsking,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@keyspace @write @slow @dangerous",
             .key_spec_flags = "OW update",
             .group = "server",
             .since = "3.0.0",
             .summary = "An internal command for migrating keys in a cluster.",
             .handler = Restore});
  table.Add({.name = "migrate",
             .arity = -6,
             .flags = kWrite | kMovableKeys,
             .acl_categories = "@keyspace @write @slow @dangerous",
             .key_spec_flags = "RW access delete",
             .group = "generic",
             .since = "2.6.0",
             .summary = "Atomically transfers a key from one Redis instance to another.",
             .handler = Migrate,
             .get_keys = MigrateKeys});
}

}  // namespace ringkv::server
