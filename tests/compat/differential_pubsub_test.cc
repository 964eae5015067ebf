// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of pub/sub: several connections per server (subscribers in RESP2 and RESP3
// and a publisher) get the same seeded random sequences of SUBSCRIBE / UNSUBSCRIBE / PSUBSCRIBE /
// PUNSUBSCRIBE / SSUBSCRIBE / SUNSUBSCRIBE (with zero to several names, repeats, the
// unsubscribe-all forms), PUBLISH / SPUBLISH, PUBSUB CHANNELS / NUMSUB / NUMPAT / SHARDCHANNELS /
// SHARDNUMSUB, PING in and out of subscribed mode, commands a RESP2 subscriber may not run, and
// RESET, on ringkv and on Debian's redis-server 7.0. A second test does the same for keyspace
// notifications: CONFIG SET notify-keyspace-events with several class strings, writes of every
// type and expirations. Every reply, and every message each subscriber receives, in order, must
// be the same bytes after the normalization below.
//
// How the messages are read deterministically: after each command, every connection to Redis is
// sent a PING with a unique token and read up to that PING's reply. Redis is single-threaded, so
// everything the command caused (its replies, the messages it published) is in front of that
// reply; the command's own connection is synchronised first, so the command has finished when the
// others are asked. ringkv delivers to subscribers on other threads asynchronously
// (docs/compatibility.md, Pub/sub, "delivery to subscribers on other worker threads is
// asynchronous"), so on ringkv each connection is read for exactly as many replies as Redis
// sent it (each with a timeout), and only then is the PING sent: its reply must come next. A
// missing message shows as a timeout, an extra one where the PING's reply should be.
//
// Normalization, each for an order Redis itself leaves unspecified or a documented difference:
//   - The pmessages one PUBLISH causes on one connection come from iterating Redis's pattern dict,
//     whose order depends on a per-process hash seed: each run of consecutive pmessages with the
//     same channel and payload is compared sorted.
//   - PUBSUB CHANNELS / SHARDCHANNELS iterate a dict too: compared sorted (and so is SPOP's
//     reply, a random pick).
//   - UNSUBSCRIBE / PUNSUBSCRIBE / SUNSUBSCRIBE without names confirm each dropped subscription
//     "in any order" (docs/compatibility.md, Pub/sub table, UNSUBSCRIBE row; Redis iterates a
//     dict): the names are compared sorted, the running counts in place.
//   - HELLO's `id` field (a client id) is replaced by 0.
//   - Keyspace events of the classes `n` (new key) and `m` (key miss) are dropped from what Redis
//     sends: docs/compatibility.md, Keyspace notifications, "the classes `d` (no modules), `m` (key
//     misses) and `n` (new keys) are accepted but nothing publishes them".
//
// Kept out of the generators and checked by their own tests at the end (they were differences,
// fixed since): container commands (PUBSUB, CONFIG, CLIENT, ...) refused in RESP2 subscribed
// mode, and the empty channel name, which no pattern matches.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"
#include "tests/integration/server_process.h"

namespace ringkv::compat {
namespace {

using protocol::Reply;

// A connection that can read without sending: pushes arrive on their own.
class Client {
 public:
  static std::unique_ptr<Client> Connect(int port) {
    const int fd = ConnectLoopback(port);
    if (fd < 0) return nullptr;
    auto c = std::unique_ptr<Client>(new Client());
    c->fd_ = fd;
    return c;
  }
  ~Client() {
    if (fd_ >= 0) close(fd_);
  }

  bool Send(const Command& cmd) {
    std::string out = "*" + std::to_string(cmd.size()) + "\r\n";
    for (const std::string& a : cmd) out += "$" + std::to_string(a.size()) + "\r\n" + a + "\r\n";
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = send(fd_, out.data() + off, out.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<size_t>(n);
    }
    return true;
  }

  // The exact bytes of the next reply or push, or "<timeout>" / "<closed>" / "<bad reply>".
  std::string Read(int timeout_ms, Reply* decoded) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    for (;;) {
      size_t consumed = 0;
      Reply reply;
      protocol::ParseStatus st = parser_.Parse(buf_, &consumed, &reply);
      if (st == protocol::ParseStatus::kOk) {
        std::string bytes = buf_.substr(0, consumed);
        buf_.erase(0, consumed);
        *decoded = std::move(reply);
        return bytes;
      }
      if (st != protocol::ParseStatus::kNeedMore) return "<bad reply>";
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                            deadline - std::chrono::steady_clock::now())
                            .count();
      if (left <= 0) return "<timeout>";
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left)) <= 0) return "<timeout>";
      char tmp[65536];
      ssize_t n = recv(fd_, tmp, sizeof(tmp), 0);
      if (n <= 0) return "<closed>";
      buf_.append(tmp, static_cast<size_t>(n));
    }
  }

 private:
  Client() = default;
  int fd_ = -1;
  std::string buf_;
  protocol::ReplyParser parser_;
};

