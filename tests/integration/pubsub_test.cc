// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Pub/sub against the real server with two workers, on both I/O backends: delivery to
// subscribers on every worker (connections spread over the workers by SO_REUSEPORT), patterns and
// shard channels, RESP3 pushes, ordering, a subscriber that stops reading cut off by the pubsub
// output limit while the server's memory stays bounded, subscribers that vanish mid-stream, and
// keyspace notifications.
#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

#if defined(__SANITIZE_ADDRESS__)
constexpr int64_t kRssSlack = int64_t{1} << 40;
#else
constexpr int64_t kRssSlack = int64_t{64} << 20;
#endif

// Resident memory of a process in bytes (0 if unknown).
int64_t RssBytes(pid_t pid) {
  std::ifstream f(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(f, line)) {
    if (line.rfind("VmRSS:", 0) == 0) {
      std::istringstream in(line.substr(6));
      int64_t kb = 0;
      in >> kb;
      return kb * 1024;
    }
  }
  return 0;
}

std::string Command(const std::vector<std::string>& args) {
  std::string out = absl::StrCat("*", args.size(), "\r\n");
  for (const std::string& a : args) absl::StrAppend(&out, "$", a.size(), "\r\n", a, "\r\n");
  return out;
}

class PubSubIntegrationTest : public ::testing::TestWithParam<std::string> {
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

  Reply Read(RawConn& c) {
    auto r = c.Read();
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }

  // Opens `n` connections subscribed to `channel` (or, with pattern, psubscribed).
  std::vector<std::unique_ptr<RawConn>> Subscribers(int n, const std::string& name,
                                                    bool pattern = false) {
    std::vector<std::unique_ptr<RawConn>> subs;
    for (int i = 0; i < n; ++i) {
      subs.push_back(Connect());
      Reply r = Call(*subs.back(), {pattern ? "PSUBSCRIBE" : "SUBSCRIBE", name});
      EXPECT_EQ(r.elements.size(), 3u);
    }
    return subs;
  }

  std::unique_ptr<ServerProcess> server_;
};

// With 24 connections over two workers, subscribers and publishers sit on both; every PUBLISH
// reaches every subscriber and counts them all.
TEST_P(PubSubIntegrationTest, PublishReachesSubscribersOnEveryWorker) {
  auto subs = Subscribers(16, "news");
  auto psubs = Subscribers(4, "n*", /*pattern=*/true);
  std::vector<std::unique_ptr<RawConn>> pubs;
  for (int i = 0; i < 4; ++i) pubs.push_back(Connect());
  for (size_t p = 0; p < pubs.size(); ++p) {
    const std::string msg = absl::StrCat("hello from ", p);
    EXPECT_EQ(Call(*pubs[p], {"PUBLISH", "news", msg}).integer, 20);
    for (auto& s : subs) {
      Reply m = Read(*s);
      ASSERT_EQ(m.elements.size(), 3u);
      EXPECT_EQ(m.elements[0].str, "message");
      EXPECT_EQ(m.elements[1].str, "news");
      EXPECT_EQ(m.elements[2].str, msg);
    }
    for (auto& s : psubs) {
      Reply m = Read(*s);
      ASSERT_EQ(m.elements.size(), 4u);
      EXPECT_EQ(m.elements[0].str, "pmessage");
      EXPECT_EQ(m.elements[1].str, "n*");
      EXPECT_EQ(m.elements[3].str, msg);
    }
  }
  Reply numsub = Call(*pubs[0], {"PUBSUB", "NUMSUB", "news"});
  ASSERT_EQ(numsub.elements.size(), 2u);
  EXPECT_EQ(numsub.elements[1].integer, 16);
  EXPECT_EQ(Call(*pubs[0], {"PUBSUB", "NUMPAT"}).integer, 1);
}

