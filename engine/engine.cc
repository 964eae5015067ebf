// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Engine core: construction, shard selection and locking, the basic single-key operations the
// server started with (GET, SET, DEL, EXISTS, DBSIZE), flushing, statistics and the periodic
// active-expiry tick. String commands live in strings.cc, keyspace commands in keyspace.cc,
// SCAN/KEYS/RANDOMKEY in scan.cc.
#include "engine/engine.h"

#include <algorithm>
#include <bit>
#include <chrono>
#include <limits>

#include "engine/background_freer.h"
#include "engine/key_lock.h"

namespace ringkv::engine {

OpResult<int64_t> ToAbsoluteMs(int64_t value, bool seconds, bool relative, int64_t now_ms) {
  int64_t ms = value;
  if (seconds) {
    if (value > std::numeric_limits<int64_t>::max() / 1000 ||
        value < std::numeric_limits<int64_t>::min() / 1000) {
      return OpStatus::kInvalidExpire;
    }
    ms = value * 1000;
  }
  if (relative) {
    if ((ms > 0 && now_ms > std::numeric_limits<int64_t>::max() - ms) ||
        (ms < 0 && now_ms < std::numeric_limits<int64_t>::min() - ms)) {
      return OpStatus::kInvalidExpire;
    }
    ms += now_ms;
  }
  return ms;
}

Engine::Engine(const EngineOptions& options, const Clock* clock)
    : clock_(clock),
      hash_fn_(options.hash_fn != nullptr ? options.hash_fn : &HashKey),
      databases_(std::max(1, options.databases)),
      shards_per_db_(static_cast<int>(
          std::bit_ceil(static_cast<unsigned>(std::max(1, options.shards_per_db))))),
      shard_bits_(std::countr_zero(static_cast<unsigned>(shards_per_db_))),
      max_string_length_(options.max_string_length) {
  size_t n = static_cast<size_t>(databases_) * static_cast<size_t>(shards_per_db_);
  shards_.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    shards_.push_back(std::make_unique<Shard>(shard_bits_, hash_fn_, &BackgroundFreer::FreeArray));
    shards_.back()->set_expired_hook(&expired_hook_, &fields_expired_hook_,
                                     static_cast<int>(i) / shards_per_db_);
  }
}

Engine::~Engine() = default;

void Engine::Prefetch(int db, uint64_t hash) const {
  Shard& s = ShardFor(db, hash);
  s.PrefetchTable(hash);
}

OpStatus Engine::Get(int db, std::string_view key, absl::FunctionRef<void(std::string_view)> fn) {
  return Get(db, Hash(key), key, fn);
}

OpStatus Engine::Get(int db, uint64_t hash, std::string_view key,
                     absl::FunctionRef<void(std::string_view)> fn) {
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  Slot* slot = s.LookupRead(hash, key, Now());
  if (slot == nullptr) return OpStatus::kNotFound;
  if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
  char buf[kIntBufSize];
  fn(slot->entry()->StringValue(buf));
  return OpStatus::kOk;
}

OpStatus Engine::SetLocked(Shard& s, uint64_t hash, std::string_view key, std::string_view value,
                           const SetParams& params, std::optional<std::string>* old, int64_t now) {
  Slot* slot = s.Lookup(hash, key, now);
  if (old != nullptr) {
    old->reset();
    if (slot != nullptr) {
      if (slot->entry()->type() != ValueType::kString) return OpStatus::kWrongType;
      char buf[kIntBufSize];
      old->emplace(slot->entry()->StringValue(buf));
    }
  }
  if (params.condition == SetParams::Condition::kIfAbsent && slot != nullptr) {
    return OpStatus::kSkipped;
  }
  if (params.condition == SetParams::Condition::kIfPresent && slot == nullptr) {
    return OpStatus::kSkipped;
  }
  int64_t expire = params.expire_at_ms;
  if (params.keep_ttl)
    expire = (slot != nullptr && slot->entry()->has_expire()) ? slot->entry()->expire_ms() : 0;
  if (expire != 0 && expire <= now) {
    // Written and already expired: Redis replies OK and the key is gone.
    if (slot != nullptr) s.Erase(hash, key);
    return OpStatus::kOk;
  }
  if (slot == nullptr) {
    s.Insert(hash, Entry::NewString(key, value, expire), now);
  } else {
    s.Mutate(slot,
             [&](Entry* e) { return Entry::WithExpire(Entry::ReplaceString(e, value), expire); });
  }
  return OpStatus::kOk;
}

