// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Keyspace commands through the dispatcher: exact reply bytes as Debian's redis-server 7.0.15
// sends them (checked by hand and by tests/compat/differential_test.cc), expiry with the
// ManualClock (a key expires once now > its expire time, never earlier).
#include <memory>
#include <string>

#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr char kNotInt[] = "-ERR value is not an integer or out of range\r\n";
constexpr char kSyntax[] = "-ERR syntax error\r\n";

class KeysTest : public CommandTest {
 protected:
  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }
  std::string Now(int64_t plus_ms, bool seconds) {
    int64_t ms = clock_.NowMs() + plus_ms;
    return std::to_string(seconds ? ms / 1000 : ms);
  }
};

TEST_F(KeysTest, DelUnlinkExistsTouchCountAsRedis) {
  RunRaw({"MSET", "a", "1", "b", "2", "c", "3"});
  EXPECT_EQ(RunRaw({"EXISTS", "a", "a", "z"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"TOUCH", "a", "a", "z"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"DEL", "a", "a", "z"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"UNLINK", "b", "c", "b"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"UNLINK"}), "-ERR wrong number of arguments for 'unlink' command\r\n");
  EXPECT_EQ(RunRaw({"TOUCH"}), "-ERR wrong number of arguments for 'touch' command\r\n");
}

