// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SCAN/KEYS/RANDOMKEY through the Engine: cursors spanning shards, MATCH/COUNT/TYPE, and the
// guarantee (every key present throughout is returned) while the keyspace grows and shrinks.
#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using ScanTest = EngineTest;

std::set<std::string> FullScan(Engine& e, int db, const ScanOptions& o, size_t* calls = nullptr) {
  std::set<std::string> out;
  uint64_t c = 0;
  size_t n = 0;
  do {
    c = e.Scan(db, c, o, [&](std::string_view k) { out.emplace(k); });
    ++n;
  } while (c != 0 && n < 1000000);
  if (calls) *calls = n;
  return out;
}

TEST_F(ScanTest, EmptyDatabaseScansToZero) {
  size_t calls = 0;
  EXPECT_TRUE(FullScan(*engine_, 0, {}, &calls).empty());
  EXPECT_EQ(calls, 1u);
}

TEST_F(ScanTest, ReturnsEveryKeyOnceWithMatchCountAndType) {
  for (int i = 0; i < 1000; ++i) Set("user:" + std::to_string(i), "v");
  for (int i = 0; i < 100; ++i) Set("other:" + std::to_string(i), "v");
  engine_->SetObject(0, "user:list", ValueType::kList, std::make_unique<FakeList>());
  ScanOptions all;
  all.count = 7;
  size_t calls = 0;
  EXPECT_EQ(FullScan(*engine_, 0, all, &calls).size(), 1101u);
  EXPECT_GT(calls, 20u);  // COUNT bounds each call's work
  ScanOptions m;
  m.pattern = "user:1*";
  m.count = 100;
  EXPECT_EQ(FullScan(*engine_, 0, m).size(), 111u);
  ScanOptions t;
  t.type = ValueType::kList;
  EXPECT_EQ(FullScan(*engine_, 0, t), std::set<std::string>{"user:list"});
  std::set<std::string> keys;
  engine_->Keys(0, "other:?", [&](std::string_view k) { keys.emplace(k); });
  EXPECT_EQ(keys.size(), 10u);
}

TEST_F(ScanTest, GuaranteeHoldsWhileKeyspaceGrowsAndShrinks) {
  std::mt19937 rng(42);
  std::set<std::string> stable;
  std::set<std::string> ever;
  for (int i = 0; i < 2000; ++i) {
    std::string k = "s" + std::to_string(i);
    Set(k, "v");
    stable.insert(k);
  }
  ever = stable;
  std::set<std::string> got;
  uint64_t cursor = 0;
  int step = 0;
  ScanOptions o;
  o.count = 20;
  do {
    cursor = engine_->Scan(0, cursor, o, [&](std::string_view k) { got.emplace(k); });
    ++step;
    bool grow = (step / 30) % 2 == 0;
    for (int j = 0; j < 300; ++j) {
      std::string k = "t" + std::to_string(rng() % 50000);
      if (grow) {
        Set(k, "v");
        ever.insert(k);
      } else {
        engine_->Del(0, k);
      }
    }
  } while (cursor != 0 && step < 100000);
  for (const auto& k : stable) ASSERT_TRUE(got.count(k)) << k;
  for (const auto& k : got) ASSERT_TRUE(ever.count(k)) << k;
}

TEST_F(ScanTest, RandomKeyReturnsExistingKeys) {
  EXPECT_EQ(engine_->RandomKey(0), std::nullopt);
  for (int i = 0; i < 50; ++i) Set("k" + std::to_string(i), "v");
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    auto k = engine_->RandomKey(0);
    ASSERT_TRUE(k.has_value());
    ASSERT_TRUE(engine_->Exists(0, *k));
    seen.insert(*k);
  }
  EXPECT_GT(seen.size(), 25u);
}

TEST(ScanSingleShardTest, CursorWorksWithOneShard) {
  ManualClock clock;
  EngineOptions o;
  o.shards_per_db = 1;
  Engine e(o, &clock);
  for (int i = 0; i < 500; ++i) e.Set(0, std::to_string(i), "v", {});
  ScanOptions so;
  so.count = 3;
  EXPECT_EQ(FullScan(e, 0, so).size(), 500u);
}

}  // namespace
}  // namespace ringkv::engine
