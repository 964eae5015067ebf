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
// `exclusive_check` first makes sure no other socket listens there (pass it for the first of
// the sockets this process binds to an address).
absl::StatusOr<int> ListenTcp(const std::string& host, int port, int backlog, bool exclusive_check);

// Returns a listening unix domain socket at `path` (an old socket file there is replaced) with
// the given permissions (0 keeps the umask's).
absl::StatusOr<int> ListenUnix(const std::string& path, unsigned perm, int backlog);

// "ip:port" of the peer (local = false) or of the local end; IPv6 as Redis prints it
// ("::1:6379"); unix sockets as "<path>:0". Empty on error.
std::string SocketAddress(int fd, bool local);

// True if the peer of `fd` is on a loopback address (127.0.0.0/8, ::1) or a unix socket: the
// clients protected mode lets in.
bool IsLocalPeer(int fd);

// TCP_NODELAY and, when keepalive_s > 0, SO_KEEPALIVE with that idle time. Errors are ignored:
// unix sockets have no TCP options.
void ConfigureClientSocket(int fd, int keepalive_s);

}  // namespace ringkv::server::net
