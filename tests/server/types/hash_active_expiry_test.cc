// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Active expiry of hash fields seen through the commands, in-process: after HPEXPIRE, the worker
// tick's Engine::ActiveExpireCycle removes the fields without any command touching the hash, so
// DBSIZE, EXISTS, SCAN and INFO keyspace drop, and a keyspace listener receives "hexpired" (then
// "del" when the hash went with its last field), the same events in the same order as the hash
// commands' lazy path. The engine hook is wired as server/server.cc wires it; the real server is
// covered by tests/integration/hash_field_expiry_test.cc.
#include <string>
#include <string_view>
#include <vector>

#include "protocol/reply_parser.h"
#include "server/config/directive.h"
#include "server/pubsub.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using Events = std::vector<std::string>;

class RecordingSink : public PubSubSink {
 public:
  void WritePubSubMessage(std::string_view body) override {
    bytes.push_back('*');
    bytes.append(body);
  }
  std::string bytes;
};

class InlineHome : public PubSubHome {
 public:
  void Post(std::function<void()> fn) override { fn(); }
};

class HashActiveExpiryTest : public CommandTest {
 protected:
  HashActiveExpiryTest() : listener_enc_(&listener_out_) {
    engine_.SetExpiredHook(&OnKeyExpired, &context_);
    engine_.SetFieldsExpiredHook(&OnHashFieldsExpired, &context_);
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
  ~HashActiveExpiryTest() override {
    context_.pubsub.RemoveClient(listener_);
    context_.pubsub.Detach();
  }

  // The keyspace events published since the last call, as "key event".
  Events Take() {
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

  // What a worker tick does (server/worker.cc OnTick).
  void Tick() {
    engine::ExpireCycleOptions opt;
    opt.time_budget_us = 0;
    engine_.ActiveExpireCycle(opt);
  }

  InlineHome home_;
  RecordingSink sink_;
  ClientState listener_;
  protocol::OutputBuffer listener_out_;
  protocol::ReplyEncoder listener_enc_;
};

TEST_F(HashActiveExpiryTest, CycleExpiresFieldsWithoutTouchingTheHash) {
  Run({"HSET", "h", "a", "1", "b", "2"});
  EXPECT_EQ(Run({"HPEXPIRE", "h", "50", "FIELDS", "1", "a"}).elements.size(), 1u);
  Take();
  clock_.Advance(50);
  Tick();
  EXPECT_EQ(Take(), Events{});  // due at now exactly: not yet
  clock_.Advance(250);
  Tick();
  EXPECT_EQ(Take(), (Events{"h hexpired"}));
  EXPECT_EQ(Run({"DBSIZE"}).integer, 1);
  EXPECT_EQ(Run({"HLEN", "h"}).integer, 1);
  EXPECT_EQ(Take(), Events{});  // nothing left for the lazy path to announce

  Run({"HPEXPIRE", "h", "50", "FIELDS", "1", "b"});
  Take();
  clock_.Advance(300);
  Tick();
  EXPECT_EQ(Take(), (Events{"h hexpired", "h del"}));
  EXPECT_EQ(Run({"DBSIZE"}).integer, 0);
  EXPECT_EQ(Run({"EXISTS", "h"}).integer, 0);
  protocol::Reply scan = Run({"SCAN", "0"});
  ASSERT_EQ(scan.elements.size(), 2u);
  EXPECT_TRUE(scan.elements[1].elements.empty());
  EXPECT_EQ(Run({"INFO", "keyspace"}).str.find("db0:"), std::string::npos);
}

TEST_F(HashActiveExpiryTest, SameEventsAsTheLazyPath) {
  // Lazy: a command meets the expired fields first.
  Run({"HSET", "lazy", "a", "1"});
  Run({"HPEXPIRE", "lazy", "10", "FIELDS", "1", "a"});
  clock_.Advance(20);
  Take();
  Run({"HLEN", "lazy"});
  const Events lazy = Take();
  // Active: the tick does.
  Run({"HSET", "lazy", "a", "1"});
  Run({"HPEXPIRE", "lazy", "10", "FIELDS", "1", "a"});
  clock_.Advance(20);
  Take();
  Tick();
  EXPECT_EQ(Take(), lazy);
  EXPECT_EQ(lazy, (Events{"lazy hexpired", "lazy del"}));
}

TEST_F(HashActiveExpiryTest, DisabledActiveExpiryLeavesItToTheLazyPath) {
  // DEBUG SET-ACTIVE-EXPIRE 0 stops the worker tick from calling the cycle at all; the fields
  // then stay until a command meets them, as before.
  Run({"HSET", "h", "a", "1"});
  Run({"HPEXPIRE", "h", "10", "FIELDS", "1", "a"});
  clock_.Advance(20);
  Take();
  EXPECT_EQ(Run({"DBSIZE"}).integer, 1);
  EXPECT_EQ(Run({"HGET", "h", "a"}).type, protocol::Reply::Type::kNull);
  EXPECT_EQ(Take(), (Events{"h hexpired", "h del"}));
  EXPECT_EQ(Run({"DBSIZE"}).integer, 0);
}

}  // namespace
}  // namespace ringkv::server
