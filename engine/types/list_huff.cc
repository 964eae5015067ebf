// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The list node entropy coder (format in list_huff.h).
#include "engine/types/list_huff.h"

#include <algorithm>
#include <cstring>

namespace ringkv::engine::detail {

namespace {

constexpr unsigned kMax = kHuffMaxBits;
constexpr uint8_t kFullTable = 0;
constexpr uint8_t kBitmapTable = 1;

// Writes the code lengths; returns the bytes used, 0 if cap is too small.
size_t PutLengths(const uint8_t len[256], uint8_t* dst, size_t cap) {
  size_t used = 0;
  for (unsigned s = 0; s < 256; ++s) used += len[s] != 0 ? 1 : 0;
  const size_t bitmap_size = 1 + 32 + (used + 1) / 2;
  if (bitmap_size < 1 + 128) {
    if (cap < bitmap_size) return 0;
    std::memset(dst, 0, bitmap_size);
    dst[0] = kBitmapTable;
    size_t k = 0;
    for (unsigned s = 0; s < 256; ++s) {
      if (len[s] == 0) continue;
      dst[1 + s / 8] = static_cast<uint8_t>(dst[1 + s / 8] | (1u << (s % 8)));
      dst[33 + k / 2] = static_cast<uint8_t>(dst[33 + k / 2] | (len[s] << (4 * (k % 2))));
      ++k;
    }
    return bitmap_size;
  }
  if (cap < 1 + 128) return 0;
  dst[0] = kFullTable;
  for (size_t k = 0; k < 128; ++k) {
    dst[1 + k] = static_cast<uint8_t>(len[2 * k] | (len[2 * k + 1] << 4));
  }
  return 1 + 128;
}

// Reads the code lengths; returns the bytes used, 0 if malformed.
size_t GetLengths(const uint8_t* src, size_t n, uint8_t len[256]) {
  if (n < 1) return 0;
  if (src[0] == kFullTable) {
    if (n < 1 + 128) return 0;
    for (size_t k = 0; k < 128; ++k) {
      len[2 * k] = src[1 + k] & 0x0F;
      len[2 * k + 1] = src[1 + k] >> 4;
    }
    return 1 + 128;
  }
  if (src[0] != kBitmapTable || n < 33) return 0;
  size_t used = 0;
  for (unsigned s = 0; s < 256; ++s) used += (src[1 + s / 8] >> (s % 8)) & 1;
  const size_t size = 33 + (used + 1) / 2;
  if (n < size) return 0;
  size_t k = 0;
  for (unsigned s = 0; s < 256; ++s) {
    if (!((src[1 + s / 8] >> (s % 8)) & 1)) {
      len[s] = 0;
      continue;
    }
    len[s] = (src[33 + k / 2] >> (4 * (k % 2))) & 0x0F;
    if (len[s] == 0) return 0;  // listed but without a code
    ++k;
  }
  return size;
}

// Optimal code lengths for the symbols with a non-zero count, then limited to kMax bits by
// lengthening the rarest of the longest codes that are still short enough until the lengths
// form a valid prefix code again.
void BuildLengths(const uint32_t freq[256], uint8_t len[256]) {
  std::memset(len, 0, 256);
  uint16_t leaves[256];
  size_t ns = 0;
  for (unsigned s = 0; s < 256; ++s) {
    if (freq[s] != 0) leaves[ns++] = static_cast<uint16_t>(s);
  }
  if (ns == 0) return;
  if (ns == 1) {
    len[leaves[0]] = 1;
    return;
  }
  std::sort(leaves, leaves + ns, [&](uint16_t a, uint16_t b) { return freq[a] < freq[b]; });
  // Two-queue construction: leaves in weight order, internal nodes in creation order (which is
  // also weight order). Node ids: leaves 0..ns-1, internal nodes ns..2ns-2.
  uint64_t weight[511];
  uint16_t parent[511];
  for (size_t i = 0; i < ns; ++i) weight[i] = freq[leaves[i]];
  size_t next_leaf = 0, next_internal = ns, created = ns;
  auto take = [&]() -> size_t {
    if (next_leaf < ns &&
        (next_internal >= created || weight[next_leaf] <= weight[next_internal])) {
      return next_leaf++;
    }
    return next_internal++;
  };
  while (created < 2 * ns - 1) {
    const size_t a = take();
    const size_t b = take();
    weight[created] = weight[a] + weight[b];
    parent[a] = parent[b] = static_cast<uint16_t>(created);
    ++created;
  }
  uint8_t depth[511];
  depth[2 * ns - 2] = 0;
  for (size_t i = 2 * ns - 2; i-- > 0;) depth[i] = static_cast<uint8_t>(depth[parent[i]] + 1);
  uint32_t kraft = 0;
  for (size_t i = 0; i < ns; ++i) {
    len[leaves[i]] = static_cast<uint8_t>(std::min<unsigned>(depth[i], kMax));
    kraft += 1u << (kMax - len[leaves[i]]);
  }
  while (kraft > (1u << kMax)) {
    int best = -1;
    for (size_t i = 0; i < ns; ++i) {
      const uint16_t s = leaves[i];
      if (len[s] >= kMax) continue;
      if (best < 0 || len[s] > len[best] || (len[s] == len[best] && freq[s] < freq[best])) best = s;
    }
    kraft -= 1u << (kMax - len[best] - 1);
    ++len[best];
  }
}

// Canonical codes, bit-reversed for least-significant-bit-first output.
void BuildCodes(const uint8_t len[256], uint16_t code[256]) {
  uint16_t count[kMax + 1] = {};
  for (unsigned s = 0; s < 256; ++s) ++count[len[s]];
  count[0] = 0;
  uint16_t next[kMax + 1] = {};
  uint16_t c = 0;
  for (unsigned l = 1; l <= kMax; ++l) {
    c = static_cast<uint16_t>((c + count[l - 1]) << 1);
    next[l] = c;
  }
  for (unsigned s = 0; s < 256; ++s) {
    const unsigned l = len[s];
    if (l == 0) continue;
    const uint16_t v = next[l]++;
    uint16_t r = 0;
    for (unsigned b = 0; b < l; ++b) r = static_cast<uint16_t>(r | (((v >> b) & 1) << (l - 1 - b)));
    code[s] = r;
  }
}

}  // namespace

size_t HuffCompress(const uint8_t* src, size_t n, uint8_t* dst, size_t cap) {
  if (n == 0) return 0;
  uint32_t freq[256] = {};
  for (size_t i = 0; i < n; ++i) ++freq[src[i]];
  uint8_t len[256];
  BuildLengths(freq, len);
  uint16_t code[256] = {};
  BuildCodes(len, code);
  const size_t table = PutLengths(len, dst, cap);
  if (table == 0) return 0;
  uint8_t* op = dst + table;
  const uint8_t* end = dst + cap;
  uint64_t acc = 0;
  unsigned bits = 0;
  for (size_t i = 0; i < n; ++i) {
    acc |= static_cast<uint64_t>(code[src[i]]) << bits;
    bits += len[src[i]];
    if (bits >= 32) {
      if (end - op < 4) return 0;
      for (int k = 0; k < 4; ++k) *op++ = static_cast<uint8_t>(acc >> (8 * k));
      acc >>= 32;
      bits -= 32;
    }
  }
  while (bits > 0) {
    if (op == end) return 0;
    *op++ = static_cast<uint8_t>(acc);
    acc >>= 8;
    bits = bits > 8 ? bits - 8 : 0;
  }
  return static_cast<size_t>(op - dst);
}

bool HuffDecompress(const uint8_t* src, size_t n, uint8_t* dst, size_t out_n) {
  // Table indexed by the next kMax input bits: (symbol << 4) | code length; 0 = no such code.
  uint16_t table[1u << kMax] = {};
  uint8_t len[256];
  const size_t table_size = GetLengths(src, n, len);
  if (table_size == 0) return false;
  uint32_t kraft = 0;
  for (unsigned s = 0; s < 256; ++s) {
    if (len[s] > kMax) return false;
    if (len[s] != 0) kraft += 1u << (kMax - len[s]);
  }
  if (kraft == 0 || kraft > (1u << kMax)) return false;
  uint16_t code[256] = {};
  BuildCodes(len, code);
  for (unsigned s = 0; s < 256; ++s) {
    if (len[s] == 0) continue;
    const uint16_t entry = static_cast<uint16_t>((s << 4) | len[s]);
    for (unsigned j = code[s]; j < (1u << kMax); j += 1u << len[s]) table[j] = entry;
  }
  const uint8_t* ip = src + table_size;
  const uint8_t* iend = src + n;
  const uint64_t mask = (1u << kMax) - 1;
  uint64_t acc = 0;
  unsigned bits = 0;
  size_t o = 0;
  // Fast loop: refill to at least 56 bits with one 8-byte load, then decode 5 symbols (5 * 11
  // bits <= 56) without checking for input.
  while (out_n - o >= 5 && iend - ip >= 8) {
    uint64_t word;
    std::memcpy(&word, ip, sizeof(word));
    acc |= word << bits;
    ip += (63 - bits) / 8;
    bits |= 56;
    for (int k = 0; k < 5; ++k) {
      const uint16_t e = table[acc & mask];
      const unsigned l = e & 0x0F;
      if (l == 0) return false;
      dst[o++] = static_cast<uint8_t>(e >> 4);
      acc >>= l;
      bits -= l;
    }
  }
  for (; o < out_n; ++o) {
    while (bits <= 56 && ip < iend) {
      acc |= static_cast<uint64_t>(*ip++) << bits;
      bits += 8;
    }
    const uint16_t e = table[acc & mask];
    const unsigned l = e & 0x0F;
    if (l == 0 || l > bits) return false;
    dst[o] = static_cast<uint8_t>(e >> 4);
    acc >>= l;
    bits -= l;
  }
  return true;
}

}  // namespace ringkv::engine::detail
