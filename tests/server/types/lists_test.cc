// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// List commands through the dispatcher: exact reply bytes in RESP2 and RESP3, as Debian's
// redis-server 7.0.15 sends them for the same commands (checked by hand and by
// tests/compat/differential_list_test.cc), every error text, and the order in which Redis checks
// arguments against the key.
#include <string>
#include <vector>

#include "engine/types/limits.h"
#include "engine/types/list.h"
#include "tests/server/command_test_base.h"

namespace ringkv::server {
namespace {

constexpr char kWrongType[] =
    "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
constexpr char kNotInt[] = "-ERR value is not an integer or out of range\r\n";
constexpr char kSyntax[] = "-ERR syntax error\r\n";
constexpr char kMustBePositive[] = "-ERR value is out of range, must be positive\r\n";

std::string Bulk(std::string_view s) {
  return "$" + std::to_string(s.size()) + "\r\n" + std::string(s) + "\r\n";
}

std::string Array(std::initializer_list<std::string_view> items) {
  std::string out = "*" + std::to_string(items.size()) + "\r\n";
  for (std::string_view s : items) out += Bulk(s);
  return out;
}

class ListsTest : public CommandTest {
 protected:
  void Resp3() { ASSERT_EQ(RunRaw({"HELLO", "3"}).substr(0, 1), "%"); }
  std::string Arity(std::string_view name) {
    return "-ERR wrong number of arguments for '" + std::string(name) + "' command\r\n";
  }
};

TEST_F(ListsTest, PushAndLength) {
  EXPECT_EQ(RunRaw({"LPUSH", "l", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LPUSH", "l", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "l", "d", "e"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"c", "b", "a", "d", "e"}));
  EXPECT_EQ(RunRaw({"LLEN", "l"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"LLEN", "missing"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"TYPE", "l"}), "+list\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "l"}), "$9\r\nquicklist\r\n");
  EXPECT_EQ(RunRaw({"LPUSH", "l"}), Arity("lpush"));
  EXPECT_EQ(RunRaw({"RPUSH"}), Arity("rpush"));
  EXPECT_EQ(RunRaw({"LLEN"}), Arity("llen"));
  EXPECT_EQ(RunRaw({"LLEN", "a", "b"}), Arity("llen"));
  // Binary-safe values, empty values and integers read back as pushed.
  std::string bin("a\0\r\nb", 5);
  EXPECT_EQ(RunRaw({"RPUSH", "b", bin, "", "007", "-0", "12", "-9223372036854775808"}), ":6\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "b", "0", "-1"}),
            Array({bin, "", "007", "-0", "12", "-9223372036854775808"}));
}

TEST_F(ListsTest, PushXOnlyWhenTheListExists) {
  EXPECT_EQ(RunRaw({"LPUSHX", "l", "a"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RPUSHX", "l", "a", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "l", "x"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LPUSHX", "l", "a", "b"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"RPUSHX", "l", "z"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"b", "a", "x", "z"}));
  EXPECT_EQ(RunRaw({"LPUSHX", "l"}), Arity("lpushx"));
}

TEST_F(ListsTest, WrongTypeEverywhere) {
  EXPECT_EQ(RunRaw({"SET", "s", "v"}), "+OK\r\n");
  const std::vector<std::vector<std::string_view>> commands = {
      {"LPUSH", "s", "a"},
      {"RPUSH", "s", "a"},
      {"LPUSHX", "s", "a"},
      {"RPUSHX", "s", "a"},
      {"LPOP", "s"},
      {"RPOP", "s"},
      {"LPOP", "s", "0"},
      {"RPOP", "s", "3"},
      {"LLEN", "s"},
      {"LRANGE", "s", "0", "-1"},
      {"LINDEX", "s", "0"},
      {"LINDEX", "s", "notanint"},  // the key is looked at first
      {"LSET", "s", "0", "x"},
      {"LSET", "s", "x", "x"},
      {"LREM", "s", "0", "x"},
      {"LTRIM", "s", "0", "1"},
      {"LINSERT", "s", "BEFORE", "a", "b"},
      {"LPOS", "s", "a"},
      {"LPOS", "s", "a", "COUNT", "0"},
      {"LMOVE", "s", "d", "LEFT", "RIGHT"},
      {"RPOPLPUSH", "s", "d"},
      {"RPOPLPUSH", "s", "s"},
      {"LMPOP", "1", "s", "LEFT"},
  };
  for (const auto& c : commands) {
    std::vector<std::string_view> args(c.begin(), c.end());
    Dispatch(context_, client_, encoder_, args);
    EXPECT_EQ(out_.ToString(), kWrongType) << c[0];
    out_.Clear();
  }
  EXPECT_EQ(RunRaw({"GET", "s"}), "$1\r\nv\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "d"}), ":0\r\n");
  // A list under another type's command.
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"GET", "l"}), kWrongType);
  EXPECT_EQ(RunRaw({"APPEND", "l", "x"}), kWrongType);
}

TEST_F(ListsTest, PopWithoutCount) {
  EXPECT_EQ(RunRaw({"LPOP", "l"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l"}), Bulk("a"));
  EXPECT_EQ(RunRaw({"RPOP", "l"}), Bulk("c"));
  EXPECT_EQ(RunRaw({"RPOP", "l"}), Bulk("b"));
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":0\r\n");  // the emptied list is gone
  EXPECT_EQ(RunRaw({"RPOP", "l"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LPOP"}), Arity("lpop"));
}

TEST_F(ListsTest, PopWithCount) {
  // Missing key: a null array whatever the count (0 included).
  EXPECT_EQ(RunRaw({"LPOP", "l", "0"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "2"}), "*-1\r\n");
  // The count is parsed before the key is looked at.
  EXPECT_EQ(RunRaw({"LPOP", "l", "-1"}), kMustBePositive);
  EXPECT_EQ(RunRaw({"LPOP", "l", "abc"}), kMustBePositive);
  EXPECT_EQ(RunRaw({"RPOP", "l", "1.5"}), kMustBePositive);
  EXPECT_EQ(RunRaw({"LPOP", "l", "1", "2"}), Arity("lpop"));
  EXPECT_EQ(RunRaw({"RPOP", "l", "1", "2", "3"}), Arity("rpop"));
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c", "d"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "1"}), Array({"a"}));
  EXPECT_EQ(RunRaw({"RPOP", "l", "2"}), Array({"d", "c"}));
  EXPECT_EQ(RunRaw({"RPOP", "l", "9223372036854775807"}), Array({"b"}));
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RPOP", "l", "9223372036854775808"}), kMustBePositive);
}

TEST_F(ListsTest, PopNullShapesInResp3) {
  Resp3();
  EXPECT_EQ(RunRaw({"LPOP", "l"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "1"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "0"}), "_\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "5"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "zz"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "zz"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "zz", "COUNT", "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LMPOP", "1", "nokey", "LEFT"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "nokey", "l", "LEFT", "LEFT"}), "_\r\n");
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "nokey", "l"}), "_\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "nokey", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l", "5"}), "*1\r\n$1\r\na\r\n");
}

TEST_F(ListsTest, RangeClamping) {
  EXPECT_EQ(RunRaw({"RPUSH", "l", "0", "1", "2", "3", "4"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "1", "2"}), Array({"1", "2"}));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "-2", "-1"}), Array({"3", "4"}));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "-100", "100"}), Array({"0", "1", "2", "3", "4"}));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "3", "1"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "5", "10"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "-1", "-5"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "-9223372036854775808", "9223372036854775807"}),
            Array({"0", "1", "2", "3", "4"}));
  // Indexes are parsed before the key is looked at.
  EXPECT_EQ(RunRaw({"LRANGE", "nokey", "x", "1"}), kNotInt);
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "1.0"}), kNotInt);
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "9223372036854775808"}), kNotInt);
  EXPECT_EQ(RunRaw({"LRANGE", "nokey", "0", "-1"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0"}), Arity("lrange"));
}

TEST_F(ListsTest, IndexAndSet) {
  EXPECT_EQ(RunRaw({"LINDEX", "nokey", "0"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "nokey", "x"}), "$-1\r\n");  // key first, then the index
  EXPECT_EQ(RunRaw({"LSET", "nokey", "0", "x"}), "-ERR no such key\r\n");
  EXPECT_EQ(RunRaw({"LSET", "nokey", "x", "x"}), "-ERR no such key\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "0"}), Bulk("a"));
  EXPECT_EQ(RunRaw({"LINDEX", "l", "-1"}), Bulk("c"));
  EXPECT_EQ(RunRaw({"LINDEX", "l", "-3"}), Bulk("a"));
  EXPECT_EQ(RunRaw({"LINDEX", "l", "3"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "-4"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"LSET", "l", "1", "B"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LSET", "l", "-1", "C"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LSET", "l", "3", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(RunRaw({"LSET", "l", "-4", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(RunRaw({"LSET", "l", "x", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"LSET", "l", "9223372036854775807", "x"}), "-ERR index out of range\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "B", "C"}));
  EXPECT_EQ(RunRaw({"LSET", "l", "0"}), Arity("lset"));
  EXPECT_EQ(RunRaw({"LINDEX", "l"}), Arity("lindex"));
}

TEST_F(ListsTest, RemoveCounts) {
  auto fill = [&] {
    RunRaw({"DEL", "l"});
    EXPECT_EQ(RunRaw({"RPUSH", "l", "x", "a", "x", "b", "x", "c", "x"}), ":7\r\n");
  };
  fill();
  EXPECT_EQ(RunRaw({"LREM", "l", "2", "x"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "b", "x", "c", "x"}));
  fill();
  EXPECT_EQ(RunRaw({"LREM", "l", "-2", "x"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"x", "a", "x", "b", "c"}));
  fill();
  EXPECT_EQ(RunRaw({"LREM", "l", "0", "x"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "b", "c"}));
  fill();
  EXPECT_EQ(RunRaw({"LREM", "l", "-9223372036854775808", "x"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LREM", "l", "0", "nothing"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LREM", "l", "0", "a"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LREM", "l", "0", "b"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LREM", "l", "1", "c"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LREM", "nokey", "0", "a"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LREM", "nokey", "x", "a"}), kNotInt);  // count before the key
  EXPECT_EQ(RunRaw({"LREM", "l", "0"}), Arity("lrem"));
}

TEST_F(ListsTest, TrimClampsAndDeletes) {
  EXPECT_EQ(RunRaw({"LTRIM", "nokey", "0", "1"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LTRIM", "nokey", "0", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c", "d"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LTRIM", "l", "1", "-2"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"b", "c"}));
  EXPECT_EQ(RunRaw({"LTRIM", "l", "-100", "100"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LLEN", "l"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LTRIM", "l", "1", "0"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "l"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LTRIM", "l", "1"}), Arity("ltrim"));
}

TEST_F(ListsTest, InsertBeforeAfter) {
  EXPECT_EQ(RunRaw({"LINSERT", "nokey", "BEFORE", "a", "b"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LINSERT", "nokey", "middle", "a", "b"}), kSyntax);  // syntax first
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "c"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LINSERT", "l", "after", "a", "b"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LINSERT", "l", "BEFORE", "a", "_"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LINSERT", "l", "Before", "zz", "q"}), ":-1\r\n");
  EXPECT_EQ(RunRaw({"LINSERT", "l", "AFTER", "c", "d"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"_", "a", "b", "c", "d"}));
  EXPECT_EQ(RunRaw({"LINSERT", "l", "AFTER", "c"}), Arity("linsert"));
}

TEST_F(ListsTest, PosOptionsAndErrors) {
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "a", "c", "a"}), ":5\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "2"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "-1"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "4"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "COUNT", "0"}), "*3\r\n:0\r\n:2\r\n:4\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "COUNT", "2"}), "*2\r\n:0\r\n:2\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "rank", "2", "count", "0"}), "*2\r\n:2\r\n:4\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "-1", "COUNT", "2", "MAXLEN", "3"}),
            "*2\r\n:4\r\n:2\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "MAXLEN", "2", "COUNT", "0"}), "*1\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "c", "MAXLEN", "3"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "zz", "COUNT", "5"}), "*0\r\n");
  // RANK -2^63 cannot be negated in Redis: it acts as "every match from the tail".
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "-9223372036854775808"}), ":4\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "-9223372036854775808", "COUNT", "1"}),
            "*3\r\n:4\r\n:2\r\n:0\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "RANK", "9223372036854775807", "COUNT", "0"}), "*0\r\n");
  // Errors, each before the key is looked at.
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "RANK", "0"}),
            "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... "
            "or use negative to start from the end of the list\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "RANK", "x"}), kNotInt);
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "COUNT", "-1"}), "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "COUNT", "abc"}), "-ERR COUNT can't be negative\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "MAXLEN", "-1"}), "-ERR MAXLEN can't be negative\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "MAXLEN", "x"}), "-ERR MAXLEN can't be negative\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "COUNT"}), kSyntax);
  EXPECT_EQ(RunRaw({"LPOS", "l", "a", "foo", "1"}), kSyntax);
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "nokey", "a", "COUNT", "0"}), "*0\r\n");
  EXPECT_EQ(RunRaw({"LPOS", "l"}), Arity("lpos"));
}

