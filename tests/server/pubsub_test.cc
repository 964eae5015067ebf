// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Pub/sub in-process: the commands through the dispatcher with the exact bytes Debian's
// redis-server 7.0.15 sends, the registry's delivery across homes (workers) simulated with homes
// whose inbox runs when the test says so, keyspace notifications, and the notify-keyspace-events
// directive.
#include "server/pubsub.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "server/config/directive.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using protocol::Reply;

// Writes messages into the client's own output buffer, as a Connection does.
class TestSink : public PubSubSink {
 public:
  TestSink(ClientState* client, protocol::OutputBuffer* out) : client_(client), out_(out) {}
  void WritePubSubMessage(std::string_view body) override {
    out_->Append(client_->resp == protocol::RespVersion::kResp3 ? '>' : '*');
    out_->Append(body);
    ++writes;
  }
  int writes = 0;

 private:
  ClientState* client_;
  protocol::OutputBuffer* out_;
};

// Another worker: what is posted to it waits in its inbox until the test runs it.
class QueuedHome : public PubSubHome {
 public:
  void Post(std::function<void()> fn) override { inbox.push_back(std::move(fn)); }
  std::vector<std::function<void()>> inbox;
};

// A second client with its own output.
struct Peer {
  Peer() : enc(&out), sink(&state, &out) { state.pubsub_sink = &sink; }
  std::string Take() {
    std::string s = out.ToString();
    out.Clear();
    return s;
  }
  ClientState state;
  protocol::OutputBuffer out;
  protocol::ReplyEncoder enc;
  TestSink sink;
};

std::string Confirm(std::string_view word, std::string_view name, int count, char type = '*') {
  return std::string(1, type) + "3\r\n$" + std::to_string(word.size()) + "\r\n" +
         std::string(word) + "\r\n$" + std::to_string(name.size()) + "\r\n" + std::string(name) +
         "\r\n:" + std::to_string(count) + "\r\n";
}

std::string Message(std::string_view channel, std::string_view msg, char type = '*',
                    std::string_view word = "message") {
  return std::string(1, type) + "3\r\n$" + std::to_string(word.size()) + "\r\n" +
         std::string(word) + "\r\n$" + std::to_string(channel.size()) + "\r\n" +
         std::string(channel) + "\r\n$" + std::to_string(msg.size()) + "\r\n" + std::string(msg) +
         "\r\n";
}

std::string PMessage(std::string_view pattern, std::string_view channel, std::string_view msg,
                     char type = '*') {
  return std::string(1, type) + "4\r\n$8\r\npmessage\r\n$" + std::to_string(pattern.size()) +
         "\r\n" + std::string(pattern) + "\r\n$" + std::to_string(channel.size()) + "\r\n" +
         std::string(channel) + "\r\n$" + std::to_string(msg.size()) + "\r\n" + std::string(msg) +
         "\r\n";
}

// Splits a stream of replies into decoded replies.
std::vector<Reply> Decode(const std::string& bytes) {
  std::vector<Reply> out;
  protocol::ReplyParser parser;
  size_t pos = 0;
  while (pos < bytes.size()) {
    Reply r;
    size_t used = 0;
    if (parser.Parse(std::string_view(bytes).substr(pos), &used, &r) !=
        protocol::ParseStatus::kOk) {
      ADD_FAILURE() << "bad reply stream: " << bytes;
      break;
    }
    out.push_back(std::move(r));
    pos += used;
  }
  return out;
}

class PubSubTest : public CommandTest {
 protected:
  PubSubTest() : sink_(&client_, &out_) {
    registry().Attach(&home_, 0);
    client_.pubsub_sink = &sink_;
  }
  ~PubSubTest() override {
    for (auto& p : peers_) registry().RemoveClient(p->state);
    registry().RemoveClient(client_);
    registry().Detach();
  }

  PubSubRegistry& registry() { return context_.pubsub; }

  Peer& NewPeer() {
    peers_.push_back(std::make_unique<Peer>());
    return *peers_.back();
  }

  std::string On(Peer& p, std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context_, p.state, p.enc, v);
    return p.Take();
  }

  // Runs `fn` as home `h` (index `index`) would, on its own thread; then back to home 0.
  void AsHome(QueuedHome& h, int index, const std::function<void()>& fn) {
    registry().Attach(&h, index);
    fn();
    registry().Attach(&home_, 0);
  }
  void RunInbox(QueuedHome& h, int index) {
    AsHome(h, index, [&] {
      std::vector<std::function<void()>> work;
      work.swap(h.inbox);
      for (auto& fn : work) fn();
    });
  }

  QueuedHome home_;
  QueuedHome other_;  // home 1: "another worker"
  TestSink sink_;
  std::vector<std::unique_ptr<Peer>> peers_;
};

// ---- (un)subscribe confirmations. -------------------------------------------------------------

TEST_F(PubSubTest, SubscribeConfirmsEachChannelWithTheRunningCount) {
  EXPECT_EQ(
      RunRaw({"SUBSCRIBE", "a", "b", "a"}),
      Confirm("subscribe", "a", 1) + Confirm("subscribe", "b", 2) + Confirm("subscribe", "a", 2));
  EXPECT_EQ(client_.subscriptions, 2u);
  EXPECT_EQ(RunRaw({"PSUBSCRIBE", "h*", "h*"}),
            Confirm("psubscribe", "h*", 3) + Confirm("psubscribe", "h*", 3));
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE", "zz"}), Confirm("unsubscribe", "zz", 3));
  EXPECT_EQ(client_.subscriptions, 3u);
}

