// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Set micro-benchmarks: SADD and SISMEMBER throughput through the engine (Engine::UpdateObject /
// ReadObject on one set key, as the command handlers call them), SetObject::Contains alone next
// to absl::flat_hash_set<std::string> as a speed baseline, and bytes per member of a 1M-member
// set of short strings ("member:00000001", 15 bytes) and of integers (0..999999), as
// Engine::UsedMemory counts them (what INFO's used_memory reports) and as RSS sees them. Run one
// process per bytes-per-member case (RSS). Redis 7.0's figure for the same data is used_memory
// before and after loading it (1000 members per SADD).
//
//   set_bench --benchmark_filter=SetBytesPerMember/1000000/0
//   LD_PRELOAD=libjemalloc.so.2 set_bench --benchmark_filter=SetBytesPerMember/1000000/1
//   set_bench --benchmark_filter='SetAdd|SetIsMember|Contains'
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "engine/engine.h"
#include "engine/types/set.h"
#include "engine/types/set_table.h"

namespace ringkv::engine {
namespace {

std::string StringMember(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "member:%08llu", static_cast<unsigned long long>(i));
  return buf;
}

std::string Member(uint64_t i, bool ints) { return ints ? std::to_string(i) : StringMember(i); }

size_t Rss() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  unsigned long pages = 0;
  unsigned long resident = 0;
  const int n = std::fscanf(f, "%lu %lu", &pages, &resident);
  std::fclose(f);
  return n == 2 ? resident * static_cast<size_t>(sysconf(_SC_PAGESIZE)) : 0;
}

extern "C" int mallctl(const char*, void*, size_t*, void*, size_t) __attribute__((weak));

void ReleaseFreeMemory() {
  malloc_trim(0);
  if (mallctl != nullptr) mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0);
}

void Add(Engine& e, std::string_view key, std::string_view member) {
  e.UpdateObject(0, key, ValueType::kSet, [&](std::unique_ptr<Object>& o) {
    if (o == nullptr) o = std::make_unique<SetObject>();
    static_cast<SetObject&>(*o).Add(member);
  });
}

// SADD of new members into one growing set (range(0): the set's final size; range(1): ints).
void BM_SetAdd(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const bool ints = state.range(1) != 0;
  std::vector<std::string> members;
  for (uint64_t i = 0; i < n; ++i) members.push_back(Member(i * 7919 % n, ints));
  ManualClock clock;
  for (auto _ : state) {
    state.PauseTiming();
    auto e = std::make_unique<Engine>(EngineOptions{}, &clock);
    state.ResumeTiming();
    for (const std::string& m : members) Add(*e, "set", m);
    state.PauseTiming();
    e.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_SetAdd)->Args({1000000, 0})->Args({1000000, 1})->Unit(benchmark::kMillisecond);

// SISMEMBER on a 1M-member set: hits and misses alternating.
void BM_SetIsMember(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const bool ints = state.range(1) != 0;
  ManualClock clock;
  Engine e(EngineOptions{}, &clock);
  for (uint64_t i = 0; i < n; ++i) Add(e, "set", Member(i, ints));
  std::vector<std::string> probes;
  for (uint64_t i = 0; i < 4096; ++i) probes.push_back(Member((i * 104729) % (2 * n), ints));
  size_t i = 0;
  int64_t hits = 0;
  for (auto _ : state) {
    const std::string& m = probes[i++ & 4095];
    e.ReadObject(0, "set", ValueType::kSet, [&](const Object& o) {
      hits += static_cast<const SetObject&>(o).Contains(m) ? 1 : 0;
    });
  }
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetIsMember)->Args({1000000, 0})->Args({1000000, 1});

// SISMEMBER's work alone: SetObject::Contains on a 1M-member set, no engine, no lock.
void BM_SetContains(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const bool ints = state.range(1) != 0;
  SetObject s;
  for (uint64_t i = 0; i < n; ++i) s.Add(Member(i, ints));
  std::vector<std::string> probes;
  for (uint64_t i = 0; i < 4096; ++i) probes.push_back(Member((i * 104729) % (2 * n), ints));
  size_t i = 0;
  int64_t hits = 0;
  for (auto _ : state) hits += s.Contains(probes[i++ & 4095]) ? 1 : 0;
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SetContains)->Args({1000000, 0})->Args({1000000, 1});

// The same probes against absl::flat_hash_set<std::string>, a speed baseline measured under the
// same machine load (it spends ~50-60 bytes per member).
void BM_FlatHashSetContains(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const bool ints = state.range(1) != 0;
  absl::flat_hash_set<std::string> s;
  for (uint64_t i = 0; i < n; ++i) s.insert(Member(i, ints));
  std::vector<std::string> probes;
  for (uint64_t i = 0; i < 4096; ++i) probes.push_back(Member((i * 104729) % (2 * n), ints));
  size_t i = 0;
  int64_t hits = 0;
  for (auto _ : state) hits += s.contains(probes[i++ & 4095]) ? 1 : 0;
  benchmark::DoNotOptimize(hits);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_FlatHashSetContains)->Args({1000000, 0})->Args({1000000, 1});

// Bytes per member of one 1M-member set: Engine::UsedMemory (allocator usable sizes, what
// INFO's used_memory reports) and the RSS delta.
void BM_SetBytesPerMember(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  const bool ints = state.range(1) != 0;
  ManualClock clock;
  for (auto _ : state) {
    ReleaseFreeMemory();
    const size_t rss0 = Rss();
    auto e = std::make_unique<Engine>(EngineOptions{}, &clock);
    const size_t used0 = e->UsedMemory();
    for (uint64_t i = 0; i < n; ++i) Add(*e, "set", Member(i, ints));
    ReleaseFreeMemory();
    const double dn = static_cast<double>(n);
    state.counters["used_memory_per_member"] = static_cast<double>(e->UsedMemory() - used0) / dn;
    state.counters["rss_per_member"] = static_cast<double>(Rss() - rss0) / dn;
    e->ReadObject(0, "set", ValueType::kSet, [&](const Object& o) {
      const auto& s = static_cast<const SetObject&>(o);
      state.counters["buckets"] = s.is_table() ? static_cast<double>(s.table()->buckets()) : 0;
    });
    state.PauseTiming();
    e.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_SetBytesPerMember)
    ->Args({1000000, 0})
    ->Args({1000000, 1})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ringkv::engine
