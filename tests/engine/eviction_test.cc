// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Engine::EvictOne by policy: which keys may go (volatile-* never touch keys without a TTL),
// LRU prefers idle keys, LFU rarely used ones, volatile-ttl the soonest expiry, noeviction
// removes nothing; the admission filter keeps a hot set through a scan; LFU data and OBJECT
// FREQ's counter; ApproxUsedMemory follows the data without locks.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

class EvictionTest : public EngineTest {
 protected:
  EvictionTest() { engine_->SetMemoryTracking(true); }
  Engine::EvictionPool pool_;
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
  EXPECT_FALSE(engine_->EvictOne(EvictionPolicy::kAllKeysRandom, 5, &rng, &pool_, &out));
  Set("a", "1");
  EXPECT_FALSE(engine_->EvictOne(EvictionPolicy::kNoEviction, 5, &rng, &pool_, &out));
  // volatile-* never touch a key without a TTL.
  for (auto p : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileLfu,
                 EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileTtl}) {
    EXPECT_FALSE(engine_->EvictOne(p, 5, &rng, &pool_, &out));
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
  for (auto policy : {EvictionPolicy::kVolatileLru, EvictionPolicy::kVolatileLfu,
                      EvictionPolicy::kVolatileRandom, EvictionPolicy::kVolatileTtl}) {
    for (int n = 0; n < 20; ++n) {
      Engine::Evicted out;
      ASSERT_TRUE(engine_->EvictOne(policy, 5, &rng, &pool_, &out));
      const int i = std::stoi(out.key.substr(1));
      EXPECT_EQ(i % 2, 0) << out.key;
      EXPECT_EQ(out.db, i % 3);
      EXPECT_GT(out.bytes, 0u);
    }
  }
  // 100 keys had a TTL; 80 went. Keep going: the last twenty go, then nothing qualifies.
  Engine::Evicted out;
  int more = 0;
  while (engine_->EvictOne(EvictionPolicy::kVolatileRandom, 5, &rng, &pool_, &out)) ++more;
  EXPECT_EQ(more, 20);
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
    ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kAllKeysLru, 16, &rng, &pool_, &out));
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
  ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kVolatileTtl, 64, &rng, &pool_, &out));
  // Every key of a shard is sampled (64 samples, fewer keys per shard), so the soonest of the
  // sampled shards goes: one of the first few.
  EXPECT_LT(std::stoi(out.key.substr(1)), 16) << out.key;
}

// Shards are drawn in proportion to their keys: with 16 shards per database and 256 in all, an
// LRU eviction still finds the idle keys of every shard (drawing shards uniformly from a random
// start used to drain the first few shards and then evict fresh keys there).
TEST(EvictionShardsTest, LruFindsIdleKeysInEveryShard) {
  Engine::EvictionPool pool_;
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
      ASSERT_TRUE(engine.EvictOne(EvictionPolicy::kAllKeysLru, 10, &rng, &pool_, &out));
      new_evicted += out.key.rfind("new", 0) == 0 ? 1 : 0;
    }
  }
  EXPECT_EQ(new_evicted, 0);
  EXPECT_EQ(engine.Stats().totals.evicted_keys, 1000u);
}

TEST_F(EvictionTest, LfuDataCountsAccessesAndDecays) {
  AccessTracking t;
  t.lfu = true;
  engine_->SetAccessTracking(t);
  Set("hot", "v");
  Set("cold", "v");
  auto freq = [&](std::string_view k) { return engine_->GetObjectInfo(0, k)->freq; };
  EXPECT_TRUE(engine_->GetObjectInfo(0, "hot")->lfu);
  EXPECT_EQ(freq("hot"), kLfuInitVal);  // a new key starts at LFU_INIT_VAL
  for (int i = 0; i < 2000; ++i) Get("hot");
  // Logarithmic: 2000 hits at factor 10 reach about 5 + sqrt(2000 * 2 / 10) = 25.
  EXPECT_GT(freq("hot"), 15);
  EXPECT_LT(freq("hot"), 40);
  EXPECT_EQ(freq("cold"), kLfuInitVal);
  // One decrement per lfu-decay-time minute idle (reading does not touch).
  const int64_t before = freq("hot");
  clock_.Advance(3 * 60 * 1000);
  EXPECT_EQ(freq("hot"), before - 3);
  EXPECT_EQ(freq("cold"), kLfuInitVal - 3);
  clock_.Advance(10 * 60 * 1000);
  EXPECT_EQ(freq("cold"), 0);
  // Back to the LRU clock: the bits are the idle time again once touched.
  engine_->SetAccessTracking(AccessTracking{});
  Get("cold");
  EXPECT_FALSE(engine_->GetObjectInfo(0, "cold")->lfu);
  EXPECT_EQ(engine_->GetObjectInfo(0, "cold")->idle_seconds, 0);
}

