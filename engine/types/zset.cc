// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The sorted-set value: the two encodings behind one interface, the conversion between them and
// the range walks of Redis 7.0's t_zset.c (see zset.h for what is mirrored and why).
#include "engine/types/zset.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "engine/memory.h"
#include "engine/types/limits.h"
#include "engine/types/zset_btree.h"
#include "engine/types/zset_index.h"

namespace ringkv::engine {

using zset_detail::NewRecord;
using zset_detail::Record;
using zset_detail::RecordMember;
using zset_detail::RecordScore;
using zset_detail::SetRecordScore;

// The large encoding: records owned here, pointed at by the index and the tree.
struct ZLarge {
  MemberIndex index;
  OrderTree order;
  size_t record_bytes = 0;

  ~ZLarge() {
    order.Clear([](Record r) { std::free(r); });
  }

  Record Find(std::string_view member) const {
    return index.Find(member, MemberIndex::Hash(member));
  }
  void Insert(std::string_view member, double score) {
    Record r = NewRecord(member, score);
    record_bytes += AllocSize(r);
    index.Insert(r, MemberIndex::Hash(member));
    order.Insert(r);
  }
  // Removes the record at `rank` from the tree and the index and frees it.
  void EraseRank(size_t rank) {
    Record r = order.EraseAt(rank);
    const std::string_view member = RecordMember(r);
    index.Erase(member, MemberIndex::Hash(member));
    record_bytes -= AllocSize(r);
    std::free(r);
  }
  ZEntry Entry(const uint8_t* r) const { return ZEntry{RecordMember(r), RecordScore(r)}; }
};

namespace {

// Redis's lpSafeToAdd: a listpack never grows past 1 GiB, whatever the configured limits.
constexpr size_t kMaxPackedBytes = size_t{1} << 30;

bool FitsPacked(size_t count, size_t max_member_len) {
  const TypeLimits& lim = Limits();
  const int64_t max_entries = lim.zset_max_listpack_entries.load(std::memory_order_relaxed);
  const int64_t max_value = lim.zset_max_listpack_value.load(std::memory_order_relaxed);
  return static_cast<int64_t>(count) <= max_entries &&
         static_cast<int64_t>(max_member_len) <= max_value;
}

}  // namespace

ZSetObject::ZSetObject() = default;
ZSetObject::~ZSetObject() = default;

std::unique_ptr<ZSetObject> ZSetObject::Create() {
  return std::unique_ptr<ZSetObject>(new ZSetObject());
}

std::unique_ptr<ZSetObject> ZSetObject::FromEntries(
    std::vector<std::pair<std::string, double>> entries) {
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    return zset_detail::CompareEntries(a.second, a.first, b.second, b.first) < 0;
  });
  size_t max_len = 0, total_len = 0;
  for (const auto& e : entries) {
    max_len = std::max(max_len, e.first.size());
    total_len += e.first.size();
  }
  std::unique_ptr<ZSetObject> z = Create();
  if (FitsPacked(entries.size(), max_len) && total_len < kMaxPackedBytes) {
    for (const auto& e : entries) z->lp_.Append(e.first, e.second);
    return z;
  }
  z->large_ = std::make_unique<ZLarge>();
  z->large_->index.Reserve(entries.size());
  for (const auto& e : entries) z->large_->Insert(e.first, e.second);
  return z;
}

size_t ZSetObject::MemoryUsage() const {
  size_t n = AllocSize(this) + lp_.AllocatedBytes();
  if (large_) {
    n += AllocSize(large_.get()) + large_->index.AllocatedBytes() + large_->order.AllocatedBytes() +
         large_->record_bytes;
  }
  return n;
}

std::unique_ptr<Object> ZSetObject::Clone() const {
  std::unique_ptr<ZSetObject> z = Create();
  if (!large_) {
    z->lp_ = lp_.Clone();
    return z;
  }
  z->large_ = std::make_unique<ZLarge>();
  z->large_->index.Reserve(Size());
  for (OrderTree::Iterator it(large_->order, 0); it.Valid(); it.Next()) {
    z->large_->Insert(RecordMember(it.Get()), RecordScore(it.Get()));
  }
  return z;
}

