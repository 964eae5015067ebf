// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory: before a command runs, a server over its limit evicts keys by maxmemory-policy
// (Engine::EvictOne) for at most the time maxmemory-eviction-tenacity allows, publishing an
// "evicted" keyspace event per key, as Redis's performEvictions does. The memory counted
// (UsedMemoryForLimit) is the engine's used_memory (values, keys, tables, expiry indexes,
// admission filters, read without locks), the clients' buffers, and the resident memory beyond
// both that the process gained since it started (fragmentation, pages the allocator has not
// returned yet), so that the process's RSS stays near maxmemory (docs/eviction.md).
//
// Thread safety: any worker thread, concurrently.
#pragma once

#include <cstdint>
#include <string>

#include "engine/access_tracking.h"
#include "server/server_context.h"

namespace ringkv::server {

// What key accesses must record for these settings: LFU data under the LFU policies (whether
// or not maxmemory is set, so OBJECT FREQ works, as in Redis), and the admission filter under
// allkeys-lru and allkeys-lfu while maxmemory is set.
engine::AccessTracking TrackingFor(int64_t maxmemory, const std::string& policy,
                                   int64_t lfu_log_factor, int64_t lfu_decay_time);

// Bytes counted against maxmemory: data + client buffers + the measured overhead beyond the
// allocator's slack, max(2% of maxmemory, 1 MB) (and at most half of maxmemory, so a burst of
// fragmentation cannot empty the cache).
int64_t UsedMemoryForLimit(ServerContext& server);

// Re-measures ServerStats::memory_overhead: the growth of the process's anonymous resident
// memory since the first call, less the growth of data and client buffers over the same time.
// Only with jemalloc (the release server; sanitizer builds measure nothing) and while
// maxmemory is set. Called by one worker each tick.
void UpdateMemoryOverhead(ServerContext& server);

// False when the server is over maxmemory and cannot evict (noeviction, or no key qualifies for
// the policy): commands flagged denyoom then get -OOM. True otherwise, including when the time
// budget ran out while keys were still being evicted (the next commands go on with it).
bool EnforceMaxmemory(ServerContext& server);

}  // namespace ringkv::server