struct Item {
  std::string bytes;
  Reply decoded;
};

// One command of a step: sent on connection `conn` after sleeping `sleep_ms`.
struct Action {
  size_t conn = 0;
  Command cmd;
  int sleep_ms = 0;
};

bool IsSentinel(const Item& item, const std::string& token) {
  const Reply& r = item.decoded;
  if (r.type == Reply::Type::kBulk) return r.str == token;
  return r.type == Reply::Type::kArray && r.elements.size() == 2 && r.elements[0].str == "pong" &&
         r.elements[1].str == token;
}

bool IsPushLike(const Reply& r) {
  return r.type == Reply::Type::kArray || r.type == Reply::Type::kPush;
}

bool IsKind(const Reply& r, const char* kind, size_t size) {
  return IsPushLike(r) && r.elements.size() == size && r.elements[0].str == kind;
}

// A keyspace event of a class ringkv accepts but does not publish (docs/compatibility.md,
// Keyspace notifications: "`m` (key misses) and `n` (new keys) are accepted but nothing publishes
// them").
bool IsUnpublishedEventClass(const Reply& r) {
  const Reply* channel = nullptr;
  const Reply* payload = nullptr;
  if (IsKind(r, "message", 3)) {
    channel = &r.elements[1];
    payload = &r.elements[2];
  } else if (IsKind(r, "pmessage", 4)) {
    channel = &r.elements[2];
    payload = &r.elements[3];
  } else {
    return false;
  }
  const std::string& ch = channel->str;
  if (ch.rfind("__keyspace@", 0) == 0) return payload->str == "new" || payload->str == "keymiss";
  if (ch.rfind("__keyevent@", 0) == 0) {
    return ch.size() > 4 && (ch.compare(ch.size() - 4, 4, ":new") == 0 ||
                             (ch.size() > 8 && ch.compare(ch.size() - 8, 8, ":keymiss") == 0));
  }
  return false;
}

std::string Bulk(const std::string& s) {
  return "$" + std::to_string(s.size()) + "\r\n" + s + "\r\n";
}

// The comparable forms of what one connection received during one action.
std::vector<std::string> Normalize(const Action& action, bool own_connection,
                                   const std::vector<Item>& items) {
  std::vector<std::string> out;
  for (const Item& item : items) out.push_back(item.bytes);
  const std::string name = Upper(action.cmd[0]);
  if (own_connection && name == "HELLO") {
    // The client id differs between the servers.
    for (std::string& s : out) {
      const std::string needle = "$2\r\nid\r\n:";
      size_t at = s.find(needle);
      if (at == std::string::npos) continue;
      size_t end = s.find("\r\n", at + needle.size());
      if (end != std::string::npos) s.replace(at + needle.size(), end - at - needle.size(), "0");
    }
  }
  if (own_connection && name == "PUBSUB" && action.cmd.size() >= 2 &&
      (Upper(action.cmd[1]) == "CHANNELS" || Upper(action.cmd[1]) == "SHARDCHANNELS")) {
    // Redis lists its channel dict in hash order.
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].decoded.type == Reply::Type::kArray) {
        out[i] = SortedElements(items[i].decoded, false);
      }
    }
  }
  if (own_connection && name == "SPOP") {
    for (size_t i = 0; i < items.size(); ++i) {
      if (items[i].decoded.type == Reply::Type::kArray ||
          items[i].decoded.type == Reply::Type::kSet) {
        out[i] = SortedElements(items[i].decoded, false);
      }
    }
  }
  if (own_connection && action.cmd.size() == 1 &&
      (name == "UNSUBSCRIBE" || name == "PUNSUBSCRIBE" || name == "SUNSUBSCRIBE")) {
    // Unsubscribe-all confirms in any order (docs/compatibility.md, Pub/sub table): sort the
    // names, keep each confirmation's count where it is.
    const std::string kind = [&] {
      std::string k = action.cmd[0];
      for (char& ch : k) ch = static_cast<char>(tolower(static_cast<unsigned char>(ch)));
      return k;
    }();
    std::vector<size_t> at;
    std::vector<std::string> names;
    for (size_t i = 0; i < items.size(); ++i) {
      const Reply& r = items[i].decoded;
      if (IsKind(r, kind.c_str(), 3) && r.elements[1].type == Reply::Type::kBulk) {
        at.push_back(i);
        names.push_back(r.elements[1].str);
      }
    }
    std::sort(names.begin(), names.end());
    for (size_t j = 0; j < at.size(); ++j) {
      const Reply& r = items[at[j]].decoded;
      out[at[j]] = items[at[j]].bytes.substr(0, 1) + "3\r\n" + Bulk(kind) + Bulk(names[j]) + ":" +
                   std::to_string(r.elements[2].integer) + "\r\n";
    }
  }
  // Redis delivers the pmessages of one publish (one channel and payload, several patterns) in
  // the order of its pattern dict: sort each run of pmessages with the same channel and payload.
  auto same_publish = [&](size_t a, size_t b) {
    const Reply& x = items[a].decoded;
    const Reply& y = items[b].decoded;
    return IsKind(y, "pmessage", 4) && x.elements[2].str == y.elements[2].str &&
           x.elements[3].str == y.elements[3].str;
  };
  for (size_t i = 0; i < items.size();) {
    size_t j = i;
    if (IsKind(items[i].decoded, "pmessage", 4)) {
      while (j < items.size() && same_publish(i, j)) ++j;
    }
    if (j > i + 1)
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(i),
                out.begin() + static_cast<std::ptrdiff_t>(j));
    i = std::max(j, i + 1);
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += "\n      " + Printable(x);
  return s.empty() ? "\n      (nothing)" : s;
}

