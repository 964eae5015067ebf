// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Blocking pops against the real server with two workers, on both I/O backends: wake-ups from
// writers on any worker (connections spread over the workers by SO_REUSEPORT), first-come
// first-served order, timeouts, clients that disconnect while blocked, BLMOVE chains, pipelined
// commands held behind a blocked one, MULTI, CLIENT UNBLOCK, and many blocked clients at once;
// XREAD / XREADGROUP BLOCK on streams.
#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

using protocol::Reply;

class BlockingTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    auto server = ServerProcess::Start({"--io-backend", GetParam(), "--threads", "2"});
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(server).value();
    if (GetParam() == "io_uring" &&
        server_->WaitForLog("I/O backend: ").find("using the epoll backend") != std::string::npos) {
      GTEST_SKIP() << "io_uring is not available on this kernel";
    }
    admin_ = Connect();
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

  Reply Read(RawConn& c, int timeout_ms = 5000) {
    auto r = c.Read(timeout_ms);
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : Reply{};
  }

  int64_t BlockedClients() {
    Reply info = Call(*admin_, {"INFO", "clients"});
    const std::string field = "blocked_clients:";
    size_t at = info.str.find(field);
    if (at == std::string::npos) return -1;
    return std::stoll(info.str.substr(at + field.size()));
  }

  // Waits (bounded) until INFO reports `n` blocked clients.
  void WaitBlocked(int64_t n) {
    for (int i = 0; i < 500 && BlockedClients() != n; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ASSERT_EQ(BlockedClients(), n);
  }

  // True if nothing arrives on `c` within `ms`.
  static bool Silent(RawConn& c, int ms) { return !c.Read(ms).ok(); }

  std::unique_ptr<ServerProcess> server_;
  std::unique_ptr<RawConn> admin_;
};

TEST_P(BlockingTest, BlpopWakesOnPushFromAnotherClient) {
  auto waiter = Connect();
  waiter->SendCommand({"BLPOP", "none", "queue", "0"});
  WaitBlocked(1);
  EXPECT_TRUE(Silent(*waiter, 100));
  EXPECT_EQ(Call(*admin_, {"RPUSH", "queue", "job1", "job2"}).integer, 2);
  Reply r = Read(*waiter);
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.elements[0].str, "queue");
  EXPECT_EQ(r.elements[1].str, "job1");
  EXPECT_EQ(Call(*admin_, {"LRANGE", "queue", "0", "-1"}).elements.size(), 1u);
  EXPECT_EQ(BlockedClients(), 0);
}

// Several waiters on one key, on both workers, are served in the order they blocked.
TEST_P(BlockingTest, WaitersAreServedInArrivalOrder) {
  std::vector<std::unique_ptr<RawConn>> waiters;
  for (int i = 0; i < 6; ++i) {
    waiters.push_back(Connect());
    waiters.back()->SendCommand({i % 2 == 0 ? "BLPOP" : "BRPOP", "q", "0"});
    WaitBlocked(i + 1);
  }
  EXPECT_EQ(Call(*admin_, {"RPUSH", "q", "a", "b", "c", "d", "e", "f"}).integer, 6);
  // BLPOP takes from the head, BRPOP from the tail, in arrival order: a, f, b, e, c, d.
  const char* expected[] = {"a", "f", "b", "e", "c", "d"};
  for (int i = 0; i < 6; ++i) {
    Reply r = Read(*waiters[i]);
    ASSERT_EQ(r.elements.size(), 2u) << i;
    EXPECT_EQ(r.elements[1].str, expected[i]) << i;
  }
  EXPECT_EQ(Call(*admin_, {"EXISTS", "q"}).integer, 0);
}

// One element for two waiters: the first gets it, the second keeps waiting for the next.
TEST_P(BlockingTest, OneElementServesOneWaiter) {
  auto first = Connect();
  auto second = Connect();
  first->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(1);
  second->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(2);
  Call(*admin_, {"LPUSH", "q", "only"});
  EXPECT_EQ(Read(*first).elements[1].str, "only");
  EXPECT_TRUE(Silent(*second, 200));
  WaitBlocked(1);
  Call(*admin_, {"LPUSH", "q", "next"});
  EXPECT_EQ(Read(*second).elements[1].str, "next");
}

