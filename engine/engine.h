// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Engine: the keyspace. `databases` logical databases, each split into a power-of-two number of
// shards by the high bits of XXH3-64 of the key; each shard has its own lock, table, expiry
// index, statistics and memory counter (engine/shard.h). Operations take keys and values as byte
// views, return OpStatus/OpResult (never error text) and never see sockets or RESP; time comes
// from the injected Clock. Every Redis string and keyspace command is one call here (or, for
// SET's option parsing, one call after a ToAbsoluteMs): see docs/engine.md for the mapping.
//
// Thread safety: every public method is safe to call from any thread. A method locks only the
// shard(s) of the keys it names; multi-key methods lock their shards in ascending order (see
// KeyLock), so they are atomic and cannot deadlock. Callbacks run under shard locks and must not
// call back into the Engine, except under a KeyLock held by the same thread (below).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/clock.h"
#include "engine/entry.h"
#include "engine/object.h"
#include "engine/op_status.h"
#include "engine/shard.h"

namespace ringkv::engine {

struct EngineOptions {
  // Number of logical databases (SELECT 0..databases-1).
  // Default: 16.
  int databases = 16;
  // Shards per database; rounded up to a power of two.
  // Default: 16.
  int shards_per_db = 16;
  // Largest string APPEND and SETRANGE may build (Redis's proto-max-bulk-len).
  // Default: 512 MB.
  size_t max_string_length = size_t{512} << 20;
  // Key hash. Tests inject weak hashes to force collisions; everyone else keeps XXH3.
  // Default: HashKey (XXH3-64).
  Table::HashFn hash_fn = &HashKey;
};

struct SetParams {
  enum class Condition { kAlways, kIfAbsent /* NX */, kIfPresent /* XX */ };
  Condition condition = Condition::kAlways;
  // Absolute expiry in Unix milliseconds; 0 means no expiry (the key's TTL is cleared unless
  // keep_ttl is set). A time already past stores nothing and deletes any old value, as Redis.
  int64_t expire_at_ms = 0;
  bool keep_ttl = false;
};

// EXPIRE options. GT/LT treat a key without a TTL as an infinite TTL (Redis 7).
enum class ExpireCondition { kAlways, kNx, kXx, kGt, kLt };

struct GetExParams {
  enum class Mode { kKeep, kPersist, kSetExpire };
  Mode mode = Mode::kKeep;
  int64_t expire_at_ms = 0;  // for kSetExpire: absolute Unix ms (a past time deletes the key)
};

struct ScanOptions {
  std::string_view pattern;       // MATCH; empty matches everything
  size_t count = 10;              // COUNT: keys examined per call, roughly
  std::optional<ValueType> type;  // TYPE filter
};

struct ObjectInfo {
  ValueType type;
  Encoding encoding;  // OBJECT ENCODING: EncodingName(encoding)
  // Which the slot's access bits hold (access_tracking.h): LFU data (freq valid) or the LRU
  // clock (idle_seconds valid).
  bool lfu = false;
  int64_t idle_seconds = 0;  // OBJECT IDLETIME, from the 16-bit LRU clock of the slot
  int64_t freq = 0;          // OBJECT FREQ: the decayed logarithmic counter
  int64_t refcount = 1;      // OBJECT REFCOUNT: values are never shared
};

struct KeyspaceInfo {
  size_t keys = 0;
  size_t expires = 0;
  // INFO keyspace's avg_ttl: the expire cycle's smoothed estimate of the remaining TTL of keys
  // that have one, in ms, weighted over the shards by their keys with a TTL; 0 when unknown.
  int64_t avg_ttl_ms = 0;
};

struct EngineStats {
  size_t keys = 0;
  size_t expires = 0;
  size_t used_memory = 0;        // entries, values, tables, expiry indexes: allocator sizes
  size_t rehashing_shards = 0;   // shards whose table is being rebuilt incrementally
  size_t field_expiry_keys = 0;  // keys in the field-expiry indexes (hashes with field TTLs)
  ShardStats totals;             // summed over shards
};

struct ExpireCycleOptions {
  // Keys with a TTL sampled per round; another round follows while more than 25% of a round's
  // sample had expired (Redis's ACTIVE_EXPIRE_CYCLE_KEYS_PER_LOOP and acceptable-stale rule).
  // Default: 20.
  size_t keys_per_round = 20;
  // Wall-time budget for the whole call, in microseconds (Redis spends up to 25% of each
  // 100 ms tick). 0 = no time limit. Default: 1000.
  int64_t time_budget_us = 1000;
  // Work budget: at most this many keys sampled in the call. Default: no limit.
  size_t max_sampled = SIZE_MAX;
  // Hash field expiry: at most this many fields removed in the call (each hash visited counts as
  // at least one), within the same time budget. Redis 7.4 bounds its hash-field pass the same
  // way (a quota of fields per cycle). Default: 10000.
  size_t max_fields = 10000;
};

struct ExpireCycleResult {
  size_t sampled = 0;
  size_t expired = 0;
  size_t expired_fields = 0;      // hash fields removed (their hashes were reported to the hook)
  bool budget_exhausted = false;  // stopped early; the next call resumes at the next shard
};

// Converts an EXPIRE/SET-style time argument to absolute Unix ms. `seconds`: the unit is seconds
// (EX, EXAT, EXPIRE, EXPIREAT) rather than ms; `relative`: EX/PX/EXPIRE/PEXPIRE rather than
// *AT. Returns kInvalidExpire when the result overflows int64 ms (Redis: "invalid expire time").
// Range checks specific to a command (SET needs a positive value) stay with the caller.
OpResult<int64_t> ToAbsoluteMs(int64_t value, bool seconds, bool relative, int64_t now_ms);

// Parses a float the way INCRBYFLOAT does (Redis's string2ld: strtold over the whole string, no
// leading space, no NaN, no overflow).
bool ParseLongDouble(std::string_view s, long double* out);
// Formats like Redis's INCRBYFLOAT reply: "%.17Lf" with trailing zeros (and '.') removed.
std::string FormatLongDouble(long double v);

class KeyLock;

// maxmemory-policy (docs/eviction.md).
enum class EvictionPolicy {
  kNoEviction,
  kAllKeysLru,
  kAllKeysLfu,
  kAllKeysRandom,
  kVolatileLru,
  kVolatileLfu,
  kVolatileRandom,
  kVolatileTtl,
};
// Redis's names ("allkeys-lru", ...); false for an unknown name.
bool ParseEvictionPolicy(std::string_view name, EvictionPolicy* out);
std::string_view EvictionPolicyName(EvictionPolicy policy);

// True if the calling thread holds a KeyLock covering the shard with global index `index`.
bool KeyLockHeldCovers(size_t index);

class Engine {
 public:
  // REQUIRES: clock outlives the Engine.
  Engine(const EngineOptions& options, const Clock* clock);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  int databases() const { return databases_; }
  // Calls fn(arg, db, key) for every key removed because its TTL passed (lazily, by the active
  // cycle, or met by SCAN/RANDOMKEY), under that key's shard lock: fn must not call the engine.
  // REQUIRES: called before any other thread uses the engine.
  void SetExpiredHook(void (*fn)(void* arg, int db, std::string_view key), void* arg) {
    expired_hook_.fn = fn;
    expired_hook_.arg = arg;
  }
  // Calls fn(arg, db, key, key_deleted) for every hash whose fields the active cycle expired,
  // once per hash and visit; key_deleted when its last field went and the key with it. Runs under
  // the key's shard lock: fn must not call the engine. (Fields removed by the hash commands
  // themselves, lazily, are the caller's to announce.)
  // REQUIRES: called before any other thread uses the engine.
  void SetFieldsExpiredHook(void (*fn)(void* arg, int db, std::string_view key, bool key_deleted),
                            void* arg) {
    fields_expired_hook_.fn = fn;
    fields_expired_hook_.arg = arg;
  }
  int shards_per_db() const { return shards_per_db_; }
  const Clock& clock() const { return *clock_; }

