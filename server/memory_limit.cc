// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory enforcement; see memory_limit.h.
#include "server/memory_limit.h"

#include <chrono>
#include <cmath>

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

bool EnforceMaxmemory(ServerContext& server) {
  const int64_t limit = server.live.maxmemory.load(std::memory_order_relaxed);
  if (limit <= 0) return true;
  engine::Engine& engine = *server.engine;
  size_t used = engine.ApproxUsedMemory();
  if (used <= static_cast<size_t>(limit)) return true;
  const auto policy = static_cast<engine::EvictionPolicy>(
      server.live.maxmemory_policy.load(std::memory_order_relaxed));
  if (policy == engine::EvictionPolicy::kNoEviction) return false;
  const int samples = server.live.maxmemory_samples.load(std::memory_order_relaxed);
  const int64_t budget_us =
      EvictionBudgetUs(server.live.maxmemory_eviction_tenacity.load(std::memory_order_relaxed));
  thread_local uint64_t rng = 0x9E3779B97F4A7C15ULL ^ reinterpret_cast<uintptr_t>(&rng);
  const auto start = std::chrono::steady_clock::now();
  int failures = 0;
  for (size_t n = 0; used > static_cast<size_t>(limit); ++n) {
    engine::Engine::Evicted out;
    if (!engine.EvictOne(policy, samples, &rng, &out)) {
      // Nothing qualifies (volatile-* without TTL keys), or the chosen key went meanwhile.
      if (++failures >= 3) return false;
      continue;
    }
    NotifyKeyspaceEvent(server, kNotifyEvicted, "evicted", out.db, out.key);
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
