// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CLIENT TRACKING through the dispatcher, in-process: which reads are remembered (default,
// OPTIN, OPTOUT with CLIENT CACHING), who is told about which write (NOLOOP, BCAST prefixes,
// REDIRECT, a redirect target gone), flushes, the table's key limit, the CLIENT subcommands'
// errors and replies, and the bytes of each message kind. Reply texts were checked against
// redis-server 7.0.15; delivery across worker threads and expiry are in
// tests/integration/tracking_test.cc, node-redis's client-side cache in tests/compat/node.
#include "server/tracking.h"

#include <map>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

struct Sent {
  int worker;
  uint64_t id;
  TrackingMessage message;
};

class TrackingTest : public CommandTest {
 protected:
  TrackingTest() : other_encoder_(&other_out_) {
    other_.id = 2;
    context_.tracking.set_deliver(
        [this](int worker, uint64_t id, TrackingMessage m) {
          sent_.push_back({worker, id, std::move(m)});
        },
        [this](uint64_t id, int* worker) {
          auto it = live_.find(id);
          if (it == live_.end()) return false;
          *worker = it->second;
          return true;
        });
    live_[1] = 0;
    live_[2] = 0;
  }

  // Runs a command as the second client.
  std::string Other(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context_, other_, other_encoder_, v);
    std::string bytes = other_out_.ToString();
    other_out_.Clear();
    return bytes;
  }

  // The keys of each message sent so far to `id` ("*" for a flush), then forgets them.
  std::vector<std::string> Take(uint64_t id) {
    std::vector<std::string> out;
    std::vector<Sent> rest;
    for (Sent& s : sent_) {
      if (s.id != id) {
        rest.push_back(std::move(s));
        continue;
      }
      if (s.message.all) out.push_back("*");
      if (s.message.broken_redirect != 0) out.push_back("broken");
      for (const std::string& k : s.message.keys) out.push_back(k);
    }
    sent_ = std::move(rest);
    return out;
  }

  using Keys = std::vector<std::string>;
  ClientState other_;
  protocol::OutputBuffer other_out_;
  protocol::ReplyEncoder other_encoder_;
  std::vector<Sent> sent_;
  std::map<uint64_t, int> live_;
};

