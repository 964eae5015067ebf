// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// What counts against maxmemory (server/memory_limit.h): the data, the client buffers, and the
// measured overhead beyond the allocator's slack, capped at half the limit; and that
// EnforceMaxmemory evicts for each of them. The overhead is set by hand here: it is measured
// only with jemalloc, which in-process tests do not link.
#include "server/memory_limit.h"

#include <gtest/gtest.h>

#include <string>

#include "engine/clock.h"
#include "engine/engine.h"

namespace ringkv::server {
namespace {

class MemoryLimitTest : public ::testing::Test {
 protected:
  MemoryLimitTest() : engine_(engine::EngineOptions{}, &clock_) {
    engine_.SetMemoryTracking(true);
    ctx_.engine = &engine_;
    ctx_.live.maxmemory = kLimit;
    ctx_.live.SetEvictionPolicy("allkeys-random");
  }
  // EnforceMaxmemory stops at its time budget (the next commands go on); call it as commands
  // would until the count is under the limit.
  bool Enforce() {
    for (int i = 0; i < 10000; ++i) {
      if (!EnforceMaxmemory(ctx_)) return false;
      if (UsedMemoryForLimit(ctx_) <= ctx_.live.maxmemory.load()) return true;
    }
    return true;
  }
  void Fill(size_t bytes) {
    const std::string v(1000, 'v');
    for (int i = 0; engine_.ApproxUsedMemory() < bytes; ++i) {
      ASSERT_EQ(engine_.Set(0, "k" + std::to_string(i), v, {}), engine::OpStatus::kOk);
    }
  }

  static constexpr int64_t kLimit = 100LL << 20;
  engine::ManualClock clock_;
  engine::Engine engine_;
  ServerContext ctx_;
};

TEST_F(MemoryLimitTest, WhatCounts) {
  const int64_t data = static_cast<int64_t>(engine_.ApproxUsedMemory());
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data);
  ctx_.stats.client_memory = 3 << 20;
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data + (3 << 20));
  // Overhead up to the slack, max(2% of maxmemory, 1 MB) = 2 MB here, is not counted.
  ctx_.stats.memory_overhead = 2 << 20;
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data + (3 << 20));
  const int64_t slack = kLimit / 50;
  ctx_.stats.memory_overhead = slack + 12345;
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data + (3 << 20) + 12345);
  // At most half of maxmemory.
  ctx_.stats.memory_overhead = kLimit;
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data + (3 << 20) + kLimit / 2);
  // A small limit: the slack is 1 MB.
  ctx_.live.maxmemory = 8 << 20;
  ctx_.stats.memory_overhead = (1 << 20) + 100;
  EXPECT_EQ(UsedMemoryForLimit(ctx_), data + (3 << 20) + 100);
}

TEST_F(MemoryLimitTest, OverheadAndClientsMakeRoomByEvicting) {
  Fill(90 << 20);
  const int64_t data = static_cast<int64_t>(engine_.ApproxUsedMemory());
  ASSERT_LE(data, kLimit - (4 << 20));
  EXPECT_TRUE(Enforce());
  EXPECT_EQ(engine_.Stats().totals.evicted_keys, 0u);
  // 20 MB of fragmentation beyond the slack: the data must shrink to make room.
  ctx_.stats.memory_overhead = kLimit / 50 + (20 << 20);
  EXPECT_TRUE(Enforce());
  EXPECT_GT(engine_.Stats().totals.evicted_keys, 0u);
  EXPECT_LE(UsedMemoryForLimit(ctx_), kLimit);
  EXPECT_LE(static_cast<int64_t>(engine_.ApproxUsedMemory()), kLimit - (20 << 20));
  // Client buffers the same way; under noeviction they make writes fail instead.
  ctx_.stats.client_memory = 10 << 20;
  ctx_.live.SetEvictionPolicy("noeviction");
  EXPECT_FALSE(EnforceMaxmemory(ctx_));
  ctx_.live.SetEvictionPolicy("allkeys-random");
  EXPECT_TRUE(Enforce());
  EXPECT_LE(UsedMemoryForLimit(ctx_), kLimit);
  // Without maxmemory nothing counts.
  ctx_.live.maxmemory = 0;
  ctx_.stats.memory_overhead = 0;
  EXPECT_TRUE(EnforceMaxmemory(ctx_));
}

TEST(TrackingForTest, FollowsPolicyAndMaxmemory) {
  engine::AccessTracking t = TrackingFor(0, "allkeys-lfu", 3, 7);
  EXPECT_TRUE(t.lfu);  // OBJECT FREQ works without maxmemory, as in Redis
  EXPECT_FALSE(t.admission);
  EXPECT_EQ(t.lfu_log_factor, 3);
  EXPECT_EQ(t.lfu_decay_time, 7);
  EXPECT_TRUE(TrackingFor(1, "allkeys-lfu", 10, 1).admission);
  EXPECT_TRUE(TrackingFor(1, "allkeys-lru", 10, 1).admission);
  EXPECT_FALSE(TrackingFor(1, "allkeys-lru", 10, 1).lfu);
  EXPECT_FALSE(TrackingFor(1, "volatile-lru", 10, 1).admission);
  EXPECT_TRUE(TrackingFor(1, "volatile-lfu", 10, 1).lfu);
  EXPECT_FALSE(TrackingFor(1, "volatile-lfu", 10, 1).admission);
  EXPECT_FALSE(TrackingFor(1, "allkeys-random", 10, 1).admission);
  EXPECT_EQ(TrackingFor(1, "allkeys-lfu", 1LL << 40, 1).lfu_log_factor, INT32_MAX);
}

}  // namespace
}  // namespace ringkv::server
