// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "tests/compat/differential_harness.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <iostream>
#include <thread>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::compat {

int ConnectLoopback(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd);
    return -1;
  }
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  return fd;
}

std::unique_ptr<Conn> Conn::Connect(int port) {
  const int fd = ConnectLoopback(port);
  if (fd < 0) return nullptr;
  auto c = std::unique_ptr<Conn>(new Conn());
  c->fd_ = fd;
  return c;
}

Conn::~Conn() {
  if (fd_ >= 0) close(fd_);
}

std::string Conn::Call(const Command& cmd, protocol::Reply* decoded) {
  std::string out = "*" + std::to_string(cmd.size()) + "\r\n";
  for (const std::string& a : cmd) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = send(fd_, out.data() + off, out.size() - off, MSG_NOSIGNAL);
    if (n <= 0) return "<closed>";
    off += static_cast<size_t>(n);
  }
  protocol::Reply reply;
  for (;;) {
    size_t consumed = 0;
    protocol::ParseStatus st = parser_.Parse(buf_, &consumed, &reply);
    if (st == protocol::ParseStatus::kOk) {
      std::string bytes = buf_.substr(0, consumed);
      buf_.erase(0, consumed);
      if (decoded != nullptr) *decoded = std::move(reply);
      return bytes;
    }
    if (st != protocol::ParseStatus::kNeedMore) return "<bad reply>";
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, 10000) <= 0) return "<timeout>";
    char tmp[65536];
    ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
    if (n <= 0) return "<closed>";
    buf_.append(tmp, static_cast<size_t>(n));
  }
}

namespace {
int FreePort() {
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
}  // namespace

std::unique_ptr<RedisProcess> RedisProcess::Start() {
  for (int attempt = 0; attempt < 3; ++attempt) {
    int port = FreePort();
    pid_t pid = fork();
    if (pid == 0) {
      int devnull = open("/dev/null", O_WRONLY);
      dup2(devnull, 1);
      dup2(devnull, 2);
      std::string p = std::to_string(port);
      execl(kRedisServer, kRedisServer, "--port", p.c_str(), "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", "--daemonize", "no", "--databases", "16",
            static_cast<char*>(nullptr));
      _exit(127);
    }
    auto r = std::unique_ptr<RedisProcess>(new RedisProcess());
    r->pid_ = pid;
    r->port_ = port;
    // Bounded wait for it to answer PING.
    for (int i = 0; i < 200; ++i) {
      std::unique_ptr<Conn> c = Conn::Connect(port);
      if (c != nullptr && c->Call({"PING"}) == "+PONG\r\n") return r;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
      int status;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        r->pid_ = -1;  // exited (port taken?): try another port
        break;
      }
    }
  }
  return nullptr;
}

RedisProcess::~RedisProcess() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  for (int i = 0; i < 200; ++i) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  kill(pid_, SIGKILL);
  waitpid(pid_, nullptr, 0);
}

std::string Upper(std::string s) {
  for (char& ch : s) ch = static_cast<char>(toupper(static_cast<unsigned char>(ch)));
  return s;
}

std::string Printable(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\r') {
      out += "\\r";
    } else if (ch == '\n') {
      out += "\\n";
    } else {
      out += ch;
    }
  }
  return out.size() > 300 ? out.substr(0, 300) + "..." : out;
}

std::string SortedElements(const protocol::Reply& r, bool pairs) {
  std::vector<std::string> items;
  const auto& e = r.elements;
  if (pairs) {
    for (size_t i = 0; i + 1 < e.size(); i += 2)
      items.push_back("[" + e[i].str + "=" + e[i + 1].str + "]");
  } else {
    for (const protocol::Reply& x : e) items.push_back("[" + x.str + "]");
  }
  std::sort(items.begin(), items.end());
  std::string out = "<" + std::to_string(items.size()) + " elements>";
  for (const std::string& s : items) out += " " + s;
  return out;
}

std::string NormalizeCommon(const Command& cmd, const std::string& bytes,
                            const protocol::Reply& r) {
  const std::string name = Upper(cmd[0]);
  const bool timing = name == "TTL" || name == "PTTL" || name == "EXPIRETIME" ||
                      name == "PEXPIRETIME" ||
                      (name == "OBJECT" && cmd.size() > 1 && Upper(cmd[1]) == "IDLETIME") ||
                      (name == "MEMORY" && cmd.size() > 1 && Upper(cmd[1]) == "USAGE");
  if (timing && r.type == protocol::Reply::Type::kInteger && r.integer >= 0) {
    return ":<non-negative>\r\n";
  }
  if (name == "KEYS" && r.type == protocol::Reply::Type::kArray) return SortedElements(r, false);
  return bytes;
}