TEST_P(PubSubIntegrationTest, ExactBytesOnTheWire) {
  auto sub = Connect();
  sub->Send(Command({"SUBSCRIBE", "a", "b"}));
  const std::string confirm =
      "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nb\r\n:2\r\n";
  EXPECT_EQ(sub->ReadBytes(confirm.size()), confirm);
  auto pub = Connect();
  EXPECT_EQ(Call(*pub, {"PUBLISH", "b", "hi"}).integer, 1);
  const std::string msg = "*3\r\n$7\r\nmessage\r\n$1\r\nb\r\n$2\r\nhi\r\n";
  EXPECT_EQ(sub->ReadBytes(msg.size()), msg);
  sub->Send(Command({"UNSUBSCRIBE"}));
  EXPECT_EQ(sub->ReadBytes(2), "*3");
}

TEST_P(PubSubIntegrationTest, Resp3SubscribersGetPushes) {
  auto sub = Connect();
  ASSERT_EQ(Call(*sub, {"HELLO", "3"}).type, Reply::Type::kMap);
  sub->Send(Command({"SUBSCRIBE", "c"}));
  const std::string confirm = ">3\r\n$9\r\nsubscribe\r\n$1\r\nc\r\n:1\r\n";
  EXPECT_EQ(sub->ReadBytes(confirm.size()), confirm);
  auto pub = Connect();
  EXPECT_EQ(Call(*pub, {"PUBLISH", "c", "x"}).integer, 1);
  const std::string msg = ">3\r\n$7\r\nmessage\r\n$1\r\nc\r\n$1\r\nx\r\n";
  EXPECT_EQ(sub->ReadBytes(msg.size()), msg);
  // A RESP3 subscriber still runs ordinary commands.
  EXPECT_EQ(Call(*sub, {"SET", "k", "v"}).str, "OK");
}

TEST_P(PubSubIntegrationTest, ShardChannels) {
  auto ssub = Connect();
  auto sub = Connect();
  Call(*ssub, {"SSUBSCRIBE", "s"});
  Call(*sub, {"SUBSCRIBE", "s"});
  auto pub = Connect();
  EXPECT_EQ(Call(*pub, {"SPUBLISH", "s", "1"}).integer, 1);
  Reply m = Read(*ssub);
  ASSERT_EQ(m.elements.size(), 3u);
  EXPECT_EQ(m.elements[0].str, "smessage");
  EXPECT_EQ(Call(*pub, {"PUBLISH", "s", "2"}).integer, 1);
  m = Read(*sub);
  ASSERT_EQ(m.elements.size(), 3u);
  EXPECT_EQ(m.elements[2].str, "2");
}

// One publisher's messages arrive in order at subscribers on both workers.
TEST_P(PubSubIntegrationTest, MessagesFromOnePublisherStayInOrder) {
  auto subs = Subscribers(6, "seq");
  auto pub = Connect();
  constexpr int kMessages = 2000;
  std::string batch;
  for (int i = 0; i < kMessages; ++i)
    absl::StrAppend(&batch, Command({"PUBLISH", "seq", absl::StrCat(i)}));
  pub->Send(batch);
  for (int i = 0; i < kMessages; ++i) {
    Reply r = Read(*pub);
    ASSERT_EQ(r.integer, 6) << i;
  }
  for (auto& s : subs) {
    for (int i = 0; i < kMessages; ++i) {
      Reply m = Read(*s);
      ASSERT_EQ(m.elements.size(), 3u);
      ASSERT_EQ(m.elements[2].str, absl::StrCat(i));
    }
  }
}