std::string Line(const Command& cmd) {
  std::string line;
  for (const std::string& arg : cmd) line += "'" + arg + "' ";
  return line;
}

// The servers, a fixed number of connections to each, and the step-by-step comparison.
class PubSubRunner {
 public:
  bool Start(size_t connections) {
    redis_ = RedisProcess::Start();
    if (redis_ == nullptr) {
      ADD_FAILURE() << "could not start " << kRedisServer;
      return false;
    }
    auto ringkv_or = testing::ServerProcess::Start({});
    if (!ringkv_or.ok()) {
      ADD_FAILURE() << ringkv_or.status();
      return false;
    }
    ringkv_ = std::move(*ringkv_or);
    connections_ = connections;
    return true;
  }

  // Fresh connections (connection i speaks RESP `protocols[i]`), empty databases, notifications
  // off.
  bool Reset(const std::vector<int>& protocols) {
    redis_conns_.clear();
    ringkv_conns_.clear();
    for (size_t i = 0; i < connections_; ++i) {
      redis_conns_.push_back(Client::Connect(redis_->port()));
      ringkv_conns_.push_back(Client::Connect(ringkv_->port()));
      if (redis_conns_.back() == nullptr || ringkv_conns_.back() == nullptr) {
        ADD_FAILURE() << "connect failed";
        return false;
      }
    }
    for (auto* conns : {&redis_conns_, &ringkv_conns_}) {
      for (size_t i = 0; i < connections_; ++i) {
        Client& c = *(*conns)[i];
        Reply r;
        std::vector<Command> setup = {{"HELLO", std::to_string(protocols[i])}};
        if (i == 0) {
          setup.push_back({"FLUSHALL"});
          setup.push_back({"CONFIG", "SET", "notify-keyspace-events", ""});
        }
        for (const Command& cmd : setup) {
          c.Send(cmd);
          std::string bytes = c.Read(5000, &r);
          if (r.is_error() || bytes[0] == '<') {
            ADD_FAILURE() << Line(cmd) << ": " << Printable(bytes);
            return false;
          }
        }
      }
    }
    return true;
  }

