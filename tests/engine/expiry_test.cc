// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Expiry with a ManualClock: lazy expiry on access, the active cycle (bounded, repeating while
// many sampled keys are stale, never early), TTL/PTTL/EXPIRETIME replies and EXPIRE's
// NX/XX/GT/LT options.
#include <gtest/gtest.h>

#include <string>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using ExpiryTest = EngineTest;

TEST_F(ExpiryTest, LazyExpiryIsExactToTheMillisecondAndNeverEarly) {
  Set("k", "v");
  int64_t at = clock_.NowMs() + 1500;
  ASSERT_EQ(engine_->Expire(0, "k", at, ExpireCondition::kAlways), OpStatus::kOk);
  clock_.Set(at - 1);
  EXPECT_EQ(engine_->PTtl(0, "k"), 1);
  clock_.Set(at);
  EXPECT_EQ(Get("k"), "v");  // Redis: expired only once now > expire time
  EXPECT_EQ(engine_->PTtl(0, "k"), 0);
  clock_.Set(at + 1);
  EXPECT_EQ(Get("k"), std::nullopt);
  EXPECT_EQ(engine_->PTtl(0, "k"), -2);
  EXPECT_EQ(engine_->DbSize(0), 0u);  // reclaimed by the access
  EXPECT_EQ(engine_->Stats().totals.expired_keys, 1u);
}

TEST_F(ExpiryTest, TtlRepliesForMissingAndPersistentKeys) {
  EXPECT_EQ(engine_->PTtl(0, "none"), -2);
  EXPECT_EQ(engine_->ExpireTimeMs(0, "none"), -2);
  Set("p", "v");
  EXPECT_EQ(engine_->PTtl(0, "p"), -1);
  EXPECT_EQ(engine_->ExpireTimeMs(0, "p"), -1);
  int64_t at = clock_.NowMs() + 42000;
  ASSERT_EQ(engine_->Expire(0, "p", at, ExpireCondition::kAlways), OpStatus::kOk);
  EXPECT_EQ(engine_->ExpireTimeMs(0, "p"), at);
  EXPECT_EQ(engine_->PTtl(0, "p"), 42000);
  EXPECT_EQ(engine_->Persist(0, "p"), OpStatus::kOk);
  EXPECT_EQ(engine_->Persist(0, "p"), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Persist(0, "none"), OpStatus::kNotFound);
  EXPECT_EQ(engine_->PTtl(0, "p"), -1);
}

TEST_F(ExpiryTest, ExpireInThePastDeletes) {
  Set("k", "v");
  EXPECT_EQ(engine_->Expire(0, "k", clock_.NowMs(), ExpireCondition::kAlways), OpStatus::kOk);
  EXPECT_FALSE(engine_->Exists(0, "k"));
  Set("k", "v");
  EXPECT_EQ(engine_->Expire(0, "k", -5000, ExpireCondition::kAlways), OpStatus::kOk);
  EXPECT_FALSE(engine_->Exists(0, "k"));
  EXPECT_EQ(engine_->Expire(0, "k", clock_.NowMs() + 10, ExpireCondition::kAlways),
            OpStatus::kNotFound);
}

TEST_F(ExpiryTest, ExpireConditionsTreatNoTtlAsInfinite) {
  int64_t now = clock_.NowMs();
  Set("k", "v");
  EXPECT_EQ(engine_->Expire(0, "k", now + 100, ExpireCondition::kXx), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Expire(0, "k", now + 100, ExpireCondition::kGt), OpStatus::kSkipped);
  EXPECT_EQ(engine_->PTtl(0, "k"), -1);
  EXPECT_EQ(engine_->Expire(0, "k", now + 100, ExpireCondition::kLt), OpStatus::kOk);
  EXPECT_EQ(engine_->Expire(0, "k", now + 200, ExpireCondition::kNx), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Expire(0, "k", now + 200, ExpireCondition::kLt), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Expire(0, "k", now + 100, ExpireCondition::kGt), OpStatus::kSkipped);
  EXPECT_EQ(engine_->Expire(0, "k", now + 200, ExpireCondition::kGt), OpStatus::kOk);
  EXPECT_EQ(engine_->Expire(0, "k", now + 50, ExpireCondition::kXx), OpStatus::kOk);
  EXPECT_EQ(engine_->PTtl(0, "k"), 50);
  Set("n", "v");
  EXPECT_EQ(engine_->Expire(0, "n", now + 300, ExpireCondition::kNx), OpStatus::kOk);
  EXPECT_EQ(engine_->PTtl(0, "n"), 300);
}

