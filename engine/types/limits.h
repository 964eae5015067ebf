// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Thresholds at which a collection converts from its compact small encoding to its large one,
// under Redis's directive names. Process-wide (as Redis's server.* fields are): the server sets
// them from the config file and CONFIG SET; typed objects read them when they grow. A change
// applies to collections as they next grow, never converts existing ones back.
#pragma once

#include <atomic>
#include <cstdint>

namespace ringkv::engine {

struct TypeLimits {
  // Default: 512 fields (Redis 7.0's default) / 64 bytes per field name or value.
  std::atomic<int64_t> hash_max_listpack_entries{512};
  std::atomic<int64_t> hash_max_listpack_value{64};
  // Positive: entries per list node; -1..-5: node size 4/8/16/32/64 KiB. Default: -2 (8 KiB).
  std::atomic<int64_t> list_max_listpack_size{-2};
  // Nodes kept uncompressed at each end of a list; 0 = never compress (Redis's default).
  std::atomic<int> list_compress_depth{0};
  // Default: 512 integers.
  std::atomic<int64_t> set_max_intset_entries{512};
  // Default: 128 members / 64 bytes per member.
  std::atomic<int64_t> set_max_listpack_entries{128};
  std::atomic<int64_t> set_max_listpack_value{64};
  // Default: 128 members / 64 bytes per member.
  std::atomic<int64_t> zset_max_listpack_entries{128};
  std::atomic<int64_t> zset_max_listpack_value{64};
  // Stream nodes: at most this many bytes / entries each (0 = no limit). Default: 4096 / 100.
  std::atomic<int64_t> stream_node_max_bytes{4096};
  std::atomic<int64_t> stream_node_max_entries{100};
};

// The process's limits.
TypeLimits& Limits();

}  // namespace ringkv::engine