TEST_F(ListsTest, MoveBetweenLists) {
  EXPECT_EQ(RunRaw({"RPUSH", "src", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "LEFT", "RIGHT"}), Bulk("a"));
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "right", "left"}), Bulk("c"));
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "src", "dst"}), Bulk("b"));
  EXPECT_EQ(RunRaw({"EXISTS", "src"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "dst", "0", "-1"}), Array({"b", "c", "a"}));
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "LEFT", "LEFT"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "src", "dst"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "LEFT", "middle"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "up", "LEFT"}), kSyntax);
  // Missing source beats a destination of another type; a string destination refuses the move
  // and nothing is popped.
  EXPECT_EQ(RunRaw({"SET", "s", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "src", "s", "LEFT", "LEFT"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "dst", "s", "LEFT", "LEFT"}), kWrongType);
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "dst", "s"}), kWrongType);
  EXPECT_EQ(RunRaw({"LLEN", "dst"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "src", "dst", "LEFT"}), Arity("lmove"));
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "src"}), Arity("rpoplpush"));
}

TEST_F(ListsTest, MoveWithinOneListRotates) {
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "l", "l"}), Bulk("c"));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"c", "a", "b"}));
  EXPECT_EQ(RunRaw({"LMOVE", "l", "l", "LEFT", "RIGHT"}), Bulk("c"));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "b", "c"}));
  EXPECT_EQ(RunRaw({"LMOVE", "l", "l", "LEFT", "LEFT"}), Bulk("a"));
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "b", "c"}));
  // A one-element list survives its own rotation.
  EXPECT_EQ(RunRaw({"RPUSH", "one", "x"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"LMOVE", "one", "one", "RIGHT", "LEFT"}), Bulk("x"));
  EXPECT_EQ(RunRaw({"LRANGE", "one", "0", "-1"}), Array({"x"}));
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "none", "none"}), "$-1\r\n");
  EXPECT_EQ(RunRaw({"EXISTS", "none"}), ":0\r\n");
}

