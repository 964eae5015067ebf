// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/slowlog.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ringkv::server {

namespace {
// Redis's SLOWLOG_ENTRY_MAX_ARGC and SLOWLOG_ENTRY_MAX_STRING.
constexpr size_t kMaxArgs = 32;
constexpr size_t kMaxArgLen = 128;
}  // namespace

void Slowlog::Add(std::span<const std::string_view> args, int64_t usec, int64_t unix_seconds,
                  std::string peer, std::string name, int64_t max_len) {
  SlowlogEntry e;
  e.usec = usec;
  e.unix_seconds = unix_seconds;
  e.peer = std::move(peer);
  e.name = std::move(name);
  size_t n = std::min(args.size(), kMaxArgs);
  for (size_t i = 0; i < n; ++i) {
    if (n < args.size() && i == n - 1) {
      e.args.push_back(absl::StrCat("... (", args.size() - n + 1, " more arguments)"));
    } else if (args[i].size() > kMaxArgLen) {
      e.args.push_back(absl::StrCat(absl::string_view(args[i].data(), kMaxArgLen), "... (",
                                    args[i].size() - kMaxArgLen, " more bytes)"));
    } else {
      e.args.emplace_back(args[i]);
    }
  }
  absl::MutexLock lock(&mu_);
  e.id = next_id_++;
  entries_.push_front(std::move(e));
  while (static_cast<int64_t>(entries_.size()) > std::max<int64_t>(max_len, 0)) {
    entries_.pop_back();
  }
}

std::vector<SlowlogEntry> Slowlog::Get(int64_t count) const {
  absl::MutexLock lock(&mu_);
  size_t n = count < 0 ? entries_.size() : std::min(entries_.size(), static_cast<size_t>(count));
  return std::vector<SlowlogEntry>(entries_.begin(),
                                   entries_.begin() + static_cast<std::ptrdiff_t>(n));
}

size_t Slowlog::Len() const {
  absl::MutexLock lock(&mu_);
  return entries_.size();
}

void Slowlog::Reset() {
  absl::MutexLock lock(&mu_);
  entries_.clear();
}

void Slowlog::Trim(int64_t max_len) {
  absl::MutexLock lock(&mu_);
  while (static_cast<int64_t>(entries_.size()) > std::max<int64_t>(max_len, 0)) {
    entries_.pop_back();
  }
}

void LatencyMonitor::Add(std::string_view event, int64_t unix_seconds, int64_t ms) {
  absl::MutexLock lock(&mu_);
  Event& e = events_[std::string(event)];
  e.max_ms = std::max(e.max_ms, ms);
  if (!e.samples.empty() && e.samples.back().unix_seconds == unix_seconds) {
    e.samples.back().ms = std::max(e.samples.back().ms, ms);
    return;
  }
  e.samples.push_back(Sample{unix_seconds, ms});
  if (e.samples.size() > kSamples) e.samples.pop_front();
}

std::map<std::string, LatencyMonitor::Event> LatencyMonitor::Events() const {
  absl::MutexLock lock(&mu_);
  return events_;
}

size_t LatencyMonitor::Reset(std::span<const std::string_view> events) {
  absl::MutexLock lock(&mu_);
  if (events.empty()) {
    size_t n = events_.size();
    events_.clear();
    return n;
  }
  size_t n = 0;
  for (std::string_view e : events) n += events_.erase(std::string(e));
  return n;
}

}  // namespace ringkv::server
