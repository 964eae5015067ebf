// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Glob matching. Every token other than '*' consumes exactly one byte, so remembering only the
// most recent '*' and retrying from one byte further is complete (the classic two-pointer
// algorithm), which avoids the exponential recursion of a naive matcher.
#include "engine/glob.h"

#include <cstddef>

namespace ringkv::engine {

namespace {

char Fold(char c, bool nocase) {
  return (nocase && c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

// Does the token at p[i] (not '*') match byte c? *len receives the token's length.
bool MatchToken(std::string_view p, size_t i, char c, bool nocase, size_t* len) {
  size_t n = p.size();
  char fc = Fold(c, nocase);
  if (p[i] == '?') {
    *len = 1;
    return true;
  }
  if (p[i] == '\\' && i + 1 < n) {
    *len = 2;
    return Fold(p[i + 1], nocase) == fc;
  }
  if (p[i] != '[') {
    *len = 1;
    return Fold(p[i], nocase) == fc;
  }
  size_t j = i + 1;
  bool negate = j < n && p[j] == '^';
  if (negate) ++j;
  bool match = false;
  while (j < n) {
    if (p[j] == '\\' && j + 1 < n) {
      // Redis compares an escaped byte inside brackets case-sensitively.
      if (p[j + 1] == c) match = true;
      j += 2;
    } else if (p[j] == ']') {
      ++j;
      break;
    } else if (j + 2 < n && p[j + 1] == '-') {
      char lo = Fold(p[j], nocase);
      char hi = Fold(p[j + 2], nocase);
      if (lo > hi) {
        char t = lo;
        lo = hi;
        hi = t;
      }
      if (fc >= lo && fc <= hi) match = true;
      j += 3;
    } else {
      if (Fold(p[j], nocase) == fc) match = true;
      ++j;
    }
  }
  *len = j - i;
  return negate ? !match : match;
}

}  // namespace

bool GlobMatch(std::string_view p, std::string_view s, bool nocase) {
  // An empty string matches only an empty pattern, "*" included: Redis's stringmatchlen stops
  // when either side is used up. (KEYS and SCAN treat a lone "*" as "everything" before they
  // match, as Redis does.)
  if (s.empty()) return p.empty();
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t pi = 0;
  size_t si = 0;
  size_t star_pi = kNone;  // pattern position just after the last '*' run
  size_t star_si = 0;      // string position that run is currently assumed to end at
  while (si < s.size()) {
    if (pi < p.size() && p[pi] == '*') {
      while (pi < p.size() && p[pi] == '*') ++pi;
      if (pi == p.size()) return true;
      star_pi = pi;
      star_si = si;
      continue;
    }
    size_t len = 0;
    if (pi < p.size() && MatchToken(p, pi, s[si], nocase, &len)) {
      pi += len;
      ++si;
      continue;
    }
    if (star_pi == kNone) return false;
    pi = star_pi;
    si = ++star_si;
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

}  // namespace ringkv::engine
