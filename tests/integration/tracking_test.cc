// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CLIENT TRACKING over real connections on several workers: invalidation pushes reach a RESP3
// client whatever worker the writer is on, after the reply of its own command; a RESP2 client
// gets them through REDIRECT on __redis__:invalidate; expiry and eviction invalidate; the
// connection closing forgets the client. (Rules and errors: tests/server/tracking_test.cc.)
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class TrackingProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = ServerProcess::Start({"--threads", "2", "--save", "", "--hz", "100"});
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }
  std::unique_ptr<RawConn> Connect() {
    auto c = RawConn::Connect(server_->port());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }
  std::unique_ptr<ServerProcess> server_;
};

// The keys of one invalidation message (push or pub/sub message), "*" for a null.
std::vector<std::string> InvalidatedKeys(const Reply& r) {
  std::vector<std::string> keys;
  if (r.elements.empty()) return {"<not a message: " + r.DebugString() + ">"};
  const Reply& payload = r.elements.back();
  if (payload.type == Reply::Type::kNull) return {"*"};
  for (const Reply& k : payload.elements) keys.push_back(k.str);
  return keys;
}

TEST_F(TrackingProcessTest, PushesReachResp3ClientsFromAnyWorker) {
  auto cached = Connect();
  ASSERT_TRUE(cached);
  ASSERT_TRUE(cached->Call({"HELLO", "3"}).ok());
  ASSERT_EQ(cached->Call({"CLIENT", "TRACKING", "ON"})->str, "OK");
  ASSERT_EQ(cached->Call({"GET", "k"})->type, Reply::Type::kNull);
  // Writers on several connections (spread over both workers).
  std::vector<std::unique_ptr<RawConn>> writers;
  for (int i = 0; i < 4; ++i) writers.push_back(Connect());
  for (int i = 0; i < 4; ++i) {
    ASSERT_EQ(writers[i]->Call({"SET", "k", std::to_string(i)})->str, "OK");
    auto push = cached->Read(2000);
    ASSERT_TRUE(push.ok()) << push.status();
    EXPECT_EQ(push->type, Reply::Type::kPush);
    EXPECT_EQ(push->elements[0].str, "invalidate");
    EXPECT_EQ(InvalidatedKeys(*push), std::vector<std::string>{"k"});
    ASSERT_EQ(cached->Call({"GET", "k"})->str, std::to_string(i));
  }
  // Its own write: the reply first, then the push.
  cached->SendCommand({"SET", "k", "own"});
  auto reply = cached->Read();
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->str, "OK");
  auto push = cached->Read();
  ASSERT_TRUE(push.ok());
  EXPECT_EQ(InvalidatedKeys(*push), std::vector<std::string>{"k"});
  // An expiring key is invalidated when it expires.
  ASSERT_EQ(cached->Call({"SET", "t", "v", "PX", "50"})->str, "OK");
  ASSERT_EQ(cached->Call({"GET", "t"})->str, "v");
  push = cached->Read(5000);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(InvalidatedKeys(*push), std::vector<std::string>{"t"});
  auto info = writers[0]->Call({"INFO", "clients"});
  EXPECT_NE(info->str.find("tracking_clients:1\r\n"), std::string::npos);
  cached.reset();
  for (int i = 0; i < 100; ++i) {
    info = writers[0]->Call({"INFO", "clients"});
    if (info->str.find("tracking_clients:0\r\n") != std::string::npos) break;
    usleep(10000);
  }
  EXPECT_NE(info->str.find("tracking_clients:0\r\n"), std::string::npos);
}

TEST_F(TrackingProcessTest, Resp2ClientsUseARedirectedSubscriber) {
  auto sub = Connect();
  auto tracked = Connect();
  auto writer = Connect();
  ASSERT_TRUE(sub && tracked && writer);
  const int64_t sub_id = sub->Call({"CLIENT", "ID"})->integer;
  auto subscribed = sub->Call({"SUBSCRIBE", "__redis__:invalidate"});
  ASSERT_TRUE(subscribed.ok());
  ASSERT_EQ(tracked->Call({"CLIENT", "TRACKING", "ON", "REDIRECT", std::to_string(sub_id)})->str,
            "OK");
  ASSERT_EQ(tracked->Call({"CLIENT", "GETREDIR"})->integer, sub_id);
  ASSERT_EQ(tracked->Call({"MGET", "a", "b"})->elements.size(), 2u);
  ASSERT_EQ(writer->Call({"MSET", "a", "1", "b", "2"})->str, "OK");
  std::vector<std::string> got;
  for (int i = 0; i < 2; ++i) {
    auto m = sub->Read(2000);
    ASSERT_TRUE(m.ok()) << m.status();
    ASSERT_EQ(m->elements.size(), 3u);
    EXPECT_EQ(m->elements[0].str, "message");
    EXPECT_EQ(m->elements[1].str, "__redis__:invalidate");
    for (const std::string& k : InvalidatedKeys(*m)) got.push_back(k);
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(writer->Call({"FLUSHALL"})->str, "OK");
  auto flush = sub->Read(2000);
  ASSERT_TRUE(flush.ok());
  EXPECT_EQ(InvalidatedKeys(*flush), std::vector<std::string>{"*"});
  const std::string list = writer->Call({"CLIENT", "LIST"})->str;
  EXPECT_NE(list.find("flags=t db=0"), std::string::npos) << list;
  EXPECT_NE(list.find("redir=" + std::to_string(sub_id)), std::string::npos) << list;
}

TEST_F(TrackingProcessTest, EvictedKeysAreInvalidated) {
  auto cached = Connect();
  auto writer = Connect();
  ASSERT_TRUE(cached && writer);
  ASSERT_TRUE(cached->Call({"HELLO", "3"}).ok());
  // volatile-ttl: the cached key expires first of all, so the eviction takes it as soon as a
  // sample meets it. (Under allkeys-lru the admission filter may keep it a long while: its
  // count-min estimate can exceed the newer keys' by collisions, which made this test flaky.)
  ASSERT_EQ(writer->Call({"SET", "victim", "v", "EX", "1000"})->str, "OK");
  ASSERT_EQ(cached->Call({"CLIENT", "TRACKING", "ON"})->str, "OK");
  ASSERT_EQ(cached->Call({"GET", "victim"})->str, "v");
  ASSERT_EQ(writer->Call({"CONFIG", "SET", "maxmemory-policy", "volatile-ttl"})->str, "OK");
  ASSERT_EQ(writer->Call({"CONFIG", "SET", "maxmemory", "4mb"})->str, "OK");
  // Far more than fits: most keys go, the one the client cached among them.
  const std::string value(1000, 'x');
  for (int i = 0; i < 40000; ++i) {
    writer->SendCommand({"SET", "fill:" + std::to_string(i), value, "EX", "100000"});
  }
  for (int i = 0; i < 40000; ++i) ASSERT_TRUE(writer->Read().ok());
  EXPECT_EQ(writer->Call({"EXISTS", "victim"})->integer, 0);
  auto push = cached->Read(2000);
  ASSERT_TRUE(push.ok()) << push.status();
  EXPECT_EQ(InvalidatedKeys(*push), std::vector<std::string>{"victim"});
}

}  // namespace
}  // namespace ringkv::testing