TEST_F(PubSubTest, UnsubscribeWithoutArgumentsWhenSubscribedToNothing) {
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE"}), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"PUNSUBSCRIBE"}), "*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"SUNSUBSCRIBE"}), "*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n");
  // A pattern still counts in UNSUBSCRIBE's number, though no channel is left.
  RunRaw({"PSUBSCRIBE", "p*"});
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE"}), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:1\r\n");
  RunRaw({"SSUBSCRIBE", "q"});
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE"}), "*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:1\r\n");
  EXPECT_EQ(RunRaw({"PUNSUBSCRIBE"}), Confirm("punsubscribe", "p*", 0));
  EXPECT_EQ(RunRaw({"SUNSUBSCRIBE"}), Confirm("sunsubscribe", "q", 0));
  EXPECT_EQ(client_.subscriptions, 0u);
  EXPECT_EQ(client_.pubsub, nullptr);
}

TEST_F(PubSubTest, UnsubscribeWithoutArgumentsDropsEveryChannel) {
  RunRaw({"SUBSCRIBE", "a", "b", "c"});
  std::vector<Reply> replies = Decode(RunRaw({"UNSUBSCRIBE"}));
  ASSERT_EQ(replies.size(), 3u);
  std::vector<std::string> names;
  for (size_t i = 0; i < replies.size(); ++i) {
    ASSERT_EQ(replies[i].elements.size(), 3u);
    EXPECT_EQ(replies[i].elements[0].str, "unsubscribe");
    names.push_back(replies[i].elements[1].str);
    EXPECT_EQ(replies[i].elements[2].integer, static_cast<int64_t>(2 - i));
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");  // out of subscribed mode
}

// Channels and patterns count together; shard channels count on their own (Redis 7.0).
TEST_F(PubSubTest, CountsOfChannelsPatternsAndShardChannels) {
  EXPECT_EQ(RunRaw({"SUBSCRIBE", "a"}), Confirm("subscribe", "a", 1));
  EXPECT_EQ(RunRaw({"SSUBSCRIBE", "s"}), Confirm("ssubscribe", "s", 1));
  EXPECT_EQ(RunRaw({"PSUBSCRIBE", "p*"}), Confirm("psubscribe", "p*", 2));
  EXPECT_EQ(RunRaw({"SSUBSCRIBE", "s2"}), Confirm("ssubscribe", "s2", 2));
  EXPECT_EQ(RunRaw({"SUBSCRIBE", "b"}), Confirm("subscribe", "b", 3));
  EXPECT_EQ(client_.subscriptions, 5u);
  EXPECT_EQ(RunRaw({"PUNSUBSCRIBE"}), Confirm("punsubscribe", "p*", 2));
  EXPECT_EQ(RunRaw({"SUNSUBSCRIBE", "s"}), Confirm("sunsubscribe", "s", 1));
  EXPECT_EQ(client_.subscriptions, 3u);
}

TEST_F(PubSubTest, Resp3ConfirmationsArePushes) {
  RunRaw({"HELLO", "3"});
  EXPECT_EQ(RunRaw({"SUBSCRIBE", "a", "b"}),
            Confirm("subscribe", "a", 1, '>') + Confirm("subscribe", "b", 2, '>'));
  // RESP3 clients may run anything while subscribed.
  EXPECT_EQ(RunRaw({"GET", "k"}), "_\r\n");
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE", "a", "zz"}),
            Confirm("unsubscribe", "a", 1, '>') + Confirm("unsubscribe", "zz", 1, '>'));
  EXPECT_EQ(RunRaw({"UNSUBSCRIBE"}), Confirm("unsubscribe", "b", 0, '>'));
  EXPECT_EQ(RunRaw({"PUNSUBSCRIBE"}), ">3\r\n$12\r\npunsubscribe\r\n_\r\n:0\r\n");
}

TEST_F(PubSubTest, Resp2SubscribedModeRefusesOtherCommands) {
  RunRaw({"SUBSCRIBE", "a"});
  EXPECT_EQ(RunRaw({"GET", "k"}),
            "-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n");
  EXPECT_EQ(RunRaw({"PUBLISH", "a", "x"}),
            "-ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT "
            "/ RESET are allowed in this context\r\n");
  // A container's subcommand is named in full, as Redis names it (its fullname).
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMPAT"}),
            "-ERR Can't execute 'pubsub|numpat': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
            "QUIT / RESET are allowed in this context\r\n");
  EXPECT_EQ(RunRaw({"CONFIG", "NOSUCH"}),
            "-ERR Can't execute 'config': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / "
            "RESET are allowed in this context\r\n");
  RunRaw({"UNSUBSCRIBE", "a"});
  EXPECT_EQ(RunRaw({"PUBLISH", "a", "x"}), ":0\r\n");
}

