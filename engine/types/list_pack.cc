// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Encoding and decoding of one packed list element (format in list_pack.h).
#include "engine/types/list_pack.h"

#include <charconv>
#include <cstring>

namespace ringkv::engine::detail {

namespace {

constexpr uint8_t kStr6 = 0x80;
constexpr uint8_t kStr13 = 0xC0;
constexpr uint8_t kStr32 = 0xE0;
constexpr uint8_t kIntN = 0xE0;  // 0xE1..0xE8: integer in 1..8 bytes

size_t BacklenSize(size_t body) {
  size_t n = 1;
  while (body >= 128) {
    body >>= 7;
    ++n;
  }
  return n;
}

// Bytes needed for v in two's complement.
size_t IntBytes(int64_t v) {
  for (size_t n = 1; n < 8; ++n) {
    const int64_t lim = int64_t{1} << (8 * n - 1);
    if (v >= -lim && v < lim) return n;
  }
  return 8;
}

}  // namespace

bool LpParseCanonicalInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) ++i;
  if (i == s.size()) return false;
  if (s[i] == '0') {
    // Only "0" itself; "-0" and "01" do not read back as themselves.
    if (s.size() != 1) return false;
    *out = 0;
    return true;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > uint64_t{1} << 63) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

LpValue LpPrepare(std::string_view v) {
  LpValue p;
  p.s = v;
  if (LpParseCanonicalInt(v, &p.i)) {
    p.is_int = true;
    p.body = (p.i >= 0 && p.i < 128) ? 1 : 1 + IntBytes(p.i);
  } else if (v.size() < 64) {
    p.body = 1 + v.size();
  } else if (v.size() < 8192) {
    p.body = 2 + v.size();
  } else {
    p.body = 5 + v.size();
  }
  p.total = p.body + BacklenSize(p.body);
  return p;
}

void LpWrite(const LpValue& v, uint8_t* dst) {
  uint8_t* p = dst;
  if (v.is_int) {
    if (v.i >= 0 && v.i < 128) {
      *p++ = static_cast<uint8_t>(v.i);
    } else {
      const size_t n = v.body - 1;
      *p++ = static_cast<uint8_t>(kIntN + n);
      const uint64_t u = static_cast<uint64_t>(v.i);
      for (size_t k = 0; k < n; ++k) *p++ = static_cast<uint8_t>(u >> (8 * k));
    }
  } else {
    const size_t len = v.s.size();
    if (len < 64) {
      *p++ = static_cast<uint8_t>(kStr6 | len);
    } else if (len < 8192) {
      *p++ = static_cast<uint8_t>(kStr13 | (len >> 8));
      *p++ = static_cast<uint8_t>(len & 0xFF);
    } else {
      *p++ = kStr32;
      const uint32_t l32 = static_cast<uint32_t>(len);
      for (size_t k = 0; k < 4; ++k) *p++ = static_cast<uint8_t>(l32 >> (8 * k));
    }
    if (len > 0) std::memcpy(p, v.s.data(), len);
    p += len;
  }
  LpWriteBacklen(v.body, p);
}

LpElem LpRead(const uint8_t* p) {
  LpElem e;
  const uint8_t h = p[0];
  size_t body;
  if (h < 0x80) {
    e.is_int = true;
    e.i = h;
    body = 1;
  } else if (h < kStr13) {
    const size_t len = h & 0x3F;
    e.s = std::string_view(reinterpret_cast<const char*>(p + 1), len);
    body = 1 + len;
  } else if (h < kStr32) {
    const size_t len = (static_cast<size_t>(h & 0x1F) << 8) | p[1];
    e.s = std::string_view(reinterpret_cast<const char*>(p + 2), len);
    body = 2 + len;
  } else if (h == kStr32) {
    uint32_t len = 0;
    for (size_t k = 0; k < 4; ++k) len |= static_cast<uint32_t>(p[1 + k]) << (8 * k);
    e.s = std::string_view(reinterpret_cast<const char*>(p + 5), len);
    body = 5 + static_cast<size_t>(len);
  } else {
    const size_t n = h - kIntN;
    uint64_t u = 0;
    for (size_t k = 0; k < n; ++k) u |= static_cast<uint64_t>(p[1 + k]) << (8 * k);
    const unsigned shift = static_cast<unsigned>(64 - 8 * n);
    e.is_int = true;
    e.i = static_cast<int64_t>(u << shift) >> shift;
    body = 1 + n;
  }
  e.total = body + BacklenSize(body);
  return e;
}

void LpParts(const uint8_t* p, size_t* header, size_t* payload) {
  const uint8_t h = p[0];
  if (h < 0x80) {
    *header = 1;
    *payload = 0;
  } else if (h < kStr13) {
    *header = 1;
    *payload = h & 0x3F;
  } else if (h < kStr32) {
    *header = 2;
    *payload = (static_cast<size_t>(h & 0x1F) << 8) | p[1];
  } else if (h == kStr32) {
    uint32_t len = 0;
    for (size_t k = 0; k < 4; ++k) len |= static_cast<uint32_t>(p[1 + k]) << (8 * k);
    *header = 5;
    *payload = len;
  } else {
    *header = 1;
    *payload = static_cast<size_t>(h - kIntN);
  }
}

size_t LpWriteBacklen(size_t body, uint8_t* dst) {
  // The low 7-bit group goes last, so a backwards reader meets it first.
  const size_t k = BacklenSize(body);
  for (size_t j = 0; j < k; ++j) {
    uint8_t g = static_cast<uint8_t>(body & 0x7F);
    if (j + 1 < k) g |= 0x80;
    dst[k - 1 - j] = g;
    body >>= 7;
  }
  return k;
}

size_t LpTotal(const uint8_t* p) {
  size_t header, payload;
  LpParts(p, &header, &payload);
  const size_t body = header + payload;
  return body + BacklenSize(body);
}

size_t LpPrevTotal(const uint8_t* end) {
  size_t body = 0;
  unsigned shift = 0;
  const uint8_t* p = end;
  for (;;) {
    const uint8_t b = *--p;
    body |= static_cast<size_t>(b & 0x7F) << shift;
    shift += 7;
    if (!(b & 0x80)) break;
  }
  return body + BacklenSize(body);
}

std::string_view LpView(const LpElem& e, char* buf) {
  if (!e.is_int) return e.s;
  auto r = std::to_chars(buf, buf + kLpIntBufSize, e.i);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

}  // namespace ringkv::engine::detail
