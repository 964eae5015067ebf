// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/cycle_clock.h"

#include <chrono>

namespace ringkv::server {

uint64_t SteadyNanos() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                   std::chrono::steady_clock::now().time_since_epoch())
                                   .count());
}

double CyclesPerMicrosecond() {
  static const double rate = [] {
#if defined(__x86_64__)
    // Busy-wait 2 ms of steady time and count the ticks that passed.
    uint64_t t0 = SteadyNanos();
    uint64_t c0 = CycleNow();
    uint64_t t1 = t0;
    while (t1 - t0 < 2'000'000) t1 = SteadyNanos();
    uint64_t c1 = CycleNow();
    double r = static_cast<double>(c1 - c0) / (static_cast<double>(t1 - t0) / 1000.0);
    return r > 0 ? r : 1000.0;
#else
    return 1000.0;  // SteadyNanos: 1000 per microsecond
#endif
  }();
  return rate;
}

}  // namespace ringkv::server
