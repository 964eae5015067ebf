// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Allocation helpers for memory accounting. Every byte the engine allocates for data is counted
// with the allocator's real size (malloc_usable_size), so used_memory and MEMORY USAGE include
// size-class rounding. glibc additionally keeps an 8-byte chunk header per allocation that
// malloc_usable_size does not report; Redis's zmalloc_size ignores it too, so numbers stay
// comparable. docs/engine.md has the measured per-key totals, header included.
#pragma once

#include <malloc.h>

#include <cstddef>
#include <cstdlib>

namespace ringkv::engine {

inline size_t AllocSize(const void* p) {
  return p == nullptr ? 0 : malloc_usable_size(const_cast<void*>(p));
}

// malloc that never returns nullptr for size 0 and aborts on exhaustion: the engine has no
// exception path, and maxmemory (not malloc failure) is how memory is bounded.
inline void* MustMalloc(size_t n) {
  void* p = std::malloc(n == 0 ? 1 : n);
  if (p == nullptr) std::abort();
  return p;
}

}  // namespace ringkv::engine
