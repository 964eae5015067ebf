// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// HashObject: see the design notes in hash.h. The large encoding lives in hash_table.cc.
#include "engine/types/hash.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <new>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/memory.h"
#include "engine/types/hash_table.h"
#include "engine/types/limits.h"

namespace ringkv::engine {

using hash_detail::ElemPlan;
using hash_detail::EntryView;
using hash_detail::FieldKey;
using hash_detail::FieldTable;
using hash_detail::kTtlBytes;
using hash_detail::NextRandom;

namespace {

// A small hash's entry area never grows past this; beyond it the hash converts (only reachable
// with hash-max-listpack-* limits raised far above their defaults).
constexpr size_t kMaxSmallBytes = size_t{1} << 30;
constexpr size_t kHintBytes = 8;
// Field names of at most this many packed bytes are not shaped.
constexpr size_t kMinShapedNames = 8;

std::string_view Text(const hash_detail::Elem& e, char (&buf)[hash_detail::kIntTextMax]) {
  return hash_detail::ElemText(e, buf);
}

}  // namespace

HashObject* HashObject::Allocate(size_t trailing) {
  void* p = MustMalloc(sizeof(HashObject) + trailing);
  return new (p) HashObject();
}

std::unique_ptr<HashObject> HashObject::New() { return std::unique_ptr<HashObject>(Allocate(0)); }

HashObject::~HashObject() {
  if (is_table()) table()->~FieldTable();
}

void HashObject::operator delete(void* p) { std::free(p); }

size_t HashObject::MemoryUsage() const {
  return AllocSize(this) + (is_table() ? table()->memory() : 0);
}

std::unique_ptr<Object> HashObject::Clone() const {
  if (is_table()) {
    HashObject* h = Allocate(sizeof(FieldTable));
    h->flags_ = kFlagTable;
    new (h->trailing()) FieldTable(*table());
    return std::unique_ptr<Object>(h);
  }
  HashObject* h = Allocate(used_);
  if (used_ > 0) std::memcpy(h->trailing(), trailing(), used_);
  h->used_ = used_;
  h->count_ = count_;
  h->flags_ = flags_;
  return std::unique_ptr<Object>(h);
}

Encoding HashObject::encoding() const {
  return is_table() ? Encoding::kHashtable : Encoding::kListpack;
}

size_t HashObject::Size() const {
  if (is_table()) return table()->size();
  return shaped() ? shape()->count : count_;
}

int64_t HashObject::min_expiry_hint() const {
  if (is_table()) return table()->min_expiry();
  return has_hint() ? hash_detail::LoadExpiry(trailing()) : 0;
}

void HashObject::set_min_expiry_hint(int64_t ms) { hash_detail::StoreExpiry(trailing(), ms); }

// ---- Shapes. --------------------------------------------------------------------------------

template <typename Fn>
void HashObject::WalkSmall(Fn&& fn) const {
  const uint8_t* end = trailing() + used_;
  if (shaped()) {
    const uint8_t* f = shape()->fields();
    hash_detail::Elem field, value;
    for (const uint8_t* v = entries(); v < end;) {
      f = hash_detail::GetElem(f, &field);
      v = hash_detail::GetElem(v, &value);
      fn(field, value, int64_t{0});
    }
    return;
  }
  EntryView e;
  for (const uint8_t* p = entries(); p < end;) {
    p = hash_detail::GetEntry(p, &e);
    fn(e.field, e.value, e.expire_ms);
  }
}

size_t HashObject::FindShaped(const FieldKey& key, EntryView* e) const {
  const hash_detail::HashShape* s = shape();
  const uint8_t* f = s->fields();
  const uint8_t* fields_end = f + s->bytes;
  for (const uint8_t* v = entries(); f < fields_end;) {
    if (key.MatchesAt(f, static_cast<size_t>(fields_end - f))) {
      hash_detail::GetElem(f, &e->field);
      e->begin = v;
      e->end = hash_detail::GetElem(v, &e->value);
      e->expire_ms = 0;
      return static_cast<size_t>(v - trailing());
    }
    f = hash_detail::SkipElem(f);
    v = hash_detail::SkipElem(v);
  }
  return SIZE_MAX;
}

HashObject* HashObject::NewShaped(const hash_detail::HashShape* shape, std::string_view values) {
  HashObject* h = Allocate(values.size());
  h->flags_ = kFlagShaped;
  h->set_shape(shape);
  if (!values.empty()) std::memcpy(h->trailing(), values.data(), values.size());
  h->used_ = static_cast<uint32_t>(values.size());
  return h;
}

HashObject* HashObject::TryShaped(std::string_view fields, uint32_t count,
                                  std::string_view values) {
  // Short name lists stay inline: sharing them saves little, and the registry is bounded.
  if (fields.size() <= kMinShapedNames) return nullptr;
  const hash_detail::HashShape* shape = hash_detail::InternShape(fields, count);
  return shape != nullptr ? NewShaped(shape, values) : nullptr;
}

void HashObject::WriteInterleaved(uint8_t* out) const {
  const uint8_t* f = shape()->fields();
  const uint8_t* end = trailing() + used_;
  for (const uint8_t* v = entries(); v < end;) {
    const uint8_t* next_f = hash_detail::SkipElem(f);
    const uint8_t* next_v = hash_detail::SkipElem(v);
    std::memcpy(out, f, static_cast<size_t>(next_f - f));
    out += next_f - f;
    std::memcpy(out, v, static_cast<size_t>(next_v - v));
    out += next_v - v;
    f = next_f;
    v = next_v;
  }
}

void HashObject::Unshape(std::unique_ptr<Object>& owner) {
  const auto* h = static_cast<const HashObject*>(owner.get());
  if (!h->shaped()) return;
  const hash_detail::HashShape* shape = h->shape();
  const size_t bytes = shape->bytes + h->used_;
  HashObject* plain = Allocate(bytes);
  h->WriteInterleaved(plain->trailing());
  plain->used_ = static_cast<uint32_t>(bytes);
  plain->count_ = static_cast<uint16_t>(shape->count);
  owner.reset(plain);
}

// ---- Lookups. -------------------------------------------------------------------------------

size_t HashObject::FindSmall(const FieldKey& key, EntryView* e) const {
  const uint8_t* base = trailing();
  const uint8_t* end = base + used_;
  for (const uint8_t* p = base + entries_offset(); p < end;) {
    const uint8_t* f = *p == hash_detail::kTtlTag ? p + kTtlBytes : p;
    if (key.MatchesAt(f, static_cast<size_t>(end - f))) {
      hash_detail::GetEntry(p, e);
      return static_cast<size_t>(p - base);
    }
    p = hash_detail::SkipElem(hash_detail::SkipElem(f));
  }
  return SIZE_MAX;
}

bool HashObject::FindEntry(std::string_view field, EntryView* e) const {
  if (is_table()) return table()->Find(field, e);
  const FieldKey key(field, /*allow_int=*/true);
  return (shaped() ? FindShaped(key, e) : FindSmall(key, e)) != SIZE_MAX;
}

std::optional<std::string_view> HashObject::Get(std::string_view field, ValueBuf* buf) const {
  EntryView e;
  if (!FindEntry(field, &e)) return std::nullopt;
  if (!e.value.is_int) return std::string_view(e.value.data, e.value.len);
  const auto r = std::to_chars(buf->data(), buf->data() + buf->size(), e.value.ival);
  return std::string_view(buf->data(), static_cast<size_t>(r.ptr - buf->data()));
}

bool HashObject::Exists(std::string_view field) const {
  EntryView e;
  return FindEntry(field, &e);
}

size_t HashObject::ValueLength(std::string_view field) const {
  EntryView e;
  return FindEntry(field, &e) ? hash_detail::ElemTextLength(e.value) : 0;
}

int64_t HashObject::FieldExpireMs(std::string_view field) const {
  EntryView e;
  if (!FindEntry(field, &e)) return -2;
  return e.expire_ms == 0 ? -1 : e.expire_ms;
}

// ---- Iteration and sampling. ----------------------------------------------------------------

void HashObject::ForEach(EntryFn fn) const {
  if (is_table()) {
    table()->ForEach([&](const EntryView& e) {
      fn(std::string_view(e.field.data, e.field.len), std::string_view(e.value.data, e.value.len));
    });
    return;
  }
  char fbuf[hash_detail::kIntTextMax], vbuf[hash_detail::kIntTextMax];
  WalkSmall([&](const hash_detail::Elem& f, const hash_detail::Elem& v, int64_t) {
    fn(Text(f, fbuf), Text(v, vbuf));
  });
}

void HashObject::ForEachWithExpiry(
    absl::FunctionRef<void(std::string_view, std::string_view, int64_t)> fn) const {
  if (is_table()) {
    table()->ForEach([&](const EntryView& e) {
      fn(std::string_view(e.field.data, e.field.len), std::string_view(e.value.data, e.value.len),
         e.expire_ms);
    });
    return;
  }
  char fbuf[hash_detail::kIntTextMax], vbuf[hash_detail::kIntTextMax];
  WalkSmall([&](const hash_detail::Elem& f, const hash_detail::Elem& v, int64_t expire_ms) {
    fn(Text(f, fbuf), Text(v, vbuf), expire_ms);
  });
}

uint64_t HashObject::Scan(uint64_t cursor, size_t count, EntryFn fn) const {
  if (!is_table()) {
    ForEach(fn);
    return 0;
  }
  return table()->Scan(cursor, count, [&](const EntryView& e) {
    fn(std::string_view(e.field.data, e.field.len), std::string_view(e.value.data, e.value.len));
  });
}

void HashObject::RandomWithReplacement(size_t n, uint64_t* rng, EntryFn fn) const {
  assert(Size() > 0);
  EntryView e;
  if (is_table()) {
    for (size_t i = 0; i < n; ++i) {
      table()->Random(rng, &e);
      fn(std::string_view(e.field.data, e.field.len), std::string_view(e.value.data, e.value.len));
    }
    return;
  }
  std::vector<std::pair<hash_detail::Elem, hash_detail::Elem>> all;
  all.reserve(Size());
  WalkSmall([&](const hash_detail::Elem& f, const hash_detail::Elem& v, int64_t) {
    all.emplace_back(f, v);
  });
  char fbuf[hash_detail::kIntTextMax], vbuf[hash_detail::kIntTextMax];
  for (size_t i = 0; i < n; ++i) {
    const auto& [f, v] = all[NextRandom(rng) % all.size()];
    fn(Text(f, fbuf), Text(v, vbuf));
  }
}

void HashObject::RandomDistinct(size_t n, uint64_t* rng, EntryFn fn) const {
  if (n >= Size()) {
    ForEach(fn);
    return;
  }
  EntryView e;
  if (!is_table() || n * 3 > Size()) {
    // Few entries, or most of them wanted: a partial Fisher-Yates shuffle over all of them.
    using Pair = std::pair<std::string_view, std::string_view>;
    std::vector<Pair> all;
    // Printed integers of a small hash. Reserved up front: the views taken into its strings
    // must not move (short strings live inside the std::string itself).
    std::vector<std::string> texts;
    all.reserve(Size());
    if (is_table()) {
      table()->ForEach([&](const EntryView& x) {
        all.emplace_back(std::string_view(x.field.data, x.field.len),
                         std::string_view(x.value.data, x.value.len));
      });
    } else {
      texts.reserve(2 * Size());
      char fbuf[hash_detail::kIntTextMax], vbuf[hash_detail::kIntTextMax];
      WalkSmall([&](const hash_detail::Elem& fe, const hash_detail::Elem& ve, int64_t) {
        std::string_view f = Text(fe, fbuf), v = Text(ve, vbuf);
        if (fe.is_int) f = texts.emplace_back(f);
        if (ve.is_int) v = texts.emplace_back(v);
        all.emplace_back(f, v);
      });
    }
    for (size_t i = 0; i < n; ++i) {
      const size_t j = i + static_cast<size_t>(NextRandom(rng) % (all.size() - i));
      std::swap(all[i], all[j]);
      fn(all[i].first, all[i].second);
    }
    return;
  }
  // Large hash, few wanted: draw until n distinct fields were seen.
  absl::flat_hash_set<std::string_view> seen;
  seen.reserve(n);
  while (seen.size() < n) {
    table()->Random(rng, &e);
    const std::string_view f(e.field.data, e.field.len);
    if (seen.insert(f).second) fn(f, std::string_view(e.value.data, e.value.len));
  }
}

// ---- Small-encoding storage. ----------------------------------------------------------------

HashObject* HashObject::Resize(std::unique_ptr<Object>& owner, size_t trailing) {
  auto* h = static_cast<HashObject*>(owner.release());
  // The object is a vtable pointer and plain integers with no pointers into itself, so moving
  // its bytes with realloc moves the object (and lets the allocator grow it in place).
  void* p = std::realloc(static_cast<void*>(h), sizeof(HashObject) + trailing);
  if (p == nullptr) std::abort();
  h = static_cast<HashObject*>(p);
  owner.reset(h);
  return h;
}

HashObject* HashObject::Splice(std::unique_ptr<Object>& owner, size_t off, size_t old_len,
                               size_t new_len) {
  auto* h = static_cast<HashObject*>(owner.get());
  const size_t need = h->used_ - old_len + new_len;
  if (new_len > old_len && sizeof(HashObject) + need > AllocSize(h)) h = Resize(owner, need);
  uint8_t* base = h->trailing();
  std::memmove(base + off + new_len, base + off + old_len, h->used_ - off - old_len);
  h->used_ = static_cast<uint32_t>(need);
  return h;
}

void HashObject::EraseSmall(size_t off, size_t len) {
  uint8_t* base = trailing();
  std::memmove(base + off, base + off + len, used_ - off - len);
  used_ = static_cast<uint32_t>(used_ - len);
  count_ = static_cast<uint16_t>(count_ - 1);
}

void HashObject::DropHintIfUnused() {
  if (!has_hint()) return;
  EntryView e;
  const uint8_t* end = trailing() + used_;
  for (const uint8_t* p = entries(); p < end;) {
    p = hash_detail::GetEntry(p, &e);
    if (e.expire_ms != 0) return;
  }
  std::memmove(trailing(), trailing() + kHintBytes, used_ - kHintBytes);
  used_ = static_cast<uint32_t>(used_ - kHintBytes);
  flags_ = flags_ & ~kFlagHint;
}

void HashObject::ShrinkToFit(std::unique_ptr<Object>& owner) {
  auto* h = static_cast<HashObject*>(owner.get());
  if (h->is_table() || AllocSize(h) <= sizeof(HashObject) + h->used_ + 16) return;
  Resize(owner, h->used_);
}

void HashObject::ConvertToTable(std::unique_ptr<Object>& owner) {
  auto* small = static_cast<HashObject*>(owner.get());
  assert(!small->is_table());
  HashObject* big = Allocate(sizeof(FieldTable));
  big->flags_ = kFlagTable;
  FieldTable* t = new (big->trailing()) FieldTable();
  small->ForEachWithExpiry([&](std::string_view f, std::string_view v, int64_t expire_ms) {
    t->Set(f, v, expire_ms != 0 ? FieldTtl::kSet : FieldTtl::kClear, expire_ms);
  });
  owner.reset(big);
}

// ---- Loading. -------------------------------------------------------------------------------

std::unique_ptr<HashObject> HashObject::FromEntries(std::span<const LoadEntry> entries) {
  if (entries.empty()) return nullptr;
  const int64_t max_value = Limits().hash_max_listpack_value.load(std::memory_order_relaxed);
  const int64_t max_entries = Limits().hash_max_listpack_entries.load(std::memory_order_relaxed);
  bool small =
      static_cast<int64_t>(entries.size()) <= max_entries && entries.size() < kMaxSmallCount;
  for (size_t i = 0; small && i < entries.size(); ++i) {
    small = static_cast<int64_t>(entries[i].field.size()) <= max_value &&
            static_cast<int64_t>(entries[i].value.size()) <= max_value;
  }
  if (!small) {
    std::unique_ptr<HashObject> big(Allocate(sizeof(FieldTable)));
    big->flags_ = kFlagTable;
    FieldTable* t = new (big->trailing()) FieldTable();
    for (const LoadEntry& en : entries) {
      const FieldTtl ttl = en.expire_ms != 0 ? FieldTtl::kSet : FieldTtl::kClear;
      if (!t->Set(en.field, en.value, ttl, en.expire_ms)) return nullptr;  // repeated field
    }
    return big;
  }
  // A repeated field: the texts are equal (an integer is stored only in its one canonical form).
  if (entries.size() <= 16) {
    // Pairwise, comparing bytes only where a cheap fingerprint (length, first and last byte)
    // matches: fields of one hash usually differ in one of those.
    uint32_t fp[16];
    for (size_t i = 0; i < entries.size(); ++i) {
      const std::string_view f = entries[i].field;
      fp[i] = f.empty() ? 0
                        : (static_cast<uint32_t>(f.size()) << 16) ^
                              (static_cast<uint32_t>(static_cast<uint8_t>(f.front())) << 8) ^
                              static_cast<uint8_t>(f.back());
      for (size_t j = 0; j < i; ++j) {
        if (fp[j] == fp[i] && entries[j].field == f) return nullptr;
      }
    }
  } else {
    std::vector<std::string_view> fields;
    fields.reserve(entries.size());
    for (const LoadEntry& en : entries) fields.push_back(en.field);
    std::sort(fields.begin(), fields.end());
    if (std::adjacent_find(fields.begin(), fields.end()) != fields.end()) return nullptr;
  }
  size_t bytes = 0;
  int64_t min_expiry = 0;
  for (const LoadEntry& en : entries) {
    bytes +=
        hash_detail::EntrySize(hash_detail::PlanElem(en.field, /*allow_int=*/true),
                               hash_detail::PlanElem(en.value, /*allow_int=*/true), en.expire_ms);
    if (en.expire_ms != 0 && (min_expiry == 0 || en.expire_ms < min_expiry)) {
      min_expiry = en.expire_ms;
    }
  }
  if (bytes + 32 > kMaxSmallBytes) {  // as Set would: only with the limits raised far up
    std::unique_ptr<Object> owner(New());
    for (const LoadEntry& en : entries) {
      const FieldTtl ttl = en.expire_ms != 0 ? FieldTtl::kSet : FieldTtl::kClear;
      Set(owner, en.field, en.value, ttl, en.expire_ms);
    }
    return std::unique_ptr<HashObject>(static_cast<HashObject*>(owner.release()));
  }
  if (min_expiry == 0 && entries.size() >= 2 && entries.size() <= hash_detail::kMaxShapeFields) {
    // Shared field names when the registry has (or takes) this list; names and values are
    // gathered on the stack (HSET of a new key runs this on the request path).
    uint8_t names[hash_detail::kMaxShapeFieldBytes];
    uint8_t values[hash_detail::kMaxShapeFields * 66];
    size_t names_bytes = 0, values_bytes = 0;
    bool fit = true;
    for (size_t i = 0; i < entries.size() && fit; ++i) {
      const ElemPlan fp = hash_detail::PlanElem(entries[i].field, /*allow_int=*/true);
      const ElemPlan vp = hash_detail::PlanElem(entries[i].value, /*allow_int=*/true);
      fit = names_bytes + fp.size <= sizeof(names) && values_bytes + vp.size <= sizeof(values);
      if (fit) {
        hash_detail::PutElem(names + names_bytes, fp);
        hash_detail::PutElem(values + values_bytes, vp);
        names_bytes += fp.size;
        values_bytes += vp.size;
      }
    }
    if (fit) {
      if (HashObject* shaped =
              TryShaped(std::string_view(reinterpret_cast<const char*>(names), names_bytes),
                        static_cast<uint32_t>(entries.size()),
                        std::string_view(reinterpret_cast<const char*>(values), values_bytes))) {
        return std::unique_ptr<HashObject>(shaped);
      }
    }
  }
  const size_t hint = min_expiry != 0 ? kHintBytes : 0;
  std::unique_ptr<HashObject> h(Allocate(hint + bytes));
  h->used_ = static_cast<uint32_t>(hint + bytes);
  h->count_ = static_cast<uint16_t>(entries.size());
  if (hint != 0) {
    h->flags_ = kFlagHint;
    h->set_min_expiry_hint(min_expiry);
  }
  uint8_t* p = h->trailing() + hint;
  for (const LoadEntry& en : entries) {
    p = hash_detail::PutEntry(p, hash_detail::PlanElem(en.field, /*allow_int=*/true),
                              hash_detail::PlanElem(en.value, /*allow_int=*/true), en.expire_ms);
  }
  assert(p == h->trailing() + h->used_);
  return h;
}

size_t HashObject::PackedBytes() const {
  if (is_table() || has_hint()) return 0;
  return shaped() ? shape()->bytes + used_ : entries_bytes();
}

bool HashObject::AppendPacked(std::string* out) const {
  if (is_table() || has_hint()) return false;  // no hint: no field has an expiry
  if (!shaped()) {
    out->append(reinterpret_cast<const char*>(entries()), entries_bytes());
    return true;
  }
  const size_t at = out->size();
  out->resize(at + PackedBytes());
  WriteInterleaved(reinterpret_cast<uint8_t*>(out->data()) + at);
  return true;
}

namespace {

// memcpy for the few bytes of one element, without a call for the short ones.
inline void CopyBytes(uint8_t* dst, const uint8_t* src, size_t n) {
  if (n > 16) {
    std::memcpy(dst, src, n);
  } else if (n >= 8) {
    uint64_t a, b;
    std::memcpy(&a, src, 8);
    std::memcpy(&b, src + n - 8, 8);
    std::memcpy(dst, &a, 8);
    std::memcpy(dst + n - 8, &b, 8);
  } else if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, src, 4);
    std::memcpy(&b, src + n - 4, 4);
    std::memcpy(dst, &a, 4);
    std::memcpy(dst + n - 4, &b, 4);
  } else {
    for (size_t i = 0; i < n; ++i) dst[i] = src[i];
  }
}