TEST_P(BlockingTest, TimeoutAnswersNullArray) {
  auto waiter = Connect();
  const auto start = std::chrono::steady_clock::now();
  waiter->SendCommand({"BLPOP", "q", "0.2"});
  Reply r = Read(*waiter);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(r.type, Reply::Type::kNull);
  EXPECT_GE(waited, std::chrono::milliseconds(200));
  EXPECT_LT(waited, std::chrono::seconds(3));
  // BLMOVE times out with a null array too (as Redis 7.0 sends it), not a null bulk.
  waiter->SendCommand({"BLMOVE", "q", "d", "LEFT", "LEFT", "0.1"});
  EXPECT_EQ(waiter->ReadBytes(5), "*-1\r\n");
  waiter->SendCommand({"HELLO", "3"});
  Read(*waiter);
  waiter->SendCommand({"BZPOPMIN", "z", "0.1"});
  EXPECT_EQ(waiter->ReadBytes(3), "_\r\n");
  EXPECT_EQ(BlockedClients(), 0);
}

// A client that goes away while blocked gives nothing up: the element goes to the next waiter.
TEST_P(BlockingTest, DisconnectWhileBlocked) {
  auto gone = Connect();
  auto stays = Connect();
  gone->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(1);
  stays->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(2);
  gone.reset();
  WaitBlocked(1);
  Call(*admin_, {"RPUSH", "q", "x"});
  EXPECT_EQ(Read(*stays).elements[1].str, "x");
  EXPECT_EQ(Call(*admin_, {"EXISTS", "q"}).integer, 0);
}

// Commands pipelined behind a blocking one run after it is served, replies in order.
TEST_P(BlockingTest, PipelinedCommandsWaitBehindTheBlockedOne) {
  auto waiter = Connect();
  waiter->Send("*3\r\n$5\r\nBLPOP\r\n$1\r\nq\r\n$1\r\n0\r\n*2\r\n$4\r\nPING\r\n$2\r\nhi\r\n");
  WaitBlocked(1);
  EXPECT_TRUE(Silent(*waiter, 100));
  Call(*admin_, {"RPUSH", "q", "v"});
  EXPECT_EQ(waiter->ReadBytes(26), "*2\r\n$1\r\nq\r\n$1\r\nv\r\n$2\r\nhi\r\n");
}

