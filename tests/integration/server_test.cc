// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// End-to-end tests of the first vertical slice: the real ringkv-server binary on 127.0.0.1,
// driven over TCP with exact RESP bytes, on both I/O backends (io_uring and epoll).
#include <sched.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class ServerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto server = ServerProcess::Start({"--io-backend", GetParam(), "--threads", "2"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    if (GetParam() == "io_uring" &&
        server_->WaitForLog("I/O backend: ").find("using the epoll backend") != std::string::npos) {
      GTEST_SKIP() << "io_uring is not available on this kernel";
    }
  }

  std::unique_ptr<RawConn> Connect() {
    auto c = RawConn::Connect(server_->port());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(c).value() : nullptr;
  }

  // Sends `bytes` and returns exactly `expected.size()` reply bytes.
  std::string Exchange(RawConn& c, std::string_view bytes, size_t reply_len) {
    c.Send(bytes);
    return c.ReadBytes(reply_len);
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_P(ServerTest, LogsTheChosenBackend) {
  std::string want = "I/O backend: " + std::string(GetParam() == "epoll" ? "epoll" : "io_uring");
  std::string log = server_->WaitForLog(want);
  EXPECT_NE(log.find(want), std::string::npos) << log;
}

// `threads 0` (the default) starts one worker per CPU the process may run on: its affinity, as
// taskset or a container's cpuset leaves it, not every CPU of the machine.
TEST(ServerThreadsTest, DefaultWorkersFollowTheCpuAffinity) {
  cpu_set_t mine;
  ASSERT_EQ(sched_getaffinity(0, sizeof(mine), &mine), 0);
  int first = 0;
  while (!CPU_ISSET(first, &mine)) ++first;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(first, &one);
  // The server inherits this thread's affinity when it is forked.
  ASSERT_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
  auto pinned = ServerProcess::Start({});
  ASSERT_EQ(sched_setaffinity(0, sizeof(mine), &mine), 0);
  ASSERT_TRUE(pinned.ok()) << pinned.status();
  std::string log = (*pinned)->WaitForLog(" worker thread(s)");
  EXPECT_NE(log.find(", 1 worker thread(s)"), std::string::npos) << log;
  if (CPU_COUNT(&mine) > 1) {
    auto all = ServerProcess::Start({});
    ASSERT_TRUE(all.ok()) << all.status();
    log = (*all)->WaitForLog(" worker thread(s)");
    EXPECT_NE(log.find(absl::StrCat(", ", CPU_COUNT(&mine), " worker thread(s)")),
              std::string::npos)
        << log;
  }
}

TEST_P(ServerTest, PingEchoSetGetDelExists) {
  auto c = Connect();
  std::string expected = "+PONG\r\n$5\r\nhello\r\n+OK\r\n$3\r\nbar\r\n:1\r\n:1\r\n:0\r\n$-1\r\n";
  std::string sent =
      "*1\r\n$4\r\nPING\r\n*2\r\n$4\r\necho\r\n$5\r\nhello\r\n*3\r\n$3\r\nSET\r\n$3\r\nfoo\r\n"
      "$3\r\nbar\r\n*2\r\n$3\r\nGET\r\n$3\r\nfoo\r\n*3\r\n$6\r\nEXISTS\r\n$3\r\nfoo\r\n$"
      "3\r\nzzz\r\n"
      "*2\r\n$3\r\nDEL\r\n$3\r\nfoo\r\n*2\r\n$3\r\nDEL\r\n$3\r\nfoo\r\n*2\r\n$3\r\nGET\r\n$"
      "3\r\nfoo\r\n";
  EXPECT_EQ(Exchange(*c, sent, expected.size()), expected);
}

TEST_P(ServerTest, InlineCommandsAsTypedInTelnet) {
  auto c = Connect();
  std::string expected = "+PONG\r\n+OK\r\n$11\r\nhello world\r\n";
  EXPECT_EQ(Exchange(*c, "PING\r\nset k \"hello world\"\nget k\r\n", expected.size()), expected);
}

TEST_P(ServerTest, UnknownCommandAndWrongArityUseRedisText) {
  auto c = Connect();
  std::string expected =
      "-ERR unknown command 'foo', with args beginning with: 'a' 'b' \r\n"
      "-ERR wrong number of arguments for 'get' command\r\n"
      "-ERR wrong number of arguments for 'set' command\r\n";
  EXPECT_EQ(Exchange(*c, "foo a b\r\nGET\r\nSET x\r\n", expected.size()), expected);
}

TEST_P(ServerTest, PipelineOfManyCommandsInOneWrite) {
  auto c = Connect();
  std::string batch;
  std::string expected;
  for (int i = 0; i < 2000; ++i) {
    std::string key = absl::StrCat("key:", i);
    absl::StrAppend(&batch, "*3\r\n$3\r\nSET\r\n$", key.size(), "\r\n", key, "\r\n$1\r\nv\r\n");
    absl::StrAppend(&batch, "*2\r\n$3\r\nGET\r\n$", key.size(), "\r\n", key, "\r\n");
    expected += "+OK\r\n$1\r\nv\r\n";
  }
  EXPECT_EQ(Exchange(*c, batch, expected.size()), expected);
}

TEST_P(ServerTest, OneByteAtATime) {
  auto c = Connect();
  std::string cmd = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  for (char ch : cmd) c->Send(std::string_view(&ch, 1));
  std::string expected = "+OK\r\n$5\r\nvalue\r\n";
  EXPECT_EQ(c->ReadBytes(expected.size()), expected);
}

TEST_P(ServerTest, LargeValueRoundTrips) {
  auto c = Connect();
  std::string big(3 << 20, 'x');
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>('a' + i % 26);
  auto r = c->Call({"SET", "big", big});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, "OK");
  r = c->Call({"GET", "big"});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, big);
}