// The empty channel name: "*" does not match it (Redis's stringmatchlen), so neither a pattern
// subscription nor PUBSUB CHANNELS * sees it.
TEST_F(PubSubTest, PatternsNeverMatchTheEmptyChannel) {
  struct Sub {
    explicit Sub(uint64_t id) : encoder(&out) { client.id = id; }
    ClientState client;
    protocol::OutputBuffer out;
    protocol::ReplyEncoder encoder;
  };
  Sub pattern(8);
  Sub empty(9);
  std::vector<std::string_view> args = {"PSUBSCRIBE", "*"};
  Dispatch(context_, pattern.client, pattern.encoder, args);
  args = {"SUBSCRIBE", ""};
  Dispatch(context_, empty.client, empty.encoder, args);
  EXPECT_EQ(RunRaw({"PUBLISH", "", "m"}), ":1\r\n");   // the exact subscriber only
  EXPECT_EQ(RunRaw({"PUBLISH", "c", "m"}), ":1\r\n");  // the pattern
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS", "*"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS"}), "*1\r\n$0\r\n\r\n");
}

TEST_F(PubSubTest, WrongArity) {
  for (auto name : {"subscribe", "psubscribe", "ssubscribe"}) {
    EXPECT_EQ(RunRaw({name}),
              "-ERR wrong number of arguments for '" + std::string(name) + "' command\r\n");
  }
  EXPECT_EQ(RunRaw({"PUBLISH", "a"}), "-ERR wrong number of arguments for 'publish' command\r\n");
  EXPECT_EQ(RunRaw({"SPUBLISH", "a"}), "-ERR wrong number of arguments for 'spublish' command\r\n");
  EXPECT_EQ(RunRaw({"PUBLISH", "a", "b", "c"}),
            "-ERR wrong number of arguments for 'publish' command\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB"}), "-ERR wrong number of arguments for 'pubsub' command\r\n");
}

// ---- Delivery. ---------------------------------------------------------------------------------

TEST_F(PubSubTest, PublishReachesLocalSubscribersAndCountsThem) {
  Peer& a = NewPeer();
  Peer& b = NewPeer();
  On(a, {"SUBSCRIBE", "news"});
  On(b, {"SUBSCRIBE", "news", "other"});
  EXPECT_EQ(RunRaw({"PUBLISH", "news", "hello"}), ":2\r\n");
  EXPECT_EQ(a.Take(), Message("news", "hello"));
  EXPECT_EQ(b.Take(), Message("news", "hello"));
  EXPECT_EQ(RunRaw({"PUBLISH", "nobody", "x"}), ":0\r\n");
  EXPECT_EQ(a.Take(), "");
}

