// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SetObject and its parts (set_bucket.h, set_intset.h, set_table.h): encodings and conversions
// with Redis 7.0's thresholds, the small/table forms, exact memory accounting, SSCAN's guarantee
// while the set changes, uniformity of random choices (fixed seeds), SPOP's strategies and the
// set algebra.
#include "engine/types/set.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/types/limits.h"
#include "engine/types/set_table.h"

namespace ringkv::engine {
namespace {

std::set<std::string> Sorted(const SetObject& s) {
  std::vector<std::string> v = s.Members();
  std::set<std::string> out(v.begin(), v.end());
  EXPECT_EQ(out.size(), v.size()) << "a member was listed twice";
  return out;
}

void ExpectExactMemory(const SetObject& s) {
  EXPECT_EQ(s.MemoryUsage(), s.RecountMemory());
  if (s.table() != nullptr) {
    EXPECT_EQ(s.table()->bytes(), s.table()->RecountBytes());
  }
}

// Sets Limits().set_max_intset_entries for one test.
class IntsetLimit {
 public:
  explicit IntsetLimit(int64_t v) : old_(Limits().set_max_intset_entries.load()) {
    Limits().set_max_intset_entries = v;
  }
  ~IntsetLimit() { Limits().set_max_intset_entries = old_; }

 private:
  int64_t old_;
};

TEST(SetObjectTest, EmptySetIsAnIntset) {
  SetObject s;
  EXPECT_EQ(s.Size(), 0u);
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_FALSE(s.Contains("1"));
  EXPECT_FALSE(s.Remove("1"));
  EXPECT_TRUE(s.Members().empty());
  ExpectExactMemory(s);
}

TEST(SetObjectTest, IntsetKeepsCanonicalIntegersSorted) {
  SetObject s;
  for (const char* m : {"5", "-3", "100", "0", "5", "-3"}) s.Add(m);
  EXPECT_EQ(s.Size(), 4u);
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-3", "0", "5", "100"}));
  EXPECT_TRUE(s.Contains("100"));
  EXPECT_FALSE(s.Contains("0100"));  // not canonical: a string, and not a member
  EXPECT_FALSE(s.Contains("abc"));
  EXPECT_TRUE(s.Remove("0"));
  EXPECT_FALSE(s.Remove("0"));
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-3", "5", "100"}));
  ExpectExactMemory(s);
}

TEST(SetObjectTest, IntsetWidthGrowsAndNarrowsWithTheExtremes) {
  SetObject s;
  s.Add("1");
  s.Add("-32768");
  s.Add("32767");
  EXPECT_EQ(s.intset_width(), 2u);
  s.Add("32768");
  EXPECT_EQ(s.intset_width(), 4u);
  s.Add("-9223372036854775808");
  EXPECT_EQ(s.intset_width(), 8u);
  s.Add("9223372036854775807");
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-9223372036854775808", "-32768", "1", "32767",
                                                   "32768", "9223372036854775807"}));
  s.Remove("9223372036854775807");
  EXPECT_EQ(s.intset_width(), 8u);  // the minimum still needs 8 bytes
  s.Remove("-9223372036854775808");
  EXPECT_EQ(s.intset_width(), 4u);
  s.Remove("32768");
  EXPECT_EQ(s.intset_width(), 2u);
  EXPECT_EQ(s.Members(), (std::vector<std::string>{"-32768", "1", "32767"}));
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  ExpectExactMemory(s);
}

TEST(SetObjectTest, NonCanonicalIntegersAreStrings) {
  // Redis's string2ll rule: "+1", "01", "-0", " 1" and 21-digit text are not integers.
  for (const char* m : {"+1", "01", "-0", " 1", "1 ", "1.0", "", "9223372036854775808",
                        "-9223372036854775809", "123456789012345678901"}) {
    SetObject s;
    s.Add("1");
    EXPECT_TRUE(s.Add(m)) << m;
    EXPECT_EQ(s.encoding(), Encoding::kHashtable) << m;
    EXPECT_EQ(s.Size(), 2u) << m;
    EXPECT_TRUE(s.Contains(m)) << m;
    EXPECT_TRUE(s.Contains("1")) << m;
  }
}

