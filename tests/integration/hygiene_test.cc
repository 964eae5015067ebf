// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Connection hygiene on both backends: maxclients, idle timeout, output buffer limits, a client
// that never reads (memory stays bounded), CLIENT LIST/KILL across workers, CLIENT REPLY, and a
// bad configuration stopping start-up.
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

int64_t RssKb(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      int64_t kb = 0;
      std::vector<std::string> parts = absl::StrSplit(line, ' ', absl::SkipEmpty());
      if (parts.size() >= 2 && absl::SimpleAtoi(parts[1], &kb)) return kb;
    }
  }
  return -1;
}

class HygieneTest : public ::testing::TestWithParam<std::string> {
 protected:
  void StartServer(std::vector<std::string> args) {
    args.insert(args.end(), {"--io-backend", GetParam()});
    auto server = ServerProcess::Start(args);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }
  std::unique_ptr<RawConn> Connect() {
    auto c = RawConn::Connect(server_->port());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(c).value() : nullptr;
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(HygieneTest, MaxClientsRefusesTheOneTooMany) {
  StartServer({"--maxclients", "3", "--threads", "2"});
  std::vector<std::unique_ptr<RawConn>> conns;
  conns.push_back(Connect());
  // The start-up probe's connection may not be freed yet: wait until this is the only client,
  // or the count would include it and refuse one of ours (a flake on a busy machine).
  for (int i = 0; i < 500; ++i) {
    auto info = conns.back()->Call({"INFO", "clients"});
    ASSERT_TRUE(info.ok()) << info.status();
    if (info->str.find("connected_clients:1\r\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  for (int i = 0; i < 3; ++i) {
    if (i > 0) conns.push_back(Connect());
    auto r = conns.back()->Call({"PING"});
    ASSERT_TRUE(r.ok()) << r.status();
    ASSERT_EQ(r->str, "PONG");
  }
  auto extra = Connect();
  std::string expected = "-ERR max number of clients reached\r\n";
  EXPECT_EQ(extra->ReadBytes(expected.size()), expected);
  EXPECT_TRUE(extra->WaitClosed());
  conns.pop_back();  // one leaves; a newcomer then fits once the server has freed it
  for (int i = 0; i < 500; ++i) {
    auto info = conns.front()->Call({"INFO", "clients"});
    ASSERT_TRUE(info.ok()) << info.status();
    if (info->str.find("connected_clients:2\r\n") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto again = Connect();
  auto r = again->Call({"PING"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, "PONG");
}

TEST_P(HygieneTest, IdleClientsAreClosedAfterTimeout) {
  StartServer({"--timeout", "1", "--hz", "50"});
  auto idle = Connect();
  auto busy = Connect();
  for (int i = 0; i < 8; ++i) {  // 2.4 s of activity on `busy`
    ASSERT_TRUE(busy->Call({"PING"}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  }
  EXPECT_TRUE(idle->WaitClosed(2000));
  auto r = busy->Call({"PING"});
  ASSERT_TRUE(r.ok()) << r.status();
}

TEST_P(HygieneTest, HardOutputLimitDisconnectsANonReader) {
  StartServer({"--client-output-buffer-limit", "normal", "1mb", "0", "0"});
  ASSERT_NE(server_, nullptr);
  auto c = Connect();
  ASSERT_TRUE(c->Call({"SET", "big", std::string(100 * 1024, 'v')}).ok());
  std::string batch;
  for (int i = 0; i < 300; ++i) batch += "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n";
  c->Send(batch);
  EXPECT_TRUE(c->WaitClosed(10000));
  EXPECT_NE(server_->WaitForLog("output buffer limits").find("output buffer limits"),
            std::string::npos);
}

TEST_P(HygieneTest, NonReadingClientKeepsServerMemoryBounded) {
  StartServer({"--threads", "1"});
  auto c = Connect();
  ASSERT_TRUE(c->Call({"SET", "big", std::string(100 * 1024, 'v')}).ok());
  int64_t before = RssKb(server_->pid());
  // 3000 GETs of 100 KiB: about 300 MiB of replies that are never read.
  std::string batch;
  for (int i = 0; i < 3000; ++i) batch += "*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n";
  std::thread sender([&] { c->Send(batch); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  int64_t after = RssKb(server_->pid());
  EXPECT_LT(after - before, 64 * 1024) << "RSS grew from " << before << " kB to " << after;
  // Others are still served.
  auto other = Connect();
  auto r = other->Call({"PING"});
  ASSERT_TRUE(r.ok()) << r.status();
  ::shutdown(c->fd(), SHUT_RDWR);  // unblocks the sender
  sender.join();
}

TEST_P(HygieneTest, ClientListAndKillAcrossWorkers) {
  StartServer({"--threads", "2"});
  std::vector<std::unique_ptr<RawConn>> conns;
  std::vector<int64_t> ids;
  for (int i = 0; i < 6; ++i) {
    conns.push_back(Connect());
    auto r = conns.back()->Call({"CLIENT", "ID"});
    ASSERT_TRUE(r.ok());
    ids.push_back(r->integer);
  }
  ASSERT_TRUE(conns[1]->Call({"CLIENT", "SETNAME", "worker-b"}).ok());
  auto list = conns[0]->Call({"CLIENT", "LIST"});
  ASSERT_TRUE(list.ok());
  for (int64_t id : ids) {
    EXPECT_NE(list->str.find(absl::StrCat("id=", id, " ")), std::string::npos) << list->str;
  }
  EXPECT_NE(list->str.find("name=worker-b "), std::string::npos) << list->str;
  // Kill every other client from conns[0]; they live on both workers.
  for (size_t i = 1; i < conns.size(); ++i) {
    auto r = conns[0]->Call({"CLIENT", "KILL", "ID", std::to_string(ids[i])});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->integer, 1);
  }
  for (size_t i = 1; i < conns.size(); ++i) EXPECT_TRUE(conns[i]->WaitClosed());
  auto r = conns[0]->Call({"CLIENT", "KILL", "ID", "999999"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->integer, 0);
}

TEST_P(HygieneTest, ClientReplyOffSkipOn) {
  StartServer({});
  auto c = Connect();
  std::string sent =
      "CLIENT REPLY OFF\r\nSET a 1\r\nGET a\r\nCLIENT REPLY ON\r\nGET a\r\n"
      "CLIENT REPLY SKIP\r\nGET a\r\nPING\r\n";
  std::string expected = "+OK\r\n$1\r\n1\r\n+PONG\r\n";
  c->Send(sent);
  EXPECT_EQ(c->ReadBytes(expected.size()), expected);
}

INSTANTIATE_TEST_SUITE_P(Backends, HygieneTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

TEST(StartupTest, BadConfigStopsStartupWithFileLineAndReason) {
  char path[] = "/tmp/ringkv-bad-conf-XXXXXX";
  int fd = mkstemp(path);
  ASSERT_GE(fd, 0);
  std::string text = "# comment\nport 6390\nport 99999\n";
  ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
  close(fd);
  int status;
  std::string out =
      RunShell(absl::StrCat("timeout 10 ", RINGKV_SERVER_BIN_FOR_TESTS, " ", path), &status);
  unlink(path);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << out;
  EXPECT_NE(out.find("FATAL CONFIG FILE ERROR"), std::string::npos) << out;
  EXPECT_NE(out.find("at line 3"), std::string::npos) << out;
  EXPECT_NE(out.find("'port 99999'"), std::string::npos) << out;
}

TEST(StartupTest, UnknownDirectiveOnTheCommandLineStopsStartup) {
  int status;
  std::string out = RunShell(
      absl::StrCat("timeout 10 ", RINGKV_SERVER_BIN_FOR_TESTS, " --no-such-thing 1"), &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << out;
  EXPECT_NE(out.find("no-such-thing"), std::string::npos) << out;
}

TEST(StartupTest, AddressInUseIsReportedAndExitsNonZero) {
  auto first = ServerProcess::Start({"--threads", "1"});
  ASSERT_TRUE(first.ok()) << first.status();
  int status;
  std::string out = RunShell(absl::StrCat("timeout 10 ", RINGKV_SERVER_BIN_FOR_TESTS, " --port ",
                                          (*first)->port(), " --bind 127.0.0.1"),
                             &status);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1) << out;
  EXPECT_NE(out.find("in use"), std::string::npos) << out;
}

}  // namespace
}  // namespace ringkv::testing

namespace ringkv::testing {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(StartupTest, PidfileAndLogfile) {
  std::string pidfile = absl::StrCat("/tmp/ringkv-test-", getpid(), ".pid");
  std::string logfile = absl::StrCat("/tmp/ringkv-test-", getpid(), ".log");
  auto server = ServerProcess::Start({"--pidfile", pidfile, "--logfile", logfile});
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(ReadAll(pidfile), absl::StrCat((*server)->pid(), "\n"));
  // The server answers PING before its main thread logs that it is ready: wait for the line.
  bool ready = false;
  for (int i = 0; i < 500 && !ready; ++i) {
    ready = ReadAll(logfile).find("Ready to accept connections") != std::string::npos;
    if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(ready) << ReadAll(logfile);
  int status = (*server)->Terminate();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_NE(access(pidfile.c_str(), F_OK), 0) << "pidfile not removed at exit";
  EXPECT_NE(ReadAll(logfile).find("ready to exit"), std::string::npos);
  unlink(logfile.c_str());
}

TEST(StartupTest, UnixSocketWithPermissions) {
  std::string path = absl::StrCat("/tmp/ringkv-test-", getpid(), ".sock");
  auto server = ServerProcess::Start({"--unixsocket", path, "--unixsocketperm", "700"});
  ASSERT_TRUE(server.ok()) << server.status();
  struct stat st;
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path.c_str());
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  std::string ping = "PING\r\n";
  ASSERT_EQ(write(fd, ping.data(), ping.size()), static_cast<ssize_t>(ping.size()));
  char buf[16] = {0};
  ASSERT_EQ(read(fd, buf, 7), 7);
  EXPECT_EQ(std::string(buf, 7), "+PONG\r\n");
  close(fd);
  (*server)->Terminate();
  EXPECT_NE(access(path.c_str(), F_OK), 0) << "socket file not removed at exit";
}

TEST(StartupTest, IPv6Loopback) {
  int probe = socket(AF_INET6, SOCK_STREAM, 0);
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_addr = in6addr_loopback;
  bool has_v6 = probe >= 0 && bind(probe, reinterpret_cast<sockaddr*>(&a), sizeof(a)) == 0;
  if (probe >= 0) close(probe);
  if (!has_v6) GTEST_SKIP() << "no IPv6 loopback on this machine";
  // Bind both families; the helper connects over IPv4, this test over IPv6.
  auto server = ServerProcess::Start({"--bind", "127.0.0.1", "::1"});
  ASSERT_TRUE(server.ok()) << server.status();
  int fd = socket(AF_INET6, SOCK_STREAM, 0);
  a.sin6_port = htons(static_cast<uint16_t>((*server)->port()));
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  std::string ping = "PING\r\n";
  ASSERT_EQ(write(fd, ping.data(), ping.size()), static_cast<ssize_t>(ping.size()));
  char buf[16] = {0};
  ASSERT_EQ(read(fd, buf, 7), 7);
  EXPECT_EQ(std::string(buf, 7), "+PONG\r\n");
  close(fd);
}

}  // namespace
}  // namespace ringkv::testing
