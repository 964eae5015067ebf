// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/server.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_join.h"
#include "server/log.h"
#include "server/net/listener.h"

namespace ringkv::server {

namespace {

net::BackendKind ParseBackend(const std::string& name) {
  if (name == "io_uring") return net::BackendKind::kUring;
  if (name == "epoll") return net::BackendKind::kEpoll;
  return net::BackendKind::kAuto;
}

}  // namespace

Server::Server(const ServerOptions& options) {
  context_.options = options;
  engine::EngineOptions eopts;
  eopts.databases = options.databases;
  engine_ = std::make_unique<engine::Engine>(eopts, &clock_);
  context_.engine = engine_.get();
  context_.commands = &commands_;
  context_.start_time_ms = clock_.NowMs();
  context_.request_shutdown = [this] { RequestShutdown(); };
}

Server::~Server() {
  for (auto& w : workers_) w->Join();
  for (int fd : listen_fds_) close(fd);
  if (!context_.options.unixsocket.empty()) unlink(context_.options.unixsocket.c_str());
}

// Every worker gets its own SO_REUSEPORT socket per TCP address, so the kernel spreads new
// connections over the workers. Port 0 is resolved by the first bind and reused for the rest.
absl::Status Server::OpenListeners(int workers, std::vector<std::vector<int>>* per_worker) {
  const ServerOptions& o = context_.options;
  per_worker->assign(workers, {});
  int port = o.port;
  for (const std::string& addr : o.bind) {
    // Redis's "-" prefix marks an address that may be missing (e.g. no IPv6 on the host).
    const bool optional = !addr.empty() && addr[0] == '-';
    for (int w = 0; w < workers; ++w) {
      auto fd = net::ListenTcp(addr, port, o.tcp_backlog);
      if (!fd.ok()) {
        if (optional && w == 0) break;
        return fd.status();
      }
      listen_fds_.push_back(*fd);
      (*per_worker)[w].push_back(*fd);
      if (port == 0) {
        auto bound = net::BoundPort(*fd);
        if (!bound.ok()) return bound.status();
        port = *bound;
      }
    }
  }
  context_.port = port;
  if (!o.unixsocket.empty()) {
    auto fd = net::ListenUnix(o.unixsocket, o.unixsocketperm, o.tcp_backlog);
    if (!fd.ok()) return fd.status();
    listen_fds_.push_back(*fd);
    (*per_worker)[0].push_back(*fd);
  }
  if (listen_fds_.empty()) return absl::InvalidArgumentError("no address to listen on");
  return absl::OkStatus();
}

absl::Status Server::Start() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  const ServerOptions& o = context_.options;
  int workers = o.threads > 0 ? o.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (workers <= 0) workers = 1;
  std::vector<std::vector<int>> per_worker;
  absl::Status s = OpenListeners(workers, &per_worker);
  if (!s.ok()) return s;

  net::BackendOptions bopts;
  bopts.kind = ParseBackend(o.io_backend);
  bopts.hz = o.hz;
  for (int w = 0; w < workers; ++w) {
    workers_.push_back(std::make_unique<Worker>(w, &context_, per_worker[w]));
    s = workers_.back()->Start(bopts);
    if (!s.ok()) return s;
  }
  const Worker& first = *workers_.front();
  if (!first.fallback_reason().empty()) {
    Log(LogLevel::kWarning, "io_uring unavailable (", first.fallback_reason(),
        "); using the epoll backend");
  }
  context_.options.io_backend =
      first.backend_description().rfind("io_uring", 0) == 0 ? "io_uring" : "epoll";
  Log(LogLevel::kNotice, "I/O backend: ", first.backend_description(), ", ", workers,
      " worker thread(s)");
  Log(LogLevel::kNotice, "Ready to accept connections tcp on ", absl::StrJoin(o.bind, ","),
      " port ", context_.port,
      o.unixsocket.empty() ? "" : absl::StrCat(", unix socket ", o.unixsocket));
  return absl::OkStatus();
}

void Server::RequestShutdown() {
  // Wait() sleeps in sigwait: wake it with a signal it takes.
  kill(getpid(), SIGTERM);
}

void Server::Wait() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  Log(LogLevel::kWarning, sig == SIGINT ? "Received SIGINT" : "Received SIGTERM or SHUTDOWN",
      ", shutting down");
  for (auto& w : workers_) w->BeginShutdown();
  for (auto& w : workers_) w->Join();
  Log(LogLevel::kWarning, "ringkv is now ready to exit, bye bye...");
}

}  // namespace ringkv::server
