// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// maxmemory against the real server: noeviction refuses writes with Redis's -OOM while reads and
// deletes work; the evicting policies keep used_memory at the limit, take only what they may
// (volatile-* never a key without a TTL), LRU keeps recently used keys, "evicted" keyspace
// events are published, and the policy switches live.
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

class MaxmemoryTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> args) {
    args.insert(args.end(), {"--threads", "2"});
    auto s = ServerProcess::Start(args);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(s).value();
    auto c = RawConn::Connect(server_->port());
    ASSERT_TRUE(c.ok());
    conn_ = std::move(c).value();
  }
  Reply Call(const std::vector<std::string>& args) {
    auto r = conn_->Call(args);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }
  int64_t InfoInt(const std::string& section, const std::string& field) {
    const std::string text = Call({"INFO", section}).str;
    const auto pos = text.find("\r\n" + field + ":");
    if (pos == std::string::npos) return -1;
    return std::stoll(text.substr(pos + 3 + field.size()));
  }
  // Sends `n` SETs of 1000-byte values in one pipeline; returns how many answered OK.
  int SetMany(const std::string& prefix, int n) {
    std::string batch;
    const std::string value(1000, 'v');
    for (int i = 0; i < n; ++i) {
      const std::string k = prefix + std::to_string(i);
      batch += "*3\r\n$3\r\nSET\r\n$" + std::to_string(k.size()) + "\r\n" + k + "\r\n$1000\r\n" +
               value + "\r\n";
    }
    conn_->Send(batch);
    int ok = 0;
    for (int i = 0; i < n; ++i) {
      auto r = conn_->Read(10000);
      if (!r.ok()) break;
      if (r->str == "OK") ++ok;
      last_error_ = r->type == Reply::Type::kError ? r->str : last_error_;
    }
    return ok;
  }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawConn> conn_;
  std::string last_error_;
};

TEST_F(MaxmemoryTest, NoevictionRefusesWritesButNotReadsOrDeletes) {
  Start({"--maxmemory", "1mb"});
  EXPECT_EQ(InfoInt("memory", "maxmemory"), 1 << 20);
  const int ok = SetMany("k", 3000);
  EXPECT_GT(ok, 500);
  EXPECT_LT(ok, 3000);
  EXPECT_EQ(last_error_, "OOM command not allowed when used memory > 'maxmemory'.");
  EXPECT_EQ(Call({"SET", "more", "x"}).str, last_error_);
  EXPECT_EQ(Call({"LPUSH", "l", "x"}).str, last_error_);
  EXPECT_EQ(Call({"GET", "k0"}).str, std::string(1000, 'v'));
  EXPECT_EQ(Call({"DBSIZE"}).integer, ok);
  EXPECT_EQ(InfoInt("stats", "evicted_keys"), 0);
  // Deleting makes room again.
  std::vector<std::string> del = {"DEL"};
  for (int i = 0; i < 300; ++i) del.push_back("k" + std::to_string(i));
  EXPECT_EQ(Call(del).integer, 300);
  EXPECT_EQ(Call({"SET", "more", "x"}).str, "OK");
  // Raising the limit live lets writes through.
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "0"}).str, "OK");
  EXPECT_EQ(SetMany("z", 500), 500);
}

TEST_F(MaxmemoryTest, AllkeysRandomHoldsTheLimitAndPublishesEvictedEvents) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-random", "--notify-keyspace-events",
         "Ee"});
  auto listener = RawConn::Connect(server_->port());
  ASSERT_TRUE(listener.ok());
  (*listener)->SendCommand({"SUBSCRIBE", "__keyevent@0__:evicted"});
  ASSERT_TRUE((*listener)->Read().ok());
  EXPECT_EQ(SetMany("k", 10000), 10000);  // every write succeeds
  const int64_t used = InfoInt("memory", "used_memory");
  EXPECT_LE(used, (2 << 20) + 4096) << used;
  const int64_t evicted = InfoInt("stats", "evicted_keys");
  EXPECT_GT(evicted, 5000);
  EXPECT_EQ(Call({"DBSIZE"}).integer + evicted, 10000);
  auto event = (*listener)->Read();
  ASSERT_TRUE(event.ok());
  ASSERT_EQ(event->elements.size(), 3u);
  EXPECT_EQ(event->elements[1].str, "__keyevent@0__:evicted");
  EXPECT_EQ(event->elements[2].str.rfind("k", 0), 0u);
}