TEST_F(PubSubTest, PatternsMatchWithGlobRules) {
  Peer& p = NewPeer();
  On(p, {"PSUBSCRIBE", "h?llo", "h[ae]llo", "h*", "x\\*", "[^h]*"});
  EXPECT_EQ(RunRaw({"PUBLISH", "hello", "m"}), ":3\r\n");
  std::string got = p.Take();
  for (auto pat : {"h?llo", "h[ae]llo", "h*"}) {
    EXPECT_NE(got.find(PMessage(pat, "hello", "m")), std::string::npos) << pat;
  }
  EXPECT_EQ(got.size(), PMessage("h?llo", "hello", "m").size() +
                            PMessage("h[ae]llo", "hello", "m").size() +
                            PMessage("h*", "hello", "m").size());
  EXPECT_EQ(RunRaw({"PUBLISH", "x*", "m"}), ":2\r\n");  // x\* (literal) and [^h]*
  EXPECT_EQ(RunRaw({"PUBLISH", "xy", "m"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMPAT"}), ":5\r\n");
}

TEST_F(PubSubTest, ChannelAndMatchingPatternEachDeliverAndCount) {
  Peer& p = NewPeer();
  On(p, {"SUBSCRIBE", "a"});
  On(p, {"PSUBSCRIBE", "*"});
  EXPECT_EQ(RunRaw({"PUBLISH", "a", "m"}), ":2\r\n");
  EXPECT_EQ(p.Take(), Message("a", "m") + PMessage("*", "a", "m"));
}

TEST_F(PubSubTest, ShardChannelsAreTheirOwnNamespace) {
  Peer& s = NewPeer();
  Peer& c = NewPeer();
  On(s, {"SSUBSCRIBE", "s"});
  On(c, {"SUBSCRIBE", "s"});
  On(c, {"PSUBSCRIBE", "*"});
  EXPECT_EQ(RunRaw({"SPUBLISH", "s", "y"}), ":1\r\n");
  EXPECT_EQ(s.Take(), Message("s", "y", '*', "smessage"));
  EXPECT_EQ(c.Take(), "");
  EXPECT_EQ(RunRaw({"PUBLISH", "s", "z"}), ":2\r\n");
  EXPECT_EQ(s.Take(), "");
}

TEST_F(PubSubTest, Resp3MessagesArePushesAndComeBeforeThePublishReply) {
  RunRaw({"HELLO", "3"});
  RunRaw({"SUBSCRIBE", "a"});
  RunRaw({"PSUBSCRIBE", "x*"});
  EXPECT_EQ(RunRaw({"PUBLISH", "a", "self"}), Message("a", "self", '>') + ":1\r\n");
  EXPECT_EQ(RunRaw({"PUBLISH", "xa", "self"}), PMessage("x*", "xa", "self", '>') + ":1\r\n");
  // HELLO 2 while subscribed: messages follow the protocol of the moment.
  RunRaw({"HELLO", "2"});
  Peer& pub = NewPeer();
  EXPECT_EQ(On(pub, {"PUBLISH", "a", "m"}), ":1\r\n");
  EXPECT_EQ(out_.ToString(), Message("a", "m"));
  out_.Clear();
}

TEST_F(PubSubTest, EmptyBinaryAndHugeMessages) {
  Peer& p = NewPeer();
  const std::string bin("c\r\n\0x", 5);
  On(p, {"SUBSCRIBE", "", bin});
  EXPECT_EQ(RunRaw({"PUBLISH", "", ""}), ":1\r\n");
  EXPECT_EQ(p.Take(), "*3\r\n$7\r\nmessage\r\n$0\r\n\r\n$0\r\n\r\n");
  const std::string huge(1 << 20, 'h');
  EXPECT_EQ(RunRaw({"PUBLISH", bin, huge}), ":1\r\n");
  EXPECT_EQ(p.Take(), Message(bin, huge));
}

// A PUBLISH posts one task per other home, however many subscribers live there, and counts them
// all at once; the home delivers when it runs the task.
TEST_F(PubSubTest, OtherHomesGetOneTaskPerPublish) {
  Peer& local = NewPeer();
  Peer& r1 = NewPeer();
  Peer& r2 = NewPeer();
  Peer& r3 = NewPeer();
  On(local, {"SUBSCRIBE", "c"});
  AsHome(other_, 1, [&] {
    On(r1, {"SUBSCRIBE", "c"});
    On(r2, {"SUBSCRIBE", "c"});
    On(r3, {"PSUBSCRIBE", "c*"});
  });
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB", "c"}), "*2\r\n$1\r\nc\r\n:3\r\n");
  EXPECT_EQ(RunRaw({"PUBLISH", "c", "m"}), ":4\r\n");
  EXPECT_EQ(local.Take(), Message("c", "m"));  // the publisher's home: written at once
  EXPECT_EQ(other_.inbox.size(), 1u);
  EXPECT_EQ(r1.Take(), "");
  RunInbox(other_, 1);
  EXPECT_EQ(r1.Take(), Message("c", "m"));
  EXPECT_EQ(r2.Take(), Message("c", "m"));
  EXPECT_EQ(r3.Take(), PMessage("c*", "c", "m"));
  EXPECT_EQ(home_.inbox.size(), 0u);
  // Publishing from the other home reaches this one through its inbox.
  AsHome(other_, 1, [&] { EXPECT_EQ(On(r1, {"UNSUBSCRIBE"}).substr(0, 2), "*3"); });
  Peer& pub = NewPeer();
  AsHome(other_, 1, [&] { EXPECT_EQ(On(pub, {"PUBLISH", "c", "n"}), ":3\r\n"); });
  EXPECT_EQ(home_.inbox.size(), 1u);
  EXPECT_EQ(r2.Take(), Message("c", "n"));
  EXPECT_EQ(local.Take(), "");
  for (auto& fn : home_.inbox) fn();
  home_.inbox.clear();
  EXPECT_EQ(local.Take(), Message("c", "n"));
}

// A subscriber that leaves after a PUBLISH counted it is simply not found when the task runs.
TEST_F(PubSubTest, SubscriberGoneBeforeTheTaskRunsIsSkipped) {
  Peer& closing = NewPeer();
  Peer& leaving = NewPeer();
  Peer& staying = NewPeer();
  AsHome(other_, 1, [&] {
    On(closing, {"SUBSCRIBE", "c"});
    On(leaving, {"SUBSCRIBE", "c"});
    On(staying, {"SUBSCRIBE", "c"});
  });
  EXPECT_EQ(RunRaw({"PUBLISH", "c", "m"}), ":3\r\n");
  AsHome(other_, 1, [&] {
    registry().RemoveClient(closing.state);  // the connection closed
    On(leaving, {"UNSUBSCRIBE", "c"});
  });
  RunInbox(other_, 1);
  EXPECT_EQ(closing.sink.writes, 0);
  EXPECT_EQ(leaving.Take(), "");
  EXPECT_EQ(staying.Take(), Message("c", "m"));
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB", "c"}), "*2\r\n$1\r\nc\r\n:1\r\n");
}

TEST_F(PubSubTest, RemoveClientDropsEverySubscription) {
  RunRaw({"SUBSCRIBE", "a", "b"});
  RunRaw({"PSUBSCRIBE", "p*"});
  RunRaw({"SSUBSCRIBE", "s"});
  EXPECT_EQ(client_.subscriptions, 4u);
  registry().RemoveClient(client_);
  EXPECT_EQ(client_.subscriptions, 0u);
  EXPECT_EQ(client_.pubsub, nullptr);
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB", "a", "b"}), "*4\r\n$1\r\na\r\n:0\r\n$1\r\nb\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMPAT"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "SHARDCHANNELS"}), "*0\r\n");
  EXPECT_EQ(registry().ActiveCount(SubKind::kChannel), 0u);
}

// Random subscribe/unsubscribe/close over two homes against a model of who listens to what.
TEST_F(PubSubTest, RandomOperationsMatchAModel) {
  std::mt19937 rng(7);
  constexpr int kPeers = 12;
  const std::string names[] = {"a", "b", "c", "d"};
  std::vector<Peer*> peers;
  for (int i = 0; i < kPeers; ++i) peers.push_back(&NewPeer());
  std::vector<std::vector<bool>> model(kPeers, std::vector<bool>(4, false));
  auto home_of = [](int i) { return i % 2; };
  for (int step = 0; step < 2000; ++step) {
    const int i = static_cast<int>(rng() % kPeers);
    const int n = static_cast<int>(rng() % 4);
    const int op = static_cast<int>(rng() % 10);
    auto act = [&] {
      if (op < 5) {
        On(*peers[i], {"SUBSCRIBE", names[n]});
        model[i][n] = true;
      } else if (op < 9) {
        On(*peers[i], {"UNSUBSCRIBE", names[n]});
        model[i][n] = false;
      } else {
        registry().RemoveClient(peers[i]->state);
        model[i].assign(4, false);
      }
    };
    if (home_of(i) == 1) {
      AsHome(other_, 1, act);
    } else {
      act();
    }
    if (step % 50 == 0) {
      for (int c = 0; c < 4; ++c) {
        int64_t want = 0;
        for (int p = 0; p < kPeers; ++p) want += model[p][c] ? 1 : 0;
        EXPECT_EQ(registry().CountSubscribers(SubKind::kChannel, names[c]), want);
        for (Peer* p : peers) p->Take();
        EXPECT_EQ(registry().Publish(SubKind::kChannel, names[c], "m"), want);
        RunInbox(other_, 1);
        for (int p = 0; p < kPeers; ++p) {
          EXPECT_EQ(peers[p]->Take(), model[p][c] ? Message(names[c], "m") : "")
              << "peer " << p << " channel " << names[c] << " step " << step;
        }
      }
    }
  }
}

// ---- PUBSUB. -----------------------------------------------------------------------------------

TEST_F(PubSubTest, PubSubIntrospection) {
  Peer& p = NewPeer();
  Peer& q = NewPeer();
  On(p, {"SUBSCRIBE", "alpha"});
  On(q, {"SUBSCRIBE", "alpha"});
  On(p, {"PSUBSCRIBE", "p*"});
  On(q, {"PSUBSCRIBE", "p*", "q*"});
  On(p, {"SSUBSCRIBE", "s2"});
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS"}), "*1\r\n$5\r\nalpha\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "channels", "a*"}), "*1\r\n$5\r\nalpha\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS", "b*"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS", ""}), "*0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB", "alpha", "zz", "alpha"}),
            "*6\r\n$5\r\nalpha\r\n:2\r\n$2\r\nzz\r\n:0\r\n$5\r\nalpha\r\n:2\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMPAT"}), ":2\r\n");  // distinct patterns
  EXPECT_EQ(RunRaw({"PUBSUB", "SHARDCHANNELS"}), "*1\r\n$2\r\ns2\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "SHARDCHANNELS", "s?"}), "*1\r\n$2\r\ns2\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "SHARDNUMSUB", "s2", "x"}),
            "*4\r\n$2\r\ns2\r\n:1\r\n$1\r\nx\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "SHARDNUMSUB"}), "*0\r\n");
  RunRaw({"HELLO", "3"});
  EXPECT_EQ(RunRaw({"PUBSUB", "NUMSUB", "alpha"}), "*2\r\n$5\r\nalpha\r\n:2\r\n");
}

