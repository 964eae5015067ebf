// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Process and socket helpers for the client tests (see test_server.h).
#include "tests/client/test_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/connection.h"

extern char** environ;

namespace ringkv::client::testing {
namespace {

constexpr char kRedisServer[] = "/usr/bin/redis-server";

std::string ServerBinary() {
  const char* env = std::getenv("RINGKV_SERVER_BIN");
  return env != nullptr && *env != '\0' ? std::string(env) : std::string(kRedisServer);
}

pid_t Spawn(const std::vector<std::string>& argv) {
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return rc == 0 ? pid : -1;
}

// Polls until the server answers PING or the process exits; bounded to 10 s.
bool WaitReady(pid_t pid, const Options& options) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) return false;  // exited (port taken?)
    Options o = options;
    o.connect_timeout = absl::Milliseconds(200);
    o.io_timeout = absl::Seconds(2);
    absl::StatusOr<std::unique_ptr<Connection>> c = Connection::Connect(o);
    if (c.ok()) {
      // Any reply will do: with requirepass set, PING is answered with -NOAUTH.
      if ((*c)->Command({"PING"}).ok()) return true;
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return false;
}

void StopProcess(pid_t pid, int signal) {
  if (pid <= 0) return;
  kill(pid, signal);
  for (int i = 0; i < 500; ++i) {  // up to 5 s, then force
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid) return;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(pid, SIGKILL);
  int status;
  waitpid(pid, &status, 0);
}

}  // namespace

int PickFreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

std::string TestServer::SkipReason() {
  std::string bin = ServerBinary();
  if (access(bin.c_str(), X_OK) != 0) return absl::StrCat(bin, " is not installed");
  return "";
}

bool TestServer::IsRedis() { return ServerBinary() == kRedisServer; }

absl::StatusOr<std::unique_ptr<TestServer>> TestServer::Start(const Config& config) {
  static std::atomic<int> counter{0};
  // A free port can be taken between PickFreePort and the server's bind; retry a few times.
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::unique_ptr<TestServer> server(new TestServer());
    server->port_ = PickFreePort();
    std::vector<std::string> argv = {ServerBinary(), "--port", std::to_string(server->port_),
                                     "--bind", "127.0.0.1"};
    if (IsRedis()) {
      for (const char* a :
           {"--save", "", "--appendonly", "no", "--daemonize", "no", "--dir", "/tmp"}) {
        argv.push_back(a);
      }
    } else {
      // No snapshot on exit, and an empty directory of its own (no dump.ringkv of the working
      // directory is loaded).
      char dir[] = "/tmp/ringkv-client-dir-XXXXXX";
      if (mkdtemp(dir) == nullptr) return absl::InternalError("mkdtemp failed");
      server->dir_ = dir;
      argv.insert(argv.end(), {"--save", "", "--dir", server->dir_});
    }
    if (config.unix_socket) {
      server->unix_path_ =
          absl::StrCat("/tmp/ringkv-client-test-", getpid(), "-", counter.fetch_add(1), ".sock");
      argv.insert(argv.end(), {"--unixsocket", server->unix_path_, "--unixsocketperm", "700"});
    }
    argv.insert(argv.end(), config.extra_args.begin(), config.extra_args.end());
    server->pid_ = Spawn(argv);
    if (server->pid_ < 0) return absl::InternalError("cannot start " + argv[0]);
    if (WaitReady(server->pid_, server->options())) return server;
    StopProcess(server->pid_, SIGKILL);
    server->pid_ = -1;
  }
  return absl::UnavailableError("the test server did not become ready");
}

TestServer::~TestServer() {
  StopProcess(pid_, SIGTERM);
  if (!unix_path_.empty()) unlink(unix_path_.c_str());
  if (!dir_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
}

Options TestServer::options() const {
  Options o;
  o.host = "127.0.0.1";
  o.port = port_;
  o.io_timeout = absl::Seconds(20);
  return o;
}

void TestServer::Kill9() {
  StopProcess(pid_, SIGKILL);
  pid_ = -1;
}

FakeServer::FakeServer(std::function<void(int fd)> handler) {
  listen_fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  listen(listen_fd_, 16);
  socklen_t len = sizeof(addr);
  getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(addr.sin_port);
  if (!handler) return;  // listen only: connects succeed, nothing is ever accepted or answered
  thread_ = std::thread([this, handler = std::move(handler)] {
    pollfd p{listen_fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return;  // the test never connected
    int fd = accept(listen_fd_, nullptr, nullptr);
    if (fd < 0) return;
    handler(fd);
    close(fd);
  });
}

FakeServer::~FakeServer() {
  if (thread_.joinable()) thread_.join();
  close(listen_fd_);
}

ProcessResult RunProcess(const std::vector<std::string>& argv, const std::string& input) {
  ProcessResult result;
  signal(SIGPIPE, SIG_IGN);  // a child that exits early must not kill the test with SIGPIPE
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0) {
    return result;
  }
  std::vector<char*> cargv;
  for (const std::string& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = -1;
  int rc = posix_spawn(&pid, cargv[0], &actions, nullptr, cargv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(out[1]);
  close(err[1]);
  if (rc != 0) {
    close(in[1]);
    close(out[0]);
    close(err[0]);
    return result;
  }
  // Feed stdin and drain both outputs together, so a chatty child never blocks on a full pipe.
  size_t written = 0;
  int in_fd = in[1];
  if (input.empty()) {
    close(in_fd);
    in_fd = -1;
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  absl::Time deadline = absl::Now() + absl::Seconds(60);
  while ((out_open || err_open) && absl::Now() < deadline) {
    pollfd fds[3] = {{out[0], static_cast<short>(out_open ? POLLIN : 0), 0},
                     {err[0], static_cast<short>(err_open ? POLLIN : 0), 0},
                     {in_fd, POLLOUT, 0}};
    if (poll(fds, in_fd >= 0 ? 3 : 2, 1000) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (!fds[i].revents) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof(buf));
      if (n > 0) {
        (i == 0 ? result.out : result.err).append(buf, static_cast<size_t>(n));
      } else {
        (i == 0 ? out_open : err_open) = false;
      }
    }
    if (in_fd >= 0 && fds[2].revents) {
      ssize_t n = write(in_fd, input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 || written == input.size()) {
        close(in_fd);
        in_fd = -1;
      }
    }
  }
  if (in_fd >= 0) close(in_fd);
  close(out[0]);
  close(err[0]);
  int status = 0;
  if (out_open || err_open) kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace ringkv::client::testing
