// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The one key hash of the engine: XXH3-64. The shard of a key is taken from the hash's high bits,
// the table position from the bits below them and the 7-bit slot fingerprint from the low bits,
// so a hash computed once by the caller (the server hashes a pipelined batch first) serves all
// three.
#pragma once

#include <xxhash.h>

#include <cstdint>
#include <string_view>

namespace ringkv::engine {

inline uint64_t HashKey(std::string_view key) { return XXH3_64bits(key.data(), key.size()); }

}  // namespace ringkv::engine
