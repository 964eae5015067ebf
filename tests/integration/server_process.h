// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Test helpers for integration tests: ServerProcess starts the real ringkv-server binary on
// 127.0.0.1 with an ephemeral port (--port 0), learns the port from its log, waits until it
// answers PING, and stops it (SIGTERM, then SIGKILL after a bounded wait). RawConn is a plain
// blocking socket that sends bytes and decodes replies with protocol::ReplyParser, so tests can
// check the exact bytes on the wire.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "protocol/reply_parser.h"

namespace ringkv::testing {

class ServerProcess {
 public:
  // Starts ringkv-server with `args` after "--port <free port> --bind 127.0.0.1" (a first
  // argument that is not an option is the config file and stays first). The port is
  // found by binding port 0 and releasing it; a start that loses that port to someone else in
  // the meantime is retried with another. Test processes running at once could be handed the
  // same released port, and two servers on one port would share it (the server binds with
  // SO_REUSEPORT, and its exclusivity probe races with the other's): each port is therefore
  // reserved with a lock file (flock on /tmp/ringkv-test-port-<port>.lock) held while the
  // server lives.
  static absl::StatusOr<std::unique_ptr<ServerProcess>> Start(std::vector<std::string> args);
  ~ServerProcess();

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  // Everything the server logged so far.
  std::string Log() const;
  // Waits up to `timeout_ms` for `needle` to appear in the log and returns the log as it then
  // is. The server answers PING before its main thread has logged its start-up lines, so a
  // test that reads the log must wait for what it looks for.
  std::string WaitForLog(std::string_view needle, int timeout_ms = 5000) const;
  // Sends SIGTERM and waits up to `timeout_ms`; returns the exit status (as from waitpid) or -1.
  int Terminate(int timeout_ms = 10000);

 private:
  ServerProcess() = default;
  absl::Status StartOnce(const std::vector<std::string>& args, int port);
  pid_t pid_ = -1;
  int port_ = 0;
  int port_lock_fd_ = -1;  // the port's reservation, released with the server
  std::string log_path_;
  std::string dir_;  // its --dir, removed with it
};

class RawConn {
 public:
  static absl::StatusOr<std::unique_ptr<RawConn>> Connect(int port);
  ~RawConn();

  void Send(std::string_view bytes);
  // Sends a command as a RESP array of bulk strings.
  void SendCommand(const std::vector<std::string>& args);
  // Reads one reply, waiting up to `timeout_ms`.
  absl::StatusOr<protocol::Reply> Read(int timeout_ms = 5000);
  // Sends a command and reads its reply.
  absl::StatusOr<protocol::Reply> Call(const std::vector<std::string>& args);
  // Reads raw bytes until `n` are there (or timeout); for byte-exact checks.
  std::string ReadBytes(size_t n, int timeout_ms = 5000);
  // True if the server closed the connection (reads EOF) within `timeout_ms`.
  bool WaitClosed(int timeout_ms = 5000);
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  std::string buf_;
  protocol::ReplyParser parser_;
};

// Runs `command` through the shell and returns its standard output (stderr merged), and the exit
// status in *status.
std::string RunShell(const std::string& command, int* status);

}  // namespace ringkv::testing