// A checked field's encoded bytes. Every text has one canonical encoding (CheckElem), so two
// fields are the same text exactly when these bytes are equal.
struct PackedField {
  const uint8_t* begin;
  uint32_t size;
  uint32_t fingerprint;  // size, first and last byte: fields of one hash usually differ there
  std::string_view bytes() const {
    return std::string_view(reinterpret_cast<const char*>(begin), size);
  }
  bool operator==(const PackedField& o) const {
    return fingerprint == o.fingerprint && std::memcmp(begin, o.begin, size) == 0;
  }
};

}  // namespace

std::unique_ptr<HashObject> HashObject::FromPacked(uint64_t count, std::string_view bytes) {
  // Every entry takes at least two bytes.
  if (count == 0 || count > bytes.size() / 2 || bytes.size() + 32 > kMaxSmallBytes) {
    return nullptr;
  }
  const int64_t max_value = Limits().hash_max_listpack_value.load(std::memory_order_relaxed);
  const int64_t max_entries = Limits().hash_max_listpack_entries.load(std::memory_order_relaxed);
  bool small = static_cast<int64_t>(count) <= max_entries && count < kMaxSmallCount;
  // The longest text, for the value limit (integers print in at most 20 characters, so they are
  // measured only under a limit that low).
  const bool measure_ints = max_value < 20;
  size_t longest = 0;
  auto measure = [&](const hash_detail::Elem& e) {
    if (!e.is_int) {
      longest = std::max<size_t>(longest, e.len);
    } else if (measure_ints) {
      longest = std::max(longest, ElemTextLength(e));
    }
  };
  // The fields, for the repeated-field check; a session-sized hash needs no allocation.
  PackedField few[16];
  std::vector<PackedField> many;
  PackedField* fields = few;
  if (count > std::size(few)) {
    many.resize(count);
    fields = many.data();
  }
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  const uint8_t* end = p + bytes.size();
  size_t n = 0;
  // The names and the values apart, as a shaped hash keeps them, while they fit these buffers.
  uint8_t names[hash_detail::kMaxShapeFieldBytes];
  // Room for kMaxShapeFields values of the default hash-max-listpack-value (64 bytes), tagged.
  uint8_t values[hash_detail::kMaxShapeFields * 66];
  size_t names_bytes = 0, values_bytes = 0;
  bool shapeable = count >= 2 && count <= hash_detail::kMaxShapeFields;
  while (p < end) {
    const uint8_t* field_begin = p;
    hash_detail::Elem f, v;
    if (n == count || !hash_detail::CheckElem(&p, end, /*allow_int=*/true, &f)) return nullptr;
    const auto size = static_cast<uint32_t>(p - field_begin);
    fields[n++] = {field_begin, size, (size << 16) ^ (uint32_t{field_begin[0]} << 8) ^ p[-1]};
    const uint8_t* value_begin = p;
    if (!hash_detail::CheckElem(&p, end, /*allow_int=*/true, &v)) return nullptr;
    const auto value_size = static_cast<size_t>(p - value_begin);
    shapeable = shapeable && names_bytes + size <= sizeof(names) &&
                values_bytes + value_size <= sizeof(values);
    if (shapeable) {
      CopyBytes(names + names_bytes, field_begin, size);
      CopyBytes(values + values_bytes, value_begin, value_size);
      names_bytes += size;
      values_bytes += value_size;
    }
    measure(f);
    measure(v);
  }
  if (n != count) return nullptr;
  small = small && static_cast<int64_t>(longest) <= max_value;
  if (count <= std::size(few)) {
    // A field is compared with the ones before it only when its fingerprint's bit in a 64-bit
    // filter is already set: usually never for distinct fields.
    uint64_t seen = 0;
    for (size_t i = 0; i < count; ++i) {
      const uint64_t bit = uint64_t{1} << ((fields[i].fingerprint * 0x9E3779B1u) >> 26);
      if ((seen & bit) != 0) {
        for (size_t j = 0; j < i; ++j) {
          if (fields[i] == fields[j]) return nullptr;
        }
      }
      seen |= bit;
    }
  } else {
    std::sort(many.begin(), many.end(),
              [](const PackedField& a, const PackedField& b) { return a.bytes() < b.bytes(); });
    if (std::adjacent_find(many.begin(), many.end()) != many.end()) return nullptr;
  }
  if (!small) {
    // The limits were lowered since these bytes were written: convert as FromEntries does.
    std::vector<std::string> ints;  // the printed integers, kept alive for the views
    ints.reserve(2 * count);
    auto text = [&ints](const hash_detail::Elem& e) -> std::string_view {
      if (!e.is_int) return std::string_view(e.data, e.len);
      return ints.emplace_back(std::to_string(e.ival));
    };
    std::vector<LoadEntry> entries;
    entries.reserve(count);
    hash_detail::EntryView e;
    for (p = reinterpret_cast<const uint8_t*>(bytes.data()); p < end;) {
      p = hash_detail::GetEntry(p, &e);  // checked above
      entries.push_back({text(e.field), text(e.value), 0});
    }
    return FromEntries(entries);
  }
  if (shapeable) {
    // Shared field names when the registry has (or takes) this list.
    if (HashObject* shaped =
            TryShaped(std::string_view(reinterpret_cast<const char*>(names), names_bytes),
                      static_cast<uint32_t>(count),
                      std::string_view(reinterpret_cast<const char*>(values), values_bytes))) {
      return std::unique_ptr<HashObject>(shaped);
    }
  }
  std::unique_ptr<HashObject> h(Allocate(bytes.size()));
  std::memcpy(h->trailing(), bytes.data(), bytes.size());
  h->used_ = static_cast<uint32_t>(bytes.size());
  h->count_ = static_cast<uint16_t>(count);
  return h;
}

