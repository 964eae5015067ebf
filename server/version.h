// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Version strings. ringkv reports a Redis version in HELLO and INFO's redis_version because
// clients switch features on it; ringkv's own version is reported beside it (ringkv_version).
#pragma once

#include <string_view>

namespace ringkv::server {

inline constexpr std::string_view kRingkvVersion = "0.1.0";
// The Redis release whose command semantics ringkv follows.
inline constexpr std::string_view kRedisCompatVersion = "7.0.15";

}  // namespace ringkv::server