Encoding ZSetObject::encoding() const { return large_ ? Encoding::kSkiplist : Encoding::kListpack; }

size_t ZSetObject::Size() const { return large_ ? large_->order.size() : lp_.size(); }

// ---- Single members -----------------------------------------------------------------------------

void ZSetObject::ConvertToLarge() {
  auto large = std::make_unique<ZLarge>();
  large->index.Reserve(lp_.size() + 1);
  lp_.ForEach([&](const ZEntry& e) { large->Insert(e.member, e.score); });
  lp_.Clear();
  large_ = std::move(large);
}

void ZSetObject::InsertNew(std::string_view member, double score) {
  if (!large_) {
    // Redis checks the limits before inserting into its listpack (zsetAdd).
    if (FitsPacked(lp_.size() + 1, member.size()) &&
        lp_.end() + member.size() + 32 < kMaxPackedBytes) {
      lp_.Insert(member, score);
      return;
    }
    ConvertToLarge();
  }
  large_->Insert(member, score);
}

void ZSetObject::UpdateScore(std::string_view member, double old_score, double new_score) {
  if (!large_) {
    lp_.Erase(member);
    lp_.Insert(member, new_score);
    return;
  }
  Record r = large_->Find(member);
  large_->order.EraseAt(large_->order.RankOf(old_score, member));
  SetRecordScore(r, new_score);
  large_->order.Insert(r);
}

ZSetObject::AddResult ZSetObject::Add(std::string_view member, double score, unsigned flags) {
  double cur;
  if (Score(member, &cur)) {
    if (flags & kAddNx) return {AddOutcome::kSkipped, cur};
    if (flags & kAddIncr) {
      score += cur;
      if (std::isnan(score)) return {AddOutcome::kNan, cur};
    }
    if (((flags & kAddLt) && score >= cur) || ((flags & kAddGt) && score <= cur)) {
      return {AddOutcome::kSkipped, cur};
    }
    // Equal scores (0 and -0 included) leave the member as it is.
    if (score == cur) return {AddOutcome::kUnchanged, score};
    UpdateScore(member, cur, score);
    return {AddOutcome::kUpdated, score};
  }
  if (flags & kAddXx) return {AddOutcome::kSkipped, 0};
  InsertNew(member, score);
  return {AddOutcome::kAdded, score};
}

bool ZSetObject::Remove(std::string_view member) {
  if (!large_) return lp_.Erase(member);
  Record r = large_->Find(member);
  if (r == nullptr) return false;
  large_->EraseRank(large_->order.RankOf(RecordScore(r), member));
  return true;
}

bool ZSetObject::Score(std::string_view member, double* score) const {
  if (!large_) return lp_.Find(member, nullptr, score);
  Record r = large_->Find(member);
  if (r == nullptr) return false;
  *score = RecordScore(r);
  return true;
}

bool ZSetObject::Rank(std::string_view member, bool reverse, size_t* rank, double* score) const {
  size_t r;
  double s;
  if (!large_) {
    if (!lp_.Find(member, &r, &s)) return false;
  } else {
    Record rec = large_->Find(member);
    if (rec == nullptr) return false;
    s = RecordScore(rec);
    r = large_->order.RankOf(s, member);
  }
  *rank = reverse ? Size() - 1 - r : r;
  if (score != nullptr) *score = s;
  return true;
}

ZEntry ZSetObject::At(size_t rank) const {
  if (large_) return large_->Entry(large_->order.Select(rank));
  uint32_t off = ZListpack::kFirst;
  for (size_t i = 0; i < rank; ++i) lp_.Read(off, &off);
  return lp_.Read(off, &off);
}

// ---- Ranges -------------------------------------------------------------------------------------

