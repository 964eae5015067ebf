// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The pieces of access tracking: LFU counter arithmetic (Redis's semantics in 16 bits), the
// frequency sketch (estimates, saturation, halving, sizing) and the admission window's bound.
#include "engine/access_tracking.h"

#include <gtest/gtest.h>

#include <string>

namespace ringkv::engine {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

TEST(LfuTest, IncrementIsLogarithmic) {
  AccessTracking t;
  const int64_t now = 1'000'000'000;
  uint16_t bits = LfuInitial(now);
  EXPECT_EQ(bits & 0xff, kLfuInitVal);
  // At the initial value every access counts (probability 1).
  bits = LfuTouch(bits, now, t, ~uint64_t{0});
  EXPECT_EQ(bits & 0xff, kLfuInitVal + 1);
  uint64_t r = 1;
  for (int i = 0; i < 100000; ++i) bits = LfuTouch(bits, now, t, r = Mix(r));
  // Redis's table for factor 10: 100K hits reach about 142 (255 needs about 1M).
  EXPECT_GT(bits & 0xff, 130);
  EXPECT_LT(bits & 0xff, 180);
  // Factor 0: every access counts, up to 255.
  t.lfu_log_factor = 0;
  bits = LfuInitial(now);
  for (int i = 0; i < 300; ++i) bits = LfuTouch(bits, now, t, r = Mix(r));
  EXPECT_EQ(bits & 0xff, 255);
}

TEST(LfuTest, DecayByMinutesModulo256) {
  const int64_t now = 60'000LL * 1000;
  const uint16_t bits = LfuPack(LfuMinutes(now), 20);
  EXPECT_EQ(LfuDecayed(bits, now, 1), 20);
  EXPECT_EQ(LfuDecayed(bits, now + 59'999, 1), 20);
  EXPECT_EQ(LfuDecayed(bits, now + 7 * 60'000, 1), 13);
  EXPECT_EQ(LfuDecayed(bits, now + 7 * 60'000, 2), 17);   // one per 2 minutes
  EXPECT_EQ(LfuDecayed(bits, now + 30 * 60'000, 1), 0);   // floored at 0
  EXPECT_EQ(LfuDecayed(bits, now + 30 * 60'000, 0), 20);  // 0: no decay
  // The stamp is 8 bits of minutes: 256 minutes later looks like no time at all.
  EXPECT_EQ(LfuDecayed(bits, now + 256 * 60'000, 1), 20);
}

TEST(FrequencySketchTest, EstimatesSaturateAndHalve) {
  FrequencySketch s;
  EXPECT_EQ(s.Estimate(Mix(1)), 0);
  s.Add(Mix(1));  // unsized: ignored
  EXPECT_EQ(s.Estimate(Mix(1)), 0);
  s.Resize(1000);
  EXPECT_EQ(s.sized_for(), 1000u);
  EXPECT_GE(s.bytes(), 2000u);  // four 4-bit counters per key
  for (int i = 0; i < 7; ++i) s.Add(Mix(1));
  EXPECT_EQ(s.Estimate(Mix(1)), 7);
  for (int i = 0; i < 20; ++i) s.Add(Mix(2));
  EXPECT_EQ(s.Estimate(Mix(2)), 15);  // 4 bits
  // Count-min: never under, rarely over for keys not added.
  int over = 0;
  for (uint64_t k = 100; k < 1100; ++k) over += s.Estimate(Mix(k)) > 0 ? 1 : 0;
  EXPECT_LT(over, 20);
  // After 10 additions per key the counters halve.
  for (uint64_t k = 0; k < 10000 - 27; ++k) s.Add(Mix(3));
  EXPECT_EQ(s.Estimate(Mix(1)), 3);
  EXPECT_EQ(s.Estimate(Mix(2)), 7);
}

TEST(AdmissionFilterTest, WindowStaysBoundedAndCounted) {
  AdmissionFilter f;
  EXPECT_EQ(AdmissionFilter::WindowTarget(10), 4u);
  EXPECT_EQ(AdmissionFilter::WindowTarget(10000), 100u);
  for (int i = 0; i < 1000; ++i) {
    f.Inserted("a-key-long-enough-to-live-on-the-heap-" + std::to_string(i), 10000);
  }
  EXPECT_EQ(f.window.size(), 200u);
  EXPECT_EQ(f.window.front(), "a-key-long-enough-to-live-on-the-heap-800");
  EXPECT_GE(f.window_bytes, 200u * 40);
  EXPECT_EQ(f.PopOldest(), "a-key-long-enough-to-live-on-the-heap-800");
  while (!f.window.empty()) f.PopOldest();
  EXPECT_EQ(f.window_bytes, 0u);
}

}  // namespace
}  // namespace ringkv::engine
