// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Hash commands through the dispatcher: exact reply bytes in RESP2 and RESP3. The Redis 7.0
// commands' replies are Debian's redis-server 7.0.15's (checked side by side, and by
// tests/compat/differential_hash_test.cc); the field-expiry commands follow Redis 7.4 / 8.0's
// t_hash.c and documentation. Time is the fixture's ManualClock.
#include <set>
#include <string>
#include <vector>

#include "engine/types/limits.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr char kWrongType[] =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range\r\n";
constexpr char kSyntax[] = "-ERR syntax error\r\n";
constexpr char kFieldsMissing[] =
    "-ERR Mandatory argument FIELDS is missing or not at the right position\r\n";
constexpr char kNumFieldsPositive[] = "-ERR Number of fields must be a positive integer\r\n";
constexpr char kNumFieldsMismatch[] =
    "-ERR The `numfields` parameter must match the number of arguments\r\n";

std::string Int(int64_t n) { return ":" + std::to_string(n) + "\r\n"; }
std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}
std::string Arity(std::string_view name) {
  return "-ERR wrong number of arguments for '" + std::string(name) + "' command\r\n";
}
std::string Ints(std::initializer_list<int64_t> v) {
  std::string s = "*" + std::to_string(v.size()) + "\r\n";
  for (int64_t x : v) s += Int(x);
  return s;
}

class HashesTest : public CommandTest {
 protected:
  // The thresholds these tests cross, whatever the process defaults are.
  void SetUp() override {
    saved_entries_ = engine::Limits().hash_max_listpack_entries.load();
    saved_value_ = engine::Limits().hash_max_listpack_value.load();
    engine::Limits().hash_max_listpack_entries.store(128);
    engine::Limits().hash_max_listpack_value.store(64);
  }
  void TearDown() override {
    engine::Limits().hash_max_listpack_entries.store(saved_entries_);
    engine::Limits().hash_max_listpack_value.store(saved_value_);
  }

  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }
  int64_t Now() const { return clock_.NowMs(); }
  std::string Encoding(std::string_view key) { return RunRaw({"OBJECT", "ENCODING", key}); }
  // All fields of a full HSCAN iteration.
  int64_t saved_entries_ = 0;
  int64_t saved_value_ = 0;
  std::multiset<std::string> ScanAll(std::string_view key, std::string_view count) {
    std::multiset<std::string> out;
    std::string cursor = "0";
    for (int i = 0; i < 100000; ++i) {
      protocol::Reply r = Run({"HSCAN", key, cursor, "COUNT", count});
      EXPECT_EQ(r.type, protocol::Reply::Type::kArray);
      if (r.elements.size() != 2) break;
      for (size_t j = 0; j < r.elements[1].elements.size(); j += 2) {
        out.insert(r.elements[1].elements[j].str);
      }
      cursor = r.elements[0].str;
      if (cursor == "0") break;
    }
    return out;
  }
};

TEST_F(HashesTest, SetGetAndMissing) {
  EXPECT_EQ(RunRaw({"HSET", "h", "f", "v"}), Int(1));
  EXPECT_EQ(RunRaw({"HSET", "h", "f", "v2"}), Int(0));
  EXPECT_EQ(RunRaw({"HSET", "h", "f", "v3", "g", "w", "", ""}), Int(2));
  EXPECT_EQ(RunRaw({"HGET", "h", "f"}), Bulk("v3"));
  EXPECT_EQ(RunRaw({"HGET", "h", ""}), Bulk(""));
  EXPECT_EQ(RunRaw({"HGET", "h", "nope"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"HGET", "nokey", "f"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"TYPE", "h"}), "+hash\r\n");
  std::string bin("a\0\r\nb", 5);
  EXPECT_EQ(RunRaw({"HSET", "h", bin, bin}), Int(1));
  EXPECT_EQ(RunRaw({"HGET", "h", bin}), Bulk(bin));
  Resp3();
  EXPECT_EQ(RunRaw({"HGET", "h", "nope"}), "_\r\n");
}

TEST_F(HashesTest, IntegersReadBackAsWritten) {
  for (std::string_view v : {"0", "-0", "007", "12", "-12", "+1", "9223372036854775807",
                             "-9223372036854775808", "9223372036854775808", "1.0", " 3"}) {
    EXPECT_EQ(RunRaw({"HSET", "h", v, v}), Int(1));
    EXPECT_EQ(RunRaw({"HGET", "h", v}), Bulk(v));
    EXPECT_EQ(RunRaw({"HSTRLEN", "h", v}), Int(static_cast<int64_t>(v.size())));
  }
}