template <typename InRange>
size_t ZSetObject::Walk(size_t start, bool reverse, int64_t offset, int64_t limit, InRange in_range,
                        EntryFn fn) const {
  // Redis steps over `offset` entries without checking them; a negative offset walks off the end.
  const size_t n = Size();
  if (offset < 0) return 0;
  const auto skip = static_cast<uint64_t>(offset);
  if (reverse ? skip > start : skip >= n - start) return 0;
  size_t pos = reverse ? start - skip : start + skip;
  size_t emitted = 0;
  if (large_) {
    for (OrderTree::Iterator it(large_->order, pos); it.Valid() && limit != 0; --limit) {
      const ZEntry e = large_->Entry(it.Get());
      if (!in_range(e)) break;
      fn(e);
      ++emitted;
      reverse ? it.Prev() : it.Next();
    }
    return emitted;
  }
  ZListpack::Offsets offs;
  lp_.CollectOffsets(&offs);
  for (; limit != 0; --limit) {
    uint32_t next;
    const ZEntry e = lp_.Read(offs[pos], &next);
    if (!in_range(e)) break;
    fn(e);
    ++emitted;
    if (reverse) {
      if (pos == 0) break;
      --pos;
    } else if (++pos == n) {
      break;
    }
  }
  return emitted;
}

void ZSetObject::RangeByRank(size_t first, size_t last, bool reverse, EntryFn fn) const {
  const size_t n = Size();
  const size_t start = reverse ? n - 1 - first : first;
  Walk(
      start, reverse, 0, static_cast<int64_t>(last - first + 1), [](const ZEntry&) { return true; },
      fn);
}

size_t ZSetObject::FirstByScore(const ScoreRange& range, bool reverse) const {
  const size_t n = Size();
  // zslIsInRange / zzlIsInRange: the early outs Redis takes before walking. (For the large
  // encoding the checks below on the first entry found imply them: scores are sorted.)
  if (range.Empty() || n == 0) return SIZE_MAX;
  if (!large_ && (!range.AboveMin(At(n - 1).score) || !range.BelowMax(At(0).score))) {
    return SIZE_MAX;
  }
  size_t r;
  if (!large_) {
    // Scores are sorted, so the linear walk and a binary search agree.
    r = 0;
    if (reverse) {
      lp_.ForEach([&](const ZEntry& e) { r += range.BelowMax(e.score) ? 1 : 0; });
    } else {
      lp_.ForEach([&](const ZEntry& e) { r += range.AboveMin(e.score) ? 0 : 1; });
    }
  } else if (reverse) {
    r = large_->order.PartitionPoint([&](double s, const uint8_t*) { return range.BelowMax(s); });
  } else {
    r = large_->order.PartitionPoint([&](double s, const uint8_t*) { return !range.AboveMin(s); });
  }
  if (reverse) {
    if (r == 0) return SIZE_MAX;
    --r;
    return range.AboveMin(At(r).score) ? r : SIZE_MAX;
  }
  if (r == n) return SIZE_MAX;
  return range.BelowMax(At(r).score) ? r : SIZE_MAX;
}

size_t ZSetObject::FirstByLex(const LexRange& range, bool reverse) const {
  const size_t n = Size();
  if (range.Empty() || n == 0) return SIZE_MAX;
  if (!range.AboveMin(At(n - 1).member) || !range.BelowMax(At(0).member)) return SIZE_MAX;
  size_t r = SIZE_MAX;
  if (!large_) {
    // Redis's listpack walk, element by element: forward, the first member >= min; reverse, the
    // last member <= max. With unequal scores the members are not sorted, so this is not a
    // binary search's answer, and Redis's exact answer is what clients see.
    ZListpack::Offsets offs;
    lp_.CollectOffsets(&offs);
    uint32_t next;
    if (reverse) {
      for (size_t i = n; i-- > 0;) {
        if (range.BelowMax(lp_.Read(offs[i], &next).member)) {
          r = i;
          break;
        }
      }
      return r != SIZE_MAX && range.AboveMin(lp_.Read(offs[r], &next).member) ? r : SIZE_MAX;
    }
    for (size_t i = 0; i < n; ++i) {
      if (range.AboveMin(lp_.Read(offs[i], &next).member)) {
        r = i;
        break;
      }
    }
    return r != SIZE_MAX && range.BelowMax(lp_.Read(offs[r], &next).member) ? r : SIZE_MAX;
  }
  if (reverse) {
    r = large_->order.PartitionPoint(
        [&](double, const uint8_t* rec) { return range.BelowMax(RecordMember(rec)); });
    if (r == 0) return SIZE_MAX;
    --r;
    return range.AboveMin(At(r).member) ? r : SIZE_MAX;
  }
  r = large_->order.PartitionPoint(
      [&](double, const uint8_t* rec) { return !range.AboveMin(RecordMember(rec)); });
  if (r == n) return SIZE_MAX;
  return range.BelowMax(At(r).member) ? r : SIZE_MAX;
}

