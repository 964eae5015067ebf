// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Key generators (see key_generator.h). The Zipf sampler follows W. Hörmann and G. Derflinger,
// "Rejection-inversion to generate variates from monotone discrete distributions" (1996): sample
// the integral of a continuous hat function h(x) = x^-s by inversion, round to the nearest
// integer, and accept unless the point falls in the sliver between hat and histogram.
#include "bench/ringkv_bench/key_generator.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ringkv::bench {
namespace {

uint64_t SplitMix64(uint64_t* x) {
  uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

// log1p(x)/x and expm1(x)/x, with their series near 0 where the quotient loses precision.
double Helper1(double x) {
  return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1 - x * (0.5 - x * (1.0 / 3 - 0.25 * x));
}
double Helper2(double x) {
  return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1 + x * 0.5 * (1 + x / 3 * (1 + 0.25 * x));
}

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

}  // namespace

Rng::Rng(uint64_t seed) {
  for (uint64_t& s : s_) s = SplitMix64(&seed);
}

uint64_t Rng::Next() {
  uint64_t result = Rotl(s_[1] * 5, 7) * 9;
  uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = Rotl(s_[3], 45);
  return result;
}

uint64_t Rng::Uniform(uint64_t n) {
  return static_cast<uint64_t>((static_cast<unsigned __int128>(Next()) * n) >> 64);
}

double Rng::NextDouble() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }

double Rng::Gaussian() {
  if (have_spare_) {
    have_spare_ = false;
    return spare_;
  }
  double u1 = 1.0 - NextDouble();  // (0, 1]: log(u1) is finite
  double u2 = NextDouble();
  double r = std::sqrt(-2.0 * std::log(u1));
  spare_ = r * std::sin(2 * std::numbers::pi * u2);
  have_spare_ = true;
  return r * std::cos(2 * std::numbers::pi * u2);
}

absl::StatusOr<Distribution> ParseDistribution(std::string_view text) {
  Distribution d;
  auto param = [&](std::string_view prefix) -> absl::StatusOr<double> {
    double v = 0;
    std::string_view rest = text.substr(prefix.size());
    if (!absl::SimpleAtod(AbslView(rest), &v) || !(v > 0) || !std::isfinite(v)) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad distribution '", AbslView(text), "': ", AbslView(prefix),
                       " needs a positive number, e.g. zipf:0.99 or gaussian:0.1"));
    }
    return v;
  };
  if (text == "sequential") {
    d.kind = Distribution::Kind::kSequential;
  } else if (text == "uniform") {
    d.kind = Distribution::Kind::kUniform;
  } else if (text.starts_with("zipf:")) {
    absl::StatusOr<double> s = param("zipf:");
    if (!s.ok()) return s.status();
    d.kind = Distribution::Kind::kZipf;
    d.param = *s;
  } else if (text.starts_with("gaussian:")) {
    absl::StatusOr<double> s = param("gaussian:");
    if (!s.ok()) return s.status();
    d.kind = Distribution::Kind::kGaussian;
    d.param = *s;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown distribution '", AbslView(text),
                     "' (sequential, uniform, zipf:<s>, gaussian:<stddev fraction>)"));
  }
  return d;
}

std::string DistributionName(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::kSequential:
      return "sequential";
    case Distribution::Kind::kUniform:
      return "uniform";
    case Distribution::Kind::kZipf:
      return absl::StrCat("zipf:", d.param);
    case Distribution::Kind::kGaussian:
      return absl::StrCat("gaussian:", d.param);
  }
  return "?";
}

KeyGenerator::KeyGenerator(const Distribution& distribution, uint64_t keyspace, uint64_t seed,
                           uint64_t start)
    : distribution_(distribution),
      keyspace_(std::max<uint64_t>(keyspace, 1)),
      rng_(seed),
      next_sequential_(start % keyspace_) {
  if (distribution_.kind == Distribution::Kind::kZipf) {
    h_integral_x1_ = HIntegral(1.5) - 1;
    h_integral_n_ = HIntegral(static_cast<double>(keyspace_) + 0.5);
    s_threshold_ = 2 - HIntegralInverse(HIntegral(2.5) - H(2));
  }
}

uint64_t KeyGenerator::Next() {
  switch (distribution_.kind) {
    case Distribution::Kind::kSequential: {
      uint64_t k = next_sequential_;
      if (++next_sequential_ == keyspace_) next_sequential_ = 0;
      return k;
    }
    case Distribution::Kind::kUniform:
      return rng_.Uniform(keyspace_);
    case Distribution::Kind::kZipf:
      return NextZipf();
    case Distribution::Kind::kGaussian:
      return NextGaussian();
  }
  return 0;
}

double KeyGenerator::H(double x) const { return std::exp(-distribution_.param * std::log(x)); }

double KeyGenerator::HIntegral(double x) const {
  double log_x = std::log(x);
  return Helper2((1 - distribution_.param) * log_x) * log_x;
}

double KeyGenerator::HIntegralInverse(double x) const {
  double t = x * (1 - distribution_.param);
  if (t < -1) t = -1;  // rounding can push it just past the pole
  return std::exp(Helper1(t) * x);
}

uint64_t KeyGenerator::NextZipf() {
  const double n = static_cast<double>(keyspace_);
  // The acceptance rate is above 90% for every s, so this loop ends quickly; the bound only
  // guards against a NaN from a pathological parameter.
  for (int attempt = 0; attempt < 1000; ++attempt) {
    double u = h_integral_n_ + rng_.NextDouble() * (h_integral_x1_ - h_integral_n_);
    double x = HIntegralInverse(u);
    double k = std::floor(x + 0.5);
    k = std::clamp(k, 1.0, n);
    if (k - x <= s_threshold_ || u >= HIntegral(k + 0.5) - H(k)) {
      return static_cast<uint64_t>(k) - 1;
    }
  }
  return 0;
}

uint64_t KeyGenerator::NextGaussian() {
  const double n = static_cast<double>(keyspace_);
  const double mean = n / 2;
  const double stddev = distribution_.param * n;
  // Resample outside [0, keyspace) instead of clamping, so the ends do not pile up.
  for (int attempt = 0; attempt < 64; ++attempt) {
    double x = std::floor(mean + stddev * rng_.Gaussian());
    if (x >= 0 && x < n) return static_cast<uint64_t>(x);
  }
  return keyspace_ / 2;
}

}  // namespace ringkv::bench
