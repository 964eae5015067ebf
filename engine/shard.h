// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Shard: one lock, one table, one expiry index, one field-expiry index (hashes with field TTLs),
// statistics and a memory counter. Engine operations lock a shard and then use these primitives,
// which keep the table, both indexes and the memory counter consistent with each other. Nothing
// here knows about commands.
//
// Thread safety: every method REQUIRES mu (checked by clang's -Wthread-safety).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "engine/access_tracking.h"
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
  uint64_t evicted_keys = 0;  // removed to stay under maxmemory (Engine::EvictOne)
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

// A snapshot's view of one shard (engine/snapshot.h): copy-on-write at key granularity. The
// snapshot's writer walks the table in position order (Table::Scan); keys before `cursor` have
// been written. The first change after the snapshot began to a key not yet written saves the
// key's value as it was (a deep copy, or "absent" for a key the change creates), and the writer
// takes the saved version instead of the live one. Memory beyond the data set is therefore the
// keys changed during the snapshot ahead of the writer, each saved once, released as written.
// A key of ShardSnapshotState::saved: (table position, key), looked up by string_view too.
struct SavedKey {
  uint64_t pos;
  std::string_view key;
};
struct SavedKeyLess {
  using is_transparent = void;
  template <typename A, typename B>
  bool operator()(const A& a, const B& b) const {
    if (Pos(a) != Pos(b)) return Pos(a) < Pos(b);
    return Key(a) < Key(b);
  }
  static uint64_t Pos(const SavedKey& k) { return k.pos; }
  static uint64_t Pos(const std::pair<uint64_t, std::string>& k) { return k.first; }
  static std::string_view Key(const SavedKey& k) { return k.key; }
  static std::string_view Key(const std::pair<uint64_t, std::string>& k) { return k.second; }
};

// Bytes of the copies a snapshot holds, over all shards, and the most it held at once.
struct SnapshotMemory {
  std::atomic<size_t> current{0};
  std::atomic<size_t> peak{0};
  void Add(size_t n) {
    const size_t now = current.fetch_add(n, std::memory_order_relaxed) + n;
    size_t p = peak.load(std::memory_order_relaxed);
    while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {
    }
  }
  void Sub(size_t n) { current.fetch_sub(n, std::memory_order_relaxed); }
};

struct ShardSnapshotState {
  int64_t start_ms = 0;  // keys expired at this time are not written
  uint64_t cursor = 0;   // table positions below this have been written
  bool done = false;     // the whole shard has been written
  // Every entry present at the start is in `saved` (after a whole-shard change: FLUSH, SWAPDB);
  // the writer then takes only `saved`, and changes need no more copies.
  bool frozen = false;
  // By (table position, key). nullptr: the key did not exist when the snapshot began.
  std::map<std::pair<uint64_t, std::string>, Entry*, SavedKeyLess> saved;
  size_t saved_bytes = 0;            // SavedCost of everything in `saved`
  SnapshotMemory* memory = nullptr;  // the snapshot's totals; REQUIRED

