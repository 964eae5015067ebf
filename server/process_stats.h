// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// What the process and its allocator say about memory (INFO memory, MEMORY STATS / PURGE /
// MALLOC-STATS), and the CPUs it may use. jemalloc is found at run time (dlsym of mallctl), because
// only the server executable links it: tests and sanitizer builds run on glibc and get "not
// available" answers.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace ringkv::server {

// Resident set size of the process, from /proc/self/statm.
int64_t RssBytes();
// The anonymous part of it (resident less file-backed and shared pages: the heap, mappings and
// stacks, not the code), from /proc/self/statm.
int64_t AnonRssBytes();
// "jemalloc-<version>" or "libc".
std::string AllocatorName();
// jemalloc's stats.allocated / stats.active / stats.resident (refreshed), or nullopt.
struct AllocatorStats {
  int64_t allocated;
  int64_t active;
  int64_t resident;
};
std::optional<AllocatorStats> GetAllocatorStats();
// Returns freed pages to the OS (jemalloc: every arena's purge). False without jemalloc.
bool PurgeAllocator();
// jemalloc's malloc_stats_print text, or nullopt.
std::optional<std::string> AllocatorStatsText();

// CPUs the process may run on: its CPU affinity (as taskset or a container's cpuset leaves it),
// read from the calling thread; the online CPUs where that cannot be read. At least 1.
int UsableCpuCount();

}  // namespace ringkv::server