TEST_F(PubSubTest, PubSubHelpAndErrors) {
  EXPECT_EQ(
      RunRaw({"PUBSUB", "HeLp"}),
      "*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS "
      "[<pattern>]\r\n+    Return the currently active channels matching a <pattern> (default: "
      "'*').\r\n+NUMPAT\r\n+    Return number of subscriptions to patterns.\r\n+NUMSUB "
      "[<channel> ...]\r\n+    Return the number of subscribers for the specified channels, "
      "excluding\r\n+    pattern subscriptions(default: no channels).\r\n+SHARDCHANNELS "
      "[<pattern>]\r\n+    Return the currently active shard level channels matching a "
      "<pattern> (default: '*').\r\n+SHARDNUMSUB [<shardchannel> ...]\r\n+    Return the number "
      "of subscribers for the specified shard level channel(s)\r\n+HELP\r\n+    Prints this "
      "help.\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "FOO"}), "-ERR unknown subcommand 'FOO'. Try PUBSUB HELP.\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", std::string(200, 'x')}),
            "-ERR unknown subcommand '" + std::string(128, 'x') + "'. Try PUBSUB HELP.\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "CHANNELS", "a", "b"}),
            "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB "
            "HELP.\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "ShardChannels", "a", "b"}),
            "-ERR unknown subcommand or wrong number of arguments for 'ShardChannels'. Try "
            "PUBSUB HELP.\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "help", "x"}),
            "-ERR wrong number of arguments for 'pubsub|help' command\r\n");
  EXPECT_EQ(RunRaw({"PUBSUB", "NumPat", "x"}),
            "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n");
}