TEST_P(ServerTest, ProtocolErrorIsAnsweredThenTheConnectionCloses) {
  auto c = Connect();
  std::string expected = "-ERR Protocol error: expected '$', got 'x'\r\n";
  EXPECT_EQ(Exchange(*c, "*1\r\nxyz\r\n", expected.size()), expected);
  EXPECT_TRUE(c->WaitClosed());
  // The server is still fine for others.
  auto other = Connect();
  auto r = other->Call({"PING"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "PONG");
}

TEST_P(ServerTest, QuitRepliesOkAndCloses) {
  auto c = Connect();
  std::string expected = "+OK\r\n";
  EXPECT_EQ(Exchange(*c, "QUIT\r\nPING\r\n", expected.size()), expected);
  EXPECT_TRUE(c->WaitClosed());
}

TEST_P(ServerTest, Hello3SwitchesToResp3) {
  auto c = Connect();
  auto r = c->Call({"HELLO", "3"});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->type, Reply::Type::kMap);
  ASSERT_EQ(r->elements.size(), 14u);
  EXPECT_EQ(r->elements[4].str, "proto");
  EXPECT_EQ(r->elements[5].integer, 3);
  std::string expected = "_\r\n";
  EXPECT_EQ(Exchange(*c, "GET missing\r\n", expected.size()), expected);
  r = c->Call({"HELLO", "4"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "NOPROTO unsupported protocol version");
}

TEST_P(ServerTest, SelectIsolatesDatabases) {
  auto c = Connect();
  std::string expected = "+OK\r\n+OK\r\n$-1\r\n+OK\r\n$1\r\n1\r\n-ERR DB index is out of range\r\n";
  EXPECT_EQ(Exchange(*c, "SET k 1\r\nSELECT 1\r\nGET k\r\nSELECT 0\r\nGET k\r\nSELECT 16\r\n",
                     expected.size()),
            expected);
}

TEST_P(ServerTest, ClientVanishingMidPipelineCostsNothing) {
  for (int i = 0; i < 20; ++i) {
    auto c = Connect();
    std::string batch;
    for (int j = 0; j < 500; ++j) batch += "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
    batch += "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100\r\nabc";  // cut inside a bulk
    c->Send(batch);
  }  // each connection closes here without reading
  auto c = Connect();
  auto r = c->Call({"PING"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "PONG");
}

TEST_P(ServerTest, SigtermExitsCleanly) {
  auto c = Connect();
  ASSERT_TRUE(c->Call({"SET", "a", "1"}).ok());
  int status = server_->Terminate();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_P(ServerTest, ShutdownCommandStopsTheServer) {
  auto c = Connect();
  c->SendCommand({"SHUTDOWN", "NOSAVE"});
  EXPECT_TRUE(c->WaitClosed(10000));
  int status = server_->Terminate();  // already exiting; reaps it
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST_P(ServerTest, InstantaneousOpsPerSecFollowsTheLoad) {
  auto c = Connect();
  std::string batch;
  for (int i = 0; i < 1000; ++i) batch += "*1\r\n$4\r\nPING\r\n";
  for (int i = 0; i < 15; ++i) {  // about 10k commands/s for 1.5 s
    c->Send(batch);
    ASSERT_EQ(c->ReadBytes(7 * 1000).size(), 7u * 1000);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  auto r = c->Call({"INFO", "stats"});
  ASSERT_TRUE(r.ok());
  size_t at = r->str.find("instantaneous_ops_per_sec:");
  ASSERT_NE(at, std::string::npos) << r->str;
  int64_t ops = std::stoll(r->str.substr(at + 26));
  EXPECT_GT(ops, 1000) << r->str;
}

INSTANTIATE_TEST_SUITE_P(Backends, ServerTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
