// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// TestServer starts a throw-away RESP server on a free 127.0.0.1 port for tests and stops it at
// the end: Debian's /usr/bin/redis-server (--save '' --appendonly no) by default, or the binary
// named by $RINGKV_SERVER_BIN (started as `ringkv-server --port N --bind 127.0.0.1`), so the same
// tests check ringkv against the behaviour they were written against. FakeServer is a scripted
// one-connection server for failure cases a real server will not produce.
#pragma once

#include <sys/types.h>

#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "client/options.h"

namespace ringkv::client::testing {

class TestServer {
 public:
  struct Config {
    bool unix_socket = false;             // also listen on a unix socket (redis-server only)
    std::vector<std::string> extra_args;  // e.g. {"--requirepass", "secret"}
  };

  // Why tests must be skipped (the server binary is missing), or "" when they can run.
  static std::string SkipReason();
  static absl::StatusOr<std::unique_ptr<TestServer>> Start(const Config& config);
  static absl::StatusOr<std::unique_ptr<TestServer>> Start() { return Start(Config{}); }
  ~TestServer();

  int port() const { return port_; }
  const std::string& unix_path() const { return unix_path_; }
  // Options that reach this server over TCP.
  Options options() const;
  // True when the server is Debian's redis-server (not $RINGKV_SERVER_BIN).
  static bool IsRedis();
  // kill -9 the server and reap it.
  void Kill9();

 private:
  TestServer() = default;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string unix_path_;
  std::string dir_;  // ringkv's --dir, removed with the server
};

// A port on 127.0.0.1 that was free a moment ago.
int PickFreePort();

// Listens on 127.0.0.1:port() and hands the first accepted connection's fd to `handler` on a
// thread. The handler owns nothing; the fd is closed after it returns. The destructor joins.
class FakeServer {
 public:
  explicit FakeServer(std::function<void(int fd)> handler);
  ~FakeServer();
  int port() const { return port_; }

 private:
  int listen_fd_ = -1;
  int port_ = 0;
  std::thread thread_;
};

// Runs a program with stdin from `input`; returns its exit status, stdout and stderr.
struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};
ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input = "");

}  // namespace ringkv::client::testing
