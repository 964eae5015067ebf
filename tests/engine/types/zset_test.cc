// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ZSetObject and its two encodings: conversion at the configured limits, ZADD's flag semantics,
// ordering (ties by member bytes, infinities, -0), the B+tree's invariants under heavy churn, the
// ZSCAN guarantee while the member index resizes, and seeded random operations compared after
// every step with a brute-force model (a sorted vector walked the way Redis walks its listpack).
#include "engine/types/zset.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/types/limits.h"
#include "engine/types/zset_btree.h"
#include "engine/types/zset_index.h"
#include "gtest/gtest.h"

namespace ringkv::engine {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

using Pairs = std::vector<std::pair<std::string, double>>;

// Sets the listpack limits for one test and restores Redis's defaults afterwards.
class LimitsGuard {
 public:
  LimitsGuard(int64_t entries, int64_t value) {
    Limits().zset_max_listpack_entries = entries;
    Limits().zset_max_listpack_value = value;
  }
  ~LimitsGuard() {
    Limits().zset_max_listpack_entries = 128;
    Limits().zset_max_listpack_value = 64;
  }
};

Pairs All(const ZSetObject& z) {
  Pairs out;
  z.ForEach([&](const ZEntry& e) { out.emplace_back(std::string(e.member), e.score); });
  return out;
}

Pairs Collect(absl::FunctionRef<void(ZSetObject::EntryFn)> run) {
  Pairs out;
  run([&](const ZEntry& e) { out.emplace_back(std::string(e.member), e.score); });
  return out;
}

ScoreRange Scores(double min, double max, bool minex = false, bool maxex = false) {
  return ScoreRange{min, max, minex, maxex};
}

LexBound Value(std::string_view v, bool exclusive) {
  return LexBound{LexBound::Kind::kValue, exclusive, v};
}
LexBound MinusInf() { return LexBound{LexBound::Kind::kMinusInf, true, {}}; }
LexBound PlusInf() { return LexBound{LexBound::Kind::kPlusInf, true, {}}; }

TEST(ZSetTest, EmptySetIsPackedAndEmpty) {
  auto z = ZSetObject::Create();
  EXPECT_EQ(z->Size(), 0u);
  EXPECT_EQ(z->encoding(), Encoding::kListpack);
  double s;
  EXPECT_FALSE(z->Score("a", &s));
  EXPECT_FALSE(z->Remove("a"));
  EXPECT_EQ(z->CountByScore(Scores(-kInf, kInf)), 0u);
  EXPECT_EQ(z->CountByLex({MinusInf(), PlusInf()}), 0u);
  EXPECT_EQ(z->Pop(false, 5, [](const ZEntry&) {}), 0u);
  EXPECT_GT(z->MemoryUsage(), 0u);
}

TEST(ZSetTest, OrdersByScoreThenMemberBytes) {
  for (int large = 0; large < 2; ++large) {
    LimitsGuard limits(large ? 0 : 128, 64);
    auto z = ZSetObject::Create();
    z->Add("b", 1, 0);
    z->Add("a", 1, 0);
    z->Add(std::string("\xff", 1), 1, 0);
    z->Add("", 1, 0);
    z->Add("ab", 1, 0);
    z->Add("z", -kInf, 0);
    z->Add("y", kInf, 0);
    z->Add("m", 0.5, 0);
    EXPECT_EQ(z->encoding(), large ? Encoding::kSkiplist : Encoding::kListpack);
    Pairs want = {{"z", -kInf}, {"m", 0.5}, {"", 1},     {"a", 1},
                  {"ab", 1},    {"b", 1},   {"\xff", 1}, {"y", kInf}};
    EXPECT_EQ(All(*z), want);
    size_t rank;
    double score;
    ASSERT_TRUE(z->Rank("ab", false, &rank, &score));
    EXPECT_EQ(rank, 4u);
    EXPECT_EQ(score, 1);
    ASSERT_TRUE(z->Rank("ab", true, &rank, nullptr));
    EXPECT_EQ(rank, 3u);
    EXPECT_EQ(z->At(7).member, "y");
    EXPECT_EQ(z->CountByScore(Scores(1, kInf, true, false)), 1u);
    EXPECT_EQ(z->CountByScore(Scores(-kInf, kInf)), 8u);
    EXPECT_EQ(z->CountByScore(Scores(-kInf, -kInf, false, false)), 1u);
    EXPECT_EQ(z->CountByScore(Scores(-kInf, -kInf, true, false)), 0u);
  }
}

TEST(ZSetTest, ConvertsAtTheEntryLimitAndNeverBack) {
  LimitsGuard limits(4, 64);
  auto z = ZSetObject::Create();
  for (int i = 0; i < 4; ++i) z->Add("m" + std::to_string(i), i, 0);
  EXPECT_EQ(z->encoding(), Encoding::kListpack);
  z->Add("m4", 4, 0);
  EXPECT_EQ(z->encoding(), Encoding::kSkiplist);
  EXPECT_EQ(z->Size(), 5u);
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(z->Remove("m" + std::to_string(i)));
  EXPECT_EQ(z->encoding(), Encoding::kSkiplist);
  EXPECT_EQ(All(*z), (Pairs{{"m4", 4}}));
  // Updating an existing member never converts.
  LimitsGuard tighter(1, 1);
  auto w = ZSetObject::Create();
  w->Add("a", 1, 0);
  w->Add("a", 2, 0);
  EXPECT_EQ(w->encoding(), Encoding::kListpack);
}

TEST(ZSetTest, ConvertsOnALongMember) {
  LimitsGuard limits(128, 3);
  auto z = ZSetObject::Create();
  z->Add("abc", 1, 0);
  EXPECT_EQ(z->encoding(), Encoding::kListpack);
  z->Add("abcd", 2, 0);
  EXPECT_EQ(z->encoding(), Encoding::kSkiplist);
  EXPECT_EQ(All(*z), (Pairs{{"abc", 1}, {"abcd", 2}}));
  LimitsGuard zero(0, 64);
  auto w = ZSetObject::Create();
  w->Add("a", 1, 0);
  EXPECT_EQ(w->encoding(), Encoding::kSkiplist);
}

TEST(ZSetTest, FromEntriesPicksTheEncodingOfAComputedResult) {
  LimitsGuard limits(3, 5);
  EXPECT_EQ(ZSetObject::FromEntries({{"c", 3}, {"a", 1}, {"b", 2}})->encoding(),
            Encoding::kListpack);
  EXPECT_EQ(ZSetObject::FromEntries({{"c", 3}, {"a", 1}, {"b", 2}, {"d", 0}})->encoding(),
            Encoding::kSkiplist);
  EXPECT_EQ(ZSetObject::FromEntries({{"toolong", 3}})->encoding(), Encoding::kSkiplist);
  auto z = ZSetObject::FromEntries({{"c", 3}, {"a", 1}, {"b", 1}, {"d", -0.5}});
  EXPECT_EQ(All(*z), (Pairs{{"d", -0.5}, {"a", 1}, {"b", 1}, {"c", 3}}));
  EXPECT_EQ(ZSetObject::FromEntries({})->Size(), 0u);
}

TEST(ZSetTest, AddFlags) {
  using O = ZSetObject::AddOutcome;
  auto z = ZSetObject::Create();
  EXPECT_EQ(z->Add("a", 1, 0).outcome, O::kAdded);
  EXPECT_EQ(z->Add("a", 1, 0).outcome, O::kUnchanged);
  EXPECT_EQ(z->Add("a", 2, 0).outcome, O::kUpdated);
  EXPECT_EQ(z->Add("a", 5, ZSetObject::kAddNx).outcome, O::kSkipped);
  EXPECT_EQ(z->Add("b", 5, ZSetObject::kAddXx).outcome, O::kSkipped);
  EXPECT_EQ(z->Size(), 1u);
  EXPECT_EQ(z->Add("a", 1, ZSetObject::kAddGt).outcome, O::kSkipped);
  EXPECT_EQ(z->Add("a", 2, ZSetObject::kAddGt).outcome, O::kSkipped);
  EXPECT_EQ(z->Add("a", 3, ZSetObject::kAddGt).outcome, O::kUpdated);
  EXPECT_EQ(z->Add("a", 3, ZSetObject::kAddLt).outcome, O::kSkipped);
  EXPECT_EQ(z->Add("a", 0, ZSetObject::kAddLt | ZSetObject::kAddXx).outcome, O::kUpdated);
  // GT/LT do not stop new members.
  EXPECT_EQ(z->Add("c", -100, ZSetObject::kAddGt).outcome, O::kAdded);
  auto r = z->Add("a", 2.5, ZSetObject::kAddIncr);
  EXPECT_EQ(r.outcome, O::kUpdated);
  EXPECT_EQ(r.score, 2.5);
  r = z->Add("a", -1, ZSetObject::kAddIncr | ZSetObject::kAddGt);
  EXPECT_EQ(r.outcome, O::kSkipped);
  r = z->Add("n", 7, ZSetObject::kAddIncr);
  EXPECT_EQ(r.outcome, O::kAdded);
  EXPECT_EQ(r.score, 7);
  z->Add("i", kInf, 0);
  r = z->Add("i", -kInf, ZSetObject::kAddIncr);
  EXPECT_EQ(r.outcome, O::kNan);
  double s;
  ASSERT_TRUE(z->Score("i", &s));
  EXPECT_EQ(s, kInf);
}

TEST(ZSetTest, NegativeZeroSurvivesOnlyInTheLargeEncoding) {
  for (int large = 0; large < 2; ++large) {
    LimitsGuard limits(large ? 0 : 128, 64);
    auto z = ZSetObject::Create();
    auto r = z->Add("a", -0.0, 0);
    EXPECT_TRUE(std::signbit(r.score));  // ZADD INCR replies the computed score
    double s;
    ASSERT_TRUE(z->Score("a", &s));
    EXPECT_EQ(std::signbit(s), large == 1);
    // 0 and -0 are the same score: no update.
    EXPECT_EQ(z->Add("a", 0.0, 0).outcome, ZSetObject::AddOutcome::kUnchanged);
  }
}

TEST(ZSetTest, ListpackStoresEveryScoreExactly) {
  const double scores[] = {0.1,
                           -2.5,
                           1e300,
                           -1e-300,
                           4.9406564584124654e-324,
                           9007199254740993.0,
                           2305843009213693951.0,
                           2305843009213693952.0,
                           -2305843009213693952.0,
                           4611686018427387904.0,
                           123456789012.0,
                           -1,
                           kInf,
                           -kInf,
                           0.30000000000000004};
  auto z = ZSetObject::Create();
  int i = 0;
  for (double s : scores) z->Add("m" + std::to_string(i++), s, 0);
  ASSERT_EQ(z->encoding(), Encoding::kListpack);
  i = 0;
  for (double s : scores) {
    double got;
    ASSERT_TRUE(z->Score("m" + std::to_string(i++), &got));
    EXPECT_EQ(got, s);
  }
}

TEST(ZSetTest, PopTakesFromEitherEnd) {
  for (int large = 0; large < 2; ++large) {
    LimitsGuard limits(large ? 0 : 128, 64);
    auto z = ZSetObject::Create();
    for (int i = 0; i < 10; ++i) z->Add("m" + std::to_string(i), i, 0);
    Pairs low = Collect([&](auto fn) { z->Pop(false, 3, fn); });
    EXPECT_EQ(low, (Pairs{{"m0", 0}, {"m1", 1}, {"m2", 2}}));
    Pairs high = Collect([&](auto fn) { z->Pop(true, 2, fn); });
    EXPECT_EQ(high, (Pairs{{"m9", 9}, {"m8", 8}}));
    EXPECT_EQ(z->Pop(true, 100, [](const ZEntry&) {}), 5u);
    EXPECT_EQ(z->Size(), 0u);
  }
}

TEST(ZSetTest, ListpackLexWalkMatchesRedisWithUnequalScores) {
  // Members not in lex order because scores differ: Redis walks its listpack element by element,
  // which decides where a range starts and stops.
  auto z = ZSetObject::Create();
  z->Add("c", 1, 0);
  z->Add("a", 2, 0);
  z->Add("d", 3, 0);
  z->Add("b", 4, 0);
  // Forward: first member >= "[b" is "c"; then emit while <= "[c": c, then "a" <= c, then "d"
  // stops.
  Pairs got = Collect([&](auto fn) {
    z->RangeByLex({Value("b", false), Value("c", false)}, false, 0, -1, fn);
  });
  EXPECT_EQ(got, (Pairs{{"c", 1}, {"a", 2}}));
  // Reverse: last member <= "[c" scanning from the end is "b"; then emit while >= "[b": b only
  // ("d" is >= b: emitted too, then "a" stops).
  got = Collect([&](auto fn) {
    z->RangeByLex({Value("b", false), Value("c", false)}, true, 0, -1, fn);
  });
  EXPECT_EQ(got, (Pairs{{"b", 4}, {"d", 3}}));
  EXPECT_EQ(z->CountByLex({Value("b", false), Value("c", false)}), 2u);
  // The early out: the last member ("b") must be >= min and the first ("c") <= max.
  EXPECT_EQ(z->CountByLex({Value("c", true), PlusInf()}), 0u);
  EXPECT_EQ(z->RemoveRangeByLex({Value("b", false), Value("c", false)}), 2u);
  EXPECT_EQ(All(*z), (Pairs{{"d", 3}, {"b", 4}}));
}

TEST(ZSetTest, LexBoundsAndEmptyRanges) {
  LexRange r{MinusInf(), MinusInf()};
  EXPECT_TRUE(r.Empty());
  r = {PlusInf(), PlusInf()};
  EXPECT_TRUE(r.Empty());
  r = {PlusInf(), MinusInf()};
  EXPECT_TRUE(r.Empty());
  r = {MinusInf(), PlusInf()};
  EXPECT_FALSE(r.Empty());
  r = {Value("a", false), Value("a", false)};
  EXPECT_FALSE(r.Empty());
  r = {Value("a", true), Value("a", false)};
  EXPECT_TRUE(r.Empty());
  r = {Value("b", false), Value("a", false)};
  EXPECT_TRUE(r.Empty());
  EXPECT_TRUE(ScoreRange({1, 1, false, true}).Empty());
  EXPECT_FALSE(ScoreRange({1, 1, false, false}).Empty());
  EXPECT_TRUE(ScoreRange({2, 1, false, false}).Empty());
}

TEST(ZSetTest, CloneIsDeepAndKeepsTheEncoding) {
  for (int large = 0; large < 2; ++large) {
    LimitsGuard limits(large ? 0 : 128, 64);
    auto z = ZSetObject::Create();
    for (int i = 0; i < 50; ++i) z->Add("m" + std::to_string(i), i % 7, 0);
    std::unique_ptr<Object> c = z->Clone();
    auto* copy = static_cast<ZSetObject*>(c.get());
    EXPECT_EQ(copy->encoding(), z->encoding());
    EXPECT_EQ(All(*copy), All(*z));
    z->Remove("m1");
    EXPECT_EQ(copy->Size(), 50u);
    EXPECT_EQ(copy->MemoryUsage() > 0, true);
  }
}

TEST(ZSetTest, MemoryUsageGrowsAndShrinksWithTheSet) {
  LimitsGuard limits(0, 64);
  auto z = ZSetObject::Create();
  const size_t empty = z->MemoryUsage();
  for (int i = 0; i < 10000; ++i) z->Add("member:" + std::to_string(i), i * 0.5, 0);
  const size_t full = z->MemoryUsage();
  EXPECT_GT(full, empty + 10000 * 30);
  EXPECT_LT(full, empty + 10000 * 80);
  for (int i = 0; i < 10000; ++i) ASSERT_TRUE(z->Remove("member:" + std::to_string(i)));
  EXPECT_LT(z->MemoryUsage(), empty + 2048);
}

// ---- OrderTree and MemberIndex directly ---------------------------------------------------------

struct Records {
  std::vector<zset_detail::Record> all;
  ~Records() {
    for (auto* r : all) std::free(r);
  }
  zset_detail::Record Make(std::string_view m, double s) {
    all.push_back(zset_detail::NewRecord(m, s));
    return all.back();
  }
};

TEST(OrderTreeTest, RandomInsertEraseKeepsInvariantsAndRanks) {
  std::mt19937_64 rng(7);
  Records recs;
  OrderTree tree;
  // The model holds views of the records' members (trivially movable: the vector shifts fast).
  std::vector<std::pair<double, std::string_view>> model;
  for (int step = 0; step < 60000; ++step) {
    const bool insert = model.size() < 200 || rng() % 100 < (step < 40000 ? 60 : 35);
    if (insert) {
      const double s = static_cast<double>(rng() % 500);
      const std::string m = "k" + std::to_string(rng() % 100000);
      auto it =
          std::lower_bound(model.begin(), model.end(), std::make_pair(s, std::string_view(m)));
      if (it != model.end() && it->first == s && it->second == m) continue;
      zset_detail::Record r = recs.Make(m, s);
      model.insert(it, std::make_pair(s, zset_detail::RecordMember(r)));
      tree.Insert(r);
    } else {
      const size_t rank = rng() % model.size();
      zset_detail::Record r = tree.EraseAt(rank);
      ASSERT_EQ(zset_detail::RecordMember(r), model[rank].second);
      model.erase(model.begin() + static_cast<long>(rank));
    }
    if (step % 997 == 0 || step > 59900) {
      ASSERT_TRUE(tree.Validate()) << "step " << step;
      ASSERT_EQ(tree.size(), model.size());
      for (size_t k = 0; k < model.size(); k += 37) {
        ASSERT_EQ(zset_detail::RecordMember(tree.Select(k)), model[k].second);
        ASSERT_EQ(tree.RankOf(model[k].first, model[k].second), k);
      }
    }
  }
  // Both directions of the iterator from a middle rank.
  const size_t mid = model.size() / 2;
  size_t k = mid;
  for (OrderTree::Iterator it(tree, mid); it.Valid(); it.Next(), ++k) {
    ASSERT_EQ(zset_detail::RecordMember(it.Get()), model[k].second);
  }
  EXPECT_EQ(k, model.size());
  k = mid;
  for (OrderTree::Iterator it(tree, mid); it.Valid(); it.Prev(), --k) {
    ASSERT_EQ(zset_detail::RecordMember(it.Get()), model[k].second);
    if (k == 0) break;
  }
  while (tree.size() > 0) tree.EraseAt(rng() % tree.size());
  EXPECT_TRUE(tree.Validate());
  EXPECT_EQ(tree.height(), 1);
}

TEST(OrderTreeTest, InOrderLoadsFillTheLeaves) {
  Records recs;
  OrderTree up, down;
  const int n = OrderTree::kLeafCap * 1000;
  for (int i = 0; i < n; ++i) up.Insert(recs.Make("m", i));
  for (int i = n; i > 0; --i) down.Insert(recs.Make("m", -i));
  EXPECT_TRUE(up.Validate());
  EXPECT_TRUE(down.Validate());
  // About 8.1 bytes of leaf per member plus a little for inner nodes when leaves are full.
  EXPECT_LT(up.AllocatedBytes(), static_cast<size_t>(n) * 9);
  EXPECT_LT(down.AllocatedBytes(), static_cast<size_t>(n) * 9);
}

TEST(OrderTreeTest, PartitionPointAndEmptyTree) {
  Records recs;
  OrderTree tree;
  EXPECT_EQ(tree.PartitionPoint([](double, const uint8_t*) { return true; }), 0u);
  EXPECT_FALSE(OrderTree::Iterator(tree, 0).Valid());
  for (int i = 0; i < 5000; ++i) tree.Insert(recs.Make("m" + std::to_string(i), i % 100));
  for (double b : {-1.0, 0.0, 0.5, 37.0, 99.0, 100.0}) {
    const size_t want = static_cast<size_t>(std::max(0.0, std::ceil(b))) * 50;
    EXPECT_EQ(tree.PartitionPoint([&](double s, const uint8_t*) { return s < b; }),
              std::min<size_t>(want, 5000));
  }
}

TEST(MemberIndexTest, FindInsertEraseAcrossResizes) {
  Records recs;
  MemberIndex index;
  std::vector<std::string> members;
  for (int i = 0; i < 20000; ++i) {
    members.push_back("m" + std::to_string(i));
    index.Insert(recs.Make(members.back(), i), MemberIndex::Hash(members.back()));
  }
  EXPECT_EQ(index.size(), 20000u);
  EXPECT_LE(index.size() * 5, index.capacity() * 4);
  for (int i = 0; i < 20000; i += 3) {
    ASSERT_NE(index.Erase(members[i], MemberIndex::Hash(members[i])), nullptr);
  }
  for (int i = 0; i < 20000; ++i) {
    const bool present = i % 3 != 0;
    ASSERT_EQ(index.Find(members[i], MemberIndex::Hash(members[i])) != nullptr, present) << i;
  }
  EXPECT_EQ(index.Erase("nope", MemberIndex::Hash("nope")), nullptr);
  for (int i = 0; i < 20000; ++i) {
    if (i % 3 != 0) index.Erase(members[i], MemberIndex::Hash(members[i]));
  }
  EXPECT_EQ(index.size(), 0u);
  EXPECT_EQ(index.AllocatedBytes(), 0u);
}

// A member present for a whole ZSCAN is returned exactly once, while others come and go and the
// index grows and shrinks between steps.
TEST(MemberIndexTest, ScanReturnsStableMembersExactlyOnceWhileResizing) {
  for (uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 rng(seed);
    LimitsGuard limits(0, 64);
    auto z = ZSetObject::Create();
    std::set<std::string> stable;
    for (int i = 0; i < 300; ++i) {
      const std::string m = "s" + std::to_string(i);
      z->Add(m, i, 0);
      stable.insert(m);
    }
    std::map<std::string, int> seen;
    uint64_t cursor = 0;
    int steps = 0;
    int churn = 0;
    do {
      cursor =
          z->Scan(cursor, 1 + rng() % 20, [&](const ZEntry& e) { seen[std::string(e.member)]++; });
      // Grow a lot, then shrink, between steps.
      const bool grow = steps < 30;
      for (int k = 0; k < 200; ++k) {
        const std::string m = "t" + std::to_string(churn + k);
        if (grow) {
          z->Add(m, k, 0);
        } else {
          z->Remove("t" + std::to_string(rng() % (churn + 200)));
        }
      }
      if (grow) churn += 200;
      ++steps;
    } while (cursor != 0 && steps < 100000);
    ASSERT_EQ(cursor, 0u);
    for (const std::string& m : stable) EXPECT_EQ(seen[m], 1) << m << " seed " << seed;
    for (const auto& [m, n] : seen) EXPECT_EQ(n, 1) << m;
  }
}

// ---- Random operations against a model ----------------------------------------------------------

// The model: member -> score, and the sorted order recomputed when needed. Ranges are answered by
// the same element-by-element walks Redis runs on a listpack.
class Model {
 public:
  std::map<std::string, double> scores;

