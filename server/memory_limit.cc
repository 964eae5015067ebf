// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory enforcement; see memory_limit.h.
#include "server/memory_limit.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>

#include "server/process_stats.h"
#include "server/pubsub.h"

namespace ringkv::server {

namespace {

// Redis's evictionTimeLimitUs: 500 us at tenacity 10, 15% more per step, no limit at 100.
int64_t EvictionBudgetUs(int tenacity) {
  if (tenacity >= 100) return -1;
  if (tenacity <= 10) return 50 * static_cast<int64_t>(tenacity);
  return static_cast<int64_t>(500.0 * std::pow(1.15, tenacity - 10));
}

}  // namespace

engine::AccessTracking TrackingFor(int64_t maxmemory, const std::string& policy,
                                   int64_t lfu_log_factor, int64_t lfu_decay_time) {
  engine::EvictionPolicy p = engine::EvictionPolicy::kNoEviction;
  engine::ParseEvictionPolicy(policy, &p);
  engine::AccessTracking t;
  t.lfu = p == engine::EvictionPolicy::kAllKeysLfu || p == engine::EvictionPolicy::kVolatileLfu;
  t.admission = maxmemory > 0 && (p == engine::EvictionPolicy::kAllKeysLru ||
                                  p == engine::EvictionPolicy::kAllKeysLfu);
  t.lfu_log_factor = static_cast<int>(std::min<int64_t>(lfu_log_factor, INT32_MAX));
  t.lfu_decay_time = static_cast<int>(std::min<int64_t>(lfu_decay_time, INT32_MAX));
  return t;
}

int64_t UsedMemoryForLimit(ServerContext& server) {
  const int64_t limit = server.live.maxmemory.load(std::memory_order_relaxed);
  const int64_t overhead = server.stats.memory_overhead.load(std::memory_order_relaxed);
  // The allocator's normal slack (partly filled pages of each size class: about a megabyte
  // whatever the data, then a percent or two) is tolerated uncounted; the rest counts, at most
  // half of maxmemory.
  const int64_t slack = std::max<int64_t>(limit / 50, 1 << 20);
  const int64_t counted = std::clamp<int64_t>(overhead - slack, 0, limit / 2);
  return static_cast<int64_t>(server.engine->ApproxUsedMemory()) +
         server.stats.client_memory.load(std::memory_order_relaxed) + counted;
}

void UpdateMemoryOverhead(ServerContext& server) {
  // The first measurement, the process as it started: code, libraries, thread stacks, the
  // receive buffers, the empty tables.
  static const bool jemalloc = AllocatorName() != "libc";
  ServerStats& st = server.stats;
  if (!jemalloc || server.live.maxmemory.load(std::memory_order_relaxed) <= 0) {
    st.memory_overhead.store(0, std::memory_order_relaxed);
    return;
  }
  const int64_t accounted = static_cast<int64_t>(server.engine->ApproxUsedMemory()) +
                            st.client_memory.load(std::memory_order_relaxed);
  const int64_t rss = AnonRssBytes();
  if (st.overhead_rss_base < 0) {
    st.overhead_rss_base = rss;
    st.overhead_accounted_base = accounted;
  }
  const int64_t overhead = (rss - st.overhead_rss_base) - (accounted - st.overhead_accounted_base);
  st.memory_overhead.store(std::max<int64_t>(0, overhead), std::memory_order_relaxed);
}

bool EnforceMaxmemory(ServerContext& server) {
  const int64_t limit = server.live.maxmemory.load(std::memory_order_relaxed);
  if (limit <= 0) return true;
  engine::Engine& engine = *server.engine;
  const int64_t counted = UsedMemoryForLimit(server);
  if (counted <= limit) return true;
  // What the engine must shed: the part of the count beyond the limit.
  size_t used = static_cast<size_t>(counted);
  const auto policy = static_cast<engine::EvictionPolicy>(
      server.live.maxmemory_policy.load(std::memory_order_relaxed));
  if (policy == engine::EvictionPolicy::kNoEviction) return false;
  const int samples = server.live.maxmemory_samples.load(std::memory_order_relaxed);
  const int64_t budget_us =
      EvictionBudgetUs(server.live.maxmemory_eviction_tenacity.load(std::memory_order_relaxed));
  thread_local uint64_t rng = 0x9E3779B97F4A7C15ULL ^ reinterpret_cast<uintptr_t>(&rng);
  thread_local engine::Engine::EvictionPool pool;
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (size_t n = 0; used > static_cast<size_t>(limit); ++n) {
    engine::Engine::Evicted out;
    if (!engine.EvictOne(policy, samples, &rng, &pool, &out)) {
      // Nothing qualifies (volatile-* without TTL keys), or the chosen key went meanwhile.
      if (++failures >= 3) return false;
      continue;
    }
    NotifyKeyspaceEvent(server, kNotifyEvicted, "evicted", out.db, out.key);
    if (server.tracking.active()) {
      const std::string_view keys[] = {out.key};
      server.tracking.Invalidate(0, keys);
    }
    used = used > out.bytes ? used - out.bytes : 0;
    // The time check every 16 keys, as Redis does. Out of time but still freeing memory, the
    // command runs (Redis's EVICT_RUNNING) and the next commands evict further.
    if (budget_us >= 0 && (n & 15) == 15 &&
        std::chrono::steady_clock::now() - start > std::chrono::microseconds(budget_us)) {
      return true;
    }
  }
  return true;
}

}  // namespace ringkv::server
