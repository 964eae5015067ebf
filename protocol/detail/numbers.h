// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Integer parsing and formatting shared by the RESP parsers and encoders. ParseRespInt accepts
// exactly what Redis's string2ll accepts for protocol lengths (no '+', no leading zeros, no "-0",
// at most 20 characters), so lengths Redis rejects are rejected here with the same error.
// FormatInt writes decimal digits without snprintf. Not part of the public API.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringkv::protocol::detail {

// Enough for "-9223372036854775808".
inline constexpr size_t kMaxIntChars = 20;

// Parses `s` as a signed 64-bit decimal with string2ll's rules. Returns false on any deviation.
inline bool ParseRespInt(std::string_view s, int64_t* value) {
  // string2ll rejects empty strings and strings of 21+ characters before looking at them.
  if (s.empty() || s.size() > kMaxIntChars) return false;
  if (s.size() == 1 && s[0] == '0') {
    *value = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  // The first digit must be 1-9: this rejects "", "-", "-0", "01" and "+1".
  if (i == s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  if (v > limit) return false;
  *value = negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
  return true;
}

// Writes the decimal form of `v` at `dst` (which has room for kMaxIntChars bytes) and returns
// the end of what was written.
inline char* FormatInt(int64_t v, char* dst) {
  return std::to_chars(dst, dst + kMaxIntChars, v).ptr;
}

// Same for lengths and counts.
inline char* FormatUint(uint64_t v, char* dst) {
  return std::to_chars(dst, dst + kMaxIntChars, v).ptr;
}

}  // namespace ringkv::protocol::detail