  // ---- Hashing and prefetch (the server hashes a pipelined batch first). --------------------
  uint64_t Hash(std::string_view key) const { return hash_fn_(key); }
  // Starts loading the table memory a lookup of `hash` will touch. Takes no lock.
  void Prefetch(int db, uint64_t hash) const;

  // ---- Strings. REQUIRES for all db arguments: 0 <= db < databases(). -----------------------
  // GET: calls fn with the value under the shard lock. kOk, kNotFound or kWrongType.
  OpStatus Get(int db, std::string_view key, absl::FunctionRef<void(std::string_view)> fn);
  OpStatus Get(int db, uint64_t hash, std::string_view key,
               absl::FunctionRef<void(std::string_view)> fn);
  // SET with NX/XX/expiry/KEEPTTL (also SETNX, SETEX, PSETEX). kOk when written, kSkipped when
  // the condition said not to write. Any previous value (of any type) is replaced.
  OpStatus Set(int db, std::string_view key, std::string_view value, const SetParams& params);
  OpStatus Set(int db, uint64_t hash, std::string_view key, std::string_view value,
               const SetParams& params);
  // SET ... GET and GETSET: *old receives the previous string value or nullopt when there was
  // none. kWrongType (and nothing written) when the old value is not a string.
  OpStatus Set(int db, std::string_view key, std::string_view value, const SetParams& params,
               std::optional<std::string>* old);
  // GETDEL: the value, then the key is deleted. kNotFound, kWrongType.
  OpResult<std::string> GetDel(int db, std::string_view key);
  // GETEX: the value, and the TTL changed as asked. kNotFound, kWrongType.
  OpResult<std::string> GetEx(int db, std::string_view key, const GetExParams& params);
  // MGET: fn(i, value) per key in order; nullopt for a missing key or a non-string. Atomic.
  void MGet(int db, std::span<const std::string_view> keys,
            absl::FunctionRef<void(size_t, std::optional<std::string_view>)> fn);
  // MSET: atomic across shards (no reader sees a part of it). Later duplicates win.
  void MSet(int db, std::span<const std::pair<std::string_view, std::string_view>> kvs);
  // MSETNX: sets all only if none exists; returns whether it did. Atomic.
  bool MSetNx(int db, std::span<const std::pair<std::string_view, std::string_view>> kvs);
  // INCR/DECR/INCRBY/DECRBY: the new value. A missing key counts as 0. kWrongType,
  // kNotInteger (value is not an int64), kOverflow.
  OpResult<int64_t> IncrBy(int db, std::string_view key, int64_t delta);
  // DECRBY: as IncrBy(-delta); kOverflow for delta == INT64_MIN, as Redis.
  OpResult<int64_t> DecrBy(int db, std::string_view key, int64_t delta);
  // INCRBYFLOAT: the new value as Redis formats it (%.17Lg, trailing zeros trimmed). kWrongType,
  // kNotFloat (value not a float), kNanOrInfinity (result would be NaN or infinite).
  OpResult<std::string> IncrByFloat(int db, std::string_view key, long double delta);
  // APPEND: the new length. kWrongType, kTooLarge (over 512 MB).
  OpResult<size_t> Append(int db, std::string_view key, std::string_view value);
  // STRLEN: 0 for a missing key. kWrongType.
  OpResult<size_t> StrLen(int db, std::string_view key);
  // GETRANGE with Redis's negative-index rules; "" for a missing key. kWrongType.
  OpResult<std::string> GetRange(int db, std::string_view key, int64_t start, int64_t end);
  // SETRANGE: the new length. kWrongType, kOutOfRange (offset < 0), kTooLarge (over 512 MB).
  // An empty value on a missing key creates nothing and returns 0.
  OpResult<size_t> SetRange(int db, std::string_view key, int64_t offset, std::string_view value);
  // SETBIT: the bit's previous value. Bit `offset` counts from the most significant bit of the
  // first byte; a missing key or a shorter string grows with zero bytes to hold it. *changed:
  // the key was created, grew, or the bit flipped (Redis announces the change only then).
  // kWrongType, kTooLarge (the byte past the maximum string length).
  OpResult<bool> SetBit(int db, std::string_view key, uint64_t offset, bool on, bool* changed);