  // Runs one action on both servers; false (after reporting) when they differ.
  bool Run(const Action& action, const std::string& where) {
    if (action.sleep_ms > 0)
      std::this_thread::sleep_for(std::chrono::milliseconds(action.sleep_ms));
    ++compared_;
    const std::string token = "sync-" + std::to_string(compared_);
    // Redis: the command, then each connection up to its PING's reply (the command's own first).
    redis_conns_[action.conn]->Send(action.cmd);
    std::vector<std::vector<Item>> redis_items(connections_);
    std::vector<size_t> order = {action.conn};
    for (size_t i = 0; i < connections_; ++i) {
      if (i != action.conn) order.push_back(i);
    }
    for (size_t i : order) {
      Client& c = *redis_conns_[i];
      c.Send({"PING", token});
      for (;;) {
        Item item;
        item.bytes = c.Read(5000, &item.decoded);
        if (item.bytes[0] == '<') {
          ADD_FAILURE() << where << ": redis connection " << i << ": " << item.bytes;
          return false;
        }
        if (IsSentinel(item, token)) break;
        if (filter_unpublished_classes_ && IsUnpublishedEventClass(item.decoded)) continue;
        redis_items[i].push_back(std::move(item));
      }
    }
    // ringkv: as many replies as Redis sent, then the PING, whose reply must come next.
    ringkv_conns_[action.conn]->Send(action.cmd);
    bool same = true;
    std::string report;
    for (size_t i : order) {
      Client& c = *ringkv_conns_[i];
      std::vector<Item> got;
      for (size_t n = 0; n < redis_items[i].size(); ++n) {
        Item item;
        item.bytes = c.Read(2000, &item.decoded);
        got.push_back(std::move(item));
        if (got.back().bytes[0] == '<') break;
      }
      bool synced = false;
      if (got.empty() || got.back().bytes[0] != '<') {
        c.Send({"PING", token});
        for (int extra = 0; extra < 50; ++extra) {
          Item item;
          item.bytes = c.Read(2000, &item.decoded);
          if (item.bytes[0] == '<') break;
          if (IsSentinel(item, token)) {
            synced = true;
            break;
          }
          got.push_back(std::move(item));  // more than Redis sent
        }
      }
      for (const Item& item : redis_items[i]) {
        if (IsKind(item.decoded, "message", 3) || IsKind(item.decoded, "pmessage", 4) ||
            IsKind(item.decoded, "smessage", 3)) {
          ++messages_;
        }
      }
      std::vector<std::string> a = Normalize(action, i == action.conn, redis_items[i]);
      std::vector<std::string> b = Normalize(action, i == action.conn, got);
      if (a != b || !synced) {
        same = false;
        report += "\n  connection " + std::to_string(i) + (synced ? "" : " (lost sync)") +
                  ":\n    redis:" + Join(a) + "\n    ringkv:" + Join(b);
      }
    }
    if (!same) {
      ADD_FAILURE() << where << ": connection " << action.conn << ": " << Line(action.cmd) << report
                    << "\n  last actions:" << history_;
      return false;
    }
    history_ += "\n    [" + std::to_string(action.conn) + "] " + Line(action.cmd);
    if (history_.size() > 3000) history_.erase(0, history_.find('\n', history_.size() - 3000));
    return true;
  }

  void set_filter_unpublished_classes(bool on) { filter_unpublished_classes_ = on; }
  void ClearHistory() { history_.clear(); }
  int compared() const { return compared_; }
  int messages() const { return messages_; }

 private:
  std::unique_ptr<RedisProcess> redis_;
  std::unique_ptr<testing::ServerProcess> ringkv_;
  size_t connections_ = 0;
  std::vector<std::unique_ptr<Client>> redis_conns_;
  std::vector<std::unique_ptr<Client>> ringkv_conns_;
  bool filter_unpublished_classes_ = false;
  int compared_ = 0;
  int messages_ = 0;  // messages compared (as received by each connection)
  std::string history_;
};

// Connections of the pub/sub suite: 0 is a RESP2 subscriber, 1 a RESP3 subscriber, 2 a
// subscriber in RESP2 or RESP3 (by seed), 3 a publisher (RESP2 or RESP3) that never subscribes.
constexpr size_t kPublisher = 3;

class PubSubGenerator : public SeededChoices {
 public:
  PubSubGenerator(uint32_t seed, const std::vector<int>& protocols)
      : SeededChoices(seed), protocols_(protocols) {}