OpStatus Engine::Set(int db, std::string_view key, std::string_view value,
                     const SetParams& params) {
  return Set(db, Hash(key), key, value, params);
}

OpStatus Engine::Set(int db, uint64_t hash, std::string_view key, std::string_view value,
                     const SetParams& params) {
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  return SetLocked(s, hash, key, value, params, nullptr, Now());
}

OpStatus Engine::Set(int db, std::string_view key, std::string_view value, const SetParams& params,
                     std::optional<std::string>* old) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  return SetLocked(s, hash, key, value, params, old, Now());
}

bool Engine::Del(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  if (s.Lookup(hash, key, Now(), false) == nullptr) return false;
  return s.Erase(hash, key);
}

bool Engine::Exists(int db, std::string_view key) {
  uint64_t hash = Hash(key);
  size_t idx = ShardIndex(db, hash);
  Shard& s = *shards_[idx];
  ShardLock lock(s, idx);
  return s.Lookup(hash, key, Now(), false) != nullptr;
}

size_t Engine::DbSize(int db) {
  size_t n = 0;
  for (size_t i = 0; i < static_cast<size_t>(shards_per_db_); ++i) {
    size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i;
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    n += s.size();
  }
  return n;
}

void Engine::FlushShard(Shard& s, bool async) {
  if (!async) {
    s.Clear();
    return;
  }
  auto contents = s.Take();
  BackgroundFreer::Global().Submit([c = std::move(contents)]() mutable { c->FreeAll(); });
}

void Engine::FlushDb(int db, bool async) {
  for (size_t i = 0; i < static_cast<size_t>(shards_per_db_); ++i) {
    size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i;
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    FlushShard(s, async);
  }
}

void Engine::FlushAll(bool async) {
  // All shards at once, so no reader sees some databases flushed and others not.
  KeyLock all(*this, KeyLock::AllTag{});
  for (auto& shard : shards_) {
    Shard& s = *shard;
    s.mu.AssertHeld();
    FlushShard(s, async);
  }
}

void Engine::WaitForBackgroundWork() { BackgroundFreer::Global().Drain(); }

size_t Engine::UsedMemory() { return Stats().used_memory; }

uint64_t Engine::Changes() {
  uint64_t n = 0;
  for (auto& shard : shards_) {
    absl::MutexLock lock(&shard->mu);
    n += shard->changes();
  }
  return n;
}

void Engine::Reserve(int db, size_t keys) {
  const size_t per_shard = keys / static_cast<size_t>(shards_per_db_);
  for (size_t i = 0; i < static_cast<size_t>(shards_per_db_); ++i) {
    Shard& s = ShardAt(db, i);
    absl::MutexLock lock(&s.mu);
    // Keys spread evenly by hash; leave room for the spread (a few standard deviations).
    s.table().Reserve(per_shard + per_shard / 16 + 64);
  }
}

void Engine::StoreEntry(int db, Entry* e) {
  const std::pair<int, Entry*> one{db, e};
  StoreEntries(std::span<const std::pair<int, Entry*>>(&one, 1));
}

void Engine::StoreEntries(std::span<const std::pair<int, Entry*>> entries) {
  if (entries.empty()) return;
  const int64_t now = Now();
  size_t i = 0;
  uint64_t hash = Hash(entries[0].second->key());
  while (i < entries.size()) {
    const size_t idx = ShardIndex(entries[i].first, hash);
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    for (;;) {
      Entry* e = entries[i].second;
      const std::string_view key = e->key();
      if (s.Lookup(hash, key, now, false) != nullptr) s.Erase(hash, key);
      s.Insert(hash, e, now);
      if (++i == entries.size()) break;
      hash = Hash(entries[i].second->key());
      if (ShardIndex(entries[i].first, hash) != idx) break;
    }
  }
}

