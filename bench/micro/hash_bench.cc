// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Hash memory and speed (engine/types/hash.h), measured through the Engine as the server uses
// it (Engine::UpdateObject / ReadObject), with the engine's own accounting (UsedMemory(), the
// allocator's usable sizes: what INFO's used_memory reports).
//
//   BM_HashBytesPerField/1000000   one hash of 1M fields "field:0000000" -> "value:0000000"
//   BM_HashBytesPerKey/100000      100k session-like hashes of 10 short fields
//   BM_HashGet/<fields>            HGET of a random field (16: small encoding; 100000: large)
//   BM_HashSet/<fields>            HSET of an existing field with a new value
//
// The memory cases report bytes_per_field / bytes_per_key counters. Redis 7.0's figures for the
// same data (INFO used_memory before/after) are in docs/benchmarks.md. Release build only:
//   ./build/bench/micro/hash_bench --benchmark_filter=Bytes
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "engine/types/hash.h"

namespace ringkv::engine {
namespace {

std::unique_ptr<Engine> NewEngine(ManualClock* clock) {
  return std::make_unique<Engine>(EngineOptions{}, clock);
}

// HSET key f v [f v ...] as one engine call, like one pipelined command.
void HSet(Engine& engine, std::string_view key,
          const std::vector<std::pair<std::string, std::string>>& pairs) {
  engine.UpdateObject(0, key, ValueType::kHash, [&](std::unique_ptr<Object>& obj) {
    if (obj == nullptr) obj = HashObject::New();
    for (const auto& [f, v] : pairs) HashObject::Set(obj, f, v);
  });
}

void BM_HashBytesPerField(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    state.PauseTiming();
    ManualClock clock;
    auto engine = NewEngine(&clock);
    const size_t before = engine->UsedMemory();
    state.ResumeTiming();
    char f[32], v[32];
    std::vector<std::pair<std::string, std::string>> batch;
    for (size_t i = 0; i < n; ++i) {
      snprintf(f, sizeof(f), "field:%07zu", i);
      snprintf(v, sizeof(v), "value:%07zu", i);
      batch.emplace_back(f, v);
      if (batch.size() == 1000 || i + 1 == n) {
        HSet(*engine, "big", batch);
        batch.clear();
      }
    }
    state.PauseTiming();
    const size_t after = engine->UsedMemory();
    state.counters["bytes_per_field"] =
        static_cast<double>(after - before) / static_cast<double>(n);
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_HashBytesPerField)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(1);

// A web session: user id, CSRF token, timestamps, client details, a few small flags.
std::vector<std::pair<std::string, std::string>> Session(size_t i) {
  char csrf[40];
  snprintf(csrf, sizeof(csrf), "%032zx", i * 2654435761u);
  char ip[24];
  snprintf(ip, sizeof(ip), "10.0.%zu.%zu", i / 256 % 256, i % 256);
  return {{"user_id", std::to_string(10000 + i)},
          {"csrf", std::string(csrf, 32)},
          {"created", std::to_string(1700000000 + i)},
          {"last_seen", std::to_string(1700003600 + i)},
          {"ip", ip},
          {"ua", "Mozilla/5.0"},
          {"lang", "en-US"},
          {"theme", "dark"},
          {"cart", std::to_string(i % 7)},
          {"flags", "0"}};
}

void BM_HashBytesPerKey(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  char key[32];
  for (auto _ : state) {
    state.PauseTiming();
    ManualClock clock;
    auto engine = NewEngine(&clock);
    const size_t before = engine->UsedMemory();
    state.ResumeTiming();
    for (size_t i = 0; i < n; ++i) {
      snprintf(key, sizeof(key), "session:%08zu", i);
      HSet(*engine, key, Session(i));
    }
    state.PauseTiming();
    // Let the keyspace tables finish their incremental rehash before measuring.
    for (int t = 0; t < 64; ++t) engine->ActiveExpireCycle();
    const size_t after = engine->UsedMemory();
    state.counters["bytes_per_key"] = static_cast<double>(after - before) / static_cast<double>(n);
    engine.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}
BENCHMARK(BM_HashBytesPerKey)->Arg(100000)->Unit(benchmark::kMillisecond)->Iterations(1);

void FillHash(Engine& engine, size_t n) {
  std::vector<std::pair<std::string, std::string>> batch;
  for (size_t i = 0; i < n; ++i) {
    batch.emplace_back("field:" + std::to_string(i), "value:" + std::to_string(i));
    if (batch.size() == 1000 || i + 1 == n) {
      HSet(engine, "h", batch);
      batch.clear();
    }
  }
}

void BM_HashGet(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  ManualClock clock;
  auto engine = NewEngine(&clock);
  FillHash(*engine, n);
  std::vector<std::string> fields;
  for (size_t i = 0; i < 4096; ++i) fields.push_back("field:" + std::to_string((i * 7919) % n));
  size_t i = 0;
  for (auto _ : state) {
    engine->ReadObject(0, "h", ValueType::kHash, [&](const Object& o) {
      HashObject::ValueBuf buf;
      benchmark::DoNotOptimize(static_cast<const HashObject&>(o).Get(fields[i++ & 4095], &buf));
    });
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashGet)->Arg(16)->Arg(128)->Arg(100000)->Arg(1000000);

void BM_HashSet(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  ManualClock clock;
  auto engine = NewEngine(&clock);
  FillHash(*engine, n);
  std::vector<std::string> fields;
  for (size_t i = 0; i < 4096; ++i) fields.push_back("field:" + std::to_string((i * 7919) % n));
  size_t i = 0;
  for (auto _ : state) {
    engine->UpdateObject(0, "h", ValueType::kHash, [&](std::unique_ptr<Object>& obj) {
      HashObject::Set(obj, fields[i & 4095], (i & 1) ? "short" : "a somewhat longer value");
    });
    ++i;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_HashSet)->Arg(16)->Arg(128)->Arg(100000)->Arg(1000000);

}  // namespace
}  // namespace ringkv::engine
