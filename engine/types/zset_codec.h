// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Byte-level helpers shared by the two sorted-set encodings: varints, and the member record of
// the large encoding. Internal to engine/types/ (the stream encoding uses the varints too).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "engine/memory.h"

namespace ringkv::engine::zset_detail {

inline size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline uint8_t* PutVarint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

inline const uint8_t* GetVarint(const uint8_t* p, uint64_t* v) {
  uint64_t r = 0;
  int shift = 0;
  while (*p & 0x80) {
    r |= static_cast<uint64_t>(*p++ & 0x7f) << shift;
    shift += 7;
  }
  r |= static_cast<uint64_t>(*p++) << shift;
  *v = r;
  return p;
}

// A member of the large encoding lives in one heap block, its record:
//
//   [0..7]  score (double)
//   varint  member length
//   bytes   member
//
// The member index (hash) and the order tree both point at records, so a member's bytes exist
// once. A score change rewrites the first 8 bytes in place; the record never moves.
using Record = uint8_t*;

inline double RecordScore(const uint8_t* r) {
  double s;
  std::memcpy(&s, r, sizeof(s));
  return s;
}

inline void SetRecordScore(uint8_t* r, double s) { std::memcpy(r, &s, sizeof(s)); }

inline std::string_view RecordMember(const uint8_t* r) {
  uint64_t len;
  const uint8_t* p = GetVarint(r + 8, &len);
  return std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(len));
}

inline Record NewRecord(std::string_view member, double score) {
  const size_t n = 8 + VarintSize(member.size()) + member.size();
  auto* r = static_cast<uint8_t*>(MustMalloc(n));
  SetRecordScore(r, score);
  uint8_t* p = PutVarint(r + 8, member.size());
  if (!member.empty()) std::memcpy(p, member.data(), member.size());
  return r;
}

// Order of two entries: by score, then by member bytes (unsigned), as Redis orders a zset.
inline int CompareEntries(double sa, std::string_view ma, double sb, std::string_view mb) {
  if (sa < sb) return -1;
  if (sa > sb) return 1;
  const int c = ma.compare(mb);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

}  // namespace ringkv::engine::zset_detail
