// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench end to end against a real server: the counts it reports must match what the
// server says it executed (INFO stats and commandstats), the open loop must keep its schedule,
// and the binary must print its table and JSON.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bench/ringkv_bench/bench_options.h"
#include "bench/ringkv_bench/report.h"
#include "bench/ringkv_bench/runner.h"
#include "client/connection.h"
#include "gtest/gtest.h"
#include "tests/client/test_server.h"

namespace ringkv::bench {
namespace {

using client::testing::TestServer;

class BenchRunTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string reason = TestServer::SkipReason();
    if (!reason.empty()) GTEST_SKIP() << "no server to test against: " << reason;
    absl::StatusOr<std::unique_ptr<TestServer>> s = TestServer::Start();
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = *std::move(s);
    absl::StatusOr<std::unique_ptr<client::Connection>> c =
        client::Connection::Connect(server_->options());
    ASSERT_TRUE(c.ok()) << c.status();
    admin_ = *std::move(c);
  }

  // "field:value" lines of INFO <section> as numbers (first number of commandstats entries).
  std::map<std::string, uint64_t> Info(const char* section) {
    std::map<std::string, uint64_t> out;
    absl::StatusOr<protocol::Reply> r = admin_->Command({"INFO", section});
    EXPECT_TRUE(r.ok());
    if (!r.ok()) return out;
    for (absl::string_view line : absl::StrSplit(r->str, "\r\n")) {
      std::vector<absl::string_view> kv = absl::StrSplit(line, absl::MaxSplits(':', 1));
      if (kv.size() != 2) continue;
      absl::string_view value = kv[1];
      if (absl::StartsWith(value, "calls=")) {
        value = value.substr(6, value.find(',') - 6);
      }
      uint64_t n;
      if (absl::SimpleAtoi(value, &n)) out[std::string(kv[0])] = n;
    }
    return out;
  }

  BenchOptions Base() {
    BenchOptions o;
    o.port = server_->port();
    o.progress = false;
    o.duration_s = 0;
    return o;
  }

  std::unique_ptr<TestServer> server_;
  std::unique_ptr<client::Connection> admin_;
};

TEST_F(BenchRunTest, CountsMatchTheServer) {
  BenchOptions o = Base();
  o.threads = 2;
  o.connections = 3;
  o.pipeline = 4;
  o.requests = 2000;
  o.mix = *ParseRatio("1:3");
  o.keyspace = 100;
  uint64_t before = Info("stats")["total_commands_processed"];
  absl::StatusOr<BenchResult> r = RunBench(o);
  ASSERT_TRUE(r.ok()) << r.status();
  uint64_t after = Info("stats")["total_commands_processed"];
  EXPECT_EQ(r->total.count, 2000u);
  EXPECT_EQ(r->total.errors, 0u);
  EXPECT_EQ(r->total.latency_ns.count(), 2000u);
  // The server counted our 2000 requests plus the first INFO (an INFO is counted after it has
  // produced its own output, so the second one is not in `after`).
  EXPECT_EQ(after - before, 2000u + 1);
  const OpStats& gets = r->ops[static_cast<size_t>(Op::kGet)];
  const OpStats& sets = r->ops[static_cast<size_t>(Op::kSet)];
  EXPECT_EQ(gets.count + sets.count, 2000u);
  EXPECT_NEAR(static_cast<double>(sets.count), 500, 80);
  EXPECT_EQ(gets.hits + gets.misses, gets.count);
  EXPECT_GT(gets.hits, 0u);     // 100 keys, ~500 sets: most later GETs hit
  if (TestServer::IsRedis()) {  // ringkv has no INFO commandstats yet
    std::map<std::string, uint64_t> cmd = Info("commandstats");
    EXPECT_EQ(cmd["cmdstat_get"], gets.count);
    EXPECT_EQ(cmd["cmdstat_set"], sets.count);
  }
  std::string table = FormatTable(o, *r);
  EXPECT_TRUE(absl::StrContains(table, "GET ")) << table;
  EXPECT_TRUE(absl::StrContains(table, "ALL ")) << table;
}