  std::vector<Action> Next() {
    const size_t sub = Uniform(0, 2);
    switch (Uniform(0, 29)) {
      case 0:
      case 1:
      case 2:
        return {{sub, Names("SUBSCRIBE", channels_, 1, 3)}};
      case 3:
      case 4:
        return {{sub, Names("UNSUBSCRIBE", channels_, Chance(40) ? 0 : 1, 3)}};
      case 5:
      case 6:
        return {{sub, Names("PSUBSCRIBE", patterns_, 1, 3)}};
      case 7:
        return {{sub, Names("PUNSUBSCRIBE", patterns_, Chance(40) ? 0 : 1, 2)}};
      case 8:
      case 9:
        return {{sub, Names("SSUBSCRIBE", shard_channels_, 1, 3)}};
      case 10:
        return {{sub, Names("SUNSUBSCRIBE", shard_channels_, Chance(40) ? 0 : 1, 2)}};
      case 11:
      case 12:
      case 13:
      case 14:
      case 15:
        // Mostly from the publisher; a RESP2 subscriber is refused, a RESP3 one may publish
        // (to itself too).
        return {{Chance(70) ? kPublisher : Uniform(0, 3),
                 {Chance(5) ? "publish" : "PUBLISH",
                  Chance(10) ? Pick(shard_channels_) : Pick(channels_), Message()}}};
      case 16:
      case 17:
      case 18:
        return {{Chance(70) ? kPublisher : Uniform(0, 3),
                 {"SPUBLISH", Chance(10) ? Pick(channels_) : Pick(shard_channels_), Message()}}};
      case 19:
      case 20:
      case 21:
        return {{Observer(), Introspect()}};
      case 22:
        return {{Uniform(0, 3), Chance(50) ? Command{"PING"} : Command{"PING", Message()}}};
      case 23: {
        // Commands a RESP2 subscriber may not run (they run elsewhere). Only plain commands:
        // container commands show an undocumented difference
        // (DISABLED_PubSubSubscribedModeRefusalNamesSubcommand).
        static const std::vector<Command> kOthers = {{"GET", "k"},  {"SET", "k", "v"},
                                                     {"ECHO", "e"}, {"DBSIZE"},
                                                     {"TYPE", "k"}, {"PING", "a", "b"}};
        return {{Uniform(0, 3), Pick(kOthers)}};
      }
      case 24:
        if (Chance(30)) {
          // RESET drops every subscription and returns to RESP2; the connection goes back to
          // its protocol so that the roles above stay true.
          const size_t c = Uniform(0, 2);
          return {{c, {"RESET"}}, {c, {"HELLO", std::to_string(protocols_[c])}}};
        }
        return {{sub, Names("SUBSCRIBE", channels_, 0, 0)}};  // arity error
      case 25:
        // Invalid arities and an unknown subcommand.
        switch (Uniform(0, 4)) {
          case 0:
            return {{kPublisher, {"PUBLISH", Pick(channels_)}}};
          case 1:
            return {{kPublisher, {"SPUBLISH", Pick(shard_channels_), "a", "b"}}};
          case 2:
            return {{Observer(), {"PUBSUB"}}};
          case 3:
            return {{Observer(), {"PUBSUB", "NOSUCH"}}};
          default:
            return {{Observer(), {"PUBSUB", "CHANNELS", "a", "b"}}};
        }
      default:
        return {{kPublisher, {"PUBLISH", Pick(channels_), Message()}}};
    }
  }

 private:
  Command Names(const char* cmd, const std::vector<std::string>& pool, size_t lo, size_t hi) {
    Command c = {cmd};
    for (size_t i = 0, n = Uniform(lo, hi); i < n; ++i) c.push_back(Pick(pool));
    return c;
  }
  std::string Message() { return Chance(3) ? "" : "m" + std::to_string(Uniform(0, 999)); }
  // A connection that may run PUBSUB: the publisher or a RESP3 subscriber.
  size_t Observer() {
    std::vector<size_t> ok = {kPublisher};
    for (size_t i = 0; i < 3; ++i) {
      if (protocols_[i] == 3) ok.push_back(i);
    }
    return Pick(ok);
  }
  Command Introspect() {
    switch (Uniform(0, 5)) {
      case 0:
        return Chance(50) ? Command{"PUBSUB", "CHANNELS"}
                          : Command{"PUBSUB", "channels", Pick(patterns_)};
      case 1: {
        Command c = {"PUBSUB", "NUMSUB"};
        for (size_t i = 0, n = Uniform(0, 4); i < n; ++i) {
          c.push_back(Chance(80) ? Pick(channels_) : Pick(shard_channels_));
        }
        return c;
      }
      case 2:
        return {"PUBSUB", "NUMPAT"};
      case 3:
        return Chance(50) ? Command{"PUBSUB", "SHARDCHANNELS"}
                          : Command{"PUBSUB", "SHARDCHANNELS", Pick(patterns_)};
      case 4: {
        Command c = {"PUBSUB", "SHARDNUMSUB"};
        for (size_t i = 0, n = Uniform(0, 4); i < n; ++i) {
          c.push_back(Chance(80) ? Pick(shard_channels_) : Pick(channels_));
        }
        return c;
      }
      default:
        return {"PUBSUB", "HELP"};
    }
  }

  std::vector<int> protocols_;
  // Not the empty channel name: the pattern "*" matching it is an undocumented difference
  // (DISABLED_PubSubEmptyChannelAndStarPattern).
  const std::vector<std::string> channels_ = {"ch1", "ch2", "ch3", "news.a", "news.b", "x"};
  const std::vector<std::string> patterns_ = {"ch*",   "news.*", "*",      "ch?",
                                              "[cn]*", "s*",     "ch[12]", "news.\\a"};
  const std::vector<std::string> shard_channels_ = {"s1", "s2", "s3", "ch1"};
};

bool HaveRedis() { return access(kRedisServer, X_OK) == 0; }

