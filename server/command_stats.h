// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Per-command and per-error counters for INFO commandstats / errorstats, kept per thread so that
// workers never share a cache line on the request path: each thread increments its own block
// (relaxed atomic load + store, no locked instruction) and INFO sums the blocks.
//
// Thread safety: Record*() from any thread (each touches only its own block); Snapshot() and
// Reset() from any thread (Reset races benignly with concurrent increments, as Redis's
// CONFIG RESETSTAT does with nothing to race).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"

namespace ringkv::server {

struct CommandCounters {
  int64_t calls = 0;
  int64_t usec = 0;            // Snapshot converts the recorded counter ticks (cycle_clock.h)
  int64_t rejected_calls = 0;  // refused before running (arity, auth, ACL, MULTI state)
  int64_t failed_calls = 0;    // ran and answered an error
};

class CommandStats {
 public:
  CommandStats() = default;
  CommandStats(const CommandStats&) = delete;
  CommandStats& operator=(const CommandStats&) = delete;

  // `index`: the command's position in CommandTable::all(); `commands`: the table's size.
  // `cycles`: the command's duration in CycleNow() ticks.
  void RecordCall(size_t index, size_t commands, uint64_t cycles, bool failed) {
    Block& b = Local(commands);
    Bump(b.counters[index].calls, 1);
    Bump(b.counters[index].cycles, static_cast<int64_t>(cycles));
    if (failed) Bump(b.counters[index].failed_calls, 1);
  }
  void RecordRejected(size_t index, size_t commands) {
    Bump(Local(commands).counters[index].rejected_calls, 1);
  }
  // An error reply; `code` is its first word ("ERR", "WRONGTYPE", ...).
  void RecordError(std::string_view code, size_t commands);

  // Sums over threads: counters per command index (size `commands`), errors per code.
  void Snapshot(size_t commands, std::vector<CommandCounters>* counters,
                absl::flat_hash_map<std::string, int64_t>* errors) const;
  int64_t TotalErrors() const;
  // Commands run, over every command and thread (INFO total_commands_processed).
  int64_t TotalCalls() const;
  void Reset();

 private:
  struct AtomicCounters {
    std::atomic<int64_t> calls{0};
    std::atomic<int64_t> cycles{0};
    std::atomic<int64_t> rejected_calls{0};
    std::atomic<int64_t> failed_calls{0};
  };
  struct Block {
    explicit Block(size_t n) : counters(n) {}
    std::vector<AtomicCounters> counters;
    std::atomic<int64_t> total_errors{0};
    mutable absl::Mutex mu;  // errors only: rare, and uncontended but for INFO
    absl::flat_hash_map<std::string, int64_t> errors ABSL_GUARDED_BY(mu);
  };

  static void Bump(std::atomic<int64_t>& c, int64_t by) {
    c.store(c.load(std::memory_order_relaxed) + by, std::memory_order_relaxed);
  }
  // The calling thread's block, created on first use. The fast path (this thread used this
  // CommandStats last) is inline: it runs for every command.
  Block& Local(size_t commands) {
    if (tls_owner == id_) return *static_cast<Block*>(tls_block);
    return LocalSlow(commands);
  }
  Block& LocalSlow(size_t commands);
  static inline thread_local uint64_t tls_owner = 0;
  static inline thread_local void* tls_block = nullptr;

  const uint64_t id_ = NextId();  // never reused, unlike an address
  mutable absl::Mutex mu_;
  std::vector<std::unique_ptr<Block>> blocks_ ABSL_GUARDED_BY(mu_);

  static uint64_t NextId();
};

}  // namespace ringkv::server
