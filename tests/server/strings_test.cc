// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// String commands through the dispatcher: exact reply bytes, as Debian's redis-server 7.0.15
// sends them for the same commands (checked by hand and by tests/compat/differential_test.cc).
#include <memory>
#include <string>

#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr char kWrongType[] =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range\r\n";
constexpr char kSyntax[] = "-ERR syntax error\r\n";

// A stand-in non-string value, for WRONGTYPE paths (no list/hash commands are needed).
class FakeList : public engine::ObjectOf<FakeList> {
 public:
  size_t MemoryUsage() const { return 16; }
  std::unique_ptr<engine::Object> Clone() const { return std::make_unique<FakeList>(); }
  engine::Encoding encoding() const { return engine::Encoding::kQuicklist; }
  size_t Size() const { return 1; }
};

class StringsTest : public CommandTest {
 protected:
  void MakeList(std::string_view key) {
    engine_.SetObject(client_.db, key, engine::ValueType::kList, std::make_unique<FakeList>());
  }
  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }
};

TEST_F(StringsTest, GetMissingEmptyAndBinary) {
  EXPECT_EQ(RunRaw({"GET", "nokey"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "", ""}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", ""}), "$0\r\n\r\n");
  std::string bin("a\0\r\nb", 5);
  EXPECT_EQ(RunRaw({"SET", "b", bin}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "b"}), "$5\r\n" + bin + "\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"GET", "l"}), kWrongType);
  EXPECT_EQ(RunRaw({"GET"}), "-ERR wrong number of arguments for 'get' command\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"GET", "nokey"}), "_\r\n");
}

TEST_F(StringsTest, HugeValueRoundTrips) {
  std::string big(1 << 20, 'v');
  EXPECT_EQ(RunRaw({"SET", "k", big}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"STRLEN", "k"}), ":1048576\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1048576\r\n" + big + "\r\n");
}

TEST_F(StringsTest, SetGetOption) {
  EXPECT_EQ(RunRaw({"SET", "k", "v1", "GET"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v2", "GET"}), "$2\r\nv1\r\n");
  // NX with GET (allowed since 7.0): the old value comes back and nothing is written.
  EXPECT_EQ(RunRaw({"SET", "k", "v3", "NX", "GET"}), "$2\r\nv2\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$2\r\nv2\r\n");
  EXPECT_EQ(RunRaw({"SET", "missing", "x", "XX", "GET"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "missing"}), ":0\r\n");
  // Repeated options are accepted; the last expire value wins.
  EXPECT_EQ(RunRaw({"SET", "k", "v2", "GET", "GET", "NX", "NX"}), "$2\r\nv2\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v2", "EX", "abc", "EX", "100"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":100\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v2", "EX", "10", "PX", "100"}), kSyntax);
  MakeList("l");
  EXPECT_EQ(RunRaw({"SET", "l", "x", "GET"}), kWrongType);
  EXPECT_EQ(RunRaw({"TYPE", "l"}), "+list\r\n");  // nothing written
  // Without GET a SET replaces a value of any type.
  EXPECT_EQ(RunRaw({"SET", "l", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"TYPE", "l"}), "+string\r\n");
}

TEST_F(StringsTest, SetChecksSyntaxBeforeExpireValue) {
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "abc", "NX", "XX"}), kSyntax);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "0", "bogus"}), kSyntax);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", "+5"}), kNotInt);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EX", " 5"}), kNotInt);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "PX", "05"}), kNotInt);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EXAT", "-0"}), kNotInt);
  EXPECT_EQ(RunRaw({"SET", "k", "v", "PXAT", "0"}),
            "-ERR invalid expire time in 'set' command\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
  // EXAT in the past: OK, and no key is left.
  EXPECT_EQ(RunRaw({"SET", "k", "v", "EXAT", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
}

TEST_F(StringsTest, SetNx) {
  EXPECT_EQ(RunRaw({"SETNX", "k", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"SETNX", "k", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), "$1\r\na\r\n");
  EXPECT_EQ(RunRaw({"SETNX", "k"}), "-ERR wrong number of arguments for 'setnx' command\r\n");
}

TEST_F(StringsTest, SetExAndPSetEx) {
  EXPECT_EQ(RunRaw({"SETEX", "k", "10", "v"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":10\r\n");
  EXPECT_EQ(RunRaw({"SETEX", "k", "0", "v"}), "-ERR invalid expire time in 'setex' command\r\n");
  EXPECT_EQ(RunRaw({"SETEX", "k", "-3", "v"}), "-ERR invalid expire time in 'setex' command\r\n");
  EXPECT_EQ(RunRaw({"SETEX", "k", "9223372036854775807", "v"}),
            "-ERR invalid expire time in 'setex' command\r\n");
  EXPECT_EQ(RunRaw({"SETEX", "k", "x", "v"}), kNotInt);
  EXPECT_EQ(RunRaw({"PSETEX", "k", "0", "v"}), "-ERR invalid expire time in 'psetex' command\r\n");
  EXPECT_EQ(RunRaw({"PSETEX", "p", "1500", "v"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "p"}), ":1500\r\n");
  // Expiry is never early: at exactly the expire time the key still exists.
  clock_.Advance(1500);
  EXPECT_EQ(RunRaw({"GET", "p"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "p"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"TTL", "p"}), ":0\r\n");
  clock_.Advance(1);
  EXPECT_EQ(RunRaw({"GET", "p"}), "$-1\r\n");
  // The failed SETEX calls above left the first value and TTL alone.
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":8\r\n");
}

TEST_F(StringsTest, GetSetClearsTtl) {
  EXPECT_EQ(RunRaw({"GETSET", "k", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "k", "100"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"GETSET", "k", "b"}), "$1\r\na\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-1\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"GETSET", "l", "b"}), kWrongType);
}

TEST_F(StringsTest, GetDel) {
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(RunRaw({"GETDEL", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"GETDEL", "k"}), "$-1\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"GETDEL", "l"}), kWrongType);
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":1\r\n");
}

TEST_F(StringsTest, GetExOptionsAndOrderOfChecks) {
  EXPECT_EQ(RunRaw({"GETEX", "missing", "EX", "abc"}), "$-1\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"GETEX", "l", "EX", "abc"}), kWrongType);
  RunRaw({"SET", "k", "v"});
  EXPECT_EQ(RunRaw({"GETEX", "k", "EX", "abc"}), kNotInt);
  EXPECT_EQ(RunRaw({"GETEX", "k", "EX", "0"}), "-ERR invalid expire time in 'getex' command\r\n");
  EXPECT_EQ(RunRaw({"GETEX", "k", "PX", "-1"}), "-ERR invalid expire time in 'getex' command\r\n");
  EXPECT_EQ(RunRaw({"GETEX", "k", "PERSIST", "EX", "10"}), kSyntax);
  EXPECT_EQ(RunRaw({"GETEX", "k", "EX"}), kSyntax);
  EXPECT_EQ(RunRaw({"GETEX", "k", "KEEPTTL"}), kSyntax);
  EXPECT_EQ(RunRaw({"GETEX", "k", "NX"}), kSyntax);
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-1\r\n");
  EXPECT_EQ(RunRaw({"GETEX", "k", "EX", "100"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":100\r\n");
  EXPECT_EQ(RunRaw({"GETEX", "k"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":100\r\n");
  EXPECT_EQ(RunRaw({"GETEX", "k", "persist"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"TTL", "k"}), ":-1\r\n");
  std::string at = std::to_string(clock_.NowMs() + 2000);
  EXPECT_EQ(RunRaw({"GETEX", "k", "PXAT", at}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"PTTL", "k"}), ":2000\r\n");
  // EXAT in the past: the value comes back and the key is gone.
  EXPECT_EQ(RunRaw({"GETEX", "k", "EXAT", "1"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "k"}), ":0\r\n");
}

TEST_F(StringsTest, MGetMSetMSetNx) {
  EXPECT_EQ(RunRaw({"MSET", "a", "1", "b", "2", "a", "3"}), "+OK\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"MGET", "a", "b", "c", "l"}), "*4\r\n$1\r\n3\r\n$1\r\n2\r\n$-1\r\n$-1\r\n");
  EXPECT_EQ(RunRaw({"MSET", "a", "1", "b"}),
            "-ERR wrong number of arguments for 'mset' command\r\n");
  EXPECT_EQ(RunRaw({"MSETNX", "x", "1", "y"}),
            "-ERR wrong number of arguments for 'msetnx' command\r\n");
  EXPECT_EQ(RunRaw({"MSETNX", "x", "1", "a", "9"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "x"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"MSETNX", "x", "1", "y", "2"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"GET", "a"}), "$1\r\n3\r\n");
  // MSET replaces values of other types, as SET does.
  EXPECT_EQ(RunRaw({"MSET", "l", "s"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"GET", "l"}), "$1\r\ns\r\n");
  Resp3();
  EXPECT_EQ(RunRaw({"MGET", "a", "nokey"}), "*2\r\n$1\r\n3\r\n_\r\n");
}

TEST_F(StringsTest, IncrDecrFamily) {
  EXPECT_EQ(RunRaw({"INCR", "n"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"DECR", "n"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"DECR", "n"}), ":-1\r\n");
  EXPECT_EQ(RunRaw({"INCRBY", "n", "-9"}), ":-10\r\n");
  EXPECT_EQ(RunRaw({"DECRBY", "n", "-20"}), ":10\r\n");
  for (const char* bad : {"+1", " 1", "1 ", "01", "-0", "", "1.5", "9223372036854775808"}) {
    EXPECT_EQ(RunRaw({"INCRBY", "n", bad}), kNotInt) << bad;
  }
  EXPECT_EQ(RunRaw({"SET", "m", "9223372036854775807"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"INCR", "m"}), "-ERR increment or decrement would overflow\r\n");
  EXPECT_EQ(RunRaw({"GET", "m"}), "$19\r\n9223372036854775807\r\n");
  EXPECT_EQ(RunRaw({"SET", "m", "-9223372036854775808"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"DECR", "m"}), "-ERR increment or decrement would overflow\r\n");
  // Negating INT64_MIN is refused before the key is even looked at.
  EXPECT_EQ(RunRaw({"DECRBY", "n", "-9223372036854775808"}), "-ERR decrement would overflow\r\n");
  EXPECT_EQ(RunRaw({"SET", "s", "abc"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"INCR", "s"}), kNotInt);
  EXPECT_EQ(RunRaw({"SET", "s", " 1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"INCR", "s"}), kNotInt);
  MakeList("l");
  EXPECT_EQ(RunRaw({"INCR", "l"}), kWrongType);
  EXPECT_EQ(RunRaw({"INCRBY", "l", "x"}), kNotInt);  // the increment is parsed first
  EXPECT_EQ(RunRaw({"GET", "n"}), "$2\r\n10\r\n");
}

TEST_F(StringsTest, IncrByFloat) {
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "10.5"}), "$4\r\n10.5\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "0.1"}), "$4\r\n10.6\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "-5.0e3"}), "$23\r\n-4989.39999999999999991\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "g", "1e20"}), "$21\r\n100000000000000000000\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "abc"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", " 1"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "nan"}), "-ERR value is not a valid float\r\n");
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "f", "inf"}),
            "-ERR increment would produce NaN or Infinity\r\n");
  EXPECT_EQ(RunRaw({"GET", "f"}), "$23\r\n-4989.39999999999999991\r\n");
  MakeList("l");
  // Redis checks the key's type before the increment.
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "l", "abc"}), kWrongType);
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "l", "1"}), kWrongType);
  Resp3();
  // A bulk string in RESP3 too, as Redis 7.0 sends it.
  EXPECT_EQ(RunRaw({"INCRBYFLOAT", "h", "1.5"}), "$3\r\n1.5\r\n");
}

TEST_F(StringsTest, AppendAndStrLen) {
  EXPECT_EQ(RunRaw({"STRLEN", "k"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"APPEND", "k", "ab"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"APPEND", "k", ""}), ":2\r\n");
  EXPECT_EQ(RunRaw({"APPEND", "k", "cd"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"STRLEN", "k"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"SET", "n", "12"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"APPEND", "n", "3"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"GET", "n"}), "$3\r\n123\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"APPEND", "l", "x"}), kWrongType);
  EXPECT_EQ(RunRaw({"STRLEN", "l"}), kWrongType);
}

TEST_F(StringsTest, GetRangeAndSubstr) {
  RunRaw({"SET", "k", "Hello World"});
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "0", "4"}), "$5\r\nHello\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "-5", "-1"}), "$5\r\nWorld\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "-1", "-5"}), "$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "5", "2"}), "$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "-100", "100"}), "$11\r\nHello World\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "0", "-100"}), "$1\r\nH\r\n");
  EXPECT_EQ(RunRaw({"SUBSTR", "k", "6", "9223372036854775807"}), "$5\r\nWorld\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "missing", "0", "-1"}), "$0\r\n\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "a", "1"}), kNotInt);
  EXPECT_EQ(RunRaw({"GETRANGE", "missing", "0", "+1"}), kNotInt);
  MakeList("l");
  EXPECT_EQ(RunRaw({"GETRANGE", "l", "0", "1"}), kWrongType);
  EXPECT_EQ(RunRaw({"SUBSTR", "k", "0"}),
            "-ERR wrong number of arguments for 'substr' command\r\n");
}

