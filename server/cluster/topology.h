// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The Redis Cluster slot map: 16384 hash slots (CRC16 of the key or of its {hash tag}), the
// nodes of the cluster and which node owns which slot, and the slots this node is migrating or
// importing. ringkv has no cluster bus and no consensus of its own: the map is what the operator
// (or an external manager) gives every node, in the text format of Redis's nodes.conf and
// CLUSTER NODES, which this file parses and writes.
//
// Thread safety: a Topology is a plain value; ClusterState (cluster_state.h) publishes immutable
// copies.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/status/statusor.h"

namespace ringkv::server::cluster {

inline constexpr int kSlots = 16384;

// The hash slot of a key: CRC16-XMODEM of the key, or of the part between the first '{' and the
// next '}' when that part is not empty, modulo 16384.
int KeySlot(std::string_view key);

struct Node {
  std::string id;  // 40 hex digits
  std::string ip;
  int port = 0;
  int bus_port = 0;  // shown in CLUSTER NODES only: ringkv has no cluster bus
  uint64_t config_epoch = 0;
};

struct Topology {
  std::vector<Node> nodes;
  int self = -1;  // index of this node in nodes
  // Owner of each slot: an index into nodes, or -1 when no node serves it.
  std::vector<int16_t> owner = std::vector<int16_t>(kSlots, -1);
  // Slots this node owns and is moving to another node (CLUSTER SETSLOT MIGRATING), and slots
  // it is receiving (IMPORTING): slot -> the other node's index.
  absl::btree_map<int, int> migrating;
  absl::btree_map<int, int> importing;
  uint64_t current_epoch = 0;
  // SlotsAssigned() as of publication (ClusterState sets it; -1: count when asked), so the
  // routing of each command does not count 16384 slots.
  int assigned = -1;

  const Node& me() const { return nodes[static_cast<size_t>(self)]; }
  // Index of the node with this id (any case), or -1.
  int FindNode(std::string_view id) const;
  int SlotsAssigned() const;
  // Slot ranges [first, last] owned by node `index`, ascending.
  std::vector<std::pair<int, int>> Ranges(int index) const;
  // Nodes that own at least one slot.
  int Size() const;
};

// One node owning every slot: single-node cluster mode.
Topology SingleNode(std::string id, std::string ip, int port, int bus_port);

// The CLUSTER NODES text: one line per node ending in "\n", this node flagged myself, its
// migrating and importing slots as [slot->-id] / [slot-<-id]. With `vars`, a last line
// "vars currentEpoch N lastVoteEpoch 0" as in nodes.conf.
std::string FormatNodes(const Topology& t, bool vars);

// Parses nodes.conf / CLUSTER NODES text: lines "<id> <ip>:<port>[@<bus-port>][,<hostname>]
// <flags> <master> <ping-sent> <pong-received> <config-epoch> <link-state> [slot | first-last |
// [slot->-id] | [slot-<-id]] ...", optional "vars currentEpoch N ..." and # comments. This node
// is, in this order of preference: the line with id `self_id` (when not empty); the line flagged
// myself (when use_myself_flag); the line whose address is self_ip:self_port. Only master nodes
// are accepted (ringkv has no replicas).
absl::StatusOr<Topology> ParseNodes(std::string_view text, std::string_view self_id,
                                    bool use_myself_flag, std::string_view self_ip, int self_port);

// 40 random lowercase hex digits.
std::string RandomNodeId();

// True if `id` is 40 hex digits.
bool ValidNodeId(std::string_view id);

}  // namespace ringkv::server::cluster