  // ---- Keyspace. ----------------------------------------------------------------------------
  bool Del(int db, std::string_view key);
  // DEL k1 k2 ...: number removed (a key named twice counts once).
  size_t Del(int db, std::span<const std::string_view> keys);
  // UNLINK: as DEL, but large values are freed on the background thread.
  size_t Unlink(int db, std::span<const std::string_view> keys);
  bool Exists(int db, std::string_view key);
  // EXISTS k1 k2 ...: counts a key once per mention, as Redis.
  size_t Exists(int db, std::span<const std::string_view> keys);
  // TOUCH: like EXISTS (counting each mention) and updates the LRU clock.
  size_t Touch(int db, std::span<const std::string_view> keys);
  // TYPE: kNone for a missing key.
  ValueType Type(int db, std::string_view key);
  // RENAME (nx=false) / RENAMENX (nx=true); the TTL moves with the value. kOk, kNotFound (no
  // source), kSkipped (RENAMENX and destination exists, or src == dst for RENAMENX).
  OpStatus Rename(int db, std::string_view src, std::string_view dst, bool nx);
  // COPY [DB dst_db] [REPLACE]. kOk, kNotFound (no source), kSkipped (destination exists and not
  // replace), kSameObject (same key in the same db).
  OpStatus Copy(int src_db, std::string_view src, int dst_db, std::string_view dst, bool replace);
  // MOVE. kOk, kNotFound, kSkipped (exists in dst_db), kSameObject (dst_db == db).
  OpStatus Move(int db, std::string_view key, int dst_db);
  // SWAPDB. kOk, kInvalidDb.
  OpStatus SwapDb(int a, int b);
  // EXPIRE/PEXPIRE/EXPIREAT/PEXPIREAT with an absolute time. kOk (set; or deleted because the
  // time is not in the future), kNotFound, kSkipped (NX/XX/GT/LT said no).
  OpStatus Expire(int db, std::string_view key, int64_t at_ms, ExpireCondition cond);
  // PERSIST. kOk (TTL removed), kNotFound, kSkipped (no TTL).
  OpStatus Persist(int db, std::string_view key);
  // PTTL: remaining ms, -1 without TTL, -2 missing. TTL is (PTTL + 500) / 1000 when >= 0.
  int64_t PTtl(int db, std::string_view key);
  // PEXPIRETIME: absolute ms, -1 without TTL, -2 missing. EXPIRETIME is that / 1000.
  int64_t ExpireTimeMs(int db, std::string_view key);
  // Keys in the database (keys that expired but were not yet reclaimed may count, as Redis).
  size_t DbSize(int db);
  // FLUSHDB / FLUSHALL. async: the data is detached under the locks and freed on the background
  // thread; the keyspace is empty when the call returns either way.
  void FlushDb(int db, bool async);
  void FlushAll(bool async);
  // Blocks until background frees (FLUSH ASYNC, UNLINK, retired tables) have finished.
  void WaitForBackgroundWork();