TEST(DifferentialTest, PubSubMatchesRedisByteForByte) {
  if (!HaveRedis()) GTEST_SKIP() << kRedisServer << " is not installed";
  PubSubRunner runner;
  ASSERT_TRUE(runner.Start(4));
  const int seeds = 30;
  const int steps = 400;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int failed = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    std::mt19937 pick(static_cast<uint32_t>(seed) * 7919u);
    std::vector<int> protocols = {2, 3, pick() % 2 == 0 ? 2 : 3, pick() % 2 == 0 ? 2 : 3};
    ASSERT_TRUE(runner.Reset(protocols));
    runner.ClearHistory();
    PubSubGenerator gen(static_cast<uint32_t>(seed), protocols);
    for (int step = 0; step < steps; ++step) {
      bool ok = true;
      for (const Action& action : gen.Next()) {
        if (action.cmd.empty()) continue;
        ok = runner.Run(action,
                        "pubsub seed " + std::to_string(seed) + " step " + std::to_string(step));
        if (!ok) break;
      }
      if (!ok) {
        ++failed;  // the connections may be out of step: go on with the next seed
        break;
      }
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "pub/sub test took too long";
  }
  EXPECT_EQ(failed, 0);
  std::cout << "pubsub: " << runner.compared() << " commands and " << runner.messages()
            << " received messages compared\n";
}

// Keyspace notifications. Connection 0 writes (RESP2); 1 is a RESP2 client subscribed to the
// pattern __key*__:*; 2 a RESP3 client subscribed to a few event channels and to the pattern
// __keyevent@*__:*; 3 a RESP2 client subscribed to __keyspace@0__:k[12].
class KeyspaceGenerator : public SeededChoices {
 public:
  explicit KeyspaceGenerator(uint32_t seed) : SeededChoices(seed) {}

  static std::vector<Action> Setup() {
    return {{1, {"PSUBSCRIBE", "__key*__:*"}},
            {2, {"SUBSCRIBE", "__keyevent@0__:expired", "__keyevent@0__:set", "__keyspace@0__:k1"}},
            {2, {"PSUBSCRIBE", "__keyevent@*__:*"}},
            {3, {"PSUBSCRIBE", "__keyspace@0__:k[12]"}}};
  }