// ---- Writes. --------------------------------------------------------------------------------

bool HashObject::Set(std::unique_ptr<Object>& owner, std::string_view field, std::string_view value,
                     FieldTtl ttl, int64_t expire_ms) {
  auto* h = static_cast<HashObject*>(owner.get());
  if (h->shaped()) {
    const int64_t max_value = Limits().hash_max_listpack_value.load(std::memory_order_relaxed);
    const int64_t max_entries = Limits().hash_max_listpack_entries.load(std::memory_order_relaxed);
    if (ttl != FieldTtl::kSet && static_cast<int64_t>(field.size()) <= max_value &&
        static_cast<int64_t>(value.size()) <= max_value &&
        h->used_ + value.size() + 32 <= kMaxSmallBytes) {
      const FieldKey key(field, /*allow_int=*/true);
      EntryView e;
      const size_t off = h->FindShaped(key, &e);
      const ElemPlan vp = hash_detail::PlanElem(value, /*allow_int=*/true);
      if (off != SIZE_MAX) {  // a new value: the shape stays (a shaped field has no expiry)
        h = Splice(owner, off, e.size(), vp.size);
        hash_detail::PutElem(h->trailing() + off, vp);
        return false;
      }
      // A new field: the shape with it appended, when the registry shares that list.
      const hash_detail::HashShape* shape = h->shape();
      if (static_cast<int64_t>(shape->count) + 1 <= max_entries) {
        std::string names(shape->packed());
        names.append(reinterpret_cast<const char*>(key.data()), key.size());
        if (const hash_detail::HashShape* next =
                hash_detail::InternShape(names, shape->count + 1)) {
          const size_t at = h->used_;
          h = Splice(owner, at, 0, vp.size);
          hash_detail::PutElem(h->trailing() + at, vp);
          h->set_shape(next);
          return true;
        }
      }
    }
    Unshape(owner);
    h = static_cast<HashObject*>(owner.get());
  }
  if (!h->is_table()) {
    // Redis converts before writing when the field or the value is longer than the limit.
    const int64_t max_value = Limits().hash_max_listpack_value.load(std::memory_order_relaxed);
    if (static_cast<int64_t>(field.size()) > max_value ||
        static_cast<int64_t>(value.size()) > max_value ||
        h->used_ + field.size() + value.size() + 32 > kMaxSmallBytes) {
      ConvertToTable(owner);
      h = static_cast<HashObject*>(owner.get());
    }
  }
  if (h->is_table()) return h->table()->Set(field, value, ttl, expire_ms);

  const FieldKey key(field, /*allow_int=*/true);
  EntryView e;
  size_t off = h->FindSmall(key, &e);
  const int64_t old_exp = off != SIZE_MAX ? e.expire_ms : 0;
  const int64_t new_exp =
      ttl == FieldTtl::kClear ? 0 : (ttl == FieldTtl::kKeep ? old_exp : expire_ms);
  if (new_exp != 0) {
    if (!h->has_hint()) {
      h = Splice(owner, 0, 0, kHintBytes);
      h->flags_ = h->flags_ | kFlagHint;
      h->set_min_expiry_hint(new_exp);
      if (off != SIZE_MAX) off += kHintBytes;
    } else if (new_exp < h->min_expiry_hint()) {
      h->set_min_expiry_hint(new_exp);
    }
  }
  const ElemPlan fp = hash_detail::PlanElem(field, /*allow_int=*/true);
  const ElemPlan vp = hash_detail::PlanElem(value, /*allow_int=*/true);
  const size_t len = hash_detail::EntrySize(fp, vp, new_exp);
  const bool created = off == SIZE_MAX;
  if (created) off = h->used_;
  h = Splice(owner, off, created ? 0 : e.size(), len);
  hash_detail::PutEntry(h->trailing() + off, fp, vp, new_exp);
  if (created) {
    h->count_ = static_cast<uint16_t>(h->count_ + 1);
    const int64_t max_entries = Limits().hash_max_listpack_entries.load(std::memory_order_relaxed);
    if (static_cast<int64_t>(h->count_) > max_entries || h->count_ >= kMaxSmallCount) {
      ConvertToTable(owner);
    }
  } else if (old_exp != 0 && new_exp == 0) {
    h->DropHintIfUnused();  // the overwritten field may have been the last one with an expiry
  }
  return created;
}