  // SCAN: calls fn for the keys of one or more steps and returns the next cursor (0: done). A key
  // present for the whole scan is returned exactly once, even while tables grow or shrink.
  uint64_t Scan(int db, uint64_t cursor, const ScanOptions& options,
                absl::FunctionRef<void(std::string_view)> fn);
  // KEYS pattern.
  void Keys(int db, std::string_view pattern, absl::FunctionRef<void(std::string_view)> fn);
  // RANDOMKEY: nullopt when the database is empty.
  std::optional<std::string> RandomKey(int db);

  // OBJECT ENCODING/IDLETIME/REFCOUNT. kNotFound.
  OpResult<ObjectInfo> GetObjectInfo(int db, std::string_view key);
  // MEMORY USAGE: bytes of the entry, its value and its share of the table (one slot and one
  // control byte divided by the load factor). kNotFound.
  OpResult<size_t> MemoryUsage(int db, std::string_view key);

  // ---- Non-string values (hashes, lists, sets, sorted sets). -------------------------------
  // Stores an object under key, replacing any value and clearing the TTL. The entry's encoding
  // tag comes from object->encoding().
  void SetObject(int db, std::string_view key, ValueType type, std::unique_ptr<Object> object);
  // Read access: fn(object) under the shard lock if the key holds `type` (counts a keyspace hit
  // or miss). kNotFound, kWrongType.
  OpStatus ReadObject(int db, std::string_view key, ValueType type,
                      absl::FunctionRef<void(const Object&)> fn);
  // Write access, the one primitive every typed write command is built on. fn(obj) is called
  // with the key's object, or with an empty pointer when the key does not exist, in which case
  // fn may create one by assigning it (or leave it empty to create nothing). fn may also replace
  // the object. Afterwards: an empty pointer or an object that is Empty() deletes the key (its
  // TTL goes with it); otherwise the entry keeps its TTL, takes the object's encoding() and is
  // re-accounted. kWrongType (fn not called) when the key holds another type; kOk otherwise.
  OpStatus UpdateObject(int db, std::string_view key, ValueType type,
                        absl::FunctionRef<void(std::unique_ptr<Object>&)> fn);

