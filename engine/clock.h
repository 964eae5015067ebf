// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The engine never reads the system time itself: every time-dependent decision (expiry, idle
// time) goes through a Clock, so tests drive time by hand.
#pragma once

#include <atomic>
#include <cstdint>

namespace ringkv::engine {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMs() const = 0;
};

// Wall-clock time (CLOCK_REALTIME), as Redis uses for expiry.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// Time that moves only when told to. Thread-safe.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t now_ms = 1'700'000'000'000) : now_ms_(now_ms) {}
  int64_t NowMs() const override { return now_ms_.load(std::memory_order_relaxed); }
  void Set(int64_t now_ms) { now_ms_.store(now_ms, std::memory_order_relaxed); }
  void Advance(int64_t delta_ms) { now_ms_.fetch_add(delta_ms, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace ringkv::engine