  // What one entry of `saved` costs: its map node (about 80 bytes), the key and the copy.
  static size_t SavedCost(std::string_view key, const Entry* copy) {
    return 80 + key.size() + (copy != nullptr ? copy->MemoryUsage() : 0);
  }
  void Account(size_t n) {
    saved_bytes += n;
    memory->Add(n);
  }
  void Release(size_t n) {
    saved_bytes -= n;
    memory->Sub(n);
  }
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
  // With touch, finding the key also counts a use in the admission sketch (set_tracking).
  Slot* LookupRead(uint64_t hash, std::string_view key, int64_t now_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Adds an entry for a key that is not present (REQUIRES: Lookup returned nullptr). The access
  // bits are set for a new key (the LRU clock or the initial LFU data), or to `lru` when given
  // (RENAME and MOVE keep the value's idle time or frequency).
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
    ++changes_;
    if (snap_ != nullptr) [[unlikely]]
      SaveForSnapshot(hash_fn_(old->key()), old->key());
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

  // Call before changing the value of `key` in place (Insert, Detach and Mutate do it
  // themselves): counts a change and, while a snapshot runs, saves the value it is about to lose.
  void BeforeChange(uint64_t hash, std::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    ++changes_;
    if (snap_ != nullptr) [[unlikely]]
      SaveForSnapshot(hash, key);
  }
  // Copies memory() and size() where other threads read them without the lock (maxmemory
  // checks). Called as the shard's lock is released, when publishing is on (maxmemory set: it
  // costs a few dozen instructions per command otherwise spent for nothing).
  void MaybePublish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    if (publish_) Publish();
  }
  void set_publish(bool on) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    publish_ = on;
    Publish();
  }
  // Out of line: the common case (no maxmemory) must not pay for it in the inlined lock code.
  ABSL_ATTRIBUTE_NOINLINE void Publish() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  size_t published_memory() const { return published_memory_.load(std::memory_order_relaxed); }
  size_t published_size() const { return published_size_.load(std::memory_order_relaxed); }
  size_t published_expires() const { return published_expires_.load(std::memory_order_relaxed); }
  // Whether the admission window holds more keys than its target (eviction contests them).
  bool published_window_full() const {
    return published_window_full_.load(std::memory_order_relaxed);
  }

  // What accesses update (access_tracking.h): the LRU clock or LFU data, and the admission
  // filter or not. Creating the filter sizes its sketch for the keys present.
  void set_tracking(const AccessTracking& t) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  const AccessTracking& tracking() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return tracking_; }
  // The admission filter, or nullptr when tracking().admission is off.
  AdmissionFilter* admission() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return admit_.get(); }

  // Changes made to this shard since it was created: every insertion, removal and in-place
  // change of a key (rdb_changes_since_last_save).
  uint64_t changes() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return changes_; }
  // The running snapshot's state, or nullptr (engine/snapshot.cc attaches and detaches it).
  ShardSnapshotState* snapshot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return snap_.get(); }
  void set_snapshot(std::unique_ptr<ShardSnapshotState> s) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // The table position of a hash (the order Table::Scan walks).
  uint64_t Position(uint64_t hash) const { return shift_ == 0 ? hash : hash << shift_; }
  Table::HashFn hash_function() const { return hash_fn_; }

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
  // Bytes: entries and their values, table arrays, expiry indexes, the admission filter.
  size_t memory() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
    return memory_ + table_.bytes() + expires_.bytes() + field_expires_.bytes() +
           (admit_ != nullptr ? admit_->bytes() : 0);
  }

 private:
  void AfterMutate(bool had, uint32_t idx, Entry* n) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // A touching lookup's access under LFU or admission tracking (out of line: the default LRU
  // clock update stays the only work in the inlined path).
  ABSL_ATTRIBUTE_NOINLINE void Touch(Slot* slot, uint64_t hash, int64_t now_ms)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  ABSL_ATTRIBUTE_NOINLINE void InsertedTracked(uint64_t hash, std::string_view key)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Saves the current value of `key` (or "absent") for the running snapshot if the snapshot has
  // not written the key yet and has no saved version of it.
  void SaveForSnapshot(uint64_t hash, std::string_view key) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
  // Before a change to the whole shard: saves every entry the snapshot has not written yet.
  void FreezeForSnapshot() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

  int shift_;
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
  uint64_t changes_ ABSL_GUARDED_BY(mu) = 0;
  bool publish_ ABSL_GUARDED_BY(mu) = false;
  std::atomic<size_t> published_memory_{0};
  std::atomic<size_t> published_size_{0};
  std::atomic<size_t> published_expires_{0};
  std::atomic<bool> published_window_full_{false};
  std::unique_ptr<ShardSnapshotState> snap_ ABSL_GUARDED_BY(mu);
  AccessTracking tracking_ ABSL_GUARDED_BY(mu);
  bool track_extra_ ABSL_GUARDED_BY(mu) = false;  // tracking_.lfu || tracking_.admission
  uint64_t track_rng_ ABSL_GUARDED_BY(mu) = 0x853C49E6748FEA9BULL;  // LFU increments
  std::unique_ptr<AdmissionFilter> admit_ ABSL_GUARDED_BY(mu);
};

}  // namespace ringkv::engine
