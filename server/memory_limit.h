// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory: before a command runs, a server over its limit evicts keys by maxmemory-policy
// (Engine::EvictOne) for at most the time maxmemory-eviction-tenacity allows, publishing an
// "evicted" keyspace event per key, as Redis's performEvictions does. The memory counted is the
// engine's used_memory (values, keys, tables, expiry indexes), read without locks.
//
// Thread safety: any worker thread, concurrently.
#pragma once

#include "server/server_context.h"

namespace ringkv::server {

// False when the server is over maxmemory and cannot evict (noeviction, or no key qualifies for
// the policy): commands flagged denyoom then get -OOM. True otherwise, including when the time
// budget ran out while keys were still being evicted (the next commands go on with it).
bool EnforceMaxmemory(ServerContext& server);

}  // namespace ringkv::server
