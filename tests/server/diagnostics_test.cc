// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SLOWLOG, LATENCY, DEBUG, TIME, LASTSAVE and COMMAND GETKEYS/LIST/HELP through the dispatcher.
// Error texts and reply shapes were taken from Debian's redis-server 7.0.15.
#include <chrono>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "server/cycle_clock.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

using protocol::Reply;

class DiagnosticsTest : public CommandTest {};

TEST_F(DiagnosticsTest, SlowlogRecordsShortensAndResets) {
  EXPECT_EQ(RunRaw({"SLOWLOG", "LEN"}), ":0\r\n");
  context_.live.SetSlowThresholds(0, 0, CyclesPerMicrosecond());  // log everything
  RunRaw({"SET", "k", std::string(200, 'v')});
  std::vector<std::string> many = {"DEL"};
  for (int i = 0; i < 40; ++i) many.push_back("k" + std::to_string(i));
  std::vector<std::string_view> views(many.begin(), many.end());
  Dispatch(context_, client_, encoder_, views);
  out_.Clear();
  context_.live.SetSlowThresholds(-1, 0, CyclesPerMicrosecond());  // and nothing from here on
  EXPECT_EQ(RunRaw({"SLOWLOG", "LEN"}), ":2\r\n");
  Reply r = Run({"SLOWLOG", "GET"});
  ASSERT_EQ(r.elements.size(), 2u);
  // Newest first: the DEL, cut to 32 arguments, the last saying how many more.
  const Reply& del = r.elements[0];
  ASSERT_EQ(del.elements.size(), 6u);
  EXPECT_EQ(del.elements[0].integer, 1);
  ASSERT_EQ(del.elements[3].elements.size(), 32u);
  EXPECT_EQ(del.elements[3].elements[31].str, "... (10 more arguments)");
  const Reply& set = r.elements[1];
  EXPECT_EQ(set.elements[0].integer, 0);
  EXPECT_EQ(set.elements[3].elements[2].str, std::string(128, 'v') + "... (72 more bytes)");
  EXPECT_EQ(Run({"SLOWLOG", "GET", "1"}).elements.size(), 1u);
  EXPECT_EQ(RunRaw({"SLOWLOG", "GET", "-2"}),
            "-ERR count should be greater than or equal to -1\r\n");
  EXPECT_EQ(RunRaw({"SLOWLOG", "GET", "x"}), "-ERR value is not an integer or out of range\r\n");
  EXPECT_EQ(RunRaw({"SLOWLOG", "RESET"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SLOWLOG", "LEN"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SLOWLOG", "FOO"}), "-ERR unknown subcommand 'FOO'. Try SLOWLOG HELP.\r\n");
  EXPECT_EQ(Run({"SLOWLOG", "HELP"}).elements.size(), 12u);
}

TEST_F(DiagnosticsTest, SlowlogKeepsAtMostMaxLen) {
  context_.live.SetSlowThresholds(0, 0, CyclesPerMicrosecond());
  context_.live.slowlog_max_len = 3;
  for (int i = 0; i < 10; ++i) RunRaw({"PING"});
  context_.live.SetSlowThresholds(-1, 0, CyclesPerMicrosecond());
  EXPECT_EQ(RunRaw({"SLOWLOG", "LEN"}), ":3\r\n");
}

TEST_F(DiagnosticsTest, LatencyEventsFromSlowCommands) {
  EXPECT_EQ(RunRaw({"LATENCY", "LATEST"}), "*0\r\n");
  context_.live.SetSlowThresholds(-1, 5, CyclesPerMicrosecond());
  EXPECT_EQ(RunRaw({"DEBUG", "SLEEP", "0.01"}), "+OK\r\n");
  context_.live.SetSlowThresholds(-1, 0, CyclesPerMicrosecond());
  Reply latest = Run({"LATENCY", "LATEST"});
  ASSERT_EQ(latest.elements.size(), 1u);
  EXPECT_EQ(latest.elements[0].elements[0].str, "command");
  EXPECT_GE(latest.elements[0].elements[2].integer, 10);
  Reply history = Run({"LATENCY", "HISTORY", "command"});
  ASSERT_EQ(history.elements.size(), 1u);
  EXPECT_EQ(RunRaw({"LATENCY", "HISTORY", "nosuch"}), "*0\r\n");
  EXPECT_TRUE(absl::StrContains(Run({"LATENCY", "DOCTOR"}).str, "command: 1 latency spikes"));
  EXPECT_EQ(RunRaw({"LATENCY", "RESET"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LATENCY", "LATEST"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LATENCY", "GRAPH", "command"}),
            "-ERR LATENCY GRAPH is not supported by ringkv\r\n");
  EXPECT_EQ(RunRaw({"LATENCY", "FOO"}), "-ERR unknown subcommand 'FOO'. Try LATENCY HELP.\r\n");
}

TEST_F(DiagnosticsTest, DebugIsRefusedUnlessEnabled) {
  context_.live.enable_debug_command = 0;
  EXPECT_EQ(RunRaw({"DEBUG", "HELP"}).substr(0, 30), "-ERR DEBUG command not allowed");
  context_.live.enable_debug_command = 2;  // local: in-process counts as local
  EXPECT_EQ(RunRaw({"DEBUG", "SLEEP", "0"}), "+OK\r\n");
}

