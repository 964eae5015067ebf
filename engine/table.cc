// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The shard table: group probing, incremental rehash and scan. Design notes are in table.h.
#include "engine/table.h"

#include <sys/mman.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <cstring>
#include <utility>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace ringkv::engine {

namespace {

constexpr uint8_t kEmpty = 0x00;
constexpr uint8_t kDeleted = 0x01;

// Bit i set when control byte i of the group satisfies the predicate.
#if defined(__SSE2__)
inline uint32_t MatchByte(const uint8_t* g, uint8_t b) {
  __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(g));
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(b)))));
}
inline uint32_t MatchFull(const uint8_t* g) {
  return static_cast<uint32_t>(
      _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(g))));
}
#else
inline uint32_t MatchByte(const uint8_t* g, uint8_t b) {
  uint32_t m = 0;
  for (int i = 0; i < 16; ++i) m |= static_cast<uint32_t>(g[i] == b) << i;
  return m;
}
inline uint32_t MatchFull(const uint8_t* g) {
  uint32_t m = 0;
  for (int i = 0; i < 16; ++i) m |= static_cast<uint32_t>(g[i] >> 7) << i;
  return m;
}
#endif
inline uint32_t MatchEmpty(const uint8_t* g) { return MatchByte(g, kEmpty); }
inline uint32_t MatchFree(const uint8_t* g) { return ~MatchFull(g) & 0xffffu; }
inline uint8_t Tag(uint64_t hash) { return static_cast<uint8_t>(0x80 | (hash & 0x7f)); }

}  // namespace

Table::Table(int shift, HashFn hash_fn, FreeFn free_fn)
    : shift_(shift), hash_fn_(hash_fn), free_fn_(free_fn) {}

Table::~Table() {
  Release(cur_);
  Release(old_);
}

Table::Table(Table&& other) noexcept
    : shift_(other.shift_),
      hash_fn_(other.hash_fn_),
      free_fn_(other.free_fn_),
      cur_(std::exchange(other.cur_, Raw{})),
      old_(std::exchange(other.old_, Raw{})),
      mig_start_(other.mig_start_),
      mig_done_(other.mig_done_),
      step_groups_(other.step_groups_) {
  Publish();
  other.Publish();
}

Table& Table::operator=(Table&& other) noexcept {
  if (this != &other) {
    Release(cur_);
    Release(old_);
    shift_ = other.shift_;
    hash_fn_ = other.hash_fn_;
    free_fn_ = other.free_fn_;
    cur_ = std::exchange(other.cur_, Raw{});
    old_ = std::exchange(other.old_, Raw{});
    mig_start_ = other.mig_start_;
    mig_done_ = other.mig_done_;
    step_groups_ = other.step_groups_;
    Publish();
    other.Publish();
  }
  return *this;
}

void FreeTableArray(void* mem, size_t bytes) {
  if (bytes < kTableMmapBytes) {
    std::free(mem);
    return;
  }
  // Unmap in 1 MiB pieces: munmap holds the process's mmap lock for its whole duration, and
  // page faults on every other thread wait for it.
  auto* p = static_cast<uint8_t*>(mem);
  size_t len = (bytes + 4095) & ~size_t{4095};
  for (size_t off = 0; off < len; off += kTableMmapBytes) {
    munmap(p + off, std::min(kTableMmapBytes, len - off));
  }
}

Table::Raw Table::Allocate(uint64_t groups) const {
  Raw t;
  size_t bytes = groups * kGroupBytes;
  uint8_t* mem;
  if (bytes >= kTableMmapBytes) {
    void* m = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) std::abort();
    mem = static_cast<uint8_t*>(m);
  } else {
    // Empty control bytes are zero, so calloc initializes the table.
    mem = static_cast<uint8_t*>(std::calloc(groups, kGroupBytes));
    if (mem == nullptr) std::abort();
  }
  t.ctrl = mem;
  t.slots = reinterpret_cast<Slot*>(mem + groups * kGroupSize);
  t.groups = groups;
  return t;
}