TEST_F(EvictionTest, LfuPrefersRarelyUsedKeys) {
  AccessTracking t;
  t.lfu = true;
  engine_->SetAccessTracking(t);
  for (int i = 0; i < 100; ++i) Set("rare" + std::to_string(i), "v");
  for (int i = 0; i < 100; ++i) {
    Set("often" + std::to_string(i), "v");
    for (int n = 0; n < 300; ++n) Get("often" + std::to_string(i));
  }
  uint64_t rng = 9;
  int rare_first = 0;
  for (int n = 0; n < 50; ++n) {
    Engine::Evicted out;
    ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kAllKeysLfu, 16, &rng, &pool_, &out));
    rare_first += out.key.rfind("rare", 0) == 0 ? 1 : 0;
  }
  EXPECT_GE(rare_first, 48);
}

// The admission filter: a read-through cache (GET, then SET on a miss) of 480 keys where every
// other request reads one of 400 hot keys in turn and the others read keys never seen again. An
// LRU cache thrashes (800 distinct keys between two reads of a hot key); with the filter the
// scanned keys, looked up once, lose to the hot ones and the hot set stays.
int HotMisses(Engine& engine, ManualClock& clock, Engine::EvictionPool& pool) {
  const std::string v(64, 'v');
  uint64_t rng = 11;
  int misses = 0;
  auto read_through = [&](const std::string& k) {
    bool hit = engine.Get(0, k, [](std::string_view) {}) == OpStatus::kOk;
    if (!hit) {
      engine.Set(0, k, v, {});
      while (engine.DbSize(0) > 480) {
        Engine::Evicted out;
        EXPECT_TRUE(engine.EvictOne(EvictionPolicy::kAllKeysLru, 5, &rng, &pool, &out));
      }
    }
    return hit;
  };
  for (int i = 0; i < 8000; ++i) {
    if (i % 100 == 0) clock.Advance(1000);
    const bool hit = read_through("hot" + std::to_string(i % 400));
    if (i >= 2400 && !hit) ++misses;
    read_through("scan" + std::to_string(i));
  }
  return misses;
}

TEST_F(EvictionTest, AdmissionKeepsTheHotSetThroughAScan) {
  AccessTracking t;
  t.admission = true;
  engine_->SetAccessTracking(t);
  const int with_filter = HotMisses(*engine_, clock_, pool_);
  engine_->FlushAll(false);
  engine_->SetAccessTracking(AccessTracking{});
  const int without = HotMisses(*engine_, clock_, pool_);
  // 5600 hot reads are measured.
  EXPECT_GT(without, 2000);
  EXPECT_LT(with_filter, 600) << "without the filter: " << without;
}

TEST_F(EvictionTest, AdmissionMemoryIsCounted) {
  const size_t before = engine_->UsedMemory();
  AccessTracking t;
  t.admission = true;
  engine_->SetAccessTracking(t);
  EXPECT_GT(engine_->AdmissionMemory(), 0u);
  EXPECT_EQ(engine_->UsedMemory(), before + engine_->AdmissionMemory());
  for (int i = 0; i < 1000; ++i) Set("a-rather-long-key-name-" + std::to_string(i), "v");
  EXPECT_EQ(engine_->ApproxUsedMemory(), engine_->UsedMemory());
  engine_->SetAccessTracking(AccessTracking{});
  EXPECT_EQ(engine_->AdmissionMemory(), 0u);
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
    ASSERT_TRUE(engine_->EvictOne(EvictionPolicy::kAllKeysRandom, 5, &rng, &pool_, &out));
    freed += out.bytes;
  }
  EXPECT_LE(engine_->ApproxUsedMemory(), full - freed + 4096);  // tables may shrink too
  EXPECT_EQ(engine_->ApproxUsedMemory(), engine_->UsedMemory());
}

}  // namespace
}  // namespace ringkv::engine