TEST_F(DiagnosticsTest, DebugPopulateObjectAndActiveExpire) {
  EXPECT_EQ(RunRaw({"SET", "key:1", "mine"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DEBUG", "POPULATE", "3"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"GET", "key:0"}), "$7\r\nvalue:0\r\n");
  EXPECT_EQ(RunRaw({"GET", "key:1"}), "$4\r\nmine\r\n");  // existing keys are kept
  EXPECT_EQ(RunRaw({"DEBUG", "POPULATE", "2", "p", "10"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "p:1"}), std::string("$10\r\nvalue:1\0\0\0\r\n", 17));
  EXPECT_EQ(RunRaw({"DEBUG", "POPULATE", "-1"}),
            "-ERR value is out of range, must be positive\r\n");
  std::string obj = Run({"DEBUG", "OBJECT", "key:0"}).str;
  EXPECT_TRUE(absl::StrContains(obj, "encoding:embstr serializedlength:")) << obj;
  EXPECT_EQ(RunRaw({"DEBUG", "OBJECT", "nokey"}), "-ERR no such key\r\n");
  EXPECT_EQ(RunRaw({"DEBUG", "SET-ACTIVE-EXPIRE", "0"}), "+OK\r\n");
  EXPECT_FALSE(context_.live.active_expire_enabled.load());
  EXPECT_EQ(RunRaw({"DEBUG", "SET-ACTIVE-EXPIRE", "1"}), "+OK\r\n");
  EXPECT_TRUE(context_.live.active_expire_enabled.load());
  EXPECT_EQ(RunRaw({"DEBUG", "NOPE"}), "-ERR unknown subcommand 'NOPE'. Try DEBUG HELP.\r\n");
}

TEST_F(DiagnosticsTest, TimeAndLastsave) {
  Reply t = Run({"TIME"});
  ASSERT_EQ(t.elements.size(), 2u);
  int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
  EXPECT_NEAR(std::stoll(t.elements[0].str), now, 2);
  EXPECT_LT(std::stoll(t.elements[1].str), 1000000);
  context_.start_time_ms = 1700000000123;
  EXPECT_EQ(RunRaw({"LASTSAVE"}), ":1700000000\r\n");
}

TEST_F(DiagnosticsTest, CommandGetKeysListAndHelp) {
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "set", "a", "b"}), "*1\r\n$1\r\na\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "mset", "a", "1", "b", "2"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "get"}),
            "-ERR wrong number of arguments for 'command|getkeys' command\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "ping", "x"}),
            "-ERR The command has no key arguments\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "get", "a", "b"}),
            "-ERR Invalid number of arguments specified for command\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "nosuch", "a"}), "-ERR Invalid command specified\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYSANDFLAGS", "get", "a"}),
            "*1\r\n*2\r\n$1\r\na\r\n*2\r\n+RO\r\n+access\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "LIST", "FILTERBY", "PATTERN", "ech*"}), "*1\r\n$4\r\necho\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "LIST", "FILTERBY", "MODULE", "x"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "LIST", "FILTERBY", "FOO", "x"}), "-ERR syntax error\r\n");
  Reply cats = Run({"COMMAND", "LIST", "FILTERBY", "ACLCAT", "transaction"});
  EXPECT_EQ(cats.elements.size(), 5u);
  EXPECT_EQ(RunRaw({"COMMAND", "COUNT", "x"}),
            "-ERR wrong number of arguments for 'command|count' command\r\n");
  EXPECT_EQ(Run({"COMMAND", "HELP"}).elements.size(), 21u);
}

TEST_F(DiagnosticsTest, MemoryStatsDoctorPurge) {
  EXPECT_EQ(RunRaw({"SET", "a", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "b", "2", "EX", "100"}), "+OK\r\n");
  Reply stats = Run({"MEMORY", "STATS"});
  ASSERT_EQ(stats.elements.size() % 2, 0u);
  std::map<std::string, const Reply*> fields;
  for (size_t i = 0; i < stats.elements.size(); i += 2) {
    fields[stats.elements[i].str] = &stats.elements[i + 1];
  }
  ASSERT_TRUE(fields.count("keys.count"));
  EXPECT_EQ(fields["keys.count"]->integer, 2);
  EXPECT_EQ(fields["expires.count"]->integer, 1);
  EXPECT_EQ(fields["total.allocated"]->integer,
            static_cast<int64_t>(context_.engine->UsedMemory()));
  EXPECT_TRUE(fields.count("fragmentation"));
  EXPECT_TRUE(absl::StrContains(Run({"MEMORY", "DOCTOR"}).str, "under 5 MB"));
  EXPECT_EQ(RunRaw({"MEMORY", "PURGE"}), "+OK\r\n");
  // Tests run on glibc: no jemalloc report.
  EXPECT_EQ(Run({"MEMORY", "MALLOC-STATS"}).str, "Stats not supported for the current allocator");
  EXPECT_EQ(RunRaw({"MEMORY", "NOPE"}).substr(0, 26), "-ERR unknown subcommand 'N");
}

}  // namespace
}  // namespace ringkv::server
