// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Keyspace notifications of the hash, list, set and sorted-set commands, in-process. Each test
// runs a script of commands and compares the events a PSUBSCRIBE __keyspace@*__:* listener saw
// ("key event", in order) with what Debian's redis-server 7.0.15 published for the same script
// (run with --notify-keyspace-events KEA and a redis-cli psubscribe listener). The field-expiry
// hash commands (Redis 7.4 / 8.0) are checked against the order of t_hash.c's calls instead,
// since 7.0 lacks them. Events for the string and generic commands are in pubsub_test.cc.
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_parser.h"
#include "server/config/directive.h"
#include "server/pubsub.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using Script = std::vector<std::vector<std::string>>;
using Events = std::vector<std::string>;

// Collects what is delivered to the listener, as a Connection would write it.
class RecordingSink : public PubSubSink {
 public:
  void WritePubSubMessage(std::string_view body) override {
    bytes.push_back('*');
    bytes.append(body);
  }
  std::string bytes;
};

// The only home: deliveries to it run inline, so nothing is ever posted.
class InlineHome : public PubSubHome {
 public:
  void Post(std::function<void()> fn) override { fn(); }
};

class KeyspaceEventsTest : public CommandTest {
 protected:
  KeyspaceEventsTest() : listener_enc_(&listener_out_) {
    context_.pubsub.Attach(&home_, 0);
    listener_.pubsub_sink = &sink_;
    std::vector<std::string_view> sub = {"PSUBSCRIBE", "__keyspace@*__:*"};
    Dispatch(context_, listener_, listener_enc_, sub);
    config::ServerConfig cfg;
    const config::Directive* d = config::DirectiveTable::Default().Find("notify-keyspace-events");
    EXPECT_NE(d, nullptr);
    EXPECT_TRUE(d->Apply(std::vector<std::string>{"KEA"}, &cfg).ok());
    context_.pubsub.set_notify_flags(cfg.notify_keyspace_events);
  }
  ~KeyspaceEventsTest() override {
    context_.pubsub.RemoveClient(listener_);
    context_.pubsub.Detach();
  }

  // Runs the commands; returns the keyspace events they published, as "key event".
  Events Run(const Script& script) {
    for (const auto& cmd : script) {
      std::vector<std::string_view> args(cmd.begin(), cmd.end());
      Dispatch(context_, client_, encoder_, args);
      out_.Clear();
    }
    Events events;
    protocol::ReplyParser parser;
    std::string_view rest = sink_.bytes;
    constexpr std::string_view kPrefix = "__keyspace@0__:";
    while (!rest.empty()) {
      protocol::Reply r;
      size_t used = 0;
      if (parser.Parse(rest, &used, &r) != protocol::ParseStatus::kOk) {
        ADD_FAILURE() << "bad message stream";
        break;
      }
      rest.remove_prefix(used);
      if (r.elements.size() != 4) continue;
      std::string_view channel = r.elements[2].str;
      if (channel.starts_with(kPrefix)) channel.remove_prefix(kPrefix.size());
      events.push_back(std::string(channel) + " " + r.elements[3].str);
    }
    sink_.bytes.clear();
    return events;
  }

  InlineHome home_;
  RecordingSink sink_;
  ClientState listener_;
  protocol::OutputBuffer listener_out_;
  protocol::ReplyEncoder listener_enc_;
};

