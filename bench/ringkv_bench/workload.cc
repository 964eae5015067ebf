// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Request construction for ringkv-bench (see workload.h).
#include "bench/ringkv_bench/workload.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "protocol/command_encoder.h"

namespace ringkv::bench {
namespace {

constexpr std::array<std::string_view, kOpCount> kNames = {
    "get", "set", "incr", "hset", "hgetall", "lpush", "lpop", "zadd", "zrange", "xadd", "xread"};

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool ParseOp(std::string_view name, Op* op) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (name == kNames[i]) {
      *op = static_cast<Op>(i);
      return true;
    }
  }
  return false;
}

void AppendNumber(uint64_t n, std::string* out) {
  char buf[24];
  out->append(buf, std::to_chars(buf, buf + sizeof(buf), n).ptr);
}

}  // namespace

std::string_view OpName(Op op) { return kNames[static_cast<size_t>(op)]; }

bool IsRead(Op op) {
  return op == Op::kGet || op == Op::kHgetall || op == Op::kLpop || op == Op::kZrange ||
         op == Op::kXread;
}

absl::StatusOr<std::vector<OpWeight>> ParseCommandMix(std::string_view text) {
  std::vector<OpWeight> mix;
  for (absl::string_view item : absl::StrSplit(AbslView(text), ',', absl::SkipEmpty())) {
    std::vector<absl::string_view> parts = absl::StrSplit(item, ':');
    uint32_t weight = 1;
    if (parts.size() > 2 || (parts.size() == 2 && !absl::SimpleAtoi(parts[1], &weight))) {
      return absl::InvalidArgumentError(
          absl::StrCat("bad --commands entry '", item, "' (expected name or name:weight)"));
    }
    std::string_view name(parts[0].data(), parts[0].size());
    if (name == "session") {
      mix.push_back({Op::kHset, weight});
      mix.push_back({Op::kHgetall, weight});
      continue;
    }
    Op op;
    if (!ParseOp(name, &op)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown command '", parts[0],
          "' in --commands (get, set, incr, hset, hgetall, session, lpush, lpop, zadd, zrange, "
          "xadd, xread)"));
    }
    mix.push_back({op, weight});
  }
  uint64_t total = 0;
  for (const OpWeight& w : mix) total += w.weight;
  if (total == 0)
    return absl::InvalidArgumentError("--commands needs at least one positive weight");
  return mix;
}

absl::StatusOr<std::vector<OpWeight>> ParseRatio(std::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(AbslView(text), ':');
  uint32_t sets = 0, gets = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &sets) ||
      !absl::SimpleAtoi(parts[1], &gets) || sets + gets == 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --ratio '", AbslView(text), "' (expected SET:GET, e.g. 1:10)"));
  }
  std::vector<OpWeight> mix;
  if (sets > 0) mix.push_back({Op::kSet, sets});
  if (gets > 0) mix.push_back({Op::kGet, gets});
  return mix;
}

Workload::Workload(const WorkloadConfig& config, uint64_t seed, uint64_t sequential_start)
    : config_(config),
      rng_(seed ^ 0x5bd1e995ULL),
      keys_(config.distribution, config.keyspace, seed, sequential_start) {
  for (const OpWeight& w : config_.mix) {
    if (w.weight == 0) continue;
    total_weight_ += w.weight;
    cumulative_.push_back({total_weight_, w.op});
  }
  // Values are slices of one random buffer: cheap to produce, and not all-equal bytes, which
  // a server could compress or a network path could shortcut.
  size_t pool = std::max<size_t>(64 * 1024, config_.value_max * 2ULL);
  value_pool_.resize(pool);
  static constexpr char kAlphabet[] =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
  for (char& c : value_pool_) c = kAlphabet[rng_.Next() & 63];
  scratch_.resize(2);
}

std::string_view Workload::Value() {
  uint32_t len = config_.value_min;
  if (config_.value_max > config_.value_min) {
    len += static_cast<uint32_t>(rng_.Uniform(config_.value_max - config_.value_min + 1ULL));
  }
  size_t offset = rng_.Uniform(value_pool_.size() - len + 1);
  return std::string_view(value_pool_).substr(offset, len);
}

void Workload::Key(std::string_view family, uint64_t index) {
  key_.assign(config_.key_prefix);
  key_.append(family);
  AppendNumber(index, &key_);
}

Op Workload::Next(std::string* out) {
  uint64_t pick = rng_.Uniform(total_weight_);
  Op op =
      std::upper_bound(cumulative_.begin(), cumulative_.end(), pick, [](uint64_t v, const auto& c) {
        return v < c.first;
      })->second;
  uint64_t index = keys_.Next();
  args_.clear();
  switch (op) {
    case Op::kGet:
      Key("", index);
      args_ = {"GET", key_};
      break;
    case Op::kSet:
      Key("", index);
      args_ = {"SET", key_, Value()};
      break;
    case Op::kIncr:
      Key("ctr:", index);
      args_ = {"INCR", key_};
      break;
    case Op::kHset: {
      // A session-like record: a few named fields of the configured value size.
      Key("h:", index);
      args_ = {"HSET", key_};
      static constexpr std::string_view kFields[] = {"f0",  "f1",  "f2",  "f3", "f4",  "f5",
                                                     "f6",  "f7",  "f8",  "f9", "f10", "f11",
                                                     "f12", "f13", "f14", "f15"};
      int fields = std::clamp(config_.hash_fields, 1, 16);
      for (int i = 0; i < fields; ++i) {
        args_.push_back(kFields[i]);
        args_.push_back(Value());
      }
      break;
    }
    case Op::kHgetall:
      Key("h:", index);
      args_ = {"HGETALL", key_};
      break;
    case Op::kLpush:
      Key("l:", index);
      args_ = {"LPUSH", key_, Value()};
      break;
    case Op::kLpop:
      Key("l:", index);
      args_ = {"LPOP", key_};
      break;
    case Op::kZadd:
      Key("z:", index);
      scratch_[0].clear();
      AppendNumber(rng_.Uniform(1000000), &scratch_[0]);
      scratch_[1].assign("m:");
      AppendNumber(rng_.Uniform(config_.keyspace), &scratch_[1]);
      args_ = {"ZADD", key_, scratch_[0], scratch_[1]};
      break;
    case Op::kZrange:
      Key("z:", index);
      args_ = {"ZRANGE", key_, "0", "9"};
      break;
    case Op::kXadd:
      // An event-log append of three fields, the stream kept near 1000 entries.
      Key("x:", index);
      args_ = {"XADD", key_,    "MAXLEN", "~",     "1000", "*",
               "f0",   Value(), "f1",     Value(), "f2",   Value()};
      break;
    case Op::kXread:
      Key("x:", index);
      args_ = {"XREAD", "COUNT", "10", "STREAMS", key_, "0-0"};
      break;
  }
  protocol::EncodeCommand(std::span<const std::string_view>(args_), out);
  return op;
}

}  // namespace ringkv::bench
