// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SetTable: the large form of a set's "hashtable" encoding, designed for bytes per member.
//
// IMPLEMENTATION DETAILS
//
// Layout. An array of N bucket pointers; bucket j holds, packed back to back (set_bucket.h), the
// members whose 64-bit hash h has (h * N) >> 64 == j. A bucket holds 4-8 members on average
// (kTargetLoad..kMaxLoad), so the pointer array costs 1-2 bytes per member and a bucket's
// allocator rounding is shared by several members. Redis's dict spends a 24-byte dictEntry, a
// bucket pointer and an sds header per member; this layout spends one tag byte. A lookup is
// one hash, one load of the bucket pointer (two dependent cache misses in all, where Redis's
// dict has three: bucket, dictEntry, sds) and a scan of a few contiguous entries. Measured for
// 1M members by bench/micro/set_bench.cc: 21 bytes per 15-byte string member and 6.5 per integer,
// against Redis 7.0's 72.5 and 48.5. A lower load would scan less and cost more bytes; 4-8 is the
// middle of the range tried (3-6 .. 5-10: 21.6 .. 20.4 bytes per string member).
//
// Order. The bucket index is monotone in the hash (the high bits pick the bucket), so the table
// is ordered by hash at bucket granularity whatever N is; N need not be a power of two.
//
// Resizing is incremental. Growing (above kMaxLoad members per bucket) or shrinking (below half
// a member per bucket) allocates a new array sized for kTargetLoad and keeps the old one; each
// Insert and Erase then migrates old buckets in ascending order (two non-empty ones, more empty
// ones), so no single write moves more than a few dozen members. Invariant: old buckets
// [0, migrated_) are empty and their members live in the new array; a member whose old index is
// >= migrated_ lives in the old array. New-array buckets therefore only hold hashes below the
// boundary B = first hash of old bucket migrated_. A resize requested while one runs finishes
// the running one first. Reads never migrate (they are const).
//
// SSCAN. The cursor is a hash value c with the meaning "every member with hash < c has been
// returned". One step returns the members with hash in [c, e) from the one array that holds that
// range: the old bucket containing c when c >= B, else the new bucket containing c cut at B; it
// returns e, the end of that range. Resizes move bucket boundaries, never the order of hashes, so
// a member present for the whole scan is returned exactly once (twice only if a cursor is
// reused), as the engine's key SCAN does (docs/engine.md).
//
// Random members. Rejection sampling keeps the choice uniform although buckets differ in size:
// pick one of the N (+ old) buckets and an index below K, an upper bound of every bucket's count,
// and accept when the bucket has an entry at that index. Every member then has the same
// probability per try. K is tracked per array as the largest count any append produced (counts
// only fall on erase, so it stays a bound).
//
// Thread safety: none; the shard lock guards the owning entry.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/functional/function_ref.h"
#include "engine/types/set_bucket.h"
#include "engine/types/set_rng.h"

namespace ringkv::engine::detail {

class SetTable {
 public:
  // Members per bucket: a resize aims at kTargetLoad; growth starts above kMaxLoad, shrinking
  // below half a member per bucket.
  static constexpr size_t kTargetLoad = 4;
  static constexpr size_t kMaxLoad = 8;

  // An empty table with `buckets` (>= 1) buckets.
  explicit SetTable(uint64_t buckets);
  ~SetTable();
  SetTable(const SetTable&) = delete;
  SetTable& operator=(const SetTable&) = delete;

  // Deep copy (COPY); an ongoing resize is copied as it stands.
  std::unique_ptr<SetTable> Clone() const;

  size_t size() const { return size_; }
  // Heap bytes owned: this object, the bucket arrays, the buckets and out-of-line blocks.
  size_t bytes() const;
  // The bucket count a table for `members` members starts with.
  static uint64_t BucketsFor(size_t members);

  // `hash` is m.Hash(); callers compute it once.
  bool Contains(const SetMember& m, uint64_t hash) const;
  // False (nothing changed) when m is already a member.
  bool Insert(const SetMember& m, uint64_t hash);
  // False when m is not a member.
  bool Erase(const SetMember& m, uint64_t hash);
  // Adds an encoded entry known to be absent, taking ownership of its block (conversions).
  void InsertEncoded(const uint8_t* entry, uint64_t hash);

  // Calls fn for every entry until it returns false.
  void ForEach(absl::FunctionRef<bool(const uint8_t*)> fn) const;
  // One SSCAN call: steps of one bucket until `count` entries were returned or 10 * count steps
  // were taken; returns the next cursor (0 when the iteration is complete).
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(const uint8_t*)> fn) const;
  // A uniformly chosen entry. REQUIRES: size() > 0.
  const uint8_t* Random(SetRng& rng) const;
  // Moves every entry into one new bucket (ownership of blocks included) and empties the table.
  uint8_t* Drain(size_t* bucket_heap);

  // For tests: the current bucket count, whether a resize is running, and a full recount of
  // bytes() to check the running count against.
  uint64_t buckets() const { return cur_.n; }
  bool resizing() const { return old_.b != nullptr; }
  size_t RecountBytes() const;

 private:
  struct Array {
    uint8_t** b = nullptr;
    uint64_t n = 0;
    size_t max_count = 0;  // upper bound of every bucket's entry count
  };

  static uint64_t Index(uint64_t hash, uint64_t n) {
    return static_cast<uint64_t>((static_cast<unsigned __int128>(hash) * n) >> 64);
  }
  // First hash of bucket j of an n-bucket array: ceil(j * 2^64 / n); 2^64 for j == n.
  static unsigned __int128 Start(uint64_t n, uint64_t j) {
    return ((static_cast<unsigned __int128>(j) << 64) + n - 1) / n;
  }
  // The bucket slot that holds (or would hold) a member with this hash.
  uint8_t** Slot(uint64_t hash, Array** array);
  uint8_t* const* Slot(uint64_t hash) const;

  void AllocArray(Array* a, uint64_t n);
  void FreeArray(Array* a);
  void AppendEntry(Array* a, uint64_t j, const uint8_t* entry, size_t n);
  // Moves the entries of an old bucket into the new array (the caller frees the old buffer).
  void MigrateBucket(const uint8_t* b);
  void StartResize(uint64_t buckets);
  // Migrates old buckets: up to `nonempty` non-empty ones (and a bounded number of empty ones).
  void Step(size_t nonempty);
  void FinishResize();

  Array cur_;
  Array old_;
  uint64_t migrated_ = 0;
  size_t size_ = 0;
  size_t heap_ = 0;  // arrays + buckets + blocks; bytes() adds this object
};

}  // namespace ringkv::engine::detail
