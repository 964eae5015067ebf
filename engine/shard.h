// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Shard: one lock, one table, one expiry index, one field-expiry index (hashes with field TTLs),
// statistics and a memory counter. Engine operations lock a shard and then use these primitives,
// which keep the table, both indexes and the memory counter consistent with each other. Nothing
// here knows about commands.
//
// Thread safety: every method REQUIRES mu (checked by clang's -Wthread-safety).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "engine/entry.h"
#include "engine/expiry_index.h"
#include "engine/field_expiry_index.h"
#include "engine/table.h"

namespace ringkv::engine {

struct ShardStats {
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t expired_keys = 0;  // removed because their TTL passed (lazily or actively)
  // Hash fields removed by the active cycle because their TTL passed (the hash commands' lazy
  // removals are not counted here).
  uint64_t expired_fields = 0;
};

// The LRU clock kept in each slot (table.h): seconds, 16 bits, so idle times up to 18.2 hours
// are exact and longer ones wrap (Redis's 24-bit clock wraps after 194 days).
inline uint16_t LruClock(int64_t now_ms) { return static_cast<uint16_t>(now_ms / 1000); }

// A shard's data detached from it (FLUSHALL ASYNC frees it on the background thread).
struct ShardContents {
  explicit ShardContents(Table t) : table(std::move(t)) {}
  Table table;
  ExpiryIndex expires;
  // Frees every entry and the arrays.
  void FreeAll();
};

// Called for each key removed because its TTL passed, lazily or by the active cycle (keyspace
// "expired" events), under the shard's lock; `key` is valid only during the call.
struct ExpiredHook {
  void (*fn)(void* arg, int db, std::string_view key) = nullptr;
  void* arg = nullptr;
};

// Called for each key whose hash fields the active cycle expired (keyspace "hexpired" events,
// then "del" when key_deleted: the last field went and the key with it), under the shard's lock;
// `key` is valid only during the call.
struct FieldsExpiredHook {
  void (*fn)(void* arg, int db, std::string_view key, bool key_deleted) = nullptr;
  void* arg = nullptr;
};

class Shard {
 public:
  Shard(int shift, Table::HashFn hash_fn, Table::FreeFn free_fn);
  ~Shard();
  Shard(const Shard&) = delete;
  Shard& operator=(const Shard&) = delete;

  absl::Mutex mu;