TEST_F(PubSubTest, CommandInfoAsRedis) {
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "publish"}),
            "*1\r\n*10\r\n$7\r\npublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:"
            "0\r\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@fast\r\n*0\r\n*0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "subscribe"}),
            "*1\r\n*10\r\n$9\r\nsubscribe\r\n:-2\r\n*4\r\n+pubsub\r\n+noscript\r\n+loading\r\n+"
            "stale\r\n:0\r\n:0\r\n:0\r\n*2\r\n+@pubsub\r\n+@slow\r\n*0\r\n*0\r\n*0\r\n");
  const std::string key_spec_tail =
      "\r\n:1\r\n*2\r\n+@pubsub\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+not_"
      "key\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
      "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
      "6\r\n$7\r\nlastkey\r\n:-1\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n";
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "ssubscribe"}),
            "*1\r\n*10\r\n$10\r\nssubscribe\r\n:-2\r\n*4\r\n+pubsub\r\n+noscript\r\n+loading\r\n+"
            "stale\r\n:1\r\n:-1" +
                key_spec_tail);
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "sunsubscribe"}),
            "*1\r\n*10\r\n$12\r\nsunsubscribe\r\n:-1\r\n*4\r\n+pubsub\r\n+noscript\r\n+loading\r\n+"
            "stale\r\n:1\r\n:-1" +
                key_spec_tail);
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "spublish"}),
            "*1\r\n*10\r\n$8\r\nspublish\r\n:3\r\n*4\r\n+pubsub\r\n+loading\r\n+stale\r\n+fast\r\n:"
            "1\r\n:1\r\n:1\r\n*2\r\n+@pubsub\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+"
            "not_key\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*"
            "2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$"
            "4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:"
            "0\r\n*0\r\n");
}

// ---- Keyspace notifications. -------------------------------------------------------------------

class KeyspaceEventsTest : public PubSubTest {
 protected:
  KeyspaceEventsTest() : listener_(NewPeer()) {
    On(listener_, {"PSUBSCRIBE", "__key*__:*"});
    Enable("KEA");
  }
  void Enable(std::string_view classes) {
    config::ServerConfig cfg;
    const config::Directive* d = config::DirectiveTable::Default().Find("notify-keyspace-events");
    ASSERT_NE(d, nullptr);
    ASSERT_TRUE(d->Apply(std::vector<std::string>{std::string(classes)}, &cfg).ok());
    registry().set_notify_flags(cfg.notify_keyspace_events);
  }
  // The events seen since the last call, as "channel message".
  std::vector<std::string> Events() {
    std::vector<std::string> out;
    for (const Reply& r : Decode(listener_.Take())) {
      if (r.elements.size() == 4) out.push_back(r.elements[2].str + " " + r.elements[3].str);
    }
    return out;
  }
  static std::vector<std::string> Both(std::string_view event, std::string_view key, int db = 0) {
    const std::string d = std::to_string(db);
    return {"__keyspace@" + d + "__:" + std::string(key) + " " + std::string(event),
            "__keyevent@" + d + "__:" + std::string(event) + " " + std::string(key)};
  }
  static std::vector<std::string> Cat(std::vector<std::vector<std::string>> parts) {
    std::vector<std::string> out;
    for (auto& p : parts) out.insert(out.end(), p.begin(), p.end());
    return out;
  }

  Peer& listener_;
};

TEST_F(KeyspaceEventsTest, ExactMessageBytes) {
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(listener_.Take(), PMessage("__key*__:*", "__keyspace@0__:k", "set") +
                                  PMessage("__key*__:*", "__keyevent@0__:set", "k"));
}

