// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Set commands through the dispatcher: exact reply bytes (RESP2 and RESP3) and error texts as
// Debian's redis-server 7.0.15 sends them (checked by hand against it, and continuously by
// tests/compat/differential_set_test.cc). Replies whose order Redis leaves unspecified are
// compared sorted.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "engine/types/limits.h"
#include "engine/types/set.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr char kWrongType[] =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range\r\n";
constexpr char kSyntax[] = "-ERR syntax error\r\n";
constexpr char kNotPositive[] = "-ERR value is out of range, must be positive\r\n";

class SetsTest : public CommandTest {
 protected:
  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }

  // The elements of an aggregate reply, sorted.
  static std::vector<std::string> Sorted(const protocol::Reply& r) {
    std::vector<std::string> out;
    for (const protocol::Reply& e : r.elements) out.push_back(e.str);
    std::sort(out.begin(), out.end());
    return out;
  }
  std::vector<std::string> Members(std::string_view key) { return Sorted(Run({"SMEMBERS", key})); }
  std::string Encoding(std::string_view key) { return Run({"OBJECT", "ENCODING", key}).str; }
  // Adds members key:0..n-1 (strings) or 0..n-1 (integers) in one SADD.
  void Fill(std::string_view key, int n, bool ints) {
    std::vector<std::string> args = {"SADD", std::string(key)};
    for (int i = 0; i < n; ++i) args.push_back(ints ? std::to_string(i) : "m" + std::to_string(i));
    std::vector<std::string_view> v(args.begin(), args.end());
    Dispatch(context_, client_, encoder_, v);
    out_.Clear();
  }
};

using V = std::vector<std::string>;

