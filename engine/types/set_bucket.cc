// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/set_bucket.h"

#include <xxhash.h>

#include <cstdlib>
#include <cstring>

#include "engine/entry.h"
#include "engine/memory.h"

namespace ringkv::engine::detail {

namespace {

constexpr uint8_t kTagEnd = 0;
constexpr uint8_t kTagMaxInt = 8;
constexpr uint8_t kTagBlock = 9;
constexpr uint8_t kTagString = 10;

// Bytes of v in two's complement after dropping sign-extension bytes (1..8).
size_t IntBytes(int64_t v) {
  // Significant bits including the sign bit, rounded up to bytes.
  const int bits = 64 - __builtin_clrsbll(v);
  return static_cast<size_t>((bits + 7) / 8);
}

int64_t LoadInt(const uint8_t* p, size_t n) {
  uint64_t u = 0;
  std::memcpy(&u, p, n);  // little-endian host (x86-64, aarch64)
  const unsigned shift = static_cast<unsigned>(64 - 8 * n);
  return static_cast<int64_t>(u << shift) >> shift;
}

const uint8_t* BlockOf(const uint8_t* e) {
  const uint8_t* block;
  std::memcpy(&block, e + 1, sizeof(block));
  return block;
}

uint32_t BlockLen(const uint8_t* block) {
  uint32_t len;
  std::memcpy(&len, block, sizeof(len));
  return len;
}

// murmur3's 64-bit finalizer: a bijection whose high bits (which pick the bucket) depend on
// every input bit, so consecutive ids spread evenly.
uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

// a[0..n) == b[0..n), for the short payloads of bucket entries.
bool SameBytes(const uint8_t* a, const uint8_t* b, size_t n) {
  if (n >= 8) {
    uint64_t x, y;
    std::memcpy(&x, a + n - 8, 8);
    std::memcpy(&y, b + n - 8, 8);
    if (x != y) return false;
    return n == 8 || std::memcmp(a, b, n - 8) == 0;
  }
  if (n >= 4) {
    uint32_t x0, y0, x1, y1;
    std::memcpy(&x0, a, 4);
    std::memcpy(&y0, b, 4);
    std::memcpy(&x1, a + n - 4, 4);
    std::memcpy(&y1, b + n - 4, 4);
    return x0 == y0 && x1 == y1;
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// Grows or shrinks b to hold `need` bytes, keeping *heap exact.
uint8_t* Resize(uint8_t* b, size_t need, size_t* heap) {
  *heap -= AllocSize(b);
  auto* nb = static_cast<uint8_t*>(std::realloc(b, need));
  if (nb == nullptr) std::abort();
  *heap += AllocSize(nb);
  return nb;
}

}  // namespace

SetMember SetMember::Of(std::string_view text) {
  SetMember m;
  if (ParseCanonicalInt(text, &m.i)) {
    m.is_int = true;
  } else {
    m.s = text;
  }
  return m;
}

std::string_view SetMember::Text(char* buf) const {
  if (!is_int) return s;
  return std::string_view(buf, FormatInt(i, buf));
}

uint64_t SetMember::Hash() const {
  if (is_int) return Mix(static_cast<uint64_t>(i) ^ 0x2545F4914F6CDD1DULL);
  return XXH3_64bits(s.data(), s.size());
}

size_t EncodedSize(const SetMember& m) {
  if (m.is_int) return 1 + IntBytes(m.i);
  if (m.s.size() <= kSetInlineMax) return 1 + m.s.size();
  return 1 + sizeof(uint8_t*);
}

void EncodeMember(const SetMember& m, uint8_t* dst, size_t* heap) {
  if (m.is_int) {
    const size_t n = IntBytes(m.i);
    dst[0] = static_cast<uint8_t>(n);
    const uint64_t u = static_cast<uint64_t>(m.i);
    std::memcpy(dst + 1, &u, n);
    return;
  }
  if (m.s.size() <= kSetInlineMax) {
    dst[0] = static_cast<uint8_t>(kTagString + m.s.size());
    if (!m.s.empty()) std::memcpy(dst + 1, m.s.data(), m.s.size());
    return;
  }
  auto* block = static_cast<uint8_t*>(MustMalloc(sizeof(uint32_t) + m.s.size()));
  const auto len = static_cast<uint32_t>(m.s.size());
  std::memcpy(block, &len, sizeof(len));
  std::memcpy(block + sizeof(len), m.s.data(), m.s.size());
  *heap += AllocSize(block);
  dst[0] = kTagBlock;
  std::memcpy(dst + 1, &block, sizeof(block));
}

SetMember DecodeEntry(const uint8_t* e) {
  const uint8_t tag = e[0];
  SetMember m;
  if (tag <= kTagMaxInt) {
    m.is_int = true;
    m.i = LoadInt(e + 1, tag);
  } else if (tag == kTagBlock) {
    const uint8_t* block = BlockOf(e);
    m.s =
        std::string_view(reinterpret_cast<const char*>(block + sizeof(uint32_t)), BlockLen(block));
  } else {
    m.s = std::string_view(reinterpret_cast<const char*>(e + 1),
                           static_cast<size_t>(tag - kTagString));
  }
  return m;
}

bool EntryMatches(const uint8_t* e, const SetMember& m) {
  const uint8_t tag = e[0];
  if (tag <= kTagMaxInt) return m.is_int && LoadInt(e + 1, tag) == m.i;
  if (m.is_int) return false;
  if (tag == kTagBlock) {
    if (m.s.size() <= kSetInlineMax) return false;
    const uint8_t* block = BlockOf(e);
    return BlockLen(block) == m.s.size() &&
           std::memcmp(block + sizeof(uint32_t), m.s.data(), m.s.size()) == 0;
  }
  const size_t len = static_cast<size_t>(tag - kTagString);
  return len == m.s.size() && (len == 0 || std::memcmp(e + 1, m.s.data(), len) == 0);
}

size_t EntryHeap(const uint8_t* e) { return e[0] == kTagBlock ? AllocSize(BlockOf(e)) : 0; }

void FreeEntryHeap(const uint8_t* e, size_t* heap) {
  if (e[0] != kTagBlock) return;
  const uint8_t* block = BlockOf(e);
  *heap -= AllocSize(block);
  std::free(const_cast<uint8_t*>(block));
}

const uint8_t* FindInBucket(const uint8_t* b, const SetMember& m, size_t* end, size_t* count) {
  *end = 0;
  *count = 0;
  if (b == nullptr) return nullptr;
  // The encoding is canonical (integers in their fewest bytes, strings up to kSetInlineMax
  // inline), so an inline entry equals m exactly when its tag byte (which carries the length)
  // and payload equal m's: no decoding, and the payload is compared last 8 bytes first (members
  // often share a prefix, as "user:1000" and "user:1001" do).
  uint8_t tag;
  const uint8_t* payload;
  size_t len;
  uint64_t int_bytes = 0;
  if (m.is_int) {
    len = IntBytes(m.i);
    tag = static_cast<uint8_t>(len);
    int_bytes = static_cast<uint64_t>(m.i);  // little-endian: the low `len` bytes
    payload = reinterpret_cast<const uint8_t*>(&int_bytes);
  } else if (m.s.size() <= kSetInlineMax) {
    len = m.s.size();
    tag = static_cast<uint8_t>(kTagString + len);
    payload = reinterpret_cast<const uint8_t*>(m.s.data());
  } else {
    len = 0;
    tag = kTagBlock;
    payload = nullptr;
  }
  size_t n = 0;
  const uint8_t* e = b;
  for (; *e != kTagEnd; e += EntrySize(e), ++n) {
    if (*e != tag) continue;
    if (payload != nullptr ? SameBytes(e + 1, payload, len) : EntryMatches(e, m)) {
      *count = n;
      return e;  // the caller of a successful lookup does not need the end
    }
  }
  *end = static_cast<size_t>(e - b);
  *count = n;
  return nullptr;
}

size_t BucketCount(const uint8_t* b) {
  size_t n = 0;
  if (b == nullptr) return 0;
  for (const uint8_t* e = b; *e != kTagEnd; e += EntrySize(e)) ++n;
  return n;
}

size_t BucketEnd(const uint8_t* b) {
  if (b == nullptr) return 0;
  const uint8_t* e = b;
  while (*e != kTagEnd) e += EntrySize(e);
  return static_cast<size_t>(e - b);
}

size_t BucketEnd(const uint8_t* b, size_t* count) {
  *count = 0;
  if (b == nullptr) return 0;
  const uint8_t* e = b;
  for (; *e != kTagEnd; e += EntrySize(e)) ++*count;
  return static_cast<size_t>(e - b);
}

const uint8_t* BucketEntryAt(const uint8_t* b, size_t n) {
  if (b == nullptr) return nullptr;
  for (const uint8_t* e = b; *e != kTagEnd; e += EntrySize(e)) {
    if (n-- == 0) return e;
  }
  return nullptr;
}

uint8_t* BucketAppendRaw(uint8_t* b, size_t end, const uint8_t* entry, size_t n, size_t* heap) {
  const size_t need = end + n + 1;
  if (b == nullptr || need > AllocSize(b)) b = Resize(b, need, heap);
  std::memcpy(b + end, entry, n);
  b[end + n] = kTagEnd;
  return b;
}

uint8_t* BucketReserve(uint8_t* b, size_t need, size_t* heap) {
  if (b != nullptr && need <= AllocSize(b)) return b;
  return Resize(b, need, heap);
}

uint8_t* BucketAppend(uint8_t* b, size_t end, const SetMember& m, size_t* heap) {
  const size_t n = EncodedSize(m);
  const size_t need = end + n + 1;
  if (b == nullptr || need > AllocSize(b)) b = Resize(b, need, heap);
  EncodeMember(m, b + end, heap);
  b[end + n] = kTagEnd;
  return b;
}

uint8_t* BucketErase(uint8_t* b, size_t off, size_t* heap) {
  uint8_t* e = b + off;
  const size_t n = EntrySize(e);
  FreeEntryHeap(e, heap);
  const size_t end = BucketEnd(b);
  if (end == n) {  // it was the only entry
    *heap -= AllocSize(b);
    std::free(b);
    return nullptr;
  }
  std::memmove(e, e + n, end + 1 - off - n);
  const size_t used = end + 1 - n;
  const size_t cap = AllocSize(b);
  if (cap - used >= 16 && cap - used >= cap / 4) b = Resize(b, used, heap);
  return b;
}

void BucketFree(uint8_t* b, size_t* heap, bool free_blocks) {
  if (b == nullptr) return;
  if (free_blocks) {
    for (const uint8_t* e = b; *e != kTagEnd; e += EntrySize(e)) FreeEntryHeap(e, heap);
  }
  *heap -= AllocSize(b);
  std::free(b);
}

uint8_t* BucketClone(const uint8_t* b, size_t* heap) {
  if (b == nullptr) return nullptr;
  const size_t used = BucketEnd(b) + 1;
  auto* copy = static_cast<uint8_t*>(MustMalloc(used));
  std::memcpy(copy, b, used);
  *heap += AllocSize(copy);
  for (uint8_t* e = copy; *e != kTagEnd; e += EntrySize(e)) {
    if (e[0] != kTagBlock) continue;
    const uint8_t* block = BlockOf(e);
    const size_t size = sizeof(uint32_t) + BlockLen(block);
    auto* nblock = static_cast<uint8_t*>(MustMalloc(size));
    std::memcpy(nblock, block, size);
    *heap += AllocSize(nblock);
    std::memcpy(e + 1, &nblock, sizeof(nblock));
  }
  return copy;
}

size_t BucketHeap(const uint8_t* b) {
  if (b == nullptr) return 0;
  size_t n = AllocSize(b);
  for (const uint8_t* e = b; *e != kTagEnd; e += EntrySize(e)) n += EntryHeap(e);
  return n;
}

}  // namespace ringkv::engine::detail
