// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Cluster mode in-process: hash slots, the nodes.conf text the slot map is given in, and the
// routing of commands through the dispatcher (MOVED, ASK, ASKING, CROSSSLOT, TRYAGAIN,
// CLUSTERDOWN, MULTI/EXEC and scripts), slot-map changes waiting for commands in flight, and
// DUMP/RESTORE. Reply words were checked against redis-server 7.0.15 with cluster-enabled;
// the multi-node runs with real clients are in tests/compat (redis_py/test_cluster.py,
// node/cluster.test.js).
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "gtest/gtest.h"
#include "server/cluster/cluster_state.h"
#include "server/cluster/topology.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using cluster::KeySlot;
using cluster::ParseNodes;
using cluster::Topology;

const std::string kIdA(40, 'a');
const std::string kIdB(40, 'b');

TEST(KeySlotTest, MatchesRedisAndHashTags) {
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("{user1}:a"), 8106);
  EXPECT_EQ(KeySlot("123456789"), 12739);  // CRC16-XMODEM check value 0x31C3
  EXPECT_EQ(KeySlot("{user1}:b"), KeySlot("user1"));
  // An empty tag hashes the whole key; only the first {...} counts.
  EXPECT_EQ(KeySlot("foo{}{bar}"), KeySlot(std::string_view("foo{}{bar}")));
  EXPECT_NE(KeySlot("foo{}{bar}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot("foo{{bar}}zap"), KeySlot("{bar"));
  EXPECT_EQ(KeySlot("foo{bar}{zap}"), KeySlot("bar"));
  EXPECT_EQ(KeySlot(""), 0);
  EXPECT_EQ(KeySlot("{"), KeySlot(std::string_view("{")));
}

std::string TwoNodes(std::string_view extra_a = "") {
  return kIdA + " 127.0.0.1:7001@17001 myself,master - 0 0 1 connected 0-8191" +
         std::string(extra_a) + "\n" + kIdB +
         " 127.0.0.1:7002@17002 master - 0 0 2 connected 8192-16383\n"
         "vars currentEpoch 2 lastVoteEpoch 0\n";
}

TEST(TopologyTest, ParsesAndFormatsNodesConf) {
  absl::StatusOr<Topology> t = ParseNodes(TwoNodes(" [5->-" + kIdB + "]"), "", true, "", 0);
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->self, 0);
  EXPECT_EQ(t->current_epoch, 2u);
  EXPECT_EQ(t->owner[0], 0);
  EXPECT_EQ(t->owner[8192], 1);
  EXPECT_EQ(t->migrating.at(5), 1);
  EXPECT_EQ(t->SlotsAssigned(), cluster::kSlots);
  EXPECT_EQ(t->Size(), 2);
  EXPECT_EQ(cluster::FormatNodes(*t, true), TwoNodes(" [5->-" + kIdB + "]"));
  // Seen from the other node (by id, ignoring the myself flag), the migrating mark is not ours.
  absl::StatusOr<Topology> b = ParseNodes(TwoNodes(" [5->-" + kIdB + "]"), kIdB, false, "", 0);
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_EQ(b->self, 1);
  EXPECT_TRUE(b->migrating.empty());
  // By address when neither id nor flag says.
  absl::StatusOr<Topology> c = ParseNodes(TwoNodes(), "", false, "127.0.0.1", 7002);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->self, 1);
}

TEST(TopologyTest, RefusesMalformedMaps) {
  auto error = [](const std::string& text) {
    absl::StatusOr<Topology> t = ParseNodes(text, "", true, "", 0);
    return t.ok() ? std::string("ok") : std::string(t.status().message());
  };
  EXPECT_EQ(error("xyz 127.0.0.1:7001 myself,master - 0 0 1 connected 0-5\n"),
            "line 1: the node id must be 40 hex digits");
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,master - 0 0 1 connected 0-5\n" + kIdB +
                  " 127.0.0.1:7002 master - 0 0 1 connected 5-9\n"),
            "line 2: slot 5 is already owned by " + kIdA);
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,slave " + kIdB + " 0 0 1 connected\n"),
            "line 1: replica nodes are not supported: ringkv clusters have masters only");
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 master - 0 0 1 connected 0-5\n"),
            "this node (:0) is not in the node list");
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,master - 0 0 1 connected 16384\n"),
            "line 1: bad slot '16384'");
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,master - 0 0 1 connected 9-3\n"),
            "line 1: bad slot range '9-3'");
  EXPECT_EQ(error(kIdA + " 127.0.0.1 myself,master - 0 0 1 connected\n"),
            "line 1: the address must be ip:port[@bus-port]");
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,master - 0 0 1 connected [3->-" + kIdB + "]\n"),
            "slot 3 is open towards unknown node " + kIdB);
  EXPECT_EQ(error(kIdA + " 127.0.0.1:7001 myself,master - 0 0\n"),
            "line 1: a node line has at least 8 fields");
}

