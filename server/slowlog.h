// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SLOWLOG and the LATENCY monitor's event samples. Both record only commands slower than a
// configured threshold, so the request path pays one comparison of the command's duration;
// recording takes a mutex, which is fine for what is by definition slow.
//
// Thread safety: all methods from any thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace ringkv::server {

struct SlowlogEntry {
  int64_t id;
  int64_t unix_seconds;
  int64_t usec;
  std::vector<std::string> args;  // at most 32, each at most 128 bytes, as Redis shortens them
  std::string peer;               // "ip:port"
  std::string name;               // client name
};

class Slowlog {
 public:
  // Adds an entry, dropping the oldest beyond `max_len`.
  void Add(std::span<const std::string_view> args, int64_t usec, int64_t unix_seconds,
           std::string peer, std::string name, int64_t max_len);
  // The newest `count` entries, newest first (count < 0: all).
  std::vector<SlowlogEntry> Get(int64_t count) const;
  size_t Len() const;
  void Reset();
  // Drops the oldest entries beyond `max_len` (CONFIG SET slowlog-max-len).
  void Trim(int64_t max_len);

 private:
  mutable absl::Mutex mu_;
  std::deque<SlowlogEntry> entries_ ABSL_GUARDED_BY(mu_);  // newest first
  int64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
};

// LATENCY LATEST / HISTORY / RESET: per event, the last 160 samples (one per second at most:
// a second sample in the same second keeps the larger latency) and the all-time maximum.
class LatencyMonitor {
 public:
  struct Sample {
    int64_t unix_seconds;
    int64_t ms;
  };
  struct Event {
    std::deque<Sample> samples;  // oldest first
    int64_t max_ms = 0;
  };
  void Add(std::string_view event, int64_t unix_seconds, int64_t ms);
  std::map<std::string, Event> Events() const;
  // Resets the named events (all when `events` is empty); returns how many were reset.
  size_t Reset(std::span<const std::string_view> events);

 private:
  static constexpr size_t kSamples = 160;
  mutable absl::Mutex mu_;
  std::map<std::string, Event> events_ ABSL_GUARDED_BY(mu_);
};

}  // namespace ringkv::server