void Table::Release(Raw& t) {
  if (t.ctrl != nullptr) {
    if (free_fn_ != nullptr) {
      free_fn_(t.ctrl, t.groups * kGroupBytes);
    } else {
      FreeTableArray(t.ctrl, t.groups * kGroupBytes);
    }
  }
  t = Raw{};
}

uint64_t Table::GroupsFor(uint64_t keys) const {
  uint64_t slots = (keys * kTargetLoadDen + kTargetLoadNum - 1) / kTargetLoadNum;
  return std::max<uint64_t>(1, (slots + kGroupSize - 1) / kGroupSize);
}

uint64_t Table::OldStart(uint64_t home) const {
  uint64_t g = old_.groups;
  uint64_t off = home >= mig_start_ ? home - mig_start_ : home + g - mig_start_;
  if (off < mig_done_) {
    uint64_t s = mig_start_ + mig_done_;
    return s >= g ? s - g : s;
  }
  return home;
}

Slot* Table::FindIn(const Raw& t, uint64_t g, uint8_t tag, std::string_view key) const {
  for (uint64_t n = 0; n < t.groups; ++n) {
    const uint8_t* ctrl = t.ctrl + g * kGroupSize;
    for (uint32_t m = MatchByte(ctrl, tag); m != 0; m &= m - 1) {
      Slot* slot = &t.slots[g * kGroupSize + static_cast<uint64_t>(__builtin_ctz(m))];
      if (slot->entry()->KeyEquals(key)) return slot;
    }
    if (MatchEmpty(ctrl) != 0) return nullptr;
    if (++g == t.groups) g = 0;
  }
  return nullptr;
}

Slot* Table::Find(uint64_t hash, std::string_view key) {
  uint64_t pos = Pos(hash);
  uint8_t tag = Tag(hash);
  if (cur_.groups != 0) {
    if (Slot* s = FindIn(cur_, Home(cur_, pos), tag, key)) return s;
  }
  if (old_.groups != 0 && old_.size != 0) {
    return FindIn(old_, OldStart(Home(old_, pos)), tag, key);
  }
  return nullptr;
}

void Table::Prefetch(uint64_t hash) const {
  uint8_t* ctrl = prefetch_ctrl_.load(std::memory_order_relaxed);
  uint64_t groups = prefetch_groups_.load(std::memory_order_relaxed);
  if (ctrl == nullptr || groups == 0) return;
  uint64_t g = static_cast<uint64_t>((static_cast<unsigned __int128>(Pos(hash)) * groups) >> 64);
  auto* slots = reinterpret_cast<Slot*>(ctrl + groups * kGroupSize);
  __builtin_prefetch(ctrl + g * kGroupSize);
  __builtin_prefetch(slots + g * kGroupSize);
  __builtin_prefetch(slots + g * kGroupSize + 8);  // a group's slots span two cache lines
}

void Table::Place(Raw& t, uint64_t hash, Slot s) {
  uint64_t g = Home(t, Pos(hash));
  for (uint64_t n = 0; n < t.groups; ++n) {
    uint8_t* ctrl = t.ctrl + g * kGroupSize;
    uint32_t m = MatchFree(ctrl);
    if (m != 0) {
      uint64_t i = static_cast<uint64_t>(__builtin_ctz(m));
      if (ctrl[i] == kDeleted) --t.deleted;
      ctrl[i] = Tag(hash);
      t.slots[g * kGroupSize + i] = s;
      ++t.size;
      return;
    }
    if (++g == t.groups) g = 0;
  }
  std::abort();  // unreachable: used slots never exceed the capacity
}

void Table::Insert(uint64_t hash, Entry* e, uint16_t lru) {
  moved_ = 0;
  if (rehashing()) RehashStep(step_groups_);
  if (cur_.groups == 0 || cur_.size + cur_.deleted >= cur_.MaxUsed()) {
    // A rehash still running here means inserts outran migration; finish it (bounded by design,
    // see StartRehash) before starting the next one.
    while (RehashStep(SIZE_MAX)) {
    }
    StartRehash(GroupsFor(cur_.size + 1));
  }
  Place(cur_, hash, Slot::Make(e, lru));
  max_moved_ = std::max(max_moved_, moved_);
}

