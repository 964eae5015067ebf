// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Sorted-set commands through the dispatcher, RESP2 and RESP3. The expected bytes of the
// Expect() lines are Debian's redis-server 7.0.15's replies to the same command sequences
// (captured from it, then kept here), so every reply, error text and OBJECT ENCODING is Redis's.
// What Redis leaves random or differs on purpose is tested by hand at the end: ZRANK/ZREVRANK
// WITHSCORE (7.2), ZSCAN of a large set (a full iteration), ZRANDMEMBER (membership, counts).
#include <map>
#include <set>
#include <string>
#include <vector>

#include "engine/types/limits.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

class ZSetsTest : public CommandTest {
 protected:
  ~ZSetsTest() override {
    engine::Limits().zset_max_listpack_entries = 128;
    engine::Limits().zset_max_listpack_value = 64;
  }

  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }

  void Expect(std::initializer_list<std::string_view> args, std::string_view want) {
    std::string line;
    for (std::string_view a : args) line.append(a).append(" ");
    EXPECT_EQ(RunRaw(args), want) << line;
  }

  // CONFIG SET zset-max-listpack-entries / -value (the test fixture has no config store).
  void SetLimits(int64_t entries, int64_t value) {
    engine::Limits().zset_max_listpack_entries = entries;
    engine::Limits().zset_max_listpack_value = value;
  }

  std::string RunVector(const std::vector<std::string>& args) {
    std::vector<std::string_view> v(args.begin(), args.end());
    Dispatch(context_, client_, encoder_, v);
    std::string bytes = out_.ToString();
    out_.Clear();
    return bytes;
  }

  protocol::Reply Parse(const std::string& bytes) {
    protocol::ReplyParser parser;
    protocol::Reply reply;
    size_t consumed = 0;
    EXPECT_EQ(parser.Parse(bytes, &consumed, &reply), protocol::ParseStatus::kOk) << bytes;
    return reply;
  }

  // ZADD key 0 m0 1 m1 ... (n members from `offset`).
  std::string BigZAdd(std::string_view key, int n, int offset) {
    std::vector<std::string> args = {"ZADD", std::string(key)};
    for (int i = offset; i < offset + n; ++i) {
      args.push_back(std::to_string(i));
      args.push_back("m" + std::to_string(i));
    }
    return RunVector(args);
  }
};

// ---- Generated from redis-server 7.0.15 ---------------------------------------------------------

// ZADD's flags, CH, INCR and its null reply, the reply counts.
TEST_F(ZSetsTest, ZAddOptionsAndOutcomes) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c"}, ":3\r\n");
  Expect({"ZADD", "k", "1", "a", "5", "b", "4", "d"}, ":1\r\n");
  Expect({"ZADD", "k", "CH", "1", "a", "6", "b", "7", "e"}, ":2\r\n");
  Expect({"ZADD", "k", "NX", "100", "a", "8", "f"}, ":1\r\n");
  Expect({"ZADD", "k", "XX", "100", "a", "9", "g"}, ":0\r\n");
  Expect({"ZADD", "k", "XX", "CH", "101", "a", "9", "g"}, ":1\r\n");
  Expect({"ZADD", "k", "GT", "CH", "50", "a", "200", "b"}, ":1\r\n");
  Expect({"ZADD", "k", "LT", "CH", "50", "a", "200", "b"}, ":1\r\n");
  Expect({"ZADD", "k", "GT", "1", "newmember"}, ":1\r\n");
  Expect({"ZADD", "k", "INCR", "5", "a"}, "$2\r\n55\r\n");
  Expect({"ZADD", "k", "INCR", "NX", "5", "a"}, "$-1\r\n");
  Expect({"ZADD", "k", "INCR", "XX", "5", "nope"}, "$-1\r\n");
  Expect({"ZADD", "k", "INCR", "GT", "-1", "a"}, "$-1\r\n");
  Expect({"ZADD", "k", "INCR", "LT", "-1", "a"}, "$2\r\n54\r\n");
  Expect({"ZADD", "k", "incr", "ch", "nx", "3", "h"}, "$1\r\n3\r\n");
  Expect({"ZADD", "k", "xx", "gt", "ch", "1000", "a"}, ":1\r\n");
  Expect({"ZRANGE", "k", "0", "-1", "WITHSCORES"},
         "*16\r\n$9\r\nnewmember\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nh\r\n$1\r\n3\r\n$"
         "1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n7\r\n$1\r\nf\r\n$1\r\n8\r\n$1\r\nb\r\n$"
         "3\r\n200\r\n$1\r\na\r\n$4\r\n1000\r\n");
  Expect({"ZADD", "missing", "XX", "1", "a"}, ":0\r\n");
  Expect({"ZADD", "missing", "XX", "INCR", "1", "a"}, "$-1\r\n");
  Expect({"EXISTS", "missing"}, ":0\r\n");
  Expect({"ZADD", "k", "1", "a", "1", "a", "2", "a"}, ":0\r\n");
  Expect({"ZSCORE", "k", "a"}, "$1\r\n2\r\n");
  Expect({"ZADD", "k", "1.5", "", "2.5", "a b"}, ":2\r\n");
  Expect({"ZRANGE", "k", "0", "2", "WITHSCORES"},
         "*6\r\n$9\r\nnewmember\r\n$1\r\n1\r\n$0\r\n\r\n$3\r\n1.5\r\n$1\r\na\r\n$1\r\n2\r\n");
}