EngineStats Engine::Stats() {
  EngineStats st;
  for (size_t idx = 0; idx < shards_.size(); ++idx) {
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    st.keys += s.size();
    st.expires += s.expires().size();
    st.used_memory += s.memory();
    st.rehashing_shards += s.table().rehashing() ? 1 : 0;
    st.field_expiry_keys += s.field_expires().size();
    const ShardStats& ss = s.stats();
    st.totals.keyspace_hits += ss.keyspace_hits;
    st.totals.keyspace_misses += ss.keyspace_misses;
    st.totals.expired_keys += ss.expired_keys;
    st.totals.expired_fields += ss.expired_fields;
    st.totals.evicted_keys += ss.evicted_keys;
  }
  return st;
}

KeyspaceInfo Engine::Keyspace(int db) {
  KeyspaceInfo info;
  double weighted = 0;
  double weight = 0;
  for (size_t i = 0; i < static_cast<size_t>(shards_per_db_); ++i) {
    size_t idx = static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i;
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    info.keys += s.size();
    info.expires += s.expires().size();
    weighted += static_cast<double>(s.avg_ttl_ms()) * static_cast<double>(s.expires().size());
    if (s.avg_ttl_ms() > 0) weight += static_cast<double>(s.expires().size());
  }
  if (weight > 0) info.avg_ttl_ms = static_cast<int64_t>(weighted / weight);
  return info;
}

namespace {
// Fields of one hash expired under one budget check; bounds the time between checks.
constexpr size_t kFieldsPerSlice = 256;
}  // namespace

ExpireCycleResult Engine::ActiveExpireCycle(const ExpireCycleOptions& options) {
  ExpireCycleResult result;
  auto start = std::chrono::steady_clock::now();
  auto out_of_time = [&] {
    if (options.time_budget_us <= 0) return false;
    auto spent = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - start);
    return spent.count() >= options.time_budget_us;
  };
  absl::MutexLock cycle(&cycle_mu_);
  int64_t now = Now();
  size_t fields_done = 0;  // work units of the field pass: fields removed, at least 1 per hash
  for (size_t visited = 0; visited < shards_.size(); ++visited) {
    size_t idx = cycle_next_;
    cycle_next_ = (cycle_next_ + 1) % shards_.size();
    Shard& s = *shards_[idx];
    ShardLock lock(s, idx);
    // Idle shards still finish their rehash, as Redis's cron does; 64 groups (at most 1024 keys
    // moved) bounds how long one tick holds the lock.
    s.table().RehashStep(64);
    // Hashes with fields due, earliest first, until none is due or the budget is spent. A large
    // hash is worked through in slices so the time budget is checked between them.
    for (;;) {
      if (fields_done >= options.max_fields || out_of_time()) {
        result.budget_exhausted = true;
        return result;
      }
      size_t removed = 0;
      size_t slice = std::min(kFieldsPerSlice, options.max_fields - fields_done);
      if (!s.ExpireFieldsStep(now, slice, &removed)) break;
      result.expired_fields += removed;
      fields_done += std::max<size_t>(removed, 1);
    }
    for (;;) {
      if (result.sampled >= options.max_sampled || out_of_time()) {
        result.budget_exhausted = true;
        return result;
      }
      size_t want = std::min(options.keys_per_round, options.max_sampled - result.sampled);
      size_t sampled = 0;
      size_t expired = s.ExpireRound(now, want, &cycle_rng_, &sampled);
      result.sampled += sampled;
      result.expired += expired;
      // Stop on this shard once at most 25% of a sample was stale.
      if (sampled == 0 || expired * 4 <= sampled) break;
    }
  }
  return result;
}

}  // namespace ringkv::engine
