// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ZListpack: the small encoding of a sorted set (OBJECT ENCODING "listpack"), one heap block of
// (member, score) entries sorted by score, then by member bytes. Every operation is a linear walk,
// which is what Redis does on its listpack too; the set converts to the large encoding
// (zset_tree.h) past zset-max-listpack-entries / zset-max-listpack-value.
//
// Layout:
//
//   [0..3]  bytes used, header included (uint32, little-endian host order)
//   [4..7]  number of entries (uint32)
//   entry*: varint member length | member bytes | score
//   score:  varint v; v even: the integer zigzag(v >> 1); v == 1: 8 raw bytes of a double
//
// An integral score with |score| < 2^61 takes the integer form (1 byte for 0..31), as Redis's
// listpack stores such scores as integers. Like Redis, the integer form drops the sign of -0.0:
// a -0 score reads back as 0 in this encoding (the large encoding keeps -0). The block is
// reallocated to its exact size on every change, as Redis reallocates its listpack.
//
// Not thread-safe; the shard lock guards it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "absl/container/inlined_vector.h"
#include "engine/types/zset_range.h"

namespace ringkv::engine {

class ZListpack {
 public:
  // Entry start offsets, then the end offset (size() + 1 values).
  using Offsets = absl::InlinedVector<uint32_t, 132>;

  ZListpack() = default;
  ~ZListpack();
  ZListpack(const ZListpack&) = delete;
  ZListpack& operator=(const ZListpack&) = delete;
  ZListpack(ZListpack&& other) noexcept : buf_(other.buf_) { other.buf_ = nullptr; }
  ZListpack& operator=(ZListpack&& other) noexcept;

  ZListpack Clone() const;
  // Frees everything; the listpack is empty afterwards.
  void Clear();

  size_t size() const;
  // Bytes of the block as the allocator sized it.
  size_t AllocatedBytes() const;

  // Offset of the first entry and the end offset, for walking with Read().
  static constexpr uint32_t kFirst = 8;
  uint32_t end() const;
  // The entry at `offset`; *next receives the offset after it.
  ZEntry Read(uint32_t offset, uint32_t* next) const;
  void CollectOffsets(Offsets* out) const;

  // Linear search by member: the entry's index and score, or false.
  bool Find(std::string_view member, size_t* index, double* score) const;
  // REQUIRES: member not present. Keeps the order (score, then member).
  void Insert(std::string_view member, double score);
  // Appends at the end. REQUIRES: (score, member) sorts after every entry (building sorted).
  void Append(std::string_view member, double score);
  // Removes entries [first, first + count) by index.
  void EraseRange(size_t first, size_t count);
  bool Erase(std::string_view member);

  // Calls fn(entry) for every entry in order.
  template <typename Fn>
  void ForEach(Fn&& fn) const {
    const uint32_t e = end();
    for (uint32_t off = kFirst; off < e;) fn(Read(off, &off));
  }

  // The score as this encoding stores it (-0.0 becomes 0.0).
  static double Normalize(double score) { return score == 0 ? 0.0 : score; }

 private:
  // Writes one entry at p; returns the end.
  static uint8_t* PutEntry(uint8_t* p, std::string_view member, double score);
  static size_t EntrySize(std::string_view member, double score);
  // Inserts `n` bytes of room at `offset` (reallocating) and returns a pointer to it.
  uint8_t* MakeRoom(uint32_t offset, size_t n);
  void SetHeader(uint32_t used, uint32_t count);

  uint8_t* buf_ = nullptr;  // null while empty
};

}  // namespace ringkv::engine
