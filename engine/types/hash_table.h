// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// FieldTable: the large encoding of a hash (engine/types/hash.h), a hash table designed for bytes
// per field. Private to HashObject.
//
// IMPLEMENTATION: extendible hashing over packed buckets
//
// A field's position is h = XXH3-64(field, process seed). The directory has 2^depth slots and
// slot i serves the hashes whose top `depth` bits are i. Each bucket is one malloc'ed block: an
// 8-byte header (bytes used, entry count, local depth d) followed by entries in the format of
// engine/types/hash_codec.h, always plain strings (no integer form: lookups compare bytes and
// reads need no formatting). A bucket of local depth d holds exactly the fields whose top d
// hash bits equal its prefix and is pointed to by the 2^(depth - d) consecutive slots that share
// that prefix.
//
// - Lookup: one directory read, then a scan of at most 16 entries in one block (length compare,
//   then memcmp). No per-field pointer, no per-field allocation.
// - Insert into a bucket that is full (16 entries or 1 KiB) splits it on its next hash bit into
//   two buckets of depth d + 1 (the directory doubles first when d == depth), then retries.
//   A bucket's block is grown with realloc to the exact size; the allocator's size-class rounding
//   is the only slack. Entries larger than 1 KiB end up alone in their bucket.
// - Delete compacts the bucket (giving back room over 64 spare bytes) and merges it with its
//   buddy (same depth, other value of the last prefix bit) when the two fit in half a bucket;
//   the directory halves when no bucket needs its full depth any more.
// - Scan: the cursor is a position in hash order. A step returns whole buckets, starting with the
//   one whose range holds the cursor, and returns the end of the last range as the next cursor
//   (0 after the last bucket). Ranges only split or merge, never move, so every field present
//   for the whole scan lies in some step's [cursor, next) and is returned at least once.
// - Random: a uniform directory slot, accepted with probability count/16 * 2^(d - depth), which
//   makes every field equally likely; after 64 rejections, a walk over the buckets.
// - Expiry: entries with an expiry also have an item (expiry, hash) in a lazy min-heap. Items
//   are not removed when a field's expiry changes or the field goes: they are recognised as stale
//   when popped (no entry with that hash has that expiry) and the heap is rebuilt when stale
//   items outnumber live ones. So the earliest expiry is O(1) and each expiration O(log n).
//
// Thread safety: none; the shard lock guards the hash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/functional/function_ref.h"
#include "engine/types/hash.h"
#include "engine/types/hash_codec.h"

namespace ringkv::engine::hash_detail {

class FieldTable {
 public:
  // Split thresholds of a bucket.
  static constexpr size_t kMaxEntries = 16;
  static constexpr size_t kMaxBytes = 1024;

  FieldTable();
  ~FieldTable();
  // Deep copy (COPY).
  FieldTable(const FieldTable& other);
  FieldTable& operator=(const FieldTable&) = delete;

  size_t size() const { return size_; }
  // Bytes of every block this table owns (directory, buckets, expiry heap), allocator sizes.
  size_t memory() const { return memory_; }
  // A lower bound of the earliest field expiry, 0 when no field has one.
  int64_t min_expiry() const { return heap_.empty() ? 0 : heap_.front().at; }

  // The entry of `field`, or false.
  bool Find(std::string_view field, EntryView* out) const;
  // Inserts or updates; returns true when created. See FieldTtl.
  bool Set(std::string_view field, std::string_view value, FieldTtl ttl, int64_t expire_ms);
  // Removes the field; false when it did not exist.
  bool Delete(std::string_view field);
  // Sets (at_ms > 0) or removes (at_ms == 0) the expiry of an existing field; false when the
  // field does not exist.
  bool SetExpiry(std::string_view field, int64_t at_ms);
  // Removes up to max fields whose expiry is before now_ms; returns how many.
  size_t ExpireFields(int64_t now_ms, size_t max);

  using EntryFn = absl::FunctionRef<void(const EntryView&)>;
  void ForEach(EntryFn fn) const;
  uint64_t Scan(uint64_t cursor, size_t count, EntryFn fn) const;
  // A uniformly chosen entry. REQUIRES: size() > 0.
  void Random(uint64_t* rng, EntryView* out) const;

  // "" when every invariant holds, else what is wrong.
  std::string CheckInvariants() const;
  size_t bucket_count() const { return buckets_; }
  int depth() const { return depth_; }

 private:
  struct Bucket;
  struct TtlItem {
    int64_t at;
    uint64_t hash;
  };

  uint64_t Hash(std::string_view field) const;
  size_t Slot(uint64_t h) const {
    return depth_ == 0 ? 0 : static_cast<size_t>(h >> (64 - depth_));
  }
  // First directory slot and slot count of the bucket at slot i.
  size_t RangeStart(size_t i, int d) const { return (i >> (depth_ - d)) << (depth_ - d); }
  size_t RangeLen(int d) const { return size_t{1} << (depth_ - d); }
  // Finds field in bucket b: offset of its entry or SIZE_MAX.
  static size_t FindIn(const Bucket* b, std::string_view field, EntryView* out);
  Bucket* NewBucket(size_t capacity, int d);
  void FreeBucket(Bucket* b);
  // Makes b's block hold at least `bytes` entry bytes (exactly, or as the allocator rounds), and
  // points the slots of its range (any slot i of it) at the moved block.
  Bucket* Reserve(Bucket* b, size_t i, size_t bytes);
  // Gives back room over kMaxSlack; returns the (possibly moved) bucket.
  Bucket* MaybeShrink(Bucket* b, size_t i);
  void Point(size_t i, int d, Bucket* b);
  // Splits the bucket at slot i; false when it cannot be split (depth limit).
  bool Split(size_t i);
  void DoubleDirectory();
  void TryMerge(size_t i);
  void MaybeHalveDirectory();
  // Removes the entry at offset off of the bucket at slot i (accounting, merging).
  void EraseAt(size_t i, size_t off, size_t len, bool had_ttl);
  void PushTtl(int64_t at, uint64_t h);
  void RebuildHeap();
  void ClearHeap();
  void AccountHeap(size_t old_capacity);
  static bool HeapLess(const TtlItem& a, const TtlItem& b) { return a.at > b.at; }  // min-heap

  Bucket** dir_ = nullptr;
  int depth_ = 0;
  size_t full_depth_buckets_ = 0;  // buckets whose local depth == depth_
  size_t buckets_ = 0;
  size_t size_ = 0;
  size_t memory_ = 0;
  size_t ttl_fields_ = 0;
  std::vector<TtlItem> heap_;  // min-heap by `at`, lazily pruned
};

}  // namespace ringkv::engine::hash_detail
