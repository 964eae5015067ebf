// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Cluster mode across real server processes: MIGRATE between two nodes (values, TTLs, NOKEY,
// REPLACE, the target's errors, an unreachable target), the slot map kept in cluster-config-file
// across a restart, a malformed file stopping start-up, and clients blocked on a slot that moves
// away answered -MOVED. (The client libraries' view is in tests/compat/redis_py/test_cluster.py
// and tests/compat/node/cluster.test.js.)
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/integration/server_process.h"

namespace ringkv::testing {
namespace {

namespace fs = std::filesystem;
using protocol::Reply;

class ClusterProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/ringkv-cluster-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }

  // A node in cluster mode with its own dir under root_.
  std::unique_ptr<ServerProcess> StartNode(const std::string& name,
                                           std::vector<std::string> extra = {}) {
    const std::string dir = root_ + "/" + name;
    fs::create_directories(dir);
    // The harness may pick a port above 55535, whose default bus port would not exist.
    std::vector<std::string> args = {
        "--cluster-enabled",           "yes",  "--dir", dir, "--save", "", "--threads", "2",
        "--cluster-announce-bus-port", "16999"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto s = ServerProcess::Start(args);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }

  static std::unique_ptr<RawConn> Connect(const ServerProcess& server) {
    auto c = RawConn::Connect(server.port());
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }

  static std::string Str(RawConn& c, const std::vector<std::string>& args) {
    auto r = c.Call(args);
    if (!r.ok()) return "<" + std::string(r.status().message()) + ">";
    if (r->type == Reply::Type::kInteger) return std::to_string(r->integer);
    if (r->type == Reply::Type::kNull) return "(nil)";
    return r->is_error() ? "-" + r->str : r->str;
  }

  std::string root_;
};

TEST_F(ClusterProcessTest, MigrateMovesKeysWithTheirTtl) {
  auto a = StartNode("a");
  auto b = StartNode("b");
  ASSERT_TRUE(a && b);
  auto ca = Connect(*a);
  auto cb = Connect(*b);
  const std::string port_b = std::to_string(b->port());
  EXPECT_EQ(Str(*ca, {"SET", "{t}s", "v", "PX", "100000"}), "OK");
  EXPECT_EQ(Str(*ca, {"HSET", "{t}h", "f", "1", "g", "2"}), "2");
  EXPECT_EQ(Str(*ca, {"ZADD", "{t}z", "1.5", "m"}), "1");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "nosuch", "0", "5000"}), "NOKEY");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "", "0", "5000", "KEYS", "{t}s", "{t}h",
                      "{t}z", "{t}missing"}),
            "OK");
  EXPECT_EQ(Str(*ca, {"EXISTS", "{t}s", "{t}h", "{t}z"}), "0");
  EXPECT_EQ(Str(*cb, {"GET", "{t}s"}), "v");
  EXPECT_EQ(Str(*cb, {"HGET", "{t}h", "g"}), "2");
  EXPECT_EQ(Str(*cb, {"ZSCORE", "{t}z", "m"}), "1.5");
  auto pttl = cb->Call({"PTTL", "{t}s"});
  ASSERT_TRUE(pttl.ok());
  EXPECT_GT(pttl->integer, 90000);
  EXPECT_EQ(Str(*cb, {"PTTL", "{t}h"}), "-1");
  // COPY keeps the source; without REPLACE an existing target key is the target's error.
  EXPECT_EQ(Str(*ca, {"SET", "{t}s", "again"}), "OK");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "{t}s", "0", "5000", "COPY"}),
            "-ERR Target instance replied with error: BUSYKEY Target key name already exists.");
  EXPECT_EQ(Str(*ca, {"GET", "{t}s"}), "again");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "{t}s", "0", "5000", "COPY", "REPLACE"}),
            "OK");
  EXPECT_EQ(Str(*ca, {"GET", "{t}s"}), "again");
  EXPECT_EQ(Str(*cb, {"GET", "{t}s"}), "again");
  // Argument errors, and a target that is not there.
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "k", "0", "5000", "KEYS", "x"}),
            "-ERR When using MIGRATE KEYS option, the key argument must be set to the empty "
            "string");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "{t}s", "0", "5000", "AUTH"}),
            "-ERR syntax error");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", port_b, "{t}s", "x", "5000"}),
            "-ERR value is not an integer or out of range");
  EXPECT_EQ(Str(*ca, {"MIGRATE", "127.0.0.1", "1", "{t}s", "0", "500"}),
            "-IOERR error or timeout connecting to the client");
  EXPECT_EQ(Str(*ca, {"GET", "{t}s"}), "again");
}