TEST_F(SetsTest, SAddSRemSCard) {
  EXPECT_EQ(RunRaw({"SADD", "s", "a", "b", "a"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "a", "c"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SCARD", "nokey"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SREM", "s", "a", "a", "zz"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SREM", "nokey", "a"}), ":0\r\n");
  EXPECT_EQ(Members("s"), (V{"b", "c"}));
  // Removing the last members deletes the key.
  EXPECT_EQ(RunRaw({"SREM", "s", "b", "c", "d"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "s"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s"}), "-ERR wrong number of arguments for 'sadd' command\r\n");
  EXPECT_EQ(RunRaw({"SREM", "s"}), "-ERR wrong number of arguments for 'srem' command\r\n");
  EXPECT_EQ(RunRaw({"SCARD"}), "-ERR wrong number of arguments for 'scard' command\r\n");
  EXPECT_EQ(RunRaw({"SCARD", "a", "b"}), "-ERR wrong number of arguments for 'scard' command\r\n");
}

TEST_F(SetsTest, EmptyBinaryAndHugeMembers) {
  const std::string bin("a\0\r\nb", 5);
  const std::string huge(1 << 20, 'h');
  EXPECT_EQ(RunRaw({"SADD", "s", "", bin, huge}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", ""}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", bin}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", huge}), ":1\r\n");
  EXPECT_EQ(Members("s"), (V{"", bin, huge}));
  EXPECT_EQ(RunRaw({"SREM", "s", huge}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":2\r\n");
}

TEST_F(SetsTest, WrongTypeEverywhere) {
  EXPECT_EQ(RunRaw({"SET", "str", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "1"}), ":1\r\n");
  for (std::initializer_list<std::string_view> cmd :
       {std::initializer_list<std::string_view>{"SADD", "str", "a"},
        {"SREM", "str", "a"},
        {"SMEMBERS", "str"},
        {"SISMEMBER", "str", "a"},
        {"SMISMEMBER", "str", "a"},
        {"SCARD", "str"},
        {"SPOP", "str"},
        {"SPOP", "str", "1"},
        {"SRANDMEMBER", "str"},
        {"SRANDMEMBER", "str", "-1"},
        {"SMOVE", "str", "s", "1"},
        {"SMOVE", "s", "str", "1"},
        {"SINTER", "nokey", "str"},
        {"SINTERCARD", "2", "nokey", "str"},
        {"SUNION", "s", "str"},
        {"SDIFF", "nokey", "str"},
        {"SINTERSTORE", "d", "nokey", "str"},
        {"SUNIONSTORE", "d", "s", "str"},
        {"SDIFFSTORE", "d", "s", "str"},
        {"SSCAN", "str", "0"}}) {
    EXPECT_EQ(RunRaw(cmd), kWrongType) << *cmd.begin();
  }
  EXPECT_EQ(RunRaw({"GET", "str"}), "$1\r\nx\r\n");  // nothing changed
  EXPECT_EQ(RunRaw({"EXISTS", "d"}), ":0\r\n");
  EXPECT_EQ(Members("s"), (V{"1"}));
  // Other commands against a set.
  EXPECT_EQ(RunRaw({"GET", "s"}), kWrongType);
  EXPECT_EQ(RunRaw({"TYPE", "s"}), "+set\r\n");
}

TEST_F(SetsTest, SMembersAndSIsMemberResp2AndResp3) {
  EXPECT_EQ(RunRaw({"SMEMBERS", "nokey"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "3", "1", "2"}), ":3\r\n");
  // An intset lists its members in ascending order, as Redis's does.
  EXPECT_EQ(RunRaw({"SMEMBERS", "s"}), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", "2"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", "02"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "nokey", "2"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SMISMEMBER", "s", "2", "2", "9"}), "*3\r\n:1\r\n:1\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"SMISMEMBER", "nokey", "a", "b"}), "*2\r\n:0\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"SMISMEMBER", "s"}),
            "-ERR wrong number of arguments for 'smismember' command\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"SMEMBERS", "nokey"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SMEMBERS", "s"}), "~3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"SMISMEMBER", "s", "1", "x"}), "*2\r\n:1\r\n:0\r\n");
}

TEST_F(SetsTest, EncodingsFollowRedis70) {
  EXPECT_EQ(RunRaw({"SADD", "ints", "1", "2", "-3"}), ":3\r\n");
  EXPECT_EQ(Encoding("ints"), "intset");
  EXPECT_EQ(RunRaw({"SADD", "ints", "1.5"}), ":1\r\n");
  EXPECT_EQ(Encoding("ints"), "hashtable");
  EXPECT_EQ(RunRaw({"SREM", "ints", "1.5"}), ":1\r\n");
  EXPECT_EQ(Encoding("ints"), "hashtable");  // no way back, as in 7.0
  // Small sets of strings are "hashtable" in 7.0 (7.2 would say "listpack").
  EXPECT_EQ(RunRaw({"SADD", "strs", "a"}), ":1\r\n");
  EXPECT_EQ(Encoding("strs"), "hashtable");
  // The intset limit (512 by default) and CONFIG-style changes of it.
  Fill("big", 512, true);
  EXPECT_EQ(Encoding("big"), "intset");
  EXPECT_EQ(RunRaw({"SADD", "big", "512"}), ":1\r\n");
  EXPECT_EQ(Encoding("big"), "hashtable");
  engine::Limits().set_max_intset_entries = 2;
  EXPECT_EQ(RunRaw({"SADD", "lim", "1", "2"}), ":2\r\n");
  EXPECT_EQ(Encoding("lim"), "intset");
  EXPECT_EQ(RunRaw({"SADD", "lim", "3"}), ":1\r\n");
  EXPECT_EQ(Encoding("lim"), "hashtable");
  engine::Limits().set_max_intset_entries = 512;
}

TEST_F(SetsTest, SPop) {
  EXPECT_EQ(RunRaw({"SPOP", "nokey"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "3"}), "*0\r\n");
  // The count is checked before the key (and its type).
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "-1"}), kNotPositive);
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "x"}), kNotPositive);
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "+1"}), kNotPositive);
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "1", "2"}), kSyntax);
  EXPECT_EQ(RunRaw({"SADD", "s", "a", "b", "c", "d", "e"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "s", "0"}), "*0\r\n");
  protocol::Reply one = Run({"SPOP", "s"});
  ASSERT_EQ(one.type, protocol::Reply::Type::kBulk);
  EXPECT_EQ(RunRaw({"SISMEMBER", "s", one.str}), ":0\r\n");
  protocol::Reply two = Run({"SPOP", "s", "2"});
  ASSERT_EQ(two.type, protocol::Reply::Type::kArray);
  ASSERT_EQ(two.elements.size(), 2u);
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":2\r\n");
  // More than there is: the whole set, and the key is gone.
  protocol::Reply rest = Run({"SPOP", "s", "9223372036854775807"});
  EXPECT_EQ(rest.elements.size(), 2u);
  EXPECT_EQ(RunRaw({"EXISTS", "s"}), ":0\r\n");
  std::set<std::string> all = {one.str};
  for (const auto* r : {&two, &rest}) {
    for (const auto& e : r->elements) all.insert(e.str);
  }
  EXPECT_EQ(all, (std::set<std::string>{"a", "b", "c", "d", "e"}));
  EXPECT_EQ(RunRaw({"SADD", "s", "x"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "s"}), "$1\r\nx\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "s"}), ":0\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"SPOP", "nokey"}), "_\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "nokey", "1"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "7"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "s", "0"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SPOP", "s", "5"}), "~1\r\n$1\r\n7\r\n");
}

