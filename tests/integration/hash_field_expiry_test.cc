// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Active expiry of hash fields against the real server (two workers, both I/O backends): after
// HPEXPIRE, nothing touches the hash again, and still its fields go on time: a keyspace listener
// receives "hexpired" (then "del" when the last field went) and DBSIZE / INFO keyspace drop. Any
// command on the hash itself would take the lazy path instead, which is why none is sent.
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class HashFieldExpiryIntegrationTest : public ::testing::TestWithParam<std::string> {
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
  // The next keyspace event on a __keyspace@0__:* pattern subscription, as "key event".
  std::string NextEvent(RawConn& l) {
    auto r = l.Read(5000);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok() || r->elements.size() != 4) return "<none>";
    std::string channel = r->elements[2].str;
    const std::string prefix = "__keyspace@0__:";
    if (channel.rfind(prefix, 0) == 0) channel = channel.substr(prefix.size());
    return channel + " " + r->elements[3].str;
  }

  std::unique_ptr<ServerProcess> server_;
};

TEST_P(HashFieldExpiryIntegrationTest, FieldsExpireWithoutTouchingTheHash) {
  auto c = Connect();
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(Call(*c, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}).str, "OK");
  auto l = Connect();
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(Call(*l, {"PSUBSCRIBE", "__keyspace@0__:*"}).elements.size(), 3u);

  EXPECT_EQ(Call(*c, {"HSET", "h", "a", "1", "b", "2"}).integer, 2);
  EXPECT_EQ(NextEvent(*l), "h hset");
  Reply r = Call(*c, {"HPEXPIRE", "h", "50", "FIELDS", "1", "a"});
  ASSERT_EQ(r.elements.size(), 1u);
  EXPECT_EQ(r.elements[0].integer, 1);
  EXPECT_EQ(NextEvent(*l), "h hexpire");
  EXPECT_EQ(NextEvent(*l), "h hexpired");  // from the tick, within the read timeout
  EXPECT_EQ(Call(*c, {"DBSIZE"}).integer, 1);

  Call(*c, {"HPEXPIRE", "h", "50", "FIELDS", "1", "b"});
  EXPECT_EQ(NextEvent(*l), "h hexpire");
  EXPECT_EQ(NextEvent(*l), "h hexpired");
  EXPECT_EQ(NextEvent(*l), "h del");
  EXPECT_EQ(Call(*c, {"DBSIZE"}).integer, 0);
  EXPECT_EQ(Call(*c, {"INFO", "keyspace"}).str.find("db0:"), std::string::npos);
}

TEST_P(HashFieldExpiryIntegrationTest, DbSizeDropsWithNoListener) {
  auto c = Connect();
  ASSERT_NE(c, nullptr);
  for (int i = 0; i < 20; ++i) {
    const std::string key = "h" + std::to_string(i);
    Call(*c, {"HSET", key, "a", "1"});
    Call(*c, {"HPEXPIRE", key, "50", "FIELDS", "1", "a"});
  }
  EXPECT_EQ(Call(*c, {"DBSIZE"}).integer, 20);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int64_t n = Call(*c, {"DBSIZE"}).integer;
  for (int i = 0; i < 40 && n != 0; ++i) {  // generous on a loaded machine
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    n = Call(*c, {"DBSIZE"}).integer;
  }
  EXPECT_EQ(n, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, HashFieldExpiryIntegrationTest,
                         ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