class ClusterTest : public CommandTest {
 protected:
  ClusterTest() {
    cluster::ClusterOptions o;
    o.enabled = true;
    o.announce_ip = "127.0.0.1";
    o.announce_port = 7001;
    EXPECT_TRUE(context_.cluster.Start(o).ok());
    my_id_ = context_.cluster.Get()->me().id;
  }

  // Gives slots 8192-16383 to node B at 127.0.0.1:7002.
  void SplitWithB(std::string_view extra = "") {
    const std::string text = my_id_ + " 127.0.0.1:7001@17001 master - 0 0 1 connected 0-8191" +
                             std::string(extra) + "\n" + kIdB +
                             " 127.0.0.1:7002@17002 master - 0 0 2 connected 8192-16383\n"
                             "vars currentEpoch 2 lastVoteEpoch 0\n";
    ASSERT_EQ(RunRaw({"CLUSTER", "SETTOPOLOGY", text}), "+OK\r\n");
  }

  std::string my_id_;
};

// Keys by slot: "foo" is 12182 (node B once split), "{user1}:a" is 8106 (ours).
TEST_F(ClusterTest, SingleNodeServesEverySlot) {
  EXPECT_EQ(RunRaw({"SET", "foo", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"MSET", "{u}a", "1", "{u}b", "2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MSET", "a", "1", "b", "2"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(RunRaw({"MGET", "a", "a"}), "*2\r\n$-1\r\n$-1\r\n");  // one key twice is one slot
  EXPECT_EQ(RunRaw({"SELECT", "1"}), "-ERR SELECT is not allowed in cluster mode\r\n");
  EXPECT_EQ(RunRaw({"SELECT", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MOVE", "foo", "1"}), "-ERR MOVE is not allowed in cluster mode\r\n");
  EXPECT_EQ(RunRaw({"COPY", "foo", "{foo}x", "DB", "1"}),
            "-ERR Copying to another database is not allowed in cluster mode\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "KEYSLOT", "foo"}), ":12182\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "COUNTKEYSINSLOT", "12182"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "GETKEYSINSLOT", "12182", "5"}), "*1\r\n$3\r\nfoo\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "GETKEYSINSLOT", "12182", "-1"}),
            "-ERR Invalid slot or number of keys\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "COUNTKEYSINSLOT", "16384"}), "-ERR Invalid slot\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "MYID"}), "$40\r\n" + my_id_ + "\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "SLOTS"}),
            "*1\r\n*3\r\n:0\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n"
            ":7001\r\n$40\r\n" +
                my_id_ + "\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "NODES"}),
            "$" + std::to_string(my_id_.size() + 62) + "\r\n" + my_id_ +
                " 127.0.0.1:7001@17001 myself,master - 0 0 0 connected 0-16383\n\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "LINKS"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "MEET", "127.0.0.1", "7002"}).substr(0, 40),
            "-ERR CLUSTER MEET is not supported: ring");
  EXPECT_EQ(RunRaw({"CLUSTER", "NOSUCH"}),
            "-ERR unknown subcommand 'NOSUCH'. Try CLUSTER HELP.\r\n");
  EXPECT_EQ(RunRaw({"READONLY"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"READWRITE"}), "+OK\r\n");
}

TEST_F(ClusterTest, SubcommandArityAndOrderOfChecks) {
  EXPECT_EQ(RunRaw({"CLUSTER", "KEYSLOT"}),
            "-ERR wrong number of arguments for 'cluster|keyslot' command\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "INFO", "x"}),
            "-ERR wrong number of arguments for 'cluster|info' command\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTSRANGE", "1", "2", "3"}),
            "-ERR wrong number of arguments for 'cluster|addslotsrange' command\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTS", "5", "5"}), "-ERR Slot 5 is already busy\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "5", "BOGUS"}),
            "-ERR Invalid CLUSTER SETSLOT action or number of arguments. Try CLUSTER HELP\r\n");
}