  // ---- Maintenance and observability. -------------------------------------------------------
  // One tick of active expiry (and incremental rehash) over the shards, resuming where the last
  // call stopped: per shard, first the hashes whose fields are due (in order of their earliest
  // field expiry, from the shard's field-expiry index), then the sampling of keys with a TTL.
  // Call it periodically (Redis: 10 times a second).
  ExpireCycleResult ActiveExpireCycle(const ExpireCycleOptions& options = {});
  size_t UsedMemory();
  EngineStats Stats();
  // Insertions, removals and in-place changes of keys since the engine was created, over all
  // shards (rdb_changes_since_last_save is the difference from the value at the last save).
  uint64_t Changes();

  // ---- Eviction (engine/eviction.cc). --------------------------------------------------------
  // used_memory as last published by each shard when its lock was released: no locks, a few
  // hundred relaxed loads. Lags a change in progress by that one change.
  // REQUIRES: SetMemoryTracking(true) first; otherwise the figures stay as they were.
  size_t ApproxUsedMemory() const;
  // Turns the per-shard publishing ApproxUsedMemory and EvictOne read on (maxmemory set) or off.
  void SetMemoryTracking(bool on);
  // What key accesses record from now on (access_tracking.h), in every shard.
  void SetAccessTracking(const AccessTracking& tracking);
  // The accounting of the admission filters (sketch and window), over all shards.
  size_t AdmissionMemory();

  // Candidates for eviction kept between calls, best last (Redis's eviction pool): each call
  // samples a few more keys, and the best candidate seen so far goes first. One per caller
  // thread; it holds copies of keys, checked again before anything is removed.
  struct EvictionPool {
    struct Candidate {
      uint64_t score = 0;  // higher: evict first
      size_t shard = 0;
      std::string key;
    };
    static constexpr size_t kSize = 16;
    std::vector<Candidate> entries;  // ascending by score
    void Offer(uint64_t score, size_t shard, std::string_view key);
  };
  // Removes one key chosen by `policy`: for the LRU, LFU and TTL policies the best of the pool
  // after `samples` more keys from each of four shards are offered to it (shards drawn in
  // proportion to their keys, or keys with a TTL); for the random ones a random key. Under
  // allkeys-lru/lfu, when a shard's admission window is full, its oldest key competes with that
  // victim, and the one the sketch counts fewer uses for goes (access_tracking.h). Returns
  // false, removing nothing, when no key
  // qualifies (volatile-* and no key has a TTL) or the chosen one went meanwhile (call again).
  // *out receives the key and its database (for the "evicted" keyspace event) and the bytes
  // freed.
  struct Evicted {
    int db = 0;
    std::string key;
    size_t bytes = 0;
  };
  // REQUIRES: SetMemoryTracking(true) (shards are drawn by their published sizes).
  bool EvictOne(EvictionPolicy policy, int samples, uint64_t* rng, EvictionPool* pool,
                Evicted* out);