TEST(SetObjectTest, AddingAStringConvertsToHashtableForGood) {
  SetObject s;
  for (int i = 0; i < 10; ++i) s.Add(std::to_string(i));
  s.Add("abc");
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_FALSE(s.is_table());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(s.Contains(std::to_string(i)));
  s.Remove("abc");
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);  // as Redis 7.0: never back to intset
  EXPECT_EQ(s.Size(), 10u);
  ExpectExactMemory(s);
}

TEST(SetObjectTest, IntsetConvertsPastTheEntryLimit) {
  IntsetLimit limit(4);
  SetObject s;
  for (int i = 0; i < 4; ++i) s.Add(std::to_string(i));
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  EXPECT_FALSE(s.Add("3"));  // an existing member changes nothing
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  s.Add("4");
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  s.Remove("4");
  s.Remove("3");
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_EQ(Sorted(s), (std::set<std::string>{"0", "1", "2"}));
}

TEST(SetObjectTest, DefaultIntsetLimitIs512) {
  SetObject s;
  for (int i = 0; i < 512; ++i) s.Add(std::to_string(i * 7));
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  s.Add("100000");
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  EXPECT_TRUE(s.is_table());
  EXPECT_EQ(s.Size(), 513u);
  for (int i = 0; i < 512; ++i) ASSERT_TRUE(s.Contains(std::to_string(i * 7)));
  ExpectExactMemory(s);
}

TEST(SetObjectTest, SmallFormBecomesATableAndBack) {
  SetObject s;
  for (size_t i = 0; i < SetObject::kSmallMax; ++i) s.Add("m" + std::to_string(i));
  EXPECT_FALSE(s.is_table());
  s.Add("one-more");
  EXPECT_TRUE(s.is_table());
  ExpectExactMemory(s);
  while (s.Size() > SetObject::kSmallMax / 2 + 1) s.Remove(s.Members().front());
  EXPECT_TRUE(s.is_table());
  s.Remove(s.Members().front());
  EXPECT_FALSE(s.is_table());
  EXPECT_EQ(s.Size(), SetObject::kSmallMax / 2);
  EXPECT_EQ(s.encoding(), Encoding::kHashtable);
  ExpectExactMemory(s);
}

TEST(SetObjectTest, EmptyBinaryAndLongMembers) {
  SetObject s;
  const std::string bin("a\0b\r\n", 5);
  const std::string long1(129, 'x');  // just past the inline limit: out of line
  const std::string long2(100000, 'y');
  const std::string inline_max(128, 'z');  // the longest inline member
  for (const std::string& m : {std::string(), bin, long1, long2, inline_max}) {
    EXPECT_TRUE(s.Add(m));
    EXPECT_FALSE(s.Add(m));
  }
  EXPECT_EQ(s.Size(), 5u);
  EXPECT_EQ(Sorted(s), (std::set<std::string>{"", bin, long1, long2, inline_max}));
  EXPECT_FALSE(s.Contains(std::string(129, 'z')));
  EXPECT_GT(s.MemoryUsage(), 100000u);
  ExpectExactMemory(s);
  for (int i = 0; i < 40; ++i)
    s.Add(std::string(200, static_cast<char>('a' + i % 26)) + "#" + std::to_string(i));
  EXPECT_TRUE(s.is_table());
  ExpectExactMemory(s);
  auto copy = s.Clone();
  EXPECT_TRUE(s.Remove(long2));
  EXPECT_FALSE(s.Contains(long2));
  EXPECT_TRUE(static_cast<SetObject&>(*copy).Contains(long2));
  ExpectExactMemory(s);
  ExpectExactMemory(static_cast<SetObject&>(*copy));
}