  std::vector<std::pair<std::string, double>> Sorted() const {
    std::vector<std::pair<std::string, double>> v(scores.begin(), scores.end());
    std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
      return a.second < b.second || (a.second == b.second && a.first < b.first);
    });
    return v;
  }

  // Redis's genericZrangebyscoreCommand over a sorted array.
  Pairs ByScore(const ScoreRange& r, bool reverse, int64_t offset, int64_t limit) const {
    Pairs v = Sorted(), out;
    const int64_t n = static_cast<int64_t>(v.size());
    if (offset > 0 && offset >= n) return out;
    if (r.Empty() || n == 0 || !r.AboveMin(v.back().second) || !r.BelowMax(v.front().second)) {
      return out;
    }
    int64_t i;
    if (!reverse) {
      for (i = 0; i < n && !r.AboveMin(v[i].second); ++i) {
      }
      if (i == n || !r.BelowMax(v[i].second)) return out;
    } else {
      for (i = n - 1; i >= 0 && !r.BelowMax(v[i].second); --i) {
      }
      if (i < 0 || !r.AboveMin(v[i].second)) return out;
    }
    if (offset < 0) return out;
    i += reverse ? -offset : offset;
    for (; i >= 0 && i < n && limit != 0; --limit, i += reverse ? -1 : 1) {
      if (reverse ? !r.AboveMin(v[i].second) : !r.BelowMax(v[i].second)) break;
      out.push_back(v[i]);
    }
    return out;
  }

  // Redis's genericZrangebylexCommand over a listpack.
  Pairs ByLex(const LexRange& r, bool reverse, int64_t offset, int64_t limit) const {
    Pairs v = Sorted(), out;
    const int64_t n = static_cast<int64_t>(v.size());
    if (r.Empty() || n == 0 || !r.AboveMin(v.back().first) || !r.BelowMax(v.front().first)) {
      return out;
    }
    int64_t i;
    if (!reverse) {
      for (i = 0; i < n && !r.AboveMin(v[i].first); ++i) {
      }
      if (i == n || !r.BelowMax(v[i].first)) return out;
    } else {
      for (i = n - 1; i >= 0 && !r.BelowMax(v[i].first); --i) {
      }
      if (i < 0 || !r.AboveMin(v[i].first)) return out;
    }
    if (offset < 0) return out;
    i += reverse ? -offset : offset;
    for (; i >= 0 && i < n && limit != 0; --limit, i += reverse ? -1 : 1) {
      if (reverse ? !r.AboveMin(v[i].first) : !r.BelowMax(v[i].first)) break;
      out.push_back(v[i]);
    }
    return out;
  }
};

