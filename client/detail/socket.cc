// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Non-blocking connect and poll helpers behind client::Connection (see socket.h).
#include "client/detail/socket.h"

#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "absl/strings/str_cat.h"

namespace ringkv::client::detail {
namespace {

int TimeoutMs(absl::Duration d) {
  if (d == absl::InfiniteDuration()) return -1;
  if (d <= absl::ZeroDuration()) return 0;
  // Round up so a 0.5 ms remainder does not become a busy poll(0).
  int64_t ms = absl::ToInt64Milliseconds(absl::Ceil(d, absl::Milliseconds(1)));
  return ms > 1'000'000'000 ? 1'000'000'000 : static_cast<int>(ms);
}

absl::Status ConnectError(const Options& options, const char* reason) {
  return absl::UnavailableError(
      absl::StrCat("Could not connect to Redis at ", EndpointName(options), ": ", reason));
}

// Connects `fd` to `addr`, waiting at most `timeout`. Returns 0 or an errno value.
int ConnectWithTimeout(int fd, const sockaddr* addr, socklen_t len, absl::Duration timeout) {
  if (connect(fd, addr, len) == 0) return 0;
  if (errno != EINPROGRESS && errno != EAGAIN) return errno;
  absl::StatusOr<short> ready = PollFd(fd, POLLOUT, timeout);  // NOLINT
  if (!ready.ok()) return ETIMEDOUT;
  int err = 0;
  socklen_t err_len = sizeof(err);
  if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &err_len) != 0) return errno;
  return err;
}

absl::StatusOr<int> DialUnix(const Options& options) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (options.unix_path.size() >= sizeof(addr.sun_path)) {
    return ConnectError(options, "socket path too long");
  }
  std::memcpy(addr.sun_path, options.unix_path.data(), options.unix_path.size());
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return ConnectError(options, std::strerror(errno));
  int err = ConnectWithTimeout(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr),
                               options.connect_timeout);
  if (err != 0) {
    close(fd);
    if (err == ETIMEDOUT) {
      return absl::DeadlineExceededError(absl::StrCat(
          "Could not connect to Redis at ", EndpointName(options), ": ", std::strerror(err)));
    }
    return ConnectError(options, std::strerror(err));
  }
  return fd;
}

absl::StatusOr<int> DialTcp(const Options& options) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(options.port);
  int rc = getaddrinfo(options.host.c_str(), port.c_str(), &hints, &res);
  if (rc != 0) return ConnectError(options, gai_strerror(rc));
  // Try each address like redis-cli (hiredis) does; report the last failure.
  int last_err = ECONNREFUSED;
  int fd = -1;
  for (addrinfo* ai = res; ai != nullptr; ai = ai->ai_next) {
    fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_err = errno;
      continue;
    }
    last_err = ConnectWithTimeout(fd, ai->ai_addr, ai->ai_addrlen, options.connect_timeout);
    if (last_err == 0) break;
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  if (fd < 0) {
    if (last_err == ETIMEDOUT) {
      return absl::DeadlineExceededError(absl::StrCat(
          "Could not connect to Redis at ", EndpointName(options), ": Connection timed out"));
    }
    return ConnectError(options, std::strerror(last_err));
  }
  // Requests are small and latency-bound: do not let Nagle hold back the next command.
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

}  // namespace

absl::StatusOr<int> Dial(const Options& options) {
  return options.unix_path.empty() ? DialTcp(options) : DialUnix(options);
}

absl::StatusOr<short> PollFd(int fd, short events, absl::Duration timeout) {  // NOLINT
  absl::Time deadline =
      timeout == absl::InfiniteDuration() ? absl::InfiniteFuture() : absl::Now() + timeout;
  while (true) {
    pollfd p{fd, events, 0};
    int n = poll(&p, 1, TimeoutMs(deadline - absl::Now()));
    if (n > 0) return p.revents;
    if (n == 0) {
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError(
            absl::StrCat("timed out after ", absl::FormatDuration(timeout)));
      }
      continue;
    }
    if (errno != EINTR) return absl::InternalError(absl::StrCat("poll: ", std::strerror(errno)));
  }
}

}  // namespace ringkv::client::detail