  std::vector<Action> Next() {
    const std::string k = Key();
    switch (Uniform(0, 41)) {
      case 0:
      case 1:
        return {{0, {"CONFIG", "SET", "notify-keyspace-events", Pick(classes_)}}};
      case 2:
        return {{0, {"CONFIG", "GET", "notify-keyspace-events"}}};
      case 3:
        return {{0, Chance(50) ? Command{"SET", k, Value()}
                               : Command{"SET", k, Value(), "EX", "1000"}}};
      case 4:
        return {{0, Chance(50) ? Command{"SETNX", k, Value()} : Command{"GETSET", k, Value()}}};
      case 5:
        return {{0, {"MSET", k, Value(), Key(), Value()}}};
      case 6:
        return {{0, Chance(50) ? Command{"INCR", k} : Command{"INCRBYFLOAT", k, "1.5"}}};
      case 7:
        return {{0, Chance(50) ? Command{"APPEND", k, "x"} : Command{"SETRANGE", k, "2", "ab"}}};
      case 8:
        return {{0, Chance(50) ? Command{"DEL", k, Key()} : Command{"UNLINK", k}}};
      case 9:
        return {{0, Chance(50) ? Command{"GETDEL", k} : Command{"GET", k}}};
      case 10:
        return {{0, Chance(50) ? Command{"EXPIRE", k, "1000"} : Command{"PERSIST", k}}};
      case 11:
        return {
            {0, Chance(50) ? Command{"GETEX", k, "EX", "1000"} : Command{"GETEX", k, "PERSIST"}}};
      case 12:
        return {{0, Chance(50) ? Command{"RENAME", k, Key()} : Command{"COPY", k, Key()}}};
      case 13:
        return {{0, Chance(70) ? Command{"MOVE", k, "1"} : Command{"EXPIRE", k, "0"}}};
      case 14:
      case 15: {
        // An expiration: a short TTL, a wait, and an access that expires the key if Redis's (or
        // ringkv's) active cycle has not yet. The TTL is long enough for the first command's
        // step to end before it passes, so the `expired` event comes in the EXISTS step.
        Command set =
            Chance(50) ? Command{"PEXPIRE", k, "15"} : Command{"SET", k, Value(), "PX", "15"};
        return {{0, set}, {0, {"EXISTS", k}, 35}};
      }
      case 16:
        return {{0, {Chance(50) ? "LPUSH" : "RPUSH", k, Value(), Value()}}};
      case 17:
        return {{0, {Chance(50) ? "LPOP" : "RPOP", k}}};
      case 18:
        switch (Uniform(0, 3)) {
          case 0:
            return {{0, {"LINSERT", k, "BEFORE", Value(), "z"}}};
          case 1:
            return {{0, {"LSET", k, "0", "z"}}};
          case 2:
            return {{0, {"LREM", k, "0", Value()}}};
          default:
            return {{0, {"LTRIM", k, "1", "-1"}}};
        }
      case 19:
        return {{0, {"LMOVE", k, Key(), "LEFT", "RIGHT"}}};
      case 20:
        return {{0, {"SADD", k, Value(), Value()}}};
      case 21:
        // SPOP with a count past the size takes every member (compared sorted): one pick would
        // be random.
        return {{0, Chance(50) ? Command{"SREM", k, Value()} : Command{"SPOP", k, "10"}}};
      case 22:
        return {{0, Chance(50) ? Command{"SMOVE", k, Key(), Value()}
                               : Command{"SINTERSTORE", k, Key(), Key()}}};
      case 23:
        return {{0, {"HSET", k, "f" + Value(), Value()}}};
      case 24:
        return {{0, Chance(50) ? Command{"HDEL", k, "f" + Value()}
                               : Command{"HINCRBY", k, "f" + Value(), "2"}}};
      case 25:
        return {{0, {"ZADD", k, std::to_string(Uniform(0, 5)), Value()}}};
      case 26:
        return {
            {0, Chance(50) ? Command{"ZREM", k, Value()} : Command{"ZINCRBY", k, "1", Value()}}};
      case 27:
        return {{0, Chance(50) ? Command{"ZPOPMIN", k} : Command{"ZREMRANGEBYSCORE", k, "0", "2"}}};
      case 28:
        return {{0, {"ZUNIONSTORE", k, "2", Key(), Key()}}};
      case 29:
        // Explicit IDs: "*" would be the servers' clocks.
        return {{0, {"XADD", k, std::to_string(++stream_id_) + "-1", "f", Value()}}};
      case 30:
        return {{0, Chance(50) ? Command{"XTRIM", k, "MAXLEN", "1"} : Command{"XLEN", k}}};
      case 31:
        return {{0, {"SELECT", Chance(80) ? "0" : "1"}}};
      case 32:
        return Chance(10) ? std::vector<Action>{{0, {"FLUSHDB"}}}
                          : std::vector<Action>{{0, {"TYPE", k}}};
      case 33:
        return {{0, {"SET", k, Value(), "KEEPTTL"}}};
      case 34:
        return {{0, Pick(std::vector<Command>{{"SETEX", k, "1000", Value()},
                                              {"PSETEX", k, "1000000", Value()},
                                              {"GETEX", k, "PX", "1000000"},
                                              {"EXPIREAT", k, "4000000000"},
                                              {"PEXPIREAT", k, "1"},
                                              {"RENAMENX", k, Key()},
                                              {"SWAPDB", "0", "1"}})}};
      case 35:
        return {{0, Pick(std::vector<Command>{{"LPUSHX", k, Value()},
                                              {"RPOPLPUSH", k, Key()},
                                              {"LMPOP", "2", k, Key(), "LEFT", "COUNT", "2"},
                                              {"BLPOP", k, Key(), "0.01"},
                                              {"BRPOP", k, "0.01"},
                                              {"BLMOVE", k, Key(), "RIGHT", "LEFT", "0.01"}})}};
      case 36:
        return {{0, Pick(std::vector<Command>{{"SUNIONSTORE", k, Key(), Key()},
                                              {"SDIFFSTORE", k, Key(), Key()},
                                              {"HSETNX", k, "f" + Value(), Value()},
                                              {"HINCRBYFLOAT", k, "f" + Value(), "0.5"},
                                              {"XDEL", k, std::to_string(stream_id_) + "-1"},
                                              {"XGROUP", "CREATE", k, "g", "0", "MKSTREAM"}})}};
      case 37:
        return {{0, Pick(std::vector<Command>{{"ZINTERSTORE", k, "2", Key(), Key()},
                                              {"ZDIFFSTORE", k, "2", Key(), Key()},
                                              {"ZRANGESTORE", k, Key(), "0", "-1"},
                                              {"ZREMRANGEBYRANK", k, "0", "0"},
                                              {"ZREMRANGEBYLEX", k, "-", "+"},
                                              {"ZPOPMAX", k, "2"},
                                              {"ZMPOP", "1", k, "MIN"},
                                              {"BZPOPMIN", k, "0.01"}})}};
      default:
        return {{0, {"SET", k, Value()}}};
    }
  }

 private:
  std::string Key() { return "k" + std::to_string(Uniform(1, 4)); }
  std::string Value() { return std::to_string(Uniform(0, 5)); }