class RandomOps {
 public:
  RandomOps(uint64_t seed, bool equal_scores) : rng_(seed), equal_scores_(equal_scores) {}

  double Score() {
    if (equal_scores_) return 0;
    static const double kScores[] = {0,
                                     1,
                                     -1,
                                     2.5,
                                     -2.5,
                                     0.1,
                                     1e17,
                                     -1e300,
                                     3,
                                     kInf,
                                     -kInf,
                                     7,
                                     0.30000000000000004,
                                     12345678901234567.0,
                                     5};
    if (rng_() % 3 == 0) return static_cast<double>(rng_() % 20) - 10;
    return kScores[rng_() % (sizeof(kScores) / sizeof(kScores[0]))];
  }
  std::string Member() {
    static const char* kMembers[] = {"", "a", "b", "ab", "abc", "b\xff", "\x01", "zz"};
    if (rng_() % 4 == 0) return kMembers[rng_() % 8];
    return "m" + std::to_string(rng_() % universe_);
  }
  LexBound Bound() {
    switch (rng_() % 6) {
      case 0:
        return MinusInf();
      case 1:
        return PlusInf();
      default:
        held_.push_back(Member());
        return Value(held_.back(), rng_() % 2 == 0);
    }
  }
  ScoreRange Range() {
    double a = Score(), b = Score();
    if (rng_() % 4 != 0 && a > b) std::swap(a, b);
    return Scores(a, b, rng_() % 3 == 0, rng_() % 3 == 0);
  }
  int64_t Offset() { return rng_() % 5 == 0 ? -1 : static_cast<int64_t>(rng_() % 6); }
  int64_t Limit() { return rng_() % 3 == 0 ? -1 : static_cast<int64_t>(rng_() % 8); }