TEST_F(ListsTest, MoveKeepsTheDestinationTtl) {
  EXPECT_EQ(RunRaw({"RPUSH", "src", "a", "b"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "dst", "z"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"EXPIRE", "dst", "100"}), ":1\r\n");
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "src", "dst"}), Bulk("b"));
  EXPECT_EQ(RunRaw({"TTL", "dst"}), ":100\r\n");
  // A list whose TTL passed is gone for every list command.
  clock_.Advance(101 * 1000);
  EXPECT_EQ(RunRaw({"LLEN", "dst"}), ":0\r\n");
  EXPECT_EQ(RunRaw({"RPOPLPUSH", "dst", "src"}), "$-1\r\n");
}

TEST_F(ListsTest, MultiPop) {
  EXPECT_EQ(RunRaw({"LMPOP", "2", "a", "b", "LEFT"}), "*-1\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "b", "1", "2", "3"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LMPOP", "2", "a", "b", "LEFT"}), "*2\r\n" + Bulk("b") + Array({"1"}));
  EXPECT_EQ(RunRaw({"LMPOP", "2", "a", "b", "right", "COUNT", "5"}),
            "*2\r\n" + Bulk("b") + Array({"3", "2"}));
  EXPECT_EQ(RunRaw({"EXISTS", "b"}), ":0\r\n");
  // The first non-empty list wins; a key of another type before it is an error, after it is
  // never looked at.
  EXPECT_EQ(RunRaw({"SET", "s", "x"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"RPUSH", "c", "x", "y"}), ":2\r\n");
  EXPECT_EQ(RunRaw({"LMPOP", "3", "a", "s", "c", "LEFT"}), kWrongType);
  EXPECT_EQ(RunRaw({"LMPOP", "3", "a", "c", "s", "LEFT", "COUNT", "1"}),
            "*2\r\n" + Bulk("c") + Array({"x"}));
  // The same key twice.
  EXPECT_EQ(RunRaw({"LMPOP", "2", "c", "c", "LEFT", "COUNT", "9"}),
            "*2\r\n" + Bulk("c") + Array({"y"}));
}

