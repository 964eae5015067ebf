// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// HashObject (engine/types/hash.h): both encodings against a std::map model, conversion at both
// thresholds, field expiry edges, HSCAN's guarantee while the table grows and shrinks, sampling,
// and memory accounting.
#include "engine/types/hash.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/memory.h"
#include "engine/types/limits.h"

namespace ringkv::engine {
namespace {

using Model = std::map<std::string, std::string>;

// Restores the process-wide limits a test changes.
class LimitsGuard {
 public:
  LimitsGuard()
      : entries_(Limits().hash_max_listpack_entries.load()),
        value_(Limits().hash_max_listpack_value.load()) {}
  ~LimitsGuard() {
    Limits().hash_max_listpack_entries.store(entries_);
    Limits().hash_max_listpack_value.store(value_);
  }

 private:
  int64_t entries_;
  int64_t value_;
};

class HashTest : public ::testing::Test {
 protected:
  // The thresholds these tests cross (Redis's defaults are 512 entries / 64 bytes).
  HashTest() : obj_(HashObject::New()) {
    Limits().hash_max_listpack_entries.store(128);
    Limits().hash_max_listpack_value.store(64);
  }

  const HashObject& h() const { return static_cast<const HashObject&>(*obj_); }
  HashObject& mut() { return static_cast<HashObject&>(*obj_); }
  bool Set(std::string_view f, std::string_view v, FieldTtl ttl = FieldTtl::kClear,
           int64_t at = 0) {
    return HashObject::Set(obj_, f, v, ttl, at);
  }
  std::optional<std::string> Get(std::string_view f) const {
    HashObject::ValueBuf buf;
    auto v = h().Get(f, &buf);
    if (!v) return std::nullopt;
    return std::string(*v);
  }
  Model Contents() const {
    Model m;
    h().ForEach([&](std::string_view f, std::string_view v) {
      EXPECT_TRUE(m.emplace(std::string(f), std::string(v)).second) << "duplicate " << f;
    });
    return m;
  }
  std::vector<std::string> Fields() const {
    std::vector<std::string> out;
    h().ForEach([&](std::string_view f, std::string_view) { out.emplace_back(f); });
    return out;
  }
  void Check() const { ASSERT_EQ(h().CheckInvariants(), ""); }
  // The hash as a packed record carries it (AppendPacked).
  std::string Packed() const {
    std::string out;
    EXPECT_TRUE(h().AppendPacked(&out));
    return out;
  }
  // Fills fields "f0".."f{n-1}" with values "v<i>".
  void Fill(size_t n, size_t from = 0) {
    for (size_t i = from; i < from + n; ++i) {
      Set("f" + std::to_string(i), "v" + std::to_string(i));
    }
  }