TEST(ClusterStateTest, PortsAboveTheBusRangeAreRefused) {
  cluster::ClusterState state;
  cluster::ClusterOptions o;
  o.enabled = true;
  o.announce_ip = "127.0.0.1";
  o.announce_port = 55536;
  EXPECT_FALSE(state.Start(o).ok());
  cluster::ClusterState with_bus;
  o.announce_bus_port = 1000;
  ASSERT_TRUE(with_bus.Start(o).ok());
  EXPECT_EQ(with_bus.Get()->me().bus_port, 1000);
}

TEST_F(ClusterTest, CommandsWithoutClusterModeAreRefused) {
  ServerContext plain;
  plain.engine = &engine_;
  plain.commands = &table_;
  std::vector<std::string_view> args = {"CLUSTER", "INFO"};
  Dispatch(plain, client_, encoder_, args);
  EXPECT_EQ(out_.ToString(), "-ERR This instance has cluster support disabled\r\n");
  out_.Clear();
  args = {"CLUSTER", "KEYSLOT", "foo"};
  Dispatch(plain, client_, encoder_, args);
  EXPECT_EQ(out_.ToString(), "-ERR This instance has cluster support disabled\r\n");
  out_.Clear();
  args = {"ASKING"};
  Dispatch(plain, client_, encoder_, args);
  EXPECT_EQ(out_.ToString(), "-ERR This instance has cluster support disabled\r\n");
  out_.Clear();
}

TEST_F(ClusterTest, RedirectsWhatAnotherNodeOwns) {
  SplitWithB();
  EXPECT_EQ(RunRaw({"GET", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"SET", "{user1}:a", "v"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"PING"}), "+PONG\r\n");  // no keys: served anywhere
  EXPECT_EQ(RunRaw({"EVAL", "return 1", "1", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "SLOTS"}),
            "*2\r\n*3\r\n:0\r\n:8191\r\n*4\r\n$9\r\n127.0.0.1\r\n:7001\r\n$40\r\n" + my_id_ +
                "\r\n*0\r\n*3\r\n:8192\r\n:16383\r\n*4\r\n$9\r\n127.0.0.1\r\n:7002\r\n$40\r\n" +
                kIdB + "\r\n*0\r\n");
  protocol::Reply info = Run({"CLUSTER", "INFO"});
  EXPECT_NE(info.str.find("cluster_known_nodes:2\r\ncluster_size:2\r\n"), std::string::npos);
  EXPECT_NE(info.str.find("cluster_current_epoch:2\r\ncluster_my_epoch:1\r\n"), std::string::npos);
  // An older map is refused.
  const std::string stale = my_id_ + " 127.0.0.1:7001 master - 0 0 1 connected 0-16383\n" +
                            "vars currentEpoch 1 lastVoteEpoch 0\n";
  EXPECT_EQ(RunRaw({"CLUSTER", "SETTOPOLOGY", stale}),
            "-ERR stale topology: currentEpoch 1 is older than this node's 2\r\n");
}

