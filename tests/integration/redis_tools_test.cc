// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Debian's redis-cli and redis-benchmark against the real ringkv-server: the "any Redis tool
// works" check of the first slice.
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

class RedisToolsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (access("/usr/bin/redis-cli", X_OK) != 0) {
      GTEST_SKIP() << "redis-cli not installed (Debian package redis-tools)";
    }
    auto server = ServerProcess::Start({"--io-backend", GetParam(), "--threads", "1"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
  }

  std::string Cli(const std::string& args, int* status) {
    return RunShell(absl::StrCat("timeout 20 redis-cli -p ", server_->port(), " ", args), status);
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_P(RedisToolsTest, RedisCliOneShotCommands) {
  int status;
  EXPECT_EQ(Cli("ping", &status), "PONG\n");
  EXPECT_EQ(status, 0);
  EXPECT_EQ(Cli("set greeting 'hello world'", &status), "OK\n");
  EXPECT_EQ(Cli("get greeting", &status), "hello world\n");
  EXPECT_EQ(Cli("exists greeting nothere", &status), "1\n");
  EXPECT_EQ(Cli("del greeting", &status), "1\n");
  EXPECT_EQ(Cli("get greeting", &status), "\n");
  EXPECT_EQ(Cli("nosuchcommand", &status),
            "ERR unknown command 'nosuchcommand', with args beginning with: \n\n");
}

TEST_P(RedisToolsTest, RedisCliInteractiveSession) {
  int status;
  // redis-cli reads commands from a non-tty stdin line by line, as a user would type them.
  std::string out = RunShell(absl::StrCat("printf 'set a 1\\nget a\\nhello 3\\nget a\\n' | "
                                          "timeout 20 redis-cli -p ",
                                          server_->port()),
                             &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("OK\n1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("proto 3\n"), std::string::npos) << out;
}

TEST_P(RedisToolsTest, RedisBenchmarkSetGetCompletes) {
  if (access("/usr/bin/redis-benchmark", X_OK) != 0) {
    GTEST_SKIP() << "redis-benchmark not installed (Debian package redis-tools)";
  }
  int status;
  std::string out = RunShell(
      absl::StrCat("timeout 60 redis-benchmark -p ", server_->port(), " -t set,get -n 20000 -q"),
      &status);
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("SET: "), std::string::npos) << out;
  EXPECT_NE(out.find("GET: "), std::string::npos) << out;
  EXPECT_EQ(out.find("rror"), std::string::npos) << out;
}

INSTANTIATE_TEST_SUITE_P(Backends, RedisToolsTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