TEST_F(KeyspaceEventsTest, ListCommandsAsRedis70) {
  const Script script = {
      {"rpush", "l", "a", "b", "c"},
      {"lpush", "l", "z"},
      {"lpushx", "nol", "x"},  // no key: nothing
      {"rpushx", "l", "d"},
      {"lpop", "l"},
      {"rpop", "l"},
      {"lpop", "nol"},
      {"linsert", "l", "before", "b", "q"},
      {"linsert", "l", "before", "nope", "q"},  // no pivot: nothing
      {"lset", "l", "0", "w"},
      {"lrem", "l", "0", "nope"},  // nothing removed: nothing
      {"lrem", "l", "0", "w"},
      {"ltrim", "l", "0", "-1"},  // Redis announces even a trim that kept everything
      {"ltrim", "l", "0", "0"},
      {"rpoplpush", "l", "l"},
      {"lmove", "l", "d2", "left", "right"},  // push on dst, pop on src, then src's del
      {"rpoplpush", "d2", "d2"},
      {"rpush", "s", "1", "2"},
      {"lmove", "s", "s", "left", "right"},
      {"rpoplpush", "s", "d3"},
      {"lpop", "s", "5"},
      {"lmpop", "2", "nol", "s", "right", "count", "1"},  // both gone: nothing
      {"rpush", "m", "1", "2", "3"},
      {"lmpop", "2", "nol", "m", "left", "count", "5"},
      {"rpush", "t", "1"},
      {"ltrim", "t", "1", "0"},
      {"rpush", "r", "1", "1"},
      {"lrem", "r", "0", "1"},
      {"rpush", "c", "1"},
      {"lpop", "c", "0"},       // a count of 0 pops nothing: nothing
      {"lset", "c", "9", "x"},  // out of range: nothing
  };
  EXPECT_EQ(Run(script),
            (Events{
                "l rpush", "l lpush",  "l rpush", "l lpop",  "l rpop",  "l linsert", "l lset",
                "l lrem",  "l ltrim",  "l ltrim", "l lpush", "l rpop",  "d2 rpush",  "l lpop",
                "l del",   "d2 lpush", "d2 rpop", "s rpush", "s rpush", "s lpop",    "d3 lpush",
                "s rpop",  "s lpop",   "s del",   "m rpush", "m lpop",  "m del",     "t rpush",
                "t ltrim", "t del",    "r rpush", "r lrem",  "r del",   "c rpush",
            }));
}

TEST_F(KeyspaceEventsTest, SetCommandsAsRedis70) {
  const Script script = {
      {"sadd", "s", "a", "b", "c"},
      {"sadd", "s", "a"},   // already a member: nothing
      {"srem", "s", "zz"},  // not a member: nothing
      {"srem", "s", "a"},
      {"spop", "s", "0"},  // nothing popped: nothing
      {"spop", "s"},
      {"spop", "nos"},
      {"spop", "s", "5"},
      {"sadd", "s", "a", "b"},
      {"smove", "s", "d", "a"},
      {"smove", "s", "d", "zz"},
      {"smove", "s", "s", "b"},  // same key: nothing
      {"smove", "s", "d", "b"},  // srem, del (src emptied), then sadd
      {"sadd", "x", "1", "2"},
      {"sadd", "y", "2", "3"},
      {"sinterstore", "dst", "x", "y"},
      {"sinterstore", "dst", "x", "nope"},  // empty result over an existing key: del
      {"sinterstore", "dst", "x", "nope"},  // ...and over no key: nothing
      {"sunionstore", "dst", "x", "y"},
      {"sdiffstore", "dst", "x", "y"},
      {"sdiffstore", "dst", "x", "x"},
      {"sadd", "one", "1"},
      {"spop", "one"},
      {"sadd", "two", "1", "2"},
      {"spop", "two", "2"},
      {"sadd", "e", "1"},
      {"sinterstore", "e", "e", "nope"},
      {"sadd", "a", "1", "2"},
      {"sadd", "b", "1"},
      {"smove", "a", "b", "1"},  // already in dst: only srem
      {"smove", "a", "b", "9"},
  };
  EXPECT_EQ(Run(script),
            (Events{"s sadd",          "s srem",         "s spop",   "s spop",          "s del",
                    "s sadd",          "s srem",         "d sadd",   "s srem",          "s del",
                    "d sadd",          "x sadd",         "y sadd",   "dst sinterstore", "dst del",
                    "dst sunionstore", "dst sdiffstore", "dst del",  "one sadd",        "one spop",
                    "one del",         "two sadd",       "two spop", "two del",         "e sadd",
                    "e del",           "a sadd",         "b sadd",   "a srem"}));
}

