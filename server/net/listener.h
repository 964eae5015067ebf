// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Listening sockets: TCP (IPv4 or IPv6, SO_REUSEPORT so that every worker binds its own socket
// to the same address and the kernel spreads connections) and unix domain sockets. Plus the
// per-connection socket options Redis sets (TCP_NODELAY, keep-alive).
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace ringkv::server::net {

// Returns a non-blocking listening socket bound to host:port with SO_REUSEADDR and SO_REUSEPORT.
// `host` is a numeric IPv4 or IPv6 address ("127.0.0.1", "::1", "0.0.0.0", "*").
absl::StatusOr<int> ListenTcp(const std::string& host, int port, int backlog);

// Returns the port a bound socket listens on (for --port 0).
absl::StatusOr<int> BoundPort(int fd);

// Returns a listening unix domain socket at `path` (an old socket file there is replaced) with
// the given permissions (0 keeps the umask's).
absl::StatusOr<int> ListenUnix(const std::string& path, unsigned perm, int backlog);

// TCP_NODELAY and, when keepalive_s > 0, SO_KEEPALIVE with that idle time. Errors are ignored:
// unix sockets have no TCP options.
void ConfigureClientSocket(int fd, int keepalive_s);

}  // namespace ringkv::server::net
