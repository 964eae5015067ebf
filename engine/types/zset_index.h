// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// MemberIndex: the member -> record half of the large sorted-set encoding (ZSCORE, ZADD's
// existence check, ZREM, ZSCAN), an open-addressing hash set of record pointers.
//
// IMPLEMENTATION DETAILS
//
// One 8-byte slot per position: the record pointer in the low 48 bits and 16 bits of the member's
// hash in the high 16, so a probe reads a record only when those 16 bits match (1 in 65536 for
// a different member). 0 is an empty slot. Linear probing from the home position
// home(h) = (h * capacity) >> 64, which is monotone in the hash: the table is ordered by hash
// (up to the displacement of a probe run), which is what makes the ZSCAN cursor below work at any
// capacity. The capacity is any number >= 8; the table grows by 1.5x past a load of 0.8 and shrinks
// to a load of 0.5 below 0.15, so it costs 10 to 15 bytes per member. Erase shifts the following
// run back (no tombstones).
//
// ZSCAN: the cursor is a hash value. A step returns every member whose hash lies in
// [cursor, next), where next is the first hash of a later home position, and returns next (0 at
// the end). Members are visited in hash order whatever the capacity was when earlier steps ran,
// so a member present for the whole scan is returned exactly once even when the table grows or
// shrinks between calls (Redis's SCAN guarantee, without its duplicates).
//
// Not thread-safe; the shard lock guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/functional/function_ref.h"
#include "engine/types/zset_codec.h"

namespace ringkv::engine {

class MemberIndex {
 public:
  using Record = zset_detail::Record;

  MemberIndex() = default;
  ~MemberIndex();
  MemberIndex(const MemberIndex&) = delete;
  MemberIndex& operator=(const MemberIndex&) = delete;

  static uint64_t Hash(std::string_view member);

  size_t size() const { return size_; }
  size_t capacity() const { return cap_; }
  // Bytes of the slot array as the allocator sized it.
  size_t AllocatedBytes() const;

  // The record of `member` (hash = Hash(member)), or nullptr.
  Record Find(std::string_view member, uint64_t hash) const;
  // REQUIRES: the record's member is not in the index.
  void Insert(Record r, uint64_t hash);
  // Removes `member` and returns its record, or nullptr if absent.
  Record Erase(std::string_view member, uint64_t hash);
  // Forgets every record (does not free them).
  void Clear();
  // Reserves room for n members without growing.
  void Reserve(size_t n);

  // One ZSCAN step from `cursor`: fn(record) for the members of at least `count` home positions'
  // worth of the table (fewer at the end); returns the next cursor, 0 when done.
  uint64_t Scan(uint64_t cursor, size_t count, absl::FunctionRef<void(Record)> fn) const;

 private:
  static constexpr uint64_t kPtrMask = (uint64_t{1} << 48) - 1;
  static Record Ptr(uint64_t slot) { return reinterpret_cast<Record>(slot & kPtrMask); }
  static uint64_t Tag(uint64_t hash) { return (hash & 0xFFFF) << 48; }
  size_t Home(uint64_t hash) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(hash) * cap_) >> 64);
  }
  // The smallest hash whose home is >= pos (2^64 for pos == cap_, returned as 0).
  uint64_t FirstHashAt(size_t pos) const;
  void Rebuild(size_t new_cap);
  void Place(uint64_t slot, uint64_t hash);

  uint64_t* slots_ = nullptr;
  size_t cap_ = 0;
  size_t size_ = 0;
};

}  // namespace ringkv::engine