TEST_F(ListsTest, MultiPopArgumentErrors) {
  const std::string numkeys = "-ERR numkeys should be greater than 0\r\n";
  const std::string count = "-ERR count should be greater than 0\r\n";
  EXPECT_EQ(RunRaw({"LMPOP", "0", "l", "LEFT"}), numkeys);
  EXPECT_EQ(RunRaw({"LMPOP", "-1", "l", "LEFT"}), numkeys);
  EXPECT_EQ(RunRaw({"LMPOP", "abc", "l", "LEFT"}), numkeys);
  EXPECT_EQ(RunRaw({"LMPOP", "2", "l", "LEFT"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "9223372036854775807", "l", "LEFT"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "middle"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "COUNT", "0"}), count);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "COUNT", "-5"}), count);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "COUNT", "abc"}), count);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "COUNT", "1", "COUNT", "1"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "COUNT"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT", "foo"}), kSyntax);
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l"}), Arity("lmpop"));
}

TEST_F(ListsTest, Resp3RepliesAreArrays) {
  Resp3();
  EXPECT_EQ(RunRaw({"RPUSH", "l", "a", "b", "c"}), ":3\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "0", "-1"}), Array({"a", "b", "c"}));
  EXPECT_EQ(RunRaw({"LPOS", "l", "b", "COUNT", "0"}), "*1\r\n:1\r\n");
  EXPECT_EQ(RunRaw({"LMPOP", "1", "l", "LEFT"}), "*2\r\n" + Bulk("l") + Array({"a"}));
  EXPECT_EQ(RunRaw({"RPOP", "l", "2"}), Array({"c", "b"}));
}

TEST_F(ListsTest, LargeListsAcrossNodesAndConfigChanges) {
  engine::TypeLimits& limits = engine::Limits();
  const int64_t old = limits.list_max_listpack_size.load();
  limits.list_max_listpack_size = 3;
  for (int i = 0; i < 200; ++i) {
    RunRaw({"RPUSH", "l", std::to_string(i), "v" + std::to_string(i)});
  }
  EXPECT_EQ(RunRaw({"LLEN", "l"}), ":400\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "201"}), Bulk("v100"));
  EXPECT_EQ(RunRaw({"LINSERT", "l", "BEFORE", "v100", "new"}), ":401\r\n");
  EXPECT_EQ(RunRaw({"LRANGE", "l", "200", "202"}), Array({"100", "new", "v100"}));
  EXPECT_EQ(RunRaw({"LREM", "l", "0", "new"}), ":1\r\n");
  limits.list_max_listpack_size = -2;
  EXPECT_EQ(RunRaw({"LTRIM", "l", "100", "299"}), "+OK\r\n");
  EXPECT_EQ(RunRaw({"LINDEX", "l", "0"}), Bulk("50"));
  EXPECT_EQ(RunRaw({"LPOS", "l", "v149"}), ":199\r\n");
  EXPECT_EQ(RunRaw({"OBJECT", "ENCODING", "l"}), "$9\r\nquicklist\r\n");
  limits.list_max_listpack_size = old;
  // A large element.
  std::string big(1 << 20, 'b');
  EXPECT_EQ(RunRaw({"LPUSH", "l", big}), ":201\r\n");
  EXPECT_EQ(RunRaw({"LPOP", "l"}), Bulk(big));
}

TEST_F(ListsTest, CommandInfo) {
  EXPECT_EQ(RunRaw({"COMMAND", "INFO", "lpop"}),
            "*1\r\n*10\r\n$4\r\nlpop\r\n:-2\r\n*2\r\n+write\r\n+fast\r\n:1\r\n:1\r\n:1\r\n"
            "*3\r\n+@write\r\n+@list\r\n+@fast\r\n*0\r\n*1\r\n*6\r\n$5\r\nflags\r\n*3\r\n+RW\r\n"
            "+access\r\n+delete\r\n$12\r\nbegin_search\r\n*4\r\n$4\r\ntype\r\n$5\r\nindex\r\n"
            "$4\r\nspec\r\n*2\r\n$5\r\nindex\r\n:1\r\n$9\r\nfind_keys\r\n*4\r\n$4\r\ntype\r\n"
            "$5\r\nrange\r\n$4\r\nspec\r\n*6\r\n$7\r\nlastkey\r\n:0\r\n$7\r\nkeystep\r\n:1\r\n"
            "$5\r\nlimit\r\n:0\r\n*0\r\n");
  protocol::Reply r = Run({"COMMAND", "INFO", "lmpop", "lmove", "rpoplpush", "llen", "lrange"});
  ASSERT_EQ(r.elements.size(), 5u);
  for (const protocol::Reply& e : r.elements) ASSERT_EQ(e.elements.size(), 10u);
  const protocol::Reply& lmpop = r.elements[0];
  EXPECT_EQ(lmpop.elements[1].integer, -4);
  ASSERT_EQ(lmpop.elements[2].elements.size(), 2u);  // write movablekeys
  EXPECT_EQ(lmpop.elements[2].elements[1].str, "movablekeys");
  EXPECT_EQ(lmpop.elements[3].integer, 0);
  EXPECT_EQ(r.elements[1].elements[4].integer, 2);  // lmove: last key 2
  EXPECT_EQ(r.elements[2].elements[1].integer, 3);
  ASSERT_FALSE(r.elements[3].elements[2].elements.empty());
  EXPECT_EQ(r.elements[3].elements[2].elements[0].str, "readonly");
  ASSERT_EQ(r.elements[4].elements[6].elements.size(), 3u);
  EXPECT_EQ(r.elements[4].elements[6].elements[2].str, "@slow");
}

}  // namespace
}  // namespace ringkv::server
