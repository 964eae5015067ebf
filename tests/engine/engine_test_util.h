// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Shared fixture for Engine tests: an Engine on a ManualClock, and helpers that turn callback
// results into values.
#pragma once

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "engine/engine.h"

namespace ringkv::engine {

class EngineTest : public ::testing::Test {
 protected:
  explicit EngineTest(EngineOptions options = SmallOptions())
      : engine_(std::make_unique<Engine>(options, &clock_)) {}

  static EngineOptions SmallOptions() {
    EngineOptions o;
    o.databases = 4;
    o.shards_per_db = 4;
    return o;
  }

  std::optional<std::string> Get(std::string_view key, int db = 0) {
    std::optional<std::string> out;
    OpStatus st = engine_->Get(db, key, [&](std::string_view v) { out.emplace(v); });
    if (st == OpStatus::kWrongType) return std::string("<WRONGTYPE>");
    return out;
  }
  void Set(std::string_view key, std::string_view value, int db = 0) {
    ASSERT_EQ(engine_->Set(db, key, value, SetParams{}), OpStatus::kOk);
  }

  ManualClock clock_;
  std::unique_ptr<Engine> engine_;
};

// A stand-in for the later typed values, enough to test WRONGTYPE paths.
class FakeList : public ObjectOf<FakeList> {
 public:
  size_t MemoryUsage() const { return 64; }
  std::unique_ptr<Object> Clone() const { return std::make_unique<FakeList>(); }
  Encoding encoding() const { return Encoding::kQuicklist; }
  size_t Size() const { return 1; }
};

}  // namespace ringkv::engine