  // The slot of a live key, or nullptr. An expired key is deleted here (lazy expiry): Redis's
  // rule is that a key is expired once now > its expiry time. `touch` updates the LRU clock.
  Slot* Lookup(uint64_t hash, std::string_view key, int64_t now_ms, bool touch = true)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Same, counting a keyspace hit or miss (read commands that report them).
  Slot* LookupRead(uint64_t hash, std::string_view key, int64_t now_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Adds an entry for a key that is not present (REQUIRES: Lookup returned nullptr). The LRU
  // clock is set to now, or to `lru` when given (RENAME and MOVE keep the value's idle time).
  void Insert(uint64_t hash, Entry* e, int64_t now_ms, int32_t lru = -1)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Removes the key's entry from the table and the expiry index and returns it (not freed), or
  // nullptr. Expired or not.
  Entry* Detach(uint64_t hash, std::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Detach and free; true if the key was present.
  bool Erase(uint64_t hash, std::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  // Applies a change that may reallocate the entry: fn(old) returns the entry to keep (old may
  // have been freed by it). Updates the slot, the expiry index and the memory counter.
  template <typename Fn>
  Entry* Mutate(Slot* slot, Fn fn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    Entry* old = slot->entry();
    size_t before = old->MemoryUsage();
    bool had = old->has_expire();
    uint32_t idx = had ? old->expiry_index() : 0;
    bool was_object = old->type() != ValueType::kString;
    Entry* n = fn(old);
    slot->set_entry(n);
    AfterMutate(had, idx, n);
    // A string stays a string (the common case: no index work); an object may have become a
    // string (SET over a hash) or kept its key under a new entry (EXPIRE).
    if (was_object || n->type() != ValueType::kString) SyncFieldExpiry(n);
    memory_ += n->MemoryUsage();
    memory_ -= before;
    return n;
  }
  // Sets (expire_ms > 0) or removes (0) the expiry of the entry in slot.
  Entry* SetExpire(Slot* slot, int64_t expire_ms) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Re-reads an entry's size after its Object changed in place.
  void Reaccount(size_t before, const Entry* e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    memory_ += e->MemoryUsage();
    memory_ -= before;
  }
  // Files the entry's key in the field-expiry index under its object's NextFieldExpiryMs(), or
  // removes it when that is 0 or the entry holds a string. Call after an object changed in place
  // (Insert, Detach and Mutate do it themselves).
  void SyncFieldExpiry(const Entry* e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  // One active-expiry round: samples up to `samples` keys with a TTL at random and deletes the
  // expired ones. Returns how many expired; *sampled receives how many were looked at.
  size_t ExpireRound(int64_t now_ms, size_t samples, uint64_t* rng, size_t* sampled)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Active field expiry for the first hash of the field-expiry index if it has something due
  // (its filed time is before now_ms): removes up to `max_fields` of its expired fields, deletes
  // the key when none is left, re-files it otherwise, and tells the fields-expired hook. A key
  // whose own TTL passed is expired as a whole instead (CountExpired). Returns false, doing
  // nothing, when no hash is due; *fields receives how many fields were removed.
  bool ExpireFieldsStep(int64_t now_ms, size_t max_fields, size_t* fields)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  // Counts one key removed by expiry and tells the hook (set by the engine before any traffic).
  void CountExpired(std::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    ++stats_.expired_keys;
    if (expired_hook_ != nullptr && expired_hook_->fn != nullptr) {
      expired_hook_->fn(expired_hook_->arg, db_, key);
    }
  }
  void set_expired_hook(const ExpiredHook* hook, const FieldsExpiredHook* fields_hook, int db) {
    expired_hook_ = hook;
    fields_expired_hook_ = fields_hook;
    db_ = db;
  }

  // Detaches all data, leaving this shard empty.
  std::unique_ptr<ShardContents> Take() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Table::Prefetch; needs no lock.
  void PrefetchTable(uint64_t hash) const ABSL_NO_THREAD_SAFETY_ANALYSIS { table_.Prefetch(hash); }
  // Exchanges contents with another shard (SWAPDB).
  void SwapContents(Shard& other) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu, other.mu);
  // Frees every entry.
  void Clear() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  Table& table() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return table_; }
  ExpiryIndex& expires() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return expires_; }
  const FieldExpiryIndex& field_expires() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return field_expires_;
  }
  ShardStats& stats() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return stats_; }
  int64_t avg_ttl_ms() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return avg_ttl_ms_; }
  size_t size() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return table_.size(); }
  // Bytes: entries and their values, table arrays, expiry indexes.
  size_t memory() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return memory_ + table_.bytes() + expires_.bytes() + field_expires_.bytes();
  }

 private:
  void AfterMutate(bool had, uint32_t idx, Entry* n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  Table::HashFn hash_fn_;
  Table table_ ABSL_GUARDED_BY(mu);
  ExpiryIndex expires_ ABSL_GUARDED_BY(mu);
  FieldExpiryIndex field_expires_ ABSL_GUARDED_BY(mu);
  ShardStats stats_ ABSL_GUARDED_BY(mu);
  const ExpiredHook* expired_hook_ = nullptr;
  const FieldsExpiredHook* fields_expired_hook_ = nullptr;
  int db_ = 0;
  // Remaining TTL of the keys the expire cycle samples, smoothed as Redis's db->avg_ttl (each
  // round's average weighs 1/50). 0 until a round has seen a live key with a TTL.
  int64_t avg_ttl_ms_ ABSL_GUARDED_BY(mu) = 0;
  size_t memory_ ABSL_GUARDED_BY(mu) = 0;  // sum of Entry::MemoryUsage
};

}  // namespace ringkv::engine