bool HashObject::Delete(std::unique_ptr<Object>& owner, std::string_view field) {
  auto* h = static_cast<HashObject*>(owner.get());
  if (h->is_table()) return h->table()->Delete(field);
  const FieldKey key(field, /*allow_int=*/true);
  EntryView e;
  if (h->shaped()) {
    if (h->FindShaped(key, &e) == SIZE_MAX) return false;
    Unshape(owner);
    h = static_cast<HashObject*>(owner.get());
  }
  const size_t off = h->FindSmall(key, &e);
  if (off == SIZE_MAX) return false;
  h->EraseSmall(off, e.size());
  // The hint must vanish with the last field expiry: MinFieldExpiry() is 0 exactly then.
  if (e.expire_ms != 0) h->DropHintIfUnused();
  return true;
}

// ---- Field expiry. --------------------------------------------------------------------------

FieldExpireResult HashObject::SetFieldExpiry(std::unique_ptr<Object>& owner, std::string_view field,
                                             int64_t at_ms, FieldExpireCondition cond,
                                             int64_t now_ms) {
  auto* h = static_cast<HashObject*>(owner.get());
  EntryView e;
  if (!h->FindEntry(field, &e)) return FieldExpireResult::kNoField;
  // Redis 7.4 (t_hash.c, hashTypeSetExpiry*): conditions first, a field without expiry being an
  // infinite one, then a time that is not in the future deletes the field.
  const int64_t cur = e.expire_ms;
  if (cur == 0) {
    if (cond == FieldExpireCondition::kXx || cond == FieldExpireCondition::kGt) {
      return FieldExpireResult::kNotMet;
    }
  } else if (cond == FieldExpireCondition::kNx ||
             (cond == FieldExpireCondition::kGt && cur >= at_ms) ||
             (cond == FieldExpireCondition::kLt && cur <= at_ms)) {
    return FieldExpireResult::kNotMet;
  }
  if (at_ms <= now_ms) {
    Delete(owner, field);
    return FieldExpireResult::kDeleted;
  }
  if (h->is_table()) {
    h->table()->SetExpiry(field, at_ms);
    return FieldExpireResult::kSet;
  }
  if (h->shaped()) {  // a field with an expiry cannot share the shape's layout
    Unshape(owner);
    h = static_cast<HashObject*>(owner.get());
  }
  if (!h->has_hint()) {
    h = Splice(owner, 0, 0, kHintBytes);
    h->flags_ = h->flags_ | kFlagHint;
    h->set_min_expiry_hint(at_ms);
  } else if (at_ms < h->min_expiry_hint()) {
    h->set_min_expiry_hint(at_ms);
  }
  const size_t off = h->FindSmall(FieldKey(field, /*allow_int=*/true), &e);
  if (cur == 0) {
    h = Splice(owner, off, 0, kTtlBytes);
    h->trailing()[off] = hash_detail::kTtlTag;
  }
  hash_detail::StoreExpiry(h->trailing() + off + 1, at_ms);
  return FieldExpireResult::kSet;
}