TEST_F(ClusterProcessTest, SlotMapSurvivesARestart) {
  auto a = StartNode("a");
  ASSERT_TRUE(a);
  auto c = Connect(*a);
  const std::string id = Str(*c, {"CLUSTER", "MYID"});
  ASSERT_EQ(id.size(), 40u);
  EXPECT_EQ(Str(*c, {"CLUSTER", "DELSLOTSRANGE", "100", "199"}), "OK");
  EXPECT_EQ(Str(*c, {"CLUSTER", "SETSLOT", "5", "MIGRATING", id}), "OK");
  const std::string nodes = Str(*c, {"CLUSTER", "NODES"});
  c.reset();
  ASSERT_EQ(a->Terminate(), 0);
  std::ifstream file(root_ + "/a/nodes.conf");
  std::string saved((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  EXPECT_EQ(saved, nodes + "vars currentEpoch 0 lastVoteEpoch 0\n");

  // The same dir and port: the node comes back with its id and map.
  auto again = ServerProcess::Start({"--cluster-enabled", "yes", "--dir", root_ + "/a", "--save",
                                     "", "--cluster-announce-port", "1",
                                     "--cluster-announce-bus-port", "16999"});
  ASSERT_TRUE(again.ok()) << again.status();
  auto c2 = Connect(**again);
  EXPECT_EQ(Str(*c2, {"CLUSTER", "MYID"}), id);
  const std::string info = Str(*c2, {"CLUSTER", "INFO"});
  EXPECT_NE(info.find("cluster_state:fail\r\ncluster_slots_assigned:16284\r\n"), std::string::npos);
  EXPECT_NE(Str(*c2, {"CLUSTER", "NODES"}).find("[5->-" + id + "]"), std::string::npos);
}

TEST_F(ClusterProcessTest, MalformedSlotMapFileStopsStartUp) {
  fs::create_directories(root_ + "/bad");
  std::ofstream(root_ + "/bad/nodes.conf") << "not a node line\n";
  auto s = ServerProcess::Start({"--cluster-enabled", "yes", "--dir", root_ + "/bad",
                                 "--cluster-announce-bus-port", "16999"});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("line 1: a node line has at least 8 fields"),
            std::string::npos)
      << s.status();
}

// Waits (bounded) until the server counts one blocked client.
void WaitBlocked(RawConn& admin) {
  for (int i = 0; i < 500; ++i) {
    auto r = admin.Call({"INFO", "clients"});
    if (r.ok() && r->str.find("blocked_clients:1\r\n") != std::string::npos) return;
    usleep(10000);
  }
  ADD_FAILURE() << "no client blocked";
}

TEST_F(ClusterProcessTest, ClientsBlockedOnAMovedSlotAreRedirected) {
  auto a = StartNode("a");
  ASSERT_TRUE(a);
  auto blocked = Connect(*a);
  auto admin = Connect(*a);
  const std::string id = Str(*admin, {"CLUSTER", "MYID"});
  blocked->SendCommand({"BLPOP", "foo", "0"});  // foo is slot 12182
  // Wait until it is blocked.
  WaitBlocked(*admin);
  const std::string other(40, 'b');
  const std::string map = id + " 127.0.0.1:" + std::to_string(a->port()) +
                          "@1 master - 0 0 1 connected 0-8191\n" + other +
                          " 127.0.0.1:7999@17999 master - 0 0 2 connected 8192-16383\n"
                          "vars currentEpoch 2 lastVoteEpoch 0\n";
  EXPECT_EQ(Str(*admin, {"CLUSTER", "SETTOPOLOGY", map}), "OK");
  auto r = blocked->Read();
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->str, "MOVED 12182 127.0.0.1:7999");
  // A client blocked on a slot that stays is left waiting.
  blocked->SendCommand({"BLPOP", "{user1}:a", "0"});  // slot 8106
  WaitBlocked(*admin);
  EXPECT_EQ(Str(*admin, {"CLUSTER", "SETSLOT", "8106", "MIGRATING", other}), "OK");
  EXPECT_EQ(Str(*admin, {"RPUSH", "{user1}:a", "x"}), "-ASK 8106 127.0.0.1:7999");
  EXPECT_EQ(Str(*admin, {"CLUSTER", "SETSLOT", "8106", "STABLE"}), "OK");
  EXPECT_EQ(Str(*admin, {"RPUSH", "{user1}:a", "x"}), "1");
  auto served = blocked->Read();
  ASSERT_TRUE(served.ok()) << served.status();
  ASSERT_EQ(served->elements.size(), 2u);
  EXPECT_EQ(served->elements[1].str, "x");
}

}  // namespace
}  // namespace ringkv::testing