TEST(SetObjectTest, LargeMixedSetAgainstAReference) {
  SetObject s;
  std::set<std::string> ref;
  SetRng rng(7);
  for (int i = 0; i < 60000; ++i) {
    const uint64_t r = rng.Below(30000);
    std::string m = (r % 3 == 0) ? std::to_string(static_cast<int64_t>(r) - 15000)
                                 : "member:" + std::to_string(r);
    if (rng.Below(4) == 0) {
      EXPECT_EQ(s.Remove(m), ref.erase(m) == 1);
    } else {
      EXPECT_EQ(s.Add(m), ref.insert(m).second);
    }
    if (i % 5000 == 0) ExpectExactMemory(s);
  }
  EXPECT_EQ(s.Size(), ref.size());
  EXPECT_EQ(Sorted(s), ref);
  for (const std::string& m : ref) ASSERT_TRUE(s.Contains(m));
  // Shrink most of the way down: the table resizes (incrementally) and finally turns small.
  std::vector<std::string> all(ref.begin(), ref.end());
  for (size_t i = 0; i + 3 < all.size(); ++i) {
    ASSERT_TRUE(s.Remove(all[i]));
    if (i % 3000 == 0) ExpectExactMemory(s);
  }
  EXPECT_EQ(s.Size(), 3u);
  EXPECT_FALSE(s.is_table());
  EXPECT_EQ(Sorted(s), (std::set<std::string>(all.end() - 3, all.end())));
  ExpectExactMemory(s);
}

TEST(SetObjectTest, CloneKeepsEncodingAndIsIndependent) {
  for (int n : {3, 12, 600}) {
    for (bool ints : {true, false}) {
      SetObject s;
      for (int i = 0; i < n; ++i) s.Add(ints ? std::to_string(i) : "s" + std::to_string(i));
      auto c = s.Clone();
      auto& copy = static_cast<SetObject&>(*c);
      EXPECT_EQ(copy.encoding(), s.encoding());
      EXPECT_EQ(copy.is_table(), s.is_table());
      EXPECT_EQ(Sorted(copy), Sorted(s));
      ExpectExactMemory(copy);
      copy.Add("new");
      EXPECT_FALSE(s.Contains("new"));
    }
  }
}

TEST(SetTableTest, GrowsIncrementallyAndCountsBytesExactly) {
  detail::SetTable t(1);
  bool saw_resize = false;
  for (int i = 0; i < 20000; ++i) {
    const auto m = detail::SetMember::Int(i);
    ASSERT_TRUE(t.Insert(m, m.Hash()));
    saw_resize |= t.resizing();
    if (t.resizing()) {
      // Every member stays reachable mid-resize.
      for (int j = 0; j <= i; j += 997) {
        const auto q = detail::SetMember::Int(j);
        ASSERT_TRUE(t.Contains(q, q.Hash()));
      }
    }
  }
  EXPECT_TRUE(saw_resize);
  EXPECT_EQ(t.size(), 20000u);
  EXPECT_EQ(t.bytes(), t.RecountBytes());
  // Load after growth stays between the target and the maximum.
  EXPECT_GE(t.buckets() * detail::SetTable::kMaxLoad, t.size());
}