int HashObject::PersistField(std::string_view field) {
  EntryView e;
  if (is_table()) {
    if (!table()->Find(field, &e)) return -2;
    if (e.expire_ms == 0) return -1;
    table()->SetExpiry(field, 0);
    return 1;
  }
  if (shaped()) return FindShaped(FieldKey(field, /*allow_int=*/true), &e) == SIZE_MAX ? -2 : -1;
  const size_t off = FindSmall(FieldKey(field, /*allow_int=*/true), &e);
  if (off == SIZE_MAX) return -2;
  if (e.expire_ms == 0) return -1;
  uint8_t* base = trailing();
  std::memmove(base + off, base + off + kTtlBytes, used_ - off - kTtlBytes);
  used_ = static_cast<uint32_t>(used_ - kTtlBytes);
  DropHintIfUnused();
  return 1;
}

size_t HashObject::ExpireFields(int64_t now_ms, size_t max) {
  if (is_table()) return table()->ExpireFields(now_ms, max);
  if (!has_hint() || max == 0) return 0;
  size_t removed = 0;
  int64_t min_left = 0;
  EntryView e;
  size_t off = entries_offset();
  while (off < used_) {
    hash_detail::GetEntry(trailing() + off, &e);
    if (e.expire_ms != 0 && e.expire_ms < now_ms && removed < max) {
      EraseSmall(off, e.size());
      ++removed;
      continue;
    }
    if (e.expire_ms != 0 && (min_left == 0 || e.expire_ms < min_left)) min_left = e.expire_ms;
    off += e.size();
  }
  if (min_left == 0) {
    DropHintIfUnused();
  } else {
    set_min_expiry_hint(min_left);
  }
  return removed;
}