bool Table::EraseIn(Raw& t, uint64_t start, uint8_t tag, std::string_view key, Entry** out) {
  Slot* slot = FindIn(t, start, tag, key);
  if (slot == nullptr) return false;
  uint64_t idx = static_cast<uint64_t>(slot - t.slots);
  uint8_t* group = t.ctrl + (idx / kGroupSize) * kGroupSize;
  // Invariant 2 of table.h: a group with an empty slot lies on no other key's probe path.
  if (MatchEmpty(group) != 0) {
    t.ctrl[idx] = kEmpty;
  } else {
    t.ctrl[idx] = kDeleted;
    ++t.deleted;
  }
  --t.size;
  *out = slot->entry();
  return true;
}

Entry* Table::Erase(uint64_t hash, std::string_view key) {
  uint64_t pos = Pos(hash);
  uint8_t tag = Tag(hash);
  Entry* e = nullptr;
  bool found = cur_.groups != 0 && EraseIn(cur_, Home(cur_, pos), tag, key, &e);
  if (!found && old_.groups != 0 && old_.size != 0) {
    found = EraseIn(old_, OldStart(Home(old_, pos)), tag, key, &e);
  }
  if (!found) return nullptr;
  moved_ = 0;
  if (rehashing()) RehashStep(step_groups_);
  MaybeShrink();
  max_moved_ = std::max(max_moved_, moved_);
  return e;
}

void Table::MaybeShrink() {
  if (rehashing()) return;
  if (cur_.size == 0) {
    Release(cur_);
    Publish();
    return;
  }
  // Shrink below 1/8 load, back to the target load: the hysteresis keeps a table that oscillates
  // around a size from rebuilding on every crossing.
  if (cur_.groups > 1 && cur_.size * 8 < cur_.groups * kGroupSize) {
    StartRehash(GroupsFor(cur_.size));
  }
}

void Table::StartRehash(uint64_t groups) {
  assert(!rehashing());
  if (cur_.size == 0) {
    Release(cur_);
    cur_ = Allocate(groups);
    Publish();
    return;
  }
  old_ = std::exchange(cur_, Allocate(groups));
  Publish();
  mig_done_ = 0;
  mig_start_ = old_.groups;
  for (uint64_t g = 0; g < old_.groups; ++g) {
    if (MatchEmpty(old_.ctrl + g * kGroupSize) != 0) {
      mig_start_ = g;
      break;
    }
  }
  if (mig_start_ == old_.groups) {
    // No group with an empty slot (only possible after a forced finish overfilled the table):
    // nothing guarantees probe sequences during a gradual move, so move everything now.
    mig_start_ = 0;
    while (RehashStep(SIZE_MAX)) {
    }
    return;
  }
  // Enough groups per step that migration ends before the new table can fill: each insert uses
  // one slot of headroom and moves step_groups_ groups.
  uint64_t headroom = cur_.MaxUsed() > old_.size ? (cur_.MaxUsed() - old_.size) / 2 : 1;
  step_groups_ =
      std::max<uint64_t>(kRehashGroupsPerStep, (old_.groups + std::max<uint64_t>(headroom, 1) - 1) /
                                                   std::max<uint64_t>(headroom, 1));
}

bool Table::RehashStep(size_t groups) {
  if (!rehashing()) return false;
  uint64_t g_total = old_.groups;
  for (size_t n = 0; n < groups && mig_done_ < g_total && old_.size != 0; ++n) {
    uint64_t g = mig_start_ + mig_done_;
    if (g >= g_total) g -= g_total;
    uint8_t* ctrl = old_.ctrl + g * kGroupSize;
    uint32_t full = MatchFull(ctrl);
    for (uint32_t m = full; m != 0; m &= m - 1) {
      Slot s = old_.slots[g * kGroupSize + static_cast<uint64_t>(__builtin_ctz(m))];
      Place(cur_, hash_fn_(s.entry()->key()), s);
    }
    old_.size -= static_cast<uint64_t>(__builtin_popcount(full));
    moved_ += static_cast<uint64_t>(__builtin_popcount(full));
    if (MatchEmpty(ctrl) != 0xffffu) std::memset(ctrl, kEmpty, kGroupSize);
    ++mig_done_;
  }
  if (mig_done_ == g_total || old_.size == 0) {
    Release(old_);
    mig_done_ = 0;
    return false;
  }
  return true;
}