TEST_F(HashesTest, ArityAndWrongType) {
  EXPECT_EQ(RunRaw({"HSET", "h"}), Arity("hset"));
  EXPECT_EQ(RunRaw({"HSET", "h", "f"}), Arity("hset"));
  EXPECT_EQ(RunRaw({"HSET", "h", "f", "v", "g"}), Arity("hset"));
  EXPECT_EQ(RunRaw({"hmset", "h", "f", "v", "g"}), Arity("hmset"));
  EXPECT_EQ(RunRaw({"HGET", "h"}), Arity("hget"));
  EXPECT_EQ(RunRaw({"HSETNX", "h", "f"}), Arity("hsetnx"));
  EXPECT_EQ(RunRaw({"HDEL", "h"}), Arity("hdel"));
  EXPECT_EQ(RunRaw({"HGETALL", "h", "x"}), Arity("hgetall"));
  EXPECT_EQ(RunRaw({"HRANDFIELD"}), Arity("hrandfield"));
  EXPECT_EQ(RunRaw({"HSCAN", "h"}), Arity("hscan"));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "1"}), Arity("hexpire"));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1"}), Arity("httl"));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FIELDS", "1", "f"}), Arity("hsetex"));
  EXPECT_EQ(RunRaw({"HSET", "h", "f", "v"}), Int(1));  // nothing above created anything
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(1));

  EXPECT_EQ(RunRaw({"SET", "s", "x"}), "+OK\r\n");
  const std::vector<std::vector<std::string_view>> cmds = {
      {"HSET", "s", "f", "v"},
      {"HMSET", "s", "f", "v"},
      {"HSETNX", "s", "f", "v"},
      {"HGET", "s", "f"},
      {"HMGET", "s", "f"},
      {"HGETALL", "s"},
      {"HKEYS", "s"},
      {"HVALS", "s"},
      {"HDEL", "s", "f"},
      {"HLEN", "s"},
      {"HEXISTS", "s", "f"},
      {"HSTRLEN", "s", "f"},
      {"HINCRBY", "s", "f", "1"},
      {"HINCRBYFLOAT", "s", "f", "1"},
      {"HSCAN", "s", "0"},
      {"HRANDFIELD", "s"},
      {"HRANDFIELD", "s", "2"},
      {"HTTL", "s", "FIELDS", "1", "f"},
      {"HEXPIRE", "s", "x", "FIELDS", "1", "f"},  // the type is checked before the time
      {"HPERSIST", "s", "FIELDS", "1", "f"},
      {"HGETDEL", "s", "FIELDS", "1", "f"},
      {"HGETEX", "s", "FIELDS", "1", "f"},
      {"HSETEX", "s", "FIELDS", "1", "f", "v"}};
  for (const auto& c : cmds) {
    std::vector<std::string_view> v(c);
    Dispatch(context_, client_, encoder_, v);
    EXPECT_EQ(out_.ToString(), kWrongType) << c[0];
    out_.Clear();
  }
  EXPECT_EQ(RunRaw({"GET", "s"}), Bulk("x"));
}

TEST_F(HashesTest, HMSetHSetNx) {
  EXPECT_EQ(RunRaw({"HMSET", "h", "a", "1", "b", "2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"HSETNX", "h", "a", "x"}), Int(0));
  EXPECT_EQ(RunRaw({"HSETNX", "h", "c", "3"}), Int(1));
  EXPECT_EQ(RunRaw({"HSETNX", "new", "c", "3"}), Int(1));
  EXPECT_EQ(RunRaw({"HMGET", "h", "a", "c", "zz"}), "*3\r\n$1\r\n1\r\n$1\r\n3\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HMGET", "nokey", "a", "b"}), "*2\r\n$-1\r\n$-1\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"HMGET", "nokey", "a"}), "*1\r\n_\r\n");
}

TEST_F(HashesTest, GetAllKeysValsInInsertionOrder) {
  EXPECT_EQ(RunRaw({"HSET", "h", "b", "1", "a", "2", "c", "3"}), Int(3));
  EXPECT_EQ(RunRaw({"HSET", "h", "b", "9"}), Int(0));  // keeps its place
  EXPECT_EQ(RunRaw({"HGETALL", "h"}),
            "*6\r\n$1\r\nb\r\n$1\r\n9\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HKEYS", "h"}), "*3\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n");
  EXPECT_EQ(RunRaw({"HVALS", "h"}), "*3\r\n$1\r\n9\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HGETALL", "nokey"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"HKEYS", "nokey"}), "*0\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"HGETALL", "h"}),
            "%3\r\n$1\r\nb\r\n$1\r\n9\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HGETALL", "nokey"}), "%0\r\n");
  EXPECT_EQ(RunRaw({"HVALS", "nokey"}), "*0\r\n");
}

