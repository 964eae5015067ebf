// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The byte format of one hash entry (a field, its value and an optional expiry time), shared by
// both encodings of engine/types/hash.h: the small one is a run of these entries in insertion
// order, the large one keeps runs of them in hash-table buckets (engine/types/hash_table.h).
// Only the format lives here; neither encoding's bookkeeping does.
//
// An element (a field or a value) starts with a tag byte:
//
//   0x00..0x7F  a string of 0..127 bytes; the bytes follow
//   0x80..0xBF  the integer 0..63 itself (no payload)
//   0xC0..0xC7  an integer in 1..8 bytes, little endian, sign-extended
//   0xE0        a string of 128 bytes or more: LEB128 length, then the bytes
//
// Only text that Redis's string2ll accepts and that prints back identically (no '+', no leading
// zeros, no "-0", at most 20 characters, in int64 range) is stored as an integer, so a value
// always reads back byte for byte as it was written. Integer storage is optional per call: the
// large encoding keeps plain strings so that lookups compare bytes and reads need no formatting.
//
// An entry is [0xF0, 8-byte little-endian expiry in Unix ms] (only when the field has an
// expiry) followed by the field element and the value element. 0xF0 never starts an element.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace ringkv::engine::hash_detail {

inline constexpr uint8_t kTtlTag = 0xF0;
inline constexpr uint8_t kLongStringTag = 0xE0;
inline constexpr uint8_t kImmediateTag = 0x80;  // 0x80 | n for n in 0..63
inline constexpr uint8_t kIntTag = 0xC0;        // 0xC0 | (bytes - 1)
inline constexpr size_t kTtlBytes = 9;          // tag + 8-byte expiry
// Room for any int64 in decimal.
inline constexpr size_t kIntTextMax = 21;

// Redis's string2ll over the whole text, limited to the canonical form (the one ll2string
// prints), so that an integer stored in place of the text reproduces it exactly.
inline bool ParseCanonicalInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  if (s.size() == 1 && s[0] == '0') {
    *out = 0;
    return true;
  }
  size_t i = 0;
  const bool negative = s[0] == '-';
  if (negative) i = 1;
  if (i >= s.size() || s[i] < '1' || s[i] > '9') return false;
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9 || v > (UINT64_MAX - d) / 10) return false;
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

// Bytes needed to hold v sign-extended (1..8).
inline size_t IntBytes(int64_t v) {
  size_t n = 1;
  while (n < 8) {
    const int64_t lim = int64_t{1} << (8 * n - 1);
    if (v >= -lim && v < lim) break;
    ++n;
  }
  return n;
}