TEST_F(KeyspaceEventsTest, StringCommands) {
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(Events(), Both("set", "k"));
  RunRaw({"SET", "k", "v", "NX"});
  EXPECT_EQ(Events(), std::vector<std::string>{});
  RunRaw({"SET", "k", "v", "XX", "EX", "100"});
  EXPECT_EQ(Events(), Cat({Both("set", "k"), Both("expire", "k")}));
  RunRaw({"SET", "k", "v", "KEEPTTL", "GET"});
  EXPECT_EQ(Events(), Both("set", "k"));
  RunRaw({"SET", "k", "v", "PXAT", "1"});
  EXPECT_EQ(Events(), Cat({Both("set", "k"), Both("expire", "k"), Both("expired", "k")}));
  RunRaw({"SETNX", "n", "1"});
  RunRaw({"SETNX", "n", "1"});
  EXPECT_EQ(Events(), Both("set", "n"));
  RunRaw({"SETEX", "s", "100", "v"});
  EXPECT_EQ(Events(), Cat({Both("set", "s"), Both("expire", "s")}));
  RunRaw({"PSETEX", "s", "100000", "v"});
  EXPECT_EQ(Events(), Cat({Both("set", "s"), Both("expire", "s")}));
  RunRaw({"GETSET", "s", "x"});
  EXPECT_EQ(Events(), Both("set", "s"));
  RunRaw({"GETDEL", "s"});
  RunRaw({"GETDEL", "s"});
  EXPECT_EQ(Events(), Both("del", "s"));
  RunRaw({"SET", "g", "v"});
  Events();
  RunRaw({"GETEX", "g", "EX", "100"});
  EXPECT_EQ(Events(), Both("expire", "g"));
  RunRaw({"GETEX", "g", "PERSIST"});
  RunRaw({"GETEX", "g", "PERSIST"});  // no TTL left: nothing to announce
  RunRaw({"GETEX", "g"});
  EXPECT_EQ(Events(), Both("persist", "g"));
  RunRaw({"GETEX", "g", "PXAT", "1"});
  EXPECT_EQ(Events(), Both("del", "g"));
  RunRaw({"MSET", "a", "1", "b", "2", "a", "3"});
  EXPECT_EQ(Events(), Cat({Both("set", "a"), Both("set", "b"), Both("set", "a")}));
  RunRaw({"MSETNX", "c", "1", "d", "2"});
  RunRaw({"MSETNX", "c", "1", "e", "2"});
  EXPECT_EQ(Events(), Cat({Both("set", "c"), Both("set", "d")}));
  RunRaw({"INCR", "i"});
  RunRaw({"DECR", "i"});
  RunRaw({"INCRBY", "i", "5"});
  RunRaw({"DECRBY", "i", "2"});
  EXPECT_EQ(Events(), Cat({Both("incrby", "i"), Both("incrby", "i"), Both("incrby", "i"),
                           Both("incrby", "i")}));
  RunRaw({"INCRBYFLOAT", "i", "1.5"});
  EXPECT_EQ(Events(), Both("incrbyfloat", "i"));
  RunRaw({"SET", "t", "x"});
  Events();
  RunRaw({"INCR", "t"});  // refused: nothing changed
  RunRaw({"INCRBYFLOAT", "t", "1"});
  EXPECT_EQ(Events(), std::vector<std::string>{});
  RunRaw({"APPEND", "ap", "x"});
  RunRaw({"APPEND", "ap", ""});
  EXPECT_EQ(Events(), Cat({Both("append", "ap"), Both("append", "ap")}));
  RunRaw({"SETRANGE", "sr", "0", ""});
  RunRaw({"SETRANGE", "sr", "2", "x"});
  RunRaw({"SETRANGE", "sr", "0", ""});
  EXPECT_EQ(Events(), Both("setrange", "sr"));
  // SETBIT announces a change only (Redis 7.0): a new key, a longer string or a flipped bit.
  EXPECT_EQ(RunRaw({"SETBIT", "bits", "3", "1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SETBIT", "bits", "3", "1"}), ":1\r\n");   // already set
  EXPECT_EQ(RunRaw({"SETBIT", "bits", "2", "0"}), ":0\r\n");   // already clear
  EXPECT_EQ(RunRaw({"SETBIT", "bits", "20", "0"}), ":0\r\n");  // grows to 3 bytes
  EXPECT_EQ(RunRaw({"SETBIT", "bits", "3", "0"}), ":1\r\n");
  RunRaw({"SETBIT", "bits", "-1", "1"});  // refused
  EXPECT_EQ(Events(),
            Cat({Both("setbit", "bits"), Both("setbit", "bits"), Both("setbit", "bits")}));
}

TEST_F(KeyspaceEventsTest, KeyCommands) {
  RunRaw({"MSET", "a", "1", "b", "2", "c", "3", "d", "4"});
  Events();
  EXPECT_EQ(RunRaw({"DEL", "a", "b", "zz", "a"}), ":2\r\n");
  EXPECT_EQ(Events(), Cat({Both("del", "a"), Both("del", "b")}));
  EXPECT_EQ(RunRaw({"UNLINK", "c", "d", "zz"}), ":2\r\n");
  EXPECT_EQ(Events(), Cat({Both("del", "c"), Both("del", "d")}));
  RunRaw({"SET", "r", "1"});
  Events();
  RunRaw({"RENAME", "r", "r2"});
  EXPECT_EQ(Events(), Cat({Both("rename_from", "r"), Both("rename_to", "r2")}));
  EXPECT_EQ(RunRaw({"RENAME", "r2", "r2"}), "+OK\r\n");
  EXPECT_EQ(Events(), std::vector<std::string>{});
  RunRaw({"RENAMENX", "r2", "r3"});
  EXPECT_EQ(Events(), Cat({Both("rename_from", "r2"), Both("rename_to", "r3")}));
  RunRaw({"SET", "r4", "x"});
  Events();
  EXPECT_EQ(RunRaw({"RENAMENX", "r3", "r4"}), ":0\r\n");
  EXPECT_EQ(Events(), std::vector<std::string>{});
  RunRaw({"COPY", "r3", "r5"});
  RunRaw({"COPY", "r3", "r5"});  // exists, no REPLACE
  EXPECT_EQ(Events(), Both("copy_to", "r5"));
  RunRaw({"COPY", "r3", "r6", "DB", "1"});
  EXPECT_EQ(Events(), Both("copy_to", "r6", 1));
  RunRaw({"MOVE", "r6", "2"});  // r6 is in db 1
  EXPECT_EQ(Events(), std::vector<std::string>{});
  RunRaw({"MOVE", "r3", "1"});
  EXPECT_EQ(Events(), Cat({Both("move_from", "r3"), Both("move_to", "r3", 1)}));
  RunRaw({"FLUSHALL"});
  RunRaw({"SWAPDB", "0", "1"});
  EXPECT_EQ(Events(), std::vector<std::string>{});
}