TEST_F(ClusterTest, TransactionsAreCheckedQueuedAndAtExec) {
  SplitWithB();
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "foo", "1"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-EXECABORT Transaction discarded because of previous errors.\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "{user1}:a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SET", "b", "1"}), "+QUEUED\r\n");  // slot 3300, ours too, but...
  // ...the transaction as a whole spans two slots.
  EXPECT_EQ(RunRaw({"EXEC"}), "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "-ERR EXEC without MULTI\r\n");
  EXPECT_EQ(RunRaw({"GET", "{user1}:a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "{user1}:a", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"INCR", "{user1}:b"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*2\r\n+OK\r\n:1\r\n");
}

TEST_F(ClusterTest, MigratingSlotAnswersAskForMissingKeys) {
  // "{user1}:a" and "{user1}:b" are in 8106, ours; it migrates to B.
  EXPECT_EQ(RunRaw({"SET", "{user1}:a", "here"}), "+OK\r\n");
  SplitWithB();
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "8106", "MIGRATING", kIdB}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "{user1}:a"}), "$4\r\nhere\r\n");
  EXPECT_EQ(RunRaw({"GET", "{user1}:b"}), "-ASK 8106 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"SET", "{user1}:b", "new"}), "-ASK 8106 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"MGET", "{user1}:a", "{user1}:b"}),
            "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "NODES"}).find("[8106->-" + kIdB + "]") != std::string::npos, true);
  // NODE may not hand the slot away while a key of it is here.
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "8106", "NODE", kIdB}),
            "-ERR Can't assign hashslot 8106 to a different node while I still hold keys for "
            "this hash slot.\r\n");
  EXPECT_EQ(RunRaw({"DEL", "{user1}:a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "8106", "NODE", kIdB}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "{user1}:a"}), "-MOVED 8106 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "NODES"}).find("->-"), std::string::npos);
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "8106", "MIGRATING", kIdB}),
            "-ERR I'm not the owner of hash slot 8106\r\n");
}

