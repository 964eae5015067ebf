// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// MONITOR against the real server with two workers, on both I/O backends: every command from
// clients on any worker reaches every monitor as Redis's line, EXEC's commands are shown,
// passwords are redacted, admin commands are hidden, a monitor may not touch the keyspace, and
// RESET or a disconnect ends monitoring.
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class MonitorTest : public ::testing::TestWithParam<std::string> {
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

  Reply Call(RawConn& c, const std::vector<std::string>& args) {
    auto r = c.Call(args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }

  // The next monitor line without its timestamp and address: `[db] "arg" ...`.
  static std::string Next(RawConn& m) {
    auto r = m.Read();
    if (!r.ok()) return "<" + std::string(r.status().message()) + ">";
    static const std::regex kLine(R"(^\d+\.\d{6} \[(\d+) 127\.0\.0\.1:\d+\] (.*)$)");
    std::smatch match;
    if (!std::regex_match(r->str, match, kLine)) return "<bad line: " + r->str + ">";
    return "[" + match[1].str() + "] " + match[2].str();
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_P(MonitorTest, ShowsEveryClientsCommands) {
  auto m1 = Connect();
  auto m2 = Connect();
  EXPECT_EQ(Call(*m1, {"MONITOR"}).str, "OK");
  EXPECT_EQ(Call(*m2, {"MONITOR"}).str, "OK");
  std::vector<std::unique_ptr<RawConn>> clients;
  for (int i = 0; i < 4; ++i) clients.push_back(Connect());  // on both workers
  Call(*clients[0], {"SET", "a b", "x\ny\"\x01"});
  Call(*clients[1], {"GET", "a b"});
  Call(*clients[2], {"SELECT", "3"});
  Call(*clients[2], {"INCR", "n"});
  for (RawConn* m : {m1.get(), m2.get()}) {
    EXPECT_EQ(Next(*m), R"([0] "SET" "a b" "x\ny\"\x01")");
    EXPECT_EQ(Next(*m), R"([0] "GET" "a b")");
    EXPECT_EQ(Next(*m), R"([0] "SELECT" "3")");
    EXPECT_EQ(Next(*m), R"([3] "INCR" "n")");
  }
}

TEST_P(MonitorTest, TransactionsRedactionAndHiddenAdminCommands) {
  auto m = Connect();
  Call(*m, {"MONITOR"});
  auto c = Connect();
  Call(*c, {"MULTI"});
  Call(*c, {"SET", "k", "1"});
  Call(*c, {"EXEC"});
  Call(*c, {"CONFIG", "GET", "port"});
  Call(*c, {"AUTH", "secret"});
  Call(*c, {"HELLO", "2", "AUTH", "default", "secret"});
  Call(*c, {"PING"});
  EXPECT_EQ(Next(*m), R"([0] "MULTI")");
  EXPECT_EQ(Next(*m), R"([0] "SET" "k" "1")");
  EXPECT_EQ(Next(*m), R"([0] "EXEC")");
  EXPECT_EQ(Next(*m), R"x([0] "AUTH" "(redacted)")x");
  EXPECT_EQ(Next(*m), R"x([0] "HELLO" "2" "AUTH" "(redacted)" "(redacted)")x");
  EXPECT_EQ(Next(*m), R"([0] "PING")");
}

TEST_P(MonitorTest, MonitorMayNotTouchTheKeyspaceAndResetEndsIt) {
  auto m = Connect();
  Call(*m, {"MONITOR"});
  auto c = Connect();
  const std::string id = std::to_string(Call(*m, {"CLIENT", "ID"}).integer);
  Next(*m);  // its own CLIENT ID
  Reply r = Call(*m, {"GET", "k"});
  EXPECT_EQ(r.type, Reply::Type::kError);
  EXPECT_EQ(r.str, "ERR Replica can't interact with the keyspace");
  EXPECT_NE(Call(*c, {"CLIENT", "LIST", "ID", id}).str.find(" flags=O "), std::string::npos);
  EXPECT_EQ(Next(*m), R"([0] "CLIENT" "LIST" "ID" ")" + id + "\"");
  EXPECT_EQ(Call(*m, {"RESET"}).str, "RESET");
  Call(*c, {"SET", "k", "v"});
  EXPECT_EQ(Call(*m, {"GET", "k"}).str, "v");  // a normal client again, no monitor line before
}

TEST_P(MonitorTest, DisconnectedMonitorIsForgotten) {
  auto m = Connect();
  Call(*m, {"MONITOR"});
  m.reset();
  auto c = Connect();
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Call(*c, {"PING"}).str, "PONG");
}

INSTANTIATE_TEST_SUITE_P(Backends, MonitorTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
