// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Socket set-up for client::Connection: non-blocking connect with a timeout over TCP (every
// address getaddrinfo returns, in order) or a unix socket, and a poll() wrapper that turns a
// timeout into absl::DeadlineExceeded. Error texts follow redis-cli ("Could not connect to Redis
// at 127.0.0.1:6379: Connection refused") because tools print them as they are.
#pragma once

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/options.h"

namespace ringkv::client::detail {

// Returns a connected, non-blocking socket (TCP_NODELAY on TCP). The caller owns the fd.
absl::StatusOr<int> Dial(const Options& options);

// Waits until `fd` reports one of `events` (or an error/hang-up) and returns the revents.
// DeadlineExceeded after `timeout`; absl::InfiniteDuration() waits forever. EINTR is retried with
// the remaining time.
absl::StatusOr<short> PollFd(int fd, short events, absl::Duration timeout);  // NOLINT

}  // namespace ringkv::client::detail