TEST_F(KeyspaceEventsTest, ExpireFamilyAndExpired) {
  RunRaw({"SET", "x", "1"});
  Events();
  for (auto cmd : {"EXPIRE", "PEXPIRE"}) RunRaw({cmd, "x", "100000"});
  RunRaw({"EXPIREAT", "x", "99999999999"});
  RunRaw({"PEXPIREAT", "x", "99999999999999"});
  RunRaw({"EXPIRE", "x", "100", "NX"});  // refused
  EXPECT_EQ(Events(), Cat({Both("expire", "x"), Both("expire", "x"), Both("expire", "x"),
                           Both("expire", "x")}));
  RunRaw({"PERSIST", "x"});
  RunRaw({"PERSIST", "x"});
  EXPECT_EQ(Events(), Both("persist", "x"));
  RunRaw({"EXPIRE", "x", "-1"});
  EXPECT_EQ(Events(), Both("del", "x"));
  RunRaw({"EXPIRE", "nokey", "100"});
  EXPECT_EQ(Events(), std::vector<std::string>{});
  // The engine's hook for keys its expiry removed.
  OnKeyExpired(&context_, 3, "gone");
  EXPECT_EQ(Events(), Both("expired", "gone", 3));
}

TEST_F(KeyspaceEventsTest, ClassesAndChannelsFollowTheFlags) {
  Enable("Kg");  // keyspace channel only, generic class only
  RunRaw({"SET", "k", "v"});
  RunRaw({"DEL", "k"});
  EXPECT_EQ(Events(), std::vector<std::string>{"__keyspace@0__:k del"});
  Enable("E$");
  RunRaw({"SET", "k", "v"});
  RunRaw({"DEL", "k"});
  EXPECT_EQ(Events(), std::vector<std::string>{"__keyevent@0__:set k"});
  Enable("A");  // classes but neither channel: nothing
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(Events(), std::vector<std::string>{});
  Enable("");
  RunRaw({"SET", "k", "v"});
  OnKeyExpired(&context_, 0, "k");
  EXPECT_EQ(Events(), std::vector<std::string>{});
  Enable("Ex");
  NotifyKeyspaceEvent(context_, kNotifyExpired, "expired", 2, "key");
  EXPECT_EQ(Events(), std::vector<std::string>{"__keyevent@2__:expired key"});
}

TEST_F(KeyspaceEventsTest, EventsCrossHomes) {
  Peer& remote = NewPeer();
  AsHome(other_, 1, [&] { On(remote, {"SUBSCRIBE", "__keyevent@0__:del"}); });
  RunRaw({"SET", "k", "v"});
  RunRaw({"DEL", "k"});
  RunInbox(other_, 1);
  EXPECT_EQ(remote.Take(), Message("__keyevent@0__:del", "k"));
}

// ---- The directive. ----------------------------------------------------------------------------

TEST(NotifyKeyspaceEventsDirectiveTest, CanonicalFormAsRedis) {
  const config::Directive* d = config::DirectiveTable::Default().Find("notify-keyspace-events");
  ASSERT_NE(d, nullptr);
  config::ServerConfig cfg;
  EXPECT_EQ(d->Format(cfg), "");
  const std::pair<std::string, std::string> cases[] = {
      {"KEA", "AKE"},   {"A", "A"},      {"Kx", "xK"},   {"g$lshzxetdmn", "Am"},
      {"KEAm", "AKEm"}, {"KEAn", "AKE"}, {"Em", "Em"},   {"K", "K"},
      {"d", "d"},       {"Ag", "A"},     {"xK$", "$xK"}, {"gn", "gn"},
      {"nK", "nK"},     {"$n", "$n"},    {"", ""},       {"KKK", "K"},
  };
  for (const auto& [in, want] : cases) {
    ASSERT_TRUE(d->Apply(std::vector<std::string>{in}, &cfg).ok()) << in;
    EXPECT_EQ(d->Format(cfg), want) << in;
  }
  ASSERT_TRUE(d->Apply(std::vector<std::string>{"KEAn"}, &cfg).ok());
  EXPECT_EQ(d->RewriteLines(cfg), std::vector<std::string>{"notify-keyspace-events \"AnKE\""});
  ASSERT_TRUE(d->Apply(std::vector<std::string>{""}, &cfg).ok());
  EXPECT_EQ(d->RewriteLines(cfg), std::vector<std::string>{"notify-keyspace-events \"\""});
  ASSERT_TRUE(d->Apply(std::vector<std::string>{"Kx"}, &cfg).ok());
  absl::Status bad = d->Apply(std::vector<std::string>{"KZ"}, &cfg);
  EXPECT_EQ(bad.message(), "Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
  EXPECT_EQ(d->Format(cfg), "xK");  // unchanged on failure
  EXPECT_FALSE(d->Apply(std::vector<std::string>{"K", "E"}, &cfg).ok());
}

}  // namespace
}  // namespace ringkv::server
