// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The list node compressor (format in list_lz.h).
#include "engine/types/list_lz.h"

#include <cstring>

namespace ringkv::engine::detail {

namespace {

constexpr size_t kMinMatch = 4;
constexpr size_t kMaxOffset = 65535;
constexpr unsigned kHashBits = 12;

uint32_t Load32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

uint32_t HashOf(uint32_t v) { return (v * 2654435761u) >> (32 - kHashBits); }

// Appends an extension of `len` (the part beyond 15). False when out of room.
bool PutLength(size_t len, uint8_t*& op, const uint8_t* end) {
  while (len >= 255) {
    if (op == end) return false;
    *op++ = 255;
    len -= 255;
  }
  if (op == end) return false;
  *op++ = static_cast<uint8_t>(len);
  return true;
}

// Writes one sequence: literals [lit, lit + lit_len) then (if match_len > 0) a match.
bool PutSequence(const uint8_t* lit, size_t lit_len, size_t offset, size_t match_len, uint8_t*& op,
                 const uint8_t* end) {
  if (op == end) return false;
  uint8_t* token = op++;
  const size_t ml = match_len > 0 ? match_len - kMinMatch : 0;
  *token = static_cast<uint8_t>(((lit_len < 15 ? lit_len : 15) << 4) | (ml < 15 ? ml : 15));
  if (lit_len >= 15 && !PutLength(lit_len - 15, op, end)) return false;
  if (static_cast<size_t>(end - op) < lit_len) return false;
  if (lit_len > 0) std::memcpy(op, lit, lit_len);
  op += lit_len;
  if (match_len == 0) return true;
  if (end - op < 2) return false;
  *op++ = static_cast<uint8_t>(offset & 0xFF);
  *op++ = static_cast<uint8_t>(offset >> 8);
  return ml < 15 || PutLength(ml - 15, op, end);
}

// Reads a length extension; false on truncated input.
bool GetLength(const uint8_t*& ip, const uint8_t* end, size_t* len) {
  for (;;) {
    if (ip == end) return false;
    const uint8_t b = *ip++;
    *len += b;
    if (b != 255) return true;
  }
}

}  // namespace

size_t LzCompress(const uint8_t* src, size_t n, uint8_t* dst, size_t cap) {
  uint32_t table[1u << kHashBits] = {};  // position + 1 of the last 4-byte sequence seen
  uint8_t* op = dst;
  const uint8_t* end = dst + cap;
  size_t anchor = 0;
  size_t i = 0;
  while (i + kMinMatch <= n) {
    const uint32_t v = Load32(src + i);
    const uint32_t h = HashOf(v);
    const size_t cand = table[h];
    table[h] = static_cast<uint32_t>(i + 1);
    if (cand == 0 || i - (cand - 1) > kMaxOffset || Load32(src + cand - 1) != v) {
      ++i;
      continue;
    }
    const size_t from = cand - 1;
    size_t len = kMinMatch;
    while (i + len < n && src[from + len] == src[i + len]) ++len;
    if (!PutSequence(src + anchor, i - anchor, i - from, len, op, end)) return 0;
    // Remember a position inside the match too, so the next similar run finds this one.
    if (len > 6) table[HashOf(Load32(src + i + len - 4))] = static_cast<uint32_t>(i + len - 4 + 1);
    i += len;
    anchor = i;
  }
  if (!PutSequence(src + anchor, n - anchor, 0, 0, op, end)) return 0;
  return static_cast<size_t>(op - dst);
}

bool LzDecompress(const uint8_t* src, size_t n, uint8_t* dst, size_t out_n) {
  const uint8_t* ip = src;
  const uint8_t* iend = src + n;
  size_t o = 0;
  while (ip < iend) {
    const uint8_t token = *ip++;
    size_t lit = token >> 4;
    if (lit == 15 && !GetLength(ip, iend, &lit)) return false;
    if (static_cast<size_t>(iend - ip) < lit || out_n - o < lit) return false;
    if (lit <= 16 && iend - ip >= 16 && out_n - o >= 16) {
      // Short literal runs (the common case) as one fixed-size copy; the bytes past `lit` are
      // inside dst and are overwritten by what follows.
      std::memcpy(dst + o, ip, 16);
    } else if (lit > 0) {
      std::memcpy(dst + o, ip, lit);
    }
    ip += lit;
    o += lit;
    if (ip == iend) break;  // the last sequence has no match
    if (iend - ip < 2) return false;
    const size_t offset = static_cast<size_t>(ip[0]) | (static_cast<size_t>(ip[1]) << 8);
    ip += 2;
    size_t len = token & 0x0F;
    if (len == 15 && !GetLength(ip, iend, &len)) return false;
    len += kMinMatch;
    if (offset == 0 || offset > o || out_n - o < len) return false;
    const uint8_t* from = dst + o - offset;
    if (len <= 16 && offset >= 16 && out_n - o >= 16) {
      std::memcpy(dst + o, from, 16);
    } else if (offset >= len) {
      std::memcpy(dst + o, from, len);
    } else {
      for (size_t k = 0; k < len; ++k) dst[o + k] = from[k];  // overlapping: a repeat
    }
    o += len;
  }
  return o == out_n;
}

}  // namespace ringkv::engine::detail
