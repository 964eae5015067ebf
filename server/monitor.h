// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// MONITOR: clients that asked to see every command the server runs. After each command (and
// each command EXEC runs), Feed() formats Redis's line once:
//
//   +<unix seconds>.<microseconds> [<db> <client address>] "arg0" "arg1" ...
//
// and hands it to every monitor's worker, which appends it to that connection. Arguments are
// quoted as Redis's sdscatrepr quotes them; AUTH and HELLO's password is shown as "(redacted)",
// and admin commands are not shown at all, as in Redis 7.0.
//
// With no monitor, the command path pays one relaxed atomic load.
//
// Thread safety: every method may be called from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/synchronization/mutex.h"

namespace ringkv::server {

struct CommandSpec;

class MonitorRegistry {
 public:
  // Appends `line` to client `client_id`'s output on worker `worker`.
  using Deliver = std::function<void(int worker, uint64_t client_id, std::string line)>;

  // Set once by the server before any traffic.
  void set_deliver(Deliver deliver) { deliver_ = std::move(deliver); }

  bool empty() const { return count_.load(std::memory_order_relaxed) == 0; }
  void Add(uint64_t client_id, int worker);
  void Remove(uint64_t client_id);

  // Shows one command to every monitor. `addr` is the client's "ip:port" (or "unix:path").
  void Feed(int64_t now_us, int db, std::string_view addr, const CommandSpec& spec,
            std::span<const std::string_view> args);

 private:
  struct Monitor {
    uint64_t client_id;
    int worker;
  };
  Deliver deliver_;
  absl::Mutex mu_;
  std::vector<Monitor> monitors_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> count_{0};
};

// Redis's sdscatrepr: the argument in double quotes, with \\ \" \n \r \t \a \b escaped and other
// bytes outside printable ASCII as \xHH.
void AppendQuoted(std::string_view arg, std::string* out);

}  // namespace ringkv::server