TEST_F(HashesTest, DelLenExistsStrLen) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "-123", "c", "xyz"}), Int(3));
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(3));
  EXPECT_EQ(RunRaw({"HEXISTS", "h", "a"}), Int(1));
  EXPECT_EQ(RunRaw({"HEXISTS", "h", "z"}), Int(0));
  EXPECT_EQ(RunRaw({"HEXISTS", "nokey", "z"}), Int(0));
  EXPECT_EQ(RunRaw({"HSTRLEN", "h", "b"}), Int(4));
  EXPECT_EQ(RunRaw({"HSTRLEN", "h", "z"}), Int(0));
  EXPECT_EQ(RunRaw({"HSTRLEN", "nokey", "z"}), Int(0));
  EXPECT_EQ(RunRaw({"HDEL", "h", "a", "a", "zz"}), Int(1));
  EXPECT_EQ(RunRaw({"HDEL", "nokey", "a"}), Int(0));
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(2));
  EXPECT_EQ(RunRaw({"HDEL", "h", "b", "c"}), Int(2));
  EXPECT_EQ(RunRaw({"EXISTS", "h"}), Int(0));  // the last field took the key with it
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(0));
}

TEST_F(HashesTest, IncrBy) {
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "n", "5"}), Int(5));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "n", "-7"}), Int(-2));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "n", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "n", "+1"}), kNotInt);
  EXPECT_EQ(RunRaw({"HINCRBY", "nokey", "n", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"EXISTS", "nokey"}), Int(0));
  EXPECT_EQ(RunRaw({"HSET", "h", "s", "abc", "sp", " 1", "big", "9223372036854775807"}), Int(3));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "s", "1"}), "-ERR hash value is not an integer\r\n");
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "sp", "1"}), "-ERR hash value is not an integer\r\n");
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "big", "1"}), "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "min", "-9223372036854775808"}), Int(INT64_MIN));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "min", "-1"}),
            "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(RunRaw({"HGET", "h", "min"}), Bulk("-9223372036854775808"));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "big", "-9223372036854775807"}), Int(0));
}

TEST_F(HashesTest, IncrByFloat) {
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "10.5"}), Bulk("10.5"));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "0.1"}), Bulk("10.6"));
  // Long double arithmetic, printed with 17 digits: Redis 7.0 replies exactly this.
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "-5.0e3"}), Bulk("-4989.39999999999999991"));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "g", "1e20"}), Bulk("100000000000000000000"));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "z", "-0.0"}), Bulk("0"));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "abc"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", " 1"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "nan"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "f", "inf"}), "-ERR value is NaN or Infinity\r\n");
  EXPECT_EQ(RunRaw({"HSET", "h", "s", "abc", "i", "inf"}), Int(2));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "s", "1"}), "-ERR hash value is not a float\r\n");
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "i", "1"}),
            "-ERR increment would produce NaN or Infinity\r\n");
  EXPECT_EQ(RunRaw({"HSET", "h", "n", "3"}), Int(1));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "n", "1.5"}), Bulk("4.5"));
  // A long result converts the hash, as a long value does.
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  protocol::Reply r = Run({"HINCRBYFLOAT", "h", "huge", "1e300"});
  EXPECT_EQ(r.str.size(), 301u);
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
}

TEST_F(HashesTest, ConversionThresholds) {
  for (int i = 0; i < 128; ++i) {
    RunRaw({"HSET", "h", "f" + std::to_string(i), "v"});
  }
  EXPECT_EQ(Encoding("h"), Bulk("listpack"));
  EXPECT_EQ(RunRaw({"HSET", "h", "f128", "v"}), Int(1));
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(129));

  EXPECT_EQ(RunRaw({"HSET", "v", "f", std::string(64, 'x')}), Int(1));
  EXPECT_EQ(Encoding("v"), Bulk("listpack"));
  EXPECT_EQ(RunRaw({"HSET", "v", "g", std::string(65, 'x')}), Int(1));
  EXPECT_EQ(Encoding("v"), Bulk("hashtable"));
  EXPECT_EQ(RunRaw({"HSETNX", "w", std::string(65, 'k'), "x"}), Int(1));
  EXPECT_EQ(Encoding("w"), Bulk("hashtable"));
  // Never back.
  EXPECT_EQ(RunRaw({"HDEL", "v", "g"}), Int(1));
  EXPECT_EQ(Encoding("v"), Bulk("hashtable"));
}

