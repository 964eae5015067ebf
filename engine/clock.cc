// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/clock.h"

#include <time.h>

namespace ringkv::engine {

int64_t SystemClock::NowMs() const {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace ringkv::engine