TEST_F(SetsTest, SPopOfMostOfASetCanMakeItAnIntsetAgain) {
  Fill("s", 600, true);
  EXPECT_EQ(Encoding("s"), "hashtable");
  EXPECT_EQ(Run({"SPOP", "s", "550"}).elements.size(), 550u);  // Redis's "new set" strategy
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":50\r\n");
  EXPECT_EQ(Encoding("s"), "intset");
}

TEST_F(SetsTest, SRandMember) {
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "5"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "-5"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "-9223372036854775808"}),
            "-ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "1", "2"}), kSyntax);
  EXPECT_EQ(RunRaw({"SADD", "s", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "s", "0"}), "*0\r\n");
  const protocol::Reply one = Run({"SRANDMEMBER", "s"});
  EXPECT_TRUE(one.str == "a" || one.str == "b" || one.str == "c");
  EXPECT_EQ(Sorted(Run({"SRANDMEMBER", "s", "3"})), (V{"a", "b", "c"}));
  EXPECT_EQ(Sorted(Run({"SRANDMEMBER", "s", "9223372036854775807"})), (V{"a", "b", "c"}));
  const protocol::Reply two = Run({"SRANDMEMBER", "s", "2"});
  ASSERT_EQ(two.elements.size(), 2u);
  EXPECT_NE(two.elements[0].str, two.elements[1].str);
  const protocol::Reply many = Run({"SRANDMEMBER", "s", "-50"});
  ASSERT_EQ(many.elements.size(), 50u);
  std::set<std::string> distinct;
  for (const auto& e : many.elements) distinct.insert(e.str);
  EXPECT_EQ(distinct, (std::set<std::string>{"a", "b", "c"}));  // 50 draws reach all three
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":3\r\n");                  // read-only
  // With a count the reply is an array in RESP3 too.
  Resp3();
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey"}), "_\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "nokey", "3"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "s", "-2"}).substr(0, 4), "*2\r\n");
  EXPECT_EQ(RunRaw({"SRANDMEMBER", "s", "2"}).substr(0, 4), "*2\r\n");
}

TEST_F(SetsTest, SRandMemberWithHugeNegativeCountIsCutAtTheOutputLimit) {
  context_.live.output_hard_limit = 1 << 16;
  EXPECT_EQ(RunRaw({"SADD", "s", "abc"}), ":1\r\n");
  const std::string bytes = RunRaw({"SRANDMEMBER", "s", "-9223372036854775807"});
  EXPECT_EQ(bytes.substr(0, 22), "*9223372036854775807\r\n");
  EXPECT_LT(bytes.size(), (1u << 16) + 100);
  EXPECT_TRUE(client_.close_after_reply);
}

