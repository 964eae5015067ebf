// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/command_stats.h"

#include "server/cycle_clock.h"

namespace ringkv::server {

namespace {
std::atomic<uint64_t> next_stats_id{1};
}  // namespace

uint64_t CommandStats::NextId() { return next_stats_id.fetch_add(1); }

// tls_owner/tls_block remember the last CommandStats this thread used and its block there (tests
// run several servers' contexts on one thread; a server has one). Switching back to an earlier
// one adds a block for it; Snapshot sums them all.
CommandStats::Block& CommandStats::LocalSlow(size_t commands) {
  absl::MutexLock lock(&mu_);
  blocks_.push_back(std::make_unique<Block>(commands));
  tls_owner = id_;
  tls_block = blocks_.back().get();
  return *blocks_.back();
}

void CommandStats::RecordError(std::string_view code, size_t commands) {
  Block& b = Local(commands);
  Bump(b.total_errors, 1);
  absl::MutexLock lock(&b.mu);
  ++b.errors[std::string(code)];
}

void CommandStats::Snapshot(size_t commands, std::vector<CommandCounters>* counters,
                            absl::flat_hash_map<std::string, int64_t>* errors) const {
  counters->assign(commands, CommandCounters{});
  std::vector<int64_t> cycles(commands, 0);
  absl::MutexLock lock(&mu_);
  for (const auto& b : blocks_) {
    for (size_t i = 0; i < commands && i < b->counters.size(); ++i) {
      const AtomicCounters& c = b->counters[i];
      (*counters)[i].calls += c.calls.load(std::memory_order_relaxed);
      cycles[i] += c.cycles.load(std::memory_order_relaxed);
      (*counters)[i].rejected_calls += c.rejected_calls.load(std::memory_order_relaxed);
      (*counters)[i].failed_calls += c.failed_calls.load(std::memory_order_relaxed);
    }
    absl::MutexLock elock(&b->mu);
    for (const auto& [code, n] : b->errors) (*errors)[code] += n;
  }
  const double per_us = CyclesPerMicrosecond();
  for (size_t i = 0; i < commands; ++i) {
    (*counters)[i].usec = static_cast<int64_t>(static_cast<double>(cycles[i]) / per_us);
  }
}

int64_t CommandStats::TotalErrors() const {
  absl::MutexLock lock(&mu_);
  int64_t n = 0;
  for (const auto& b : blocks_) n += b->total_errors.load(std::memory_order_relaxed);
  return n;
}

int64_t CommandStats::TotalCalls() const {
  absl::MutexLock lock(&mu_);
  int64_t n = 0;
  for (const auto& b : blocks_) {
    for (const AtomicCounters& c : b->counters) n += c.calls.load(std::memory_order_relaxed);
  }
  return n;
}

void CommandStats::Reset() {
  absl::MutexLock lock(&mu_);
  for (const auto& b : blocks_) {
    for (AtomicCounters& c : b->counters) {
      c.calls.store(0, std::memory_order_relaxed);
      c.cycles.store(0, std::memory_order_relaxed);
      c.rejected_calls.store(0, std::memory_order_relaxed);
      c.failed_calls.store(0, std::memory_order_relaxed);
    }
    b->total_errors.store(0, std::memory_order_relaxed);
    absl::MutexLock elock(&b->mu);
    b->errors.clear();
  }
}

}  // namespace ringkv::server
