// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Replacement global operator new/delete that count allocations (see alloc_counter.h). They
// forward to malloc/free, which sanitizers still intercept.

#include "tests/protocol/alloc_counter.h"

#include <atomic>
#include <cstdlib>
#include <new>

namespace {
std::atomic<uint64_t> allocations{0};

void* CountedAlloc(size_t size) {
  allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  std::abort();  // ringkv does not use exceptions
}
}  // namespace

namespace ringkv::testing {
uint64_t AllocationCount() { return allocations.load(std::memory_order_relaxed); }
}  // namespace ringkv::testing

void* operator new(size_t size) { return CountedAlloc(size); }
void* operator new[](size_t size) { return CountedAlloc(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
void operator delete[](void* p, size_t) noexcept { std::free(p); }
