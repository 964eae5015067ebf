// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/set.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "engine/entry.h"
#include "engine/memory.h"
#include "engine/types/limits.h"
#include "engine/types/set_intset.h"
#include "engine/types/set_table.h"

namespace ringkv::engine {

namespace {

using detail::SetMember;

// Redis caps set-max-intset-entries at 2^30 because of intset internals; so do we.
size_t MaxIntsetEntries() {
  const int64_t v = Limits().set_max_intset_entries.load(std::memory_order_relaxed);
  if (v < 0) return 0;
  return std::min<size_t>(static_cast<size_t>(v), size_t{1} << 30);
}

// A member copied out of a set's storage, so that it survives the member's removal.
struct OwnedMember {
  explicit OwnedMember(const SetMember& m) : member(m) {
    if (!m.is_int) {
      text.assign(m.s);
      member.s = text;
    }
  }
  OwnedMember(const OwnedMember&) = delete;
  OwnedMember& operator=(const OwnedMember&) = delete;
  SetMember member;
  std::string text;
};

}  // namespace

size_t SetObject::SelfSize() {
  // The allocator's size for an object of this class, measured once: a SetObject may also live
  // on the stack (SPOP's remainder, tests), where malloc_usable_size(this) is undefined.
  static const size_t self = [] {
    void* p = MustMalloc(sizeof(SetObject));
    const size_t n = AllocSize(p);
    std::free(p);
    return n;
  }();
  return self;
}

SetObject::~SetObject() { Clear(); }

void SetObject::Clear() {
  size_t heap = 0;
  switch (form_) {
    case Form::kIntset:
      std::free(data_);
      break;
    case Form::kSmall:
      detail::BucketFree(data_, &heap, /*free_blocks=*/true);
      break;
    case Form::kTable:
      delete table_;
      break;
  }
  data_ = nullptr;
  size_ = 0;
  form_ = Form::kIntset;
  width_ = 2;
}

size_t SetObject::MemoryUsage() const {
  const size_t n = SelfSize();
  switch (form_) {
    case Form::kIntset:
      return n + AllocSize(data_);
    case Form::kSmall:
      return n + detail::BucketHeap(data_);  // at most kSmallMax entries to walk
    case Form::kTable:
      return n + table_->bytes();
  }
  return n;
}

size_t SetObject::RecountMemory() const {
  if (form_ == Form::kTable) return SelfSize() + table_->RecountBytes();
  return MemoryUsage();
}

std::unique_ptr<Object> SetObject::Clone() const {
  auto copy = std::make_unique<SetObject>();
  size_t heap = 0;
  switch (form_) {
    case Form::kIntset:
      copy->data_ = detail::IntsetClone(data_, size_, width_, &heap);
      break;
    case Form::kSmall:
      copy->data_ = detail::BucketClone(data_, &heap);
      break;
    case Form::kTable:
      copy->table_ = table_->Clone().release();
      break;
  }
  copy->size_ = size_;
  copy->form_ = form_;
  copy->width_ = width_;
  return copy;
}

Encoding SetObject::encoding() const {
  return form_ == Form::kIntset ? Encoding::kIntset : Encoding::kHashtable;
}

bool SetObject::Add(std::string_view member) { return AddMember(SetMember::Of(member)); }

bool SetObject::Remove(std::string_view member) { return RemoveMember(SetMember::Of(member)); }

bool SetObject::Contains(std::string_view member) const {
  return ContainsMember(SetMember::Of(member));
}

bool SetObject::ContainsMember(const SetMember& m) const {
  switch (form_) {
    case Form::kIntset: {
      size_t pos;
      return m.is_int && detail::IntsetFind(data_, size_, width_, m.i, &pos);
    }
    case Form::kSmall: {
      size_t end, count;
      return detail::FindInBucket(data_, m, &end, &count) != nullptr;
    }
    case Form::kTable:
      return table_->Contains(m, m.Hash());
  }
  return false;
}

bool SetObject::AddMember(const SetMember& m) {
  size_t heap = 0;  // buckets and intsets are re-measured by MemoryUsage(); only tables count
  switch (form_) {
    case Form::kIntset: {
      if (!m.is_int) {
        ToHashtable();
        return AddMember(m);
      }
      size_t pos;
      if (detail::IntsetFind(data_, size_, width_, m.i, &pos)) return false;
      data_ = detail::IntsetInsert(data_, size_, &width_, pos, m.i, &heap);
      ++size_;
      if (size_ > MaxIntsetEntries()) ToHashtable();
      return true;
    }
    case Form::kSmall: {
      size_t end, count;
      if (detail::FindInBucket(data_, m, &end, &count) != nullptr) return false;
      data_ = detail::BucketAppend(data_, end, m, &heap);
      ++size_;
      if (size_ > kSmallMax) SmallToTable();
      return true;
    }
    case Form::kTable:
      if (!table_->Insert(m, m.Hash())) return false;
      ++size_;
      return true;
  }
  return false;
}

bool SetObject::RemoveMember(const SetMember& m) {
  size_t heap = 0;
  switch (form_) {
    case Form::kIntset: {
      size_t pos;
      if (!m.is_int || !detail::IntsetFind(data_, size_, width_, m.i, &pos)) return false;
      data_ = detail::IntsetErase(data_, size_, &width_, pos, &heap);
      --size_;
      return true;
    }
    case Form::kSmall: {
      size_t end, count;
      const uint8_t* e = detail::FindInBucket(data_, m, &end, &count);
      if (e == nullptr) return false;
      data_ = detail::BucketErase(data_, static_cast<size_t>(e - data_), &heap);
      --size_;
      return true;
    }
    case Form::kTable:
      if (!table_->Erase(m, m.Hash())) return false;
      --size_;
      if (size_ <= kSmallMax / 2) TableToSmall();
      return true;
  }
  return false;
}

void SetObject::ToHashtable() {
  uint8_t* ints = data_;
  const size_t n = size_;
  const unsigned width = width_;
  size_t heap = 0;
  if (n + 1 <= kSmallMax) {
    uint8_t* bucket = nullptr;
    size_t end = 0;
    for (size_t i = 0; i < n; ++i) {
      const SetMember m = SetMember::Int(detail::IntsetGet(ints, width, i));
      bucket = detail::BucketAppend(bucket, end, m, &heap);
      end += detail::EncodedSize(m);
    }
    data_ = bucket;
    form_ = Form::kSmall;
  } else {
    auto* table = new detail::SetTable(detail::SetTable::BucketsFor(n + 1));
    for (size_t i = 0; i < n; ++i) {
      const SetMember m = SetMember::Int(detail::IntsetGet(ints, width, i));
      table->Insert(m, m.Hash());
    }
    table_ = table;
    form_ = Form::kTable;
  }
  std::free(ints);
  width_ = 2;
}

void SetObject::SmallToTable() {
  auto* table = new detail::SetTable(detail::SetTable::BucketsFor(size_));
  for (const uint8_t* e = data_; *e != 0; e += detail::EntrySize(e)) {
    table->InsertEncoded(e, detail::DecodeEntry(e).Hash());
  }
  size_t heap = 0;
  detail::BucketFree(data_, &heap, /*free_blocks=*/false);  // the blocks moved to the table
  table_ = table;
  form_ = Form::kTable;
}

void SetObject::TableToSmall() {
  size_t heap = 0;
  uint8_t* bucket = table_->Drain(&heap);
  delete table_;
  if (size_ == 0) {
    detail::BucketFree(bucket, &heap, /*free_blocks=*/true);
    bucket = nullptr;
  }
  data_ = bucket;
  form_ = Form::kSmall;
}

void SetObject::ForEachMember(absl::FunctionRef<bool(const SetMember&)> fn) const {
  switch (form_) {
    case Form::kIntset:
      for (size_t i = 0; i < size_; ++i) {
        if (!fn(SetMember::Int(detail::IntsetGet(data_, width_, i)))) return;
      }
      break;
    case Form::kSmall:
      if (data_ == nullptr) break;
      for (const uint8_t* e = data_; *e != 0; e += detail::EntrySize(e)) {
        if (!fn(detail::DecodeEntry(e))) return;
      }
      break;
    case Form::kTable:
      table_->ForEach([&](const uint8_t* e) { return fn(detail::DecodeEntry(e)); });
      break;
  }
}

void SetObject::ForEach(absl::FunctionRef<void(std::string_view)> fn) const {
  char buf[kIntBufSize];
  ForEachMember([&](const SetMember& m) {
    fn(m.Text(buf));
    return true;
  });
}

std::vector<std::string> SetObject::Members() const {
  std::vector<std::string> out;
  out.reserve(size_);
  ForEach([&](std::string_view m) { out.emplace_back(m); });
  return out;
}

uint64_t SetObject::Scan(uint64_t cursor, size_t count,
                         absl::FunctionRef<void(std::string_view)> fn) const {
  if (form_ != Form::kTable) {
    ForEach(fn);
    return 0;
  }
  char buf[kIntBufSize];
  return table_->Scan(cursor, count,
                      [&](const uint8_t* e) { fn(detail::DecodeEntry(e).Text(buf)); });
}

SetMember SetObject::RandomMemberRaw(SetRng& rng, uint64_t* id) const {
  switch (form_) {
    case Form::kIntset: {
      const uint64_t i = rng.Below(size_);
      *id = i;
      return SetMember::Int(detail::IntsetGet(data_, width_, i));
    }
    case Form::kSmall: {
      const uint8_t* e = detail::BucketEntryAt(data_, rng.Below(size_));
      *id = reinterpret_cast<uintptr_t>(e);
      return detail::DecodeEntry(e);
    }
    case Form::kTable: {
      const uint8_t* e = table_->Random(rng);
      *id = reinterpret_cast<uintptr_t>(e);
      return detail::DecodeEntry(e);
    }
  }
  return SetMember();
}

void SetObject::RandomMember(SetRng& rng, absl::FunctionRef<void(std::string_view)> fn) const {
  char buf[kIntBufSize];
  uint64_t id;
  fn(RandomMemberRaw(rng, &id).Text(buf));
}

void SetObject::RandomMembers(uint64_t count, bool distinct, SetRng& rng,
                              absl::FunctionRef<bool(std::string_view)> fn) const {
  char buf[kIntBufSize];
  uint64_t id;
  // Redis's four cases (srandmemberWithCountCommand): independent draws; the whole set; most of
  // the set (copy it, drop random members); a few members (draw until enough distinct ones).
  if (!distinct || count == 1) {
    for (uint64_t i = 0; i < count; ++i) {
      if (!fn(RandomMemberRaw(rng, &id).Text(buf))) return;
    }
    return;
  }
  if (count >= size_) {
    ForEach([&](std::string_view m) { fn(m); });
    return;
  }
  if (count * 3 > size_) {
    std::vector<SetMember> all;
    all.reserve(size_);
    ForEachMember([&](const SetMember& m) {
      all.push_back(m);
      return true;
    });
    while (all.size() > count) {
      const uint64_t i = rng.Below(all.size());
      all[i] = all.back();
      all.pop_back();
    }
    for (const SetMember& m : all) {
      if (!fn(m.Text(buf))) return;
    }
    return;
  }
  absl::flat_hash_set<uint64_t> seen;
  seen.reserve(count);
  while (seen.size() < count) {
    const SetMember m = RandomMemberRaw(rng, &id);
    if (seen.insert(id).second && !fn(m.Text(buf))) return;
  }
}

void SetObject::Pop(uint64_t count, SetRng& rng, absl::FunctionRef<void(std::string_view)> fn) {
  if (count >= size_) {
    ForEach(fn);
    Clear();
    return;
  }
  char buf[kIntBufSize];
  uint64_t id;
  const uint64_t remaining = size_ - count;
  // Redis's spopWithCountCommand: when the remainder is small next to what is taken, draw the
  // remainder into a new set instead and hand out what is left of this one.
  if (remaining * 5 > count) {
    for (uint64_t i = 0; i < count; ++i) {
      const OwnedMember m(RandomMemberRaw(rng, &id));
      fn(m.member.Text(buf));
      RemoveMember(m.member);
    }
    return;
  }
  SetObject keep;
  for (uint64_t i = 0; i < remaining; ++i) {
    const OwnedMember m(RandomMemberRaw(rng, &id));
    keep.AddMember(m.member);
    RemoveMember(m.member);
  }
  ForEach(fn);
  std::swap(data_, keep.data_);
  std::swap(size_, keep.size_);
  std::swap(form_, keep.form_);
  std::swap(width_, keep.width_);
}

std::unique_ptr<SetObject> SetObject::Inter(std::span<const SetObject* const> sets) {
  auto out = std::make_unique<SetObject>();
  std::vector<const SetObject*> sorted(sets.begin(), sets.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const SetObject* a, const SetObject* b) { return a->size_ < b->size_; });
  sorted[0]->ForEachMember([&](const SetMember& m) {
    for (size_t j = 1; j < sorted.size(); ++j) {
      if (sorted[j] != sorted[0] && !sorted[j]->ContainsMember(m)) return true;
    }
    out->AddMember(m);
    return true;
  });
  return out;
}

