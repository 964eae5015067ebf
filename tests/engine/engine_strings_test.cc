// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// String operations: edge cases of every command's engine call, checked against Redis 7.0's
// replies (redis-server from Debian gave the expected values).
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using StringsTest = EngineTest;

TEST_F(StringsTest, SetGetOverwrite) {
  EXPECT_EQ(Get("a"), std::nullopt);
  Set("a", "1");
  EXPECT_EQ(Get("a"), "1");
  Set("a", "hello");
  EXPECT_EQ(Get("a"), "hello");
  Set("", "");
  EXPECT_EQ(Get(""), "");
  std::string huge(1 << 20, 'h');
  Set("huge", huge);
  EXPECT_EQ(Get("huge"), huge);
  Set("huge", "small");
  EXPECT_EQ(Get("huge"), "small");
  std::string bin("a\0b\r\n", 5);
  Set(bin, bin);
  EXPECT_EQ(Get(bin), bin);
}

TEST_F(StringsTest, SetConditions) {
  SetParams nx;
  nx.condition = SetParams::Condition::kIfAbsent;
  SetParams xx;
  xx.condition = SetParams::Condition::kIfPresent;
  EXPECT_EQ(engine_->Set(0, "k", "v", xx), OpStatus::kSkipped);
  EXPECT_EQ(Get("k"), std::nullopt);
  EXPECT_EQ(engine_->Set(0, "k", "v", nx), OpStatus::kOk);
  EXPECT_EQ(engine_->Set(0, "k", "w", nx), OpStatus::kSkipped);
  EXPECT_EQ(Get("k"), "v");
  EXPECT_EQ(engine_->Set(0, "k", "w", xx), OpStatus::kOk);
  EXPECT_EQ(Get("k"), "w");
}

TEST_F(StringsTest, SetWithGetReturnsOldValueAndRefusesWrongType) {
  std::optional<std::string> old;
  EXPECT_EQ(engine_->Set(0, "k", "1", SetParams{}, &old), OpStatus::kOk);
  EXPECT_EQ(old, std::nullopt);
  EXPECT_EQ(engine_->Set(0, "k", "2", SetParams{}, &old), OpStatus::kOk);
  EXPECT_EQ(old, "1");
  SetParams nx;
  nx.condition = SetParams::Condition::kIfAbsent;
  EXPECT_EQ(engine_->Set(0, "k", "3", nx, &old), OpStatus::kSkipped);
  EXPECT_EQ(old, "2");  // SET NX GET still returns the old value
  engine_->SetObject(0, "list", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->Set(0, "list", "x", SetParams{}, &old), OpStatus::kWrongType);
  EXPECT_EQ(engine_->Type(0, "list"), ValueType::kList);                // nothing written
  EXPECT_EQ(engine_->Set(0, "list", "x", SetParams{}), OpStatus::kOk);  // plain SET replaces
  EXPECT_EQ(Get("list"), "x");
}

TEST_F(StringsTest, SetExpiryAndKeepTtl) {
  int64_t now = clock_.NowMs();
  SetParams px;
  px.expire_at_ms = now + 1000;
  ASSERT_EQ(engine_->Set(0, "k", "v", px), OpStatus::kOk);
  EXPECT_EQ(engine_->PTtl(0, "k"), 1000);
  Set("k", "v2");  // plain SET clears the TTL
  EXPECT_EQ(engine_->PTtl(0, "k"), -1);
  ASSERT_EQ(engine_->Set(0, "k", "v", px), OpStatus::kOk);
  SetParams keep;
  keep.keep_ttl = true;
  ASSERT_EQ(engine_->Set(0, "k", "v3", keep), OpStatus::kOk);
  EXPECT_EQ(engine_->PTtl(0, "k"), 1000);
  EXPECT_EQ(Get("k"), "v3");
  SetParams past;
  past.expire_at_ms = now - 1;
  ASSERT_EQ(engine_->Set(0, "k", "v4", past), OpStatus::kOk);
  EXPECT_EQ(Get("k"), std::nullopt);  // SET ... PXAT <past>: OK, and the key is gone
  EXPECT_EQ(engine_->DbSize(0), 0u);
}

TEST_F(StringsTest, GetDelAndGetEx) {
  EXPECT_EQ(engine_->GetDel(0, "k").status(), OpStatus::kNotFound);
  Set("k", "v");
  auto r = engine_->GetDel(0, "k");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "v");
  EXPECT_FALSE(engine_->Exists(0, "k"));

  Set("k", "v");
  GetExParams ex;
  ex.mode = GetExParams::Mode::kSetExpire;
  ex.expire_at_ms = clock_.NowMs() + 5000;
  EXPECT_EQ(*engine_->GetEx(0, "k", ex), "v");
  EXPECT_EQ(engine_->PTtl(0, "k"), 5000);
  GetExParams persist;
  persist.mode = GetExParams::Mode::kPersist;
  EXPECT_EQ(*engine_->GetEx(0, "k", persist), "v");
  EXPECT_EQ(engine_->PTtl(0, "k"), -1);
  ex.expire_at_ms = clock_.NowMs();
  EXPECT_EQ(*engine_->GetEx(0, "k", ex), "v");
  EXPECT_FALSE(engine_->Exists(0, "k"));  // GETEX with a time not in the future deletes
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->GetEx(0, "l", {}).status(), OpStatus::kWrongType);
  EXPECT_EQ(engine_->GetDel(0, "l").status(), OpStatus::kWrongType);
}

