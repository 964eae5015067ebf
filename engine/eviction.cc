// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory eviction: the approximate used memory read without locks, and the choice and removal
// of one key by policy: Redis's sampling into a pool of candidates, with the W-TinyLFU admission
// filter in front under allkeys-lru/lfu (access_tracking.h, docs/eviction.md). The LRU clock or
// LFU data lives in each table slot (table.h), the TTL in the entry.
#include <algorithm>
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

void Engine::SetAccessTracking(const AccessTracking& tracking) {
  for (auto& s : shards_) {
    absl::MutexLock lock(&s->mu);
    s->set_tracking(tracking);
    s->MaybePublish();
  }
}

size_t Engine::AdmissionMemory() {
  size_t n = 0;
  for (auto& s : shards_) {
    absl::MutexLock lock(&s->mu);
    if (s->admission() != nullptr) n += s->admission()->bytes();
  }
  return n;
}

void Engine::EvictionPool::Offer(uint64_t score, size_t shard, std::string_view key) {
  for (const Candidate& c : entries) {
    if (c.shard == shard && c.key == key) return;
  }
  if (entries.size() >= kSize) {
    if (score <= entries.front().score) return;
    entries.erase(entries.begin());
  }
  auto at = std::upper_bound(entries.begin(), entries.end(), score,
                             [](uint64_t v, const Candidate& c) { return v < c.score; });
  entries.insert(at, Candidate{score, shard, std::string(key)});
}

size_t Engine::DrawShard(bool volatile_only, uint64_t* rng) const {
  // In proportion to the shards' keys (as last published, without locks), so every key has
  // about the same chance to be sampled wherever it lives (for the volatile policies, to their
  // keys with a TTL).
  auto weight = [&](size_t i) {
    return volatile_only ? shards_[i]->published_expires() : shards_[i]->published_size();
  };
  const size_t count = shards_.size();
  size_t total = 0;
  for (size_t i = 0; i < count; ++i) total += weight(i);
  if (total == 0) return count;
  size_t pick = static_cast<size_t>(Next(rng) % total);
  size_t idx = 0;
  while (idx + 1 < count && pick >= weight(idx)) {
    pick -= weight(idx);
    ++idx;
  }
  return idx;
}

uint64_t Engine::EvictionScore(EvictionPolicy policy, Shard& s, const Entry* e, uint16_t bits,
                               int64_t now) {
  switch (policy) {
    case EvictionPolicy::kVolatileTtl:
      // The soonest expiry first.
      return std::numeric_limits<uint64_t>::max() - static_cast<uint64_t>(e->expire_ms());
    case EvictionPolicy::kAllKeysLfu:
    case EvictionPolicy::kVolatileLfu:
      // The least frequently used first (Redis: 255 - counter), then the longest idle.
      return ((255u - LfuDecayed(bits, now, s.tracking().lfu_decay_time)) << 8) |
             static_cast<uint8_t>(LfuMinutes(now) - static_cast<uint8_t>(bits >> 8));
    default:
      // Idle seconds on the 16-bit clock (wraps after 18.2 hours, as documented in shard.h).
      return static_cast<uint16_t>(LruClock(now) - bits) + 1u;
  }
}

bool Engine::Remove(size_t shard_index, std::string_view key, bool volatile_only, Evicted* out) {
  Shard& s = *shards_[shard_index];
  ShardLock lock(s, shard_index);
  return RemoveLocked(s, shard_index, key, volatile_only, out);
}

bool Engine::RemoveLocked(Shard& s, size_t shard_index, std::string_view key, bool volatile_only,
                          Evicted* out) {
  const uint64_t hash = hash_fn_(key);
  Slot* slot = s.table().Find(hash, key);
  if (slot == nullptr || (volatile_only && !slot->entry()->has_expire())) return false;
  Entry* e = s.Detach(hash, key);
  ++s.stats().evicted_keys;
  out->db = static_cast<int>(shard_index / static_cast<size_t>(shards_per_db_));
  out->key.assign(key);
  out->bytes = e->MemoryUsage();
  if (out->bytes > kLazyFreeBytes) {
    BackgroundFreer::Global().Submit([e] { Entry::Free(e); });
  } else {
    Entry::Free(e);
  }
  return true;
}

