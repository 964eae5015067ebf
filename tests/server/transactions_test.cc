// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// MULTI/EXEC/DISCARD/WATCH/UNWATCH and RESET through the dispatcher. Expected bytes were taken
// from Debian's redis-server 7.0.15. Two clients share one server context, so WATCH is tested
// against writes by another client as well as by the watcher itself.
#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

class TransactionsTest : public CommandTest {
 protected:
  TransactionsTest() : other_encoder_(&other_out_) { other_.id = 2; }

  // Runs a command as the second client.
  std::string Other(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context_, other_, other_encoder_, v);
    std::string bytes = other_out_.ToString();
    other_out_.Clear();
    return bytes;
  }

  ClientState other_;
  protocol::OutputBuffer other_out_;
  protocol::ReplyEncoder other_encoder_;
};

TEST_F(TransactionsTest, QueuesAndExecutesInOrder) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"INCR", "a"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "+QUEUED\r\n");
  // Nothing ran yet: another client sees no key.
  EXPECT_EQ(Other({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*3\r\n+OK\r\n:2\r\n$1\r\n2\r\n");
  EXPECT_EQ(Other({"GET", "a"}), "$1\r\n2\r\n");
  // Back to normal after EXEC.
  EXPECT_EQ(RunRaw({"GET", "a"}), "$1\r\n2\r\n");
}

TEST_F(TransactionsTest, EmptyTransactionAndErrorsAtRunTimeDoNotAbort) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SET", "s", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"INCR", "s"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SET", "t", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*2\r\n-ERR value is not an integer or out of range\r\n+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "t"}), "$1\r\n1\r\n");
}

TEST_F(TransactionsTest, QueueTimeErrorsAbortTheWholeTransaction) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "-ERR MULTI calls can not be nested\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "a"}), "-ERR WATCH inside MULTI is not allowed\r\n");
  EXPECT_EQ(RunRaw({"SET", "a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"foo"}), "-ERR unknown command 'foo', with args beginning with: \r\n");
  EXPECT_EQ(RunRaw({"SET", "a"}), "-ERR wrong number of arguments for 'set' command\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-ERR EXEC without MULTI\r\n");
  EXPECT_EQ(RunRaw({"DISCARD"}), "-ERR DISCARD without MULTI\r\n");
}

TEST_F(TransactionsTest, NoMultiCommandsAreRefusedAndAbort) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SHUTDOWN"}), "-ERR Command not allowed inside a transaction\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
}

TEST_F(TransactionsTest, DiscardDropsTheQueue) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"DISCARD"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-ERR EXEC without MULTI\r\n");
}

TEST_F(TransactionsTest, SelectInsideMultiAndDatabasesAreRespected) {
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SET", "b", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "99"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*3\r\n+OK\r\n+OK\r\n-ERR DB index is out of range\r\n");
  EXPECT_EQ(client_.db, 1);
  EXPECT_EQ(RunRaw({"GET", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "b"}), "$-1\r\n");
}

TEST_F(TransactionsTest, WatchAbortsWhenAnotherClientWrites) {
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(Other({"SET", "k", "theirs"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "mine"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$6\r\ntheirs\r\n");
  // EXEC unwatched everything: the next transaction runs.
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "mine"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*1\r\n+OK\r\n");
}

TEST_F(TransactionsTest, WatchAbortsOnTheWatchersOwnWriteAndInResp3IsNull) {
  EXPECT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%");
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "_\r\n");
}

TEST_F(TransactionsTest, UnwatchAndDiscardForgetWatchedKeys) {
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"UNWATCH"}), "+OK\r\n");
  EXPECT_EQ(Other({"SET", "k", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DISCARD"}), "+OK\r\n");
  EXPECT_EQ(Other({"SET", "k", "2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
  EXPECT_TRUE(context_.watches.empty());
}

TEST_F(TransactionsTest, WatchedKeyThatExpiresAbortsButOneAlreadyGoneDoesNot) {
  int64_t now = clock_.NowMs();
  EXPECT_EQ(RunRaw({"SET", "e", "v", "PX", "100"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "e", "missing"}), "+OK\r\n");
  clock_.Set(now + 101);
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*-1\r\n");
  // Watched while already expired (or missing): no change.
  EXPECT_EQ(RunRaw({"WATCH", "e"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
}

TEST_F(TransactionsTest, FlushTouchesOnlyWatchedKeysThatExist) {
  EXPECT_EQ(RunRaw({"WATCH", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(Other({"FLUSHDB"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SET", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "a"}), "+OK\r\n");
  EXPECT_EQ(Other({"FLUSHALL"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*-1\r\n");
}

TEST_F(TransactionsTest, WatchIsPerDatabaseAndMoveTouchesTheKey) {
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(Other({"SELECT", "1"}), "+OK\r\n");
  EXPECT_EQ(Other({"SET", "k", "other-db"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(Other({"MOVE", "k", "0"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*-1\r\n");
}

TEST_F(TransactionsTest, WatchedClientGoneLeavesNoRegistration) {
  {
    ClientState temp;
    temp.id = 3;
    protocol::OutputBuffer out;
    protocol::ReplyEncoder enc(&out);
    std::vector<std::string_view> watch = {"WATCH", "x", "y"};
    Dispatch(context_, temp, enc, watch);
    EXPECT_FALSE(context_.watches.empty());
  }
  EXPECT_TRUE(context_.watches.empty());
}

TEST_F(TransactionsTest, ResetEndsTransactionAndConnectionState) {
  EXPECT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%");
  EXPECT_EQ(RunRaw({"SELECT", "2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "SETNAME", "n"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"WATCH", "k"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"RESET"}), "+RESET\r\n");
  EXPECT_EQ(client_.db, 0);
  EXPECT_EQ(client_.resp, protocol::RespVersion::kResp2);
  EXPECT_EQ(client_.name, "");
  EXPECT_TRUE(context_.watches.empty());
  EXPECT_EQ(RunRaw({"EXEC"}), "-ERR EXEC without MULTI\r\n");
  // RESP2 again: a null is "$-1".
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
}

TEST_F(TransactionsTest, ExecRunsAtomicallyAcrossShards) {
  // Many keys over many shards, and a reader on another thread that must never see a part of
  // a transaction: every EXEC sets all keys to the same generation.
  constexpr int kKeys = 32;
  std::vector<std::string> keys;
  for (int i = 0; i < kKeys; ++i) keys.push_back("key:" + std::to_string(i));
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop.load()) {
      std::vector<std::string_view> views(keys.begin(), keys.end());
      std::vector<std::string> seen;
      context_.engine->MGet(0, views, [&](size_t, std::optional<std::string_view> v) {
        seen.emplace_back(v.value_or(""));
      });
      for (const std::string& s : seen) {
        if (s != seen[0]) ++torn;
      }
    }
  });
  for (int gen = 1; gen <= 200; ++gen) {
    std::string g = std::to_string(gen);
    ASSERT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
    for (const std::string& k : keys) ASSERT_EQ(RunRaw({"SET", k, g}), "+QUEUED\r\n");
    std::string reply = RunRaw({"EXEC"});
    ASSERT_EQ(reply.substr(0, 4), "*32\r");
  }
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace ringkv::server