TEST_F(KeyspaceEventsTest, SortedSetCommandsAsRedis70) {
  const Script script = {
      {"zadd", "z", "1", "a", "2", "b"},
      {"zadd", "z", "1", "a"},  // same score: nothing
      {"zadd", "z", "5", "a"},
      {"zadd", "z", "nx", "9", "a"},
      {"zadd", "z", "xx", "9", "nope"},
      {"zadd", "z", "incr", "1", "a"},
      {"zadd", "z", "nx", "incr", "1", "a"},
      {"zadd", "z", "gt", "1", "b"},
      {"zincrby", "z", "1", "b"},
      {"zincrby", "z", "0", "b"},  // score unchanged: nothing
      {"zadd", "z", "ch", "6", "a"},
      {"zrem", "z", "nope"},
      {"zrem", "z", "a"},
      {"zadd", "z", "1", "c", "2", "d", "3", "e", "4", "f"},
      {"zremrangebyscore", "z", "100", "200"},
      {"zremrangebyscore", "z", "1", "1"},
      {"zremrangebyrank", "z", "0", "0"},
      {"zremrangebylex", "z", "[x", "[y"},
      {"zadd", "lz", "0", "a", "0", "b"},
      {"zremrangebylex", "lz", "[a", "[a"},
      {"zremrangebylex", "lz", "-", "+"},
      {"zpopmin", "z"},
      {"zpopmax", "z"},
      {"zpopmin", "z", "0"},
      {"zpopmin", "noz"},
      {"zmpop", "1", "z", "max", "count", "10"},
      {"zadd", "x", "1", "a", "2", "b"},
      {"zadd", "y", "2", "b", "3", "c"},
      {"zunionstore", "u", "2", "x", "y"},
      {"zinterstore", "u", "2", "x", "y"},
      {"zdiffstore", "u", "2", "x", "x"},
      {"zdiffstore", "u", "2", "x", "x"},
      {"zrangestore", "u", "x", "0", "-1"},
      {"zrangestore", "u", "x", "5", "10"},
      {"zinterstore", "x", "1", "x"},
      {"zrem", "x", "a", "b"},
      {"zincrby", "newz", "1", "m"},
      {"zadd", "newz", "incr", "0", "m"},
  };
  EXPECT_EQ(Run(script), (Events{"z zadd",
                                 "z zadd",
                                 "z zincr",
                                 "z zincr",
                                 "z zrem",
                                 "z zadd",
                                 "z zremrangebyscore",
                                 "z zremrangebyrank",
                                 "lz zadd",
                                 "lz zremrangebylex",
                                 "lz zremrangebylex",
                                 "lz del",
                                 "z zpopmin",
                                 "z zpopmax",
                                 "z zpopmax",
                                 "z del",
                                 "x zadd",
                                 "y zadd",
                                 "u zunionstore",
                                 "u zinterstore",
                                 "u del",
                                 "u zrangestore",
                                 "u del",
                                 "x zinterstore",
                                 "x zrem",
                                 "x del",
                                 "newz zincr"}));
}

TEST_F(KeyspaceEventsTest, HashCommandsAsRedis70) {
  const Script script = {
      {"hset", "h", "a", "1", "b", "2"},
      {"hset", "h", "a", "1"},    // Redis announces even an unchanged HSET
      {"hsetnx", "h", "a", "9"},  // exists: nothing
      {"hsetnx", "h", "c", "3"},
      {"hmset", "h", "a", "1"},
      {"hdel", "h", "nope"},
      {"hdel", "h", "a", "b"},
      {"hincrby", "h", "c", "0"},
      {"hincrby", "h", "c", "1"},
      {"hincrby", "h", "d", "1"},
      {"hincrbyfloat", "h", "c", "0"},
      {"hincrbyfloat", "h", "c", "1.5"},
      {"hincrby", "h", "c", "x"},  // refused: nothing
      {"hdel", "h", "c", "d"},
      {"hincrby", "h2", "n", "5"},
  };
  EXPECT_EQ(Run(script), (Events{"h hset", "h hset", "h hset", "h hset", "h hdel", "h hincrby",
                                 "h hincrby", "h hincrby", "h hincrbyfloat", "h hincrbyfloat",
                                 "h hdel", "h del", "h2 hincrby"}));
}