TEST_F(HashesTest, ScanSmallHash) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "ab", "3"}), Int(3));
  const std::string all =
      "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$2\r\nab\r\n$1\r\n3\r\n";
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0"}), all);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "123", "COUNT", "1"}), all);  // cursor and COUNT ignored
  EXPECT_EQ(RunRaw({"HSCAN", "h", "-1"}), all);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "MATCH", "a*"}),
            "*2\r\n$1\r\n0\r\n*4\r\n$1\r\na\r\n$1\r\n1\r\n$2\r\nab\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "match", "b", "NOVALUES"}),
            "*2\r\n$1\r\n0\r\n*1\r\n$1\r\nb\r\n");
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "MATCH", "*"}), all);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "abc"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"HSCAN", "h", "18446744073709551616"}), "-ERR invalid cursor\r\n");
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "COUNT", "0"}), kSyntax);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "COUNT", "-1"}), kSyntax);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "COUNT", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "MATCH"}), kSyntax);
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0", "TYPE", "hash"}), kSyntax);
  // A missing key answers an empty scan before the options are looked at.
  EXPECT_EQ(RunRaw({"HSCAN", "nokey", "0", "COUNT", "0"}), "*2\r\n$1\r\n0\r\n*0\r\n");
  EXPECT_EQ(RunRaw({"HSCAN", "nokey", "x"}), "-ERR invalid cursor\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0"}), all);
}

TEST_F(HashesTest, ScanLargeHashVisitsEveryFieldOnce) {
  for (int i = 0; i < 1000; ++i) {
    RunRaw({"HSET", "h", "field:" + std::to_string(i), std::to_string(i)});
  }
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  for (std::string_view count : {"1", "10", "100", "5000"}) {
    std::multiset<std::string> got = ScanAll("h", count);
    EXPECT_EQ(got.size(), 1000u) << count;
    EXPECT_EQ(std::set<std::string>(got.begin(), got.end()).size(), 1000u) << count;
  }
  // The first page of a COUNT 10 scan has about 10 fields (whole buckets) and a cursor.
  protocol::Reply r = Run({"HSCAN", "h", "0", "COUNT", "10", "NOVALUES"});
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_NE(r.elements[0].str, "0");
  EXPECT_GE(r.elements[1].elements.size(), 10u);
  EXPECT_LE(r.elements[1].elements.size(), 40u);
}

TEST_F(HashesTest, RandField) {
  EXPECT_EQ(RunRaw({"HRANDFIELD", "nokey"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "nokey", "5"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "nokey", "-5", "WITHVALUES"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "nokey", "1", "foo"}), kSyntax);
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "abc"}), kNotInt);
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "-0"}), kNotInt);
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "-9223372036854775808"}),
            "-ERR value is out of range, value must between -9223372036854775807 and "
            "9223372036854775807\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "4611686018427387904", "WITHVALUES"}),
            "-ERR value is out of range\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "-4611686018427387904", "withvalues"}),
            "-ERR value is out of range\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "1", "WITHVALUES", "x"}), kSyntax);

  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "c", "3"}), Int(3));
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "0"}), "*0\r\n");
  // A count at least the size returns the whole hash, in order for a small one.
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "3"}), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "10", "WITHVALUES"}),
            "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
  protocol::Reply r = Run({"HRANDFIELD", "h"});
  EXPECT_EQ(r.type, protocol::Reply::Type::kBulk);
  EXPECT_TRUE(r.str == "a" || r.str == "b" || r.str == "c");
  r = Run({"HRANDFIELD", "h", "2"});
  ASSERT_EQ(r.elements.size(), 2u);
  EXPECT_NE(r.elements[0].str, r.elements[1].str);
  r = Run({"HRANDFIELD", "h", "-7", "WITHVALUES"});
  ASSERT_EQ(r.elements.size(), 14u);
  for (size_t i = 0; i < 14; i += 2) {
    EXPECT_EQ(r.elements[i + 1].str,
              std::string(1, static_cast<char>('1' + r.elements[i].str[0] - 'a')));
  }
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "-16777217"}), "-ERR value is out of range\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"HRANDFIELD", "nokey"}), "_\r\n");
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "3", "WITHVALUES"}),
            "*3\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\nc\r\n$1\r\n"
            "3\r\n");
  r = Run({"HRANDFIELD", "h", "-4", "WITHVALUES"});
  ASSERT_EQ(r.elements.size(), 4u);
  for (const protocol::Reply& pair : r.elements) EXPECT_EQ(pair.elements.size(), 2u);
  // Large encoding.
  for (int i = 0; i < 300; ++i) RunRaw({"HSET", "big", "f" + std::to_string(i), "v"});
  r = Run({"HRANDFIELD", "big", "100"});
  ASSERT_EQ(r.elements.size(), 100u);
  std::set<std::string> distinct;
  for (const protocol::Reply& e : r.elements) distinct.insert(e.str);
  EXPECT_EQ(distinct.size(), 100u);
  r = Run({"HRANDFIELD", "big", "250"});
  EXPECT_EQ(r.elements.size(), 250u);
}