TEST_F(TrackingTest, ReadKeysAreInvalidatedOnceByTheNextWrite) {
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  EXPECT_TRUE(context_.tracking.active());
  EXPECT_EQ(RunRaw({"MGET", "a", "b"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(context_.tracking.total_keys(), 2);
  EXPECT_EQ(Other({"SET", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"a"});
  EXPECT_EQ(Other({"SET", "a", "2"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{});  // forgotten until read again
  EXPECT_EQ(Other({"SET", "c", "2"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{});  // never read
  // Writes that fail change nothing and invalidate nothing.
  EXPECT_EQ(Other({"LPUSH", "a", "x"}).substr(0, 10), "-WRONGTYPE");
  EXPECT_EQ(Take(1), Keys{});
  // The client's own write is reported too, unless NOLOOP.
  EXPECT_EQ(RunRaw({"GET", "b"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "b", "mine"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"b"});
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "NOLOOP"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "b"}), "$4\r\nmine\r\n");
  EXPECT_EQ(RunRaw({"DEL", "b"}), ":1\r\n");
  EXPECT_EQ(Take(1), Keys{});
  EXPECT_EQ(RunRaw({"GET", "b"}), "$-1\r\n");
  EXPECT_EQ(Other({"SET", "b", "theirs"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"b"});
  // Off: reads are no longer remembered, older entries are skipped.
  EXPECT_EQ(RunRaw({"GET", "b"}), "$6\r\ntheirs\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "OFF"}), "+OK\r\n");
  EXPECT_FALSE(context_.tracking.active());
  EXPECT_EQ(RunRaw({"GET", "c"}), "$1\r\n2\r\n");
  EXPECT_EQ(Other({"MSET", "b", "1", "c", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{});
}

TEST_F(TrackingTest, OptinAndOptoutFollowClientCaching) {
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "YES"}),
            "-ERR CLIENT CACHING can be called only when the client is in tracking mode with "
            "OPTIN or OPTOUT mode enabled\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "OPTIN"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "NO"}),
            "-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "MAYBE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"GET", "k1"}), "$-1\r\n");  // not opted in
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "YES"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKINGINFO"}),
            "*6\r\n$5\r\nflags\r\n*3\r\n$2\r\non\r\n$5\r\noptin\r\n$11\r\ncaching-yes\r\n"
            "$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"GET", "k2"}), "$-1\r\n");  // opted in
  EXPECT_EQ(RunRaw({"GET", "k3"}), "$-1\r\n");  // CACHING lasted one command
  // Inside MULTI it lasts until EXEC.
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "YES"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k4"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"GET", "k5"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(Other({"MSET", "k1", "1", "k2", "1", "k3", "1", "k4", "1", "k5", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), (Keys{"k2", "k4", "k5"}));
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "OPTOUT"}),
            "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
            "and then re-enabling it with a different mode.\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "OFF"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "OPTOUT"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k1"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "CACHING", "NO"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k2"}), "$1\r\n1\r\n");  // opted out
  EXPECT_EQ(Other({"MSET", "k1", "2", "k2", "2"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"k1"});
}

TEST_F(TrackingTest, BroadcastByPrefix) {
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "PREFIX", "u:"}),
            "-ERR PREFIX option requires BCAST mode to be enabled\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST", "OPTIN"}),
            "-ERR OPTIN and OPTOUT are not compatible with BCAST\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "ab", "PREFIX", "abc"}),
            "-ERR Prefix 'ab' overlaps with another provided prefix 'abc'. Prefixes for a single "
            "client must not overlap.\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "u:", "NOLOOP"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "u"}),
            "-ERR Prefix 'u' overlaps with an existing prefix 'u:'. Prefixes for a single client "
            "must not overlap.\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "s:"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON"}),
            "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
            "and then re-enabling it with a different mode.\r\n");
  EXPECT_EQ(context_.tracking.total_prefixes(), 2);
  EXPECT_EQ(Other({"MSET", "u:1", "1", "s:1", "1", "x:1", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), (Keys{"u:1", "s:1"}));
  EXPECT_EQ(RunRaw({"SET", "s:2", "1"}), "+OK\r\n");  // its own: NOLOOP is no longer set
  EXPECT_EQ(Take(1), Keys{"s:2"});
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKINGINFO"}),
            "*6\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$5\r\nbcast\r\n$8\r\nredirect\r\n:0\r\n"
            "$8\r\nprefixes\r\n*2\r\n$2\r\ns:\r\n$2\r\nu:\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "OFF"}), "+OK\r\n");
  EXPECT_EQ(context_.tracking.total_prefixes(), 0);
  // BCAST without a prefix: every key.
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BCAST"}), "+OK\r\n");
  EXPECT_EQ(Other({"SET", "anything", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"anything"});
}

TEST_F(TrackingTest, FlushesInvalidateEverything) {
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  EXPECT_EQ(Other({"HELLO", "3"}).substr(0, 1), "%");
  EXPECT_EQ(Other({"CLIENT", "TRACKING", "ON", "BCAST"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(Other({"FLUSHDB"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"*"});
  EXPECT_EQ(Take(2), Keys{"*"});
  EXPECT_EQ(context_.tracking.total_keys(), 0);
  EXPECT_EQ(RunRaw({"SWAPDB", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"*"});
  EXPECT_EQ(Take(2), Keys{"*"});
}

TEST_F(TrackingTest, RedirectAndABrokenRedirect) {
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "REDIRECT", "77"}),
            "-ERR The client ID you want redirect to does not exist\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "GETREDIR"}), ":-1\r\n");
  // In-process clients are not in the client registry; the redirect check finds the live ids
  // through it, so give it one.
  auto info = std::make_shared<ClientInfo>();
  info->id = 2;
  context_.clients.Add(info);
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "REDIRECT", "2", "REDIRECT", "2"}),
            "-ERR A client can only redirect to a single other client\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "REDIRECT", "2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "GETREDIR"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
  EXPECT_EQ(Other({"SET", "a", "1"}), "+OK\r\n");
  ASSERT_EQ(sent_.size(), 1u);
  EXPECT_EQ(sent_[0].id, 2u);
  EXPECT_TRUE(sent_[0].message.via_redirect);
  EXPECT_EQ(Take(2), Keys{"a"});
  // The target goes: the tracking client is told, and TRACKINGINFO says so.
  live_.erase(2);
  EXPECT_EQ(RunRaw({"GET", "a"}), "$1\r\n1\r\n");
  EXPECT_EQ(Other({"SET", "a", "2"}), "+OK\r\n");
  EXPECT_EQ(Take(1), Keys{"broken"});
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKINGINFO"}),
            "*6\r\n$5\r\nflags\r\n*2\r\n$2\r\non\r\n$15\r\nbroken_redirect\r\n$8\r\nredirect\r\n"
            ":2\r\n$8\r\nprefixes\r\n*0\r\n");
}

TEST_F(TrackingTest, TheTableKeepsAtMostMaxKeys) {
  context_.tracking.set_max_keys(2);
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MGET", "a", "b", "c", "d", "e"}).substr(0, 2), "*5");
  EXPECT_EQ(context_.tracking.total_keys(), 2);
  EXPECT_EQ(Take(1).size(), 3u);  // evicted from the table: invalidated early
}

TEST_F(TrackingTest, InfoAndClientErrors) {
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "MAYBE"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "OPTIN", "OPTOUT"}),
            "-ERR You can't specify both OPTIN mode and OPTOUT mode\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON", "BOGUS"}), "-ERR syntax error\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKINGINFO"}),
            "*6\r\n$5\r\nflags\r\n*1\r\n$3\r\noff\r\n$8\r\nredirect\r\n:-1\r\n$8\r\nprefixes\r\n"
            "*0\r\n");
  EXPECT_EQ(RunRaw({"CLIENT", "TRACKING", "ON"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$-1\r\n");
  const std::string clients = Run({"INFO", "clients"}).str;
  EXPECT_NE(clients.find("tracking_clients:1\r\n"), std::string::npos) << clients;
  const std::string stats = Run({"INFO", "stats"}).str;
  EXPECT_NE(stats.find("tracking_total_keys:1\r\ntracking_total_items:1\r\n"
                       "tracking_total_prefixes:0\r\n"),
            std::string::npos)
      << stats;
  // RESET turns tracking off.
  EXPECT_EQ(RunRaw({"RESET"}), "+RESET\r\n");
  EXPECT_FALSE(context_.tracking.active());
}

TEST(TrackingMessageTest, BytesPerProtocol) {
  TrackingMessage keys;
  keys.keys = {"a", "bc"};
  EXPECT_EQ(EncodeTrackingMessage(keys, protocol::RespVersion::kResp3, false),
            ">2\r\n$10\r\ninvalidate\r\n*2\r\n$1\r\na\r\n$2\r\nbc\r\n");
  // RESP2 only through a redirect to a subscribed client, as a pub/sub message.
  EXPECT_EQ(EncodeTrackingMessage(keys, protocol::RespVersion::kResp2, true), "");
  keys.via_redirect = true;
  EXPECT_EQ(EncodeTrackingMessage(keys, protocol::RespVersion::kResp2, false), "");
  EXPECT_EQ(EncodeTrackingMessage(keys, protocol::RespVersion::kResp2, true),
            "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*2\r\n$1\r\na\r\n$2\r\nbc\r\n");
  TrackingMessage all;
  all.all = true;
  EXPECT_EQ(EncodeTrackingMessage(all, protocol::RespVersion::kResp3, false),
            ">2\r\n$10\r\ninvalidate\r\n_\r\n");
  all.via_redirect = true;
  EXPECT_EQ(EncodeTrackingMessage(all, protocol::RespVersion::kResp2, true),
            "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n$-1\r\n");
  TrackingMessage broken;
  broken.broken_redirect = 9;
  EXPECT_EQ(EncodeTrackingMessage(broken, protocol::RespVersion::kResp3, false),
            ">2\r\n$21\r\ntracking-redir-broken\r\n:9\r\n");
  EXPECT_EQ(EncodeTrackingMessage(broken, protocol::RespVersion::kResp2, false), "");
}

}  // namespace
}  // namespace ringkv::server