size_t SetObject::InterCard(std::span<const SetObject* const> sets, size_t limit) {
  std::vector<const SetObject*> sorted(sets.begin(), sets.end());
  std::sort(sorted.begin(), sorted.end(),
            [](const SetObject* a, const SetObject* b) { return a->size_ < b->size_; });
  size_t n = 0;
  sorted[0]->ForEachMember([&](const SetMember& m) {
    for (size_t j = 1; j < sorted.size(); ++j) {
      if (sorted[j] != sorted[0] && !sorted[j]->ContainsMember(m)) return true;
    }
    ++n;
    return limit == 0 || n < limit;
  });
  return n;
}

std::unique_ptr<SetObject> SetObject::Union(std::span<const SetObject* const> sets) {
  auto out = std::make_unique<SetObject>();
  for (const SetObject* s : sets) {
    if (s == nullptr) continue;
    s->ForEachMember([&](const SetMember& m) {
      out->AddMember(m);
      return true;
    });
  }
  return out;
}

std::unique_ptr<SetObject> SetObject::Diff(std::span<const SetObject* const> sets) {
  auto out = std::make_unique<SetObject>();
  const SetObject* first = sets[0];
  if (first == nullptr) return out;
  int64_t one = 0;  // Redis's work estimates: |first| per set, or the sum of the sizes
  int64_t two = 0;
  for (const SetObject* s : sets.subspan(1)) {
    if (s == first) return out;  // the same key again: nothing survives
  }
  for (const SetObject* s : sets) {
    if (s == nullptr) continue;
    one += static_cast<int64_t>(first->size_);
    two += static_cast<int64_t>(s->size_);
  }
  if (one / 2 <= two) {
    // Algorithm 1: the members of the first set that no other set has.
    first->ForEachMember([&](const SetMember& m) {
      for (const SetObject* s : sets.subspan(1)) {
        if (s != nullptr && s->ContainsMember(m)) return true;
      }
      out->AddMember(m);
      return true;
    });
    return out;
  }
  // Algorithm 2: all of the first set, then remove every other set's members. The result can
  // stay a hashtable where algorithm 1 would give an intset, as in Redis.
  for (const SetObject* s : sets) {
    if (s == nullptr) continue;
    const bool adding = s == first;
    s->ForEachMember([&](const SetMember& m) {
      if (adding) {
        out->AddMember(m);
      } else {
        out->RemoveMember(m);
      }
      return true;
    });
    if (out->size_ == 0) break;
  }
  return out;
}

}  // namespace ringkv::engine
