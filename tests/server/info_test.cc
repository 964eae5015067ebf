// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// INFO sections and the per-command counters behind commandstats and errorstats.
#include <string>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

class InfoTest : public CommandTest {
 protected:
  std::string Info(std::initializer_list<std::string_view> args) {
    protocol::Reply r = Run(args);
    return r.str;
  }
  static bool Has(const std::string& text, std::string_view needle) {
    return absl::StrContains(text, absl::string_view(needle.data(), needle.size()));
  }
};

TEST_F(InfoTest, CommandstatsCountCallsRejectionsAndFailures) {
  RunRaw({"SET", "a", "1"});
  RunRaw({"SET", "s", "x"});
  RunRaw({"INCR", "s"});      // fails: not an integer
  RunRaw({"GET"});            // rejected: arity
  RunRaw({"NOSUCHCOMMAND"});  // unknown: only an error count
  std::string text = Info({"INFO", "commandstats"});
  EXPECT_TRUE(Has(text, "# Commandstats\r\n")) << text;
  EXPECT_TRUE(Has(text, "cmdstat_set:calls=2,")) << text;
  EXPECT_TRUE(Has(text, "cmdstat_incr:calls=1,")) << text;
  EXPECT_TRUE(Has(text, "rejected_calls=0,failed_calls=1\r\n")) << text;
  EXPECT_TRUE(Has(text,
                  "cmdstat_get:calls=0,usec=0,usec_per_call=0.00,rejected_calls=1,"
                  "failed_calls=0\r\n"))
      << text;
  std::string errors = Info({"INFO", "errorstats"});
  EXPECT_TRUE(Has(errors, "errorstat_ERR:count=3\r\n")) << errors;
  std::string stats = Info({"INFO", "stats"});
  EXPECT_TRUE(Has(stats, "total_error_replies:3\r\n")) << stats;
}

TEST_F(InfoTest, ErrorstatsGroupByFirstWord) {
  RunRaw({"SET", "s", "x"});
  RunRaw({"HELLO", "4"});
  std::string errors = Info({"INFO", "errorstats"});
  EXPECT_TRUE(Has(errors, "errorstat_NOPROTO:count=1\r\n")) << errors;
}

TEST_F(InfoTest, ResetstatClearsTheCounters) {
  RunRaw({"SET", "a", "1"});
  RunRaw({"GET"});
  EXPECT_EQ(RunRaw({"CONFIG", "RESETSTAT"}), "+OK\r\n");
  std::string text = Info({"INFO", "commandstats"});
  EXPECT_FALSE(Has(text, "cmdstat_set")) << text;
  EXPECT_FALSE(Has(Info({"INFO", "errorstats"}), "errorstat_"));
}

TEST_F(InfoTest, DefaultSectionsAndExplicitOnes) {
  std::string all = Info({"INFO"});
  for (std::string_view section :
       {"# Server\r\n", "# Clients\r\n", "# Memory\r\n", "# Persistence\r\n", "# Stats\r\n",
        "# Replication\r\n", "# CPU\r\n", "# Modules\r\n", "# Errorstats\r\n", "# Cluster\r\n",
        "# Keyspace\r\n"}) {
    EXPECT_TRUE(Has(all, section)) << section;
  }
  EXPECT_FALSE(Has(all, "# Commandstats"));
  EXPECT_TRUE(Has(Info({"INFO", "everything"}), "# Commandstats\r\n"));
  std::string repl = Info({"INFO", "replication"});
  EXPECT_TRUE(Has(repl, "role:master\r\nconnected_slaves:0\r\n")) << repl;
  EXPECT_EQ(repl.find("# Server"), std::string::npos);
  size_t id = repl.find("master_replid:");
  ASSERT_NE(id, std::string::npos);
  EXPECT_EQ(repl.find("\r\n", id) - id, std::string("master_replid:").size() + 40);
  EXPECT_TRUE(Has(Info({"INFO", "cpu"}), "used_cpu_user:"));
}

// Hashes built whole share their field names; INFO memory counts the shared lists.
TEST_F(InfoTest, MemoryReportsTheSharedHashShapes) {
  const std::string fields = "info_test_user_id";
  Run({"HSET", "s1", fields, "1", "info_test_csrf", "x"});
  Run({"HSET", "s2", fields, "2", "info_test_csrf", "y"});
  const std::string mem = Info({"INFO", "memory"});
  const size_t at = mem.find("hash_shapes:");
  ASSERT_NE(at, std::string::npos) << mem;
  EXPECT_GE(std::stoll(mem.substr(at + 12)), 1);
  const size_t bytes = mem.find("mem_hash_shapes:");
  ASSERT_NE(bytes, std::string::npos) << mem;
  EXPECT_GE(std::stoll(mem.substr(bytes + 16)), static_cast<long long>(2 * fields.size()));
}

}  // namespace
}  // namespace ringkv::server