TEST_F(StringsTest, MGetMSetMSetNx) {
  std::pair<std::string_view, std::string_view> kvs[] = {{"a", "1"}, {"b", "2"}, {"a", "3"}};
  engine_->MSet(0, kvs);
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  std::string_view keys[] = {"a", "b", "missing", "l"};
  std::vector<std::optional<std::string>> got(4);
  engine_->MGet(0, keys, [&](size_t i, std::optional<std::string_view> v) {
    if (v) got[i].emplace(*v);
  });
  EXPECT_EQ(got[0], "3");  // later duplicates win
  EXPECT_EQ(got[1], "2");
  EXPECT_EQ(got[2], std::nullopt);
  EXPECT_EQ(got[3], std::nullopt);  // MGET answers nil for a non-string
  std::pair<std::string_view, std::string_view> nx1[] = {{"x", "1"}, {"b", "9"}};
  EXPECT_FALSE(engine_->MSetNx(0, nx1));
  EXPECT_FALSE(engine_->Exists(0, "x"));
  EXPECT_EQ(Get("b"), "2");
  std::pair<std::string_view, std::string_view> nx2[] = {{"x", "1"}, {"y", "2"}};
  EXPECT_TRUE(engine_->MSetNx(0, nx2));
  EXPECT_EQ(Get("y"), "2");
}

TEST_F(StringsTest, IncrementsAndLimits) {
  EXPECT_EQ(*engine_->IncrBy(0, "n", 1), 1);
  EXPECT_EQ(*engine_->IncrBy(0, "n", -5), -4);
  EXPECT_EQ(*engine_->DecrBy(0, "n", 6), -10);
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  Set("n", "9223372036854775806");
  EXPECT_EQ(*engine_->IncrBy(0, "n", 1), kMax);
  EXPECT_EQ(engine_->IncrBy(0, "n", 1).status(), OpStatus::kOverflow);
  EXPECT_EQ(Get("n"), "9223372036854775807");  // unchanged after overflow
  Set("n", "-9223372036854775807");
  EXPECT_EQ(*engine_->DecrBy(0, "n", 1), kMin);
  EXPECT_EQ(engine_->DecrBy(0, "n", 1).status(), OpStatus::kOverflow);
  EXPECT_EQ(engine_->DecrBy(0, "z", kMin).status(), OpStatus::kOverflow);
  for (const char* bad : {"", "abc", " 1", "1 ", "01", "+1", "1.5", "9223372036854775808"}) {
    Set("s", bad);
    EXPECT_EQ(engine_->IncrBy(0, "s", 1).status(), OpStatus::kNotInteger) << bad;
  }
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->IncrBy(0, "l", 1).status(), OpStatus::kWrongType);
  // An integer held as raw (after APPEND) still increments, and TTL survives INCR.
  ASSERT_TRUE(engine_->Append(0, "r", "1").ok());
  ASSERT_TRUE(engine_->Append(0, "r", "0").ok());
  ASSERT_EQ(engine_->Expire(0, "r", clock_.NowMs() + 100000, ExpireCondition::kAlways),
            OpStatus::kOk);
  EXPECT_EQ(*engine_->IncrBy(0, "r", 5), 15);
  EXPECT_EQ(engine_->PTtl(0, "r"), 100000);
}

TEST_F(StringsTest, IncrByFloatFormatsLikeRedis) {
  EXPECT_EQ(*engine_->IncrByFloat(0, "f", 10.5L), "10.5");
  EXPECT_EQ(*engine_->IncrByFloat(0, "f", 0.1L), "10.6");
  Set("g", "5.0e3");
  EXPECT_EQ(*engine_->IncrByFloat(0, "g", 2.0e2L), "5200");
  Set("h", "1");
  EXPECT_EQ(*engine_->IncrByFloat(0, "h", -1.0L), "0");
  EXPECT_EQ(*engine_->IncrByFloat(0, "big", 1e20L), "100000000000000000000");
  Set("bad", "1x");
  EXPECT_EQ(engine_->IncrByFloat(0, "bad", 1).status(), OpStatus::kNotFloat);
  Set("sp", " 1");
  EXPECT_EQ(engine_->IncrByFloat(0, "sp", 1).status(), OpStatus::kNotFloat);
  long double inf;
  ASSERT_TRUE(ParseLongDouble("inf", &inf));
  EXPECT_EQ(engine_->IncrByFloat(0, "h", inf).status(), OpStatus::kNanOrInfinity);
  long double v;
  EXPECT_FALSE(ParseLongDouble("nan", &v));
  EXPECT_FALSE(ParseLongDouble("", &v));
  EXPECT_FALSE(ParseLongDouble(std::string_view("1.5\0\0", 5), &v));  // SETRANGE padding
  EXPECT_FALSE(ParseLongDouble("1e99999", &v));
  EXPECT_EQ(FormatLongDouble(-0.0L), "0");
  EXPECT_EQ(FormatLongDouble(3.0L), "3");
}

