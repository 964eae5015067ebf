// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// List micro-benchmarks: push/pop/range/index throughput on a ListObject, and bytes per element
// of a 1M-element list measured with Engine::UsedMemory for three kinds of short values. The
// values are generated deterministically so the same data can be loaded into redis-server for a
// comparison (RPUSH in batches of 100 through redis-cli --pipe; Rand16 is easy to reproduce in
// a few lines of Python) and compared with INFO memory's used_memory before and after.
//
//   list_bench --benchmark_filter=BytesPerElement
//   list_bench --benchmark_filter='Push|Pop|Range|Index'
//
// Value kinds (argument 0 of BM_ListBytesPerElement):
//   0  "item:%08d" for i = 0..N-1          (13 bytes, sequential: compresses well)
//   1  16 random [a-z0-9] characters       (from Rand16 below: incompressible for LZ)
//   2  the decimal text of i                (integers, stored in binary)
// Argument 1: the compress depth (1 = default, 0 = no compression).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/types/limits.h"
#include "engine/types/list.h"

namespace ringkv::engine {
namespace {

// xorshift64*: the same sequence the comparison script computes.
struct Rand16 {
  uint64_t s = 88172645463325252ULL;
  std::string Next() {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    std::string out(16, ' ');
    for (char& c : out) {
      s ^= s >> 12;
      s ^= s << 25;
      s ^= s >> 27;
      const uint64_t r = s * 2685821657736338717ULL;
      c = kAlphabet[(r >> 33) % 36];
    }
    return out;
  }
};

std::vector<std::string> MakeValues(int kind, size_t n) {
  std::vector<std::string> v;
  v.reserve(n);
  Rand16 rng;
  char buf[32];
  for (size_t i = 0; i < n; ++i) {
    if (kind == 0) {
      std::snprintf(buf, sizeof(buf), "item:%08zu", i);
      v.emplace_back(buf);
    } else if (kind == 1) {
      v.push_back(rng.Next());
    } else {
      v.push_back(std::to_string(i));
    }
  }
  return v;
}

void BM_ListBytesPerElement(benchmark::State& state) {
  const int kind = static_cast<int>(state.range(0));
  const int old_depth = ListCompressDepth().load();
  ListCompressDepth() = static_cast<int>(state.range(1));
  constexpr size_t kN = 1000000;
  const std::vector<std::string> values = MakeValues(kind, kN);
  for (auto _ : state) {
    ManualClock clock;
    Engine engine(EngineOptions{}, &clock);
    const size_t before = engine.UsedMemory();
    // RPUSH in batches of 100, as the redis-cli --pipe load does.
    for (size_t i = 0; i < kN; i += 100) {
      engine.UpdateObject(0, "list", ValueType::kList, [&](std::unique_ptr<Object>& o) {
        if (o == nullptr) o = std::make_unique<ListObject>();
        auto& l = static_cast<ListObject&>(*o);
        for (size_t k = i; k < i + 100; ++k) l.Push(ListEnd::kTail, values[k]);
      });
    }
    const size_t after = engine.UsedMemory();
    state.counters["bytes_per_element"] =
        static_cast<double>(after - before) / static_cast<double>(kN);
    size_t nodes = 0, compressed = 0;
    engine.ReadObject(0, "list", ValueType::kList, [&](const Object& o) {
      const auto& l = static_cast<const ListObject&>(o);
      nodes = l.node_count();
      compressed = l.compressed_node_count();
    });
    state.counters["nodes"] = static_cast<double>(nodes);
    state.counters["compressed_nodes"] = static_cast<double>(compressed);
  }
  ListCompressDepth() = old_depth;
}
BENCHMARK(BM_ListBytesPerElement)
    ->ArgsProduct({{0, 1, 2}, {1, 0}})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

void BM_ListPush(benchmark::State& state) {
  const ListEnd end = state.range(0) == 0 ? ListEnd::kHead : ListEnd::kTail;
  const std::string v(static_cast<size_t>(state.range(1)), 'v');
  auto l = std::make_unique<ListObject>();
  size_t n = 0;
  for (auto _ : state) {
    l->Push(end, v);
    if (++n == 2000000) {  // bound the memory of long runs
      state.PauseTiming();
      l = std::make_unique<ListObject>();
      n = 0;
      state.ResumeTiming();
    }
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ListPush)->ArgsProduct({{0, 1}, {8, 100}});

// LPOP/RPOP from a list that is refilled (untimed) whenever it runs empty.
void BM_ListPop(benchmark::State& state) {
  const ListEnd end = state.range(0) == 0 ? ListEnd::kHead : ListEnd::kTail;
  const std::vector<std::string> values = MakeValues(0, 1000000);
  ListObject l;
  size_t total = 0;
  for (auto _ : state) {
    if (l.Size() == 0) {
      state.PauseTiming();
      for (const std::string& v : values) l.Push(ListEnd::kTail, v);
      state.ResumeTiming();
    }
    l.Pop(end, [&](std::string_view v) { total += v.size(); });
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ListPop)->Arg(0)->Arg(1);

// A queue: LPUSH + RPOP at a steady length of 1M (every element crosses the list, through
// compression and decompression of the interior nodes).
void BM_ListQueue(benchmark::State& state) {
  const std::vector<std::string> values = MakeValues(0, 1000000);
  ListObject l;
  for (const std::string& v : values) l.Push(ListEnd::kHead, v);
  size_t i = 0, total = 0;
  for (auto _ : state) {
    l.Push(ListEnd::kHead, values[i]);
    l.Pop(ListEnd::kTail, [&](std::string_view v) { total += v.size(); });
    if (++i == values.size()) i = 0;
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_ListQueue);

// LRANGE start start+99 on a 1M-element list: at the head (plain node) and in the middle
// (compressed nodes, decompressed per call).
void BM_ListRange100(benchmark::State& state) {
  const std::vector<std::string> values = MakeValues(0, 1000000);
  ListObject l;
  for (const std::string& v : values) l.Push(ListEnd::kTail, v);
  const int64_t start = state.range(0);
  size_t total = 0;
  for (auto _ : state) {
    l.Range(start, start + 99, [&](std::string_view v) { total += v.size(); });
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * 100);
}
BENCHMARK(BM_ListRange100)->Arg(0)->Arg(500000);

// LRANGE 0 -1 over a whole list of N elements.
void BM_ListRangeAll(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const std::vector<std::string> values = MakeValues(0, n);
  ListObject l;
  for (const std::string& v : values) l.Push(ListEnd::kTail, v);
  size_t total = 0;
  for (auto _ : state) {
    l.Range(0, -1, [&](std::string_view v) { total += v.size(); });
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
}
BENCHMARK(BM_ListRangeAll)->Arg(100)->Arg(10000)->Arg(1000000);

// LINDEX at a random position of a 1M-element list.
void BM_ListIndexRandom(benchmark::State& state) {
  ListCompressDepth() = static_cast<int>(state.range(0));
  const std::vector<std::string> values = MakeValues(0, 1000000);
  ListObject l;
  for (const std::string& v : values) l.Push(ListEnd::kTail, v);
  uint64_t x = 12345;
  size_t total = 0;
  for (auto _ : state) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    l.Index(static_cast<int64_t>((x >> 33) % values.size()),
            [&](std::string_view v) { total += v.size(); });
  }
  benchmark::DoNotOptimize(total);
  ListCompressDepth() = 1;
}
BENCHMARK(BM_ListIndexRandom)->Arg(1)->Arg(0);

}  // namespace
}  // namespace ringkv::engine
