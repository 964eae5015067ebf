// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench's output: the human table (throughput and p50/p90/p99/p99.9/max latency per
// command, hits and misses for reads) and the same numbers as JSON for scripts. Latencies are
// printed in microseconds.
#pragma once

#include <string>

#include "bench/ringkv_bench/bench_options.h"
#include "bench/ringkv_bench/runner.h"

namespace ringkv::bench {

std::string FormatTable(const BenchOptions& options, const BenchResult& result);
std::string FormatJson(const BenchOptions& options, const BenchResult& result);
// The live line: "[   3s] 123456 ops/s  p99 0.412 ms  total 370000".
std::string FormatProgress(const Progress& progress);

}  // namespace ringkv::bench