  uint64_t stream_id_ = 0;
  // `n` and `m` appear too: Redis's events of those classes are dropped (documented difference).
  const std::vector<std::string> classes_ = {
      "KEA", "AKE", "Kg", "E$", "El",          "Ks",   "Eh",   "Kz", "Et",   "Ex",  "KEg$", "Egx",
      "KE",  "E",   "K",  "",   "g$lshzxetKE", "KEAn", "KEAm", "Kx", "Elsz", "Kh$", "KEA"};
};

TEST(DifferentialTest, KeyspaceNotificationsMatchRedisByteForByte) {
  if (!HaveRedis()) GTEST_SKIP() << kRedisServer << " is not installed";
  PubSubRunner runner;
  ASSERT_TRUE(runner.Start(4));
  runner.set_filter_unpublished_classes(true);
  const int seeds = 16;
  const int steps = 300;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int failed = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    ASSERT_TRUE(runner.Reset({2, 2, 3, 2}));
    runner.ClearHistory();
    bool ok = true;
    for (const Action& action : KeyspaceGenerator::Setup()) {
      ok = ok && runner.Run(action, "keyspace seed " + std::to_string(seed) + " setup");
    }
    KeyspaceGenerator gen(static_cast<uint32_t>(seed));
    for (int step = 0; ok && step < steps; ++step) {
      for (const Action& action : gen.Next()) {
        ok = runner.Run(action,
                        "keyspace seed " + std::to_string(seed) + " step " + std::to_string(step));
        if (!ok) break;
      }
    }
    if (!ok) ++failed;
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "keyspace test took too long";
  }
  EXPECT_EQ(failed, 0);
  std::cout << "keyspace notifications: " << runner.compared() << " commands and "
            << runner.messages() << " received events compared\n";
}

// Undocumented differences found by the tests above and kept out of their generators, one test
// per cause. Each case quotes the command and both servers' replies; enable a test once ringkv
// matches (and then let the generator produce the case too).
//
// Runs `actions` on fresh servers with two RESP2 connections.
void RunKnownDifferences(const std::vector<Action>& actions) {
  if (!HaveRedis()) GTEST_SKIP() << kRedisServer << " is not installed";
  PubSubRunner runner;
  ASSERT_TRUE(runner.Start(2));
  ASSERT_TRUE(runner.Reset({2, 2}));
  int failed = 0;
  for (const Action& action : actions) {
    if (!runner.Run(action, "pubsub known differences")) ++failed;
  }
  EXPECT_EQ(failed, 0);
}

// A container command refused in RESP2 subscribed mode: Redis names the subcommand
// (c->cmd->fullname). (Fixed in ringkv; kept as a regression test.)
TEST(DifferentialTest, PubSubSubscribedModeRefusalNamesSubcommand) {
  RunKnownDifferences({
      {0, {"SUBSCRIBE", "ch"}},
      //   PUBSUB NUMPAT
      //   redis:  -ERR Can't execute 'pubsub|numpat': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE /
      //           PING / QUIT / RESET are allowed in this context
      //   ringkv: -ERR Can't execute 'pubsub': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING /
      //           QUIT / RESET are allowed in this context
      {0, {"PUBSUB", "NUMPAT"}},
      // The same for every container: 'config|get' / 'config', 'client|getname' / 'client',
      // 'acl|whoami' / 'acl', 'object|encoding' / 'object'.
      {0, {"CONFIG", "GET", "maxmemory"}},
      {0, {"CLIENT", "GETNAME"}},
      {0, {"ACL", "WHOAMI"}},
      {0, {"OBJECT", "ENCODING", "k"}},
  });
}

// The pattern "*" and the empty channel name. Redis 7.0's stringmatchlen() never matches an
// empty string with a non-empty pattern (its loop runs while both have characters left);
// neither does ringkv's (engine/glob.cc).
TEST(DifferentialTest, PubSubEmptyChannelAndStarPattern) {
  RunKnownDifferences({
      {0, {"PSUBSCRIBE", "*"}},
      {0, {"SUBSCRIBE", ""}},
      //   PUBLISH "" m         redis: :1 (the `message` only)
      //                        ringkv: :2 (and a `pmessage` for "*")
      {1, {"PUBLISH", "", "m"}},
      //   PUBSUB CHANNELS *    redis: *0 (empty array)   ringkv: *1 [""]
      {1, {"PUBSUB", "CHANNELS", "*"}},
      // The same matcher outside pub/sub: KEYS "*" is special-cased by Redis, "**" is not.
      //   SET "" v, then KEYS **   redis: *0   ringkv: *1 [""]
      {1, {"SET", "", "v"}},
      {1, {"KEYS", "**"}},
  });
}

}  // namespace
}  // namespace ringkv::compat