bool Engine::EvictOne(EvictionPolicy policy, int samples, uint64_t* rng, EvictionPool* pool,
                      Evicted* out) {
  if (policy == EvictionPolicy::kNoEviction) return false;
  const bool volatile_only =
      policy == EvictionPolicy::kVolatileLru || policy == EvictionPolicy::kVolatileLfu ||
      policy == EvictionPolicy::kVolatileRandom || policy == EvictionPolicy::kVolatileTtl;
  const size_t count = shards_.size();
  if (policy == EvictionPolicy::kAllKeysRandom || policy == EvictionPolicy::kVolatileRandom) {
    for (int draw = 0; draw < 8; ++draw) {
      const size_t idx = DrawShard(volatile_only, rng);
      if (idx == count) return false;
      std::string key;
      {
        Shard& s = *shards_[idx];
        ShardLock lock(s, idx);
        const uint64_t r = Next(rng);
        if (volatile_only) {
          if (s.expires().size() == 0) continue;
          key.assign(s.expires().At(r % s.expires().size())->key());
        } else {
          Entry* e = s.table().Random(r);
          if (e == nullptr) continue;
          key.assign(e->key());
        }
      }
      return Remove(idx, key, volatile_only, out);
    }
    return false;
  }
  const int64_t now = Now();
  const int n = std::max(1, samples);
  // Admission: a shard whose window of new keys is full (as last published) gives its oldest
  // key as a candidate, which competes with the policy's victim below. Every shard is looked
  // at, from a random one: a window that overflows must not wait for its shard to be drawn.
  size_t cand_shard = count;
  std::string cand;
  int cand_freq = 0;
  if (!volatile_only) {
    const size_t start = static_cast<size_t>(Next(rng) % count);
    for (size_t k = 0; k < count && cand_shard == count; ++k) {
      const size_t idx = (start + k) % count;
      if (!shards_[idx]->published_window_full()) continue;
      Shard& s = *shards_[idx];
      ShardLock lock(s, idx);
      AdmissionFilter* admit = s.admission();
      if (admit == nullptr) break;  // tracking changed meanwhile
      while (admit->window.size() > AdmissionFilter::WindowTarget(s.size())) {
        std::string k2 = admit->PopOldest();
        const uint64_t h = hash_fn_(k2);
        if (s.table().Find(h, k2) == nullptr) continue;  // gone since it was inserted
        cand_shard = idx;
        cand = std::move(k2);
        cand_freq = admit->sketch.Estimate(h);
        break;
      }
    }
  }
  // Rounds of sampling until the pool yields a victim (its entries may all have gone since they
  // were sampled: Redis's performEvictions loops the same way).
  bool cand_lost = false;
  for (int round = 0; round < 4 && !cand_lost; ++round) {
    for (int draw = 0; draw < 4; ++draw) {
      const size_t idx = DrawShard(volatile_only, rng);
      if (idx == count) break;  // nothing left to sample
      Shard& s = *shards_[idx];
      ShardLock lock(s, idx);
      if (volatile_only ? s.expires().size() == 0 : s.size() == 0) continue;
      for (int i = 0; i < n; ++i) {
        const uint64_t r = Next(rng);
        Entry* e = nullptr;
        uint16_t bits = 0;
        if (volatile_only) {
          e = s.expires().At(r % s.expires().size());
          if (policy != EvictionPolicy::kVolatileTtl) {
            Slot* slot = s.table().Find(hash_fn_(e->key()), e->key());
            if (slot != nullptr) bits = slot->lru();
          }
        } else {
          Slot* slot = s.table().RandomSlot(r);
          if (slot == nullptr) continue;
          e = slot->entry();
          bits = slot->lru();
        }
        pool->Offer(EvictionScore(policy, s, e, bits, now), idx, e->key());
      }
    }
    // The best candidate still present is the victim; stale ones are dropped. Against a window
    // candidate, the one the sketch counts fewer uses for goes; on a tie the policy's victim
    // (keys used equally often go in LRU/LFU order: a new session written once replaces an
    // idle one, as under Redis; TinyLFU's rule, ties against the candidate, measured worse on
    // the shifting workload).
    while (!pool->entries.empty()) {
      EvictionPool::Candidate c = std::move(pool->entries.back());
      pool->entries.pop_back();
      if (cand_shard == count || (c.shard == cand_shard && c.key == cand)) {
        if (Remove(c.shard, c.key, volatile_only, out)) return true;
        continue;
      }
      Shard& s = *shards_[c.shard];
      ShardLock lock(s, c.shard);
      const uint64_t h = hash_fn_(c.key);
      if (s.table().Find(h, c.key) == nullptr) continue;
      const AdmissionFilter* admit = s.admission();
      const int victim_freq = admit != nullptr ? admit->sketch.Estimate(h) : 0;
      if (cand_freq >= victim_freq) return RemoveLocked(s, c.shard, c.key, false, out);
      // The candidate goes; the victim stays the best one known.
      pool->entries.push_back(std::move(c));
      cand_lost = true;
      break;
    }
  }
  if (cand_shard != count) return Remove(cand_shard, cand, false, out);
  return false;
}

}  // namespace ringkv::engine