// BLMOVE pushes to its destination, which serves the next waiter in the chain.
TEST_P(BlockingTest, BlmoveChainsIntoAnotherWaiter) {
  auto mover = Connect();
  auto popper = Connect();
  mover->SendCommand({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"});
  WaitBlocked(1);
  popper->SendCommand({"BRPOPLPUSH", "dst", "final", "0"});
  WaitBlocked(2);
  Call(*admin_, {"RPUSH", "src", "item"});
  EXPECT_EQ(Read(*mover).str, "item");
  EXPECT_EQ(Read(*popper).str, "item");
  Reply final_list = Call(*admin_, {"LRANGE", "final", "0", "-1"});
  ASSERT_EQ(final_list.elements.size(), 1u);
  EXPECT_EQ(final_list.elements[0].str, "item");
  EXPECT_EQ(Call(*admin_, {"EXISTS", "src", "dst"}).integer, 0);
}

// A key written only by serving a waiter (BLMOVE's destination, then BRPOPLPUSH's) still
// fails the EXEC of a client that WATCHes it.
TEST_P(BlockingTest, ServingAWaiterTouchesWatchedKeys) {
  auto mover = Connect();
  auto popper = Connect();
  auto watcher = Connect();
  mover->SendCommand({"BLMOVE", "src", "dst", "RIGHT", "LEFT", "0"});
  WaitBlocked(1);
  popper->SendCommand({"BRPOPLPUSH", "dst", "final", "0"});
  WaitBlocked(2);
  EXPECT_EQ(Call(*watcher, {"WATCH", "final"}).str, "OK");
  EXPECT_EQ(Call(*watcher, {"MULTI"}).str, "OK");
  Call(*watcher, {"SET", "other", "1"});
  Call(*admin_, {"RPUSH", "src", "item"});
  EXPECT_EQ(Read(*popper).str, "item");
  EXPECT_EQ(Call(*watcher, {"EXEC"}).type, Reply::Type::kNull);
}

TEST_P(BlockingTest, SortedSetAndMultiPopWaiters) {
  auto z = Connect();
  auto m = Connect();
  z->SendCommand({"BZPOPMAX", "scores", "0"});
  WaitBlocked(1);
  m->SendCommand({"BLMPOP", "0", "2", "a", "b", "RIGHT", "COUNT", "2"});
  WaitBlocked(2);
  Call(*admin_, {"ZADD", "scores", "1", "low", "5", "high"});
  Reply r = Read(*z);
  ASSERT_EQ(r.elements.size(), 3u);
  EXPECT_EQ(r.elements[0].str, "scores");
  EXPECT_EQ(r.elements[1].str, "high");
  EXPECT_EQ(r.elements[2].str, "5");
  Call(*admin_, {"RPUSH", "b", "1", "2", "3"});
  r = Read(*m);
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_EQ(r.elements[0].str, "b");
  ASSERT_EQ(r.elements[1].elements.size(), 2u);
  EXPECT_EQ(r.elements[1].elements[0].str, "3");
  EXPECT_EQ(r.elements[1].elements[1].str, "2");
}

// Inside MULTI a blocking command never blocks; a write in EXEC serves waiters after EXEC.
TEST_P(BlockingTest, MultiNeverBlocksAndExecWakesWaiters) {
  auto tx = Connect();
  Call(*tx, {"MULTI"});
  Call(*tx, {"BLPOP", "empty", "0"});
  Call(*tx, {"BLMOVE", "empty", "x", "LEFT", "LEFT", "0"});
  tx->SendCommand({"EXEC"});
  EXPECT_EQ(tx->ReadBytes(14), "*2\r\n*-1\r\n$-1\r\n");

  auto waiter = Connect();
  waiter->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(1);
  Call(*tx, {"MULTI"});
  Call(*tx, {"RPUSH", "q", "from-exec"});
  Call(*tx, {"SET", "other", "1"});
  Reply exec = Call(*tx, {"EXEC"});
  ASSERT_EQ(exec.elements.size(), 2u);
  EXPECT_EQ(Read(*waiter).elements[1].str, "from-exec");
}

TEST_P(BlockingTest, ClientUnblock) {
  auto waiter = Connect();
  const int64_t id = Call(*waiter, {"CLIENT", "ID"}).integer;
  waiter->SendCommand({"BLPOP", "q", "0"});
  WaitBlocked(1);
  std::string line = Call(*admin_, {"CLIENT", "LIST", "ID", absl::StrCat(id)}).str;
  EXPECT_NE(line.find(" flags=b "), std::string::npos) << line;
  EXPECT_EQ(Call(*admin_, {"CLIENT", "UNBLOCK", absl::StrCat(id)}).integer, 1);
  EXPECT_EQ(waiter->ReadBytes(5), "*-1\r\n");
  EXPECT_EQ(Call(*admin_, {"CLIENT", "UNBLOCK", absl::StrCat(id)}).integer, 0);
  waiter->SendCommand({"BRPOP", "q", "0"});
  WaitBlocked(1);
  EXPECT_EQ(Call(*admin_, {"CLIENT", "UNBLOCK", absl::StrCat(id), "ERROR"}).integer, 1);
  Reply r = Read(*waiter);
  EXPECT_EQ(r.type, Reply::Type::kError);
  EXPECT_EQ(r.str, "UNBLOCKED client unblocked via CLIENT UNBLOCK");
  EXPECT_EQ(Call(*waiter, {"PING"}).str, "PONG");
}

// A key of another type does not serve (or fail) a waiter; a list pushed later does.
TEST_P(BlockingTest, WrongTypeLeavesTheWaiterBlocked) {
  auto waiter = Connect();
  waiter->SendCommand({"BLPOP", "k", "0"});
  WaitBlocked(1);
  Call(*admin_, {"SET", "k", "string"});
  EXPECT_TRUE(Silent(*waiter, 200));
  Call(*admin_, {"DEL", "k"});
  Call(*admin_, {"RPUSH", "k", "v"});
  EXPECT_EQ(Read(*waiter).elements[1].str, "v");
}

// Many clients blocked on many keys, fed by several writers at once: every element reaches
// exactly one waiter and nothing is left over.
TEST_P(BlockingTest, ManyWaitersManyWriters) {
  constexpr int kWaiters = 40;
  constexpr int kKeys = 4;
  std::vector<std::unique_ptr<RawConn>> waiters;
  for (int i = 0; i < kWaiters; ++i) {
    waiters.push_back(Connect());
    waiters.back()->SendCommand({"BLPOP", absl::StrCat("k", i % kKeys), "10"});
  }
  WaitBlocked(kWaiters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kKeys; ++w) {
    writers.emplace_back([this, w] {
      auto c = RawConn::Connect(server_->port());
      ASSERT_TRUE(c.ok());
      for (int i = 0; i < kWaiters / kKeys; ++i) {
        auto r = (*c)->Call({"RPUSH", absl::StrCat("k", w), absl::StrCat("v", w, "-", i)});
        ASSERT_TRUE(r.ok());
      }
    });
  }
  for (std::thread& t : writers) t.join();
  std::vector<std::string> got;
  for (auto& c : waiters) {
    Reply r = Read(*c);
    ASSERT_EQ(r.elements.size(), 2u);
    got.push_back(r.elements[1].str);
  }
  std::sort(got.begin(), got.end());
  EXPECT_EQ(std::unique(got.begin(), got.end()), got.end());
  EXPECT_EQ(got.size(), static_cast<size_t>(kWaiters));
  EXPECT_EQ(Call(*admin_, {"DBSIZE"}).integer, 0);
  EXPECT_EQ(BlockedClients(), 0);
}

// XREAD BLOCK with "$": only entries added after it blocked, from a writer on either worker.
TEST_P(BlockingTest, XreadBlockWakesOnXadd) {
  Call(*admin_, {"XADD", "s", "1-1", "old", "x"});
  auto waiter = Connect();
  waiter->SendCommand({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"});
  WaitBlocked(1);
  EXPECT_TRUE(Silent(*waiter, 100));
  Call(*admin_, {"XADD", "s", "2-1", "new", "y"});
  Reply r = Read(*waiter);
  ASSERT_EQ(r.elements.size(), 1u) << r.DebugString();
  ASSERT_EQ(r.elements[0].elements.size(), 2u);
  EXPECT_EQ(r.elements[0].elements[0].str, "s");
  const Reply& entries = r.elements[0].elements[1];
  ASSERT_EQ(entries.elements.size(), 1u);
  EXPECT_EQ(entries.elements[0].elements[0].str, "2-1");
  EXPECT_EQ(entries.elements[0].elements[1].elements[0].str, "new");
  EXPECT_EQ(BlockedClients(), 0);
}

// A write that adds nothing past the waiter's ID (another key, XDEL) leaves it blocked; BLOCK
// in milliseconds times out with a null array.
TEST_P(BlockingTest, XreadBlockTimesOutWithNull) {
  auto waiter = Connect();
  Call(*admin_, {"XADD", "s", "5-0", "a", "1"});
  waiter->SendCommand({"XREAD", "BLOCK", "300", "STREAMS", "s", "5-0"});
  WaitBlocked(1);
  Call(*admin_, {"XDEL", "s", "5-0"});
  Reply r = Read(*waiter);
  EXPECT_EQ(r.type, Reply::Type::kNull) << r.DebugString();
  EXPECT_EQ(BlockedClients(), 0);
}

// Consumers of one group blocked on ">" are served one new entry each, in the order they
// blocked, and each entry is pending for the consumer that got it.
TEST_P(BlockingTest, XreadgroupWaitersShareNewEntriesInOrder) {
  Call(*admin_, {"XGROUP", "CREATE", "jobs", "workers", "$", "MKSTREAM"});
  auto w1 = Connect();
  auto w2 = Connect();
  w1->SendCommand({"XREADGROUP", "GROUP", "workers", "alice", "COUNT", "1", "BLOCK", "0", "STREAMS",
                   "jobs", ">"});
  WaitBlocked(1);
  w2->SendCommand({"XREADGROUP", "GROUP", "workers", "bob", "COUNT", "1", "BLOCK", "0", "STREAMS",
                   "jobs", ">"});
  WaitBlocked(2);
  Call(*admin_, {"XADD", "jobs", "10-1", "job", "1"});
  Reply r1 = Read(*w1);
  ASSERT_EQ(r1.elements.size(), 1u) << r1.DebugString();
  EXPECT_EQ(r1.elements[0].elements[1].elements[0].elements[0].str, "10-1");
  EXPECT_TRUE(Silent(*w2, 150));
  Call(*admin_, {"XADD", "jobs", "10-2", "job", "2"});
  Reply r2 = Read(*w2);
  ASSERT_EQ(r2.elements.size(), 1u) << r2.DebugString();
  EXPECT_EQ(r2.elements[0].elements[1].elements[0].elements[0].str, "10-2");
  Reply pending = Call(*admin_, {"XPENDING", "jobs", "workers", "-", "+", "10"});
  ASSERT_EQ(pending.elements.size(), 2u);
  EXPECT_EQ(pending.elements[0].elements[1].str, "alice");
  EXPECT_EQ(pending.elements[1].elements[1].str, "bob");
}

// Readers waiting after different IDs on one stream: an entry that is new only to the second
// (the first waits after a later ID) serves the second although the first stays blocked; an
// entry new to both serves both (a read takes nothing away).
TEST_P(BlockingTest, XreadWaitersAfterDifferentIdsAreServedIndependently) {
  Call(*admin_, {"XADD", "s", "10-0", "a", "1"});
  auto late = Connect();
  auto early = Connect();
  late->SendCommand({"XREAD", "BLOCK", "0", "STREAMS", "s", "50-0"});
  WaitBlocked(1);
  early->SendCommand({"XREAD", "BLOCK", "0", "STREAMS", "s", "10-0"});
  WaitBlocked(2);
  Call(*admin_, {"XADD", "s", "20-0", "b", "2"});
  Reply r = Read(*early);
  ASSERT_EQ(r.elements.size(), 1u) << r.DebugString();
  EXPECT_EQ(r.elements[0].elements[1].elements[0].elements[0].str, "20-0");
  EXPECT_TRUE(Silent(*late, 100));
  auto other = Connect();
  other->SendCommand({"XREAD", "BLOCK", "0", "STREAMS", "s", "$"});
  WaitBlocked(2);
  Call(*admin_, {"XADD", "s", "60-0", "c", "3"});
  EXPECT_EQ(Read(*late).elements[0].elements[1].elements[0].elements[0].str, "60-0");
  EXPECT_EQ(Read(*other).elements[0].elements[1].elements[0].elements[0].str, "60-0");
  EXPECT_EQ(BlockedClients(), 0);
}

// The group a consumer waits on is destroyed: it is answered with Redis's NOGROUP error.
TEST_P(BlockingTest, XreadgroupWaiterGetsNogroupWhenGroupGoes) {
  Call(*admin_, {"XGROUP", "CREATE", "s", "g", "$", "MKSTREAM"});
  auto waiter = Connect();
  waiter->SendCommand({"XREADGROUP", "GROUP", "g", "c", "BLOCK", "0", "STREAMS", "s", ">"});
  WaitBlocked(1);
  EXPECT_EQ(Call(*admin_, {"XGROUP", "DESTROY", "s", "g"}).integer, 1);
  Reply r = Read(*waiter);
  ASSERT_TRUE(r.is_error()) << r.DebugString();
  EXPECT_EQ(r.str, "NOGROUP the consumer group this client was blocked on no longer exists");
}

// Inside MULTI, XREAD BLOCK answers at once (a null array when there is nothing), as in Redis.
TEST_P(BlockingTest, XreadBlockInMultiDoesNotBlock) {
  auto c = Connect();
  Call(*c, {"MULTI"});
  Call(*c, {"XREAD", "BLOCK", "0", "STREAMS", "nothing", "$"});
  Reply r = Call(*c, {"EXEC"});
  ASSERT_EQ(r.elements.size(), 1u);
  EXPECT_EQ(r.elements[0].type, Reply::Type::kNull);
}

INSTANTIATE_TEST_SUITE_P(Backends, BlockingTest, ::testing::Values("io_uring", "epoll"),
                         [](const auto& param_info) { return param_info.param; });

}  // namespace
}  // namespace ringkv::testing