TEST(SetTableTest, CloneAndDrainMidResize) {
  detail::SetTable t(1);
  int n = 0;
  while (!t.resizing() || n < 100) {
    const std::string text = "member-" + std::to_string(n++);
    const auto m = detail::SetMember::Of(text);
    t.Insert(m, m.Hash());
    ASSERT_LT(n, 100000);
  }
  ASSERT_TRUE(t.resizing());
  std::unique_ptr<detail::SetTable> c = t.Clone();
  EXPECT_TRUE(c->resizing());
  EXPECT_EQ(c->size(), t.size());
  EXPECT_EQ(c->bytes(), c->RecountBytes());
  for (int i = 0; i < n; ++i) {
    const std::string text = "member-" + std::to_string(i);
    const auto m = detail::SetMember::Of(text);
    ASSERT_TRUE(c->Contains(m, m.Hash())) << text;
  }
  // Drain hands every entry over in one bucket and leaves the table empty.
  size_t heap = 0;
  uint8_t* bucket = c->Drain(&heap);
  EXPECT_EQ(detail::BucketCount(bucket), static_cast<size_t>(n));
  EXPECT_EQ(heap, detail::BucketHeap(bucket));
  EXPECT_EQ(c->size(), 0u);
  EXPECT_EQ(c->bytes(), c->RecountBytes());
  detail::BucketFree(bucket, &heap, /*free_blocks=*/true);
  EXPECT_EQ(heap, 0u);
}

// SSCAN's guarantee: a member present for the whole iteration is returned at least once, while
// other members come and go and the table grows, shrinks and changes form.
TEST(SetObjectTest, ScanReturnsStableMembersWhileTheSetChanges) {
  for (uint64_t seed : {1, 2, 3, 4}) {
    SetObject s;
    SetRng rng(seed);
    std::set<std::string> stable;
    for (int i = 0; i < 300; ++i) {
      std::string m = "stable" + std::to_string(i);
      s.Add(m);
      stable.insert(m);
    }
    std::multiset<std::string> seen;
    uint64_t cursor = 0;
    int churn = 0;
    int calls = 0;
    do {
      cursor = s.Scan(cursor, 1 + rng.Below(20), [&](std::string_view m) { seen.emplace(m); });
      ++calls;
      // Grow hard, then shrink hard, across the scan.
      if (calls < 40) {
        for (int k = 0; k < 400; ++k) s.Add("churn" + std::to_string(churn++));
      } else {
        for (int k = 0; k < 600 && churn > 0; ++k) s.Remove("churn" + std::to_string(--churn));
      }
      ASSERT_LT(calls, 100000);
    } while (cursor != 0);
    for (const std::string& m : stable) EXPECT_GE(seen.count(m), 1u) << m << " seed " << seed;
    // Without form changes the table returns each member once.
    for (const std::string& m : stable) EXPECT_LE(seen.count(m), 1u) << m << " seed " << seed;
    ExpectExactMemory(s);
  }
}

TEST(SetObjectTest, ScanOfCompactFormsReturnsEverythingAtOnce) {
  SetObject ints;
  for (int i = 0; i < 100; ++i) ints.Add(std::to_string(i));
  size_t n = 0;
  EXPECT_EQ(ints.Scan(12345, 1, [&](std::string_view) { ++n; }), 0u);
  EXPECT_EQ(n, 100u);
  SetObject small;
  for (const char* m : {"a", "b", "c"}) small.Add(m);
  n = 0;
  EXPECT_EQ(small.Scan(0, 1, [&](std::string_view) { ++n; }), 0u);
  EXPECT_EQ(n, 3u);
}

TEST(SetObjectTest, ScanOfATableEndsAndCoversEverything) {
  SetObject s;
  for (int i = 0; i < 5000; ++i) s.Add("k" + std::to_string(i));
  for (size_t count : {1, 10, 1000, 1000000}) {
    std::set<std::string> seen;
    uint64_t cursor = 0;
    int calls = 0;
    do {
      cursor = s.Scan(cursor, count, [&](std::string_view m) { seen.emplace(m); });
      ++calls;
    } while (cursor != 0);
    EXPECT_EQ(seen.size(), 5000u) << count;
    if (count >= 1000000) {
      EXPECT_EQ(calls, 1);
    }
  }
  // Any cursor value is accepted (it is a hash position).
  size_t n = 0;
  s.Scan(UINT64_MAX, 10, [&](std::string_view) { ++n; });
  EXPECT_LE(n, 5000u);
}