TEST_F(BenchRunTest, EveryCommandKindRunsWithoutErrors) {
  if (!TestServer::IsRedis()) {
    GTEST_SKIP() << "needs hashes, lists and sorted sets and INFO commandstats, not in ringkv yet";
  }
  BenchOptions o = Base();
  o.connections = 2;
  o.pipeline = 8;
  o.requests = 1800;
  o.mix = *ParseCommandMix("get,set,incr,session,lpush,lpop,zadd,zrange,xadd,xread");
  o.keyspace = 50;
  o.distribution = *ParseDistribution("zipf:0.99");
  o.value_min = 1;
  o.value_max = 100;
  absl::StatusOr<BenchResult> r = RunBench(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.count, 1800u);
  EXPECT_EQ(r->total.errors, 0u);
  std::map<std::string, uint64_t> cmd = Info("commandstats");
  for (size_t i = 0; i < kOpCount; ++i) {
    std::string name = absl::StrCat("cmdstat_", std::string(OpName(static_cast<Op>(i))));
    EXPECT_EQ(cmd[name], r->ops[i].count) << name;
    EXPECT_GT(r->ops[i].count, 0u) << name;
  }
  std::string json = FormatJson(o, *r);
  EXPECT_TRUE(absl::StrContains(json, "\"total\": {\"count\": 1800,")) << json;
  EXPECT_TRUE(absl::StrContains(json, "\"zrange\": {\"count\": ")) << json;
}

TEST_F(BenchRunTest, OpenLoopKeepsItsSchedule) {
  BenchOptions o = Base();
  o.connections = 2;
  o.requests = 300;
  o.rate = 1000;  // 300 requests at 1000/s: about 0.3 s, never much faster
  absl::StatusOr<BenchResult> r = RunBench(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->total.count, 300u);
  EXPECT_EQ(r->unsent, 0u);
  EXPECT_GE(r->elapsed_s, 0.28);
  EXPECT_LT(r->elapsed_s, 5.0);
}

TEST_F(BenchRunTest, DurationBoundedRun) {
  BenchOptions o = Base();
  o.duration_s = 0.3;
  o.connections = 2;
  uint64_t before = Info("stats")["total_commands_processed"];
  absl::StatusOr<BenchResult> r = RunBench(o);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_GT(r->total.count, 0u);
  EXPECT_GE(r->elapsed_s, 0.3);
  EXPECT_LT(r->elapsed_s, 5.0);
  // Every request sent before the deadline was answered and counted; nothing else was sent.
  EXPECT_EQ(Info("stats")["total_commands_processed"] - before, r->total.count + 1);
}

TEST_F(BenchRunTest, ConnectionRefusedIsAnError) {
  BenchOptions o = Base();
  o.port = client::testing::PickFreePort();
  o.requests = 10;
  absl::StatusOr<BenchResult> r = RunBench(o);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(absl::StrContains(r.status().message(), "Connection refused")) << r.status();
}

TEST_F(BenchRunTest, BinaryPrintsJsonAndTable) {
  client::testing::ProcessResult json = client::testing::RunProcess(
      {RINGKV_BENCH_PATH, "--port", std::to_string(server_->port()), "--requests", "500", "--ratio",
       "1:1", "--json", "--no-progress"});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(absl::StrContains(json.out, "\"total\": {\"count\": 500,")) << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"p99.9\": ")) << json.out;
  client::testing::ProcessResult table =
      client::testing::RunProcess({RINGKV_BENCH_PATH, "--port", std::to_string(server_->port()),
                                   "--duration", "1.2", "--commands", "incr"});
  EXPECT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(absl::StrContains(table.out, "INCR ")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "p99.9(us)")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.err, " ops/s  p99 ")) << table.err;  // the live line
  client::testing::ProcessResult bad =
      client::testing::RunProcess({RINGKV_BENCH_PATH, "--distribution", "pareto"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(bad.err, "unknown distribution")) << bad.err;
}

}  // namespace
}  // namespace ringkv::bench
