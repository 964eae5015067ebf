// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Load-shaped integration tests on both backends: thousands of concurrent connections doing
// pipelined work, and SIGTERM arriving in the middle of a pipelined load.
#include <sys/resource.h>
#include <sys/wait.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

class LoadTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    // 2000 client sockets here plus the server's: make sure the soft limit allows them.
    struct rlimit lim;
    ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
    if (lim.rlim_cur < 4200) {
      lim.rlim_cur = std::min<rlim_t>(lim.rlim_max, 4200);
      setrlimit(RLIMIT_NOFILE, &lim);
    }
    getrlimit(RLIMIT_NOFILE, &lim);
    if (lim.rlim_cur < 4200) GTEST_SKIP() << "RLIMIT_NOFILE hard limit too low: " << lim.rlim_max;
    auto server = ServerProcess::Start({"--io-backend", GetParam(), "--threads", "2"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }
  std::unique_ptr<ServerProcess> server_;
};

TEST_P(LoadTest, TwoThousandConnectionsWithPipelines) {
  constexpr int kConns = 2000;
  constexpr int kDepth = 10;
  std::vector<std::unique_ptr<RawConn>> conns;
  for (int i = 0; i < kConns; ++i) {
    auto c = RawConn::Connect(server_->port());
    ASSERT_TRUE(c.ok()) << "connection " << i << ": " << c.status();
    conns.push_back(std::move(c).value());
  }
  // Every connection sends its whole pipeline before any reply is read.
  for (int i = 0; i < kConns; ++i) {
    std::string batch;
    for (int j = 0; j < kDepth; ++j) {
      std::string key = absl::StrCat("c", i, ":", j);
      absl::StrAppend(&batch, "*3\r\n$3\r\nSET\r\n$", key.size(), "\r\n", key, "\r\n$", key.size(),
                      "\r\n", key, "\r\n*2\r\n$3\r\nGET\r\n$", key.size(), "\r\n", key, "\r\n");
    }
    conns[i]->Send(batch);
  }
  for (int i = 0; i < kConns; ++i) {
    std::string expected;
    for (int j = 0; j < kDepth; ++j) {
      std::string key = absl::StrCat("c", i, ":", j);
      absl::StrAppend(&expected, "+OK\r\n$", key.size(), "\r\n", key, "\r\n");
    }
    ASSERT_EQ(conns[i]->ReadBytes(expected.size(), 20000), expected) << "connection " << i;
  }
  auto info = conns[0]->Call({"INFO", "clients"});
  ASSERT_TRUE(info.ok());
  EXPECT_NE(info->str.find(absl::StrCat("connected_clients:", kConns, "\r\n")), std::string::npos)
      << info->str;
}

TEST_P(LoadTest, SigtermDuringPipelinedLoadLosesNoReply) {
  constexpr int kClients = 8;
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  std::vector<std::string> received(kClients);
  std::vector<int64_t> sent(kClients, 0);
  for (int t = 0; t < kClients; ++t) {
    threads.emplace_back([&, t] {
      auto c = RawConn::Connect(server_->port());
      if (!c.ok()) return;
      std::string batch;
      for (int j = 0; j < 100; ++j) batch += "*1\r\n$4\r\nPING\r\n";
      // Send batches until the server goes away, reading what comes back as we go.
      while (!stop.load()) {
        (*c)->Send(batch);
        sent[t] += 100;
        std::string got = (*c)->ReadBytes(7 * 100, 2000);
        received[t] += got;
        if (got.size() < 7 * 100) break;  // closing
      }
      (*c)->WaitClosed(5000);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int status = server_->Terminate(15000);
  stop = true;
  for (auto& th : threads) th.join();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0);
  for (int t = 0; t < kClients; ++t) {
    // Every reply that arrived is whole: the server never cut one in half on its way out.
    ASSERT_EQ(received[t].size() % 7, 0u) << "client " << t;
    for (size_t i = 0; i < received[t].size(); i += 7) {
      ASSERT_EQ(received[t].compare(i, 7, "+PONG\r\n"), 0) << "client " << t << " at " << i;
    }
    EXPECT_GT(received[t].size(), 0u) << "client " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, LoadTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
