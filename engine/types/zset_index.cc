// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The member index of the large sorted-set encoding; design notes in zset_index.h.
#include "engine/types/zset_index.h"

#include <algorithm>
#include <cstdlib>

#include "engine/hash.h"
#include "engine/memory.h"

namespace ringkv::engine {

using zset_detail::RecordMember;

namespace {
constexpr size_t kMinCapacity = 8;
}  // namespace

MemberIndex::~MemberIndex() { std::free(slots_); }

uint64_t MemberIndex::Hash(std::string_view member) { return HashKey(member); }

size_t MemberIndex::AllocatedBytes() const { return AllocSize(slots_); }

MemberIndex::Record MemberIndex::Find(std::string_view member, uint64_t hash) const {
  if (cap_ == 0) return nullptr;
  const uint64_t tag = Tag(hash);
  for (size_t i = Home(hash);;) {
    const uint64_t s = slots_[i];
    if (s == 0) return nullptr;
    if ((s & ~kPtrMask) == tag && RecordMember(Ptr(s)) == member) return Ptr(s);
    if (++i == cap_) i = 0;
  }
}

void MemberIndex::Place(uint64_t slot, uint64_t hash) {
  size_t i = Home(hash);
  while (slots_[i] != 0) {
    if (++i == cap_) i = 0;
  }
  slots_[i] = slot;
}

void MemberIndex::Rebuild(size_t new_cap) {
  uint64_t* old = slots_;
  const size_t old_cap = cap_;
  if (new_cap == 0) {
    slots_ = nullptr;
  } else {
    slots_ = static_cast<uint64_t*>(std::calloc(new_cap, sizeof(uint64_t)));
    if (slots_ == nullptr) std::abort();
  }
  cap_ = new_cap;
  for (size_t i = 0; i < old_cap; ++i) {
    if (old[i] != 0) Place(old[i], Hash(RecordMember(Ptr(old[i]))));
  }
  std::free(old);
}

void MemberIndex::Reserve(size_t n) {
  // Load at most 0.8 after n members.
  const size_t need = std::max(kMinCapacity, n + n / 4 + 1);
  if (need > cap_) Rebuild(need);
}

void MemberIndex::Insert(Record r, uint64_t hash) {
  if ((size_ + 1) * 5 > cap_ * 4) Rebuild(std::max(kMinCapacity, cap_ + cap_ / 2));
  Place(Tag(hash) | reinterpret_cast<uint64_t>(r), hash);
  ++size_;
}

MemberIndex::Record MemberIndex::Erase(std::string_view member, uint64_t hash) {
  if (cap_ == 0) return nullptr;
  const uint64_t tag = Tag(hash);
  size_t i = Home(hash);
  for (;;) {
    const uint64_t s = slots_[i];
    if (s == 0) return nullptr;
    if ((s & ~kPtrMask) == tag && RecordMember(Ptr(s)) == member) break;
    if (++i == cap_) i = 0;
  }
  Record found = Ptr(slots_[i]);
  // Backward shift: pull later members of the run into the hole when their home allows it.
  size_t hole = i;
  slots_[hole] = 0;
  for (size_t j = hole;;) {
    if (++j == cap_) j = 0;
    const uint64_t s = slots_[j];
    if (s == 0) break;
    const size_t home = Home(Hash(RecordMember(Ptr(s))));
    // The member at j may stay if its home lies cyclically in (hole, j].
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    slots_[hole] = s;
    slots_[j] = 0;
    hole = j;
  }
  --size_;
  if (size_ == 0) {
    Rebuild(0);
  } else if (cap_ > kMinCapacity && size_ * 100 < cap_ * 15) {
    Rebuild(std::max(kMinCapacity, size_ * 2));
  }
  return found;
}

void MemberIndex::Clear() {
  std::free(slots_);
  slots_ = nullptr;
  cap_ = 0;
  size_ = 0;
}

uint64_t MemberIndex::FirstHashAt(size_t pos) const {
  if (pos >= cap_) return 0;
  const unsigned __int128 num = (static_cast<unsigned __int128>(pos) << 64) + (cap_ - 1);
  return static_cast<uint64_t>(num / cap_);
}

uint64_t MemberIndex::Scan(uint64_t cursor, size_t count,
                           absl::FunctionRef<void(Record)> fn) const {
  if (size_ == 0) return 0;
  const size_t a = Home(cursor);
  const size_t span = std::max<size_t>(count, 1);
  const size_t b = span >= cap_ - a ? cap_ : a + span;
  const uint64_t next = FirstHashAt(b);  // 0 when b == cap_: no upper bound
  // Members whose home is in [a, b) sit in [a, b) or in the probe run that continues past b
  // (possibly wrapping to the start of the table).
  size_t p = a;
  bool wrapped = false;
  for (size_t seen = 0; seen < cap_; ++seen) {
    const uint64_t s = slots_[p];
    if (s == 0 && (wrapped || p >= b)) break;
    if (s != 0) {
      const uint64_t h = Hash(RecordMember(Ptr(s)));
      if (h >= cursor && (next == 0 || h < next)) fn(Ptr(s));
    }
    if (++p == cap_) {
      p = 0;
      wrapped = true;
    }
  }
  return next;
}

}  // namespace ringkv::engine