// Draws `draws` single members and checks every member's frequency is within 25% of the mean
// (a loose bound: with >= 1000 expected hits per member the deviation is a few percent).
void ExpectUniform(const SetObject& s, uint64_t seed, int draws) {
  SetRng rng(seed);
  std::map<std::string, int> hits;
  for (int i = 0; i < draws; ++i)
    s.RandomMember(rng, [&](std::string_view m) { ++hits[std::string(m)]; });
  EXPECT_EQ(hits.size(), s.Size());
  const double mean = static_cast<double>(draws) / static_cast<double>(s.Size());
  for (const auto& [m, n] : hits) {
    EXPECT_GT(n, mean * 0.75) << m;
    EXPECT_LT(n, mean * 1.25) << m;
  }
}

TEST(SetObjectTest, RandomMemberIsUniformInEveryForm) {
  SetObject ints;
  for (int i = 0; i < 50; ++i) ints.Add(std::to_string(i * 3));
  ExpectUniform(ints, 11, 100000);
  SetObject small;
  for (int i = 0; i < 10; ++i) small.Add("s" + std::to_string(i));
  ExpectUniform(small, 12, 20000);
  // A table whose buckets differ in size: rejection sampling must still be fair.
  SetObject table;
  for (int i = 0; i < 300; ++i) table.Add("t" + std::to_string(i));
  ASSERT_TRUE(table.is_table());
  ExpectUniform(table, 13, 600000);
}

TEST(SetObjectTest, RandomMemberIsUniformWhileResizing) {
  detail::SetTable t(1);
  int i = 0;
  while (!t.resizing() || t.size() < 200) {
    const auto m = detail::SetMember::Int(i++);
    t.Insert(m, m.Hash());
    if (t.size() > 2000) break;
  }
  ASSERT_TRUE(t.resizing());
  SetRng rng(5);
  std::map<int64_t, int> hits;
  const int draws = 2000 * static_cast<int>(t.size());
  for (int d = 0; d < draws; ++d) ++hits[detail::DecodeEntry(t.Random(rng)).i];
  EXPECT_EQ(hits.size(), t.size());
  for (const auto& [m, n] : hits) {
    EXPECT_GT(n, 1500) << m;
    EXPECT_LT(n, 2500) << m;
  }
}

TEST(SetObjectTest, RandomMembersFollowsRedisCases) {
  SetObject s;
  for (int i = 0; i < 100; ++i) s.Add("m" + std::to_string(i));
  SetRng rng(3);
  auto draw = [&](uint64_t count, bool distinct) {
    std::vector<std::string> out;
    s.RandomMembers(count, distinct, rng, [&](std::string_view m) {
      out.emplace_back(m);
      return true;
    });
    return out;
  };
  // With repetition: exactly count draws, each a member.
  std::vector<std::string> rep = draw(1000, false);
  EXPECT_EQ(rep.size(), 1000u);
  EXPECT_LT(std::set<std::string>(rep.begin(), rep.end()).size(), 101u);
  // Distinct: count*3 <= size (sampling), count*3 > size (copy and drop), count >= size (all).
  for (uint64_t count : {1, 5, 33, 34, 60, 99, 100, 1000}) {
    std::vector<std::string> v = draw(count, true);
    std::set<std::string> u(v.begin(), v.end());
    EXPECT_EQ(v.size(), std::min<uint64_t>(count, 100)) << count;
    EXPECT_EQ(u.size(), v.size()) << count;
    for (const std::string& m : u) EXPECT_TRUE(s.Contains(m));
  }
  // Stopping early: fn returning false ends the draws.
  int calls = 0;
  s.RandomMembers(1000000000000ULL, false, rng, [&](std::string_view) { return ++calls < 10; });
  EXPECT_EQ(calls, 10);
}