TEST_F(StringsTest, SetRange) {
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "3", "ab"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"GET", "k"}), std::string("$5\r\n\0\0\0ab\r\n", 11));
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "0", "xy"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "1", ""}), ":5\r\n");
  EXPECT_EQ(RunRaw({"SETRANGE", "missing", "5", ""}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "missing"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "-1", "x"}), "-ERR offset is out of range\r\n");
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "x", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "536870912", "x"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(RunRaw({"SETRANGE", "k", "536870911", "xy"}),
            "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n");
  EXPECT_EQ(RunRaw({"STRLEN", "k"}), ":5\r\n");
  MakeList("l");
  EXPECT_EQ(RunRaw({"SETRANGE", "l", "0", "x"}), kWrongType);
  EXPECT_EQ(RunRaw({"SETRANGE", "l", "0", ""}), kWrongType);
}

TEST_F(StringsTest, Resp3RepliesOfSetFamily) {
  Resp3();
  EXPECT_EQ(RunRaw({"SET", "k", "v", "NX"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"SET", "k", "v", "NX"}), "_\r\n");
  EXPECT_EQ(RunRaw({"SET", "j", "v", "GET"}), "_\r\n");
  EXPECT_EQ(RunRaw({"GETDEL", "nokey"}), "_\r\n");
  EXPECT_EQ(RunRaw({"SETNX", "k", "v"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"GETRANGE", "k", "0", "0"}), "$1\r\nv\r\n");
}

}  // namespace
}  // namespace ringkv::server
