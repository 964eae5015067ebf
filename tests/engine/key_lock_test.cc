// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Multi-key locking: concurrent multi-key commands over overlapping keys never deadlock, MSET is
// visible all-or-nothing, and engine calls under a held KeyLock do not re-lock.
#include "engine/key_lock.h"

#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "tests/engine/engine_test_util.h"

namespace ringkv::engine {
namespace {

using KeyLockTest = EngineTest;

TEST_F(KeyLockTest, EngineCallsUnderAHeldKeyLockDoNotSelfDeadlock) {
  std::string_view keys[] = {"a", "b", "c"};
  {
    KeyLock guard(*engine_, 0, keys);
    Set("a", "1");
    Set("b", "2");
    EXPECT_EQ(engine_->Rename(0, "a", "c", false), OpStatus::kOk);
    std::pair<std::string_view, std::string_view> kvs[] = {{"a", "x"}, {"b", "y"}};
    engine_->MSet(0, kvs);  // nested KeyLock
  }
  EXPECT_EQ(Get("a"), "x");
  EXPECT_EQ(Get("c"), "1");
  {
    KeyLock all(*engine_, KeyLock::AllTag{});
    engine_->FlushAll(false);
    EXPECT_EQ(engine_->DbSize(0), 0u);
  }
}

TEST_F(KeyLockTest, ConcurrentMultiKeyCommandsNeitherDeadlockNorTear) {
  // Writers MSET the same value into 8 keys spread over all shards; readers MGET them and must
  // always see one value across all 8. Renamers shuffle other keys in reverse order.
  std::vector<std::string> names;
  for (int i = 0; i < 8; ++i) names.push_back("m" + std::to_string(i));
  std::vector<std::string_view> keys(names.begin(), names.end());
  std::vector<std::pair<std::string_view, std::string_view>> init;
  for (auto k : keys) init.emplace_back(k, "0");
  engine_->MSet(0, init);
  std::atomic<bool> torn{false};
  std::atomic<int> done{0};
  auto writer = [&](int id) {
    for (int i = 0; i < 2000; ++i) {
      std::string v = std::to_string(id * 100000 + i);
      std::vector<std::pair<std::string_view, std::string_view>> kvs;
      // Alternate key order so lock ordering (not argument order) prevents deadlock.
      for (size_t j = 0; j < keys.size(); ++j) {
        kvs.emplace_back(keys[(i % 2) ? j : keys.size() - 1 - j], v);
      }
      engine_->MSet(0, kvs);
    }
    done.fetch_add(1);
  };
  auto reader = [&] {
    while (done.load() < 2) {
      std::vector<std::string> seen(keys.size());
      engine_->MGet(0, keys, [&](size_t i, std::optional<std::string_view> v) {
        seen[i] = v ? std::string(*v) : "<nil>";
      });
      for (const auto& s : seen) {
        if (s != seen[0]) torn = true;
      }
    }
  };
  auto renamer = [&] {
    Set("r0", "v");
    for (int i = 0; i < 3000; ++i) {
      std::string from = "r" + std::to_string(i % 2);
      std::string to = "r" + std::to_string((i + 1) % 2);
      engine_->Rename(0, from, to, false);
      std::string_view pair[] = {names[static_cast<size_t>(i) % 8], from};
      engine_->Exists(0, pair);
    }
  };
  std::thread w1(writer, 1), w2(writer, 2), r(reader), n(renamer);
  w1.join();
  w2.join();
  r.join();
  n.join();
  EXPECT_FALSE(torn.load());
  EXPECT_EQ(engine_->DbSize(0), 9u);
}

TEST_F(KeyLockTest, ConcurrentSingleKeyTrafficOnAllShards) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([this, t] {
      std::mt19937 rng(static_cast<uint32_t>(t));
      for (int i = 0; i < 20000; ++i) {
        std::string k = "k" + std::to_string(rng() % 500);
        switch (rng() % 4) {
          case 0:
            engine_->Set(0, k, "v", SetParams{});
            break;
          case 1:
            engine_->IncrBy(1, k, 1);
            break;
          case 2:
            engine_->Del(0, k);
            break;
          default:
            engine_->Copy(1, k, 0, k, true);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  // Every increment landed: the counters in db 1 sum to the number of INCRs issued.
  int64_t sum = 0;
  engine_->Keys(1, "*", [&](std::string_view k) {
    engine_->Get(1, k, [&](std::string_view v) { sum += std::stoll(std::string(v)); });
  });
  EXPECT_GT(sum, 0);
  int64_t expected = 0;
  for (int t = 0; t < 4; ++t) {
    std::mt19937 rng(static_cast<uint32_t>(t));
    for (int i = 0; i < 20000; ++i) {
      rng();
      if (rng() % 4 == 1) ++expected;
    }
  }
  EXPECT_EQ(sum, expected);
}

}  // namespace
}  // namespace ringkv::engine