// ---- Checks. --------------------------------------------------------------------------------

std::string HashObject::CheckInvariants() const {
  if (is_table()) return table()->CheckInvariants();
  if (shaped()) {
    const hash_detail::HashShape* s = shape();
    if (s == nullptr || has_hint()) return "bad shaped header";
    if (sizeof(HashObject) + used_ > AllocSize(this)) return "values overrun the block";
    size_t n = 0;
    const uint8_t* f = s->fields();
    const uint8_t* end = trailing() + used_;
    const uint8_t* v = entries();
    char buf[hash_detail::kIntTextMax];
    while (v < end && n < s->count) {
      hash_detail::Elem field, value;
      f = hash_detail::GetElem(f, &field);
      v = hash_detail::GetElem(v, &value);
      for (const hash_detail::Elem* x : {&field, &value}) {
        int64_t i;
        if (hash_detail::ParseCanonicalInt(Text(*x, buf), &i) != x->is_int) {
          return "integer form does not match the text";
        }
      }
      ++n;
    }
    if (v != end || f != s->fields() + s->bytes) return "values do not match the shape";
    if (n != s->count) return "count mismatch";
    return "";
  }
  size_t n = 0;
  int64_t min_ttl = 0;
  EntryView e;
  const uint8_t* end = trailing() + used_;
  const uint8_t* p = entries();
  if (sizeof(HashObject) + used_ > AllocSize(this)) return "entries overrun the block";
  char buf[hash_detail::kIntTextMax];
  while (p < end) {
    p = hash_detail::GetEntry(p, &e);
    for (const hash_detail::Elem* x : {&e.field, &e.value}) {
      int64_t v;
      const bool canonical = hash_detail::ParseCanonicalInt(Text(*x, buf), &v);
      if (canonical != x->is_int) return "integer form does not match the text";
    }
    if (e.expire_ms != 0 && (min_ttl == 0 || e.expire_ms < min_ttl)) min_ttl = e.expire_ms;
    ++n;
  }
  if (p != end) return "entries overrun";
  if (n != count_) return "count mismatch";
  if (min_ttl != 0 && (!has_hint() || min_expiry_hint() > min_ttl)) {
    return "expiry hint is not a lower bound";
  }
  return "";
}

}  // namespace ringkv::engine