void RunDifferential(const DifferentialSuite& suite) {
  if (access(kRedisServer, X_OK) != 0) {
    GTEST_SKIP() << kRedisServer << " is not installed (Debian package redis-server); the "
                 << "differential test needs it as the reference";
  }
  std::unique_ptr<RedisProcess> redis = RedisProcess::Start();
  ASSERT_NE(redis, nullptr) << "could not start " << kRedisServer;
  auto ringkv_or = testing::ServerProcess::Start({});
  ASSERT_TRUE(ringkv_or.ok()) << ringkv_or.status();
  std::unique_ptr<testing::ServerProcess> ringkv = std::move(*ringkv_or);

  std::unique_ptr<Conn> a = Conn::Connect(redis->port());
  std::unique_ptr<Conn> b = Conn::Connect(ringkv->port());
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);

  const int64_t base_s = static_cast<int64_t>(time(nullptr));
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::seconds(suite.deadline_seconds);
  auto normalize = suite.normalize ? suite.normalize : NormalizeCommon;
  int differences = 0;
  int documented = 0;
  int compared = 0;
  for (int seed = 1; seed <= suite.seeds; ++seed) {
    // Every seed starts from a fresh connection state (RESET: no MULTI, no WATCH, RESP2) and an
    // empty server; odd seeds speak RESP3.
    for (Conn* c : {a.get(), b.get()}) {
      ASSERT_EQ(c->Call({"RESET"}), "+RESET\r\n");
      ASSERT_EQ(c->Call({"HELLO", seed % 2 == 1 ? "3" : "2"}).substr(0, 1),
                seed % 2 == 1 ? "%" : "*");
      ASSERT_EQ(c->Call({"SELECT", "0"}), "+OK\r\n");
      ASSERT_EQ(c->Call({"FLUSHALL"}), "+OK\r\n");
    }
    std::function<Command()> next = suite.make_generator(static_cast<uint32_t>(seed), base_s);
    std::vector<std::string> history;
    for (int i = 0; i < suite.commands_per_seed; ++i) {
      Command cmd = next();
      std::string line;
      for (const std::string& arg : cmd) line += "'" + arg + "' ";
      history.push_back(line);
      std::string ra, rb;
      if (!suite.custom_call || !suite.custom_call(*a, cmd, &ra) ||
          !suite.custom_call(*b, cmd, &rb)) {
        protocol::Reply da, db;
        ra = normalize(cmd, a->Call(cmd, &da), da);
        rb = normalize(cmd, b->Call(cmd, &db), db);
      }
      ++compared;
      if (ra != rb && suite.documented_difference && suite.documented_difference(cmd, ra, rb, *a)) {
        ++documented;
        continue;
      }
      if (ra != rb) {
        ++differences;
        if (differences <= 60) {
          std::string context;
          // The commands that named the same key (or switched databases), most recent last.
          const std::string needle = cmd.size() > 1 ? "'" + cmd[1] + "'" : "";
          int shown = 0;
          for (size_t h = history.size(); h-- > 0 && shown < 25;) {
            if (history[h].find(needle) != std::string::npos ||
                history[h].find("SELECT") != std::string::npos ||
                history[h].find("SWAPDB") != std::string::npos) {
              context = "\n    " + history[h] + context;
              ++shown;
            }
          }
          std::string state;
          if (suite.inspect) {
            Command look = suite.inspect(cmd);
            if (!look.empty()) state = "\n  redis " + look[0] + ": " + Printable(a->Call(look));
          }
          ADD_FAILURE() << suite.name << " seed " << seed << " command " << i << ": " << line
                        << "\n  redis:  " << Printable(ra) << "\n  ringkv: " << Printable(rb)
                        << state << "\n  last commands:" << context;
        }
      }
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline)
        << suite.name << ": differential test took too long";
  }
  EXPECT_EQ(differences, 0) << "of " << compared << " commands";
  std::cout << suite.name << ": " << compared << " commands compared, " << documented
            << " documented differences\n";
  EXPECT_EQ(compared, suite.seeds * suite.commands_per_seed);
}

}  // namespace ringkv::compat
