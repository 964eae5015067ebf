// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// FUZZ_CHECK: an invariant check for fuzz targets that reports and aborts, so libFuzzer records
// the input as a crash. Also compiled into the corpus replay test of normal builds.
#pragma once

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)
