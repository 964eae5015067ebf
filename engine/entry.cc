// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Building, reading and reshaping entries. The layout is described in entry.h.
#include "engine/entry.h"

#include <cstdlib>
#include <limits>

#include "engine/memory.h"

namespace ringkv::engine {

namespace {

size_t VarintSize(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

uint8_t* PutVarint(uint8_t* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

const uint8_t* GetVarint(const uint8_t* p, uint64_t* v) {
  uint64_t r = 0;
  int shift = 0;
  while (*p & 0x80) {
    r |= static_cast<uint64_t>(*p++ & 0x7f) << shift;
    shift += 7;
  }
  r |= static_cast<uint64_t>(*p++) << shift;
  *v = r;
  return p;
}

// Smallest n in 1..8 such that v survives truncation to n bytes and sign extension.
size_t IntBytes(int64_t v) {
  for (size_t n = 1; n < 8; ++n) {
    int64_t lo = -(int64_t{1} << (8 * n - 1));
    int64_t hi = (int64_t{1} << (8 * n - 1)) - 1;
    if (v >= lo && v <= hi) return n;
  }
  return 8;
}

// What goes in the value part of a new entry.
struct ValuePart {
  Encoding enc;
  int64_t ival = 0;
  std::string_view sval;
  void* ptr = nullptr;  // RawString* or Object*

  size_t Size() const {
    switch (enc) {
      case Encoding::kInt:
        return 1 + IntBytes(ival);
      case Encoding::kEmbStr:
        return VarintSize(sval.size()) + sval.size();
      default:
        return sizeof(void*);
    }
  }
  void Write(uint8_t* p) const {
    switch (enc) {
      case Encoding::kInt: {
        size_t n = IntBytes(ival);
        *p++ = static_cast<uint8_t>(n);
        uint64_t u = static_cast<uint64_t>(ival);
        for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(u >> (8 * i));
        break;
      }
      case Encoding::kEmbStr:
        p = PutVarint(p, sval.size());
        if (!sval.empty()) std::memmove(p, sval.data(), sval.size());
        break;
      default:
        std::memcpy(p, &ptr, sizeof(void*));
        break;
    }
  }
};

RawString* NewRaw(std::string_view s, size_t min_cap) {
  size_t cap = std::max(s.size(), min_cap);
  auto* r = static_cast<RawString*>(MustMalloc(sizeof(RawString) + cap));
  r->len = s.size();
  r->cap = AllocSize(r) - sizeof(RawString);
  if (!s.empty()) std::memcpy(r->data(), s.data(), s.size());
  return r;
}

ValuePart StringPart(std::string_view value, bool force_raw) {
  ValuePart part;
  int64_t iv;
  if (!force_raw && ParseCanonicalInt(value, &iv)) {
    part.enc = Encoding::kInt;
    part.ival = iv;
  } else if (!force_raw && value.size() <= kMaxInlineValue) {
    part.enc = Encoding::kEmbStr;
    part.sval = value;
  } else {
    part.enc = Encoding::kRaw;
    part.ptr = NewRaw(value, value.size());
  }
  return part;
}

Entry* Build(ValueType type, int64_t expire_ms, uint32_t expiry_index, std::string_view key,
             const ValuePart& v) {
  bool has_expire = expire_ms != 0;
  size_t size = Entry::kFixedHeader + (has_expire ? Entry::kExpireBytes : 0) +
                VarintSize(key.size()) + key.size() + v.Size();
  auto* p = static_cast<uint8_t*>(MustMalloc(size));
  p[0] = static_cast<uint8_t>(static_cast<uint8_t>(type) | (static_cast<uint8_t>(v.enc) << 4));
  p[1] = has_expire ? Entry::kFlagExpire : 0;
  uint8_t* q = p + Entry::kFixedHeader;
  if (has_expire) {
    std::memcpy(q, &expire_ms, 8);
    std::memcpy(q + 8, &expiry_index, 4);
    q += Entry::kExpireBytes;
  }
  q = PutVarint(q, key.size());
  if (!key.empty()) std::memcpy(q, key.data(), key.size());
  q += key.size();
  v.Write(q);
  return reinterpret_cast<Entry*>(p);
}

// The value part of an existing entry, taking over its pointer (if any).
ValuePart CurrentPart(const Entry* e, const uint8_t* value_ptr) {
  ValuePart part;
  part.enc = e->encoding();
  switch (part.enc) {
    case Encoding::kInt:
      part.ival = e->IntValue();
      break;
    case Encoding::kEmbStr: {
      uint64_t len;
      const uint8_t* s = GetVarint(value_ptr, &len);
      part.sval = std::string_view(reinterpret_cast<const char*>(s), len);
      break;
    }
    default:
      std::memcpy(&part.ptr, value_ptr, sizeof(void*));
      break;
  }
  return part;
}

void FreeValue(Entry* e) {
  if (e->encoding() == Encoding::kRaw) {
    std::free(e->raw());
  } else if (e->type() != ValueType::kString) {
    if (e->object() != nullptr) Object::Destroy(e->object());  // null while UpdateObject has it out
  }
}

}  // namespace

bool ParseCanonicalInt(std::string_view s, int64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  size_t i = 0;
  bool neg = false;
  if (s[0] == '-') {
    neg = true;
    i = 1;
    if (s.size() == 1) return false;
  }
  if (s[i] == '0') {
    if (s.size() == 1) {
      *out = 0;
      return true;
    }
    return false;  // leading zero or "-0"
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c < '0' || c > '9') return false;
    uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (std::numeric_limits<uint64_t>::max() - d) / 10) return false;
    v = v * 10 + d;
  }
  if (neg) {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) + 1) return false;
    *out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return false;
    *out = static_cast<int64_t>(v);
  }
  return true;
}

