// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Histogram bucket arithmetic (see histogram.h). Index layout: [0, 256) hold the values 0..255;
// then for each exponent e >= 1, 128 buckets cover [128 << e, 256 << e) in steps of 1 << e.
#include "bench/ringkv_bench/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace ringkv::bench {

Histogram::Histogram() : counts_(kBuckets, 0) {}

size_t Histogram::BucketIndex(uint64_t value) {
  if (value < 256) return static_cast<size_t>(value);
  int e = std::bit_width(value) - 8;  // value >> e lies in [128, 256)
  return 256 + static_cast<size_t>(e - 1) * 128 + static_cast<size_t>((value >> e) - 128);
}

uint64_t Histogram::BucketLowest(size_t index) {
  if (index < 256) return index;
  size_t e = (index - 256) / 128 + 1;
  uint64_t m = (index - 256) % 128 + 128;
  return m << e;
}

uint64_t Histogram::BucketHighest(size_t index) {
  if (index < 256) return index;
  size_t e = (index - 256) / 128 + 1;
  uint64_t m = (index - 256) % 128 + 128;
  return ((m + 1) << e) - 1;
}

void Histogram::Record(uint64_t value) { RecordN(value, 1); }

void Histogram::RecordN(uint64_t value, uint64_t n) {
  if (n == 0) return;
  counts_[BucketIndex(value)] += n;
  count_ += n;
  sum_ += value * n;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
}

void Histogram::Merge(const Histogram& other) {
  if (other.count_ == 0) return;
  for (size_t i = 0; i < kBuckets; ++i) counts_[i] += other.counts_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void Histogram::Reset() {
  std::fill(counts_.begin(), counts_.end(), 0);
  count_ = 0;
  sum_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
}

uint64_t Histogram::ValueAtPercentile(double percentile) const {
  if (count_ == 0) return 0;
  percentile = std::clamp(percentile, 0.0, 100.0);
  // Rank of the wanted value (1-based); at least the first value.
  uint64_t rank =
      static_cast<uint64_t>(std::ceil(percentile / 100.0 * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) return std::min(BucketHighest(i), max_);
  }
  return max_;
}

}  // namespace ringkv::bench
