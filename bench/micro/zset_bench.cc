// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Sorted-set micro-benchmarks through the engine (Engine::UpdateObject / ReadObject, as the ZADD,
// ZRANGE and ZRANK handlers call it): ZADD of new members and score updates, ZSCORE, ZRANK,
// ZRANGE of 10 members by rank and by score, at 1K..1M members; and bytes per member of one
// sorted set (Engine::UsedMemory delta, allocator size classes included) for the shape the Redis
// comparison uses: members "member:%07d", scores uniform random doubles in [0, 1e6).
//
//   zset_bench --benchmark_filter=BytesPerMember
//   zset_bench --benchmark_filter='ZAdd|ZRank|ZRange'
//
// The same shape loaded into redis-server 7.0 (INFO memory used_memory delta) is the reference the
// bytes per member are compared with.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "engine/types/zset.h"

namespace ringkv::engine {
namespace {

constexpr char kKey[] = "z";

std::string Member(uint64_t i) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "member:%07llu", static_cast<unsigned long long>(i));
  return buf;
}

ZSetObject& AsZSet(Object& o) { return static_cast<ZSetObject&>(o); }
const ZSetObject& AsZSet(const Object& o) { return static_cast<const ZSetObject&>(o); }

void ZAdd(Engine* e, std::string_view member, double score) {
  e->UpdateObject(0, kKey, ValueType::kZSet, [&](std::unique_ptr<Object>& obj) {
    if (!obj) obj = ZSetObject::Create();
    AsZSet(*obj).Add(member, score, 0);
  });
}

// An engine holding one sorted set of n members, shared by the read benchmarks of one size.
Engine* Filled(int64_t n) {
  static ManualClock clock;
  static std::unique_ptr<Engine> engine;
  static int64_t filled = -1;
  if (filled != n) {
    engine.reset();
    engine = std::make_unique<Engine>(EngineOptions{}, &clock);
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> score(0, 1e6);
    for (int64_t i = 0; i < n; ++i)
      ZAdd(engine.get(), Member(static_cast<uint64_t>(i)), score(rng));
    filled = n;
  }
  return engine.get();
}

// ZADD of new members with random scores into a set that starts at n members (and grows by the
// number of iterations).
void BM_ZAddNew(benchmark::State& state) {
  ManualClock clock;
  Engine e(EngineOptions{}, &clock);
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<double> score(0, 1e6);
  const auto n = static_cast<uint64_t>(state.range(0));
  for (uint64_t i = 0; i < n; ++i) ZAdd(&e, Member(i), score(rng));
  uint64_t next = n;
  // The member is formatted inside the loop (about 50 ns); pausing the timer costs more.
  for (auto _ : state) ZAdd(&e, Member(next++), score(rng));
  state.SetItemsProcessed(state.iterations());
}

// ZADD that moves an existing member to a new random score.
void BM_ZAddUpdate(benchmark::State& state) {
  const int64_t n = state.range(0);
  Engine* e = Filled(n);
  std::mt19937_64 rng(2);
  std::uniform_real_distribution<double> score(0, 1e6);
  std::vector<std::string> members;
  for (int i = 0; i < 4096; ++i) members.push_back(Member(rng() % static_cast<uint64_t>(n)));
  size_t i = 0;
  for (auto _ : state) ZAdd(e, members[i++ & 4095], score(rng));
  state.SetItemsProcessed(state.iterations());
}

void BM_ZScore(benchmark::State& state) {
  const int64_t n = state.range(0);
  Engine* e = Filled(n);
  std::mt19937_64 rng(3);
  std::vector<std::string> members;
  for (int i = 0; i < 4096; ++i) members.push_back(Member(rng() % static_cast<uint64_t>(n)));
  size_t i = 0;
  double sum = 0;
  for (auto _ : state) {
    e->ReadObject(0, kKey, ValueType::kZSet, [&](const Object& o) {
      double s;
      if (AsZSet(o).Score(members[i++ & 4095], &s)) sum += s;
    });
  }
  benchmark::DoNotOptimize(sum);
  state.SetItemsProcessed(state.iterations());
}

void BM_ZRank(benchmark::State& state) {
  const int64_t n = state.range(0);
  Engine* e = Filled(n);
  std::mt19937_64 rng(4);
  std::vector<std::string> members;
  for (int i = 0; i < 4096; ++i) members.push_back(Member(rng() % static_cast<uint64_t>(n)));
  size_t i = 0;
  size_t total = 0;
  for (auto _ : state) {
    e->ReadObject(0, kKey, ValueType::kZSet, [&](const Object& o) {
      size_t rank;
      if (AsZSet(o).Rank(members[i++ & 4095], false, &rank, nullptr)) total += rank;
    });
  }
  benchmark::DoNotOptimize(total);
  state.SetItemsProcessed(state.iterations());
}

// ZRANGE key r r+9 WITHSCORES at a random rank.
void BM_ZRangeByRank10(benchmark::State& state) {
  const int64_t n = state.range(0);
  Engine* e = Filled(n);
  std::mt19937_64 rng(5);
  size_t bytes = 0;
  for (auto _ : state) {
    const size_t first = rng() % static_cast<uint64_t>(n - 10);
    e->ReadObject(0, kKey, ValueType::kZSet, [&](const Object& o) {
      AsZSet(o).RangeByRank(first, first + 9, false,
                            [&](const ZEntry& en) { bytes += en.member.size(); });
    });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

// ZRANGEBYSCORE key min +inf LIMIT 0 10 at a random min.
void BM_ZRangeByScore10(benchmark::State& state) {
  const int64_t n = state.range(0);
  Engine* e = Filled(n);
  std::mt19937_64 rng(6);
  std::uniform_real_distribution<double> score(0, 9e5);
  size_t bytes = 0;
  for (auto _ : state) {
    const ScoreRange r{score(rng), 1e300, false, false};
    e->ReadObject(0, kKey, ValueType::kZSet, [&](const Object& o) {
      AsZSet(o).RangeByScore(r, false, 0, 10, [&](const ZEntry& en) { bytes += en.member.size(); });
    });
  }
  benchmark::DoNotOptimize(bytes);
  state.SetItemsProcessed(state.iterations());
}

// Engine::UsedMemory delta per member after loading one set of n members.
void BM_ZSetBytesPerMember(benchmark::State& state) {
  const int64_t n = state.range(0);
  for (auto _ : state) {
    ManualClock clock;
    Engine e(EngineOptions{}, &clock);
    const size_t before = e.UsedMemory();
    std::mt19937_64 rng(42);
    std::uniform_real_distribution<double> score(0, 1e6);
    for (int64_t i = 0; i < n; ++i) ZAdd(&e, Member(static_cast<uint64_t>(i)), score(rng));
    const size_t after = e.UsedMemory();
    state.counters["bytes_per_member"] =
        static_cast<double>(after - before) / static_cast<double>(n);
    double large = 0;
    e.ReadObject(0, kKey, ValueType::kZSet, [&](const Object& o) {
      large = AsZSet(o).encoding() == Encoding::kSkiplist ? 1 : 0;
    });
    state.counters["large_encoding"] = large;
  }
}

BENCHMARK(BM_ZAddNew)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZAddUpdate)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZScore)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZRank)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZRangeByRank10)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZRangeByScore10)->Arg(1000)->Arg(100000)->Arg(1000000);
BENCHMARK(BM_ZSetBytesPerMember)
    ->Arg(100)
    ->Arg(100000)
    ->Arg(1000000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ringkv::engine