size_t FormatInt(int64_t v, char* buf) {
  char tmp[kIntBufSize];
  size_t n = 0;
  uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  do {
    tmp[n++] = static_cast<char>('0' + u % 10);
    u /= 10;
  } while (u != 0);
  size_t len = 0;
  if (v < 0) buf[len++] = '-';
  while (n > 0) buf[len++] = tmp[--n];
  return len;
}

Entry* Entry::NewString(std::string_view key, std::string_view value, int64_t expire_ms,
                        bool force_raw) {
  return Build(ValueType::kString, expire_ms, 0, key, StringPart(value, force_raw));
}

Entry* Entry::NewObject(std::string_view key, ValueType type, Encoding encoding,
                        std::unique_ptr<Object> object, int64_t expire_ms) {
  ValuePart part;
  part.enc = encoding;
  part.ptr = object.release();
  return Build(type, expire_ms, 0, key, part);
}

void Entry::Free(Entry* e) {
  FreeValue(e);
  std::free(e);
}

std::string_view Entry::key() const {
  uint64_t len;
  const uint8_t* p = GetVarint(bytes() + KeyOffset(), &len);
  return std::string_view(reinterpret_cast<const char*>(p), len);
}

size_t Entry::ValueOffset() const {
  std::string_view k = key();
  return static_cast<size_t>(reinterpret_cast<const uint8_t*>(k.data()) - bytes()) + k.size();
}

int64_t Entry::IntValue() const {
  const uint8_t* p = bytes() + ValueOffset();
  size_t n = p[0];
  uint64_t u = 0;
  for (size_t i = 0; i < n; ++i) u |= static_cast<uint64_t>(p[1 + i]) << (8 * i);
  if (n < 8 && (u >> (8 * n - 1)) & 1) u |= ~uint64_t{0} << (8 * n);  // sign-extend
  return static_cast<int64_t>(u);
}

RawString* Entry::raw() const {
  RawString* r;
  std::memcpy(&r, bytes() + ValueOffset(), sizeof(r));
  return r;
}

Object* Entry::object() const {
  Object* o;
  std::memcpy(&o, bytes() + ValueOffset(), sizeof(o));
  return o;
}

void Entry::ResetObject(Object* o, Encoding encoding) {
  std::memcpy(mbytes() + ValueOffset(), &o, sizeof(o));
  mbytes()[0] = static_cast<uint8_t>((mbytes()[0] & 0x0f) | (static_cast<uint8_t>(encoding) << 4));
}