// ---- Field expiry. ------------------------------------------------------------------------------

TEST_F(HashesTest, ExpireFieldVisibleAtItsTimeGoneOneMsLater) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(RunRaw({"HPEXPIRE", "h", "100", "FIELDS", "1", "a"}), Ints({1}));
  const int64_t t = Now() + 100;
  EXPECT_EQ(RunRaw({"HPEXPIRETIME", "h", "FIELDS", "2", "a", "b"}), Ints({t, -1}));
  clock_.Set(t);
  EXPECT_EQ(RunRaw({"HGET", "h", "a"}), Bulk("1"));
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "1", "a"}), Ints({0}));
  clock_.Advance(1);
  EXPECT_EQ(RunRaw({"HGET", "h", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(1));
  EXPECT_EQ(RunRaw({"HGETALL", "h"}), "*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1", "a"}), Ints({-2}));
}

TEST_F(HashesTest, KeyGoesWithItsLastExpiredField) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1"}), Int(1));
  EXPECT_EQ(RunRaw({"EXPIRE", "h", "1000"}), Int(1));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "1", "a"}), Ints({1}));
  clock_.Advance(10001);
  // A write after the last field expired creates a fresh key: no key TTL.
  EXPECT_EQ(RunRaw({"HSET", "h", "b", "2"}), Int(1));
  EXPECT_EQ(RunRaw({"TTL", "h"}), Int(-1));
  EXPECT_EQ(RunRaw({"HGETALL", "h"}), "*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  // A read deletes the key.
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "5", "FIELDS", "1", "b"}), Ints({1}));
  clock_.Advance(5001);
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(0));
  EXPECT_EQ(RunRaw({"EXISTS", "h"}), Int(0));
}

TEST_F(HashesTest, HExpireCodesAndConditions) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2"}), Int(2));
  EXPECT_EQ(RunRaw({"HEXPIRE", "nokey", "10", "FIELDS", "2", "a", "b"}), Ints({-2, -2}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "100", "XX", "FIELDS", "1", "a"}), Ints({0}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "100", "GT", "FIELDS", "1", "a"}), Ints({0}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "100", "nx", "FIELDS", "3", "a", "zz", "a"}), Ints({1, -2, 0}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "200", "GT", "FIELDS", "1", "a"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "300", "LT", "FIELDS", "2", "a", "b"}), Ints({0, 1}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "50", "LT", "FIELDS", "1", "a"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "3", "a", "b", "c"}), Ints({50, 300, -2}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "60", "XX", "FIELDS", "1", "a"}), Ints({1}));
  // Zero / past times delete; the condition is checked first.
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "0", "NX", "FIELDS", "1", "a"}), Ints({0}));
  EXPECT_EQ(RunRaw({"HPEXPIREAT", "h", "1", "FIELDS", "1", "a"}), Ints({2}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "0", "FIELDS", "2", "b", "b"}), Ints({2, -2}));
  EXPECT_EQ(RunRaw({"EXISTS", "h"}), Int(0));
}

TEST_F(HashesTest, HExpireTimeUnits) {
  clock_.Set(1'700'000'000'250);
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "c", "3", "d", "4"}), Int(4));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "1", "a"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HPEXPIRE", "h", "10500", "FIELDS", "1", "b"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HEXPIREAT", "h", "1800000000", "FIELDS", "1", "c"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HPEXPIREAT", "h", "1800000000123", "FIELDS", "1", "d"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HPEXPIRETIME", "h", "FIELDS", "4", "a", "b", "c", "d"}),
            Ints({1'700'000'010'250, 1'700'000'010'750, 1'800'000'000'000, 1'800'000'000'123}));
  // Seconds round up (Redis 7.4).
  EXPECT_EQ(RunRaw({"HEXPIRETIME", "h", "FIELDS", "2", "c", "d"}),
            Ints({1'800'000'000, 1'800'000'001}));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "2", "a", "b"}), Ints({10, 11}));
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "2", "a", "b"}), Ints({10000, 10500}));
  clock_.Advance(9999);
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1", "a"}), Ints({1}));
}