inline size_t VarintBytes(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// A field or value as it will be stored: decided once, written with PutElem.
struct ElemPlan {
  std::string_view text;
  bool is_int = false;
  int64_t ival = 0;
  size_t size = 0;  // encoded bytes
};

inline ElemPlan PlanElem(std::string_view s, bool allow_int) {
  ElemPlan p;
  p.text = s;
  if (allow_int && ParseCanonicalInt(s, &p.ival)) {
    p.is_int = true;
    p.size = (p.ival >= 0 && p.ival < 64) ? 1 : 1 + IntBytes(p.ival);
  } else if (s.size() < 128) {
    p.size = 1 + s.size();
  } else {
    p.size = 1 + VarintBytes(s.size()) + s.size();
  }
  return p;
}

inline uint8_t* PutElem(uint8_t* p, const ElemPlan& e) {
  if (e.is_int) {
    if (e.ival >= 0 && e.ival < 64) {
      *p++ = static_cast<uint8_t>(kImmediateTag | e.ival);
      return p;
    }
    const size_t n = IntBytes(e.ival);
    *p++ = static_cast<uint8_t>(kIntTag | (n - 1));
    uint64_t u = static_cast<uint64_t>(e.ival);
    for (size_t i = 0; i < n; ++i, u >>= 8) *p++ = static_cast<uint8_t>(u);
    return p;
  }
  const size_t len = e.text.size();
  if (len < 128) {
    *p++ = static_cast<uint8_t>(len);
  } else {
    *p++ = kLongStringTag;
    uint64_t v = len;
    while (v >= 0x80) {
      *p++ = static_cast<uint8_t>(v | 0x80);
      v >>= 7;
    }
    *p++ = static_cast<uint8_t>(v);
  }
  if (len > 0) std::memcpy(p, e.text.data(), len);
  return p + len;
}

// A decoded element.
struct Elem {
  const char* data = nullptr;  // string bytes (unused for integers)
  uint32_t len = 0;
  bool is_int = false;
  int64_t ival = 0;
};

inline const uint8_t* GetElem(const uint8_t* p, Elem* e) {
  const uint8_t tag = *p++;
  if (tag < 0x80) {
    e->is_int = false;
    e->data = reinterpret_cast<const char*>(p);
    e->len = tag;
    return p + tag;
  }
  if (tag < 0xC0) {
    e->is_int = true;
    e->ival = tag & 0x3F;
    return p;
  }
  if (tag < 0xC8) {
    const size_t n = (tag & 7) + 1;
    uint64_t u = 0;
    for (size_t i = 0; i < n; ++i) u |= uint64_t{p[i]} << (8 * i);
    if (n < 8 && (u >> (8 * n - 1)) & 1) u |= ~uint64_t{0} << (8 * n);  // sign-extend
    e->is_int = true;
    e->ival = static_cast<int64_t>(u);
    return p + n;
  }
  // kLongStringTag.
  uint64_t len = 0;
  for (int shift = 0;; shift += 7) {
    const uint8_t b = *p++;
    len |= uint64_t{b & 0x7Fu} << shift;
    if (b < 0x80) break;
  }
  e->is_int = false;
  e->data = reinterpret_cast<const char*>(p);
  e->len = static_cast<uint32_t>(len);
  return p + len;
}

// GetElem for untrusted bytes (a snapshot or RESTORE payload): decodes the element at *p into
// *e and advances *p, or returns false when it runs past `end` or is not in the one form PutElem
// writes for its text: integers in the fewest bytes (0..63 as immediates), only with allow_int,
// and then canonical integer text never as a string; strings of 128 bytes or more only, with a
// minimal LEB128 length. Lookups compare encoded bytes, so any other form would hide a field.
inline bool CheckElem(const uint8_t** p, const uint8_t* end, bool allow_int, Elem* e) {
  const uint8_t* q = *p;
  if (q >= end) return false;
  const uint8_t tag = *q++;
  const auto left = static_cast<size_t>(end - q);
  if (tag < 0x80) {
    if (left < tag) return false;
    e->is_int = false;
    e->data = reinterpret_cast<const char*>(q);
    e->len = tag;
    int64_t v = 0;
    const unsigned first = tag > 0 ? q[0] : 0;
    if (allow_int && (first - '0' <= 9 || first == '-') &&
        ParseCanonicalInt(std::string_view(e->data, tag), &v)) {
      return false;
    }
    *p = q + tag;
    return true;
  }
  if (tag < 0xC0) {
    if (!allow_int) return false;
    e->is_int = true;
    e->ival = tag & 0x3F;
    *p = q;
    return true;
  }
  if (tag < 0xC8) {
    const size_t n = (tag & 7) + 1;
    if (!allow_int || left < n) return false;
    GetElem(q - 1, e);
    if (IntBytes(e->ival) != n || (e->ival >= 0 && e->ival < 64)) return false;
    *p = q + n;
    return true;
  }
  if (tag != kLongStringTag) return false;
  uint64_t len = 0;
  size_t bytes = 0;
  for (;;) {
    if (q >= end || bytes == 5) return false;  // lengths fit in 32 bits
    const uint8_t b = *q++;
    len |= uint64_t{b & 0x7Fu} << (7 * bytes++);
    if (b < 0x80) break;
  }
  if (len < 128 || len > UINT32_MAX || VarintBytes(len) != bytes ||
      static_cast<uint64_t>(end - q) < len) {
    return false;
  }
  e->is_int = false;
  e->data = reinterpret_cast<const char*>(q);
  e->len = static_cast<uint32_t>(len);
  *p = q + len;
  return true;
}

// The element's text; integers are printed into buf.
inline std::string_view ElemText(const Elem& e, char (&buf)[kIntTextMax]) {
  if (!e.is_int) return std::string_view(e.data, e.len);
  const auto r = std::to_chars(buf, buf + sizeof(buf), e.ival);
  return std::string_view(buf, static_cast<size_t>(r.ptr - buf));
}

inline size_t ElemTextLength(const Elem& e) {
  if (!e.is_int) return e.len;
  char buf[kIntTextMax];
  return ElemText(e, buf).size();
}

// The first byte past the element at p, without decoding it.
inline const uint8_t* SkipElem(const uint8_t* p) {
  const uint8_t tag = *p;
  if (tag < 0x80) return p + 1 + tag;
  if (tag < 0xC0) return p + 1;
  if (tag < 0xC8) return p + 2 + (tag & 7);
  uint64_t len = 0;
  ++p;
  for (int shift = 0;; shift += 7) {
    const uint8_t b = *p++;
    len |= uint64_t{b & 0x7Fu} << shift;
    if (b < 0x80) break;
  }
  return p + len;
}

// A field to look up, encoded once the way it is stored. Element encodings are prefix-free (the
// tag fixes the length), so a stored field equals the key exactly when its first size() bytes
// equal these: lookups are a memcmp per entry, with no decoding.
class FieldKey {
 public:
  FieldKey(std::string_view field, bool allow_int) {
    const ElemPlan plan = PlanElem(field, allow_int);
    uint8_t* out = small_;
    if (plan.size > sizeof(small_)) {
      big_.resize(plan.size);
      out = reinterpret_cast<uint8_t*>(big_.data());
    }
    PutElem(out, plan);
    data_ = out;
    size_ = plan.size;
  }
  FieldKey(const FieldKey&) = delete;
  FieldKey& operator=(const FieldKey&) = delete;
  const uint8_t* data() const { return data_; }
  size_t size() const { return size_; }
  // Whether the element at p (with at least `avail` bytes after it in the buffer) is this field.
  bool MatchesAt(const uint8_t* p, size_t avail) const {
    // The tag (length) and the last byte reject almost every other field without a call.
    return p[0] == data_[0] && avail >= size_ && p[size_ - 1] == data_[size_ - 1] &&
           std::memcmp(p, data_, size_) == 0;
  }

 private:
  uint8_t small_[80];
  std::string big_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// A decoded entry.
struct EntryView {
  int64_t expire_ms = 0;  // 0: none
  Elem field;
  Elem value;
  const uint8_t* begin = nullptr;
  const uint8_t* end = nullptr;
  size_t size() const { return static_cast<size_t>(end - begin); }
};

inline int64_t LoadExpiry(const uint8_t* p) {
  uint64_t u = 0;
  for (int i = 0; i < 8; ++i) u |= uint64_t{p[i]} << (8 * i);
  return static_cast<int64_t>(u);
}

inline void StoreExpiry(uint8_t* p, int64_t ms) {
  uint64_t u = static_cast<uint64_t>(ms);
  for (int i = 0; i < 8; ++i, u >>= 8) p[i] = static_cast<uint8_t>(u);
}

inline const uint8_t* GetEntry(const uint8_t* p, EntryView* e) {
  e->begin = p;
  e->expire_ms = 0;
  if (*p == kTtlTag) {
    e->expire_ms = LoadExpiry(p + 1);
    p += kTtlBytes;
  }
  p = GetElem(p, &e->field);
  p = GetElem(p, &e->value);
  e->end = p;
  return p;
}

inline size_t EntrySize(const ElemPlan& field, const ElemPlan& value, int64_t expire_ms) {
  return (expire_ms != 0 ? kTtlBytes : 0) + field.size + value.size;
}

inline uint8_t* PutEntry(uint8_t* p, const ElemPlan& field, const ElemPlan& value,
                         int64_t expire_ms) {
  if (expire_ms != 0) {
    *p = kTtlTag;
    StoreExpiry(p + 1, expire_ms);
    p += kTtlBytes;
  }
  p = PutElem(p, field);
  return PutElem(p, value);
}

// splitmix64: the random source of HRANDFIELD's sampling; *state is any caller-kept value.
inline uint64_t NextRandom(uint64_t* state) {
  uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace ringkv::engine::hash_detail