TEST_F(MaxmemoryTest, AllkeysLruKeepsRecentlyUsedKeys) {
  Start({"--maxmemory", "2mb", "--maxmemory-policy", "allkeys-lru", "--maxmemory-samples", "10"});
  ASSERT_EQ(SetMany("old", 1500), 1500);
  // The LRU clock counts seconds: let the old keys age, then use a third of them.
  std::this_thread::sleep_for(std::chrono::milliseconds(2200));
  for (int i = 0; i < 500; ++i) Call({"GET", "old" + std::to_string(i)});
  ASSERT_EQ(SetMany("new", 1500), 1500);
  int used_kept = 0;
  int idle_kept = 0;
  for (int i = 0; i < 1500; ++i) {
    const bool kept = Call({"EXISTS", "old" + std::to_string(i)}).integer == 1;
    (i < 500 ? used_kept : idle_kept) += kept ? 1 : 0;
  }
  EXPECT_GT(InfoInt("stats", "evicted_keys"), 500);
  EXPECT_GE(used_kept, 450) << "idle kept: " << idle_kept;
  EXPECT_LT(idle_kept, 500) << "used kept: " << used_kept;
}

TEST_F(MaxmemoryTest, VolatilePoliciesNeverTakeKeysWithoutATtl) {
  Start({"--maxmemory", "1mb", "--maxmemory-policy", "volatile-lru"});
  for (int i = 0; i < 200; ++i) {
    Call({"SET", "ttl" + std::to_string(i), std::string(1000, 'v'), "EX", "1000"});
  }
  const int ok = SetMany("plain", 3000);
  EXPECT_LT(ok, 3000);
  EXPECT_EQ(last_error_, "OOM command not allowed when used memory > 'maxmemory'.");
  // Every key with a TTL went first; no key without one did.
  EXPECT_EQ(InfoInt("stats", "evicted_keys"), 200);
  EXPECT_EQ(Call({"DBSIZE"}).integer, ok);
  EXPECT_EQ(Call({"EXISTS", "plain0"}).integer, 1);
}

TEST_F(MaxmemoryTest, PoliciesAreSetLiveAndUnknownOrLfuOnesRefused) {
  Start({});
  EXPECT_EQ(Call({"CONFIG", "GET", "maxmemory-policy"}).elements[1].str, "noeviction");
  for (const char* p : {"allkeys-lru", "volatile-ttl", "allkeys-random", "volatile-random",
                        "volatile-lru", "noeviction"}) {
    EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", p}).str, "OK") << p;
    const std::string text = Call({"INFO", "memory"}).str;
    EXPECT_NE(text.find(std::string("maxmemory_policy:") + p), std::string::npos) << p;
  }
  Reply lfu = Call({"CONFIG", "SET", "maxmemory-policy", "allkeys-lfu"});
  EXPECT_EQ(lfu.type, Reply::Type::kError);
  EXPECT_NE(lfu.str.find("LFU policies are not supported"), std::string::npos) << lfu.str;
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", "bogus"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-samples", "0"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "-1"}).type, Reply::Type::kError);
  EXPECT_EQ(Call({"CONFIG", "GET", "maxmemory-policy"}).elements[1].str, "noeviction");
  // Switching from noeviction to an evicting policy while over the limit frees memory.
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory", "1mb"}).str, "OK");
  EXPECT_LT(SetMany("k", 2000), 2000);
  EXPECT_EQ(Call({"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"}).str, "OK");
  EXPECT_EQ(SetMany("m", 2000), 2000);
  EXPECT_LE(InfoInt("memory", "used_memory"), (1 << 20) + 4096);
}

}  // namespace
}  // namespace ringkv::testing