  void Run(int steps, size_t universe) {
    universe_ = universe;
    auto z = ZSetObject::Create();
    Model m;
    for (int step = 0; step < steps; ++step) {
      held_.clear();
      int op = static_cast<int>(rng_() % 100);
      // The first third only adds and reads, so that sets grow past the packed limit.
      if (step < steps / 3 && ((op >= 40 && op < 50) || (op >= 72 && op < 86))) op = 0;
      SCOPED_TRACE("step " + std::to_string(step) + " op " + std::to_string(op));
      if (op < 40) {
        const std::string member = Member();
        const double score = Score();
        unsigned flags = 0;
        if (rng_() % 4 == 0) flags |= 1u << (rng_() % 5);
        if ((flags & ZSetObject::kAddNx) && (flags & (ZSetObject::kAddGt | ZSetObject::kAddLt))) {
          flags &= ~ZSetObject::kAddNx;
        }
        auto r = z->Add(member, score, flags);
        ApplyModelAdd(&m, member, score, flags, r);
      } else if (op < 50) {
        const std::string member = Member();
        ASSERT_EQ(z->Remove(member), m.scores.erase(member) == 1);
      } else if (op < 58) {
        const ScoreRange r = Range();
        const bool rev = rng_() % 2;
        const int64_t off = Offset(), lim = Limit();
        ASSERT_EQ(Collect([&](auto fn) { z->RangeByScore(r, rev, off, lim, fn); }),
                  m.ByScore(r, rev, off, lim));
        ASSERT_EQ(z->CountByScore(r), m.ByScore(r, false, 0, -1).size());
      } else if (op < 66) {
        const LexRange r{Bound(), Bound()};
        const bool rev = rng_() % 2;
        const int64_t off = Offset(), lim = Limit();
        if (equal_scores_ || z->encoding() == Encoding::kListpack) {
          ASSERT_EQ(Collect([&](auto fn) { z->RangeByLex(r, rev, off, lim, fn); }),
                    m.ByLex(r, rev, off, lim));
          ASSERT_EQ(z->CountByLex(r), m.ByLex(r, false, 0, -1).size());
        }
      } else if (op < 72) {
        const size_t n = m.scores.size();
        if (n == 0) continue;
        size_t a = rng_() % n, b = rng_() % n;
        if (a > b) std::swap(a, b);
        const bool rev = rng_() % 2;
        Pairs want = m.Sorted();
        if (rev) std::reverse(want.begin(), want.end());
        want = Pairs(want.begin() + static_cast<long>(a), want.begin() + static_cast<long>(b) + 1);
        ASSERT_EQ(Collect([&](auto fn) { z->RangeByRank(a, b, rev, fn); }), want);
      } else if (op < 76) {
        const ScoreRange r = Range();
        Pairs gone = m.ByScore(r, false, 0, -1);
        ASSERT_EQ(z->RemoveRangeByScore(r), gone.size());
        for (const auto& [k, s] : gone) m.scores.erase(k);
      } else if (op < 79) {
        const LexRange r{Bound(), Bound()};
        if (equal_scores_ || z->encoding() == Encoding::kListpack) {
          Pairs gone = m.ByLex(r, false, 0, -1);
          ASSERT_EQ(z->RemoveRangeByLex(r), gone.size());
          for (const auto& [k, s] : gone) m.scores.erase(k);
        }
      } else if (op < 82) {
        const size_t n = m.scores.size();
        if (n == 0) continue;
        size_t a = rng_() % n, b = a + rng_() % 4;
        b = std::min(b, n - 1);
        Pairs v = m.Sorted();
        ASSERT_EQ(z->RemoveRangeByRank(a, b), b - a + 1);
        for (size_t k = a; k <= b; ++k) m.scores.erase(v[k].first);
      } else if (op < 86) {
        const bool max = rng_() % 2;
        const size_t count = rng_() % 4;
        Pairs v = m.Sorted();
        if (max) std::reverse(v.begin(), v.end());
        v.resize(std::min(count, v.size()));
        ASSERT_EQ(Collect([&](auto fn) { z->Pop(max, count, fn); }), v);
        for (const auto& [k, s] : v) m.scores.erase(k);
      } else if (op < 92) {
        const std::string member = Member();
        size_t rank;
        double score;
        const bool rev = rng_() % 2;
        const bool found = z->Rank(member, rev, &rank, &score);
        auto it = m.scores.find(member);
        ASSERT_EQ(found, it != m.scores.end());
        if (found) {
          Pairs v = m.Sorted();
          if (rev) std::reverse(v.begin(), v.end());
          const size_t want =
              std::find_if(v.begin(), v.end(), [&](const auto& p) { return p.first == member; }) -
              v.begin();
          ASSERT_EQ(rank, want);
          ASSERT_EQ(score, it->second);
        }
      } else if (op < 96) {
        // A full ZSCAN: every member once.
        std::map<std::string, double> seen;
        uint64_t cursor = 0;
        do {
          cursor = z->Scan(cursor, 1 + rng_() % 10, [&](const ZEntry& e) {
            ASSERT_TRUE(seen.emplace(std::string(e.member), e.score).second);
          });
        } while (cursor != 0);
        ASSERT_EQ(seen.size(), m.scores.size());
        for (const auto& [k, s] : m.scores) ASSERT_EQ(seen.at(k), s);
      } else {
        ASSERT_EQ(All(*z), m.Sorted());
      }
      ASSERT_EQ(z->Size(), m.scores.size());
      if (z->encoding() == Encoding::kSkiplist) saw_large_ = true;
      const auto lim = Limits().zset_max_listpack_entries.load();
      if (static_cast<int64_t>(m.scores.size()) > lim) {
        ASSERT_EQ(z->encoding(), Encoding::kSkiplist);
      }
    }
    ASSERT_EQ(All(*z), m.Sorted());
  }
  bool saw_large() const { return saw_large_; }