unsigned __int128 Table::GroupBegin(const Raw& t, uint64_t g) const {
  // Smallest pos with (pos * G) >> 64 >= g is ceil(g * 2^64 / G); positions are multiples of
  // 2^shift_, so round up to one.
  unsigned __int128 num = static_cast<unsigned __int128>(g) << 64;
  unsigned __int128 b = (num + t.groups - 1) / t.groups;
  unsigned __int128 mask = (static_cast<unsigned __int128>(1) << shift_) - 1;
  return (b + mask) & ~mask;
}

void Table::WalkHome(const Raw& t, uint64_t g, uint64_t lo, unsigned __int128 hi,
                     absl::FunctionRef<void(Entry*)> fn) const {
  for (uint64_t n = 0; n < t.groups; ++n) {
    const uint8_t* ctrl = t.ctrl + g * kGroupSize;
    for (uint32_t m = MatchFull(ctrl); m != 0; m &= m - 1) {
      Entry* e = t.slots[g * kGroupSize + static_cast<uint64_t>(__builtin_ctz(m))].entry();
      uint64_t p = Pos(hash_fn_(e->key()));
      if (p >= lo && p < hi) fn(e);
    }
    if (MatchEmpty(ctrl) != 0) return;
    if (++g == t.groups) g = 0;
  }
}

uint64_t Table::Scan(uint64_t cursor, absl::FunctionRef<void(Entry*)> fn) const {
  unsigned __int128 hi = static_cast<unsigned __int128>(1) << 64;
  if (cur_.groups != 0) hi = std::min(hi, GroupBegin(cur_, Home(cur_, cursor) + 1));
  if (old_.groups != 0) hi = std::min(hi, GroupBegin(old_, Home(old_, cursor) + 1));
  if (cur_.groups != 0 && cur_.size != 0) WalkHome(cur_, Home(cur_, cursor), cursor, hi, fn);
  if (old_.groups != 0 && old_.size != 0) {
    WalkHome(old_, OldStart(Home(old_, cursor)), cursor, hi, fn);
  }
  if (hi >> 64 != 0) return 0;
  return static_cast<uint64_t>(hi);
}

void Table::ForEach(absl::FunctionRef<void(Entry*)> fn) const {
  for (const Raw* t : {&cur_, &old_}) {
    if (t->size == 0) continue;
    for (uint64_t g = 0; g < t->groups; ++g) {
      for (uint32_t m = MatchFull(t->ctrl + g * kGroupSize); m != 0; m &= m - 1) {
        fn(t->slots[g * kGroupSize + static_cast<uint64_t>(__builtin_ctz(m))].entry());
      }
    }
  }
}

Entry* Table::Random(uint64_t r) const {
  Slot* s = RandomSlot(r);
  return s != nullptr ? s->entry() : nullptr;
}

Slot* Table::RandomSlot(uint64_t r) const {
  if (size() == 0) return nullptr;
  const Raw& t = (r >> 32) % size() < cur_.size ? cur_ : old_;
  uint64_t g = (r & 0xffffffffu) % t.groups;
  for (uint64_t n = 0; n < t.groups; ++n) {
    uint32_t m = MatchFull(t.ctrl + g * kGroupSize);
    if (m != 0) {
      int pick = static_cast<int>((r >> 20) % static_cast<uint64_t>(__builtin_popcount(m)));
      while (pick-- > 0) m &= m - 1;
      return &t.slots[g * kGroupSize + static_cast<uint64_t>(__builtin_ctz(m))];
    }
    if (++g == t.groups) g = 0;
  }
  return nullptr;
}

void Table::Reserve(uint64_t keys) {
  if (size() != 0 || rehashing()) return;
  const uint64_t groups = GroupsFor(keys);
  if (groups <= cur_.groups) return;
  Release(cur_);
  cur_ = Allocate(groups);
  Publish();
}

void Table::Clear() {
  Release(cur_);
  Release(old_);
  mig_done_ = 0;
  Publish();
}

}  // namespace ringkv::engine