// Option conflicts with Redis's exact texts, pairs, score syntax, WRONGTYPE after parsing.
TEST_F(ZSetsTest, ZAddErrors) {
  Expect({"ZADD", "k", "NX", "XX", "1", "a"},
         "-ERR XX and NX options at the same time are not compatible\r\n");
  Expect({"ZADD", "k", "GT", "LT", "1", "a"},
         "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  Expect({"ZADD", "k", "NX", "GT", "1", "a"},
         "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  Expect({"ZADD", "k", "NX", "LT", "1", "a"},
         "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
  Expect({"ZADD", "k", "XX", "NX", "GT", "1", "a"},
         "-ERR XX and NX options at the same time are not compatible\r\n");
  Expect({"ZADD", "k", "INCR", "1", "a", "2", "b"},
         "-ERR INCR option supports a single increment-element pair\r\n");
  Expect({"ZADD", "k", "1"}, "-ERR wrong number of arguments for 'zadd' command\r\n");
  Expect({"ZADD", "k", "1", "a", "2"}, "-ERR syntax error\r\n");
  Expect({"ZADD", "k", "NX"}, "-ERR wrong number of arguments for 'zadd' command\r\n");
  Expect({"ZADD", "k", "nan", "a"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "1", "a", "nan", "b"}, "-ERR value is not a valid float\r\n");
  Expect({"EXISTS", "k"}, ":0\r\n");
  Expect({"ZADD", "k"}, "-ERR wrong number of arguments for 'zadd' command\r\n");
  Expect({"ZADD", "k", "1"}, "-ERR wrong number of arguments for 'zadd' command\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZADD", "str", "1", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZADD", "str", "x", "a"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "str", "NX", "XX", "1", "a"},
         "-ERR XX and NX options at the same time are not compatible\r\n");
  Expect({"ZINCRBY", "str", "1", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZADD", "k", "FOO", "1", "a"}, "-ERR syntax error\r\n");
}

// strtod's grammar as Redis's string2d takes it, and %.17g replies.
TEST_F(ZSetsTest, ScoreParsing) {
  Expect({"ZADD", "k", "0x10", "hex"}, ":1\r\n");
  Expect({"ZADD", "k", "inf", "i1", "-inf", "i2", "+inf", "i3", "INF", "i4", "Infinity", "i5",
          "-infinity", "i6"},
         ":6\r\n");
  Expect({"ZADD", "k", "1e308", "big", "4e-320", "denormal"}, ":2\r\n");
  Expect({"ZADD", "k", "1e400", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "1e-400", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "-1e400", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "nan", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "-nan", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "NaN", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", " 1", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "1 ", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "1abc", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", ".", "x"}, "-ERR value is not a valid float\r\n");
  Expect({"ZADD", "k", "1.", "p1", ".5", "p2", "+3", "p3", "-0", "nz", "3.0e2", "p4"}, ":5\r\n");
  Expect({"ZADD", "k", "0.1", "a", "0.30000000000000004", "b", "12345678901234567", "c",
          "9007199254740993", "d", "4611686018427387904", "e", "1e17", "f", "123456789.123", "g",
          "-1.5e-7", "h"},
         ":8\r\n");
  Expect(
      {"ZRANGE", "k", "0", "-1", "WITHSCORES"},
      "*44\r\n$2\r\ni2\r\n$4\r\n-inf\r\n$2\r\ni6\r\n$4\r\n-inf\r\n$1\r\nh\r\n$23\r\n-1."
      "4999999999999999e-07\r\n$2\r\nnz\r\n$1\r\n0\r\n$8\r\ndenormal\r\n$22\r\n3.999955468730732e-"
      "320\r\n$1\r\na\r\n$19\r\n0.10000000000000001\r\n$1\r\nb\r\n$19\r\n0.30000000000000004\r\n$"
      "2\r\np2\r\n$3\r\n0.5\r\n$2\r\np1\r\n$1\r\n1\r\n$2\r\np3\r\n$1\r\n3\r\n$3\r\nhex\r\n$"
      "2\r\n16\r\n$2\r\np4\r\n$3\r\n300\r\n$1\r\ng\r\n$13\r\n123456789.123\r\n$1\r\nd\r\n$"
      "16\r\n9007199254740992\r\n$1\r\nc\r\n$17\r\n12345678901234568\r\n$1\r\nf\r\n$5\r\n1e+17\r\n$"
      "1\r\ne\r\n$22\r\n4.6116860184273879e+18\r\n$3\r\nbig\r\n$6\r\n1e+308\r\n$2\r\ni1\r\n$"
      "3\r\ninf\r\n$2\r\ni3\r\n$3\r\ninf\r\n$2\r\ni4\r\n$3\r\ninf\r\n$2\r\ni5\r\n$3\r\ninf\r\n");
  Expect({"ZSCORE", "k", "denormal"}, "$22\r\n3.999955468730732e-320\r\n");
  Expect({"ZSCORE", "k", "nz"}, "$1\r\n0\r\n");
  Expect({"ZINCRBY", "k", "0.2", "a"}, "$19\r\n0.30000000000000004\r\n");
  Expect({"ZINCRBY", "k", "1e308", "big"}, "$3\r\ninf\r\n");
  Expect({"ZINCRBY", "k", "1e308", "big"}, "$3\r\ninf\r\n");
  Expect({"ZSCORE", "k", "big"}, "$3\r\ninf\r\n");
}

// ZINCRBY creates, adds, refuses NaN results and bad increments; it parses ZADD's options.
TEST_F(ZSetsTest, ZIncrBy) {
  Expect({"ZINCRBY", "k", "2", "a"}, "$1\r\n2\r\n");
  Expect({"ZINCRBY", "k", "2.5", "a"}, "$3\r\n4.5\r\n");
  Expect({"ZINCRBY", "k", "-10", "a"}, "$4\r\n-5.5\r\n");
  Expect({"ZINCRBY", "k", "inf", "a"}, "$3\r\ninf\r\n");
  Expect({"ZINCRBY", "k", "-inf", "a"}, "-ERR resulting score is not a number (NaN)\r\n");
  Expect({"ZSCORE", "k", "a"}, "$3\r\ninf\r\n");
  Expect({"ZINCRBY", "k", "abc", "a"}, "-ERR value is not a valid float\r\n");
  Expect({"ZINCRBY", "k", "nan", "a"}, "-ERR value is not a valid float\r\n");
  Expect({"ZINCRBY", "k", "nx", "a"}, "-ERR syntax error\r\n");
  Expect({"ZINCRBY", "k", "1"}, "-ERR wrong number of arguments for 'zincrby' command\r\n");
  Expect({"ZINCRBY", "k", "-0", "z"}, "$2\r\n-0\r\n");
  Expect({"ZSCORE", "k", "z"}, "$1\r\n0\r\n");
}

// RESP3: doubles for INCR and scores, nested pairs with WITHSCORES.
TEST_F(ZSetsTest, ZAddResp3) {
  Resp3();
  Expect({"ZADD", "k", "INCR", "1.5", "a"}, ",1.5\r\n");
  Expect({"ZADD", "k", "INCR", "XX", "1", "nope"}, "_\r\n");
  Expect({"ZADD", "k", "inf", "b", "-inf", "c", "-0", "d"}, ":3\r\n");
  Expect({"ZSCORE", "k", "b"}, ",inf\r\n");
  Expect({"ZSCORE", "k", "c"}, ",-inf\r\n");
  Expect({"ZSCORE", "k", "nope"}, "_\r\n");
  Expect({"ZSCORE", "nokey", "a"}, "_\r\n");
  Expect({"ZMSCORE", "k", "a", "nope", "b"}, "*3\r\n,1.5\r\n_\r\n,inf\r\n");
  Expect({"ZRANGE", "k", "0", "-1", "WITHSCORES"},
         "*4\r\n*2\r\n$1\r\nc\r\n,-inf\r\n*2\r\n$1\r\nd\r\n,0\r\n*2\r\n$1\r\na\r\n,1.5\r\n*2\r\n$"
         "1\r\nb\r\n,inf\r\n");
  Expect({"ZRANGE", "k", "0", "-1"}, "*4\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n");
  Expect({"ZINCRBY", "k", "1e17", "a"}, ",1e+17\r\n");
}

// A listpack stores -0 as the integer 0; a skiplist keeps the sign.
TEST_F(ZSetsTest, NegativeZeroDependsOnTheEncoding) {
  Expect({"ZADD", "lp", "-0", "a"}, ":1\r\n");
  Expect({"ZSCORE", "lp", "a"}, "$1\r\n0\r\n");
  Expect({"ZINCRBY", "lp", "-0", "b"}, "$2\r\n-0\r\n");
  Expect({"ZSCORE", "lp", "b"}, "$1\r\n0\r\n");
  SetLimits(0, 64);
  Expect({"ZADD", "sl", "-0", "a"}, ":1\r\n");
  Expect({"ZSCORE", "sl", "a"}, "$2\r\n-0\r\n");
  Expect({"ZADD", "sl", "0", "a"}, ":0\r\n");
  Expect({"ZSCORE", "sl", "a"}, "$2\r\n-0\r\n");
  Expect({"ZSCAN", "sl", "0"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$2\r\n-0\r\n");
  Expect({"ZUNION", "1", "sl", "WITHSCORES"}, "*2\r\n$1\r\na\r\n$2\r\n-0\r\n");
  Expect({"ZUNION", "1", "lp", "WEIGHTS", "-1", "WITHSCORES"},
         "*4\r\n$1\r\na\r\n$2\r\n-0\r\n$1\r\nb\r\n$2\r\n-0\r\n");
  SetLimits(128, 64);
  Expect({"ZUNIONSTORE", "u", "1", "lp", "WEIGHTS", "-1"}, ":2\r\n");
  Expect({"ZRANGE", "u", "0", "-1", "WITHSCORES"},
         "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n");
}

TEST_F(ZSetsTest, ZRemZCardZScoreZMScore) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c"}, ":3\r\n");
  Expect({"ZREM", "k", "a", "nope", "a"}, ":1\r\n");
  Expect({"ZCARD", "k"}, ":2\r\n");
  Expect({"ZREM", "k", "b", "c", "d"}, ":2\r\n");
  Expect({"EXISTS", "k"}, ":0\r\n");
  Expect({"ZREM", "k", "a"}, ":0\r\n");
  Expect({"ZCARD", "k"}, ":0\r\n");
  Expect({"ZSCORE", "k", "a"}, "$-1\r\n");
  Expect({"ZMSCORE", "k", "a", "b"}, "*2\r\n$-1\r\n$-1\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZREM", "str", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZCARD", "str"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZSCORE", "str", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZMSCORE", "str", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZREM", "k"}, "-ERR wrong number of arguments for 'zrem' command\r\n");
  Expect({"ZCARD"}, "-ERR wrong number of arguments for 'zcard' command\r\n");
  Expect({"ZSCORE", "k"}, "-ERR wrong number of arguments for 'zscore' command\r\n");
  Expect({"ZMSCORE", "k"}, "-ERR wrong number of arguments for 'zmscore' command\r\n");
}

TEST_F(ZSetsTest, ZCountAndZLexCount) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d", "inf", "e", "-inf", "f"}, ":6\r\n");
  Expect({"ZCOUNT", "k", "-inf", "+inf"}, ":6\r\n");
  Expect({"ZCOUNT", "k", "(1", "3"}, ":2\r\n");
  Expect({"ZCOUNT", "k", "1", "(3"}, ":2\r\n");
  Expect({"ZCOUNT", "k", "(1", "(1"}, ":0\r\n");
  Expect({"ZCOUNT", "k", "3", "1"}, ":0\r\n");
  Expect({"ZCOUNT", "k", "(-inf", "(inf"}, ":4\r\n");
  Expect({"ZCOUNT", "k", "", "10"}, ":4\r\n");
  Expect({"ZCOUNT", "k", " 2", "10"}, ":3\r\n");
  Expect({"ZCOUNT", "k", "(", "10"}, ":4\r\n");
  Expect({"ZCOUNT", "k", "1e400", "+inf"}, ":1\r\n");
  Expect({"ZCOUNT", "k", "a", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZCOUNT", "k", "nan", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZCOUNT", "k", "(nan", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZCOUNT", "k", "1", "1x"}, "-ERR min or max is not a float\r\n");
  Expect({"ZCOUNT", "nokey", "0", "1"}, ":0\r\n");
  Expect({"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"}, ":4\r\n");
  Expect({"ZLEXCOUNT", "l", "-", "+"}, ":4\r\n");
  Expect({"ZLEXCOUNT", "l", "[b", "[c"}, ":2\r\n");
  Expect({"ZLEXCOUNT", "l", "(b", "[c"}, ":1\r\n");
  Expect({"ZLEXCOUNT", "l", "(b", "(c"}, ":0\r\n");
  Expect({"ZLEXCOUNT", "l", "+", "-"}, ":0\r\n");
  Expect({"ZLEXCOUNT", "l", "-", "-"}, ":0\r\n");
  Expect({"ZLEXCOUNT", "l", "[", "+"}, ":4\r\n");
  Expect({"ZLEXCOUNT", "l", "(", "+"}, ":4\r\n");
  Expect({"ZLEXCOUNT", "l", "a", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZLEXCOUNT", "l", "", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZLEXCOUNT", "l", "+x", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZLEXCOUNT", "l", "-", "-x"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZLEXCOUNT", "nokey", "-", "+"}, ":0\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZCOUNT", "str", "0", "1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZLEXCOUNT", "str", "-", "+"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZCOUNT", "str", "a", "b"}, "-ERR min or max is not a float\r\n");
}

// Redis's index sanitizing, both directions, both protocols.
TEST_F(ZSetsTest, ZRangeByRank) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e"}, ":5\r\n");
  Expect({"ZRANGE", "k", "0", "-1"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "k", "1", "3", "WITHSCORES"},
         "*6\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
  Expect({"ZRANGE", "k", "-2", "-1"}, "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "k", "-100", "100"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "k", "3", "1"}, "*0\r\n");
  Expect({"ZRANGE", "k", "5", "10"}, "*0\r\n");
  Expect({"ZRANGE", "k", "-1", "-100"}, "*0\r\n");
  Expect({"ZRANGE", "k", "0", "0", "REV"}, "*1\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "k", "0", "1", "REV", "WITHSCORES"},
         "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n");
  Expect({"ZREVRANGE", "k", "0", "1", "WITHSCORES"},
         "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n");
  Expect({"ZREVRANGE", "k", "-1", "-1"}, "*1\r\n$1\r\na\r\n");
  Expect({"ZRANGE", "k", "a", "1"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGE", "k", "0", "1.5"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGE", "k", "0", "9223372036854775807"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "k", "-9223372036854775808", "-1"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGE", "nokey", "0", "-1"}, "*0\r\n");
  Expect({"ZREVRANGE", "k", "0", "-1", "REV"}, "-ERR syntax error\r\n");
  Expect({"ZREVRANGE", "k", "0", "-1", "BYSCORE"}, "-ERR syntax error\r\n");
  Expect(
      {"ZREVRANGE", "k", "0", "-1", "LIMIT", "0", "1"},
      "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
  Expect(
      {"ZRANGE", "k", "0", "-1", "LIMIT", "0", "1"},
      "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
  Expect({"ZRANGE", "k", "0", "-1", "FOO"}, "-ERR syntax error\r\n");
  Expect({"ZRANGE", "k", "0", "-1", "WITHSCORES", "WITHSCORES"},
         "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$"
         "1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZRANGE", "str", "0", "-1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZRANGE", "str", "a", "b"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGE", "k", "0"}, "-ERR wrong number of arguments for 'zrange' command\r\n");
}

TEST_F(ZSetsTest, ZRangeByRankResp3) {
  Resp3();
  Expect({"ZADD", "k", "1", "a", "2.5", "b", "inf", "c"}, ":3\r\n");
  Expect({"ZRANGE", "k", "0", "-1", "WITHSCORES"},
         "*3\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\nc\r\n,inf\r\n");
  Expect({"ZREVRANGE", "k", "0", "-1", "WITHSCORES"},
         "*3\r\n*2\r\n$1\r\nc\r\n,inf\r\n*2\r\n$1\r\nb\r\n,2.5\r\n*2\r\n$1\r\na\r\n,1\r\n");
  Expect({"ZRANGE", "k", "0", "-1"}, "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  Expect({"ZRANGE", "nokey", "0", "-1", "WITHSCORES"}, "*0\r\n");
}

// Bounds, LIMIT (negative offset: nothing; negative count: all), REV's max-min order.
TEST_F(ZSetsTest, ZRangeByScore) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "-inf", "f", "inf", "g"},
         ":7\r\n");
  Expect({"ZRANGEBYSCORE", "k", "-inf", "+inf"},
         "*7\r\n$1\r\nf\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\ng\r\n");
  Expect({"ZRANGEBYSCORE", "k", "(1", "(4", "WITHSCORES"},
         "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "1", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "1", "-1"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "-1", "2"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "0", "0"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "7", "1"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "k", "2", "4", "LIMIT", "3", "5"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "k", "4", "2"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "k", "inf", "inf"}, "*1\r\n$1\r\ng\r\n");
  Expect({"ZRANGEBYSCORE", "k", "(inf", "inf"}, "*0\r\n");
  Expect({"ZREVRANGEBYSCORE", "k", "4", "2", "WITHSCORES"},
         "*6\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n");
  Expect({"ZREVRANGEBYSCORE", "k", "2", "4"}, "*0\r\n");
  Expect({"ZREVRANGEBYSCORE", "k", "+inf", "-inf", "LIMIT", "1", "3"},
         "*3\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n");
  Expect({"ZREVRANGEBYSCORE", "k", "(5", "(1", "LIMIT", "1", "-5"}, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
  Expect({"ZRANGE", "k", "2", "4", "BYSCORE", "REV"}, "*0\r\n");
  Expect({"ZRANGE", "k", "4", "2", "BYSCORE", "REV", "LIMIT", "1", "1", "WITHSCORES"},
         "*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"ZRANGE", "k", "(2", "+inf", "BYSCORE", "LIMIT", "1", "10"},
         "*3\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\ng\r\n");
  Expect({"ZRANGEBYSCORE", "k", "a", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "LIMIT"}, "-ERR syntax error\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "LIMIT", "1"}, "-ERR syntax error\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "LIMIT", "a", "1"},
         "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "LIMIT", "1", "a"},
         "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "REV"}, "-ERR syntax error\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "BYLEX"}, "-ERR syntax error\r\n");
  Expect({"ZRANGEBYSCORE", "k", "1", "2", "WITHSCORES", "LIMIT", "0", "1", "WITHSCORES"},
         "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"ZRANGEBYSCORE", "nokey", "1", "2"}, "*0\r\n");
  Expect({"ZRANGEBYSCORE", "nokey", "a", "2"}, "-ERR min or max is not a float\r\n");
}

// Lex bounds and Redis's listpack walk, which also runs when scores differ.
TEST_F(ZSetsTest, ZRangeByLex) {
  Expect({"ZADD", "k", "0", "a", "0", "b", "0", "c", "0", "d", "0", "e"}, ":5\r\n");
  Expect({"ZRANGEBYLEX", "k", "-", "+"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGEBYLEX", "k", "[b", "(d"}, "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
  Expect({"ZRANGEBYLEX", "k", "(b", "[d", "LIMIT", "1", "5"}, "*1\r\n$1\r\nd\r\n");
  Expect({"ZRANGEBYLEX", "k", "-", "+", "LIMIT", "-1", "1"}, "*0\r\n");
  Expect({"ZRANGEBYLEX", "k", "-", "+", "LIMIT", "1", "-1"},
         "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGEBYLEX", "k", "+", "-"}, "*0\r\n");
  Expect({"ZREVRANGEBYLEX", "k", "+", "-"},
         "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
  Expect({"ZREVRANGEBYLEX", "k", "[d", "(a", "LIMIT", "1", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nb\r\n");
  Expect({"ZREVRANGEBYLEX", "k", "-", "+"}, "*0\r\n");
  Expect({"ZRANGE", "k", "[b", "[d", "BYLEX"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZRANGE", "k", "[d", "[b", "BYLEX", "REV"}, "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n");
  Expect({"ZRANGE", "k", "-", "+", "BYLEX", "LIMIT", "2", "2"}, "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZRANGE", "k", "-", "+", "BYLEX", "WITHSCORES"},
         "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
  Expect({"ZRANGEBYLEX", "k", "-", "+", "WITHSCORES"},
         "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
  Expect({"ZRANGEBYLEX", "k", "a", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZRANGEBYLEX", "k", "-", "b"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZRANGEBYLEX", "k", "", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZRANGEBYLEX", "k", "[", "+"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGEBYLEX", "k", "(", "+"},
         "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
  Expect({"ZRANGEBYLEX", "nokey", "-", "+"}, "*0\r\n");
  Expect({"ZRANGEBYLEX", "nokey", "x", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZADD", "m", "1", "c", "2", "a", "3", "d", "4", "b"}, ":4\r\n");
  Expect({"ZRANGEBYLEX", "m", "[b", "[c"}, "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
  Expect({"ZREVRANGEBYLEX", "m", "[c", "[b"}, "*2\r\n$1\r\nb\r\n$1\r\nd\r\n");
  Expect({"ZLEXCOUNT", "m", "[b", "[c"}, ":2\r\n");
  Expect({"ZRANGEBYLEX", "m", "[a", "[b"}, "*0\r\n");
  Expect({"ZREVRANGEBYLEX", "m", "+", "[b"}, "*2\r\n$1\r\nb\r\n$1\r\nd\r\n");
}

// ZRANGE's option rules and their error texts.
TEST_F(ZSetsTest, ZRangeOptionErrors) {
  Expect({"ZADD", "k", "1", "a", "2", "b"}, ":2\r\n");
  Expect(
      {"ZRANGE", "k", "0", "-1", "LIMIT", "0", "1"},
      "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
  Expect({"ZRANGE", "k", "-", "+", "BYLEX", "WITHSCORES"},
         "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
  Expect({"ZRANGE", "k", "0", "1", "BYSCORE", "BYLEX"}, "-ERR syntax error\r\n");
  Expect({"ZRANGE", "k", "0", "1", "BYSCORE", "BYSCORE"}, "-ERR syntax error\r\n");
  Expect({"ZRANGE", "k", "0", "1", "REV", "REV"}, "-ERR syntax error\r\n");
  Expect({"ZRANGE", "k", "0", "1", "BYSCORE", "LIMIT", "0"}, "-ERR syntax error\r\n");
  Expect({"ZRANGE", "k", "0", "1", "BYSCORE", "LIMIT", "x", "1"},
         "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGE", "k", "a", "b", "BYSCORE"}, "-ERR min or max is not a float\r\n");
  Expect({"ZRANGE", "k", "a", "b", "BYLEX"}, "-ERR min or max not valid string range item\r\n");
  Expect({"ZRANGE", "k", "a", "b"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANGE", "k", "(0", "(5", "byscore", "withscores", "limit", "0", "10", "rev"}, "*0\r\n");
  Expect({"ZRANGE", "k", "5", "0", "byscore", "withscores", "limit", "0", "10", "rev"},
         "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

// Stores with Redis's encodings; an empty result deletes the destination.
TEST_F(ZSetsTest, ZRangeStore) {
  Expect({"ZADD", "src", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n");
  Expect({"SET", "dst", "old", "EX", "100"}, "+OK\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "0", "1"}, ":2\r\n");
  Expect({"TTL", "dst"}, ":-1\r\n");
  Expect({"TYPE", "dst"}, "+zset\r\n");
  Expect({"ZRANGE", "dst", "0", "-1", "WITHSCORES"},
         "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  Expect({"OBJECT", "ENCODING", "dst"}, "$8\r\nlistpack\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "(1", "3", "BYSCORE"}, ":2\r\n");
  Expect({"ZRANGE", "dst", "0", "-1", "WITHSCORES"},
         "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "3", "(1", "BYSCORE", "REV", "LIMIT", "0", "1"}, ":1\r\n");
  Expect({"ZRANGE", "dst", "0", "-1", "WITHSCORES"}, "*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "[b", "+", "BYLEX"}, ":3\r\n");
  Expect({"ZRANGE", "dst", "0", "-1"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "5", "10"}, ":0\r\n");
  Expect({"EXISTS", "dst"}, ":0\r\n");
  Expect({"ZRANGESTORE", "dst", "nokey", "0", "-1"}, ":0\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "0", "-1", "WITHSCORES"}, "-ERR syntax error\r\n");
  Expect(
      {"ZRANGESTORE", "dst", "src", "0", "-1", "LIMIT", "0", "1"},
      "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZRANGESTORE", "dst", "str", "0", "-1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZRANGESTORE", "str", "src", "0", "0"}, ":1\r\n");
  Expect({"TYPE", "str"}, "+zset\r\n");
  Expect({"ZRANGESTORE", "src", "src", "1", "2"}, ":2\r\n");
  Expect({"ZRANGE", "src", "0", "-1", "WITHSCORES"},
         "*4\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"ZRANGESTORE", "dst", "src", "0"},
         "-ERR wrong number of arguments for 'zrangestore' command\r\n");
}

TEST_F(ZSetsTest, ZRemRanges) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d", "5", "e", "6", "f"}, ":6\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "0", "0"}, ":1\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "-2", "-1"}, ":2\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "5", "10"}, ":0\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "2", "1"}, ":0\r\n");
  Expect({"ZRANGE", "k", "0", "-1"}, "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
  Expect({"ZREMRANGEBYSCORE", "k", "(2", "3"}, ":1\r\n");
  Expect({"ZREMRANGEBYSCORE", "k", "10", "20"}, ":0\r\n");
  Expect({"ZRANGE", "k", "0", "-1"}, "*2\r\n$1\r\nb\r\n$1\r\nd\r\n");
  Expect({"ZADD", "l", "0", "a", "0", "b", "0", "c", "0", "d"}, ":4\r\n");
  Expect({"ZREMRANGEBYLEX", "l", "[b", "(d"}, ":2\r\n");
  Expect({"ZRANGE", "l", "0", "-1"}, "*2\r\n$1\r\na\r\n$1\r\nd\r\n");
  Expect({"ZREMRANGEBYLEX", "l", "-", "+"}, ":2\r\n");
  Expect({"EXISTS", "l"}, ":0\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "0", "-1"}, ":2\r\n");
  Expect({"EXISTS", "k"}, ":0\r\n");
  Expect({"ZREMRANGEBYRANK", "nokey", "0", "-1"}, ":0\r\n");
  Expect({"ZREMRANGEBYSCORE", "nokey", "0", "1"}, ":0\r\n");
  Expect({"ZREMRANGEBYLEX", "nokey", "-", "+"}, ":0\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "a", "1"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "1", "1.5"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZREMRANGEBYSCORE", "k", "a", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZREMRANGEBYLEX", "k", "a", "+"}, "-ERR min or max not valid string range item\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZREMRANGEBYRANK", "str", "0", "1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZREMRANGEBYSCORE", "str", "0", "1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZREMRANGEBYLEX", "str", "-", "+"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZREMRANGEBYSCORE", "str", "x", "1"}, "-ERR min or max is not a float\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "0"},
         "-ERR wrong number of arguments for 'zremrangebyrank' command\r\n");
}

// The 7.0 forms; WITHSCORE (7.2) is tested separately.
TEST_F(ZSetsTest, ZRankZRevRank) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c"}, ":3\r\n");
  Expect({"ZRANK", "k", "a"}, ":0\r\n");
  Expect({"ZRANK", "k", "c"}, ":2\r\n");
  Expect({"ZREVRANK", "k", "a"}, ":2\r\n");
  Expect({"ZRANK", "k", "nope"}, "$-1\r\n");
  Expect({"ZRANK", "nokey", "a"}, "$-1\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZRANK", "str", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZREVRANK", "str", "a"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZRANK", "k"}, "-ERR wrong number of arguments for 'zrank' command\r\n");
}

// ZPOPMIN/ZPOPMAX with and without COUNT.
TEST_F(ZSetsTest, ZPops) {
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n");
  Expect({"ZPOPMIN", "k"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"ZPOPMAX", "k"}, "*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
  Expect({"ZPOPMIN", "k", "1"}, "*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  Expect({"ZPOPMAX", "k", "0"}, "*0\r\n");
  Expect({"ZPOPMAX", "k", "10"}, "*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  Expect({"EXISTS", "k"}, ":0\r\n");
  Expect({"ZPOPMIN", "k"}, "*0\r\n");
  Expect({"ZPOPMIN", "k", "3"}, "*0\r\n");
  Expect({"ZPOPMIN", "k", "-1"}, "-ERR value is out of range, must be positive\r\n");
  Expect({"ZPOPMIN", "k", "x"}, "-ERR value is out of range, must be positive\r\n");
  Expect({"ZPOPMIN", "k", "1", "2"}, "-ERR syntax error\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZPOPMIN", "str"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZPOPMIN", "str", "0"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZPOPMIN", "str", "-1"}, "-ERR value is out of range, must be positive\r\n");
  Expect({"ZPOPMIN"}, "-ERR wrong number of arguments for 'zpopmin' command\r\n");
}

// RESP3 nests the pairs only when a count was given.
TEST_F(ZSetsTest, ZPopsResp3) {
  Resp3();
  Expect({"ZADD", "k", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n");
  Expect({"ZPOPMIN", "k"}, "*2\r\n$1\r\na\r\n,1\r\n");
  Expect({"ZPOPMIN", "k", "1"}, "*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
  Expect({"ZPOPMAX", "k", "2"}, "*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n");
  Expect({"ZPOPMIN", "nokey"}, "*0\r\n");
  Expect({"ZPOPMIN", "nokey", "2"}, "*0\r\n");
}

TEST_F(ZSetsTest, ZMPop) {
  Expect({"ZADD", "k1", "1", "a", "2", "b", "3", "c"}, ":3\r\n");
  Expect({"ZADD", "k2", "10", "x"}, ":1\r\n");
  Expect({"ZMPOP", "2", "nokey", "k1", "MIN"},
         "*2\r\n$2\r\nk1\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"ZMPOP", "2", "k1", "k2", "MAX", "COUNT", "5"},
         "*2\r\n$2\r\nk1\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  Expect({"ZMPOP", "2", "k1", "k2", "max", "count", "5"},
         "*2\r\n$2\r\nk2\r\n*1\r\n*2\r\n$1\r\nx\r\n$2\r\n10\r\n");
  Expect({"ZMPOP", "2", "k1", "k2", "MIN"}, "*-1\r\n");
  Expect({"ZMPOP", "1", "nokey", "MIN"}, "*-1\r\n");
  Expect({"ZMPOP", "0", "k1", "MIN"}, "-ERR numkeys should be greater than 0\r\n");
  Expect({"ZMPOP", "-1", "k1", "MIN"}, "-ERR numkeys should be greater than 0\r\n");
  Expect({"ZMPOP", "x", "k1", "MIN"}, "-ERR numkeys should be greater than 0\r\n");
  Expect({"ZMPOP", "3", "k1", "k2", "MIN"}, "-ERR syntax error\r\n");
  Expect({"ZMPOP", "1", "k1", "MID"}, "-ERR syntax error\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "COUNT", "0"}, "-ERR count should be greater than 0\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "COUNT", "-1"}, "-ERR count should be greater than 0\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "COUNT", "x"}, "-ERR count should be greater than 0\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "COUNT", "1", "COUNT", "1"}, "-ERR syntax error\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "COUNT"}, "-ERR syntax error\r\n");
  Expect({"ZMPOP", "1", "k1", "MIN", "FOO"}, "-ERR syntax error\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZMPOP", "2", "nokey", "str", "MIN"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZMPOP", "1", "k1"}, "-ERR wrong number of arguments for 'zmpop' command\r\n");
}

TEST_F(ZSetsTest, ZMPopResp3) {
  Resp3();
  Expect({"ZADD", "k", "1", "a", "2", "b"}, ":2\r\n");
  Expect({"ZMPOP", "1", "k", "MIN", "COUNT", "1"},
         "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\na\r\n,1\r\n");
  Expect({"ZMPOP", "1", "k", "MAX"}, "*2\r\n$1\r\nk\r\n*1\r\n*2\r\n$1\r\nb\r\n,2\r\n");
  Expect({"ZMPOP", "1", "k", "MAX"}, "_\r\n");
}

// ZUNION/ZINTER/ZDIFF: WEIGHTS, AGGREGATE, inf arithmetic, and plain sets (score 1) as inputs.
TEST_F(ZSetsTest, SetOperations) {
  Expect({"ZADD", "a", "1", "x", "2", "y", "3", "z"}, ":3\r\n");
  Expect({"ZADD", "b", "10", "y", "20", "z", "30", "w"}, ":3\r\n");
  Expect({"SADD", "s", "y", "w", "q"}, ":3\r\n");
  Expect({"ZUNION", "2", "a", "b", "WITHSCORES"},
         "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n$1\r\nw\r\n$"
         "2\r\n30\r\n");
  Expect({"ZUNION", "2", "a", "b"}, "*4\r\n$1\r\nx\r\n$1\r\ny\r\n$1\r\nz\r\n$1\r\nw\r\n");
  Expect({"ZUNION", "2", "a", "b", "WEIGHTS", "2", "0.5", "WITHSCORES"},
         "*8\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\ny\r\n$1\r\n9\r\n$1\r\nw\r\n$2\r\n15\r\n$1\r\nz\r\n$"
         "2\r\n16\r\n");
  Expect({"ZUNION", "2", "a", "b", "AGGREGATE", "MIN", "WITHSCORES"},
         "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\nw\r\n$"
         "2\r\n30\r\n");
  Expect({"ZUNION", "2", "a", "b", "AGGREGATE", "max", "WITHSCORES"},
         "*8\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n10\r\n$1\r\nz\r\n$2\r\n20\r\n$1\r\nw\r\n$"
         "2\r\n30\r\n");
  Expect({"ZINTER", "2", "a", "b", "WITHSCORES"},
         "*4\r\n$1\r\ny\r\n$2\r\n12\r\n$1\r\nz\r\n$2\r\n23\r\n");
  Expect({"ZINTER", "3", "a", "b", "s", "WITHSCORES"}, "*2\r\n$1\r\ny\r\n$2\r\n13\r\n");
  Expect({"ZUNION", "3", "a", "b", "s", "WITHSCORES"},
         "*10\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$2\r\n13\r\n$1\r\nz\r\n$"
         "2\r\n23\r\n$1\r\nw\r\n$2\r\n31\r\n");
  Expect({"ZDIFF", "2", "a", "b", "WITHSCORES"}, "*2\r\n$1\r\nx\r\n$1\r\n1\r\n");
  Expect({"ZDIFF", "2", "b", "s", "WITHSCORES"}, "*2\r\n$1\r\nz\r\n$2\r\n20\r\n");
  Expect({"ZDIFF", "1", "s", "WITHSCORES"},
         "*6\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n1\r\n");
  Expect({"ZDIFF", "2", "s", "a", "WITHSCORES"},
         "*4\r\n$1\r\nq\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n");
  Expect({"ZDIFF", "2", "a", "a"}, "*0\r\n");
  Expect({"ZINTER", "2", "a", "a", "WEIGHTS", "1", "2", "WITHSCORES"},
         "*6\r\n$1\r\nx\r\n$1\r\n3\r\n$1\r\ny\r\n$1\r\n6\r\n$1\r\nz\r\n$1\r\n9\r\n");
  Expect({"ZUNION", "2", "a", "nokey", "WITHSCORES"},
         "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\ny\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n3\r\n");
  Expect({"ZINTER", "2", "a", "nokey", "WITHSCORES"}, "*0\r\n");
  Expect({"ZADD", "i", "1", "p"}, ":1\r\n");
  Expect({"ZADD", "j", "-1", "p"}, ":1\r\n");
  Expect({"ZUNION", "2", "i", "j", "WEIGHTS", "inf", "inf", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$1\r\n0\r\n");
  Expect({"ZUNION", "2", "i", "j", "WEIGHTS", "0", "0", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$1\r\n0\r\n");
  Expect({"ZUNION", "2", "i", "j", "WEIGHTS", "inf", "0", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$3\r\ninf\r\n");
  Expect({"ZINTER", "2", "i", "j", "WEIGHTS", "inf", "inf", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$1\r\n0\r\n");
  Expect({"ZINTER", "2", "i", "j", "WEIGHTS", "inf", "-inf", "AGGREGATE", "MIN", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$3\r\ninf\r\n");
  Expect({"ZINTER", "2", "i", "j", "WEIGHTS", "inf", "-inf", "AGGREGATE", "MAX", "WITHSCORES"},
         "*2\r\n$1\r\np\r\n$3\r\ninf\r\n");
}

// numkeys, WEIGHTS/AGGREGATE/WITHSCORES/LIMIT placement, WRONGTYPE before option errors.
TEST_F(ZSetsTest, SetOperationErrors) {
  Expect({"ZADD", "a", "1", "x"}, ":1\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZUNION", "0", "a"}, "-ERR at least 1 input key is needed for 'zunion' command\r\n");
  Expect({"ZUNION", "-1", "a"}, "-ERR at least 1 input key is needed for 'zunion' command\r\n");
  Expect({"ZUNION", "x", "a"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZUNION", "2", "a"}, "-ERR syntax error\r\n");
  Expect({"ZUNIONSTORE", "d", "0", "a"},
         "-ERR at least 1 input key is needed for 'zunionstore' command\r\n");
  Expect({"ZINTERSTORE", "d", "3", "a"}, "-ERR syntax error\r\n");
  Expect({"ZDIFFSTORE", "d", "0", "a"},
         "-ERR at least 1 input key is needed for 'zdiffstore' command\r\n");
  Expect({"ZINTERCARD", "0", "a"},
         "-ERR at least 1 input key is needed for 'zintercard' command\r\n");
  Expect({"ZUNION", "1", "a", "WEIGHTS"}, "-ERR syntax error\r\n");
  Expect({"ZUNION", "1", "a", "WEIGHTS", "x"}, "-ERR weight value is not a float\r\n");
  Expect({"ZUNION", "1", "a", "WEIGHTS", "nan"}, "-ERR weight value is not a float\r\n");
  Expect({"ZUNION", "1", "a", "WEIGHTS", "1", "2"}, "-ERR syntax error\r\n");
  Expect({"ZUNION", "1", "a", "AGGREGATE"}, "-ERR syntax error\r\n");
  Expect({"ZUNION", "1", "a", "AGGREGATE", "avg"}, "-ERR syntax error\r\n");
  Expect({"ZUNION", "1", "a", "FOO"}, "-ERR syntax error\r\n");
  Expect({"ZUNIONSTORE", "d", "1", "a", "WITHSCORES"}, "-ERR syntax error\r\n");
  Expect({"ZDIFF", "1", "a", "WEIGHTS", "1"}, "-ERR syntax error\r\n");
  Expect({"ZDIFF", "1", "a", "AGGREGATE", "SUM"}, "-ERR syntax error\r\n");
  Expect({"ZINTER", "1", "a", "LIMIT", "1"}, "-ERR syntax error\r\n");
  Expect({"ZINTERCARD", "1", "a", "WITHSCORES"}, "-ERR syntax error\r\n");
  Expect({"ZINTERCARD", "1", "a", "WEIGHTS", "1"}, "-ERR syntax error\r\n");
  Expect({"ZUNION", "2", "a", "str"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZUNION", "2", "str", "a", "WEIGHTS", "x"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZUNIONSTORE", "d", "2", "a", "str"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZUNION"}, "-ERR wrong number of arguments for 'zunion' command\r\n");
  Expect({"ZUNIONSTORE", "d"}, "-ERR wrong number of arguments for 'zunionstore' command\r\n");
}

TEST_F(ZSetsTest, SetOperationsResp3) {
  Resp3();
  Expect({"ZADD", "a", "1", "x", "2", "y"}, ":2\r\n");
  Expect({"ZADD", "b", "3", "y"}, ":1\r\n");
  Expect({"ZUNION", "2", "a", "b", "WITHSCORES"},
         "*2\r\n*2\r\n$1\r\nx\r\n,1\r\n*2\r\n$1\r\ny\r\n,5\r\n");
  Expect({"ZINTER", "2", "a", "b", "WITHSCORES"}, "*1\r\n*2\r\n$1\r\ny\r\n,5\r\n");
  Expect({"ZDIFF", "2", "a", "b", "WITHSCORES"}, "*1\r\n*2\r\n$1\r\nx\r\n,1\r\n");
  Expect({"ZUNION", "2", "a", "b"}, "*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
}

// Z*STORE replace any value (TTL included), and an empty result deletes the key.
TEST_F(ZSetsTest, StoreOperations) {
  Expect({"ZADD", "a", "1", "x", "2", "y", "3", "z"}, ":3\r\n");
  Expect({"ZADD", "b", "10", "y"}, ":1\r\n");
  Expect({"SET", "d", "old", "EX", "100"}, "+OK\r\n");
  Expect({"ZUNIONSTORE", "d", "2", "a", "b"}, ":3\r\n");
  Expect({"TTL", "d"}, ":-1\r\n");
  Expect({"ZRANGE", "d", "0", "-1", "WITHSCORES"},
         "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\ny\r\n$2\r\n12\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  Expect({"ZINTERSTORE", "d", "2", "a", "b", "WEIGHTS", "1", "-1"}, ":1\r\n");
  Expect({"ZRANGE", "d", "0", "-1", "WITHSCORES"}, "*2\r\n$1\r\ny\r\n$2\r\n-8\r\n");
  Expect({"ZDIFFSTORE", "d", "2", "a", "b"}, ":2\r\n");
  Expect({"ZRANGE", "d", "0", "-1", "WITHSCORES"},
         "*4\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\nz\r\n$1\r\n3\r\n");
  Expect({"ZINTERSTORE", "d", "2", "a", "nokey"}, ":0\r\n");
  Expect({"EXISTS", "d"}, ":0\r\n");
  Expect({"ZUNIONSTORE", "a", "2", "a", "b"}, ":3\r\n");
  Expect({"ZRANGE", "a", "0", "-1", "WITHSCORES"},
         "*6\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\nz\r\n$1\r\n3\r\n$1\r\ny\r\n$2\r\n12\r\n");
  Expect({"SADD", "s", "q"}, ":1\r\n");
  Expect({"ZUNIONSTORE", "s", "1", "s"}, ":1\r\n");
  Expect({"TYPE", "s"}, "+zset\r\n");
  Expect({"ZRANGE", "s", "0", "-1", "WITHSCORES"}, "*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
}

TEST_F(ZSetsTest, ZInterCard) {
  Expect({"ZADD", "a", "1", "x", "2", "y", "3", "z"}, ":3\r\n");
  Expect({"ZADD", "b", "1", "x", "2", "y", "3", "z", "4", "w"}, ":4\r\n");
  Expect({"SADD", "s", "x", "y"}, ":2\r\n");
  Expect({"ZINTERCARD", "2", "a", "b"}, ":3\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "2"}, ":2\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "0"}, ":3\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "100"}, ":3\r\n");
  Expect({"ZINTERCARD", "3", "a", "b", "s"}, ":2\r\n");
  Expect({"ZINTERCARD", "2", "a", "nokey"}, ":0\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "-1"}, "-ERR LIMIT can't be negative\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "x"}, "-ERR LIMIT can't be negative\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT"}, "-ERR syntax error\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "2"}, ":2\r\n");
}

// The listpack limits as Redis 7.0 applies them, never converting back by themselves.
TEST_F(ZSetsTest, EncodingConversions) {
  ASSERT_EQ(BigZAdd("big", 128, 0), ":128\r\n");
  Expect({"OBJECT", "ENCODING", "big"}, "$8\r\nlistpack\r\n");
  Expect({"ZADD", "big", "128", "m128"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "big"}, "$8\r\nskiplist\r\n");
  Expect({"ZREMRANGEBYRANK", "big", "0", "120"}, ":121\r\n");
  Expect({"OBJECT", "ENCODING", "big"}, "$8\r\nskiplist\r\n");
  Expect({"ZRANGESTORE", "d", "big", "0", "-1"}, ":8\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  Expect({"ZUNIONSTORE", "d", "1", "big"}, ":8\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  ASSERT_EQ(BigZAdd("big2", 200, 0), ":200\r\n");
  Expect({"ZRANGESTORE", "d", "big2", "0", "127"}, ":128\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  Expect({"ZRANGESTORE", "d", "big2", "0", "128"}, ":129\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n");
  Expect({"ZRANGESTORE", "d", "big2", "0", "+inf", "BYSCORE", "LIMIT", "0", "129"}, ":129\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n");
  Expect({"ZINTERSTORE", "d", "2", "big2", "big"}, ":8\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  Expect({"ZDIFFSTORE", "d", "2", "big2", "big"}, ":192\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n");
  Expect({"ZADD", "lv", "1", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"},
         ":1\r\n");
  Expect({"OBJECT", "ENCODING", "lv"}, "$8\r\nlistpack\r\n");
  Expect({"ZADD", "lv", "2", "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"},
         ":1\r\n");
  Expect({"OBJECT", "ENCODING", "lv"}, "$8\r\nskiplist\r\n");
  Expect({"ZRANGESTORE", "d", "lv", "0", "0"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nlistpack\r\n");
  Expect({"ZRANGESTORE", "d", "lv", "0", "-1"}, ":2\r\n");
  Expect({"OBJECT", "ENCODING", "d"}, "$8\r\nskiplist\r\n");
  SetLimits(4, 64);
  Expect({"ZADD", "c", "1", "a", "2", "b", "3", "c", "4", "d"}, ":4\r\n");
  Expect({"OBJECT", "ENCODING", "c"}, "$8\r\nlistpack\r\n");
  Expect({"ZADD", "c", "1", "a", "2", "b"}, ":0\r\n");
  Expect({"OBJECT", "ENCODING", "c"}, "$8\r\nlistpack\r\n");
  Expect({"ZADD", "c", "5", "e"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c"}, "$8\r\nskiplist\r\n");
  Expect({"ZADD", "c2", "1", "a", "1", "a", "1", "a", "1", "a", "1", "a", "1", "a"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c2"}, "$8\r\nlistpack\r\n");
  SetLimits(0, 64);
  Expect({"ZADD", "c3", "1", "a"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c3"}, "$8\r\nskiplist\r\n");
  Expect({"ZUNIONSTORE", "c4", "1", "c2"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c4"}, "$8\r\nskiplist\r\n");
  SetLimits(128, 0);
  Expect({"ZADD", "c5", "1", ""}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c5"}, "$8\r\nlistpack\r\n");
  Expect({"ZADD", "c5", "1", "a"}, ":1\r\n");
  Expect({"OBJECT", "ENCODING", "c5"}, "$8\r\nskiplist\r\n");
  SetLimits(128, 64);
  Expect({"ZRANGE", "big", "0", "-1", "WITHSCORES"},
         "*16\r\n$4\r\nm121\r\n$3\r\n121\r\n$4\r\nm122\r\n$3\r\n122\r\n$4\r\nm123\r\n$3\r\n123\r\n$"
         "4\r\nm124\r\n$3\r\n124\r\n$4\r\nm125\r\n$3\r\n125\r\n$4\r\nm126\r\n$3\r\n126\r\n$"
         "4\r\nm127\r\n$3\r\n127\r\n$4\r\nm128\r\n$3\r\n128\r\n");
  Expect({"ZCOUNT", "big2", "(10", "20"}, ":10\r\n");
  Expect({"ZRANGEBYSCORE", "big2", "(10", "20", "LIMIT", "2", "3"},
         "*3\r\n$3\r\nm13\r\n$3\r\nm14\r\n$3\r\nm15\r\n");
  Expect({"ZREVRANGEBYSCORE", "big2", "20", "(10", "LIMIT", "2", "3", "WITHSCORES"},
         "*6\r\n$3\r\nm18\r\n$2\r\n18\r\n$3\r\nm17\r\n$2\r\n17\r\n$3\r\nm16\r\n$2\r\n16\r\n");
  Expect({"ZRANK", "big2", "m150"}, ":150\r\n");
  Expect({"ZREVRANK", "big2", "m150"}, ":49\r\n");
  Expect({"ZRANGE", "big2", "150", "152", "WITHSCORES"},
         "*6\r\n$4\r\nm150\r\n$3\r\n150\r\n$4\r\nm151\r\n$3\r\n151\r\n$4\r\nm152\r\n$3\r\n152\r\n");
  Expect({"ZPOPMIN", "big2", "2"}, "*4\r\n$2\r\nm0\r\n$1\r\n0\r\n$2\r\nm1\r\n$1\r\n1\r\n");
  Expect({"ZPOPMAX", "big2", "2"}, "*4\r\n$4\r\nm199\r\n$3\r\n199\r\n$4\r\nm198\r\n$3\r\n198\r\n");
  Expect({"ZREMRANGEBYSCORE", "big2", "100", "149"}, ":50\r\n");
  Expect({"ZCARD", "big2"}, ":146\r\n");
  Expect({"ZRANGE", "big2", "98", "101"},
         "*4\r\n$4\r\nm150\r\n$4\r\nm151\r\n$4\r\nm152\r\n$4\r\nm153\r\n");
}

// A listpack is returned whole with cursor 0; scores as the listpack stores them.
TEST_F(ZSetsTest, ZScanListpack) {
  Expect({"ZADD", "k", "1", "a", "1.5", "b", "1e20", "c", "4611686018427387904", "d",
          "100000000000000000", "e", "-inf", "f", "0.1", "g"},
         ":7\r\n");
  Expect(
      {"ZSCAN", "k", "0"},
      "*2\r\n$1\r\n0\r\n*14\r\n$1\r\nf\r\n$4\r\n-inf\r\n$1\r\ng\r\n$19\r\n0.10000000000000001\r\n$"
      "1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ne\r\n$18\r\n100000000000000000\r\n$"
      "1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\nc\r\n$5\r\n1e+20\r\n");
  Expect(
      {"ZSCAN", "k", "0", "MATCH", "?"},
      "*2\r\n$1\r\n0\r\n*14\r\n$1\r\nf\r\n$4\r\n-inf\r\n$1\r\ng\r\n$19\r\n0.10000000000000001\r\n$"
      "1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ne\r\n$18\r\n100000000000000000\r\n$"
      "1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\nc\r\n$5\r\n1e+20\r\n");
  Expect({"ZSCAN", "k", "0", "MATCH", "a*"}, "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"ZSCAN", "k", "0", "MATCH", ""}, "*2\r\n$1\r\n0\r\n*0\r\n");
  Expect(
      {"ZSCAN", "k", "0", "COUNT", "1"},
      "*2\r\n$1\r\n0\r\n*14\r\n$1\r\nf\r\n$4\r\n-inf\r\n$1\r\ng\r\n$19\r\n0.10000000000000001\r\n$"
      "1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ne\r\n$18\r\n100000000000000000\r\n$"
      "1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\nc\r\n$5\r\n1e+20\r\n");
  Expect(
      {"ZSCAN", "k", "123"},
      "*2\r\n$1\r\n0\r\n*14\r\n$1\r\nf\r\n$4\r\n-inf\r\n$1\r\ng\r\n$19\r\n0.10000000000000001\r\n$"
      "1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ne\r\n$18\r\n100000000000000000\r\n$"
      "1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\nc\r\n$5\r\n1e+20\r\n");
  Expect({"ZSCAN", "k", "0", "COUNT", "0"}, "-ERR syntax error\r\n");
  Expect({"ZSCAN", "k", "0", "COUNT", "x"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZSCAN", "k", "0", "TYPE", "zset"}, "-ERR syntax error\r\n");
  Expect({"ZSCAN", "k", "0", "MATCH"}, "-ERR syntax error\r\n");
  Expect({"ZSCAN", "k", "x"}, "-ERR invalid cursor\r\n");
  Expect({"ZSCAN", "k", " 0"}, "-ERR invalid cursor\r\n");
  Expect(
      {"ZSCAN", "k", "-1"},
      "*2\r\n$1\r\n0\r\n*14\r\n$1\r\nf\r\n$4\r\n-inf\r\n$1\r\ng\r\n$19\r\n0.10000000000000001\r\n$"
      "1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n1.5\r\n$1\r\ne\r\n$18\r\n100000000000000000\r\n$"
      "1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\nc\r\n$5\r\n1e+20\r\n");
  Expect({"ZSCAN", "nokey", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n");
  Expect({"ZSCAN", "nokey", "0", "COUNT", "0"}, "*2\r\n$1\r\n0\r\n*0\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZSCAN", "str", "0"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZSCAN", "k"}, "-ERR wrong number of arguments for 'zscan' command\r\n");
}

TEST_F(ZSetsTest, ZRandMemberErrors) {
  Expect({"ZADD", "k", "1", "a"}, ":1\r\n");
  Expect({"ZRANDMEMBER", "nokey"}, "$-1\r\n");
  Expect({"ZRANDMEMBER", "nokey", "5"}, "*0\r\n");
  Expect({"ZRANDMEMBER", "nokey", "5", "WITHSCORES"}, "*0\r\n");
  Expect({"ZRANDMEMBER", "k", "0"}, "*0\r\n");
  Expect({"ZRANDMEMBER", "k", "0", "WITHSCORES"}, "*0\r\n");
  Expect({"ZRANDMEMBER", "k", "x"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANDMEMBER", "k", "1.5"}, "-ERR value is not an integer or out of range\r\n");
  Expect({"ZRANDMEMBER", "k", "1", "FOO"}, "-ERR syntax error\r\n");
  Expect({"ZRANDMEMBER", "k", "1", "WITHSCORES", "x"}, "-ERR syntax error\r\n");
  Expect({"ZRANDMEMBER", "k", "-9223372036854775808"},
         "-ERR value is out of range, value must between -9223372036854775807 and "
         "9223372036854775807\r\n");
  Expect({"ZRANDMEMBER", "k", "9223372036854775807", "WITHSCORES"},
         "-ERR value is out of range\r\n");
  Expect({"ZRANDMEMBER", "k", "-4611686018427387904", "WITHSCORES"},
         "-ERR value is out of range\r\n");
  Expect({"ZRANDMEMBER", "k", "4611686018427387903", "WITHSCORES"}, "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"ZRANDMEMBER", "k"}, "$1\r\na\r\n");
  Expect({"ZRANDMEMBER", "k", "3"}, "*1\r\n$1\r\na\r\n");
  Expect({"ZRANDMEMBER", "k", "-3", "WITHSCORES"},
         "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZRANDMEMBER", "str"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZRANDMEMBER", "str", "1"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Expect({"ZRANDMEMBER"}, "-ERR wrong number of arguments for 'zrandmember' command\r\n");
}

// Every command's arity error.
TEST_F(ZSetsTest, Arity) {
  Expect({"ZADD", "k", "1"}, "-ERR wrong number of arguments for 'zadd' command\r\n");
  Expect({"ZINCRBY", "k", "1"}, "-ERR wrong number of arguments for 'zincrby' command\r\n");
  Expect({"ZREM", "k"}, "-ERR wrong number of arguments for 'zrem' command\r\n");
  Expect({"ZSCORE", "k"}, "-ERR wrong number of arguments for 'zscore' command\r\n");
  Expect({"ZMSCORE", "k"}, "-ERR wrong number of arguments for 'zmscore' command\r\n");
  Expect({"ZCARD"}, "-ERR wrong number of arguments for 'zcard' command\r\n");
  Expect({"ZCOUNT", "k", "1"}, "-ERR wrong number of arguments for 'zcount' command\r\n");
  Expect({"ZLEXCOUNT", "k", "-"}, "-ERR wrong number of arguments for 'zlexcount' command\r\n");
  Expect({"ZRANGE", "k", "0"}, "-ERR wrong number of arguments for 'zrange' command\r\n");
  Expect({"ZRANGESTORE", "d", "k", "0"},
         "-ERR wrong number of arguments for 'zrangestore' command\r\n");
  Expect({"ZRANGEBYSCORE", "k", "0"},
         "-ERR wrong number of arguments for 'zrangebyscore' command\r\n");
  Expect({"ZREVRANGEBYSCORE", "k", "0"},
         "-ERR wrong number of arguments for 'zrevrangebyscore' command\r\n");
  Expect({"ZRANGEBYLEX", "k", "-"}, "-ERR wrong number of arguments for 'zrangebylex' command\r\n");
  Expect({"ZREVRANGEBYLEX", "k", "-"},
         "-ERR wrong number of arguments for 'zrevrangebylex' command\r\n");
  Expect({"ZREVRANGE", "k", "0"}, "-ERR wrong number of arguments for 'zrevrange' command\r\n");
  Expect({"ZRANK", "k"}, "-ERR wrong number of arguments for 'zrank' command\r\n");
  Expect({"ZREVRANK", "k"}, "-ERR wrong number of arguments for 'zrevrank' command\r\n");
  Expect({"ZPOPMIN"}, "-ERR wrong number of arguments for 'zpopmin' command\r\n");
  Expect({"ZPOPMAX"}, "-ERR wrong number of arguments for 'zpopmax' command\r\n");
  Expect({"ZMPOP", "1", "k"}, "-ERR wrong number of arguments for 'zmpop' command\r\n");
  Expect({"ZREMRANGEBYSCORE", "k", "0"},
         "-ERR wrong number of arguments for 'zremrangebyscore' command\r\n");
  Expect({"ZREMRANGEBYRANK", "k", "0"},
         "-ERR wrong number of arguments for 'zremrangebyrank' command\r\n");
  Expect({"ZREMRANGEBYLEX", "k", "-"},
         "-ERR wrong number of arguments for 'zremrangebylex' command\r\n");
  Expect({"ZUNION", "1"}, "-ERR wrong number of arguments for 'zunion' command\r\n");
  Expect({"ZINTER", "1"}, "-ERR wrong number of arguments for 'zinter' command\r\n");
  Expect({"ZDIFF", "1"}, "-ERR wrong number of arguments for 'zdiff' command\r\n");
  Expect({"ZUNIONSTORE", "d", "1"}, "-ERR wrong number of arguments for 'zunionstore' command\r\n");
  Expect({"ZINTERSTORE", "d", "1"}, "-ERR wrong number of arguments for 'zinterstore' command\r\n");
  Expect({"ZDIFFSTORE", "d", "1"}, "-ERR wrong number of arguments for 'zdiffstore' command\r\n");
  Expect({"ZINTERCARD", "1"}, "-ERR wrong number of arguments for 'zintercard' command\r\n");
  Expect({"ZRANDMEMBER"}, "-ERR wrong number of arguments for 'zrandmember' command\r\n");
  Expect({"ZSCAN", "k"}, "-ERR wrong number of arguments for 'zscan' command\r\n");
}

// COMMAND INFO as Redis 7.0 reports it, for the commands whose key specs CommandSpec can
// express (one key range; not the numkeys forms nor ZRANGESTORE's two specs) and that kept 7.0's
// arity (not ZRANK/ZREVRANK).
TEST_F(ZSetsTest, CommandInfo) {
  Expect(
      {"COMMAND", "INFO", "zadd"},
      "*1\r\n*10\r\n$4\r\nzadd\r\n:-4\r\n*3\r\n+write\r\n+denyoom\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*"
      "3\r\n+@write\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
      "update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
      "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
      "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zincrby"},
         "*1\r\n*10\r\n$7\r\nzincrby\r\n:4\r\n*3\r\n+write\r\n+denyoom\r\n+fast\r\n:1\r\n:1\r\n:"
         "1\r\n*3\r\n+@write\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*3\r\n+"
         "RW\r\n+access\r\n+update\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$"
         "4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$"
         "5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$"
         "5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrem"},
         "*1\r\n*10\r\n$4\r\nzrem\r\n:-3\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "write\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
         "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zscore"},
         "*1\r\n*10\r\n$6\r\nzscore\r\n:3\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zmscore"},
         "*1\r\n*10\r\n$7\r\nzmscore\r\n:-3\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*"
         "3\r\n+@read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zcard"},
         "*1\r\n*10\r\n$5\r\nzcard\r\n:2\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*1\r\n+RO\r\n$"
         "12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zcount"},
         "*1\r\n*10\r\n$6\r\nzcount\r\n:4\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zlexcount"},
         "*1\r\n*10\r\n$9\r\nzlexcount\r\n:4\r\n*2\r\n+readonly\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*"
         "3\r\n+@read\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrange"},
         "*1\r\n*10\r\n$6\r\nzrange\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrangebyscore"},
         "*1\r\n*10\r\n$13\r\nzrangebyscore\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrevrangebyscore"},
         "*1\r\n*10\r\n$16\r\nzrevrangebyscore\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*"
         "3\r\n+@read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrangebylex"},
         "*1\r\n*10\r\n$11\r\nzrangebylex\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrevrangebylex"},
         "*1\r\n*10\r\n$14\r\nzrevrangebylex\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+"
         "@read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrevrange"},
         "*1\r\n*10\r\n$9\r\nzrevrange\r\n:-4\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RO\r\n+"
         "access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect(
      {"COMMAND", "INFO", "zpopmin"},
      "*1\r\n*10\r\n$7\r\nzpopmin\r\n:-2\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
      "write\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+"
      "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
      "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
      "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect(
      {"COMMAND", "INFO", "zpopmax"},
      "*1\r\n*10\r\n$7\r\nzpopmax\r\n:-2\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
      "write\r\n+@sortedset\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n+access\r\n+"
      "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
      "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
      "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zremrangebyscore"},
         "*1\r\n*10\r\n$16\r\nzremrangebyscore\r\n:4\r\n*1\r\n+write\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
         "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zremrangebyrank"},
         "*1\r\n*10\r\n$15\r\nzremrangebyrank\r\n:4\r\n*1\r\n+write\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
         "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zremrangebylex"},
         "*1\r\n*10\r\n$14\r\nzremrangebylex\r\n:4\r\n*1\r\n+write\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "write\r\n+@sortedset\r\n+@slow\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*2\r\n+RW\r\n+"
         "delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$"
         "5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*"
         "6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zrandmember"},
         "*1\r\n*10\r\n$11\r\nzrandmember\r\n:-2\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@"
         "read\r\n+@sortedset\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$"
         "5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$"
         "5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$"
         "4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:"
         "1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
  Expect({"COMMAND", "INFO", "zscan"},
         "*1\r\n*10\r\n$5\r\nzscan\r\n:-3\r\n*1\r\n+readonly\r\n:1\r\n:1\r\n:1\r\n*3\r\n+@read\r\n+"
         "@sortedset\r\n+@slow\r\n*1\r\n$23\r\nnondeterministic_output\r\n*1\r\n*6\r\n$"
         "5\r\nflags\r\n*2\r\n+RO\r\n+access\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$"
         "5\r\nindex\r\n$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$"
         "4\r\ntype\r\n$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:"
         "1\r\n$5\r\nlimit\r\n:0\r\n*0\r\n");
}

// ---- Written by hand ----------------------------------------------------------------------------

// Redis 7.2's ZRANK/ZREVRANK WITHSCORE: [rank, score], a null array when missing; anything else in
// that place is a syntax error, a fifth argument an arity error.
TEST_F(ZSetsTest, ZRankWithScore) {
  Expect({"ZADD", "k", "1", "a", "2.5", "b", "3", "c"}, ":3\r\n");
  Expect({"ZRANK", "k", "b", "WITHSCORE"}, "*2\r\n:1\r\n$3\r\n2.5\r\n");
  Expect({"ZREVRANK", "k", "b", "withscore"}, "*2\r\n:1\r\n$3\r\n2.5\r\n");
  Expect({"ZREVRANK", "k", "c", "WITHSCORE"}, "*2\r\n:0\r\n$1\r\n3\r\n");
  Expect({"ZRANK", "k", "nope", "WITHSCORE"}, "*-1\r\n");
  Expect({"ZRANK", "nokey", "a", "WITHSCORE"}, "*-1\r\n");
  Expect({"ZRANK", "k", "a", "WITHSCORES"}, "-ERR syntax error\r\n");
  Expect({"ZRANK", "k", "a", "WITHSCORE", "x"},
         "-ERR wrong number of arguments for 'zrank' command\r\n");
  Expect({"ZREVRANK", "k", "a", "WITHSCORE", "x"},
         "-ERR wrong number of arguments for 'zrevrank' command\r\n");
  Expect({"SET", "str", "v"}, "+OK\r\n");
  Expect({"ZRANK", "str", "a", "WITHSCORE"},
         "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
  Resp3();
  Expect({"ZRANK", "k", "a", "WITHSCORE"}, "*2\r\n:0\r\n,1\r\n");
  Expect({"ZRANK", "k", "nope", "WITHSCORE"}, "_\r\n");
  Expect({"ZRANK", "k", "nope"}, "_\r\n");
}

// A large set's ZSCAN: every member exactly once over the iteration, scores as "%.17Lg", MATCH
// applied to members, and a cursor that survives the set growing between calls.
TEST_F(ZSetsTest, ZScanOfASkiplistIteratesEveryMemberOnce) {
  ASSERT_EQ(BigZAdd("k", 300, 0), ":300\r\n");
  Expect({"ZADD", "k", "1e17", "big", "-0", "nz", "inf", "i", "0.1", "f"}, ":4\r\n");
  Expect({"OBJECT", "ENCODING", "k"}, "$8\r\nskiplist\r\n");
  std::map<std::string, std::string> seen;
  std::string cursor = "0";
  int calls = 0;
  do {
    protocol::Reply r = Parse(RunVector({"ZSCAN", "k", cursor, "COUNT", "7"}));
    ASSERT_EQ(r.elements.size(), 2u);
    cursor = r.elements[0].str;
    const auto& items = r.elements[1].elements;
    ASSERT_EQ(items.size() % 2, 0u);
    for (size_t i = 0; i < items.size(); i += 2) {
      ASSERT_TRUE(seen.emplace(items[i].str, items[i + 1].str).second) << items[i].str;
    }
    // Members added during the scan may or may not be returned; those present throughout are.
    if (calls == 3) {
      ASSERT_EQ(BigZAdd("k", 200, 1000), ":200\r\n");
    }
    ++calls;
  } while (cursor != "0" && calls < 10000);
  EXPECT_GT(calls, 10);
  for (int i = 0; i < 300; ++i) EXPECT_EQ(seen.at("m" + std::to_string(i)), std::to_string(i));
  EXPECT_EQ(seen.at("big"), "1e+17");
  EXPECT_EQ(seen.at("nz"), "-0");
  EXPECT_EQ(seen.at("i"), "inf");
  EXPECT_EQ(seen.at("f"), "0.10000000000000001");
  // MATCH filters members; a scan with a huge COUNT ends in one call.
  protocol::Reply r = Parse(RunVector({"ZSCAN", "k", "0", "MATCH", "m29?", "COUNT", "100000"}));
  EXPECT_EQ(r.elements[0].str, "0");
  std::set<std::string> matched;
  for (size_t i = 0; i < r.elements[1].elements.size(); i += 2) {
    matched.insert(r.elements[1].elements[i].str);
  }
  EXPECT_EQ(matched, (std::set<std::string>{"m290", "m291", "m292", "m293", "m294", "m295", "m296",
                                            "m297", "m298", "m299"}));
  Expect({"ZSCAN", "k", "0", "COUNT", "0"}, "-ERR syntax error\r\n");
}

// ZRANDMEMBER: members come from the set with their scores; a positive count gives distinct
// members (the whole set, highest first, when it asks for as many), a negative one repeats.
TEST_F(ZSetsTest, ZRandMemberDrawsFromTheSet) {
  for (int large = 0; large < 2; ++large) {
    SCOPED_TRACE(large ? "skiplist" : "listpack");
    RunRaw({"DEL", "k"});
    ASSERT_EQ(BigZAdd("k", large ? 300 : 50, 0), large ? ":300\r\n" : ":50\r\n");
    const int size = large ? 300 : 50;
    protocol::Reply one = Parse(RunVector({"ZRANDMEMBER", "k"}));
    ASSERT_EQ(one.type, protocol::Reply::Type::kBulk);
    EXPECT_EQ(one.str[0], 'm');
    for (const char* count : {"5", "40", "49", "200"}) {
      protocol::Reply r = Parse(RunVector({"ZRANDMEMBER", "k", count, "WITHSCORES"}));
      const size_t want = std::min<size_t>(std::stoul(count), size);
      ASSERT_EQ(r.elements.size(), 2 * want) << count;
      std::set<std::string> distinct;
      for (size_t i = 0; i < r.elements.size(); i += 2) {
        const std::string& m = r.elements[i].str;
        EXPECT_EQ("m" + r.elements[i + 1].str, m);
        distinct.insert(m);
      }
      EXPECT_EQ(distinct.size(), want);
    }
    protocol::Reply all = Parse(RunVector({"ZRANDMEMBER", "k", "1000"}));
    ASSERT_EQ(all.elements.size(), static_cast<size_t>(size));
    EXPECT_EQ(all.elements.front().str, "m" + std::to_string(size - 1));
    EXPECT_EQ(all.elements.back().str, "m0");
    protocol::Reply rep = Parse(RunVector({"ZRANDMEMBER", "k", "-1000"}));
    ASSERT_EQ(rep.elements.size(), 1000u);
    std::set<std::string> distinct;
    for (const auto& e : rep.elements) distinct.insert(e.str);
    EXPECT_LT(distinct.size(), 1000u);  // with replacement
    EXPECT_LE(distinct.size(), static_cast<size_t>(size));
  }
  Resp3();
  protocol::Reply nested = Parse(RunVector({"ZRANDMEMBER", "k", "-3", "WITHSCORES"}));
  ASSERT_EQ(nested.elements.size(), 3u);
  for (const auto& pair : nested.elements) {
    ASSERT_EQ(pair.elements.size(), 2u);
    EXPECT_EQ(pair.elements[1].type, protocol::Reply::Type::kDouble);
    EXPECT_EQ("m" + pair.elements[1].str, pair.elements[0].str);
  }
}

// The set algebra over large inputs (both encodings mixed) agrees with a model.
TEST_F(ZSetsTest, SetOperationsOnLargeSets) {
  ASSERT_EQ(BigZAdd("a", 300, 0), ":300\r\n");
  ASSERT_EQ(BigZAdd("b", 100, 250), ":100\r\n");
  Expect({"SADD", "s", "m1", "m260", "zzz"}, ":3\r\n");
  Expect({"ZUNIONSTORE", "u", "3", "a", "b", "s"}, ":351\r\n");
  Expect({"OBJECT", "ENCODING", "u"}, "$8\r\nskiplist\r\n");
  Expect({"ZSCORE", "u", "m260"}, "$3\r\n521\r\n");
  Expect({"ZSCORE", "u", "zzz"}, "$1\r\n1\r\n");
  Expect({"ZINTERSTORE", "i", "2", "a", "b", "WEIGHTS", "1", "0", "AGGREGATE", "MAX"}, ":50\r\n");
  Expect({"OBJECT", "ENCODING", "i"}, "$8\r\nlistpack\r\n");
  Expect({"ZRANGE", "i", "0", "1", "WITHSCORES"},
         "*4\r\n$4\r\nm250\r\n$3\r\n250\r\n$4\r\nm251\r\n$3\r\n251\r\n");
  Expect({"ZDIFFSTORE", "d", "3", "a", "b", "s"}, ":249\r\n");
  Expect({"ZINTERCARD", "3", "a", "b", "s"}, ":1\r\n");
  Expect({"ZINTERCARD", "2", "a", "b", "LIMIT", "7"}, ":7\r\n");
}

TEST_F(ZSetsTest, MemoryUsageCountsTheSet) {
  Expect({"ZADD", "k", "1", "a"}, ":1\r\n");
  protocol::Reply small = Parse(RunVector({"MEMORY", "USAGE", "k"}));
  ASSERT_EQ(BigZAdd("k", 1000, 0), ":1000\r\n");
  protocol::Reply large = Parse(RunVector({"MEMORY", "USAGE", "k"}));
  EXPECT_GT(large.integer, small.integer + 1000 * 30);
  EXPECT_LT(large.integer, small.integer + 1000 * 100);
}

}  // namespace
}  // namespace ringkv::server