 private:
  void ApplyModelAdd(Model* m, const std::string& member, double score, unsigned flags,
                     const ZSetObject::AddResult& r) {
    using O = ZSetObject::AddOutcome;
    auto it = m->scores.find(member);
    if (it == m->scores.end()) {
      if (flags & ZSetObject::kAddXx) {
        ASSERT_EQ(r.outcome, O::kSkipped);
        return;
      }
      ASSERT_EQ(r.outcome, O::kAdded);
      m->scores[member] = score;
      return;
    }
    if (flags & ZSetObject::kAddNx) {
      ASSERT_EQ(r.outcome, O::kSkipped);
      return;
    }
    double s = score;
    if (flags & ZSetObject::kAddIncr) {
      s += it->second;
      if (std::isnan(s)) {
        ASSERT_EQ(r.outcome, O::kNan);
        return;
      }
    }
    if (((flags & ZSetObject::kAddLt) && s >= it->second) ||
        ((flags & ZSetObject::kAddGt) && s <= it->second)) {
      ASSERT_EQ(r.outcome, O::kSkipped);
      return;
    }
    ASSERT_EQ(r.outcome, s == it->second ? O::kUnchanged : O::kUpdated);
    ASSERT_EQ(r.score, s);
    if (s != it->second) it->second = s;
  }

