// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "engine/types/limits.h"

namespace ringkv::engine {

TypeLimits& Limits() {
  static TypeLimits limits;
  return limits;
}

}  // namespace ringkv::engine
