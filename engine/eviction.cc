// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory eviction: the approximate used memory read without locks, and the choice and removal
// of one key by policy. Redis's approach (sample a few keys, remove the best candidate): the LRU
// clock lives in each table slot (table.h), the TTL in the entry.
#include <array>
#include <limits>

#include "engine/background_freer.h"
#include "engine/engine.h"

namespace ringkv::engine {

namespace {

constexpr std::array<std::pair<std::string_view, EvictionPolicy>, 8> kPolicies = {{
    {"noeviction", EvictionPolicy::kNoEviction},
    {"allkeys-lru", EvictionPolicy::kAllKeysLru},
    {"allkeys-lfu", EvictionPolicy::kAllKeysLfu},
    {"allkeys-random", EvictionPolicy::kAllKeysRandom},
    {"volatile-lru", EvictionPolicy::kVolatileLru},
    {"volatile-lfu", EvictionPolicy::kVolatileLfu},
    {"volatile-random", EvictionPolicy::kVolatileRandom},
    {"volatile-ttl", EvictionPolicy::kVolatileTtl},
}};

uint64_t Next(uint64_t* rng) {
  uint64_t x = *rng;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  *rng = x;
  return x * 0x2545F4914F6CDD1DULL;
}

}  // namespace

bool ParseEvictionPolicy(std::string_view name, EvictionPolicy* out) {
  for (const auto& [n, p] : kPolicies) {
    if (n.size() == name.size()) {
      bool eq = true;
      for (size_t i = 0; i < n.size() && eq; ++i) {
        char c = name[i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        eq = c == n[i];
      }
      if (eq) {
        *out = p;
        return true;
      }
    }
  }
  return false;
}

std::string_view EvictionPolicyName(EvictionPolicy policy) {
  for (const auto& [n, p] : kPolicies) {
    if (p == policy) return n;
  }
  return "noeviction";
}

void Engine::SetMemoryTracking(bool on) {
  for (auto& s : shards_) {
    absl::MutexLock lock(&s->mu);
    s->set_publish(on);
  }
}

size_t Engine::ApproxUsedMemory() const {
  size_t n = 0;
  for (const auto& s : shards_) n += s->published_memory();
  return n;
}

bool Engine::EvictOne(EvictionPolicy policy, int samples, uint64_t* rng, Evicted* out) {
  if (policy == EvictionPolicy::kNoEviction || policy == EvictionPolicy::kAllKeysLfu ||
      policy == EvictionPolicy::kVolatileLfu) {
    return false;
  }
  const bool volatile_only = policy == EvictionPolicy::kVolatileLru ||
                             policy == EvictionPolicy::kVolatileRandom ||
                             policy == EvictionPolicy::kVolatileTtl;
  const bool random =
      policy == EvictionPolicy::kAllKeysRandom || policy == EvictionPolicy::kVolatileRandom;
  const uint16_t clock = LruClock(Now());
  const size_t count = shards_.size();
  // The best candidate so far: its shard, key and score (higher: evict first).
  size_t best_shard = count;
  std::string best_key;
  uint64_t best_score = 0;
  // Shards are drawn in proportion to their keys (as last published, without locks), so every
  // key has about the same chance to be sampled wherever it lives.
  // (For the volatile policies, in proportion to their keys with a TTL.)
  auto weight = [&](size_t i) {
    return volatile_only ? shards_[i]->published_expires() : shards_[i]->published_size();
  };
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) total += weight(i);
  if (total == 0) return false;
  for (int draw = 0; draw < (random ? 8 : 4); ++draw) {
    size_t pick = static_cast<size_t>(Next(rng) % total);
    size_t idx = 0;
    while (idx + 1 < count && pick >= weight(idx)) {
      pick -= weight(idx);
      ++idx;
    }
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    if (volatile_only ? s.expires().size() == 0 : s.size() == 0) continue;
    const int n = random ? 1 : std::max(1, samples);
    for (int i = 0; i < n; ++i) {
      const uint64_t r = Next(rng);
      Entry* e = nullptr;
      uint16_t lru = 0;
      if (volatile_only) {
        e = s.expires().At(r % s.expires().size());
        if (policy == EvictionPolicy::kVolatileLru) {
          Slot* slot = s.table().Find(hash_fn_(e->key()), e->key());
          if (slot != nullptr) lru = slot->lru();
        }
      } else {
        Slot* slot = s.table().RandomSlot(r);
        if (slot == nullptr) continue;
        e = slot->entry();
        lru = slot->lru();
      }
      uint64_t score = 1;
      if (policy == EvictionPolicy::kVolatileTtl) {
        // The soonest expiry first.
        score = std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(e->expire_ms());
      } else if (!random) {
        // Idle seconds on the 16-bit clock (wraps after 18.2 hours, as documented in shard.h).
        score = static_cast<uint16_t>(clock - lru) + 1u;
      }
      if (best_shard == count || score > best_score) {
        best_shard = idx;
        best_key.assign(e->key());
        best_score = score;
      }
    }
    if (random) break;
  }
  if (best_shard == count) return false;
  Shard& s = *shards_[best_shard];
  ShardLock lock(s, best_shard);
  Entry* e = s.Detach(hash_fn_(best_key), best_key);
  if (e == nullptr) return false;  // gone meanwhile; the caller tries again
  ++s.stats().evicted_keys;
  out->db = static_cast<int>(best_shard / static_cast<size_t>(shards_per_db_));
  out->key = std::move(best_key);
  out->bytes = e->MemoryUsage();
  if (out->bytes > kLazyFreeBytes) {
    BackgroundFreer::Global().Submit([e] { Entry::Free(e); });
  } else {
    Entry::Free(e);
  }
  return true;
}

}  // namespace ringkv::engine