TEST(SetObjectTest, RandomDistinctSampleIsUniform) {
  SetObject s;
  for (int i = 0; i < 40; ++i) s.Add("m" + std::to_string(i));
  SetRng rng(21);
  for (uint64_t count : {5, 20}) {  // sampling and copy-and-drop
    std::map<std::string, int> hits;
    const int rounds = 20000;
    for (int r = 0; r < rounds; ++r) {
      s.RandomMembers(count, true, rng, [&](std::string_view m) {
        ++hits[std::string(m)];
        return true;
      });
    }
    const double mean = rounds * static_cast<double>(count) / 40.0;
    for (const auto& [m, n] : hits) {
      EXPECT_GT(n, mean * 0.85) << m << " count " << count;
      EXPECT_LT(n, mean * 1.15) << m << " count " << count;
    }
  }
}

TEST(SetObjectTest, PopRemovesWhatItReturns) {
  for (int n : {10, 300, 2000}) {
    for (uint64_t count : {uint64_t{1}, uint64_t{3}, uint64_t(n / 2), uint64_t(n - 1), uint64_t(n),
                           uint64_t(n + 5)}) {
      SetObject s;
      for (int i = 0; i < n; ++i) s.Add("p" + std::to_string(i));
      const std::set<std::string> before = Sorted(s);
      SetRng rng(count * 31 + n);
      std::vector<std::string> popped;
      s.Pop(count, rng, [&](std::string_view m) { popped.emplace_back(m); });
      const size_t want = std::min<size_t>(count, n);
      ASSERT_EQ(popped.size(), want);
      std::set<std::string> after = Sorted(s);
      EXPECT_EQ(after.size(), n - want);
      for (const std::string& m : popped) {
        EXPECT_TRUE(before.count(m));
        EXPECT_FALSE(after.count(m));
        after.insert(m);
      }
      EXPECT_EQ(after, before);  // nothing lost, nothing duplicated
      ExpectExactMemory(s);
    }
  }
}

TEST(SetObjectTest, PopOfMostOfASetRebuildsTheRemainder) {
  // Redis's SPOP strategy 3 (remaining * 5 <= count) keeps the remainder in a new set, which is
  // an intset again when it is all integers.
  SetObject s;
  for (int i = 0; i < 600; ++i) s.Add(std::to_string(i));
  ASSERT_EQ(s.encoding(), Encoding::kHashtable);
  SetRng rng(9);
  size_t n = 0;
  s.Pop(550, rng, [&](std::string_view) { ++n; });
  EXPECT_EQ(n, 550u);
  EXPECT_EQ(s.Size(), 50u);
  EXPECT_EQ(s.encoding(), Encoding::kIntset);
  // Strategy 2 (remaining * 5 > count) leaves the encoding alone.
  SetObject t;
  for (int i = 0; i < 600; ++i) t.Add(std::to_string(i));
  t.Pop(400, rng, [&](std::string_view) {});
  EXPECT_EQ(t.encoding(), Encoding::kHashtable);
}

std::unique_ptr<SetObject> Make(std::initializer_list<std::string> members) {
  auto s = std::make_unique<SetObject>();
  for (const std::string& m : members) s->Add(m);
  return s;
}