// A subscriber that stops reading is disconnected by the pubsub class of
// client-output-buffer-limit; the server does not buffer everything published to it.
TEST_P(PubSubIntegrationTest, NonReadingSubscriberIsCutOffAndMemoryStaysBounded) {
  auto admin = Connect();
  EXPECT_EQ(Call(*admin, {"CONFIG", "SET", "client-output-buffer-limit", "pubsub 4mb 1mb 60"}).str,
            "OK");
  auto slow = Connect();
  Call(*slow, {"SUBSCRIBE", "firehose"});
  auto reader = Subscribers(1, "firehose");
  const int64_t rss_before = RssBytes(server_->pid());
  ASSERT_GT(rss_before, 0);

  // 128 MiB published in 64 KiB messages, 1 MiB at a time; the reader takes each batch, the
  // slow subscriber nothing.
  auto pub = Connect();
  const std::string payload(64 << 10, 'p');
  const std::string one = Command({"PUBLISH", "firehose", payload});
  constexpr int kBatches = 128;
  constexpr int kPerBatch = 16;
  int64_t max_rss = rss_before;
  int64_t last_count = -1;
  std::string batch;
  for (int i = 0; i < kPerBatch; ++i) batch += one;
  for (int b = 0; b < kBatches; ++b) {
    pub->Send(batch);
    for (int i = 0; i < kPerBatch; ++i) {
      auto r = pub->Read();
      ASSERT_TRUE(r.ok()) << r.status();
      last_count = r->integer;
    }
    for (int i = 0; i < kPerBatch; ++i) {
      auto m = reader[0]->Read();
      ASSERT_TRUE(m.ok()) << m.status();
      ASSERT_EQ(m->elements.size(), 3u);
    }
    max_rss = std::max(max_rss, RssBytes(server_->pid()));
  }
  EXPECT_EQ(last_count, 1);  // only the reader is left
  EXPECT_TRUE(slow->WaitClosed(10000));
  // Without the limit the slow subscriber alone would hold ~128 MiB. (Under AddressSanitizer
  // freed blocks wait in its quarantine, so RSS there says nothing about live memory.)
  EXPECT_LT(max_rss - rss_before, kRssSlack) << "before " << rss_before << " max " << max_rss;
  EXPECT_NE(server_->WaitForLog("closed for overcoming of output buffer limits")
                .find("closed for overcoming of output buffer limits"),
            std::string::npos);
  Reply numsub = Call(*admin, {"PUBSUB", "NUMSUB", "firehose"});
  ASSERT_EQ(numsub.elements.size(), 2u);
  EXPECT_EQ(numsub.elements[1].integer, 1);
}

// Subscribers that vanish while messages to them are in flight leave nothing behind.
TEST_P(PubSubIntegrationTest, SubscribersDisconnectingMidStream) {
  auto pub = Connect();
  auto keeper = Subscribers(2, "stream");
  for (int round = 0; round < 4; ++round) {
    auto leavers = Subscribers(8, "stream");
    std::string batch;
    for (int i = 0; i < 200; ++i) batch += Command({"PUBLISH", "stream", std::string(1000, 'm')});
    pub->Send(batch);
    leavers.clear();  // closed with messages queued for them on both workers
    for (int i = 0; i < 200; ++i) {
      auto r = pub->Read();
      ASSERT_TRUE(r.ok()) << r.status();
      EXPECT_GE(r->integer, 2);
    }
    for (auto& k : keeper) {
      for (int i = 0; i < 200; ++i) ASSERT_TRUE(k->Read().ok());
    }
  }
  // Closed subscribers are unsubscribed as soon as their worker sees the close.
  for (int attempt = 0; attempt < 100; ++attempt) {
    if (Call(*pub, {"PUBLISH", "stream", "last"}).integer == 2) break;
    for (auto& k : keeper) ASSERT_TRUE(k->Read().ok());
  }
  EXPECT_EQ(Call(*pub, {"PUBLISH", "stream", "end"}).integer, 2);
  EXPECT_EQ(Call(*pub, {"PING"}).str, "PONG");
}

TEST_P(PubSubIntegrationTest, ClientKillUnsubscribes) {
  auto sub = Connect();
  int64_t id = Call(*sub, {"CLIENT", "ID"}).integer;
  Call(*sub, {"SUBSCRIBE", "k"});
  auto admin = Connect();
  EXPECT_EQ(Call(*admin, {"CLIENT", "KILL", "ID", absl::StrCat(id)}).integer, 1);
  EXPECT_TRUE(sub->WaitClosed());
  int64_t receivers = 1;
  for (int attempt = 0; attempt < 100 && receivers != 0; ++attempt) {
    receivers = Call(*admin, {"PUBLISH", "k", "x"}).integer;
  }
  EXPECT_EQ(receivers, 0);
}

