// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Runs a ringkv-bench load: --threads threads, each driving --connections connections from one
// epoll loop with up to --pipeline requests in flight per connection. Connections are made with
// client::Connection (so AUTH, SELECT and HELLO 3 work as in every tool) and then driven through
// its non-blocking pieces.
//
// Closed loop (rate 0): each connection keeps `pipeline` requests in flight; latency is from
// send to reply. Open loop (rate R): each connection has a fixed schedule of R/connections
// requests per second; a request that cannot be sent on time (pipeline full, server slow) waits
// in a backlog, and its latency still counts from its scheduled time, so the histogram shows what
// a user arriving at that moment would have seen (no coordinated omission).
#pragma once

#include <array>
#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "bench/ringkv_bench/bench_options.h"
#include "bench/ringkv_bench/histogram.h"
#include "bench/ringkv_bench/workload.h"

namespace ringkv::bench {

struct OpStats {
  uint64_t count = 0;   // replies received
  uint64_t errors = 0;  // error replies
  uint64_t hits = 0;    // reads that found data
  uint64_t misses = 0;  // reads that found nothing (nil or empty)
  Histogram latency_ns;

  void Merge(const OpStats& other);
};

struct BenchResult {
  double elapsed_s = 0;
  std::array<OpStats, kOpCount> ops;
  OpStats total;  // all commands together
  // Open loop only: requests scheduled before the end but never sent.
  uint64_t unsent = 0;
};

// Once a second from the calling thread while the run is going.
struct Progress {
  double elapsed_s = 0;
  uint64_t completed = 0;  // since the start
  double ops_per_sec = 0;  // over the last interval
  uint64_t p99_ns = 0;     // over the last interval
};

absl::StatusOr<BenchResult> RunBench(const BenchOptions& options,
                                     const std::function<void(const Progress&)>& on_progress = {});

}  // namespace ringkv::bench