  std::mt19937_64 rng_;
  bool equal_scores_;
  size_t universe_ = 100;
  bool saw_large_ = false;
  std::deque<std::string> held_;  // keeps the views of Bound() valid
};

TEST(ZSetRandomTest, DefaultLimitsCrossingTheThreshold) {
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    RandomOps ops(seed, false);
    ops.Run(4000, 300);
    EXPECT_TRUE(ops.saw_large());
  }
}

TEST(ZSetRandomTest, AlwaysPacked) {
  LimitsGuard limits(1 << 20, 1 << 20);
  RandomOps(11, false).Run(4000, 60);
}

TEST(ZSetRandomTest, AlwaysLarge) {
  LimitsGuard limits(0, 64);
  for (uint64_t seed = 21; seed <= 23; ++seed) RandomOps(seed, false).Run(4000, 500);
}

TEST(ZSetRandomTest, EqualScoresLexInBothEncodings) {
  {
    LimitsGuard limits(0, 64);
    RandomOps(31, true).Run(4000, 400);
  }
  RandomOps(32, true).Run(4000, 100);
}

TEST(ZSetRandomTest, SmallLimitsConvertOften) {
  LimitsGuard limits(5, 3);
  for (uint64_t seed = 41; seed <= 45; ++seed) {
    RandomOps ops(seed, false);
    ops.Run(3000, 20);
    EXPECT_TRUE(ops.saw_large());
  }
}

}  // namespace
}  // namespace ringkv::engine
