// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Ranges over a sorted set: by score (ZRANGEBYSCORE's "(" exclusive bounds) and by member
// (ZRANGEBYLEX's "[a", "(a", "-" and "+"), with the comparison rules of Redis 7.0's t_zset.c
// (zslValueGteMin, sdscmplex). The server parses the arguments; the engine only compares. A member
// entry of a sorted set is a (member, score) pair, ordered by score, then by member bytes.
#pragma once

#include <cstdint>
#include <string_view>

namespace ringkv::engine {

// One element of a sorted set as the iteration functions hand it out. `member` points into the
// set and is valid only until the set is next changed.
struct ZEntry {
  std::string_view member;
  double score;
};

// [min, max] by score; either end may be exclusive. NaN never appears (the parser refuses it).
struct ScoreRange {
  double min = 0;
  double max = 0;
  bool min_exclusive = false;
  bool max_exclusive = false;

  bool AboveMin(double v) const { return min_exclusive ? v > min : v >= min; }
  bool BelowMax(double v) const { return max_exclusive ? v < max : v <= max; }
  // True when no score can be inside (Redis checks this before looking at the set).
  bool Empty() const { return min > max || (min == max && (min_exclusive || max_exclusive)); }
};

// One end of a lexicographic range: "-" (below every member), "+" (above every member) or a
// member value, inclusive ("[") or exclusive ("(").
struct LexBound {
  enum class Kind : uint8_t { kMinusInf, kPlusInf, kValue };
  Kind kind = Kind::kMinusInf;
  bool exclusive = true;  // "-" and "+" are exclusive, as Redis parses them
  std::string_view value;

  // Redis's sdscmplex(member, bound): <0, 0, >0. Bytes compare unsigned, shorter first on ties.
  int CompareMember(std::string_view member) const {
    if (kind == Kind::kMinusInf) return 1;
    if (kind == Kind::kPlusInf) return -1;
    const int c = member.compare(value);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
};

struct LexRange {
  LexBound min;
  LexBound max;

  bool AboveMin(std::string_view m) const {
    const int c = min.CompareMember(m);
    return min.exclusive ? c > 0 : c >= 0;
  }
  bool BelowMax(std::string_view m) const {
    const int c = max.CompareMember(m);
    return max.exclusive ? c < 0 : c <= 0;
  }
  // Redis's early-out: sdscmplex(min, max) > 0, or == 0 with an exclusive end. Two infinite bounds
  // of the same kind compare equal (they are the same shared object in Redis).
  bool Empty() const {
    const int c = CompareBounds();
    return c > 0 || (c == 0 && (min.exclusive || max.exclusive));
  }

 private:
  int CompareBounds() const {
    using K = LexBound::Kind;
    if (min.kind == max.kind && min.kind != K::kValue) return 0;
    if (min.kind == K::kMinusInf || max.kind == K::kPlusInf) return -1;
    if (min.kind == K::kPlusInf || max.kind == K::kMinusInf) return 1;
    const int c = min.value.compare(max.value);
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
};

}  // namespace ringkv::engine