TEST_F(ExpiryTest, ActiveCycleRemovesExpiredKeysWithoutAccess) {
  int64_t now = clock_.NowMs();
  for (int i = 0; i < 2000; ++i) {
    std::string k = "t" + std::to_string(i);
    Set(k, "v");
    // Half expire at +1000, half at +100000.
    ASSERT_EQ(engine_->Expire(0, k, now + (i % 2 ? 1000 : 100000), ExpireCondition::kAlways),
              OpStatus::kOk);
  }
  for (int i = 0; i < 500; ++i) Set("p" + std::to_string(i), "v");
  // Nothing is due yet: the cycle must not delete anything (never early).
  ExpireCycleOptions opt;
  opt.time_budget_us = 0;
  ExpireCycleResult r = engine_->ActiveExpireCycle(opt);
  EXPECT_EQ(r.expired, 0u);
  EXPECT_GT(r.sampled, 0u);
  EXPECT_EQ(engine_->DbSize(0), 2500u);
  clock_.Advance(1001);
  size_t total = 0;
  for (int tick = 0; tick < 200 && engine_->DbSize(0) > 1500; ++tick) {
    total += engine_->ActiveExpireCycle(opt).expired;
  }
  EXPECT_EQ(total, 1000u);
  EXPECT_EQ(engine_->DbSize(0), 1500u);
  for (int i = 0; i < 500; ++i) EXPECT_TRUE(engine_->Exists(0, "p" + std::to_string(i)));
  EXPECT_EQ(engine_->Keyspace(0).expires, 1000u);
}

TEST_F(ExpiryTest, AverageTtlIsEstimatedByTheExpireCycle) {
  EXPECT_EQ(engine_->Keyspace(0).avg_ttl_ms, 0);
  int64_t now = clock_.NowMs();
  for (int i = 0; i < 1000; ++i) {
    std::string k = "k" + std::to_string(i);
    Set(k, "v");
    ASSERT_EQ(engine_->Expire(0, k, now + 60000, ExpireCondition::kAlways), OpStatus::kOk);
  }
  ExpireCycleOptions opt;
  opt.time_budget_us = 0;
  engine_->ActiveExpireCycle(opt);
  // Every sampled key has 60 s left; the first estimate is taken as is.
  EXPECT_EQ(engine_->Keyspace(0).avg_ttl_ms, 60000);
  clock_.Advance(30000);
  // One round moves the estimate by 1/50 of the difference; many rounds converge on it.
  engine_->ActiveExpireCycle(opt);
  int64_t avg = engine_->Keyspace(0).avg_ttl_ms;
  EXPECT_LT(avg, 60000);
  EXPECT_GT(avg, 30000);
  for (int i = 0; i < 500; ++i) engine_->ActiveExpireCycle(opt);
  EXPECT_NEAR(engine_->Keyspace(0).avg_ttl_ms, 30000, 1000);
  engine_->FlushDb(0, false);
  EXPECT_EQ(engine_->Keyspace(0).avg_ttl_ms, 0);
}

TEST_F(ExpiryTest, ActiveCycleRepeatsWhileMostSamplesAreStaleAndRespectsWorkBudget) {
  int64_t now = clock_.NowMs();
  for (int i = 0; i < 4000; ++i) {
    std::string k = std::to_string(i);
    Set(k, "v");
    ASSERT_EQ(engine_->Expire(0, k, now + 10, ExpireCondition::kAlways), OpStatus::kOk);
  }
  clock_.Advance(11);
  ExpireCycleOptions opt;
  opt.time_budget_us = 0;
  opt.max_sampled = 100;
  ExpireCycleResult r = engine_->ActiveExpireCycle(opt);
  EXPECT_TRUE(r.budget_exhausted);
  EXPECT_LE(r.sampled, 100u);
  EXPECT_GT(r.expired, 80u);
  // Without a work limit, one call keeps going round after round on a fully stale shard.
  opt.max_sampled = SIZE_MAX;
  r = engine_->ActiveExpireCycle(opt);
  EXPECT_GT(r.expired, 1000u);
}

TEST_F(ExpiryTest, ExpiredKeysAreInvisibleToEveryRead) {
  Set("k", "v");
  ASSERT_EQ(engine_->Expire(0, "k", clock_.NowMs() + 1, ExpireCondition::kAlways), OpStatus::kOk);
  clock_.Advance(2);
  EXPECT_EQ(engine_->Type(0, "k"), ValueType::kNone);
  EXPECT_EQ(engine_->StrLen(0, "k").value(), 0u);
  EXPECT_EQ(engine_->GetObjectInfo(0, "k").status(), OpStatus::kNotFound);
  EXPECT_EQ(engine_->Rename(0, "k", "j", false), OpStatus::kNotFound);
  std::vector<std::string> keys;
  engine_->Keys(0, "*", [&](std::string_view k) { keys.emplace_back(k); });
  EXPECT_TRUE(keys.empty());
  EXPECT_EQ(engine_->RandomKey(0), std::nullopt);
  SetParams nx;
  nx.condition = SetParams::Condition::kIfAbsent;
  Set("k2", "v");
  ASSERT_EQ(engine_->Expire(0, "k2", clock_.NowMs() + 1, ExpireCondition::kAlways), OpStatus::kOk);
  clock_.Advance(2);
  EXPECT_EQ(engine_->Set(0, "k2", "new", nx), OpStatus::kOk);  // NX sees it as absent
  EXPECT_EQ(engine_->PTtl(0, "k2"), -1);
}

TEST_F(ExpiryTest, IncrOnExpiredKeyStartsFromZero) {
  Set("n", "41");
  ASSERT_EQ(engine_->Expire(0, "n", clock_.NowMs() + 5, ExpireCondition::kAlways), OpStatus::kOk);
  clock_.Advance(6);
  EXPECT_EQ(*engine_->IncrBy(0, "n", 1), 1);
  EXPECT_EQ(engine_->PTtl(0, "n"), -1);
}

}  // namespace
}  // namespace ringkv::engine