// Redis 7.4's HEXPIRE family and HPERSIST, 8.0's HGETDEL, HGETEX and HSETEX, and fields removed
// because their time passed ("hexpired", then "del" if the hash is gone), in t_hash.c's order.
TEST_F(KeyspaceEventsTest, HashFieldExpiry) {
  EXPECT_EQ(Run({{"hset", "h", "a", "1", "b", "2", "c", "3"},
                 {"hexpire", "h", "100", "FIELDS", "2", "a", "nope"},
                 {"hexpire", "h", "100", "NX", "FIELDS", "1", "a"},  // not met: nothing
                 {"hpexpire", "h", "100000", "FIELDS", "1", "b"},
                 {"hexpireat", "h", "1", "FIELDS", "2", "a", "b"},  // past: deleted, "hdel"
                 {"hpersist", "h", "FIELDS", "1", "c"},             // no expiry: nothing
                 {"hpexpireat", "h", "1", "FIELDS", "1", "c"}}),
            (Events{"h hset", "h hexpire", "h hexpire", "h hdel", "h hdel", "h del"}));

  EXPECT_EQ(Run({{"hset", "p", "a", "1", "b", "2"},
                 {"hexpire", "p", "100", "FIELDS", "1", "a"},
                 {"hpersist", "p", "FIELDS", "2", "a", "b"},
                 {"hpersist", "p", "FIELDS", "1", "a"}}),
            (Events{"p hset", "p hexpire", "p hpersist"}));

  EXPECT_EQ(Run({{"hset", "g", "a", "1", "b", "2"},
                 {"hgetdel", "g", "FIELDS", "1", "nope"},
                 {"hgetdel", "g", "FIELDS", "1", "a"},
                 {"hgetdel", "g", "FIELDS", "2", "b", "nope"}}),
            (Events{"g hset", "g hdel", "g hdel", "g del"}));

  EXPECT_EQ(Run({{"hset", "x", "a", "1", "b", "2"},
                 {"hgetex", "x", "FIELDS", "1", "a"},  // plain read: nothing
                 {"hgetex", "x", "EX", "100", "FIELDS", "2", "a", "nope"},
                 {"hgetex", "x", "PERSIST", "FIELDS", "1", "a"},
                 {"hgetex", "x", "PERSIST", "FIELDS", "1", "a"},  // no expiry left: nothing
                 {"hgetex", "x", "PXAT", "1", "FIELDS", "1", "a"},
                 {"hgetex", "x", "EXAT", "1", "FIELDS", "1", "b"}}),
            (Events{"x hset", "x hexpire", "x hpersist", "x hdel", "x hdel", "x del"}));

  EXPECT_EQ(Run({{"hsetex", "s", "FIELDS", "1", "a", "1"},
                 {"hsetex", "s", "EX", "100", "FIELDS", "1", "b", "2"},
                 {"hsetex", "s", "FNX", "FIELDS", "1", "a", "9"},  // refused: nothing
                 {"hsetex", "s", "KEEPTTL", "FIELDS", "1", "b", "3"},
                 {"hsetex", "s", "PXAT", "1", "FIELDS", "2", "a", "1", "b", "2"}}),
            (Events{"s hset", "s hset", "s hexpire", "s hset", "s hset", "s hdel", "s del"}));

  // Fields whose time passed go when a command next touches the hash, read or write.
  EXPECT_EQ(Run({{"hset", "e", "a", "1", "b", "2", "c", "3"},
                 {"hpexpire", "e", "10", "FIELDS", "1", "a"},
                 {"hpexpire", "f", "10", "FIELDS", "1", "a"}}),
            (Events{"e hset", "e hexpire"}));
  clock_.Advance(20);
  EXPECT_EQ(Run({{"hget", "e", "b"}, {"hget", "e", "b"}, {"hset", "e", "b", "9"}}),
            (Events{"e hexpired", "e hset"}));
  EXPECT_EQ(Run({{"hpexpire", "e", "10", "FIELDS", "2", "b", "c"}}), (Events{"e hexpire"}));
  clock_.Advance(20);
  EXPECT_EQ(Run({{"hset", "e", "z", "1"}}), (Events{"e hexpired", "e del", "e hset"}));
  EXPECT_EQ(Run({{"hpexpire", "e", "10", "FIELDS", "1", "z"}}), (Events{"e hexpire"}));
  clock_.Advance(20);
  EXPECT_EQ(Run({{"hlen", "e"}, {"hlen", "e"}}), (Events{"e hexpired", "e del"}));
}

TEST_F(KeyspaceEventsTest, RefusedAndNoOpWritesPublishNothing) {
  EXPECT_EQ(Run({{"set", "str", "v"}}), (Events{"str set"}));
  EXPECT_EQ(Run({{"lpush", "str", "x"},
                 {"sadd", "str", "x"},
                 {"zadd", "str", "1", "x"},
                 {"hset", "str", "f", "v"},
                 {"lmove", "str", "l2", "left", "left"},
                 {"smove", "str", "s2", "x"},
                 {"sinterstore", "d", "str"},
                 {"zunionstore", "d", "1", "str"},
                 {"zadd", "z", "nan", "x"},
                 {"zadd", "z", "xx", "1", "x"},
                 {"lmpop", "1", "nolist", "left"},
                 {"zmpop", "1", "nozset", "min"},
                 {"hdel", "noh", "f"},
                 {"hexpire", "noh", "10", "FIELDS", "1", "f"},
                 {"hpersist", "noh", "FIELDS", "1", "f"},
                 {"hgetdel", "noh", "FIELDS", "1", "f"}}),
            Events{});
}

}  // namespace
}  // namespace ringkv::server