TEST_F(SetsTest, SMove) {
  EXPECT_EQ(RunRaw({"SADD", "a", "1", "2", "x"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SET", "str", "v"}), "+OK\r\n");
  // A missing source answers 0 before any type check.
  EXPECT_EQ(RunRaw({"SMOVE", "nokey", "str", "1"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "str", "1"}), kWrongType);
  EXPECT_EQ(RunRaw({"SMOVE", "str", "a", "1"}), kWrongType);
  EXPECT_EQ(RunRaw({"SMOVE", "a", "a", "1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "a", "9"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "b", "9"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "b", "1"}), ":1\r\n");
  EXPECT_EQ(Encoding("b"), "intset");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "c", "x"}), ":1\r\n");
  EXPECT_EQ(Encoding("c"), "hashtable");
  EXPECT_EQ(RunRaw({"SADD", "b", "2"}), ":1\r\n");
  // Already in the destination: still 1, and it leaves the source.
  EXPECT_EQ(RunRaw({"SMOVE", "a", "b", "2"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "a"}), ":0\r\n");
  EXPECT_EQ(Members("b"), (V{"1", "2"}));
  EXPECT_EQ(RunRaw({"SMOVE", "a", "b"}), "-ERR wrong number of arguments for 'smove' command\r\n");
}

TEST_F(SetsTest, SInterSUnionSDiff) {
  EXPECT_EQ(RunRaw({"SADD", "a", "1", "2", "3", "x"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"SADD", "b", "2", "3", "4", "x", "y"}), ":5\r\n");
  EXPECT_EQ(Sorted(Run({"SINTER", "a", "b"})), (V{"2", "3", "x"}));
  EXPECT_EQ(Sorted(Run({"SINTER", "a"})), (V{"1", "2", "3", "x"}));
  EXPECT_EQ(Sorted(Run({"SINTER", "a", "a"})), (V{"1", "2", "3", "x"}));
  EXPECT_EQ(RunRaw({"SINTER", "a", "nokey"}), "*0\r\n");
  EXPECT_EQ(Sorted(Run({"SUNION", "a", "b", "nokey"})), (V{"1", "2", "3", "4", "x", "y"}));
  EXPECT_EQ(RunRaw({"SUNION", "nokey"}), "*0\r\n");
  EXPECT_EQ(Sorted(Run({"SDIFF", "a", "b"})), (V{"1"}));
  EXPECT_EQ(Sorted(Run({"SDIFF", "b", "a", "nokey"})), (V{"4", "y"}));
  EXPECT_EQ(RunRaw({"SDIFF", "a", "b", "a"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SDIFF", "nokey", "a"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"SINTER"}), "-ERR wrong number of arguments for 'sinter' command\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"SINTER", "a", "nokey"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SDIFF", "a", "a"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SUNION", "nokey"}), "~0\r\n");
  EXPECT_EQ(RunRaw({"SDIFF", "a", "b"}), "~1\r\n$1\r\n1\r\n");
  EXPECT_EQ(Run({"SINTER", "a", "b"}).type, protocol::Reply::Type::kSet);
  EXPECT_EQ(Run({"SUNION", "a", "b"}).type, protocol::Reply::Type::kSet);
}

TEST_F(SetsTest, StoreCommands) {
  EXPECT_EQ(RunRaw({"SADD", "a", "1", "2", "3"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SADD", "b", "2", "3", "4", "z"}), ":4\r\n");
  // The destination's old value and TTL go, whatever its type.
  EXPECT_EQ(RunRaw({"SET", "d", "x", "EX", "100"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SINTERSTORE", "d", "a", "b"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"TTL", "d"}), ":-1\r\n");
  EXPECT_EQ(Members("d"), (V{"2", "3"}));
  EXPECT_EQ(Encoding("d"), "intset");
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "d", "a", "b"}), ":5\r\n");
  EXPECT_EQ(Encoding("d"), "hashtable");
  EXPECT_EQ(RunRaw({"SDIFFSTORE", "d", "b", "a"}), ":2\r\n");
  EXPECT_EQ(Members("d"), (V{"4", "z"}));
  // A destination that is also a source.
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "a", "a", "b"}), ":5\r\n");
  EXPECT_EQ(Members("a"), (V{"1", "2", "3", "4", "z"}));
  // Empty results delete the destination.
  EXPECT_EQ(RunRaw({"SINTERSTORE", "d", "a", "nokey"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "d"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SET", "d", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SDIFFSTORE", "d", "a", "a"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "d"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "d", "nokey"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SINTERSTORE", "d"}),
            "-ERR wrong number of arguments for 'sinterstore' command\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "d", "b"}), ":4\r\n");
}

TEST_F(SetsTest, SInterCard) {
  EXPECT_EQ(RunRaw({"SADD", "a", "1", "2", "3", "x"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"SADD", "b", "2", "3", "x", "y"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "b"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "1", "a"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "b", "LIMIT", "2"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "b", "limit", "0"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "b", "LIMIT", "1", "LIMIT", "0"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "nokey"}), ":0\r\n");
  const char* kNumkeys = "-ERR numkeys should be greater than 0\r\n";
  EXPECT_EQ(RunRaw({"SINTERCARD", "0", "a"}), kNumkeys);
  EXPECT_EQ(RunRaw({"SINTERCARD", "-1", "a"}), kNumkeys);
  EXPECT_EQ(RunRaw({"SINTERCARD", "x", "a"}), kNumkeys);
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "9223372036854775807", "a"}),
            "-ERR Number of keys can't be greater than number of args\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "1", "a", "LIMIT", "-1"}), "-ERR LIMIT can't be negative\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "1", "a", "LIMIT", "x"}), "-ERR LIMIT can't be negative\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "1", "a", "LIMIT"}), kSyntax);
  EXPECT_EQ(RunRaw({"SINTERCARD", "1", "a", "b"}), kSyntax);
  EXPECT_EQ(RunRaw({"SINTERCARD", "1"}),
            "-ERR wrong number of arguments for 'sintercard' command\r\n");
}

TEST_F(SetsTest, SScan) {
  EXPECT_EQ(RunRaw({"SSCAN", "nokey", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "nokey", "x"}), "-ERR invalid cursor\r\n");
  // A missing key answers the empty scan before options are looked at.
  EXPECT_EQ(RunRaw({"SSCAN", "nokey", "0", "COUNT", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "1", "2", "3"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0"}),
            "*2\r\n$1\r\n0\r\n*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "s", "5", "MATCH", "1"}), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\n1\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "MATCH", ""}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "TYPE", "set"}), kSyntax);
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "COUNT", "0"}), kSyntax);
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "COUNT", "-1"}), kSyntax);
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "COUNT", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"SSCAN", "s", "0", "MATCH"}), kSyntax);
  EXPECT_EQ(RunRaw({"SSCAN", "s", " 0"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"SADD", "e", ""}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "e", "0", "COUNT", "1", "COUNT", "2", "MATCH", "*", "MATCH", ""}),
            "*2\r\n$1\r\n0\r\n*1\r\n$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"SSCAN", "s"}), "-ERR wrong number of arguments for 'sscan' command\r\n");
}

