// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "tests/integration/server_process.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"

#ifndef RINGKV_SERVER_BIN
#error "RINGKV_SERVER_BIN must name the ringkv-server binary"
#endif

namespace ringkv::testing {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

namespace {

int FreePortOnce() {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

// A free port that no other test process has reserved; *lock_fd holds the reservation.
int FreePort(int* lock_fd) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int port = FreePortOnce();
    if (port == 0) continue;
    const std::string path = absl::StrCat("/tmp/ringkv-test-port-", port, ".lock");
    const int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) return port;  // no reservation possible: as before
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
      *lock_fd = fd;
      return port;
    }
    close(fd);
  }
  return FreePortOnce();
}

}  // namespace

absl::StatusOr<std::unique_ptr<ServerProcess>> ServerProcess::Start(std::vector<std::string> args) {
  absl::Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<ServerProcess> p(new ServerProcess());
    last = p->StartOnce(args, FreePort(&p->port_lock_fd_));
    if (last.ok()) return p;
    if (last.message().find("in use") == std::string::npos) break;
  }
  return last;
}

absl::Status ServerProcess::StartOnce(const std::vector<std::string>& args, int port) {
  char tmpl[] = "/tmp/ringkv-test-log-XXXXXX";
  int log_fd = mkstemp(tmpl);
  if (log_fd < 0) return absl::InternalError("mkstemp failed");
  log_path_ = tmpl;
  // A config file, if given, must come first, as for redis-server.
  std::vector<std::string> argv = {RINGKV_SERVER_BIN};
  size_t first_option = 0;
  if (!args.empty() && args[0].rfind("--", 0) != 0) argv.push_back(args[first_option++]);
  // No snapshots unless a test asks, and an empty directory of its own (a test's --save and --dir
  // come after and win): the tests share a working directory, whose dump.ringkv (say, from
  // `make run`) must not be loaded, nor one written there for the next server to load.
  if (dir_.empty()) {
    char dir_tmpl[] = "/tmp/ringkv-test-dir-XXXXXX";
    if (mkdtemp(dir_tmpl) == nullptr) return absl::InternalError("mkdtemp failed");
    dir_ = dir_tmpl;
  }
  argv.insert(argv.end(),
              {"--port", std::to_string(port), "--bind", "127.0.0.1", "--save", "", "--dir", dir_});
  argv.insert(argv.end(), args.begin() + static_cast<std::ptrdiff_t>(first_option), args.end());
  pid_t pid = fork();
  if (pid < 0) return absl::InternalError("fork failed");
  if (pid == 0) {
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    std::vector<char*> cargv;
    for (std::string& a : argv) cargv.push_back(a.data());
    cargv.push_back(nullptr);
    execv(cargv[0], cargv.data());
    _exit(127);
  }
  close(log_fd);
  pid_ = pid;
  // Ready once it answers PING, or says it is loading (its log may go to a --logfile, so do not
  // rely on stdout).
  int64_t deadline = NowMs() + 20000;
  while (NowMs() < deadline) {
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      pid_ = -1;
      return absl::InternalError(absl::StrCat("ringkv-server exited early:\n", Log()));
    }
    if (auto c = RawConn::Connect(port); c.ok()) {
      auto r = (*c)->Call({"PING"});
      // A server still loading its snapshot is up too: it answers -LOADING.
      if (r.ok() && (r->str == "PONG" || r->str.rfind("LOADING ", 0) == 0)) {
        port_ = port;
        return absl::OkStatus();
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return absl::DeadlineExceededError("ringkv-server did not start");
}

std::string ServerProcess::Log() const { return ReadFile(log_path_); }

std::string ServerProcess::WaitForLog(std::string_view needle, int timeout_ms) const {
  int64_t deadline = NowMs() + timeout_ms;
  std::string log = Log();
  while (log.find(needle) == std::string::npos && NowMs() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    log = Log();
  }
  return log;
}

int ServerProcess::Terminate(int timeout_ms) {
  if (pid_ < 0) return -1;
  kill(pid_, SIGTERM);
  int64_t deadline = NowMs() + timeout_ms;
  int status = 0;
  while (NowMs() < deadline) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return status;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return -1;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Terminate();
  if (port_lock_fd_ >= 0) close(port_lock_fd_);
  if (!log_path_.empty()) unlink(log_path_.c_str());
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

absl::StatusOr<std::unique_ptr<RawConn>> RawConn::Connect(int port) {
  std::unique_ptr<RawConn> c(new RawConn());
  c->fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(c->fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    return absl::UnavailableError(absl::StrCat("connect: ", strerror(errno)));
  }
  int one = 1;
  setsockopt(c->fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return c;
}

RawConn::~RawConn() {
  if (fd_ >= 0) close(fd_);
}

void RawConn::Send(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n <= 0) return;
    bytes.remove_prefix(static_cast<size_t>(n));
  }
}

void RawConn::SendCommand(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& a : args) absl::StrAppend(&out, "$", a.size(), "\r\n", a, "\r\n");
  Send(out);
}

absl::StatusOr<protocol::Reply> RawConn::Read(int timeout_ms) {
  int64_t deadline = NowMs() + timeout_ms;
  while (true) {
    size_t consumed = 0;
    protocol::Reply reply;
    if (!buf_.empty()) {
      auto st = parser_.Parse(buf_, &consumed, &reply);
      if (st == protocol::ParseStatus::kOk) {
        buf_.erase(0, consumed);
        return reply;
      }
      if (st == protocol::ParseStatus::kError) {
        return absl::DataLossError(std::string(parser_.error()));
      }
    }
    int64_t left = deadline - NowMs();
    if (left <= 0) return absl::DeadlineExceededError("no reply");
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left)) <= 0) continue;
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n <= 0) return absl::UnavailableError("connection closed");
    buf_.append(chunk, static_cast<size_t>(n));
  }
}

absl::StatusOr<protocol::Reply> RawConn::Call(const std::vector<std::string>& args) {
  SendCommand(args);
  return Read();
}

std::string RawConn::ReadBytes(size_t n, int timeout_ms) {
  int64_t deadline = NowMs() + timeout_ms;
  while (buf_.size() < n && NowMs() < deadline) {
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(std::max<int64_t>(1, deadline - NowMs()))) <= 0) continue;
    char chunk[65536];
    ssize_t got = recv(fd_, chunk, sizeof(chunk), 0);
    if (got <= 0) break;
    buf_.append(chunk, static_cast<size_t>(got));
  }
  std::string out = buf_.substr(0, std::min(n, buf_.size()));
  buf_.erase(0, out.size());
  return out;
}

bool RawConn::WaitClosed(int timeout_ms) {
  int64_t deadline = NowMs() + timeout_ms;
  while (NowMs() < deadline) {
    pollfd pfd{fd_, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(std::max<int64_t>(1, deadline - NowMs()))) <= 0) continue;
    char chunk[65536];
    ssize_t n = recv(fd_, chunk, sizeof(chunk), 0);
    if (n == 0) return true;
    if (n < 0) return errno == ECONNRESET;
    buf_.append(chunk, static_cast<size_t>(n));
  }
  return false;
}

std::string RunShell(const std::string& command, int* status) {
  std::string out;
  FILE* f = popen((command + " 2>&1").c_str(), "r");
  if (f == nullptr) {
    *status = -1;
    return out;
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) out.append(buf, n);
  *status = pclose(f);
  return out;
}

}  // namespace ringkv::testing