size_t ZSetObject::RangeByScore(const ScoreRange& range, bool reverse, int64_t offset,
                                int64_t limit, EntryFn fn) const {
  // ZRANGEBYSCORE answers an offset past the end at once, before looking for the range.
  if (offset > 0 && static_cast<uint64_t>(offset) >= Size()) return 0;
  const size_t start = FirstByScore(range, reverse);
  if (start == SIZE_MAX) return 0;
  return Walk(
      start, reverse, offset, limit,
      [&](const ZEntry& e) { return reverse ? range.AboveMin(e.score) : range.BelowMax(e.score); },
      fn);
}

size_t ZSetObject::RangeByLex(const LexRange& range, bool reverse, int64_t offset, int64_t limit,
                              EntryFn fn) const {
  const size_t start = FirstByLex(range, reverse);
  if (start == SIZE_MAX) return 0;
  return Walk(
      start, reverse, offset, limit,
      [&](const ZEntry& e) {
        return reverse ? range.AboveMin(e.member) : range.BelowMax(e.member);
      },
      fn);
}

size_t ZSetObject::CountByScore(const ScoreRange& range) const {
  const size_t first = FirstByScore(range, false);
  if (first == SIZE_MAX) return 0;
  const size_t last = FirstByScore(range, true);
  return last == SIZE_MAX || last < first ? 0 : last - first + 1;
}

size_t ZSetObject::CountByLex(const LexRange& range) const {
  const size_t first = FirstByLex(range, false);
  if (first == SIZE_MAX) return 0;
  if (!large_) {
    // Redis counts a listpack by walking from the first member in range while <= max.
    return Walk(
        first, false, 0, -1, [&](const ZEntry& e) { return range.BelowMax(e.member); },
        [](const ZEntry&) {});
  }
  const size_t last = FirstByLex(range, true);
  return last == SIZE_MAX || last < first ? 0 : last - first + 1;
}

size_t ZSetObject::RemoveRangeByRank(size_t first, size_t last) {
  const size_t count = last - first + 1;
  if (!large_) {
    lp_.EraseRange(first, count);
  } else {
    for (size_t i = 0; i < count; ++i) large_->EraseRank(first);
  }
  return count;
}

size_t ZSetObject::RemoveRangeByScore(const ScoreRange& range) {
  const size_t first = FirstByScore(range, false);
  if (first == SIZE_MAX) return 0;
  const size_t count = Walk(
      first, false, 0, -1, [&](const ZEntry& e) { return range.BelowMax(e.score); },
      [](const ZEntry&) {});
  return RemoveRangeByRank(first, first + count - 1);
}

size_t ZSetObject::RemoveRangeByLex(const LexRange& range) {
  const size_t first = FirstByLex(range, false);
  if (first == SIZE_MAX) return 0;
  const size_t count = Walk(
      first, false, 0, -1, [&](const ZEntry& e) { return range.BelowMax(e.member); },
      [](const ZEntry&) {});
  return RemoveRangeByRank(first, first + count - 1);
}

size_t ZSetObject::Pop(bool max, size_t count, EntryFn fn) {
  const size_t k = std::min(count, Size());
  for (size_t i = 0; i < k; ++i) {
    const size_t rank = max ? Size() - 1 : 0;
    fn(At(rank));
    RemoveRangeByRank(rank, rank);
  }
  return k;
}

// ---- Whole set ----------------------------------------------------------------------------------

void ZSetObject::ForEach(EntryFn fn) const {
  if (!large_) {
    lp_.ForEach([&](const ZEntry& e) { fn(e); });
    return;
  }
  for (OrderTree::Iterator it(large_->order, 0); it.Valid(); it.Next()) {
    fn(large_->Entry(it.Get()));
  }
}

uint64_t ZSetObject::Scan(uint64_t cursor, size_t count, EntryFn fn) const {
  if (!large_) {
    ForEach(fn);
    return 0;
  }
  return large_->index.Scan(cursor, count, [&](Record r) { fn(large_->Entry(r)); });
}

}  // namespace ringkv::engine
