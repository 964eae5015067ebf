// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// A log-bucketed latency histogram in the spirit of HdrHistogram: values below 256 are counted
// exactly; above that each power-of-two range is split into 128 equal buckets, so any recorded
// value is known to within 1/128 (< 0.8%, better than two significant digits) for values up to
// 2^63. Recording is one bit_width and an increment; memory is fixed (about 58 KiB).
// ringkv-bench records nanoseconds and reports microseconds.
//
// Thread safety: none; each thread records into its own histogram and they are merged.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace ringkv::bench {

class Histogram {
 public:
  Histogram();

  void Record(uint64_t value);
  void RecordN(uint64_t value, uint64_t n);
  void Merge(const Histogram& other);
  void Reset();

  uint64_t count() const { return count_; }
  uint64_t min() const { return count_ == 0 ? 0 : min_; }
  uint64_t max() const { return max_; }
  double mean() const { return count_ == 0 ? 0 : static_cast<double>(sum_) / count_; }

  // The smallest value v such that at least `percentile`% of recorded values are <= v, reported
  // as the top of v's bucket (never above max()). 0 for an empty histogram. percentile in
  // [0, 100]; 100 gives max().
  uint64_t ValueAtPercentile(double percentile) const;

  // Bucket geometry, exposed for tests.
  static size_t BucketIndex(uint64_t value);
  static uint64_t BucketLowest(size_t index);
  static uint64_t BucketHighest(size_t index);
  static constexpr size_t kBuckets = 256 + 56 * 128;

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  uint64_t min_ = UINT64_MAX;
  uint64_t max_ = 0;
  // Sum for the mean; saturates only after ~584 years of nanoseconds.
  uint64_t sum_ = 0;
};

}  // namespace ringkv::bench
