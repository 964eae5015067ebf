// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SetRng: the random source of SPOP and SRANDMEMBER. The caller owns it (the server keeps one per
// worker thread, tests seed one), so a fixed seed makes every random choice of a set
// reproducible. SplitMix64: tiny state, full 64-bit output, no allocation.
//
// Thread safety: none; one generator per thread.
#pragma once

#include <cstdint>

namespace ringkv::engine {

class SetRng {
 public:
  explicit SetRng(uint64_t seed) : state_(seed) {}

  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }

  // Uniform in [0, n) without modulo bias (Lemire's multiply-and-reject). REQUIRES: n > 0.
  uint64_t Below(uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
    auto low = static_cast<uint64_t>(m);
    if (low < n) {
      const uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(Next()) * n;
        low = static_cast<uint64_t>(m);
      }
    }
    return static_cast<uint64_t>(m >> 64);
  }

 private:
  uint64_t state_;
};

}  // namespace ringkv::engine
