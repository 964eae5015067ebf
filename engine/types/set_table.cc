// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/set_table.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "engine/memory.h"

namespace ringkv::engine::detail {

namespace {

// Old buckets a write migrates: this many non-empty ones, and at most kStepVisits in all (empty
// buckets cost a pointer load each, so a shrink's mostly empty array finishes quickly).
constexpr size_t kStepBuckets = 2;
constexpr size_t kStepVisits = 32;

constexpr unsigned __int128 kHashSpace = static_cast<unsigned __int128>(1) << 64;

// The allocator's size for a SetTable, measured once (tests also place one on the stack).
size_t SelfSize() {
  static const size_t self = [] {
    void* p = MustMalloc(sizeof(SetTable));
    const size_t n = AllocSize(p);
    std::free(p);
    return n;
  }();
  return self;
}

}  // namespace

SetTable::SetTable(uint64_t buckets) { AllocArray(&cur_, buckets < 1 ? 1 : buckets); }

SetTable::~SetTable() {
  FreeArray(&cur_);
  FreeArray(&old_);
}

uint64_t SetTable::BucketsFor(size_t members) {
  return std::max<uint64_t>(1, (members + kTargetLoad - 1) / kTargetLoad);
}

size_t SetTable::bytes() const { return heap_ + SelfSize(); }

void SetTable::AllocArray(Array* a, uint64_t n) {
  a->b = static_cast<uint8_t**>(std::calloc(n, sizeof(uint8_t*)));
  if (a->b == nullptr) std::abort();
  a->n = n;
  a->max_count = 0;
  heap_ += AllocSize(a->b);
}

void SetTable::FreeArray(Array* a) {
  if (a->b == nullptr) return;
  for (uint64_t j = 0; j < a->n; ++j) BucketFree(a->b[j], &heap_, /*free_blocks=*/true);
  heap_ -= AllocSize(a->b);
  std::free(a->b);
  *a = Array{};
}

uint8_t** SetTable::Slot(uint64_t hash, Array** array) {
  if (old_.b != nullptr) {
    const uint64_t i = Index(hash, old_.n);
    if (i >= migrated_) {
      *array = &old_;
      return &old_.b[i];
    }
  }
  *array = &cur_;
  return &cur_.b[Index(hash, cur_.n)];
}

uint8_t* const* SetTable::Slot(uint64_t hash) const {
  if (old_.b != nullptr) {
    const uint64_t i = Index(hash, old_.n);
    if (i >= migrated_) return &old_.b[i];
  }
  return &cur_.b[Index(hash, cur_.n)];
}

bool SetTable::Contains(const SetMember& m, uint64_t hash) const {
  size_t end, count;
  return FindInBucket(*Slot(hash), m, &end, &count) != nullptr;
}

bool SetTable::Insert(const SetMember& m, uint64_t hash) {
  Step(kStepBuckets);
  Array* a;
  uint8_t** slot = Slot(hash, &a);
  size_t end, count;
  if (FindInBucket(*slot, m, &end, &count) != nullptr) return false;
  *slot = BucketAppend(*slot, end, m, &heap_);
  a->max_count = std::max(a->max_count, count + 1);
  ++size_;
  if (size_ > kMaxLoad * cur_.n) StartResize(BucketsFor(size_));
  return true;
}

bool SetTable::Erase(const SetMember& m, uint64_t hash) {
  Step(kStepBuckets);
  Array* a;
  uint8_t** slot = Slot(hash, &a);
  size_t end, count;
  const uint8_t* e = FindInBucket(*slot, m, &end, &count);
  if (e == nullptr) return false;
  *slot = BucketErase(*slot, static_cast<size_t>(e - *slot), &heap_);
  --size_;
  if (size_ * 2 < cur_.n && cur_.n > 1) StartResize(BucketsFor(size_));
  return true;
}

void SetTable::AppendEntry(Array* a, uint64_t j, const uint8_t* entry, size_t n) {
  uint8_t*& b = a->b[j];
  size_t count;
  const size_t end = BucketEnd(b, &count);
  b = BucketAppendRaw(b, end, entry, n, &heap_);
  a->max_count = std::max(a->max_count, count + 1);
}

void SetTable::MigrateBucket(const uint8_t* b) {
  // The entries go to a few neighbouring new buckets (the index is monotone in the hash). Grouped
  // by target, each target bucket is grown once instead of once per entry.
  struct Move {
    uint64_t j;
    const uint8_t* e;
    size_t n;
  };
  constexpr size_t kChunk = 64;
  Move moves[kChunk];
  const uint8_t* e = b;
  while (*e != 0) {
    size_t k = 0;
    for (; *e != 0 && k < kChunk; e += EntrySize(e), ++k) {
      moves[k] = {Index(DecodeEntry(e).Hash(), cur_.n), e, EntrySize(e)};
    }
    std::sort(moves, moves + k, [](const Move& x, const Move& y) { return x.j < y.j; });
    for (size_t i = 0; i < k;) {
      size_t last = i;
      size_t bytes = 0;
      for (; last < k && moves[last].j == moves[i].j; ++last) bytes += moves[last].n;
      uint8_t*& dst = cur_.b[moves[i].j];
      size_t count;
      size_t end = BucketEnd(dst, &count);
      dst = BucketReserve(dst, end + bytes + 1, &heap_);
      for (size_t m = i; m < last; ++m) {
        std::memcpy(dst + end, moves[m].e, moves[m].n);
        end += moves[m].n;
      }
      dst[end] = 0;
      cur_.max_count = std::max(cur_.max_count, count + (last - i));
      i = last;
    }
  }
}

void SetTable::InsertEncoded(const uint8_t* entry, uint64_t hash) {
  Array* a;
  uint8_t** slot = Slot(hash, &a);
  AppendEntry(a, static_cast<uint64_t>(slot - a->b), entry, EntrySize(entry));
  heap_ += EntryHeap(entry);
  ++size_;
  if (size_ > kMaxLoad * cur_.n) StartResize(BucketsFor(size_));
}

void SetTable::StartResize(uint64_t buckets) {
  if (old_.b != nullptr) FinishResize();
  if (buckets == cur_.n) return;
  old_ = cur_;
  cur_ = Array{};
  AllocArray(&cur_, buckets);
  migrated_ = 0;
  Step(kStepBuckets);
}

void SetTable::Step(size_t nonempty) {
  if (old_.b == nullptr) return;
  size_t visits = 0;
  while (migrated_ < old_.n && nonempty > 0 && visits < kStepVisits) {
    uint8_t* b = old_.b[migrated_];
    ++visits;
    if (b != nullptr) {
      --nonempty;
      MigrateBucket(b);
      BucketFree(b, &heap_, /*free_blocks=*/false);  // the blocks moved with the entries
      old_.b[migrated_] = nullptr;
    }
    ++migrated_;
  }
  if (migrated_ == old_.n) {
    heap_ -= AllocSize(old_.b);
    std::free(old_.b);
    old_ = Array{};
    migrated_ = 0;
  }
}

void SetTable::FinishResize() {
  while (old_.b != nullptr) Step(SIZE_MAX);
}

void SetTable::ForEach(absl::FunctionRef<bool(const uint8_t*)> fn) const {
  for (const Array* a : {&cur_, &old_}) {
    for (uint64_t j = 0; j < a->n; ++j) {
      const uint8_t* b = a->b[j];
      if (b == nullptr) continue;
      for (const uint8_t* e = b; *e != 0; e += EntrySize(e)) {
        if (!fn(e)) return;
      }
    }
  }
}

uint64_t SetTable::Scan(uint64_t cursor, size_t count,
                        absl::FunctionRef<void(const uint8_t*)> fn) const {
  uint64_t c = cursor;
  size_t returned = 0;
  size_t steps = 0;
  const size_t max_steps = count > SIZE_MAX / 10 ? SIZE_MAX : count * 10;
  for (;;) {
    const uint8_t* b;
    unsigned __int128 begin, end;
    const uint64_t i = old_.b != nullptr ? Index(c, old_.n) : 0;
    if (old_.b != nullptr && i >= migrated_) {
      b = old_.b[i];
      begin = Start(old_.n, i);
      end = Start(old_.n, i + 1);
    } else {
      const uint64_t j = Index(c, cur_.n);
      b = cur_.b[j];
      begin = Start(cur_.n, j);
      end = Start(cur_.n, j + 1);
      if (old_.b != nullptr) end = std::min(end, Start(old_.n, migrated_));
    }
    if (b != nullptr) {
      // A cursor from before a resize may fall inside this bucket: skip what it covered.
      const bool all = begin == c;
      for (const uint8_t* e = b; *e != 0; e += EntrySize(e)) {
        if (all || DecodeEntry(e).Hash() >= c) {
          fn(e);
          ++returned;
        }
      }
    }
    if (end >= kHashSpace) return 0;
    c = static_cast<uint64_t>(end);
    if (returned >= count || ++steps >= max_steps) return c;
  }
}

const uint8_t* SetTable::Random(SetRng& rng) const {
  const uint64_t total = cur_.n + old_.n;
  const size_t k = std::max<size_t>(1, std::max(cur_.max_count, old_.max_count));
  for (;;) {
    const uint64_t r = rng.Below(total);
    const uint8_t* b = r < cur_.n ? cur_.b[r] : old_.b[r - cur_.n];
    const uint8_t* e = BucketEntryAt(b, rng.Below(k));
    if (e != nullptr) return e;
  }
}

uint8_t* SetTable::Drain(size_t* bucket_heap) {
  size_t used = 1;
  ForEach([&](const uint8_t* e) {
    used += EntrySize(e);
    return true;
  });
  auto* out = static_cast<uint8_t*>(MustMalloc(used));
  size_t off = 0;
  ForEach([&](const uint8_t* e) {
    const size_t n = EntrySize(e);
    std::memcpy(out + off, e, n);
    *bucket_heap += EntryHeap(e);
    off += n;
    return true;
  });
  out[off] = 0;
  *bucket_heap += AllocSize(out);
  for (Array* a : {&cur_, &old_}) {
    for (uint64_t j = 0; j < a->n; ++j) {
      BucketFree(a->b[j], &heap_, /*free_blocks=*/false);
      a->b[j] = nullptr;
    }
  }
  FreeArray(&old_);
  migrated_ = 0;
  size_ = 0;
  // The blocks now belong to the drained bucket.
  heap_ = AllocSize(cur_.b);
  return out;
}

std::unique_ptr<SetTable> SetTable::Clone() const {
  auto t = std::make_unique<SetTable>(cur_.n);
  auto copy = [&](const Array& from, Array* to) {
    for (uint64_t j = 0; j < from.n; ++j) to->b[j] = BucketClone(from.b[j], &t->heap_);
    to->max_count = from.max_count;
  };
  copy(cur_, &t->cur_);
  if (old_.b != nullptr) {
    t->AllocArray(&t->old_, old_.n);
    copy(old_, &t->old_);
  }
  t->migrated_ = migrated_;
  t->size_ = size_;
  return t;
}

size_t SetTable::RecountBytes() const {
  size_t n = SelfSize() + AllocSize(cur_.b) + AllocSize(old_.b);
  for (const Array* a : {&cur_, &old_}) {
    for (uint64_t j = 0; j < a->n; ++j) n += BucketHeap(a->b[j]);
  }
  return n;
}

}  // namespace ringkv::engine::detail