  LimitsGuard limits_guard_;  // restores the process's limits when the test ends
  std::unique_ptr<Object> obj_;
};

TEST_F(HashTest, EmptyHashIsSmall) {
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  EXPECT_EQ(h().Size(), 0u);
  EXPECT_GE(h().MemoryUsage(), sizeof(void*));
  EXPECT_FALSE(Get("x"));
  EXPECT_FALSE(h().Exists("x"));
  EXPECT_EQ(h().ValueLength("x"), 0u);
  EXPECT_EQ(h().FieldExpireMs("x"), -2);
  EXPECT_FALSE(HashObject::Delete(obj_, "x"));
  EXPECT_EQ(h().MinFieldExpiry(), 0);
  EXPECT_FALSE(h().HasExpiredFields(INT64_MAX));
  Check();
}

TEST_F(HashTest, ValuesRoundTripByteForByte) {
  // Integers are stored in binary only when their text is canonical: everything reads back
  // exactly as written.
  const std::vector<std::string> texts = {"",
                                          "0",
                                          "-0",
                                          "00",
                                          "01",
                                          "+1",
                                          " 1",
                                          "1 ",
                                          "63",
                                          "64",
                                          "-1",
                                          "-64",
                                          "127",
                                          "128",
                                          "-129",
                                          "255",
                                          "256",
                                          "65535",
                                          "-32768",
                                          "2147483647",
                                          "2147483648",
                                          "9223372036854775807",
                                          "-9223372036854775808",
                                          "9223372036854775808",
                                          "-9223372036854775809",
                                          "18446744073709551616",
                                          "1.5",
                                          "1e3",
                                          "abc",
                                          std::string("a\0b\r\n", 5),
                                          std::string(64, 'x')};
  for (size_t i = 0; i < texts.size(); ++i) {
    EXPECT_TRUE(Set(texts[i], texts[i]));
    EXPECT_EQ(Get(texts[i]), texts[i]);
    EXPECT_EQ(h().ValueLength(texts[i]), texts[i].size());
  }
  EXPECT_EQ(h().Size(), texts.size());
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  Check();
  // "01" and "1" are different fields.
  EXPECT_TRUE(Set("1", "one"));
  EXPECT_EQ(Get("01"), "01");
  EXPECT_EQ(Get("1"), "one");
}

TEST_F(HashTest, SmallKeepsInsertionOrderThroughUpdatesAndDeletes) {
  Set("a", "1");
  Set("b", "2");
  Set("c", "3");
  EXPECT_FALSE(Set("a", "a much longer value than before"));
  EXPECT_EQ(Fields(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(HashObject::Delete(obj_, "b"));
  Set("b", "again");
  EXPECT_EQ(Fields(), (std::vector<std::string>{"a", "c", "b"}));
  EXPECT_EQ(Get("a"), "a much longer value than before");
  Check();
}

TEST_F(HashTest, ConvertsWhenTheEntryLimitIsPassed) {
  Fill(128);
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  // Updating does not convert.
  Set("f5", "x");
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  Set("f128", "v128");
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  EXPECT_EQ(h().Size(), 129u);
  Check();
  // Never converts back.
  for (int i = 0; i < 129; ++i) HashObject::Delete(obj_, "f" + std::to_string(i));
  EXPECT_EQ(h().Size(), 0u);
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  Check();
}

TEST_F(HashTest, ConvertsWhenAFieldOrValueIsTooLong) {
  Set(std::string(64, 'f'), std::string(64, 'v'));
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  Set("x", std::string(65, 'v'));
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  EXPECT_EQ(Get(std::string(64, 'f')), std::string(64, 'v'));

  obj_ = HashObject::New();
  Set(std::string(65, 'f'), "v");
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  Check();
}

TEST_F(HashTest, LimitsAreReadAtWriteTime) {
  LimitsGuard guard;
  Limits().hash_max_listpack_entries.store(0);
  Set("a", "1");
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);

  Limits().hash_max_listpack_entries.store(1000);
  Limits().hash_max_listpack_value.store(200);
  obj_ = HashObject::New();
  Fill(500);
  Set("long", std::string(200, 'x'));
  EXPECT_EQ(h().encoding(), Encoding::kListpack);
  EXPECT_EQ(Get("long"), std::string(200, 'x'));  // a length past the 1-byte form
  Check();
}

TEST_F(HashTest, ASmallHashConvertsBeforeItsCountOutgrowsTheHeader) {
  // The small encoding counts fields in 16 bits: with the entry limit raised past that, a hash
  // of 65,535 fields is a hash table, built whole or grown by one field.
  LimitsGuard guard;
  Limits().hash_max_listpack_entries.store(1000000);
  std::vector<std::string> names;
  for (int i = 0; i < 65535; ++i) names.push_back(std::to_string(i + 1000000));
  std::vector<HashObject::LoadEntry> entries;
  for (const std::string& n : names) entries.push_back({n, "v", 0});
  EXPECT_EQ(HashObject::FromEntries(entries)->encoding(), Encoding::kHashtable);
  entries.pop_back();
  obj_ = HashObject::FromEntries(entries);
  ASSERT_EQ(h().encoding(), Encoding::kListpack);
  EXPECT_EQ(h().Size(), 65534u);
  Check();
  EXPECT_TRUE(Set(names.back(), "last"));
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  EXPECT_EQ(h().Size(), 65535u);
  EXPECT_EQ(Get(names.front()), "v");
  EXPECT_EQ(Get(names.back()), "last");
  Check();
}

TEST_F(HashTest, ConversionKeepsValuesAndExpiries) {
  Set("n", "12345");
  Set("t", "v", FieldTtl::kSet, 5000);
  Fill(200);
  EXPECT_EQ(h().encoding(), Encoding::kHashtable);
  EXPECT_EQ(Get("n"), "12345");
  EXPECT_EQ(h().FieldExpireMs("t"), 5000);
  EXPECT_EQ(h().FieldExpireMs("n"), -1);
  EXPECT_EQ(h().MinFieldExpiry(), 5000);
  std::map<std::string, int64_t> expiries;
  h().ForEachWithExpiry([&](std::string_view f, std::string_view, int64_t at) {
    if (at != 0) expiries[std::string(f)] = at;
  });
  EXPECT_EQ(expiries, (std::map<std::string, int64_t>{{"t", 5000}}));
  Check();
}

// FromEntries (snapshot loading) gives the hash that setting the entries one by one gives.
TEST_F(HashTest, FromEntriesMatchesSettingOneByOne) {
  struct Case {
    std::string name;
    std::vector<std::tuple<std::string, std::string, int64_t>> entries;
  };
  std::vector<Case> cases;
  auto fill = [](size_t n, int64_t at_every_third) {
    std::vector<std::tuple<std::string, std::string, int64_t>> e;
    for (size_t i = 0; i < n; ++i) {
      e.emplace_back(
          "f" + std::to_string(i), "v" + std::to_string(i),
          at_every_third != 0 && i % 3 == 0 ? at_every_third + static_cast<int64_t>(i) : 0);
    }
    return e;
  };
  cases.push_back({"one field", {{"a", "1", 0}}});
  cases.push_back({"integers and empty strings",
                   {{"0", "-1", 0}, {"", "", 0}, {"12345678901", "63", 0}, {"-0", "007", 0}}});
  cases.push_back(
      {"expiries (the hint is the earliest)", {{"x", "1", 9000}, {"y", "2", 0}, {"z", "3", 4000}}});
  cases.push_back({"16 fields (pairwise check)", fill(16, 0)});
  cases.push_back({"17 fields (sorted check)", fill(17, 7000)});
  cases.push_back({"128 fields: the entry limit", fill(128, 0)});
  cases.push_back({"129 fields: large", fill(129, 7000)});
  cases.push_back({"a 64-byte value", {{"a", std::string(64, 'v'), 0}, {"b", "1", 0}}});
  cases.push_back({"a 65-byte value: large", {{"a", "1", 0}, {"b", std::string(65, 'v'), 5}}});
  cases.push_back({"a 65-byte field: large", {{std::string(65, 'f'), "1", 0}}});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    obj_ = HashObject::New();
    std::vector<HashObject::LoadEntry> load;
    for (const auto& [f, v, at] : c.entries) {
      Set(f, v, at != 0 ? FieldTtl::kSet : FieldTtl::kClear, at);
      load.push_back({f, v, at});
    }
    std::unique_ptr<HashObject> built = HashObject::FromEntries(load);
    ASSERT_NE(built, nullptr);
    EXPECT_EQ(built->CheckInvariants(), "");
    EXPECT_EQ(built->encoding(), h().encoding());
    EXPECT_EQ(built->Size(), h().Size());
    EXPECT_EQ(built->MinFieldExpiry(), h().MinFieldExpiry());
    // One exact block for a small hash (a large one's buckets depend on the insertion order).
    if (h().encoding() == Encoding::kListpack) {
      EXPECT_LE(built->MemoryUsage(), h().MemoryUsage());
    }
    std::vector<std::tuple<std::string, std::string, int64_t>> want;
    std::vector<std::tuple<std::string, std::string, int64_t>> got;
    h().ForEachWithExpiry(
        [&](std::string_view f, std::string_view v, int64_t at) { want.emplace_back(f, v, at); });
    built->ForEachWithExpiry(
        [&](std::string_view f, std::string_view v, int64_t at) { got.emplace_back(f, v, at); });
    if (h().encoding() == Encoding::kListpack) {
      EXPECT_EQ(got, c.entries);  // insertion order
    } else {
      std::sort(want.begin(), want.end());
      std::sort(got.begin(), got.end());
    }
    EXPECT_EQ(got, want);
    // Usable as any hash afterwards.
    std::unique_ptr<Object> owner(std::move(built));
    EXPECT_TRUE(HashObject::Set(owner, "new", "x"));
    EXPECT_EQ(owner->Size(), c.entries.size() + 1);
    EXPECT_EQ(static_cast<const HashObject&>(*owner).CheckInvariants(), "");
  }
}

TEST_F(HashTest, FromEntriesRefusesRepeatedFieldsAndNoFields) {
  EXPECT_EQ(HashObject::FromEntries({}), nullptr);
  std::vector<std::string> names;
  for (int i = 0; i < 200; ++i) names.push_back("f" + std::to_string(i));
  // Repeats the pairwise check meets with equal and with different fingerprints around them,
  // the sorted check (17+ fields) and the large encoding (129+) must all find.
  for (size_t n : {2u, 10u, 16u, 17u, 40u, 128u, 129u, 200u}) {
    for (size_t dup_of : {size_t{0}, std::min(n / 2, n - 2), n - 2}) {
      SCOPED_TRACE(testing::Message() << n << " fields, the last repeating field " << dup_of);
      std::vector<HashObject::LoadEntry> load;
      for (size_t i = 0; i + 1 < n; ++i) load.push_back({names[i], "v", 0});
      load.push_back({names[dup_of], "other", 0});
      EXPECT_EQ(HashObject::FromEntries(load), nullptr);
      load.back().field = names[n - 1];
      EXPECT_NE(HashObject::FromEntries(load), nullptr);
    }
  }
  // Same length, first and last byte (one fingerprint), different middles: not a repeat.
  std::vector<HashObject::LoadEntry> similar = {{"a1b", "1", 0}, {"a2b", "2", 0}, {"a1b", "3", 0}};
  EXPECT_EQ(HashObject::FromEntries(similar), nullptr);
  similar.pop_back();
  std::unique_ptr<HashObject> ok = HashObject::FromEntries(similar);
  ASSERT_NE(ok, nullptr);
  EXPECT_EQ(ok->Size(), 2u);
}

// AppendPacked / FromPacked (snapshot records of small hashes): the bytes load back as the
// same hash, byte for byte.
TEST_F(HashTest, FromPackedRebuildsTheSameHash) {
  const std::vector<std::pair<std::string, std::string>> cases[] = {
      {{"a", "1"}},
      // Every element form: immediates, 1..8-byte integers at their edges, empty, 127/128-byte
      // and longer strings (LEB128 lengths of one and two bytes), text that looks numeric.
      {{"0", "63"},
       {"64", "-1"},
       {"127", "128"},
       {"-128", "-129"},
       {"32767", "32768"},
       {"9223372036854775807", "-9223372036854775808"},
       {"", ""},
       {"-0", "007"},
       {"+1", "1.5"},
       {std::string(63, 'f'), std::string(64, 'v')}},
      {{"user_id", "1001"},
       {"csrf", std::string(32, 'x')},
       {"last_seen", "1732880000"},
       {"ua", "Mozilla/5.0 (X11; Linux x86_64)"}},
  };
  Limits().hash_max_listpack_value.store(300);
  for (const auto& c : cases) {
    obj_ = HashObject::New();
    for (const auto& [f, v] : c) Set(f, v);
    Set("long", std::string(200, 'L'));
    ASSERT_EQ(h().encoding(), Encoding::kListpack);
    std::string packed;
    ASSERT_TRUE(h().AppendPacked(&packed));
    std::unique_ptr<HashObject> built = HashObject::FromPacked(h().Size(), packed);
    ASSERT_NE(built, nullptr);
    EXPECT_EQ(built->CheckInvariants(), "");
    EXPECT_EQ(built->encoding(), Encoding::kListpack);
    std::string again;
    EXPECT_TRUE(built->AppendPacked(&again));
    EXPECT_EQ(again, packed);
    std::unique_ptr<Object> owner(std::move(built));
    std::swap(owner, obj_);
    for (const auto& [f, v] : c) {
      EXPECT_EQ(Get(f), v) << f;         // lookups find every field...
      EXPECT_FALSE(Set(f, "new")) << f;  // ...and writes replace it
    }
    EXPECT_EQ(h().Size(), c.size() + 1);
    Check();
  }
}

TEST_F(HashTest, PackedOnlyForSmallHashesWithoutFieldExpiry) {
  Set("a", "1");
  Set("b", "2", FieldTtl::kSet, 5000);
  std::string packed;
  EXPECT_FALSE(h().AppendPacked(&packed));
  EXPECT_EQ(mut().PersistField("b"), 1);
  EXPECT_TRUE(h().AppendPacked(&packed));
  packed.clear();
  Fill(200);
  ASSERT_EQ(h().encoding(), Encoding::kHashtable);
  EXPECT_FALSE(h().AppendPacked(&packed));
  EXPECT_TRUE(packed.empty());
}

TEST_F(HashTest, FromPackedRefusesMalformedBytes) {
  Set("field", "value");
  Set("n", "1000");
  Set("other", "x");
  const std::string good = Packed();
  ASSERT_NE(HashObject::FromPacked(3, good), nullptr);
  EXPECT_EQ(HashObject::FromPacked(2, good), nullptr);  // count does not match
  EXPECT_EQ(HashObject::FromPacked(4, good), nullptr);
  EXPECT_EQ(HashObject::FromPacked(0, ""), nullptr);
  for (size_t len = 0; len < good.size(); ++len) {  // every truncation
    EXPECT_EQ(HashObject::FromPacked(3, good.substr(0, len)), nullptr) << len;
  }
  const std::string tail = good.substr(std::string("\x05"
                                                   "field\x05value")
                                           .size());
  auto with_first = [&](const std::string& entry) { return entry + tail; };
  ASSERT_NE(HashObject::FromPacked(3, with_first("\x05"
                                                 "field\x05value")),
            nullptr);
  const std::pair<const char*, std::string> bad[] = {
      {"a repeated field", "\x01n\x05value"},
      {"integer text stored as a string", std::string("\x03"
                                                      "123\x01v",
                                                      6)},
      {"an immediate stored in an integer", std::string("\xC0\x05\x01v", 4)},
      {"an integer in more bytes than needed", std::string("\xC1\x64\x00\x01v", 5)},
      {"a long-string tag on a short string", std::string("\xE0\x03"
                                                          "abc\x01v",
                                                          7)},
      {"an overlong LEB128 length", "\xE0\x80\x81\x01" + std::string(128, 'a') + "\x01v"},
      {"an expiry (never packed)", std::string("\xF0\x01\x00\x00\x00\x00\x00\x00\x00\x01"
                                               "a\x01v",
                                               13)},
      {"an unknown tag", std::string("\xC8\x01v", 3)},
      {"another unknown tag", std::string("\xFF\x01v", 3)},
  };
  for (const auto& [what, entry] : bad) {
    EXPECT_EQ(HashObject::FromPacked(3, with_first(entry)), nullptr) << what;
  }
  // The well-formed versions of those load.
  EXPECT_NE(HashObject::FromPacked(3, with_first(std::string("\x85\x01v", 3))), nullptr);
  EXPECT_NE(HashObject::FromPacked(3, with_first(std::string("\xC0\x64\x01v", 4))), nullptr);
  EXPECT_NE(HashObject::FromPacked(3, with_first(std::string("\xC1\x00\x01\x01v", 5))), nullptr);
  EXPECT_NE(HashObject::FromPacked(3, with_first("\xE0\x80\x01" + std::string(128, 'a') + "\x01v")),
            nullptr);
  // More than 16 fields (the sorted check), with and without a repeat.
  obj_ = HashObject::New();
  Fill(40);
  const std::string many = Packed();
  EXPECT_NE(HashObject::FromPacked(40, many), nullptr);
  EXPECT_EQ(HashObject::FromPacked(41, many + "\x03"
                                              "f17\x01v"),
            nullptr);
  EXPECT_NE(HashObject::FromPacked(41, many + "\x03"
                                              "g17\x01v"),
            nullptr);
}

TEST_F(HashTest, FromPackedConvertsWhenTheLimitsWereLowered) {
  Fill(20);
  Set("long", std::string(40, 'v'));
  Set("7", "-12345");
  const std::string packed = Packed();
  const Model want = Contents();
  for (const auto& [entries, value] : {std::pair<int64_t, int64_t>{20, 64}, {128, 39}, {128, 4}}) {
    SCOPED_TRACE(testing::Message() << entries << " entries, " << value << " bytes");
    Limits().hash_max_listpack_entries.store(entries);
    Limits().hash_max_listpack_value.store(value);
    std::unique_ptr<HashObject> built = HashObject::FromPacked(22, packed);
    ASSERT_NE(built, nullptr);
    EXPECT_EQ(built->encoding(), Encoding::kHashtable);
    EXPECT_EQ(built->CheckInvariants(), "");
    obj_ = std::move(built);
    EXPECT_EQ(Contents(), want);
  }
  Limits().hash_max_listpack_value.store(6);  // "-12345" fits exactly
  obj_ = HashObject::New();
  Set("7", "-12345");
  const std::string one = Packed();
  EXPECT_EQ(HashObject::FromPacked(1, one)->encoding(), Encoding::kListpack);
  Limits().hash_max_listpack_value.store(5);
  EXPECT_EQ(HashObject::FromPacked(1, one)->encoding(), Encoding::kHashtable);
}

// Random operations on both encodings against a model.
class HashModelTest : public HashTest, public ::testing::WithParamInterface<int> {};

TEST_P(HashModelTest, MatchesModel) {
  std::mt19937 rng(GetParam());
  Model model;
  const int fields = GetParam() % 2 == 0 ? 100 : 3000;  // stays small / becomes large
  for (int op = 0; op < 20000; ++op) {
    const std::string f = "field:" + std::to_string(rng() % fields);
    switch (rng() % 4) {
      case 0:
      case 1: {
        std::string v(rng() % (rng() % 8 == 0 ? 300 : 20), static_cast<char>('a' + rng() % 26));
        if (rng() % 4 == 0) v = std::to_string(static_cast<int32_t>(rng()));
        if (GetParam() % 2 == 0 && v.size() > 64) v.resize(64);
        EXPECT_EQ(Set(f, v), model.count(f) == 0);
        model[f] = v;
        break;
      }
      case 2:
        EXPECT_EQ(HashObject::Delete(obj_, f), model.erase(f) == 1);
        break;
      default:
        EXPECT_EQ(Get(f), model.count(f) ? std::optional<std::string>(model[f]) : std::nullopt);
        break;
    }
    if (op % 2000 == 0) Check();
  }
  EXPECT_EQ(h().Size(), model.size());
  EXPECT_EQ(Contents(), model);
  Check();
  auto copy = h().Clone();
  EXPECT_EQ(static_cast<const HashObject&>(*copy).CheckInvariants(), "");
  Model copied;
  static_cast<const HashObject&>(*copy).ForEach(
      [&](std::string_view f, std::string_view v) { copied[std::string(f)] = v; });
  EXPECT_EQ(copied, model);
  EXPECT_EQ(copy->MemoryUsage() > 0, true);
  // Deleting everything empties the table (and merges it back down).
  for (const auto& [f, v] : model) EXPECT_TRUE(HashObject::Delete(obj_, f));
  EXPECT_EQ(h().Size(), 0u);
  Check();
}

INSTANTIATE_TEST_SUITE_P(Seeds, HashModelTest, ::testing::Range(1, 7));

// Shaped small hashes (field names in a shared HashShape): built whole, then every operation
// against a model. Values are replaced in place (the shape stays), new fields move to a longer
// shape, deletions and field expiries rewrite the hash unshaped, and rebuilding shapes it again.
class HashShapeModelTest : public HashTest, public ::testing::WithParamInterface<int> {};

TEST_P(HashShapeModelTest, MatchesModel) {
  std::mt19937 rng(GetParam());
  Model model;
  auto rebuild = [&] {
    std::vector<HashObject::LoadEntry> load;
    for (const auto& [f, v] : model) load.push_back({f, v, 0});
    if (load.size() < 2) return;
    obj_ = HashObject::FromEntries(load);
    ASSERT_NE(obj_, nullptr);
    EXPECT_TRUE(h().shaped());
  };
  for (int i = 0; i < 6; ++i) model["s" + std::to_string(i)] = std::to_string(i * 1000);
  rebuild();
  size_t shaped_ops = 0;
  for (int op = 0; op < 6000; ++op) {
    const std::string f =
        rng() % 5 == 0 ? std::to_string(rng() % 12) : "s" + std::to_string(rng() % 12);
    std::string v(rng() % 30, static_cast<char>('a' + rng() % 26));
    if (rng() % 3 == 0) v = std::to_string(static_cast<int32_t>(rng()) % 100000);
    shaped_ops += h().shaped() ? 1 : 0;
    switch (rng() % 10) {
      case 0:
      case 1:
      case 2:
      case 3:
        EXPECT_EQ(Set(f, v), model.count(f) == 0);
        model[f] = v;
        break;
      case 4:
        EXPECT_EQ(HashObject::Delete(obj_, f), model.erase(f) == 1);
        break;
      case 5:
        if (model.count(f)) {
          EXPECT_EQ(HashObject::SetFieldExpiry(obj_, f, 9'000'000'000'000,
                                               FieldExpireCondition::kAlways, 1),
                    FieldExpireResult::kSet);
          EXPECT_EQ(mut().PersistField(f), 1);
        } else {
          EXPECT_EQ(mut().PersistField(f), -2);
        }
        break;
      case 6: {
        std::string packed;
        ASSERT_TRUE(h().AppendPacked(&packed));
        std::unique_ptr<HashObject> back = HashObject::FromPacked(h().Size(), packed);
        if (model.empty()) {
          EXPECT_EQ(back, nullptr);
        } else {
          ASSERT_NE(back, nullptr);
          EXPECT_EQ(back->CheckInvariants(), "");
          std::unique_ptr<Object> owner(std::move(back));
          std::swap(owner, obj_);
          EXPECT_EQ(Contents(), model);
        }
        break;
      }
      case 7: {
        uint64_t r = rng();
        std::set<std::string> seen;
        h().RandomDistinct(3, &r, [&](std::string_view rf, std::string_view rv) {
          EXPECT_EQ(model.at(std::string(rf)), rv);
          EXPECT_TRUE(seen.insert(std::string(rf)).second);
        });
        if (!model.empty()) {
          h().RandomWithReplacement(4, &r, [&](std::string_view rf, std::string_view rv) {
            EXPECT_EQ(model.at(std::string(rf)), rv);
          });
        }
        EXPECT_EQ(mut().PersistField(f), model.count(f) ? -1 : -2);
        break;
      }
      case 8:
        if (rng() % 8 == 0) rebuild();
        break;
      default:
        EXPECT_EQ(Get(f), model.count(f) ? std::optional<std::string>(model[f]) : std::nullopt);
        EXPECT_EQ(h().ValueLength(f), model.count(f) ? model[f].size() : 0u);
        break;
    }
    ASSERT_EQ(h().CheckInvariants(), "") << "op " << op;
    if (op % 500 == 0) {
      EXPECT_EQ(Contents(), model);
    }
  }
  EXPECT_EQ(Contents(), model);
  EXPECT_GT(shaped_ops, 1000u);  // the shaped paths were exercised
  auto copy = h().Clone();
  EXPECT_EQ(static_cast<const HashObject&>(*copy).CheckInvariants(), "");
}

INSTANTIATE_TEST_SUITE_P(Seeds, HashShapeModelTest, ::testing::Range(1, 7));

// Hashes of the same fields share their names: a shaped session takes less than a plain one,
// and the two read the same.
TEST_F(HashTest, ShapedHashesKeepOnlyTheirValues) {
  const std::string csrf(32, 'x');
  const std::vector<HashObject::LoadEntry> session = {
      {"user_id", "1001", 0},    {"csrf", csrf, 0},
      {"cart", "3", 0},          {"last_seen", "1732880000", 0},
      {"ip", "203.0.113.42", 0}, {"ua", "Mozilla/5.0 (X11; Linux x86_64)", 0},
      {"lang", "en-GB", 0},      {"theme", "dark", 0},
      {"flags", "0", 0},         {"created", "1732870000", 0}};
  std::unique_ptr<HashObject> a = HashObject::FromEntries(session);
  std::unique_ptr<HashObject> b = HashObject::FromEntries(session);
  ASSERT_TRUE(a->shaped() && b->shaped());
  for (const auto& en : session) {
    Set(en.field, en.value);  // obj_: the same fields set one by one, plain
  }
  ASSERT_FALSE(h().shaped());
  EXPECT_LT(a->MemoryUsage() + 40, h().MemoryUsage());
  // 104 bytes of values after an 8-byte header: a 112-byte block (jemalloc and ASan report 112,
  // glibc 120), where a 16-byte header or a shape pointer in the block would take 128.
  EXPECT_LE(a->MemoryUsage(), 120u);
  Model want = Contents();
  Model got;
  a->ForEach([&](std::string_view f, std::string_view v) { got[std::string(f)] = v; });
  EXPECT_EQ(got, want);
  std::string pa, pb;
  EXPECT_TRUE(a->AppendPacked(&pa));
  EXPECT_TRUE(h().AppendPacked(&pb));
  EXPECT_EQ(pa, pb);  // the same record either way
  // Loading the record shapes the hash again, up to 64 fields of the default 64-byte values.
  EXPECT_TRUE(HashObject::FromPacked(session.size(), pa)->shaped());
  std::vector<std::string> names, values;
  std::vector<HashObject::LoadEntry> wide;
  for (int i = 0; i < 64; ++i) {
    names.push_back("attribute:" + std::to_string(i));
    values.push_back(std::string(64, static_cast<char>('a' + i % 26)));
  }
  for (int i = 0; i < 64; ++i) wide.push_back({names[i], values[i], 0});
  std::unique_ptr<HashObject> w = HashObject::FromEntries(wide);
  ASSERT_TRUE(w->shaped());
  std::string pw;
  ASSERT_TRUE(w->AppendPacked(&pw));
  std::unique_ptr<HashObject> back = HashObject::FromPacked(64, pw);
  ASSERT_NE(back, nullptr);
  EXPECT_TRUE(back->shaped());
  EXPECT_EQ(back->CheckInvariants(), "");
}

// ---- Field expiry. ----------------------------------------------------------------------------

class HashTtlTest : public HashTest, public ::testing::WithParamInterface<bool> {
 protected:
  // Parameter: large encoding.
  void SetUp() override {
    if (GetParam()) Fill(200, 1000);
    ASSERT_EQ(h().encoding(), GetParam() ? Encoding::kHashtable : Encoding::kListpack);
  }
  FieldExpireResult Expire(std::string_view f, int64_t at,
                           FieldExpireCondition c = FieldExpireCondition::kAlways,
                           int64_t now = 1000) {
    return HashObject::SetFieldExpiry(obj_, f, at, c, now);
  }
};

TEST_P(HashTtlTest, VisibleAtItsExpiryGoneOneMillisecondLater) {
  Set("a", "1");
  Set("b", "2");
  EXPECT_EQ(Expire("a", 5000), FieldExpireResult::kSet);
  EXPECT_EQ(h().FieldExpireMs("a"), 5000);
  EXPECT_EQ(h().MinFieldExpiry(), 5000);
  EXPECT_FALSE(h().HasExpiredFields(4999));
  EXPECT_FALSE(h().HasExpiredFields(5000));
  EXPECT_EQ(mut().ExpireFields(5000, SIZE_MAX), 0u);
  EXPECT_TRUE(h().Exists("a"));
  EXPECT_TRUE(h().HasExpiredFields(5001));
  EXPECT_EQ(mut().ExpireFields(5001, SIZE_MAX), 1u);
  EXPECT_FALSE(h().Exists("a"));
  EXPECT_TRUE(h().Exists("b"));
  EXPECT_EQ(h().MinFieldExpiry(), 0);
  EXPECT_FALSE(h().HasExpiredFields(INT64_MAX));
  Check();
}

TEST_P(HashTtlTest, ConditionsFollowRedis74) {
  Set("a", "1");
  // No expiry yet: XX and GT fail, NX and LT set.
  EXPECT_EQ(Expire("a", 5000, FieldExpireCondition::kXx), FieldExpireResult::kNotMet);
  EXPECT_EQ(Expire("a", 5000, FieldExpireCondition::kGt), FieldExpireResult::kNotMet);
  EXPECT_EQ(Expire("a", 5000, FieldExpireCondition::kLt), FieldExpireResult::kSet);
  EXPECT_EQ(Expire("a", 6000, FieldExpireCondition::kNx), FieldExpireResult::kNotMet);
  EXPECT_EQ(Expire("a", 5000, FieldExpireCondition::kGt), FieldExpireResult::kNotMet);
  EXPECT_EQ(Expire("a", 6000, FieldExpireCondition::kGt), FieldExpireResult::kSet);
  EXPECT_EQ(Expire("a", 6000, FieldExpireCondition::kLt), FieldExpireResult::kNotMet);
  EXPECT_EQ(Expire("a", 4000, FieldExpireCondition::kLt), FieldExpireResult::kSet);
  EXPECT_EQ(Expire("a", 7000, FieldExpireCondition::kXx), FieldExpireResult::kSet);
  EXPECT_EQ(h().FieldExpireMs("a"), 7000);
  EXPECT_EQ(Expire("missing", 7000), FieldExpireResult::kNoField);
  // The condition is checked before the past-time deletion (Redis 7.4 order).
  EXPECT_EQ(Expire("a", 10, FieldExpireCondition::kNx), FieldExpireResult::kNotMet);
  EXPECT_TRUE(h().Exists("a"));
  // A time at or before now deletes.
  EXPECT_EQ(Expire("a", 1000, FieldExpireCondition::kAlways, 1000), FieldExpireResult::kDeleted);
  EXPECT_FALSE(h().Exists("a"));
  Check();
}

TEST_P(HashTtlTest, PersistAndSetModes) {
  Set("a", "1");
  EXPECT_EQ(mut().PersistField("a"), -1);
  EXPECT_EQ(mut().PersistField("zz"), -2);
  Expire("a", 5000);
  EXPECT_EQ(mut().PersistField("a"), 1);
  EXPECT_EQ(h().FieldExpireMs("a"), -1);
  Check();
  // kKeep keeps an expiry, kClear drops it, kSet sets it.
  Expire("a", 5000);
  EXPECT_FALSE(Set("a", "2", FieldTtl::kKeep));
  EXPECT_EQ(h().FieldExpireMs("a"), 5000);
  EXPECT_EQ(Get("a"), "2");
  EXPECT_FALSE(Set("a", "3"));
  EXPECT_EQ(h().FieldExpireMs("a"), -1);
  EXPECT_TRUE(Set("n", "x", FieldTtl::kKeep));
  EXPECT_EQ(h().FieldExpireMs("n"), -1);
  EXPECT_FALSE(Set("n", "y", FieldTtl::kSet, 9000));
  EXPECT_EQ(h().FieldExpireMs("n"), 9000);
  EXPECT_TRUE(Set("m", "z", FieldTtl::kSet, 8000));
  // A lower bound: "a"'s old expiry may linger.
  EXPECT_GE(h().MinFieldExpiry(), 5000);
  EXPECT_LE(h().MinFieldExpiry(), 8000);
  EXPECT_EQ(mut().ExpireFields(8001, SIZE_MAX), 1u);
  EXPECT_EQ(h().MinFieldExpiry(), 9000);
  Check();
}

TEST_P(HashTtlTest, ExpireFieldsHonoursMax) {
  for (int i = 0; i < 10; ++i) {
    Set("e" + std::to_string(i), "v");
    Expire("e" + std::to_string(i), 2000 + i);
  }
  const size_t before = h().Size();
  EXPECT_EQ(mut().ExpireFields(100000, 3), 3u);
  EXPECT_EQ(h().Size(), before - 3);
  EXPECT_TRUE(h().HasExpiredFields(100000));
  EXPECT_EQ(mut().ExpireFields(100000, SIZE_MAX), 7u);
  EXPECT_FALSE(h().HasExpiredFields(100000));
  Check();
}

TEST_P(HashTtlTest, ExpiryOfAFieldThatIsDeletedLeavesNothingBehind) {
  Set("a", "1");
  Expire("a", 5000);
  EXPECT_TRUE(HashObject::Delete(obj_, "a"));
  // The hint may still say 5000; the purge finds nothing and makes it exact.
  EXPECT_EQ(mut().ExpireFields(6000, SIZE_MAX), 0u);
  EXPECT_FALSE(h().HasExpiredFields(6000));
  EXPECT_EQ(h().MinFieldExpiry(), 0);
  Check();
}

INSTANTIATE_TEST_SUITE_P(Encodings, HashTtlTest, ::testing::Bool());

TEST_F(HashTest, ManyExpiriesInTheLargeEncoding) {
  std::mt19937 rng(7);
  std::map<std::string, int64_t> expiry;
  Fill(5000);
  for (int round = 0; round < 20000; ++round) {
    const std::string f = "f" + std::to_string(rng() % 5000);
    if (!h().Exists(f)) {
      Set(f, "again");
      expiry.erase(f);
    }
    if (rng() % 3 == 0) {
      mut().PersistField(f);
      expiry.erase(f);
    } else {
      const int64_t at = 10000 + rng() % 100000;
      HashObject::SetFieldExpiry(obj_, f, at, FieldExpireCondition::kAlways, 0);
      expiry[f] = at;
    }
  }
  Check();
  for (int64_t now = 10000; now <= 120000; now += 7919) {
    mut().ExpireFields(now, SIZE_MAX);
    for (auto it = expiry.begin(); it != expiry.end();) {
      if (it->second < now) {
        EXPECT_FALSE(h().Exists(it->first)) << it->first;
        it = expiry.erase(it);
      } else {
        EXPECT_EQ(h().FieldExpireMs(it->first), it->second);
        ++it;
      }
    }
    Check();
  }
}

// ---- Scan. ------------------------------------------------------------------------------------

TEST_F(HashTest, SmallScanReturnsEverythingAtOnce) {
  Fill(10);
  size_t n = 0;
  EXPECT_EQ(h().Scan(0, 1, [&](std::string_view, std::string_view) { ++n; }), 0u);
  EXPECT_EQ(n, 10u);
  n = 0;
  EXPECT_EQ(h().Scan(12345, 1, [&](std::string_view, std::string_view) { ++n; }), 0u);
  EXPECT_EQ(n, 10u);
}

TEST_F(HashTest, ScanOfAStableTableReturnsEachFieldOnce) {
  Fill(10000);
  std::map<std::string, int> seen;
  uint64_t cursor = 0;
  int calls = 0;
  do {
    cursor =
        h().Scan(cursor, 50, [&](std::string_view f, std::string_view) { ++seen[std::string(f)]; });
    ++calls;
  } while (cursor != 0 && calls < 100000);
  EXPECT_EQ(seen.size(), 10000u);
  for (const auto& [f, n] : seen) EXPECT_EQ(n, 1) << f;
  EXPECT_GT(calls, 10000 / 50 / 2);
}

// Fields present for the whole scan are returned at least once while the table grows (doubling
// its directory many times) and shrinks between calls.
class HashScanGrowTest : public HashTest, public ::testing::WithParamInterface<int> {};

TEST_P(HashScanGrowTest, GuaranteeHoldsWhileTheTableChanges) {
  std::mt19937 rng(GetParam());
  Fill(300);  // the fields that stay for the whole scan: f0..f299
  std::set<std::string> seen;
  uint64_t cursor = 0;
  size_t next_new = 100000;
  std::vector<std::string> added;
  int calls = 0;
  do {
    cursor = h().Scan(cursor, 1 + rng() % 20,
                      [&](std::string_view f, std::string_view) { seen.emplace(f); });
    ++calls;
    // Grow fast at first, then shrink.
    if (calls < 40) {
      for (int i = 0; i < 200; ++i) {
        added.push_back("f" + std::to_string(next_new++));
        Set(added.back(), "x");
      }
    } else {
      for (int i = 0; i < 150 && !added.empty(); ++i) {
        HashObject::Delete(obj_, added.back());
        added.pop_back();
      }
    }
  } while (cursor != 0 && calls < 100000);
  ASSERT_EQ(cursor, 0u);
  for (int i = 0; i < 300; ++i) EXPECT_TRUE(seen.count("f" + std::to_string(i))) << i;
  Check();
}

INSTANTIATE_TEST_SUITE_P(Seeds, HashScanGrowTest, ::testing::Range(1, 5));

// ---- Random sampling. -------------------------------------------------------------------------

TEST_F(HashTest, RandomDistinctAndWithReplacement) {
  for (size_t size : {5u, 100u, 5000u}) {
    obj_ = HashObject::New();
    Fill(size);
    uint64_t rng = 42;
    for (size_t n : {size_t{1}, size / 2, size - 1, size, size + 10}) {
      std::set<std::string> got;
      size_t calls = 0;
      h().RandomDistinct(n, &rng, [&](std::string_view f, std::string_view v) {
        ++calls;
        EXPECT_EQ(v, "v" + std::string(f.substr(1)));
        got.emplace(f);
      });
      EXPECT_EQ(calls, std::min(n, size));
      EXPECT_EQ(got.size(), std::min(n, size));
    }
    size_t calls = 0;
    h().RandomWithReplacement(3 * size, &rng, [&](std::string_view f, std::string_view v) {
      ++calls;
      EXPECT_EQ(v, "v" + std::string(f.substr(1)));
    });
    EXPECT_EQ(calls, 3 * size);
  }
}

TEST_F(HashTest, RandomIsRoughlyUniformInTheLargeEncoding) {
  Fill(64);
  Fill(1000, 64);
  ASSERT_EQ(h().encoding(), Encoding::kHashtable);
  std::map<std::string, int> hits;
  uint64_t rng = 1;
  const int draws = 200000;
  h().RandomWithReplacement(draws, &rng,
                            [&](std::string_view f, std::string_view) { ++hits[std::string(f)]; });
  // 1064 fields, ~188 draws each: every field drawn, none wildly over- or under-drawn.
  EXPECT_EQ(hits.size(), 1064u);
  for (const auto& [f, n] : hits) {
    EXPECT_GT(n, 90) << f;
    EXPECT_LT(n, 300) << f;
  }
}

// ---- Memory. ----------------------------------------------------------------------------------

TEST_F(HashTest, MemoryUsageTracksTheBlocks) {
  const size_t empty = h().MemoryUsage();
  EXPECT_EQ(empty, AllocSize(obj_.get()));
  Fill(10);
  EXPECT_EQ(h().MemoryUsage(), AllocSize(obj_.get()));
  EXPECT_GT(h().MemoryUsage(), empty);
  // 100k fields of 13 + 13 bytes in the large encoding: the entry bytes plus a few per field.
  obj_ = HashObject::New();
  char f[32], v[32];
  for (int i = 0; i < 100000; ++i) {
    snprintf(f, sizeof(f), "field:%07d", i);
    snprintf(v, sizeof(v), "value:%07d", i);
    Set(f, v);
  }
  const double per_field = static_cast<double>(h().MemoryUsage()) / 100000;
  EXPECT_GT(per_field, 28.0);  // 2 tags + 26 bytes
  EXPECT_LT(per_field, 40.0);
  Check();  // includes the accounting check
  for (int i = 0; i < 100000; i += 2) {
    snprintf(f, sizeof(f), "field:%07d", i);
    HashObject::Delete(obj_, f);
  }
  Check();
  EXPECT_LT(static_cast<double>(h().MemoryUsage()) / 50000, 45.0);
}

// ---- Through the engine. ------------------------------------------------------------------------

TEST(HashEngineTest, UpdateObjectAccountsAndDeletesEmptyHashes) {
  ManualClock clock;
  EngineOptions options;
  options.databases = 1;
  options.shards_per_db = 1;
  Engine engine(options, &clock);
  const size_t base = engine.UsedMemory();
  ASSERT_EQ(engine.UpdateObject(0, "h", ValueType::kHash,
                                [](std::unique_ptr<Object>& obj) {
                                  obj = HashObject::New();
                                  for (int i = 0; i < 1000; ++i) {
                                    HashObject::Set(obj, "f" + std::to_string(i), "v");
                                  }
                                }),
            OpStatus::kOk);
  auto info = engine.GetObjectInfo(0, "h");
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info->encoding, Encoding::kHashtable);
  EXPECT_GT(engine.UsedMemory(), base + 1000 * 4);
  ASSERT_EQ(engine.UpdateObject(0, "h", ValueType::kHash,
                                [](std::unique_ptr<Object>& obj) {
                                  for (int i = 0; i < 1000; ++i) {
                                    HashObject::Delete(obj, "f" + std::to_string(i));
                                  }
                                }),
            OpStatus::kOk);
  EXPECT_FALSE(engine.Exists(0, "h"));
  EXPECT_EQ(engine.UsedMemory(), base);
}

}  // namespace
}  // namespace ringkv::engine
