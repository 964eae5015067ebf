// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// FieldTable: see the design notes in hash_table.h.
#include "engine/types/hash_table.h"

#include <sys/random.h>
#include <xxhash.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "engine/memory.h"

namespace ringkv::engine::hash_detail {

struct FieldTable::Bucket {
  uint32_t used;   // entry bytes
  uint16_t count;  // entries
  uint8_t depth;   // local depth
  uint8_t unused;
  uint8_t* data() { return reinterpret_cast<uint8_t*>(this + 1); }
  const uint8_t* data() const { return reinterpret_cast<const uint8_t*>(this + 1); }
};

namespace {

// Deeper than this the directory would be absurd; a bucket that cannot split any more simply
// grows past its limits (it would take 17 fields sharing 48 bits of a secretly seeded hash).
constexpr int kMaxDepth = 48;
// A bucket keeps at most this much unused room after a deletion.
constexpr size_t kMaxSlack = 64;

// One seed per process, unknown to clients, so that nobody can choose fields that collide.
uint64_t ProcessSeed() {
  static const uint64_t seed = [] {
    uint64_t s = 0;
    if (getrandom(&s, sizeof(s), 0) != static_cast<ssize_t>(sizeof(s))) {
      s = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    }
    return s;
  }();
  return seed;
}

}  // namespace

uint64_t FieldTable::Hash(std::string_view field) const {
  return XXH3_64bits_withSeed(field.data(), field.size(), ProcessSeed());
}

FieldTable::FieldTable() {
  static_assert(sizeof(Bucket) == 8);
  dir_ = static_cast<Bucket**>(MustMalloc(sizeof(Bucket*)));
  memory_ += AllocSize(dir_);
  dir_[0] = NewBucket(0, 0);
  full_depth_buckets_ = 1;
}

FieldTable::FieldTable(const FieldTable& other)
    : depth_(other.depth_),
      full_depth_buckets_(other.full_depth_buckets_),
      size_(other.size_),
      ttl_fields_(other.ttl_fields_),
      heap_(other.heap_) {
  const size_t slots = size_t{1} << depth_;
  dir_ = static_cast<Bucket**>(MustMalloc(slots * sizeof(Bucket*)));
  memory_ = AllocSize(dir_) + heap_.capacity() * sizeof(TtlItem);
  for (size_t i = 0; i < slots;) {
    const Bucket* src = other.dir_[i];
    Bucket* b = NewBucket(src->used, src->depth);
    std::memcpy(b, src, sizeof(Bucket) + src->used);
    for (size_t j = 0; j < RangeLen(src->depth); ++j) dir_[i + j] = b;
    i += RangeLen(src->depth);
  }
}

FieldTable::~FieldTable() {
  const size_t slots = size_t{1} << depth_;
  for (size_t i = 0; i < slots;) {
    Bucket* b = dir_[i];
    i += RangeLen(b->depth);
    std::free(b);
  }
  std::free(dir_);
}

FieldTable::Bucket* FieldTable::NewBucket(size_t capacity, int d) {
  auto* b = static_cast<Bucket*>(MustMalloc(sizeof(Bucket) + capacity));
  b->used = 0;
  b->count = 0;
  b->depth = static_cast<uint8_t>(d);
  b->unused = 0;
  memory_ += AllocSize(b);
  ++buckets_;
  return b;
}

void FieldTable::FreeBucket(Bucket* b) {
  memory_ -= AllocSize(b);
  --buckets_;
  std::free(b);
}

void FieldTable::Point(size_t i, int d, Bucket* b) {
  const size_t start = RangeStart(i, d);
  std::fill(dir_ + start, dir_ + start + RangeLen(d), b);
}

FieldTable::Bucket* FieldTable::Reserve(Bucket* b, size_t i, size_t bytes) {
  if (AllocSize(b) >= sizeof(Bucket) + bytes) return b;
  memory_ -= AllocSize(b);
  auto* nb = static_cast<Bucket*>(std::realloc(b, sizeof(Bucket) + bytes));
  if (nb == nullptr) std::abort();
  memory_ += AllocSize(nb);
  if (nb != b) Point(i, nb->depth, nb);
  return nb;
}

FieldTable::Bucket* FieldTable::MaybeShrink(Bucket* b, size_t i) {
  if (AllocSize(b) <= sizeof(Bucket) + b->used + kMaxSlack) return b;
  memory_ -= AllocSize(b);
  auto* nb = static_cast<Bucket*>(std::realloc(b, sizeof(Bucket) + b->used));
  if (nb == nullptr) std::abort();
  memory_ += AllocSize(nb);
  if (nb != b) Point(i, nb->depth, nb);
  return nb;
}

size_t FieldTable::FindIn(const Bucket* b, std::string_view field, EntryView* out) {
  const FieldKey key(field, /*allow_int=*/false);
  const uint8_t* p = b->data();
  const uint8_t* end = p + b->used;
  while (p < end) {
    const uint8_t* f = *p == kTtlTag ? p + kTtlBytes : p;
    if (key.MatchesAt(f, static_cast<size_t>(end - f))) {
      GetEntry(p, out);
      return static_cast<size_t>(p - b->data());
    }
    p = SkipElem(SkipElem(f));
  }
  return SIZE_MAX;
}

bool FieldTable::Find(std::string_view field, EntryView* out) const {
  return FindIn(dir_[Slot(Hash(field))], field, out) != SIZE_MAX;
}

bool FieldTable::Set(std::string_view field, std::string_view value, FieldTtl ttl,
                     int64_t expire_ms) {
  const uint64_t h = Hash(field);
  const ElemPlan fp = PlanElem(field, /*allow_int=*/false);
  const ElemPlan vp = PlanElem(value, /*allow_int=*/false);
  for (;;) {
    const size_t i = Slot(h);
    Bucket* b = dir_[i];
    EntryView e;
    const size_t off = FindIn(b, field, &e);
    if (off != SIZE_MAX) {
      const int64_t old_exp = e.expire_ms;
      const int64_t new_exp =
          ttl == FieldTtl::kClear ? 0 : (ttl == FieldTtl::kKeep ? old_exp : expire_ms);
      const size_t old_len = e.size();
      const size_t new_len = EntrySize(fp, vp, new_exp);
      const size_t tail = b->used - off - old_len;
      if (new_len > old_len) b = Reserve(b, i, b->used + new_len - old_len);
      std::memmove(b->data() + off + new_len, b->data() + off + old_len, tail);
      b->used = static_cast<uint32_t>(b->used - old_len + new_len);
      PutEntry(b->data() + off, fp, vp, new_exp);
      if (old_exp != 0) --ttl_fields_;
      if (new_exp != 0) {
        ++ttl_fields_;
        if (new_exp != old_exp) PushTtl(new_exp, h);
      }
      if (new_len < old_len) b = MaybeShrink(b, i);
      // A value that grew may leave the bucket over its byte limit: split it now so that later
      // edits of the bucket stay cheap.
      if (b->used > kMaxBytes && b->count > 1) Split(i);
      if (ttl_fields_ == 0) ClearHeap();
      return false;
    }
    const int64_t new_exp = ttl == FieldTtl::kSet ? expire_ms : 0;
    const size_t len = EntrySize(fp, vp, new_exp);
    if (b->count > 0 && (b->count >= kMaxEntries || b->used + len > kMaxBytes) && Split(i)) {
      continue;
    }
    assert(b->count < UINT16_MAX);
    b = Reserve(b, i, b->used + len);
    PutEntry(b->data() + b->used, fp, vp, new_exp);
    b->used = static_cast<uint32_t>(b->used + len);
    ++b->count;
    ++size_;
    if (new_exp != 0) {
      ++ttl_fields_;
      PushTtl(new_exp, h);
    }
    return true;
  }
}

void FieldTable::DoubleDirectory() {
  const size_t slots = size_t{1} << depth_;
  auto** nd = static_cast<Bucket**>(MustMalloc(2 * slots * sizeof(Bucket*)));
  for (size_t j = 0; j < slots; ++j) nd[2 * j] = nd[2 * j + 1] = dir_[j];
  memory_ -= AllocSize(dir_);
  std::free(dir_);
  dir_ = nd;
  memory_ += AllocSize(dir_);
  ++depth_;
  full_depth_buckets_ = 0;
}

bool FieldTable::Split(size_t i) {
  Bucket* b = dir_[i];
  const int d = b->depth;
  if (d >= kMaxDepth) return false;
  if (d == depth_) {
    DoubleDirectory();
    i *= 2;
  }
  const uint64_t bit = uint64_t{1} << (63 - d);
  // Two passes (sizes, then copies) hash each field twice but allocate each half exactly once.
  size_t bytes[2] = {0, 0};
  EntryView e;
  const uint8_t* end = b->data() + b->used;
  for (const uint8_t* p = b->data(); p < end;) {
    p = GetEntry(p, &e);
    bytes[(Hash(std::string_view(e.field.data, e.field.len)) & bit) ? 1 : 0] += e.size();
  }
  Bucket* half[2] = {NewBucket(bytes[0], d + 1), NewBucket(bytes[1], d + 1)};
  for (const uint8_t* p = b->data(); p < end;) {
    p = GetEntry(p, &e);
    Bucket* to = half[(Hash(std::string_view(e.field.data, e.field.len)) & bit) ? 1 : 0];
    std::memcpy(to->data() + to->used, e.begin, e.size());
    to->used = static_cast<uint32_t>(to->used + e.size());
    ++to->count;
  }
  const size_t start = RangeStart(i, d);
  const size_t half_len = RangeLen(d) / 2;
  std::fill(dir_ + start, dir_ + start + half_len, half[0]);
  std::fill(dir_ + start + half_len, dir_ + start + 2 * half_len, half[1]);
  if (d + 1 == depth_) full_depth_buckets_ += 2;
  FreeBucket(b);
  return true;
}

void FieldTable::TryMerge(size_t i) {
  while (depth_ > 0) {
    Bucket* b = dir_[i];
    const int d = b->depth;
    if (d == 0) return;
    const size_t start = RangeStart(i, d);
    const size_t len = RangeLen(d);
    const size_t buddy_start = start ^ len;
    Bucket* o = dir_[buddy_start];
    if (o->depth != d) return;
    const bool fits = b->count + o->count <= kMaxEntries / 2 && b->used + o->used <= kMaxBytes / 2;
    if (!fits && b->count != 0 && o->count != 0) return;
    // Keep the lower half's entries first (hash order at bucket granularity).
    const size_t lo_start = std::min(start, buddy_start);
    const uint64_t pos = static_cast<uint64_t>(lo_start) << (64 - depth_);
    Bucket* lo = start < buddy_start ? b : o;
    Bucket* hi = start < buddy_start ? o : b;
    lo = Reserve(lo, lo_start, lo->used + hi->used);
    std::memcpy(lo->data() + lo->used, hi->data(), hi->used);
    lo->used += hi->used;
    lo->count = static_cast<uint16_t>(lo->count + hi->count);
    lo->depth = static_cast<uint8_t>(d - 1);
    if (d == depth_) full_depth_buckets_ -= 2;
    FreeBucket(hi);
    Point(lo_start, d - 1, lo);
    MaybeShrink(lo, lo_start);
    MaybeHalveDirectory();
    i = Slot(pos);
  }
}

void FieldTable::MaybeHalveDirectory() {
  while (depth_ > 0 && full_depth_buckets_ == 0) {
    const size_t slots = size_t{1} << (depth_ - 1);
    auto** nd = static_cast<Bucket**>(MustMalloc(slots * sizeof(Bucket*)));
    for (size_t j = 0; j < slots; ++j) nd[j] = dir_[2 * j];
    memory_ -= AllocSize(dir_);
    std::free(dir_);
    dir_ = nd;
    memory_ += AllocSize(dir_);
    --depth_;
    full_depth_buckets_ = 0;
    for (size_t j = 0; j < slots; ++j) full_depth_buckets_ += dir_[j]->depth == depth_ ? 1 : 0;
  }
}

void FieldTable::EraseAt(size_t i, size_t off, size_t len, bool had_ttl) {
  Bucket* b = dir_[i];
  std::memmove(b->data() + off, b->data() + off + len, b->used - off - len);
  b->used = static_cast<uint32_t>(b->used - len);
  --b->count;
  --size_;
  if (had_ttl && --ttl_fields_ == 0) ClearHeap();
  MaybeShrink(b, i);
  TryMerge(i);
}

bool FieldTable::Delete(std::string_view field) {
  const size_t i = Slot(Hash(field));
  EntryView e;
  const size_t off = FindIn(dir_[i], field, &e);
  if (off == SIZE_MAX) return false;
  EraseAt(i, off, e.size(), e.expire_ms != 0);
  return true;
}

bool FieldTable::SetExpiry(std::string_view field, int64_t at_ms) {
  const uint64_t h = Hash(field);
  const size_t i = Slot(h);
  Bucket* b = dir_[i];
  EntryView e;
  const size_t off = FindIn(b, field, &e);
  if (off == SIZE_MAX) return false;
  const int64_t old_exp = e.expire_ms;
  if (old_exp != 0 && at_ms != 0) {
    StoreExpiry(b->data() + off + 1, at_ms);
    if (at_ms != old_exp) PushTtl(at_ms, h);
    return true;
  }
  if (old_exp == 0 && at_ms == 0) return true;
  const size_t tail = b->used - off;
  if (at_ms != 0) {
    b = Reserve(b, i, b->used + kTtlBytes);
    std::memmove(b->data() + off + kTtlBytes, b->data() + off, tail);
    b->data()[off] = kTtlTag;
    StoreExpiry(b->data() + off + 1, at_ms);
    b->used = static_cast<uint32_t>(b->used + kTtlBytes);
    ++ttl_fields_;
    PushTtl(at_ms, h);
    return true;
  }
  std::memmove(b->data() + off, b->data() + off + kTtlBytes, tail - kTtlBytes);
  b->used = static_cast<uint32_t>(b->used - kTtlBytes);
  MaybeShrink(b, i);
  if (--ttl_fields_ == 0) ClearHeap();
  return true;
}

size_t FieldTable::ExpireFields(int64_t now_ms, size_t max) {
  size_t removed = 0;
  while (removed < max && !heap_.empty() && heap_.front().at < now_ms) {
    const TtlItem top = heap_.front();
    std::pop_heap(heap_.begin(), heap_.end(), HeapLess);
    heap_.pop_back();
    // The item is live if an entry of its bucket has exactly this expiry and this hash.
    const size_t i = Slot(top.hash);
    const Bucket* b = dir_[i];
    const uint8_t* end = b->data() + b->used;
    EntryView e;
    for (const uint8_t* p = b->data(); p < end;) {
      const uint8_t* next = GetEntry(p, &e);
      if (e.expire_ms == top.at && Hash(std::string_view(e.field.data, e.field.len)) == top.hash) {
        EraseAt(i, static_cast<size_t>(p - b->data()), e.size(), true);
        ++removed;
        break;
      }
      p = next;
    }
  }
  if (ttl_fields_ > 0 && heap_.size() > 2 * ttl_fields_ + 64) RebuildHeap();
  return removed;
}

void FieldTable::PushTtl(int64_t at, uint64_t h) {
  if (heap_.size() >= 2 * ttl_fields_ + 64) {
    RebuildHeap();  // drops stale items; the new item's field is already in the table
    return;
  }
  const size_t old_capacity = heap_.capacity();
  heap_.push_back(TtlItem{at, h});
  std::push_heap(heap_.begin(), heap_.end(), HeapLess);
  AccountHeap(old_capacity);
}

void FieldTable::RebuildHeap() {
  const size_t old_capacity = heap_.capacity();
  std::vector<TtlItem> items;
  items.reserve(ttl_fields_);
  ForEach([&](const EntryView& e) {
    if (e.expire_ms != 0) {
      items.push_back(TtlItem{e.expire_ms, Hash(std::string_view(e.field.data, e.field.len))});
    }
  });
  std::make_heap(items.begin(), items.end(), HeapLess);
  heap_.swap(items);
  AccountHeap(old_capacity);
}

void FieldTable::ClearHeap() {
  const size_t old_capacity = heap_.capacity();
  std::vector<TtlItem>().swap(heap_);
  AccountHeap(old_capacity);
}

void FieldTable::AccountHeap(size_t old_capacity) {
  memory_ = memory_ - old_capacity * sizeof(TtlItem) + heap_.capacity() * sizeof(TtlItem);
}

void FieldTable::ForEach(EntryFn fn) const {
  const size_t slots = size_t{1} << depth_;
  EntryView e;
  for (size_t i = 0; i < slots;) {
    const Bucket* b = dir_[i];
    const uint8_t* end = b->data() + b->used;
    for (const uint8_t* p = b->data(); p < end;) {
      p = GetEntry(p, &e);
      fn(e);
    }
    i += RangeLen(b->depth);
  }
}

uint64_t FieldTable::Scan(uint64_t cursor, size_t count, EntryFn fn) const {
  // Empty buckets cost a visit each; bound the visits like Redis bounds SCAN's empty steps.
  const size_t max_visits = count >= SIZE_MAX / 10 ? SIZE_MAX : std::max<size_t>(count, 1) * 10;
  size_t emitted = 0;
  EntryView e;
  for (size_t visits = 1;; ++visits) {
    const Bucket* b = dir_[Slot(cursor)];
    const uint8_t* end = b->data() + b->used;
    for (const uint8_t* p = b->data(); p < end; ++emitted) {
      p = GetEntry(p, &e);
      fn(e);
    }
    const int d = b->depth;
    if (d == 0) return 0;
    const uint64_t prefix = cursor >> (64 - d);
    if (prefix == (uint64_t{1} << d) - 1) return 0;
    cursor = (prefix + 1) << (64 - d);
    if (emitted >= count || visits >= max_visits) return cursor;
  }
}

void FieldTable::Random(uint64_t* rng, EntryView* out) const {
  assert(size_ > 0);
  const Bucket* chosen = nullptr;
  size_t index = 0;
  for (int tries = 0; tries < 64 && chosen == nullptr; ++tries) {
    const uint64_t r = NextRandom(rng);
    const Bucket* b = dir_[depth_ == 0 ? 0 : static_cast<size_t>(r >> (64 - depth_))];
    if (b->count == 0) continue;
    // The bucket is drawn with probability 2^-d; accepting it with probability
    // count / (kMaxEntries * 2^(depth_ - d)) makes each of its entries 1 / (16 * 2^depth_).
    const uint64_t range = uint64_t{kMaxEntries} << (depth_ - b->depth);
    const uint64_t pick = NextRandom(rng) % range;
    if (pick >= b->count && b->count <= kMaxEntries) continue;
    chosen = b;
    index = static_cast<size_t>(pick % b->count);
  }
  if (chosen == nullptr) {
    // Pathologically sparse directory: count down to a uniformly chosen entry.
    size_t k = static_cast<size_t>(NextRandom(rng) % size_);
    const size_t slots = size_t{1} << depth_;
    for (size_t i = 0; i < slots; i += RangeLen(dir_[i]->depth)) {
      if (k < dir_[i]->count) {
        chosen = dir_[i];
        index = k;
        break;
      }
      k -= dir_[i]->count;
    }
  }
  const uint8_t* p = chosen->data();
  for (size_t j = 0; j < index; ++j) p = GetEntry(p, out);
  GetEntry(p, out);
}

std::string FieldTable::CheckInvariants() const {
  const size_t slots = size_t{1} << depth_;
  size_t fields = 0, ttl = 0, buckets = 0, full = 0;
  size_t mem = AllocSize(dir_) + heap_.capacity() * sizeof(TtlItem);
  EntryView e;
  for (size_t i = 0; i < slots;) {
    const Bucket* b = dir_[i];
    if (b->depth > depth_) return "bucket deeper than the directory";
    if (RangeStart(i, b->depth) != i) return "bucket range misaligned";
    for (size_t j = 0; j < RangeLen(b->depth); ++j) {
      if (dir_[i + j] != b) return "bucket range not all pointing at the bucket";
    }
    size_t n = 0;
    const uint8_t* end = b->data() + b->used;
    const uint8_t* p = b->data();
    while (p < end) {
      p = GetEntry(p, &e);
      if (e.field.is_int || e.value.is_int) return "integer element in a bucket";
      const uint64_t h = Hash(std::string_view(e.field.data, e.field.len));
      if (b->depth > 0 && (h >> (64 - b->depth)) != (i >> (depth_ - b->depth))) {
        return "field in the wrong bucket";
      }
      ++n;
      if (e.expire_ms != 0) {
        ++ttl;
        bool found = false;
        for (const TtlItem& t : heap_) found |= t.at == e.expire_ms && t.hash == h;
        if (!found) return "field expiry missing from the heap";
      }
    }
    if (p != end) return "bucket entries overrun";
    if (n != b->count) return "bucket count mismatch";
    fields += n;
    ++buckets;
    if (b->depth == depth_) ++full;
    mem += AllocSize(b);
    i += RangeLen(b->depth);
  }
  if (fields != size_) return "size mismatch";
  if (ttl != ttl_fields_) return "ttl field count mismatch";
  if (buckets != buckets_) return "bucket count mismatch";
  if (full != full_depth_buckets_) return "full-depth bucket count mismatch";
  if (mem != memory_) return "memory accounting mismatch";
  if (!std::is_heap(heap_.begin(), heap_.end(), HeapLess)) return "not a heap";
  return "";
}

}  // namespace ringkv::engine::hash_detail
