// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/net/listener.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstring>

#include "absl/strings/str_cat.h"

namespace ringkv::server::net {

namespace {

absl::Status SysError(std::string_view what, const std::string& where) {
  return absl::ErrnoToStatus(errno,
                             absl::StrCat(absl::string_view(what.data(), what.size()), " ", where));
}

}  // namespace

absl::StatusOr<int> ListenTcp(const std::string& host, int port, int backlog,
                              bool exclusive_check) {
  sockaddr_storage addr{};
  socklen_t addr_len = 0;
  std::string h = (host == "*") ? "0.0.0.0" : host;
  if (!h.empty() && h[0] == '-') h = h.substr(1);  // Redis's "-::1": optional address
  auto* v4 = reinterpret_cast<sockaddr_in*>(&addr);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&addr);
  if (inet_pton(AF_INET, h.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    addr_len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, h.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    addr_len = sizeof(*v6);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("bind: not a numeric address: ", host));
  }
  std::string where = absl::StrCat(host, ":", port);
  if (exclusive_check) {
    // SO_REUSEPORT would let this process bind next to another server already on the port and
    // quietly share its clients. A socket without it fails with EADDRINUSE in that case.
    int probe = socket(addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe < 0) return SysError("socket", where);
    int yes = 1;
    setsockopt(probe, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    if (addr.ss_family == AF_INET6) setsockopt(probe, IPPROTO_IPV6, IPV6_V6ONLY, &yes, sizeof(yes));
    int rc = bind(probe, reinterpret_cast<sockaddr*>(&addr), addr_len);
    absl::Status s = rc == 0 ? absl::OkStatus() : SysError("bind", where);
    close(probe);
    if (!s.ok()) return s;
  }
  int fd = socket(addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return SysError("socket", where);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one));
  if (addr.ss_family == AF_INET6) setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), addr_len) != 0) {
    absl::Status s = SysError("bind", where);
    close(fd);
    return s;
  }
  if (listen(fd, backlog) != 0) {
    absl::Status s = SysError("listen", where);
    close(fd);
    return s;
  }
  return fd;
}

absl::StatusOr<int> ListenUnix(const std::string& path, unsigned perm, int backlog) {
  sockaddr_un addr{};
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat("unixsocket path too long: ", path));
  }
  addr.sun_family = AF_UNIX;
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return SysError("socket", path);
  unlink(path.c_str());
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    absl::Status s = SysError("bind", path);
    close(fd);
    return s;
  }
  if (perm != 0) chmod(path.c_str(), perm);
  if (listen(fd, backlog) != 0) {
    absl::Status s = SysError("listen", path);
    close(fd);
    return s;
  }
  return fd;
}

std::string SocketAddress(int fd, bool local) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  int rc = local ? getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                 : getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  if (rc != 0) return "";
  char ip[INET6_ADDRSTRLEN] = {0};
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
    return absl::StrCat(ip, ":", ntohs(a->sin_port));
  }
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    inet_ntop(AF_INET6, &a->sin6_addr, ip, sizeof(ip));
    return absl::StrCat(ip, ":", ntohs(a->sin6_port));
  }
  if (addr.ss_family == AF_UNIX) {
    auto* a = reinterpret_cast<sockaddr_un*>(&addr);
    size_t n = len > offsetof(sockaddr_un, sun_path) ? len - offsetof(sockaddr_un, sun_path) : 0;
    return absl::StrCat(std::string(a->sun_path, strnlen(a->sun_path, n)), ":0");
  }
  return "";
}

bool IsLocalPeer(int fd) {
  sockaddr_storage addr{};
  socklen_t len = sizeof(addr);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return false;
  if (addr.ss_family == AF_UNIX) return true;
  if (addr.ss_family == AF_INET) {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  }
  if (addr.ss_family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr)) return true;
    // IPv4-mapped loopback (::ffff:127.x.y.z).
    return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

void ConfigureClientSocket(int fd, int keepalive_s) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  if (keepalive_s > 0) {
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &keepalive_s, sizeof(keepalive_s));
    int interval = keepalive_s / 3 > 0 ? keepalive_s / 3 : 1;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof(interval));
    int count = 3;
    setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof(count));
  }
  // The uring backend reads and writes through the ring; epoll wants the socket non-blocking.
  int flags = fcntl(fd, F_GETFL, 0);
  if (flags >= 0) fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

}  // namespace ringkv::server::net