TEST_F(HashesTest, HExpireErrors) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1"}), Int(1));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "x", "FIELDS", "1", "a"}), kNotInt);
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "-1", "FIELDS", "1", "a"}),
            "-ERR invalid expire time, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "70368744177664", "FIELDS", "1", "a"}),
            "-ERR invalid expire time in 'hexpire' command\r\n");
  EXPECT_EQ(RunRaw({"HPEXPIREAT", "h", "70368744177664", "FIELDS", "1", "a"}),
            "-ERR invalid expire time in 'hpexpireat' command\r\n");
  EXPECT_EQ(RunRaw({"HPEXPIREAT", "h", "70368744177663", "FIELDS", "1", "a"}), Ints({1}));
  EXPECT_EQ(RunRaw({"HEXPIREAT", "h", "70368744177663", "FIELDS", "1", "a"}),
            "-ERR invalid expire time in 'hexpireat' command\r\n");
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELD", "1", "a"}), kFieldsMissing);
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "NX", "XX", "FIELDS", "1", "a"}), kFieldsMissing);
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "0", "a"}),
            "-ERR Parameter `numFields` should be greater than 0\r\n");
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "x", "a"}),
            "-ERR Parameter `numFields` should be greater than 0\r\n");
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "2", "a"}), kNumFieldsMismatch);
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "10", "FIELDS", "1", "a", "b"}), kNumFieldsMismatch);
  // The key is checked first: a missing key still validates, a wrong type does not.
  EXPECT_EQ(RunRaw({"HEXPIRE", "nokey", "-1", "FIELDS", "1", "a"}),
            "-ERR invalid expire time, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDZ", "1", "a"}), kFieldsMissing);
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "0", "a"}), kNumFieldsPositive);
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "-1", "a"}), kNumFieldsPositive);
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "2", "a"}), kNumFieldsMismatch);
  EXPECT_EQ(RunRaw({"HTTL", "nokey", "FIELDS", "2", "a", "b"}), Ints({-2, -2}));
  EXPECT_EQ(RunRaw({"HPERSIST", "h", "FIELDS", "0", "a"}), kNumFieldsPositive);
}

TEST_F(HashesTest, PersistAndWhatClearsExpiry) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "n", "5", "x", "1.5"}), Int(4));
  EXPECT_EQ(RunRaw({"HPERSIST", "h", "FIELDS", "3", "a", "zz", "a"}), Ints({-1, -2, -1}));
  EXPECT_EQ(RunRaw({"HEXPIRE", "h", "100", "FIELDS", "4", "a", "b", "n", "x"}), Ints({1, 1, 1, 1}));
  EXPECT_EQ(RunRaw({"HPERSIST", "h", "FIELDS", "2", "a", "a"}), Ints({1, -1}));
  EXPECT_EQ(RunRaw({"HPERSIST", "nokey", "FIELDS", "1", "a"}), Ints({-2}));
  // HSET overwrites and drops the expiry; HINCRBY / HINCRBYFLOAT keep it; HSETNX does nothing.
  EXPECT_EQ(RunRaw({"HSET", "h", "b", "3"}), Int(0));
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "n", "1"}), Int(6));
  EXPECT_EQ(RunRaw({"HINCRBYFLOAT", "h", "x", "1"}), Bulk("2.5"));
  EXPECT_EQ(RunRaw({"HSETNX", "h", "x", "9"}), Int(0));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "4", "a", "b", "n", "x"}), Ints({-1, -1, 100, 100}));
  // HDEL removes a field and its expiry.
  EXPECT_EQ(RunRaw({"HDEL", "h", "n"}), Int(1));
  EXPECT_EQ(RunRaw({"HSET", "h", "n", "1"}), Int(1));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1", "n"}), Ints({-1}));
}

