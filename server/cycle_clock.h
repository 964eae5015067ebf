// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Cheap timestamps for timing every command (INFO commandstats, SLOWLOG, LATENCY): the CPU's
// time-stamp counter on x86-64, one instruction where two clock_gettime calls cost ~100
// (measured with bench/instructions.sh). Converted to time with a rate measured once against
// steady_clock. Elsewhere it falls back to steady_clock nanoseconds.
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <x86intrin.h>
#endif

namespace ringkv::server {

inline uint64_t CycleNow() {
#if defined(__x86_64__)
  return __rdtsc();
#else
  return SteadyNanos();
#endif
}

// Counter ticks per microsecond, measured on the first call (it then takes ~2 ms) and cached.
double CyclesPerMicrosecond();

// Steady-clock nanoseconds (the fallback counter, and the calibration reference).
uint64_t SteadyNanos();

}  // namespace ringkv::server
