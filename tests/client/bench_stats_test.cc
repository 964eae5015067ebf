// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench's pure parts: the histogram's percentiles on known inputs, the key generators'
// shapes (fixed seeds, loose but meaningful statistical bounds), the workload's requests and the
// flag parser.
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "bench/ringkv_bench/bench_options.h"
#include "bench/ringkv_bench/histogram.h"
#include "bench/ringkv_bench/key_generator.h"
#include "bench/ringkv_bench/workload.h"
#include "gtest/gtest.h"
#include "protocol/request_parser.h"

namespace ringkv::bench {
namespace {

TEST(HistogramTest, SmallValuesAreExact) {
  Histogram h;
  for (uint64_t v = 0; v < 256; ++v) h.Record(v);
  EXPECT_EQ(h.count(), 256u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 255u);
  EXPECT_EQ(h.ValueAtPercentile(50), 127u);  // rank 128 of 0..255
  EXPECT_EQ(h.ValueAtPercentile(100), 255u);
  EXPECT_DOUBLE_EQ(h.mean(), 127.5);
}

TEST(HistogramTest, PercentilesOfUniformInput) {
  Histogram h;
  for (uint64_t v = 1; v <= 100000; ++v) h.Record(v * 1000);  // 1 us .. 100 ms in ns
  struct Case {
    double p;
    double expected;
  } cases[] = {{50, 50e6}, {90, 90e6}, {99, 99e6}, {99.9, 99.9e6}, {0, 1000}};
  for (const Case& c : cases) {
    double got = static_cast<double>(h.ValueAtPercentile(c.p));
    EXPECT_GE(got, c.expected) << c.p;  // the bucket's top, never below the true value
    EXPECT_LE(got, c.expected * (1 + 1.0 / 128)) << c.p;
  }
  EXPECT_EQ(h.ValueAtPercentile(100), 100000u * 1000);
  EXPECT_EQ(h.max(), 100000u * 1000);
}

TEST(HistogramTest, SkewedInputAndMerge) {
  // 990 fast requests and 10 slow ones: p99 is fast, p99.9 is slow.
  Histogram a, b;
  a.RecordN(20000, 990);
  b.RecordN(5000000, 10);
  a.Merge(b);
  EXPECT_EQ(a.count(), 1000u);
  EXPECT_NEAR(static_cast<double>(a.ValueAtPercentile(99)), 20000, 20000 / 128.0);
  EXPECT_NEAR(static_cast<double>(a.ValueAtPercentile(99.9)), 5000000, 5000000 / 128.0);
  EXPECT_EQ(a.max(), 5000000u);
  EXPECT_EQ(a.min(), 20000u);
  a.Reset();
  EXPECT_EQ(a.count(), 0u);
  EXPECT_EQ(a.ValueAtPercentile(99), 0u);
}

TEST(HistogramTest, BucketsTileTheRangeWithBoundedWidth) {
  for (size_t i = 1; i < Histogram::kBuckets; ++i) {
    ASSERT_EQ(Histogram::BucketLowest(i), Histogram::BucketHighest(i - 1) + 1) << i;
    uint64_t lo = Histogram::BucketLowest(i), hi = Histogram::BucketHighest(i);
    ASSERT_LE(static_cast<double>(hi - lo), static_cast<double>(lo) / 128.0) << i;
    ASSERT_EQ(Histogram::BucketIndex(lo), i);
    ASSERT_EQ(Histogram::BucketIndex(hi), i);
  }
  EXPECT_EQ(Histogram::BucketIndex(UINT64_MAX), Histogram::kBuckets - 1);
  EXPECT_EQ(Histogram::BucketHighest(Histogram::kBuckets - 1), UINT64_MAX);
}

TEST(KeyGeneratorTest, SequentialWrapsFromItsStart) {
  KeyGenerator g({Distribution::Kind::kSequential, 0}, 5, 1, 3);
  std::vector<uint64_t> got;
  for (int i = 0; i < 7; ++i) got.push_back(g.Next());
  EXPECT_EQ(got, (std::vector<uint64_t>{3, 4, 0, 1, 2, 3, 4}));
}

TEST(KeyGeneratorTest, SameSeedSameKeys) {
  KeyGenerator a({Distribution::Kind::kZipf, 0.99}, 1000000, 42);
  KeyGenerator b({Distribution::Kind::kZipf, 0.99}, 1000000, 42);
  KeyGenerator c({Distribution::Kind::kZipf, 0.99}, 1000000, 43);
  int same_as_c = 0;
  for (int i = 0; i < 1000; ++i) {
    uint64_t x = a.Next();
    ASSERT_EQ(x, b.Next());
    same_as_c += x == c.Next();
  }
  EXPECT_LT(same_as_c, 500);
}

TEST(KeyGeneratorTest, UniformFillsDecilesEvenly) {
  KeyGenerator g({Distribution::Kind::kUniform, 0}, 1000, 7);
  std::vector<int> deciles(10);
  constexpr int kN = 200000;
  for (int i = 0; i < kN; ++i) {
    uint64_t k = g.Next();
    ASSERT_LT(k, 1000u);
    ++deciles[k / 100];
  }
  for (int d : deciles) EXPECT_NEAR(d, kN / 10, kN / 10 * 0.03);
}

// Zipf(s) over n keys: P(rank k) = k^-s / H(n, s).
void CheckZipf(double s, uint64_t n) {
  KeyGenerator g({Distribution::Kind::kZipf, s}, n, 12345);
  constexpr int kN = 400000;
  std::vector<int> counts(n);
  for (int i = 0; i < kN; ++i) {
    uint64_t k = g.Next();
    ASSERT_LT(k, n);
    ++counts[k];
  }
  double h = 0;
  for (uint64_t k = 1; k <= n; ++k) h += std::pow(static_cast<double>(k), -s);
  for (uint64_t rank : {1, 2, 3, 10, 100}) {
    double expected = std::pow(static_cast<double>(rank), -s) / h * kN;
    // Four standard deviations of a binomial count, plus 2% for the model.
    double tolerance = 4 * std::sqrt(expected) + 0.02 * expected;
    EXPECT_NEAR(counts[rank - 1], expected, tolerance) << "s=" << s << " rank=" << rank;
  }
  // The hottest key really is the most frequent one, and counts fall with rank.
  EXPECT_GT(counts[0], counts[1]);
  EXPECT_GT(counts[1], counts[9]);
  EXPECT_GT(counts[9], counts[99]);
}

TEST(KeyGeneratorTest, ZipfMatchesTheoreticalFrequencies) {
  CheckZipf(0.99, 1000);
  CheckZipf(1.0, 1000);
  CheckZipf(0.5, 1000);
  CheckZipf(1.5, 100000);
}

TEST(KeyGeneratorTest, GaussianHasTheRequestedMeanAndSpread) {
  constexpr uint64_t kKeys = 100000;
  KeyGenerator g({Distribution::Kind::kGaussian, 0.1}, kKeys, 99);
  constexpr int kN = 200000;
  double sum = 0, sum_sq = 0;
  int within_one_sigma = 0;
  for (int i = 0; i < kN; ++i) {
    uint64_t k = g.Next();
    ASSERT_LT(k, kKeys);
    double x = static_cast<double>(k);
    sum += x;
    sum_sq += x * x;
    within_one_sigma += std::abs(x + 0.5 - kKeys / 2.0) <= 0.1 * kKeys;
  }
  double mean = sum / kN;
  double stddev = std::sqrt(sum_sq / kN - mean * mean);
  EXPECT_NEAR(mean, kKeys / 2.0, kKeys * 0.002);
  EXPECT_NEAR(stddev, 0.1 * kKeys, 0.1 * kKeys * 0.02);
  EXPECT_NEAR(static_cast<double>(within_one_sigma) / kN, 0.6827, 0.01);
  // A wide spread is cut at the keyspace's ends, never outside.
  KeyGenerator wide({Distribution::Kind::kGaussian, 2.0}, 10, 5);
  for (int i = 0; i < 10000; ++i) ASSERT_LT(wide.Next(), 10u);
}

TEST(DistributionTest, Parse) {
  EXPECT_EQ(ParseDistribution("sequential")->kind, Distribution::Kind::kSequential);
  EXPECT_EQ(ParseDistribution("uniform")->kind, Distribution::Kind::kUniform);
  absl::StatusOr<Distribution> z = ParseDistribution("zipf:0.99");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(z->kind, Distribution::Kind::kZipf);
  EXPECT_DOUBLE_EQ(z->param, 0.99);
  EXPECT_DOUBLE_EQ(ParseDistribution("gaussian:0.1")->param, 0.1);
  EXPECT_FALSE(ParseDistribution("zipf").ok());
  EXPECT_FALSE(ParseDistribution("zipf:-1").ok());
  EXPECT_FALSE(ParseDistribution("zipf:x").ok());
  EXPECT_FALSE(ParseDistribution("pareto").ok());
}

TEST(WorkloadTest, RequestsAreValidRespWithTheConfiguredShape) {
  WorkloadConfig wc;
  wc.mix = *ParseCommandMix("get,set,incr,session,lpush,lpop,zadd,zrange,xadd,xread");
  wc.keyspace = 50;
  wc.value_min = 10;
  wc.value_max = 20;
  wc.key_prefix = "p:";
  Workload w(wc, 1, 0);
  std::map<std::string, int> seen;
  for (int i = 0; i < 2000; ++i) {
    std::string buf;
    Op op = w.Next(&buf);
    protocol::RequestParser parser;
    size_t consumed = 0;
    ASSERT_EQ(parser.Parse(buf, &consumed), protocol::ParseStatus::kOk) << buf;
    ASSERT_EQ(consumed, buf.size());
    const auto& args = parser.args();
    std::string name(args[0]);
    for (char& c : name) c = static_cast<char>(std::tolower(c));
    ASSERT_EQ(name, OpName(op));
    ++seen[name];
    std::string_view key = op == Op::kXread ? args[4] : args[1];
    ASSERT_TRUE(key.starts_with("p:")) << key;
    if (op == Op::kSet || op == Op::kLpush) {
      ASSERT_GE(args[2].size(), 10u);
      ASSERT_LE(args[2].size(), 20u);
    }
    if (op == Op::kHset) {
      ASSERT_EQ(args.size(), 2u + 2 * 4);
    }
    if (op == Op::kIncr) {
      ASSERT_TRUE(key.starts_with("p:ctr:"));
    }
    if (op == Op::kZadd) {
      ASSERT_TRUE(key.starts_with("p:z:"));
    }
    if (op == Op::kXadd) {
      // XADD key MAXLEN ~ 1000 * f0 v f1 v f2 v
      ASSERT_TRUE(key.starts_with("p:x:"));
      ASSERT_EQ(args.size(), 12u);
      ASSERT_EQ(args[5], "*");
    }
    if (op == Op::kXread) {
      ASSERT_TRUE(key.starts_with("p:x:")) << key;  // XREAD COUNT 10 STREAMS key 0-0
    }
  }
  EXPECT_EQ(seen.size(), kOpCount);  // "session" brought both hset and hgetall
  for (const auto& [name, n] : seen) EXPECT_NEAR(n, 2000 / 11, 70) << name;
}

TEST(WorkloadTest, RatioWeightsTheMix) {
  WorkloadConfig wc;
  wc.mix = *ParseRatio("1:3");
  Workload w(wc, 3, 0);
  int sets = 0;
  for (int i = 0; i < 40000; ++i) {
    std::string buf;
    sets += w.Next(&buf) == Op::kSet;
  }
  EXPECT_NEAR(sets, 10000, 400);
  EXPECT_FALSE(ParseRatio("1").ok());
  EXPECT_FALSE(ParseRatio("0:0").ok());
  EXPECT_FALSE(ParseCommandMix("get,frobnicate").ok());
  EXPECT_FALSE(ParseCommandMix("get:x").ok());
}

TEST(BenchOptionsTest, DefaultsAndFlags) {
  absl::StatusOr<BenchOptions> d = ParseBenchArgs({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 6379);
  EXPECT_DOUBLE_EQ(d->duration_s, 10);
  ASSERT_EQ(d->mix.size(), 2u);
  EXPECT_EQ(d->mix[1].weight, 10u);
  absl::StatusOr<BenchOptions> o = ParseBenchArgs({"--host",
                                                   "h",
                                                   "--port=7000",
                                                   "--threads",
                                                   "2",
                                                   "--connections",
                                                   "3",
                                                   "--pipeline",
                                                   "16",
                                                   "--ratio",
                                                   "1:1",
                                                   "--keyspace",
                                                   "500",
                                                   "--distribution",
                                                   "zipf:1.2",
                                                   "--value-size",
                                                   "8-64",
                                                   "--key-prefix",
                                                   "bench:",
                                                   "--requests",
                                                   "1000",
                                                   "--seed",
                                                   "9",
                                                   "--rate",
                                                   "5000",
                                                   "--json",
                                                   "--no-progress",
                                                   "--resp3"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->host, "h");
  EXPECT_EQ(o->port, 7000);
  EXPECT_EQ(o->threads, 2);
  EXPECT_EQ(o->connections, 3);
  EXPECT_EQ(o->pipeline, 16);
  EXPECT_EQ(o->keyspace, 500u);
  EXPECT_EQ(o->distribution.kind, Distribution::Kind::kZipf);
  EXPECT_EQ(o->value_min, 8u);
  EXPECT_EQ(o->value_max, 64u);
  EXPECT_EQ(o->key_prefix, "bench:");
  EXPECT_EQ(o->requests, 1000u);
  EXPECT_DOUBLE_EQ(o->duration_s, 0);  // --requests alone: no time limit
  EXPECT_EQ(o->seed, 9u);
  EXPECT_DOUBLE_EQ(o->rate, 5000);
  EXPECT_TRUE(o->json);
  EXPECT_FALSE(o->progress);
  EXPECT_TRUE(o->resp3);
  EXPECT_FALSE(ParseBenchArgs({"--threads", "0"}).ok());
  EXPECT_FALSE(ParseBenchArgs({"--value-size", "9-3"}).ok());
  EXPECT_FALSE(ParseBenchArgs({"--ratio", "1:1", "--commands", "get"}).ok());
  EXPECT_FALSE(ParseBenchArgs({"--nope"}).ok());
  EXPECT_FALSE(ParseBenchArgs({"--port"}).ok());
  EXPECT_FALSE(ParseBenchArgs({"stray"}).ok());
}

}  // namespace
}  // namespace ringkv::bench