TEST_F(HashesTest, ExpiredFieldsAreInvisibleToEveryCommand) {
  auto setup = [&] {
    RunRaw({"DEL", "h"});
    EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2"}), Int(2));
    EXPECT_EQ(RunRaw({"HPEXPIRE", "h", "10", "FIELDS", "1", "a"}), Ints({1}));
    clock_.Advance(11);
  };
  setup();
  EXPECT_EQ(RunRaw({"HEXISTS", "h", "a"}), Int(0));
  setup();
  EXPECT_EQ(RunRaw({"HSTRLEN", "h", "a"}), Int(0));
  setup();
  EXPECT_EQ(RunRaw({"HMGET", "h", "a", "b"}), "*2\r\n$-1\r\n$1\r\n2\r\n");
  setup();
  EXPECT_EQ(RunRaw({"HKEYS", "h"}), "*1\r\n$1\r\nb\r\n");
  setup();
  EXPECT_EQ(RunRaw({"HSCAN", "h", "0"}), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
  setup();
  EXPECT_EQ(RunRaw({"HRANDFIELD", "h", "5"}), "*1\r\n$1\r\nb\r\n");
  setup();
  EXPECT_EQ(RunRaw({"HSETNX", "h", "a", "new"}), Int(1));
  setup();
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "new"}), Int(1));
  setup();
  EXPECT_EQ(RunRaw({"HINCRBY", "h", "a", "5"}), Int(5));
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1", "a"}), Ints({-1}));
  setup();
  EXPECT_EQ(RunRaw({"HDEL", "h", "a"}), Int(0));
  setup();
  EXPECT_EQ(RunRaw({"HPERSIST", "h", "FIELDS", "1", "a"}), Ints({-2}));
  setup();
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "1", "a"}), "*1\r\n$-1\r\n");
  setup();
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FNX", "FIELDS", "1", "a", "x"}), Int(1));
}

TEST_F(HashesTest, LargeHashFieldExpiry) {
  for (int i = 0; i < 500; ++i) RunRaw({"HSET", "h", "f" + std::to_string(i), "v"});
  EXPECT_EQ(Encoding("h"), Bulk("hashtable"));
  for (int i = 0; i < 500; i += 2) {
    EXPECT_EQ(
        RunRaw({"HPEXPIRE", "h", std::to_string(100 + i), "FIELDS", "1", "f" + std::to_string(i)}),
        Ints({1}));
  }
  clock_.Advance(100 + 250);
  // f0..f248 (even) expired: 125 gone.
  EXPECT_EQ(RunRaw({"HLEN", "h"}), Int(375));
  EXPECT_EQ(RunRaw({"HGET", "h", "f250"}), Bulk("v"));
  EXPECT_EQ(RunRaw({"HGET", "h", "f248"}), "$-1\r\n");
  EXPECT_EQ(ScanAll("h", "7").size(), 375u);
}

TEST_F(HashesTest, HGetDel) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "c", "3"}), Int(3));
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "2", "c", "zz"}), "*2\r\n$1\r\n3\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "2", "a", "a"}), "*2\r\n$1\r\n1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HGETDEL", "nokey", "FIELDS", "1", "a"}), "*1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELD", "1", "b"}), kFieldsMissing);
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "0", "b"}), kNumFieldsPositive);
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "2", "b"}), kNumFieldsMismatch);
  EXPECT_EQ(RunRaw({"HGETDEL", "h", "FIELDS", "1", "b"}), "*1\r\n$1\r\n2\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "h"}), Int(0));
  Resp3();
  EXPECT_EQ(RunRaw({"HGETDEL", "nokey", "FIELDS", "1", "a"}), "*1\r\n_\r\n");
}

TEST_F(HashesTest, HGetEx) {
  EXPECT_EQ(RunRaw({"HSET", "h", "a", "1", "b", "2", "c", "3"}), Int(3));
  EXPECT_EQ(RunRaw({"HGETEX", "h", "FIELDS", "2", "a", "zz"}), "*2\r\n$1\r\n1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "100", "FIELDS", "2", "a", "zz"}),
            "*2\r\n$1\r\n1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "1", "a"}), Ints({100}));
  EXPECT_EQ(RunRaw({"HGETEX", "h", "PX", "5000", "FIELDS", "1", "b"}), "*1\r\n$1\r\n2\r\n");
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "1", "b"}), Ints({5000}));
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EXAT", "1800000000", "FIELDS", "1", "c"}), "*1\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HEXPIRETIME", "h", "FIELDS", "1", "c"}), Ints({1800000000}));
  EXPECT_EQ(RunRaw({"HGETEX", "h", "PERSIST", "FIELDS", "2", "a", "c"}),
            "*2\r\n$1\r\n1\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"HTTL", "h", "FIELDS", "2", "a", "c"}), Ints({-1, -1}));
  // A past time deletes after reading.
  EXPECT_EQ(RunRaw({"HGETEX", "h", "PXAT", "1", "FIELDS", "2", "a", "a"}),
            "*2\r\n$1\r\n1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "0", "FIELDS", "2", "b", "c"}),
            "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "h"}), Int(0));
  EXPECT_EQ(RunRaw({"HGETEX", "nokey", "EX", "10", "FIELDS", "1", "a"}), "*1\r\n$-1\r\n");
  // Errors.
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "x", "FIELDS", "1", "a"}), kNotInt);
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "-1", "FIELDS", "1", "a"}),
            "-ERR invalid expire time, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "70368744177664", "FIELDS", "1", "a"}),
            "-ERR invalid expire time in 'hgetex' command\r\n");
  EXPECT_EQ(RunRaw({"HGETEX", "h", "EX", "10", "FIELDS"}), Arity("hgetex"));
  EXPECT_EQ(RunRaw({"HGETEX", "h", "KEEPTTL", "FIELDS", "1", "a"}), kFieldsMissing);
  EXPECT_EQ(RunRaw({"HGETEX", "h", "FIELDS", "0", "a"}), kNumFieldsPositive);
  EXPECT_EQ(RunRaw({"HGETEX", "h", "FIELDS", "3", "a"}), kNumFieldsMismatch);
}

