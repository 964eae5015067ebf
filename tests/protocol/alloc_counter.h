// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Counts global operator new calls in a test binary (alloc_counter.cc replaces operator new), so
// tests can assert that a hot path allocates nothing in steady state.
#pragma once

#include <cstdint>

namespace ringkv::testing {

// Allocations made through operator new since the program started.
uint64_t AllocationCount();

}  // namespace ringkv::testing