TEST_F(SetsTest, SScanOfALargeSetVisitsEveryMemberOnce) {
  Fill("s", 2000, false);
  for (const char* count : {"1", "10", "500"}) {
    std::multiset<std::string> seen;
    std::string cursor = "0";
    int calls = 0;
    do {
      protocol::Reply r = Run({"SSCAN", "s", cursor, "COUNT", count});
      ASSERT_EQ(r.elements.size(), 2u);
      cursor = r.elements[0].str;
      for (const auto& e : r.elements[1].elements) seen.insert(e.str);
      ASSERT_LT(++calls, 10000);
    } while (cursor != "0");
    EXPECT_EQ(seen.size(), 2000u) << count;
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 2000u) << count;
  }
  // MATCH filters after COUNT, as in Redis.
  std::set<std::string> matched;
  std::string cursor = "0";
  do {
    protocol::Reply r = Run({"SSCAN", "s", cursor, "MATCH", "m1?"});
    cursor = r.elements[0].str;
    for (const auto& e : r.elements[1].elements) matched.insert(e.str);
  } while (cursor != "0");
  EXPECT_EQ(matched.size(), 10u);
}

TEST_F(SetsTest, ExpiredSetIsGone) {
  EXPECT_EQ(RunRaw({"SADD", "s", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"PEXPIRE", "s", "100"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SADD", "s", "b"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "s"}).substr(0, 1), ":");
  EXPECT_NE(RunRaw({"PTTL", "s"}), ":-1\r\n");  // SADD keeps the TTL
  clock_.Advance(101);
  EXPECT_EQ(RunRaw({"SCARD", "s"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SMEMBERS", "s"}), "*0\r\n");
}

TEST_F(SetsTest, CopyAndRenameKeepTheSet) {
  Fill("s", 100, false);
  EXPECT_EQ(RunRaw({"COPY", "s", "c"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SREM", "s", "m1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SISMEMBER", "c", "m1"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"RENAME", "c", "r"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SCARD", "r"}), ":100\r\n");
  EXPECT_EQ(Encoding("r"), "hashtable");
}

TEST_F(SetsTest, CommandInfo) {
  const protocol::Reply r = Run({"COMMAND", "INFO", "sadd", "sintercard", "smove"});
  ASSERT_EQ(r.elements.size(), 3u);
  const auto& sadd = r.elements[0].elements;
  EXPECT_EQ(sadd[0].str, "sadd");
  EXPECT_EQ(sadd[1].integer, -3);
  EXPECT_EQ(Sorted(r.elements[0].elements[2]), (V{"denyoom", "fast", "write"}));
  EXPECT_EQ(sadd[3].integer, 1);
  EXPECT_EQ(sadd[4].integer, 1);
  EXPECT_EQ(sadd[5].integer, 1);
  EXPECT_EQ(Sorted(sadd[6]), (V{"@fast", "@set", "@write"}));
  const auto& card = r.elements[1].elements;
  EXPECT_EQ(Sorted(card[2]), (V{"movablekeys", "readonly"}));
  EXPECT_EQ(card[3].integer, 0);
  const auto& smove = r.elements[2].elements;
  EXPECT_EQ(smove[4].integer, 2);
  // SINTERCARD's keys are found from numkeys.
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "SINTERCARD", "2", "a", "b", "LIMIT", "1"}),
            "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
  EXPECT_EQ(RunRaw({"COMMAND", "GETKEYS", "SINTERSTORE", "d", "a", "b"}),
            "*3\r\n$1\r\nd\r\n$1\r\na\r\n$1\r\nb\r\n");
}

TEST_F(SetsTest, MultiExecWithSetCommands) {
  EXPECT_EQ(RunRaw({"SADD", "a", "1", "2", "3"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"MULTI"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SADD", "b", "2", "3", "4"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SINTERCARD", "2", "a", "b"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SMOVE", "a", "b", "1"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"SUNIONSTORE", "c", "a", "b"}), "+QUEUED\r\n");
  EXPECT_EQ(RunRaw({"EXEC"}), "*4\r\n:3\r\n:2\r\n:1\r\n:4\r\n");
  EXPECT_EQ(Members("c"), (V{"1", "2", "3", "4"}));
}

}  // namespace
}  // namespace ringkv::server