TEST_F(ClusterTest, ImportingSlotServesOnlyAskingClients) {
  SplitWithB();
  // foo (12182) is B's; we import it.
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "12182", "IMPORTING", kIdB}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"ASKING"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "foo", "1"}), "+OK\r\n");
  // ASKING lasted one command.
  EXPECT_EQ(RunRaw({"GET", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  EXPECT_EQ(RunRaw({"ASKING"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MGET", "foo", "{foo}x"}),
            "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
  // Inside MULTI, ASKING lasts until EXEC.
  EXPECT_EQ(RunRaw({"ASKING"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*1\r\n$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  // RESTORE-ASKING is served without ASKING (MIGRATE sends it).
  std::string payload;
  ASSERT_TRUE(engine_.DumpRecord(0, "foo", &payload));
  EXPECT_EQ(RunRaw({"RESTORE-ASKING", "{foo}y", "0", "bad"}),
            "-ERR DUMP payload version or checksum are wrong\r\n");
  protocol::Reply dump;
  EXPECT_EQ(RunRaw({"DUMP", "foo"}), "-MOVED 12182 127.0.0.1:7002\r\n");
  // Taking the slot over ends the import and bumps our epoch.
  EXPECT_EQ(RunRaw({"CLUSTER", "SETSLOT", "12182", "NODE", my_id_}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "$1\r\n1\r\n");
  EXPECT_NE(Run({"CLUSTER", "INFO"}).str.find("cluster_current_epoch:3\r\ncluster_my_epoch:3"),
            std::string::npos);
}

TEST_F(ClusterTest, UnservedSlotsPutTheClusterDown) {
  EXPECT_EQ(RunRaw({"CLUSTER", "DELSLOTS", "12182"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "DELSLOTS", "12182"}), "-ERR Slot 12182 is already unassigned\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "-CLUSTERDOWN Hash slot not served\r\n");
  EXPECT_EQ(RunRaw({"GET", "{user1}:a"}), "-CLUSTERDOWN The cluster is down\r\n");
  EXPECT_NE(Run({"CLUSTER", "INFO"}).str.find("cluster_state:fail\r\ncluster_slots_assigned:16383"),
            std::string::npos);
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTS", "12182", "12182"}),
            "-ERR Slot 12182 specified multiple times\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTS", "1"}), "-ERR Slot 1 is already busy\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTSRANGE", "12182", "12181"}),
            "-ERR start slot number 12182 is greater than end slot number 12181\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTS", "16384"}), "-ERR Invalid or out of range slot\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "ADDSLOTSRANGE", "12182", "12182"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "foo", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "FLUSHSLOTS"}),
            "-ERR DB must be empty to perform CLUSTER FLUSHSLOTS.\r\n");
}

TEST_F(ClusterTest, ScriptsStayOnOneLocalSlot) {
  SplitWithB();
  EXPECT_EQ(RunRaw({"EVAL", "return redis.call('get', 'foo')", "0"}).substr(0, 64),
            "-ERR Script attempted to access a non local key in a cluster nod");
  EXPECT_EQ(RunRaw({"EVAL", "redis.call('set', KEYS[1], 1); return redis.call('get', 'b')", "1",
                    "{user1}:a"})
                .substr(0, 70),
            "-ERR Script attempted to access keys that do not hash to the same slot");
  EXPECT_EQ(RunRaw({"EVAL",
                    "#!lua flags=allow-cross-slot-keys\n"
                    "redis.call('set', '{user1}:a', 1); return redis.call('get', 'a1')",
                    "0"}),
            "$-1\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "#!lua flags=no-cluster\nreturn 1", "0"}),
            "-ERR Can not run script on cluster, 'no-cluster' flag is set.\r\n");
  EXPECT_EQ(RunRaw({"EVAL", "return 1", "2", "{user1}:a", "b"}),
            "-CROSSSLOT Keys in request don't hash to the same slot\r\n");
}

TEST_F(ClusterTest, TopologyChangesRefuseToStrandKeys) {
  EXPECT_EQ(RunRaw({"SET", "foo", "1"}), "+OK\r\n");
  const std::string text = my_id_ + " 127.0.0.1:7001 master - 0 0 1 connected 0-8191\n" + kIdB +
                           " 127.0.0.1:7002 master - 0 0 2 connected 8192-16383\n";
  EXPECT_EQ(RunRaw({"CLUSTER", "SETTOPOLOGY", text}),
            "-ERR Can't assign hashslot 12182 to a different node while I still hold keys for "
            "this hash slot.\r\n");
  EXPECT_EQ(RunRaw({"GET", "foo"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"CLUSTER", "SETTOPOLOGY", "nonsense"}),
            "-ERR line 1: a node line has at least 8 fields\r\n");
}

// A slot-map change returns only after commands routed by the old map have finished.
TEST_F(ClusterTest, ChangesWaitForCommandsInFlight) {
  std::atomic<bool> entered{false};
  std::atomic<bool> release{false};
  std::thread command([&] {
    cluster::ClusterState::CommandGuard guard(context_.cluster);
    entered = true;
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  });
  while (!entered) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::atomic<bool> updated{false};
  std::thread change([&] {
    EXPECT_TRUE(context_.cluster.Update([](Topology&) { return absl::OkStatus(); }).ok());
    updated = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(updated);
  release = true;
  command.join();
  change.join();
  EXPECT_TRUE(updated);
}

TEST_F(ClusterTest, DumpAndRestore) {
  EXPECT_EQ(RunRaw({"RPUSH", "{l}", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRE", "{l}", "100000"}), ":1\r\n");
  protocol::Reply dump = Run({"DUMP", "{l}"});
  ASSERT_EQ(dump.type, protocol::Reply::Type::kBulk);
  EXPECT_EQ(RunRaw({"DUMP", "nosuch"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}", "0", dump.str}),
            "-BUSYKEY Target key name already exists.\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "-1", dump.str}),
            "-ERR Invalid TTL value, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "0", dump.str, "FREQ", "256"}),
            "-ERR Invalid FREQ value, must be >= 0 and <= 255\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "0", dump.str, "IDLETIME", "-1"}),
            "-ERR Invalid IDLETIME value, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "0", dump.str, "IDLETIME", "1", "FREQ", "1"}),
            "-ERR syntax error\r\n");
  std::string corrupt = dump.str;
  corrupt[3] ^= 1;
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "0", corrupt}),
            "-ERR DUMP payload version or checksum are wrong\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}x", "0", dump.str}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "{l}x", "0", "-1"}), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "{l}x"}), ":-1\r\n");  // the payload carries no TTL
  EXPECT_EQ(RunRaw({"SET", "{l}", "str"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"RESTORE", "{l}", "5000", dump.str, "REPLACE"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"TYPE", "{l}"}), "+list\r\n");
  const int64_t pttl = Run({"PTTL", "{l}"}).integer;
  EXPECT_GT(pttl, 4000);
  EXPECT_LE(pttl, 5000);
  EXPECT_EQ(RunRaw({"RESTORE", "{l}y", "1", dump.str, "ABSTTL"}), "+OK\r\n");  // long past
  EXPECT_EQ(RunRaw({"EXISTS", "{l}y"}), ":0\r\n");
}

}  // namespace
}  // namespace ringkv::server
