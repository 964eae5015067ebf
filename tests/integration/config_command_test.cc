// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CONFIG GET/SET/REWRITE/RESETSTAT against the real server: values as redis-server formats them,
// live changes that take effect at once, atomic multi-set, and a rewrite that keeps the file's
// comments.
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class ConfigCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ringkv-conf-XXXXXX";
    int fd = mkstemp(tmpl);
    ASSERT_GE(fd, 0);
    path_ = tmpl;
    std::string text = "# my settings\ntimeout 0\n\n# keep this comment\nmaxclients 100\n";
    ASSERT_EQ(write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    close(fd);
    auto server = ServerProcess::Start({path_});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    auto c = RawConn::Connect(server_->port());
    ASSERT_TRUE(c.ok());
    conn_ = std::move(c).value();
  }
  void TearDown() override { unlink(path_.c_str()); }

  Reply Call(const std::vector<std::string>& args) {
    auto r = conn_->Call(args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }

  std::string path_;
  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawConn> conn_;
};

TEST_F(ConfigCommandTest, GetFormatsLikeRedis) {
  Reply r = Call({"CONFIG", "GET", "maxclients"});
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.elements[0].str, "maxclients");
  EXPECT_EQ(r.elements[1].str, "100");
  r = Call({"CONFIG", "GET", "proto-max-bulk-len"});
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.elements[1].str, "536870912");
  r = Call({"CONFIG", "GET", "*max*"});
  EXPECT_GE(r.elements.size(), 4u);
  r = Call({"CONFIG", "GET", "nosuchthing"});
  EXPECT_TRUE(r.elements.empty());
}

TEST_F(ConfigCommandTest, SetMaxclientsTakesEffectAtOnce) {
  EXPECT_EQ(Call({"CONFIG", "SET", "maxclients", "1"}).str, "OK");
  auto extra = RawConn::Connect(server_->port());
  ASSERT_TRUE(extra.ok());
  std::string expected = "-ERR max number of clients reached\r\n";
  EXPECT_EQ((*extra)->ReadBytes(expected.size()), expected);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxclients", "100"}).str, "OK");
  auto again = RawConn::Connect(server_->port());
  ASSERT_TRUE(again.ok());
  auto r = (*again)->Call({"PING"});
  ASSERT_TRUE(r.ok()) << r.status();
}

TEST_F(ConfigCommandTest, SetRequirepassGatesNewCommands) {
  EXPECT_EQ(Call({"CONFIG", "SET", "requirepass", "pw"}).str, "OK");
  auto other = RawConn::Connect(server_->port());
  ASSERT_TRUE(other.ok());
  auto r = (*other)->Call({"GET", "x"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "NOAUTH Authentication required.");
  r = (*other)->Call({"AUTH", "pw"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->str, "OK");
}

TEST_F(ConfigCommandTest, MultiSetIsAtomic) {
  Reply r = Call({"CONFIG", "SET", "timeout", "5", "maxclients", "notanumber"});
  EXPECT_TRUE(r.is_error()) << r.DebugString();
  EXPECT_EQ(Call({"CONFIG", "GET", "timeout"}).elements[1].str, "0");
  r = Call({"CONFIG", "SET", "port", "7000"});
  EXPECT_TRUE(r.is_error());
  EXPECT_NE(r.str.find("can't set immutable config"), std::string::npos) << r.str;
  r = Call({"CONFIG", "SET", "timeout"});
  EXPECT_EQ(r.str, "ERR wrong number of arguments for 'config|set' command");
  // A name left without its value after a pair: Redis 7.0's syntax error, nothing set.
  r = Call({"CONFIG", "SET", "timeout", "5", "maxclients"});
  EXPECT_EQ(r.str, "ERR syntax error");
  EXPECT_EQ(Call({"CONFIG", "GET", "timeout"}).elements[1].str, "0");
}

TEST_F(ConfigCommandTest, RewriteKeepsCommentsAndUpdatesValues) {
  EXPECT_EQ(Call({"CONFIG", "SET", "timeout", "30"}).str, "OK");
  EXPECT_EQ(Call({"CONFIG", "REWRITE"}).str, "OK");
  std::ifstream in(path_);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  EXPECT_NE(text.find("# my settings\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# keep this comment\n"), std::string::npos) << text;
  EXPECT_NE(text.find("timeout 30\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("timeout 0\n"), std::string::npos) << text;
}

TEST_F(ConfigCommandTest, ResetStatZeroesCounters) {
  Call({"PING"});
  EXPECT_EQ(Call({"CONFIG", "RESETSTAT"}).str, "OK");
  Reply info = Call({"INFO", "stats"});
  EXPECT_NE(info.str.find("total_commands_processed:1\r\n"), std::string::npos) << info.str;
}

// The collection thresholds apply to collections as they next grow: the hash default is Redis
// 7.0's 512 fields, and list-compress-depth 1 compresses a long list's inner nodes.
TEST_F(ConfigCommandTest, TypeLimitsApplyAsCollectionsGrow) {
  for (int i = 0; i < 512; ++i) Call({"HSET", "h", absl::StrCat("f", i), "v"});
  EXPECT_EQ(Call({"OBJECT", "ENCODING", "h"}).str, "listpack");
  Call({"HSET", "h", "one-more", "v"});
  EXPECT_EQ(Call({"OBJECT", "ENCODING", "h"}).str, "hashtable");

  auto fill = [this](const std::string& key) {
    for (int batch = 0; batch < 20; ++batch) {
      std::vector<std::string> args = {"RPUSH", key};
      for (int i = 0; i < 1000; ++i) args.push_back(absl::StrCat("element-", batch * 1000 + i));
      Call(args);
    }
    return Call({"MEMORY", "USAGE", key}).integer;
  };
  EXPECT_EQ(Call({"CONFIG", "GET", "list-compress-depth"}).elements[1].str, "0");
  const int64_t plain = fill("plain");
  EXPECT_EQ(Call({"CONFIG", "SET", "list-compress-depth", "1"}).str, "OK");
  const int64_t packed = fill("packed");
  EXPECT_LT(packed, plain * 3 / 4) << plain << " vs " << packed;
  EXPECT_EQ(Call({"LINDEX", "packed", "10000"}).str, "element-10000");
  EXPECT_EQ(Call({"LLEN", "packed"}).integer, 20000);
  EXPECT_EQ(Call({"CONFIG", "SET", "list-compress-depth", "-1"}).type, Reply::Type::kError);
}

}  // namespace
}  // namespace ringkv::testing