  // ---- Snapshots (engine/snapshot.h). -------------------------------------------------------
  // Stores a prepared entry in db, replacing any value under its key (snapshot loading).
  void StoreEntry(int db, Entry* e);
  // The same for many (database, entry) pairs, taking a shard's lock once per run of consecutive
  // entries in that shard and reading the clock once.
  void StoreEntries(std::span<const std::pair<int, Entry*>> entries);
  // Sizes the tables of an empty database for about `keys` keys (Table::Reserve), before a load.
  void Reserve(int db, size_t keys);
  KeyspaceInfo Keyspace(int db);
  // DUMP: appends the snapshot record of (db, key) with its database and expiry fields zeroed
  // (engine/snapshot.h); false (nothing appended) when there is no such key.
  bool DumpRecord(int db, std::string_view key, std::string* out);

 private:
  friend class KeyLock;
  friend class SnapshotReader;

  // The shard's lock for the current scope, unless this thread's KeyLock already holds it.
  class ABSL_SCOPED_LOCKABLE ShardLock {
   public:
    ShardLock(Shard& s, size_t index)
        ABSL_EXCLUSIVE_LOCK_FUNCTION(s.mu) ABSL_NO_THREAD_SAFETY_ANALYSIS
        : s_(s),
          locked_(!KeyLockHeldCovers(index)) {
      if (locked_) s_.mu.Lock();
    }
    ~ShardLock() ABSL_UNLOCK_FUNCTION() ABSL_NO_THREAD_SAFETY_ANALYSIS {
      if (locked_) {
        s_.MaybePublish();
        s_.mu.Unlock();
      }
    }
    ShardLock(const ShardLock&) = delete;
    ShardLock& operator=(const ShardLock&) = delete;

   private:
    Shard& s_;
    bool locked_;
  };

  Shard& ShardFor(int db, uint64_t hash) const { return *shards_[ShardIndex(db, hash)]; }
  size_t ShardIndex(int db, uint64_t hash) const {
    return static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) +
           (shard_bits_ == 0 ? 0 : static_cast<size_t>(hash >> (64 - shard_bits_)));
  }
  Shard& ShardAt(int db, size_t i) const {
    return *shards_[static_cast<size_t>(db) * static_cast<size_t>(shards_per_db_) + i];
  }
  int64_t Now() const { return clock_->NowMs(); }
  // Single-key SET under an already held lock.
  OpStatus SetLocked(Shard& s, uint64_t hash, std::string_view key, std::string_view value,
                     const SetParams& params, std::optional<std::string>* old, int64_t now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);
  // Read-modify-write of a string value: fn(old or nullopt) -> new value.
  template <typename Fn>
  OpStatus RewriteString(Shard& s, uint64_t hash, std::string_view key, int64_t now, bool raw,
                         Fn fn) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);
  void FlushShard(Shard& s, bool async) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);
  size_t DelMany(int db, std::span<const std::string_view> keys, bool async);
  // Eviction helpers (eviction.cc).
  size_t DrawShard(bool volatile_only, uint64_t* rng) const;
  uint64_t EvictionScore(EvictionPolicy policy, Shard& s, const Entry* e, uint16_t bits,
                         int64_t now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);
  // Evicts `key` of the shard if present (and, volatile_only, if it has a TTL).
  bool Remove(size_t shard_index, std::string_view key, bool volatile_only, Evicted* out);
  bool RemoveLocked(Shard& s, size_t shard_index, std::string_view key, bool volatile_only,
                    Evicted* out) ABSL_EXCLUSIVE_LOCKS_REQUIRED(s.mu);

  const Clock* clock_;
  ExpiredHook expired_hook_;  // before shards_: every shard points at them
  FieldsExpiredHook fields_expired_hook_;
  Table::HashFn hash_fn_;
  int databases_;
  int shards_per_db_;
  int shard_bits_;
  size_t max_string_length_;
  std::vector<std::unique_ptr<Shard>> shards_;  // db-major: db * shards_per_db + shard
  absl::Mutex cycle_mu_;
  size_t cycle_next_ ABSL_GUARDED_BY(cycle_mu_) = 0;  // shard the next expire cycle starts at
  uint64_t cycle_rng_ ABSL_GUARDED_BY(cycle_mu_) = 0x9E3779B97F4A7C15ULL;
  std::atomic<uint64_t> random_key_seed_{0x2545F4914F6CDD1DULL};
};

}  // namespace ringkv::engine