TEST_F(StringsTest, AppendStrlenGetRange) {
  EXPECT_EQ(*engine_->StrLen(0, "a"), 0u);
  EXPECT_EQ(*engine_->Append(0, "a", "hello"), 5u);
  EXPECT_EQ(*engine_->Append(0, "a", " world"), 11u);
  EXPECT_EQ(Get("a"), "hello world");
  EXPECT_EQ(*engine_->StrLen(0, "a"), 11u);
  std::string expect = "hello world";
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(engine_->Append(0, "a", "xyz").ok());
    expect += "xyz";
  }
  EXPECT_EQ(Get("a"), expect);
  auto info = engine_->GetObjectInfo(0, "a");
  EXPECT_EQ(info->encoding, Encoding::kRaw);
  Set("s", "Hello World");
  EXPECT_EQ(*engine_->GetRange(0, "s", 0, 3), "Hell");
  EXPECT_EQ(*engine_->GetRange(0, "s", -3, -1), "rld");
  EXPECT_EQ(*engine_->GetRange(0, "s", 0, -1), "Hello World");
  EXPECT_EQ(*engine_->GetRange(0, "s", 10, 100), "d");
  EXPECT_EQ(*engine_->GetRange(0, "s", 5, 3), "");
  EXPECT_EQ(*engine_->GetRange(0, "s", -1, -5), "");
  EXPECT_EQ(*engine_->GetRange(0, "s", -100, 2), "Hel");
  EXPECT_EQ(*engine_->GetRange(0, "missing", 0, -1), "");
  Set("i", "12345");
  EXPECT_EQ(*engine_->GetRange(0, "i", 1, 2), "23");
  EXPECT_EQ(*engine_->StrLen(0, "i"), 5u);
  engine_->SetObject(0, "l", ValueType::kList, std::make_unique<FakeList>());
  EXPECT_EQ(engine_->Append(0, "l", "x").status(), OpStatus::kWrongType);
  EXPECT_EQ(engine_->StrLen(0, "l").status(), OpStatus::kWrongType);
  EXPECT_EQ(engine_->GetRange(0, "l", 0, 1).status(), OpStatus::kWrongType);
}

TEST_F(StringsTest, SetRange) {
  EXPECT_EQ(*engine_->SetRange(0, "k", 0, ""), 0u);
  EXPECT_FALSE(engine_->Exists(0, "k"));  // empty value on a missing key creates nothing
  EXPECT_EQ(*engine_->SetRange(0, "k", 3, "abc"), 6u);
  EXPECT_EQ(Get("k"), std::string("\0\0\0abc", 6));
  EXPECT_EQ(*engine_->SetRange(0, "k", 1, "Z"), 6u);
  EXPECT_EQ(Get("k"), std::string("\0Z\0abc", 6));
  EXPECT_EQ(*engine_->SetRange(0, "k", 0, ""), 6u);
  EXPECT_EQ(engine_->SetRange(0, "k", -1, "x").status(), OpStatus::kOutOfRange);
  EXPECT_EQ(engine_->SetRange(0, "k", int64_t{512} << 20, "x").status(), OpStatus::kTooLarge);
  EXPECT_EQ(engine_->SetRange(0, "k", (int64_t{512} << 20) - 1, "xy").status(),
            OpStatus::kTooLarge);
  Set("n", "100");
  EXPECT_EQ(*engine_->SetRange(0, "n", 1, "5"), 3u);
  EXPECT_EQ(Get("n"), "150");
}

TEST(StringsLimitTest, AppendRefusesStringsOverTheLimit) {
  ManualClock clock;
  EngineOptions o;
  o.max_string_length = 10;
  Engine e(o, &clock);
  EXPECT_EQ(*e.Append(0, "k", "0123456789"), 10u);
  EXPECT_EQ(e.Append(0, "k", "x").status(), OpStatus::kTooLarge);
  EXPECT_EQ(e.SetRange(0, "k", 10, "x").status(), OpStatus::kTooLarge);
}

TEST_F(StringsTest, ToAbsoluteMsChecksOverflow) {
  EXPECT_EQ(*ToAbsoluteMs(10, true, true, 1000), 11000);
  EXPECT_EQ(*ToAbsoluteMs(10, false, true, 1000), 1010);
  EXPECT_EQ(*ToAbsoluteMs(10, true, false, 1000), 10000);
  EXPECT_EQ(ToAbsoluteMs(std::numeric_limits<int64_t>::max() / 100, true, false, 0).status(),
            OpStatus::kInvalidExpire);
  EXPECT_EQ(ToAbsoluteMs(std::numeric_limits<int64_t>::max() - 5, false, true, 10).status(),
            OpStatus::kInvalidExpire);
}

}  // namespace
}  // namespace ringkv::engine
