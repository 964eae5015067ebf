// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/process_stats.h"

#include <dlfcn.h>
#include <sched.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <thread>

#include "absl/strings/str_cat.h"

namespace ringkv::server {

namespace {

using MallctlFn = int (*)(const char*, void*, size_t*, void*, size_t);
using StatsPrintFn = void (*)(void (*)(void*, const char*), void*, const char*);

MallctlFn Mallctl() {
  static MallctlFn fn = reinterpret_cast<MallctlFn>(dlsym(RTLD_DEFAULT, "mallctl"));
  return fn;
}

}  // namespace

int64_t RssBytes() {
  long pages = 0, rss = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
    std::fclose(f);
  }
  return static_cast<int64_t>(rss) * sysconf(_SC_PAGESIZE);
}

int64_t AnonRssBytes() {
  long pages = 0, rss = 0, shared = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld %ld", &pages, &rss, &shared) != 3) rss = shared = 0;
    std::fclose(f);
  }
  return static_cast<int64_t>(rss - shared) * sysconf(_SC_PAGESIZE);
}

std::string AllocatorName() {
  MallctlFn mallctl = Mallctl();
  const char* version = nullptr;
  size_t len = sizeof(version);
  if (mallctl != nullptr && mallctl("version", &version, &len, nullptr, 0) == 0 && version) {
    return absl::StrCat("jemalloc-", version);
  }
  return "libc";
}

std::optional<AllocatorStats> GetAllocatorStats() {
  MallctlFn mallctl = Mallctl();
  if (mallctl == nullptr) return std::nullopt;
  uint64_t epoch = 1;
  size_t elen = sizeof(epoch);
  mallctl("epoch", &epoch, &elen, &epoch, elen);  // refresh the cached statistics
  AllocatorStats s{};
  size_t v = 0;
  size_t len = sizeof(v);
  if (mallctl("stats.allocated", &v, &len, nullptr, 0) != 0) return std::nullopt;
  s.allocated = static_cast<int64_t>(v);
  if (mallctl("stats.active", &v, &len, nullptr, 0) != 0) return std::nullopt;
  s.active = static_cast<int64_t>(v);
  if (mallctl("stats.resident", &v, &len, nullptr, 0) != 0) return std::nullopt;
  s.resident = static_cast<int64_t>(v);
  return s;
}

bool PurgeAllocator() {
  MallctlFn mallctl = Mallctl();
  if (mallctl == nullptr) return false;
  // MALLCTL_ARENAS_ALL (4096) addresses every arena.
  return mallctl("arena.4096.purge", nullptr, nullptr, nullptr, 0) == 0;
}

std::optional<std::string> AllocatorStatsText() {
  auto print = reinterpret_cast<StatsPrintFn>(dlsym(RTLD_DEFAULT, "malloc_stats_print"));
  if (print == nullptr || Mallctl() == nullptr) return std::nullopt;
  std::string out;
  print([](void* p, const char* s) { static_cast<std::string*>(p)->append(s); }, &out, nullptr);
  return out;
}

int UsableCpuCount() {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) {
    if (const int n = CPU_COUNT(&set); n > 0) return n;
  }
  const unsigned online = std::thread::hardware_concurrency();
  return online > 0 ? static_cast<int>(online) : 1;
}

}  // namespace ringkv::server