TEST(SetObjectTest, Algebra) {
  auto a = Make({"1", "2", "3", "x"});
  auto b = Make({"2", "3", "4", "x", "y"});
  auto c = Make({"3", "x", "z"});
  const SetObject* abc[] = {a.get(), b.get(), c.get()};
  EXPECT_EQ(Sorted(*SetObject::Inter(abc)), (std::set<std::string>{"3", "x"}));
  EXPECT_EQ(SetObject::InterCard(abc, 0), 2u);
  EXPECT_EQ(SetObject::InterCard(abc, 1), 1u);
  EXPECT_EQ(SetObject::InterCard(abc, 5), 2u);
  EXPECT_EQ(Sorted(*SetObject::Union(abc)),
            (std::set<std::string>{"1", "2", "3", "4", "x", "y", "z"}));
  EXPECT_EQ(Sorted(*SetObject::Diff(abc)), (std::set<std::string>{"1"}));
  const SetObject* with_missing[] = {a.get(), nullptr, c.get()};
  EXPECT_EQ(Sorted(*SetObject::Union(with_missing)),
            (std::set<std::string>{"1", "2", "3", "x", "z"}));
  EXPECT_EQ(Sorted(*SetObject::Diff(with_missing)), (std::set<std::string>{"1", "2"}));
  const SetObject* missing_first[] = {nullptr, a.get()};
  EXPECT_EQ(SetObject::Diff(missing_first)->Size(), 0u);
  const SetObject* same[] = {a.get(), b.get(), a.get()};
  EXPECT_EQ(SetObject::Diff(same)->Size(), 0u);  // the first key named again
  const SetObject* self[] = {a.get(), a.get()};
  EXPECT_EQ(Sorted(*SetObject::Inter(self)), Sorted(*a));
  // Results are built like Redis's: integers only -> intset.
  EXPECT_EQ(SetObject::Inter(abc)->encoding(), Encoding::kHashtable);
  const SetObject* ab[] = {a.get(), b.get()};
  auto ints = SetObject::Diff(ab);
  EXPECT_EQ(Sorted(*ints), (std::set<std::string>{"1"}));
  EXPECT_EQ(ints->encoding(), Encoding::kIntset);
}

TEST(SetObjectTest, DiffPicksRedisAlgorithmWhichShowsInTheEncoding) {
  // Algorithm 2 (first set large next to the others) adds all of the first set and then removes,
  // so a string member that is removed again leaves a hashtable of integers.
  auto big = std::make_unique<SetObject>();
  for (int i = 0; i < 20; ++i) big->Add(std::to_string(i));
  big->Add("s");
  auto small = Make({"s"});
  const SetObject* sets[] = {big.get(), small.get()};
  // work: one = 21 * 2 / 2 = 21, two = 21 + 1 = 22 -> algorithm 1 (intset result)
  EXPECT_EQ(SetObject::Diff(sets)->encoding(), Encoding::kIntset);
  auto empty_a = std::make_unique<SetObject>();
  auto empty_b = std::make_unique<SetObject>();
  const SetObject* sets3[] = {big.get(), small.get(), nullptr, empty_a.get(), empty_b.get()};
  // one = 21 * 4 / 2 = 42, two = 21 + 1 + 0 + 0 = 22 -> algorithm 2 (hashtable result)
  auto d = SetObject::Diff(sets3);
  EXPECT_EQ(d->Size(), 20u);
  EXPECT_EQ(d->encoding(), Encoding::kHashtable);
}

TEST(SetObjectTest, ThroughTheEngine) {
  ManualClock clock;
  Engine engine(EngineOptions{}, &clock);
  const size_t before = engine.UsedMemory();
  auto add = [&](std::string_view member) {
    return engine.UpdateObject(0, "s", ValueType::kSet, [&](std::unique_ptr<Object>& o) {
      if (o == nullptr) o = std::make_unique<SetObject>();
      static_cast<SetObject&>(*o).Add(member);
    });
  };
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(add("m" + std::to_string(i)), OpStatus::kOk);
  auto info = engine.GetObjectInfo(0, "s");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->encoding, Encoding::kHashtable);
  EXPECT_GT(engine.UsedMemory(), before + 1000 * 6);
  // Removing every member deletes the key and gives the memory back.
  for (int i = 0; i < 1000; ++i) {
    engine.UpdateObject(0, "s", ValueType::kSet, [&](std::unique_ptr<Object>& o) {
      static_cast<SetObject&>(*o).Remove("m" + std::to_string(i));
    });
  }
  EXPECT_FALSE(engine.Exists(0, "s"));
  engine.WaitForBackgroundWork();
  EXPECT_EQ(engine.UsedMemory(), before);
}

}  // namespace
}  // namespace ringkv::engine