TEST_F(HashesTest, HSetEx) {
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FIELDS", "2", "a", "1", "b", "2"}), Int(1));
  EXPECT_EQ(RunRaw({"HGETALL", "h"}), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FNX", "EX", "100", "FIELDS", "2", "a", "x", "c", "3"}), Int(0));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FXX", "EX", "100", "FIELDS", "2", "a", "x", "c", "3"}), Int(0));
  EXPECT_EQ(RunRaw({"HSETEX", "nokey", "FXX", "FIELDS", "1", "a", "x"}), Int(0));
  EXPECT_EQ(RunRaw({"EXISTS", "nokey"}), Int(0));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "fxx", "PX", "5000", "FIELDS", "2", "a", "x", "b", "y"}),
            Int(1));
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "2", "a", "b"}), Ints({5000, 5000}));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "KEEPTTL", "FIELDS", "1", "a", "z"}), Int(1));
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "1", "a"}), Ints({5000}));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FIELDS", "1", "a", "w"}), Int(1));  // clears, as HSET
  EXPECT_EQ(RunRaw({"HPTTL", "h", "FIELDS", "1", "a"}), Ints({-1}));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "FNX", "EXAT", "1800000000", "FIELDS", "1", "c", "3"}), Int(1));
  EXPECT_EQ(RunRaw({"HEXPIRETIME", "h", "FIELDS", "1", "c"}), Ints({1800000000}));
  EXPECT_EQ(RunRaw({"HSETEX", "h", "PXAT", "1", "FIELDS", "1", "c", "4"}), Int(1));  // deleted
  EXPECT_EQ(RunRaw({"HEXISTS", "h", "c"}), Int(0));
  // Errors, all before the key is looked up.
  EXPECT_EQ(RunRaw({"SET", "s", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "EX", "1", "PX", "1", "FIELDS", "1", "a", "b"}),
            "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "KEEPTTL", "EX", "1", "FIELDS", "1", "a", "b"}),
            "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FNX", "FXX", "FIELDS", "1", "a", "b"}),
            "-ERR Only one of FXX or FNX arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "BOGUS", "FIELDS", "1", "a", "b"}),
            "-ERR unknown argument: BOGUS\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FIELDS", "0", "a", "b"}), "-ERR invalid number of fields\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FIELDS", "x", "a", "b"}), "-ERR invalid number of fields\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FIELDS", "2", "a", "b"}), Arity("hsetex"));
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FIELDS", "1", "a", "b", "c"}), Arity("hsetex"));
  EXPECT_EQ(RunRaw({"HSETEX", "s", "EX", "-5", "FIELDS", "1", "a", "b"}),
            "-ERR invalid expire time, must be >= 0\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FNX", "FNX", "FIELDS", "1", "a"}),
            "-ERR Only one of FXX or FNX arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FNX", "KEEPTTL", "EX", "1"}),
            "-ERR Only one of EX, PX, EXAT, PXAT or KEEPTTL arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FNX", "FXX", "KEEPTTL", "EX"}),
            "-ERR Only one of FXX or FNX arguments can be specified\r\n");
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FNX", "KEEPTTL", "FIELDS", "1"}), Arity("hsetex"));
  EXPECT_EQ(RunRaw({"HSETEX", "s", "FIELDS", "1", "a", "b"}), kWrongType);
}

TEST_F(HashesTest, CommandInfo) {
  protocol::Reply r = Run({"COMMAND", "INFO", "hset", "hexpire", "hgetex"});
  ASSERT_EQ(r.elements.size(), 3u);
  EXPECT_EQ(r.elements[0].elements[0].str, "hset");
  EXPECT_EQ(r.elements[0].elements[1].integer, -4);
  EXPECT_EQ(r.elements[1].elements[1].integer, -6);
  EXPECT_EQ(r.elements[2].elements[1].integer, -5);
}

}  // namespace
}  // namespace ringkv::server
