// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench's configuration and its command-line parser. Flags take "--flag value" or
// "--flag=value". See BenchUsage() and docs/tools.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/ringkv_bench/key_generator.h"
#include "bench/ringkv_bench/workload.h"

namespace ringkv::bench {

struct BenchOptions {
  // Target. unix_path, when set, wins over host/port.
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string unix_path;
  std::string user;
  std::string password;
  int db = 0;
  bool resp3 = false;

  // Shape of the load. Connections are per thread.
  int threads = 1;
  int connections = 4;
  int pipeline = 1;  // requests in flight per connection
  // Command mix with weights. Default: --ratio 1:10 (SET:GET).
  std::vector<OpWeight> mix = {{Op::kSet, 1}, {Op::kGet, 10}};

  // Keys and values.
  uint64_t keyspace = 100000;
  Distribution distribution;  // default uniform
  uint32_t value_min = 32;
  uint32_t value_max = 32;
  std::string key_prefix = "key:";
  int hash_fields = 4;  // fields written by HSET (the "session" shape)

  // How long. With --requests the run stops after exactly that many requests in total; without,
  // after duration_s. Both: whichever comes first.
  double duration_s = 10;
  uint64_t requests = 0;
  bool duration_set = false;

  // Open loop: total requests per second across all connections, issued on a fixed schedule;
  // latency is measured from each request's scheduled time. 0 = closed loop (as fast as replies
  // come back).
  double rate = 0;

  uint64_t seed = 1;
  bool json = false;
  bool progress = true;  // live line on stderr every second
  bool help = false;
};

absl::StatusOr<BenchOptions> ParseBenchArgs(const std::vector<std::string>& args);
std::string BenchUsage();

}  // namespace ringkv::bench
