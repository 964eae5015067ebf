// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The request mix of ringkv-bench: which commands, with what weights, and how each request is
// built (key from a KeyGenerator, value of the configured size). Each data type uses its own key
// family so a mixed run never hits WRONGTYPE: strings "<prefix><n>", counters "<prefix>ctr:<n>",
// hashes "<prefix>h:<n>", lists "<prefix>l:<n>", sorted sets "<prefix>z:<n>".
//
// Thread safety: none; one Workload per connection.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "bench/ringkv_bench/key_generator.h"

namespace ringkv::bench {

enum class Op : uint8_t {
  kGet,
  kSet,
  kIncr,
  kHset,
  kHgetall,
  kLpush,
  kLpop,
  kZadd,
  kZrange,
  kXadd,
  kXread,
};
inline constexpr size_t kOpCount = 11;

// Lower-case command name, as used in --commands and the JSON output.
std::string_view OpName(Op op);
// True for reads whose reply says whether the key existed (hits and misses are counted).
bool IsRead(Op op);

struct OpWeight {
  Op op;
  uint32_t weight;
};

// Parses "get,set" (equal weights) or "get:10,set:1,hset:2". "session" expands to hset,hgetall.
absl::StatusOr<std::vector<OpWeight>> ParseCommandMix(std::string_view text);
// Parses --ratio "S:G" into SET weight S, GET weight G.
absl::StatusOr<std::vector<OpWeight>> ParseRatio(std::string_view text);

struct WorkloadConfig {
  std::vector<OpWeight> mix;
  uint64_t keyspace = 100000;
  Distribution distribution;
  uint32_t value_min = 32;
  uint32_t value_max = 32;
  std::string key_prefix = "key:";
  int hash_fields = 4;
};

class Workload {
 public:
  // REQUIRES: config.mix has a positive total weight; value_min <= value_max.
  Workload(const WorkloadConfig& config, uint64_t seed, uint64_t sequential_start);

  // Picks the next command and appends its RESP encoding to *out.
  Op Next(std::string* out);

 private:
  std::string_view Value();
  void Key(std::string_view family, uint64_t index);

  WorkloadConfig config_;
  Rng rng_;
  KeyGenerator keys_;
  std::vector<std::pair<uint64_t, Op>> cumulative_;  // running weight total -> op
  uint64_t total_weight_ = 0;
  std::string value_pool_;  // random printable bytes values are sliced from
  std::string key_;
  std::vector<std::string_view> args_;
  std::vector<std::string> scratch_;
};

}  // namespace ringkv::bench