std::string_view Entry::StringValue(char (&buf)[kIntBufSize]) const {
  switch (encoding()) {
    case Encoding::kInt:
      return std::string_view(buf, FormatInt(IntValue(), buf));
    case Encoding::kEmbStr: {
      uint64_t len;
      const uint8_t* p = GetVarint(bytes() + ValueOffset(), &len);
      return std::string_view(reinterpret_cast<const char*>(p), len);
    }
    default: {
      RawString* r = raw();
      return std::string_view(r->data(), r->len);
    }
  }
}

size_t Entry::StringLength() const {
  char buf[kIntBufSize];
  return StringValue(buf).size();
}

size_t Entry::LayoutSize() const {
  size_t off = ValueOffset();
  return off + CurrentPart(this, bytes() + off).Size();
}

size_t Entry::MemoryUsage() const {
  size_t n = AllocSize(this);
  if (encoding() == Encoding::kRaw) {
    n += AllocSize(raw());
  } else if (type() != ValueType::kString) {
    if (const Object* o = object(); o != nullptr) n += o->MemoryUsage();  // null: lent out
  }
  return n;
}

Entry* Entry::ReplaceString(Entry* e, std::string_view value, bool force_raw) {
  // A raw value that is rewritten (SETRANGE, APPEND) keeps its buffer when it fits, so repeated
  // appends stay amortized O(1).
  if (force_raw && e->encoding() == Encoding::kRaw && value.size() <= e->raw()->cap) {
    RawString* r = e->raw();
    if (!value.empty()) std::memmove(r->data(), value.data(), value.size());
    r->len = value.size();
    return e;
  }
  ValuePart part;
  if (force_raw) {
    part.enc = Encoding::kRaw;
    // Grow geometrically like sds so a sequence of appends is linear overall.
    part.ptr =
        NewRaw(value, value.size() < (1u << 20) ? value.size() * 2 : value.size() + (1u << 20));
  } else {
    part = StringPart(value, false);
  }
  size_t off = e->ValueOffset();
  if (part.enc != Encoding::kRaw && off + part.Size() <= AllocSize(e)) {
    // Fits in the current allocation: rewrite in place. The old out-of-line value is freed only
    // after the write, in case `value` points into it.
    ValueType old_type = e->type();
    ValuePart old = CurrentPart(e, e->bytes() + off);
    part.Write(e->mbytes() + off);
    e->mbytes()[0] = static_cast<uint8_t>(static_cast<uint8_t>(ValueType::kString) |
                                          (static_cast<uint8_t>(part.enc) << 4));
    if (old.enc == Encoding::kRaw) {
      std::free(old.ptr);
    } else if (old_type != ValueType::kString) {
      if (old.ptr != nullptr) Object::Destroy(static_cast<Object*>(old.ptr));
    }
    return e;
  }
  Entry* n = Build(ValueType::kString, e->has_expire() ? e->expire_ms() : 0,
                   e->has_expire() ? e->expiry_index() : 0, e->key(), part);
  Free(e);
  return n;
}

Entry* Entry::WithExpire(Entry* e, int64_t expire_ms) {
  if (expire_ms != 0 && e->has_expire()) {
    e->set_expire_ms(expire_ms);
    return e;
  }
  if (expire_ms == 0 && !e->has_expire()) return e;
  ValuePart part = CurrentPart(e, e->bytes() + e->ValueOffset());
  Entry* n = Build(e->type(), expire_ms, 0, e->key(), part);
  std::free(e);  // the value (if out of line) now belongs to n
  return n;
}

Entry* Entry::Rekey(Entry* e, std::string_view new_key) {
  ValuePart part = CurrentPart(e, e->bytes() + e->ValueOffset());
  Entry* n = Build(e->type(), e->has_expire() ? e->expire_ms() : 0, 0, new_key, part);
  std::free(e);
  return n;
}

Entry* Entry::Clone(const Entry* e, std::string_view new_key) {
  ValuePart part = CurrentPart(e, e->bytes() + e->ValueOffset());
  if (part.enc == Encoding::kRaw) {
    RawString* r = e->raw();
    part.ptr = NewRaw(std::string_view(r->data(), r->len), r->len);
  } else if (e->type() != ValueType::kString) {
    part.ptr = e->object()->Clone().release();
  }
  return Build(e->type(), e->has_expire() ? e->expire_ms() : 0, 0, new_key, part);
}

}  // namespace ringkv::engine