// A subscribed client is of type pubsub (flag P) until its last unsubscribe.
TEST_P(PubSubIntegrationTest, ClientListTypePubsub) {
  auto sub = Connect();
  const std::string id = absl::StrCat(Call(*sub, {"CLIENT", "ID"}).integer);
  auto admin = Connect();
  auto listed = [&](const std::string& type) {
    return Call(*admin, {"CLIENT", "LIST", "TYPE", type}).str.find("id=" + id + " ") !=
           std::string::npos;
  };
  EXPECT_TRUE(listed("normal"));
  EXPECT_FALSE(listed("pubsub"));
  Call(*sub, {"SUBSCRIBE", "a"});
  Call(*sub, {"PSUBSCRIBE", "b*"});
  EXPECT_TRUE(listed("pubsub"));
  EXPECT_FALSE(listed("normal"));
  EXPECT_FALSE(listed("replica"));
  std::string line = Call(*admin, {"CLIENT", "LIST", "ID", id}).str;
  EXPECT_NE(line.find(" flags=P "), std::string::npos) << line;
  EXPECT_NE(line.find(" sub=1 psub=1 ssub=0 "), std::string::npos) << line;
  Call(*sub, {"UNSUBSCRIBE", "a"});
  Call(*sub, {"PUNSUBSCRIBE", "b*"});
  EXPECT_TRUE(listed("normal"));
  EXPECT_EQ(Call(*admin, {"CLIENT", "LIST", "TYPE", "bogus"}).str,
            "ERR Unknown client type 'bogus'");
  Call(*sub, {"SUBSCRIBE", "a"});
  EXPECT_EQ(Call(*admin, {"CLIENT", "KILL", "TYPE", "pubsub", "SKIPME", "yes"}).integer, 1);
  EXPECT_TRUE(sub->WaitClosed());
}

