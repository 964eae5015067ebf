// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Engine::EvictOne by policy: which keys may go (volatile-* never touch keys without a TTL),
// LRU prefers idle keys, volatile-ttl the soonest expiry, noeviction and the LFU names remove
// nothing; ApproxUsedMemory follows the data without locks.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

class EvictionTest : public EngineTest {
 protected:
  EvictionTest() { engine_->SetMemoryTracking(true); }
};

TEST_F(EvictionTest, PolicyNamesRoundTrip) {
  for (const char* n : {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random",
                        "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    EvictionPolicy p;
    ASSERT_TRUE(ParseEvictionPolicy(n, &p)) << n;
    EXPECT_EQ(EvictionPolicyName(p), n);
  }
  EvictionPolicy p;
  EXPECT_TRUE(ParseEvictionPolicy("ALLKEYS-LRU", &p));
  EXPECT_FALSE(ParseEvictionPolicy("allkeys-lru2", &p));
  EXPECT_FALSE(ParseEvictionPolicy("", &p));
}

TEST_F(EvictionTest, NothingToEvict) {
  uint64_t rng = 1;
  Engine::Evicted out;
  EXPECT_FALSE(engine_->EvictOne(EvictionPolicy::kAllKeysRandom, 5, &rng, &out));
  Set("a", "1");
  EXPECT_FALSE(engine_->EvictOne(EvictionPolicy::kNoEviction, 5, &rng, &out));
  EXPECT_FALSE(engine_->EvictOne(EvictionPolicy::kAllKeysLfu, 5, &rng, &out));
  // volatile-* never touch a key without a TTL.
  for (auto p : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileRandom,
                 EvictionPolicy::kVolatileTtl}) {
    EXPECT_FALSE(engine_->EvictOne(p, 5, &rng, &out));
  }
  EXPECT_EQ(Get("a"), "1");
}

TEST_F(EvictionTest, VolatilePoliciesTakeOnlyKeysWithATtl) {
  const int64_t now = clock_.NowMs();
  for (int i = 0; i < 200; ++i) {
    SetParams p;
    if (i % 2 == 0) p.expire_at_ms = now + 1000000 + i;
    ASSERT_EQ(engine_->Set(i % 3, "k" + std::to_string(i), "v", p), OpStatus::kOk);
  }
  uint64_t rng = 7;
  for (auto policy : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileRandom,
                      EvictionPolicy::kVolatileTtl}) {
    for (int n = 0; n < 30; ++n) {
      Engine::Evicted out;
      ASSERT_TRUE(engine_->EvictOne(policy, 5, &rng, &out));
      const int i = std::stoi(out.key.substr(1));
      EXPECT_EQ(i % 2, 0) << out.key;
      EXPECT_EQ(out.db, i % 3);
      EXPECT_GT(out.bytes, 0u);
    }
  }
  // 100 keys had a TTL; 90 went. Keep going: the last ten go, then nothing qualifies.
  Engine::Evicted out;
  int more = 0;
  while (engine_->EvictOne(EvictionPolicy::kVolatileRandom, 5, &rng, &out)) ++more;
  EXPECT_EQ(more, 10);
  size_t left = 0;
  for (int db = 0; db < 3; ++db) left += engine_->DbSize(db);
  EXPECT_EQ(left, 100u);
  EXPECT_EQ(engine_->Stats().totals.evicted_keys, 100u);
}

TEST_F(EvictionTest, LruPrefersIdleKeysAndTtlTheSoonestExpiry) {
  const int64_t now = clock_.NowMs();
  for (int i = 0; i < 100; ++i) Set("old" + std::to_string(i), "v");
  clock_.Advance(600 * 1000);  // ten minutes later
  for (int i = 0; i < 100; ++i) Set("new" + std::to_string(i), "v");
  uint64_t rng = 3;
  int old_first = 0;
  for (int n = 0; n < 50; ++n) {
    Engine::Evicted out;
    ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kAllKeysLru, 16, &rng, &out));
    old_first += out.key.rfind("old", 0) == 0 ? 1 : 0;
  }
  // With 16 samples from each of up to four shards, an idle key is almost always among them.
  EXPECT_GE(old_first, 48);

  engine_->FlushAll(false);
  for (int i = 0; i < 64; ++i) {
    SetParams p;
    p.expire_at_ms = now + 10000000 + 1000 * i;
    ASSERT_EQ(engine_->Set(0, "t" + std::to_string(i), "v", p), OpStatus::kOk);
  }
  Engine::Evicted out;
  ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kVolatileTtl, 64, &rng, &out));
  // Every key of a shard is sampled (64 samples, fewer keys per shard), so the soonest of the
  // sampled shards goes: one of the first few.
  EXPECT_LT(std::stoi(out.key.substr(1)), 16) << out.key;
}

// Shards are drawn in proportion to their keys: with 16 shards per database and 256 in all, an
// LRU eviction still finds the idle keys of every shard (drawing shards uniformly from a random
// start used to drain the first few shards and then evict fresh keys there).
TEST(EvictionShardsTest, LruFindsIdleKeysInEveryShard) {
  ManualClock clock;
  Engine engine(EngineOptions{}, &clock);
  engine.SetMemoryTracking(true);
  const std::string v(100, 'v');
  for (int i = 0; i < 1500; ++i) engine.Set(0, "old" + std::to_string(i), v, {});
  clock.Advance(3000);
  uint64_t rng = 42;
  int new_evicted = 0;
  for (int i = 0; i < 1500; ++i) {
    engine.Set(0, "new" + std::to_string(i), v, {});
    while (engine.DbSize(0) > 2000) {
      Engine::Evicted out;
      ASSERT_TRUE(engine.EvictOne(EvictionPolicy::kAllKeysLru, 10, &rng, &out));
      new_evicted += out.key.rfind("new", 0) == 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(new_evicted, 0);
  EXPECT_EQ(engine.Stats().totals.evicted_keys, 1000u);
}

TEST_F(EvictionTest, ApproxUsedMemoryFollowsTheData) {
  EXPECT_EQ(engine_->ApproxUsedMemory(), engine_->UsedMemory());
  for (int i = 0; i < 1000; ++i) Set("key" + std::to_string(i), std::string(100, 'x'));
  const size_t full = engine_->ApproxUsedMemory();
  EXPECT_EQ(full, engine_->UsedMemory());
  EXPECT_GT(full, 100u * 1000u);
  uint64_t rng = 5;
  Engine::Evicted out;
  size_t freed = 0;
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kAllKeysRandom, 5, &rng, &out));
    freed += out.bytes;
  }
  EXPECT_LE(engine_->ApproxUsedMemory(), full - freed + 4096);  // tables may shrink too
  EXPECT_EQ(engine_->ApproxUsedMemory(), engine_->UsedMemory());
}

}  // namespace
}  // namespace ringkv::engine
