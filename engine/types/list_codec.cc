// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// List node compression (format in list_codec.h).
#include "engine/types/list_codec.h"

#include <cstring>
#include <memory>

#include "engine/types/list_huff.h"
#include "engine/types/list_lz.h"
#include "engine/types/list_pack.h"

namespace ringkv::engine::detail {

namespace {

constexpr uint8_t kMethodLz = 1;
constexpr uint8_t kMethodLzHuff = 2;

void Put32(uint8_t* p, size_t v) {
  for (int k = 0; k < 4; ++k) p[k] = static_cast<uint8_t>(v >> (8 * k));
}

size_t Get32(const uint8_t* p) {
  size_t v = 0;
  for (int k = 0; k < 4; ++k) v |= static_cast<size_t>(p[k]) << (8 * k);
  return v;
}

// Header length from an element's first byte (list_pack.h's format).
size_t HeaderLength(uint8_t h) {
  if (h < 0xC0) return 1;
  if (h < 0xE0) return 2;
  return h == 0xE0 ? 5 : 1;
}

// Step 1: headers, then payloads. Returns the split length.
size_t Split(const uint8_t* plain, size_t size, size_t count, uint8_t* out) {
  size_t meta = 0;
  size_t off = 0;
  for (size_t k = 0; k < count; ++k) {
    size_t header, payload;
    LpParts(plain + off, &header, &payload);
    meta += header;
    off += LpTotal(plain + off);
  }
  uint8_t* mp = out;
  uint8_t* pp = out + meta;
  off = 0;
  for (size_t k = 0; k < count && off < size; ++k) {
    size_t header, payload;
    LpParts(plain + off, &header, &payload);
    std::memcpy(mp, plain + off, header);
    mp += header;
    if (payload > 0) std::memcpy(pp, plain + off + header, payload);
    pp += payload;
    off += LpTotal(plain + off);
  }
  return static_cast<size_t>(pp - out);
}

// Undoes Split, checking every bound.
bool Join(const uint8_t* split, size_t n, size_t count, uint8_t* out, size_t size) {
  size_t meta = 0;
  for (size_t k = 0; k < count; ++k) {
    if (meta >= n) return false;
    const size_t h = HeaderLength(split[meta]);
    if (n - meta < h) return false;
    meta += h;
  }
  size_t mp = 0, pp = meta, o = 0;
  for (size_t k = 0; k < count; ++k) {
    size_t header, payload;
    LpParts(split + mp, &header, &payload);
    const size_t body = header + payload;
    if (n - pp < payload || size - o < body) return false;
    std::memcpy(out + o, split + mp, header);
    if (payload <= 16 && n - pp >= 16 && size - o - header >= 16) {
      std::memcpy(out + o + header, split + pp, 16);  // fixed size; the excess is overwritten
    } else if (payload > 0) {
      std::memcpy(out + o + header, split + pp, payload);
    }
    mp += header;
    pp += payload;
    o += body;
    if (body < 128) {
      if (o == size) return false;
      out[o++] = static_cast<uint8_t>(body);  // the one-byte back length
      continue;
    }
    uint8_t backlen[5];
    const size_t b = LpWriteBacklen(body, backlen);
    if (size - o < b) return false;
    std::memcpy(out + o, backlen, b);
    o += b;
  }
  return pp == n && o == size;
}

}  // namespace

size_t CompressNode(const uint8_t* plain, size_t size, size_t count, uint8_t* dst, size_t cap) {
  constexpr size_t kLzHeader = 5, kHuffHeader = 9;
  if (cap <= kHuffHeader) return 0;
  std::unique_ptr<uint8_t[]> split(new uint8_t[size]);
  const size_t split_n = Split(plain, size, count, split.get());
  // LZ straight into dst; then try to shrink it further with Huffman.
  const size_t lz_n = LzCompress(split.get(), split_n, dst + kLzHeader, cap - kLzHeader);
  if (lz_n == 0) {
    // LZ alone did not fit; Huffman of LZ output cannot be tried without it. Retry LZ into a
    // larger scratch so Huffman gets its chance (random text: LZ does nothing, Huffman a lot).
    std::unique_ptr<uint8_t[]> lz(new uint8_t[split_n + split_n / 8 + 64]);
    const size_t m = LzCompress(split.get(), split_n, lz.get(), split_n + split_n / 8 + 64);
    if (m == 0) return 0;
    const size_t h = HuffCompress(lz.get(), m, dst + kHuffHeader, cap - kHuffHeader);
    if (h == 0) return 0;
    dst[0] = kMethodLzHuff;
    Put32(dst + 1, split_n);
    Put32(dst + 5, m);
    return kHuffHeader + h;
  }
  dst[0] = kMethodLz;
  Put32(dst + 1, split_n);
  const size_t lz_total = kLzHeader + lz_n;
  if (lz_total <= kHuffHeader) return lz_total;
  std::unique_ptr<uint8_t[]> huff(new uint8_t[lz_total]);
  const size_t h = HuffCompress(dst + kLzHeader, lz_n, huff.get(), lz_total - kHuffHeader);
  if (h == 0 || kHuffHeader + h >= lz_total) return lz_total;
  dst[0] = kMethodLzHuff;
  Put32(dst + 5, lz_n);
  std::memcpy(dst + kHuffHeader, huff.get(), h);
  return kHuffHeader + h;
}

bool DecompressNode(const uint8_t* src, size_t n, size_t count, uint8_t* dst, size_t size) {
  if (n < 5) return false;
  const size_t split_n = Get32(src + 1);
  if (split_n > size) return false;
  std::unique_ptr<uint8_t[]> split(new uint8_t[split_n == 0 ? 1 : split_n]);
  if (src[0] == kMethodLz) {
    if (!LzDecompress(src + 5, n - 5, split.get(), split_n)) return false;
  } else if (src[0] == kMethodLzHuff) {
    if (n < 9) return false;
    const size_t lz_n = Get32(src + 5);
    if (lz_n > 2 * size + 64) return false;
    std::unique_ptr<uint8_t[]> lz(new uint8_t[lz_n == 0 ? 1 : lz_n]);
    if (!HuffDecompress(src + 9, n - 9, lz.get(), lz_n)) return false;
    if (!LzDecompress(lz.get(), lz_n, split.get(), split_n)) return false;
  } else {
    return false;
  }
  return Join(split.get(), split_n, count, dst, size);
}

}  // namespace ringkv::engine::detail
