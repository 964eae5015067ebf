// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Key index generators for ringkv-bench: sequential, uniform, Zipf(s) and a clipped Gaussian
// over [0, keyspace), plus the small fast PRNG they share. Everything is seeded so a run with
// the same --seed issues the same keys.
//
// Zipf uses Hörmann and Derflinger's rejection-inversion method (constant time per sample, no
// table), so a keyspace of 10^9 costs nothing to set up. Rank 1, the hottest key, is index 0.
//
// Thread safety: none; one generator per connection.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ringkv::bench {

// xoshiro256** seeded through splitmix64: fast, good statistical quality, stable across platforms
// (unlike std::uniform_*_distribution, whose output the standard does not pin down).
class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();
  // Uniform in [0, n); n > 0. Uses the multiply-shift reduction (bias below 2^-32 for n < 2^32).
  uint64_t Uniform(uint64_t n);
  // Uniform in [0, 1).
  double NextDouble();
  // Standard normal (Box-Muller).
  double Gaussian();

 private:
  uint64_t s_[4];
  bool have_spare_ = false;
  double spare_ = 0;
};

struct Distribution {
  enum class Kind { kSequential, kUniform, kZipf, kGaussian };
  Kind kind = Kind::kUniform;
  // Zipf: the exponent s (> 0). Gaussian: the standard deviation as a fraction of the keyspace.
  double param = 0;
};

// Parses "sequential", "uniform", "zipf:<s>" or "gaussian:<stddev fraction>".
absl::StatusOr<Distribution> ParseDistribution(std::string_view text);
std::string DistributionName(const Distribution& d);

class KeyGenerator {
 public:
  // `start` is where a sequential generator begins (it wraps at keyspace); others ignore it.
  // REQUIRES: keyspace > 0.
  KeyGenerator(const Distribution& distribution, uint64_t keyspace, uint64_t seed,
               uint64_t start = 0);

  // The next key index in [0, keyspace).
  uint64_t Next();

 private:
  uint64_t NextZipf();
  uint64_t NextGaussian();
  double H(double x) const;
  double HIntegral(double x) const;
  double HIntegralInverse(double x) const;

  Distribution distribution_;
  uint64_t keyspace_;
  Rng rng_;
  uint64_t next_sequential_;
  // Zipf rejection-inversion constants.
  double h_integral_x1_ = 0;
  double h_integral_n_ = 0;
  double s_threshold_ = 0;
};

}  // namespace ringkv::bench