TEST_F(KeysTest, Type) {
  EXPECT_EQ(RunRaw({"TYPE", "k"}), "+none\r\n");
  RunRaw({"SET", "k", "1"});
  EXPECT_EQ(RunRaw({"TYPE", "k"}), "+string\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"TYPE", "k"}), "+string\r\n");
}

TEST_F(KeysTest, RenameAndRenameNx) {
  EXPECT_EQ(RunRaw({"RENAME", "a", "b"}), "-ERR no such key\r\n");
  EXPECT_EQ(RunRaw({"RENAMENX", "a", "b"}), "-ERR no such key\r\n");
  EXPECT_EQ(RunRaw({"RENAME", "a", "a"}), "-ERR no such key\r\n");
  RunRaw({"SET", "a", "1", "EX", "100"});
  // Redis 7: a rename onto itself is OK (RENAMENX: 0) when the key exists.
  EXPECT_EQ(RunRaw({"RENAME", "a", "a"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"RENAMENX", "a", "a"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RENAME", "a", "b"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"TTL", "b"}), ":100\r\n");  // the TTL moves with the value
  RunRaw({"SET", "c", "3"});
  EXPECT_EQ(RunRaw({"RENAMENX", "b", "c"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RENAMENX", "b", "d"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"RENAME", "d", "c"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "c"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "b", "d"}), ":0\r\n");
}

TEST_F(KeysTest, CopyOptionsAndErrors) {
  EXPECT_EQ(RunRaw({"COPY", "a", "a"}), "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "b"}), ":0\r\n");
  RunRaw({"SET", "a", "1"});
  RunRaw({"SET", "b", "2"});
  EXPECT_EQ(RunRaw({"COPY", "a", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "REPLACE"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"GET", "b"}), "$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "a", "DB", "1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "DB", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "DB", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "DB", "2147483648"}),
            "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n");
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "DB"}), kSyntax);
  EXPECT_EQ(RunRaw({"COPY", "a", "b", "bogus"}), kSyntax);
  RunRaw({"SELECT", "1"});
  EXPECT_EQ(RunRaw({"GET", "a"}), "$1\r\n1\r\n");
}

TEST_F(KeysTest, MoveAndSwapDb) {
  EXPECT_EQ(RunRaw({"MOVE", "nokey", "0"}), "-ERR source and destination objects are the same\r\n");
  EXPECT_EQ(RunRaw({"MOVE", "k", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"MOVE", "k", "-1"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"MOVE", "k", "01"}), kNotInt);
  EXPECT_EQ(RunRaw({"MOVE", "nokey", "1"}), ":0\r\n");
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(RunRaw({"MOVE", "k", "1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
  RunRaw({"SET", "k", "w"});
  EXPECT_EQ(RunRaw({"MOVE", "k", "1"}), ":0\r\n");  // exists there
  EXPECT_EQ(RunRaw({"SWAPDB", "x", "0"}), "-ERR invalid first DB index\r\n");
  EXPECT_EQ(RunRaw({"SWAPDB", "0", "x"}), "-ERR invalid second DB index\r\n");
  EXPECT_EQ(RunRaw({"SWAPDB", "0", "16"}), "-ERR DB index is out of range\r\n");
  EXPECT_EQ(RunRaw({"SWAPDB", "0", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SWAPDB", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\nv\r\n");
}

TEST_F(KeysTest, ExpireFamilyAndTtlNeverEarly) {
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "10"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-2\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "k"}), ":-2\r\n");
  EXPECT_EQ(RunRaw({"EXPIRETIME", "k"}), ":-2\r\n");
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-1\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRETIME", "k"}), ":-1\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRE", "k", "1500"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":2\r\n");  // rounded to the nearest second, as Redis
  EXPECT_EQ(RunRaw({"PEXPIRETIME", "k"}), ":" + Now(1500, false) + "\r\n");
  clock_.Advance(1500);
  EXPECT_EQ(RunRaw({"PTTL", "k"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\nv\r\n");
  clock_.Advance(1);
  EXPECT_EQ(RunRaw({"PTTL", "k"}), ":-2\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$-1\r\n");
}

TEST_F(KeysTest, ExpireTimeRoundsToNearestSecond) {
  RunRaw({"SET", "k", "v"});
  int64_t base = (clock_.NowMs() / 1000 + 100) * 1000;
  EXPECT_EQ(RunRaw({"PEXPIREAT", "k", std::to_string(base + 499)}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRETIME", "k"}), ":" + std::to_string(base / 1000) + "\r\n");
  EXPECT_EQ(RunRaw({"PEXPIREAT", "k", std::to_string(base + 500)}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRETIME", "k"}), ":" + std::to_string(base / 1000 + 1) + "\r\n");
  EXPECT_EQ(RunRaw({"EXPIREAT", "k", std::to_string(base / 1000 + 5)}), ":1\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRETIME", "k"}), ":" + std::to_string(base + 5000) + "\r\n");
}

TEST_F(KeysTest, ExpireOptions) {
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "10", "NX", "XX"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "10", "nx", "gt"}),
            "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "10", "GT", "LT"}),
            "-ERR GT and LT options at the same time are not compatible\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "abc", "foo"}), "-ERR Unsupported option foo\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "abc"}), kNotInt);
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'expire' command\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRE", "k", "9223372036854775807"}),
            "-ERR invalid expire time in 'pexpire' command\r\n");
  EXPECT_EQ(RunRaw({"EXPIREAT", "k", "-9223372036854775808"}),
            "-ERR invalid expire time in 'expireat' command\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-1\r\n");  // nothing changed
  // No TTL: XX and GT fail, LT and NX pass (no TTL counts as infinite).
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "100", "XX"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "100", "GT"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "100", "XX", "LT"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "100", "LT"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "50", "NX"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "200", "GT", "XX"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "300", "LT", "XX"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "150", "LT", "XX", "xx"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":150\r\n");
  EXPECT_EQ(RunRaw({"PERSIST", "k"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"PERSIST", "k"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"PERSIST", "nokey"}), ":0\r\n");
  // A time not in the future deletes the key and counts as set.
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "-1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
}

TEST_F(KeysTest, ScanAndKeys) {
  RunRaw({"MSET", "k1", "a", "k2", "b", "x", "c", "", "d"});
  EXPECT_EQ(RunRaw({"SCAN", "abc"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"SCAN", " 0"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "18446744073709551616"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "0", "COUNT", "0"}), kSyntax);
  EXPECT_EQ(RunRaw({"SCAN", "0", "COUNT", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"SCAN", "0", "MATCH"}), kSyntax);
  EXPECT_EQ(RunRaw({"SCAN", "0", "TYPE", "foo"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "0", "TYPE", "LIST"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "0", "MATCH", ""}), "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "0", "MATCH", "x", "COUNT", "1000"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
  // The empty cursor is 0 and "+0" too (strtoul), as in Redis.
  EXPECT_EQ(RunRaw({"SCAN", "", "MATCH", "x", "TYPE", "string"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
  EXPECT_EQ(RunRaw({"SCAN", "+0", "MATCH", "x"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
  EXPECT_EQ(RunRaw({"KEYS", "x"}), "*1\r\n$1\r\nx\r\n");
  EXPECT_EQ(RunRaw({"KEYS", ""}), "*1\r\n$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"KEYS", "zz*"}), "*0\r\n");
  protocol::Reply all = Run({"KEYS", "k*"});
  ASSERT_EQ(all.elements.size(), 2u);
  Resp3();
  EXPECT_EQ(RunRaw({"SCAN", "0", "MATCH", "x"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nx\r\n");
}

TEST_F(KeysTest, RandomKeyDbSizeFlush) {
  EXPECT_EQ(RunRaw({"RANDOMKEY"}), "$-1\r\n");
  RunRaw({"SET", "only", "1"});
  EXPECT_EQ(RunRaw({"RANDOMKEY"}), "$4\r\nonly\r\n");
  RunRaw({"SELECT", "1"});
  RunRaw({"SET", "other", "1"});
  EXPECT_EQ(RunRaw({"FLUSHDB", "bogus"}), kSyntax);
  EXPECT_EQ(RunRaw({"FLUSHDB", "ASYNC", "x"}), kSyntax);
  EXPECT_EQ(RunRaw({"FLUSHDB", "sync"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":0\r\n");
  RunRaw({"SELECT", "0"});
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"FLUSHALL", "ASYNC"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DBSIZE"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"FLUSHALL"}), "+OK\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"RANDOMKEY"}), "_\r\n");
}

TEST_F(KeysTest, ObjectSubcommands) {
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "nokey"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "FREQ", "nokey"}), "$-1\r\n");
  RunRaw({"MSET", "i", "123", "big", "10000", "s", "hello", "r", "a"});
  RunRaw({"APPEND", "r", "b"});
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "i"}), "$3\r\nint\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "encoding", "s"}), "$6\r\nembstr\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "r"}), "$3\r\nraw\r\n");
  // Redis shares the integers 0..9999 and reports the shared object's refcount.
  EXPECT_EQ(RunRaw({"OBJECT", "REFCOUNT", "i"}), ":2147483647\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "REFCOUNT", "big"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "REFCOUNT", "s"}), ":1\r\n");
  clock_.Advance(5000);
  EXPECT_EQ(RunRaw({"OBJECT", "IDLETIME", "s"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "FREQ", "s"}),
            "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please "
            "note that when switching between policies at runtime LRU and LFU data will take "
            "some time to adjust.\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING"}),
            "-ERR wrong number of arguments for 'object|encoding' command\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "HELP", "x"}),
            "-ERR wrong number of arguments for 'object|help' command\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "foo"}), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
  EXPECT_EQ(RunRaw({"OBJECT"}), "-ERR wrong number of arguments for 'object' command\r\n");
  std::string help = RunRaw({"OBJECT", "HELP"});
  EXPECT_EQ(help.substr(0, 71),
            "*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");
  EXPECT_NE(help.find("+HELP\r\n+    Prints this help.\r\n"), std::string::npos);
  Resp3();
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "nokey"}), "_\r\n");
}

TEST_F(KeysTest, MemoryUsageAndHelp) {
  EXPECT_EQ(RunRaw({"MEMORY", "USAGE", "nokey"}), "$-1\r\n");
  RunRaw({"SET", "k", "v"});
  protocol::Reply usage = Run({"MEMORY", "USAGE", "k"});
  EXPECT_EQ(usage.type, protocol::Reply::Type::kInteger);
  EXPECT_GT(usage.integer, 0);
  EXPECT_EQ(Run({"MEMORY", "usage", "k", "SAMPLES", "0"}).integer, usage.integer);
  EXPECT_EQ(RunRaw({"MEMORY", "USAGE", "k", "SAMPLES", "-1"}), kSyntax);
  EXPECT_EQ(RunRaw({"MEMORY", "USAGE", "k", "SAMPLES"}), kSyntax);
  EXPECT_EQ(RunRaw({"MEMORY", "USAGE", "nokey", "SAMPLES", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"MEMORY", "USAGE"}),
            "-ERR wrong number of arguments for 'memory|usage' command\r\n");
  EXPECT_EQ(RunRaw({"MEMORY", "NOPE"}), "-ERR unknown subcommand 'NOPE'. Try MEMORY HELP.\r\n");
  EXPECT_EQ(RunRaw({"MEMORY", "HELP"}).substr(0, 5), "*14\r\n");
}

TEST_F(KeysTest, CommandInfoOfWiredCommands) {
  protocol::Reply info = Run({"COMMAND", "INFO", "getex", "ttl", "flushall", "copy"});
  ASSERT_EQ(info.elements.size(), 4u);
  EXPECT_EQ(info.elements[0].elements[1].integer, -2);  // getex arity
  EXPECT_EQ(info.elements[1].elements[7].elements[0].str, "nondeterministic_output");
  EXPECT_EQ(info.elements[2].elements[1].integer, -1);
  EXPECT_EQ(info.elements[3].elements[4].integer, 2);  // copy's last key
}

}  // namespace
}  // namespace ringkv::server