TEST_P(PubSubIntegrationTest, KeyspaceNotifications) {
  auto admin = Connect();
  EXPECT_EQ(Call(*admin, {"CONFIG", "SET", "notify-keyspace-events", "KEA"}).str, "OK");
  Reply got = Call(*admin, {"CONFIG", "GET", "notify-keyspace-events"});
  ASSERT_EQ(got.elements.size(), 2u);
  EXPECT_EQ(got.elements[1].str, "AKE");
  auto listeners = Subscribers(4, "__key*__:*", /*pattern=*/true);
  auto c = Connect();
  Call(*c, {"SET", "k", "v"});
  Call(*c, {"EXPIRE", "k", "100"});
  Call(*c, {"DEL", "k"});
  Call(*c, {"SET", "gone", "v", "PXAT", "1"});
  const std::vector<std::string> want = {
      "__keyspace@0__:k set",       "__keyevent@0__:set k",        "__keyspace@0__:k expire",
      "__keyevent@0__:expire k",    "__keyspace@0__:k del",        "__keyevent@0__:del k",
      "__keyspace@0__:gone set",    "__keyevent@0__:set gone",     "__keyspace@0__:gone expire",
      "__keyevent@0__:expire gone", "__keyspace@0__:gone expired", "__keyevent@0__:expired gone",
  };
  for (auto& l : listeners) {
    for (const std::string& w : want) {
      Reply m = Read(*l);
      ASSERT_EQ(m.elements.size(), 4u);
      EXPECT_EQ(m.elements[2].str + " " + m.elements[3].str, w);
    }
  }
  EXPECT_EQ(Call(*admin, {"CONFIG", "SET", "notify-keyspace-events", ""}).str, "OK");
  Call(*c, {"SET", "quiet", "v"});
  EXPECT_EQ(Call(*admin, {"PUBLISH", "__keyspace@0__:marker", "m"}).integer, 4);
  Reply m = Read(*listeners[0]);
  ASSERT_EQ(m.elements.size(), 4u);
  EXPECT_EQ(m.elements[2].str, "__keyspace@0__:marker");  // nothing about "quiet" came first
  Reply bad = Call(*admin, {"CONFIG", "SET", "notify-keyspace-events", "KZ"});
  EXPECT_EQ(bad.str,
            "ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - "
            "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
}

// The stream commands' events (class t), in Redis 7.0's order; writes that change nothing
// (XDEL of a missing ID, XTRIM that removes nothing, XGROUP DESTROY of a missing group) publish
// nothing.
TEST_P(PubSubIntegrationTest, StreamKeyspaceEvents) {
  auto admin = Connect();
  EXPECT_EQ(Call(*admin, {"CONFIG", "SET", "notify-keyspace-events", "Et"}).str, "OK");
  auto l = Subscribers(1, "__keyevent@0__:*", /*pattern=*/true);
  auto c = Connect();
  Call(*c, {"XADD", "s", "1-1", "a", "1"});
  Call(*c, {"XADD", "s", "MAXLEN", "1", "2-1", "a", "2"});
  Call(*c, {"XDEL", "s", "9-9"});
  Call(*c, {"XDEL", "s", "2-1"});
  Call(*c, {"XTRIM", "s", "MAXLEN", "5"});
  Call(*c, {"XSETID", "s", "5-0"});
  Call(*c, {"XGROUP", "CREATE", "s", "g", "0"});
  Call(*c, {"XGROUP", "SETID", "s", "g", "0"});
  Call(*c, {"XGROUP", "CREATECONSUMER", "s", "g", "alice"});
  Call(*c, {"XREADGROUP", "GROUP", "g", "carol", "STREAMS", "s", ">"});  // nothing to read
  Call(*c, {"XADD", "s", "6-1", "a", "3"});
  Call(*c, {"XREADGROUP", "GROUP", "g", "bob", "STREAMS", "s", ">"});
  Call(*c, {"XGROUP", "DELCONSUMER", "s", "g", "alice"});
  Call(*c, {"XGROUP", "DESTROY", "s", "nope"});
  Call(*c, {"XGROUP", "DESTROY", "s", "g"});
  Call(*c, {"SET", "marker", "v"});  // class $ is off: nothing
  Call(*c, {"XADD", "end", "1-1", "a", "1"});
  // As redis-server 7.0.15 sends them for the same commands (an XREADGROUP that serves nothing
  // creates no consumer).
  const std::vector<std::string> want = {"xadd s",
                                         "xadd s",
                                         "xtrim s",
                                         "xdel s",
                                         "xsetid s",
                                         "xgroup-create s",
                                         "xgroup-setid s",
                                         "xgroup-createconsumer s",
                                         "xadd s",
                                         "xgroup-createconsumer s",
                                         "xgroup-delconsumer s",
                                         "xgroup-destroy s",
                                         "xadd end"};
  for (const std::string& w : want) {
    Reply m = Read(*l[0]);
    ASSERT_EQ(m.elements.size(), 4u) << m.DebugString();
    EXPECT_EQ(
        m.elements[2].str.substr(std::string("__keyevent@0__:").size()) + " " + m.elements[3].str,
        w);
  }
}

// Keys removed by the engine's expiry (lazily or by the active cycle) announce "expired".
// The engine calls server/pubsub.h's OnKeyExpired (Engine::SetExpiredHook); the key is never
// read again here, so the active expiry cycle is what removes it.
TEST_P(PubSubIntegrationTest, ExpiredByTheEngine) {
  auto admin = Connect();
  Call(*admin, {"CONFIG", "SET", "notify-keyspace-events", "Ex"});
  auto l = Subscribers(1, "__keyevent@0__:expired");
  Call(*admin, {"SET", "soon", "v", "PX", "50"});
  Reply m = Read(*l[0]);
  ASSERT_EQ(m.elements.size(), 3u);
  EXPECT_EQ(m.elements[2].str, "soon");
}

INSTANTIATE_TEST_SUITE_P(Backends, PubSubIntegrationTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
