// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Entry: one key and its value in ONE heap allocation, the unit the table points at.
//
// Layout (byte offsets; no padding, multi-byte fields are unaligned little-endian):
//   [0]      type (low 4 bits) | encoding (high 4 bits)
//   [1]      flags: bit 0 = has expiry; bits 1..7 free
//   [2..9]   expiry, absolute Unix ms            } present only when the has-expiry flag is set,
//   [10..13] position in the shard's expiry index } so keys without a TTL pay nothing for it
//   varint   key length, then the key bytes
//   value, by encoding:
//     kInt     1 byte n (1..8), then n bytes of the int64, two's complement, sign-extended
//     kEmbStr  varint length, then the bytes
//     kRaw     8-byte RawString* (length and capacity live in that buffer)
//     others   8-byte Object* (owned)
// For key:00000001 with a 16-byte value that is 2 + 1 + 12 + 1 + 16 = 32 bytes: exactly one
// 32-byte size class. Three more header bytes would push it into the 48-byte class of every
// allocator measured (docs/engine.md), which is why the LRU/LFU clock does not live here: it is
// kept in the table slot's unused pointer bits (see Slot in table.h).
//
// Entries are immutable in size: an operation that changes the layout (adding an expiry, growing
// a value past the allocation) returns a new Entry* and frees the old one, and the caller updates
// the table slot and the expiry index. Entries are not thread-safe; the shard lock guards them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>

#include "engine/object.h"

namespace ringkv::engine {

// Out-of-line string buffer with spare capacity, so APPEND and SETRANGE grow amortized.
struct RawString {
  size_t len;
  size_t cap;
  char* data() { return reinterpret_cast<char*>(this + 1); }
  const char* data() const { return reinterpret_cast<const char*>(this + 1); }
};

// Strings longer than this are stored out of line (kRaw). See docs/engine.md for the choice.
inline constexpr size_t kMaxInlineValue = 4096;
// Enough room to format any int64 in decimal.
inline constexpr size_t kIntBufSize = 24;

class Entry {
 public:
  Entry() = delete;

  // A string entry. Canonical int64 text is int-encoded unless force_raw; values longer than
  // kMaxInlineValue (or any value when force_raw) go out of line. expire_ms == 0: no expiry.
  static Entry* NewString(std::string_view key, std::string_view value, int64_t expire_ms,
                          bool force_raw = false);
  // A non-string entry owning `object`.
  static Entry* NewObject(std::string_view key, ValueType type, Encoding encoding,
                          std::unique_ptr<Object> object, int64_t expire_ms);
  // Frees the entry and everything its value owns.
  static void Free(Entry* e);

  // Same key and expiry, new string value. Returns the entry to keep (`e` itself when the
  // value fit in place); `e` is freed when a new one is returned.
  static Entry* ReplaceString(Entry* e, std::string_view value, bool force_raw = false);
  // Same key and value; expiry set (expire_ms > 0) or removed (0). May return a new entry.
  static Entry* WithExpire(Entry* e, int64_t expire_ms);
  // Moves the value of `e` under a new key (RENAME); `e` is freed. The expiry is kept.
  static Entry* Rekey(Entry* e, std::string_view new_key);
  // Deep copy under a new key (COPY); the expiry is kept.
  static Entry* Clone(const Entry* e, std::string_view new_key);

  ValueType type() const { return static_cast<ValueType>(bytes()[0] & 0x0f); }
  Encoding encoding() const { return static_cast<Encoding>(bytes()[0] >> 4); }
  bool has_expire() const { return (bytes()[1] & kFlagExpire) != 0; }
  // REQUIRES: has_expire().
  int64_t expire_ms() const { return Load<int64_t>(kFixedHeader); }
  void set_expire_ms(int64_t ms) { Store<int64_t>(kFixedHeader, ms); }
  uint32_t expiry_index() const { return Load<uint32_t>(kFixedHeader + 8); }
  void set_expiry_index(uint32_t i) { Store<uint32_t>(kFixedHeader + 8, i); }

  std::string_view key() const;
  bool KeyEquals(std::string_view k) const { return key() == k; }

  // String value. REQUIRES: type() == kString. `buf` is used only for int-encoded values, and
  // the view is valid until the entry changes or buf goes away.
  std::string_view StringValue(char (&buf)[kIntBufSize]) const;
  size_t StringLength() const;
  // REQUIRES: encoding() == kInt.
  int64_t IntValue() const;
  // REQUIRES: encoding() == kRaw.
  RawString* raw() const;
  // REQUIRES: type() != kString.
  Object* object() const;
  // REQUIRES: type() != kString. Stores `o` (ownership passes to the entry; the previous pointer
  // is NOT freed: the caller took it out first) and sets the encoding tag.
  void ResetObject(Object* o, Encoding encoding);

  // Bytes this entry holds on the heap: the entry allocation plus out-of-line value, allocator
  // rounding included.
  size_t MemoryUsage() const;
  // Bytes of the layout itself (what was asked of malloc).
  size_t LayoutSize() const;

  static constexpr uint8_t kFlagExpire = 1;
  static constexpr size_t kFixedHeader = 2;
  static constexpr size_t kExpireBytes = 12;

 private:
  const uint8_t* bytes() const { return reinterpret_cast<const uint8_t*>(this); }
  uint8_t* mbytes() { return reinterpret_cast<uint8_t*>(this); }
  template <typename T>
  T Load(size_t off) const {
    T v;
    std::memcpy(&v, bytes() + off, sizeof(T));
    return v;
  }
  template <typename T>
  void Store(size_t off, T v) {
    std::memcpy(mbytes() + off, &v, sizeof(T));
  }
  // Offset of the key-length varint.
  size_t KeyOffset() const { return kFixedHeader + (has_expire() ? kExpireBytes : 0); }
  // Offset of the value part.
  size_t ValueOffset() const;
};

// Parses canonical int64 text as Redis's string2ll does for int encoding: optional '-', no
// leading zeros, no '+', no spaces, "-0" rejected, at most 20 characters.
bool ParseCanonicalInt(std::string_view s, int64_t* out);
// Formats v in decimal into buf; returns the length.
size_t FormatInt(int64_t v, char* buf);

}  // namespace ringkv::engine
