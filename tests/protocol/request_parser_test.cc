// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// RequestParser tests. Every frame is fed whole, split at every byte boundary and one byte at a
// time, and must give the same commands and error each way. Expected error texts and edge-case
// outcomes were observed on Debian's redis-server 7.0.15 with raw sockets (noted per test).

#include "protocol/request_parser.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "protocol/command_encoder.h"
#include "tests/protocol/alloc_counter.h"

namespace ringkv::protocol {
namespace {

using Args = std::vector<std::string>;
using ::testing::ElementsAre;

struct Outcome {
  std::vector<Args> commands;  // empty commands ("*0", blank lines) included
  std::string error;           // the error text, if parsing failed
  size_t leftover = 0;         // bytes kept for an unfinished command
  bool operator==(const Outcome&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Outcome& o) {
  os << "{";
  for (const Args& c : o.commands) {
    os << "[";
    for (const std::string& a : c) os << '"' << a << "\" ";
    os << "]";
  }
  return os << " error=\"" << o.error << "\" leftover=" << o.leftover << "}";
}

// Feeds `chunks` through one parser the way a connection does: append a chunk, parse every
// complete command, drop the consumed bytes. The unparsed rest is copied to a new string before
// every call, so the parser sees its bytes at a new address each time.
Outcome Feed(const std::vector<std::string_view>& chunks, const ParserLimits& limits = {}) {
  RequestParser parser(limits);
  Outcome out;
  std::string buffer;
  for (std::string_view chunk : chunks) {
    buffer.append(chunk);
    while (true) {
      const std::string moved = buffer;
      size_t consumed = 0;
      const ParseStatus status = parser.Parse(moved, &consumed);
      if (status == ParseStatus::kNeedMore) {
        EXPECT_EQ(consumed, 0u);
        EXPECT_GE(parser.bytes_needed_hint(), moved.size() + 1);
        break;
      }
      if (status == ParseStatus::kError) {
        out.error = std::string(parser.error());
        return out;
      }
      EXPECT_GT(consumed, 0u);
      EXPECT_LE(consumed, moved.size());
      out.commands.emplace_back(parser.args().begin(), parser.args().end());
      buffer.erase(0, consumed);
    }
  }
  out.leftover = buffer.size();
  return out;
}

// Parses `input` whole, in two pieces at every split point, and byte by byte, expecting the
// same outcome every way. Returns the outcome of the whole parse.
Outcome ParseEveryWay(std::string_view input, const ParserLimits& limits = {}) {
  const Outcome whole = Feed({input}, limits);
  for (size_t i = 0; i <= input.size(); ++i) {
    EXPECT_EQ(Feed({input.substr(0, i), input.substr(i)}, limits), whole) << "split at " << i;
  }
  std::vector<std::string_view> bytes;
  for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
  EXPECT_EQ(Feed(bytes, limits), whole) << "byte by byte";
  return whole;
}

std::string ErrorOf(std::string_view input, const ParserLimits& limits = {}) {
  const Outcome out = ParseEveryWay(input, limits);
  return out.error;
}

std::string Encode(std::initializer_list<std::string_view> args) {
  std::string out;
  EncodeCommand(args, &out);
  return out;
}

struct RedisOutcome {
  const char* prefix;
  size_t prefix_len;
  size_t repeat;  // copies of `fill` appended to the prefix
  char fill;
  int pongs;
  const char* error;
};

constexpr RedisOutcome kRedisOutcomes[] = {
#include "tests/protocol/testdata/redis_request_outcomes.inc"
};

// Each input holds only PING commands; redis-server 7.0 ran `pongs` of them and then, if
// `error` is set, sent that protocol error and closed the connection.
TEST(RequestParserTest, MatchesRedisOutcomes) {
  for (const RedisOutcome& c : kRedisOutcomes) {
    std::string input(c.prefix, c.prefix_len);
    input.append(c.repeat, c.fill);
    SCOPED_TRACE(input.substr(0, 40));
    const Outcome out = input.size() < 200 ? ParseEveryWay(input) : Feed({input});
    int pongs = 0;
    for (const Args& command : out.commands) {
      if (command.empty()) continue;  // skipped by the server, as by Redis
      EXPECT_EQ(command, Args{"PING"});
      ++pongs;
    }
    EXPECT_EQ(pongs, c.pongs);
    EXPECT_EQ(out.error, c.error);
  }
}

TEST(RequestParserTest, ParsesMultibulkCommand) {
  const Outcome out = ParseEveryWay("*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n");
  EXPECT_THAT(out.commands, ElementsAre(Args{"SET", "key", "value"}));
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.leftover, 0u);
}

TEST(RequestParserTest, ArgumentsAreViewsIntoTheInput) {
  const std::string input = "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse(input, &consumed), ParseStatus::kOk);
  EXPECT_EQ(consumed, input.size());
  ASSERT_EQ(parser.args().size(), 2u);
  EXPECT_EQ(parser.args()[0].data(), input.data() + 8);
  EXPECT_EQ(parser.args()[1].data(), input.data() + 17);
}

TEST(RequestParserTest, PipelineParsesOneCommandPerCall) {
  std::string input;
  for (int i = 0; i < 5; ++i) input += Encode({"INCR", "counter" + std::to_string(i)});
  input += "PING\r\n";
  input += Encode({"GET", "x"});
  const Outcome out = ParseEveryWay(input);
  ASSERT_EQ(out.commands.size(), 7u);
  EXPECT_EQ(out.commands[4], (Args{"INCR", "counter4"}));
  EXPECT_EQ(out.commands[5], (Args{"PING"}));
  EXPECT_EQ(out.commands[6], (Args{"GET", "x"}));
}

TEST(RequestParserTest, BinarySafeArguments) {
  const std::string value("a\r\nb\0c$*", 8);
  const Outcome out = ParseEveryWay(Encode({"SET", "", value}));
  EXPECT_THAT(out.commands, ElementsAre(Args{"SET", "", value}));
}

// redis-server 7.0.15: "*0" and "*-5" are skipped and the next command runs.
TEST(RequestParserTest, NonPositiveMultibulkCountIsEmptyCommand) {
  const Outcome out = ParseEveryWay("*0\r\n*-5\r\n*1\r\n$4\r\nPING\r\n");
  EXPECT_THAT(out.commands, ElementsAre(Args{}, Args{}, Args{"PING"}));
}

TEST(RequestParserTest, IncompleteCommandKeepsBytesAndHintsBulkSize) {
  const std::string input = "*2\r\n$3\r\nSET\r\n$100000\r\nabc";
  RequestParser parser;
  size_t consumed = 1;
  EXPECT_EQ(parser.Parse(input, &consumed), ParseStatus::kNeedMore);
  EXPECT_EQ(consumed, 0u);
  EXPECT_TRUE(parser.in_progress());
  EXPECT_EQ(parser.bytes_needed_hint(), 22 + 100000 + 2u);
  std::string full = input + std::string(100000 - 3, 'x') + "\r\n";
  ASSERT_EQ(parser.Parse(full, &consumed), ParseStatus::kOk);
  EXPECT_EQ(consumed, full.size());
  EXPECT_EQ(parser.args()[1].size(), 100000u);
  EXPECT_FALSE(parser.in_progress());
}

TEST(RequestParserTest, EmptyInputNeedsMore) {
  RequestParser parser;
  size_t consumed = 0;
  EXPECT_EQ(parser.Parse("", &consumed), ParseStatus::kNeedMore);
  EXPECT_FALSE(parser.in_progress());
  EXPECT_EQ(parser.bytes_needed_hint(), 1u);
}

// redis-server 7.0.15 skips the byte after each '\r' of a length line and the two bytes after
// bulk data without checking them; clients that work with Redis must work here.
TEST(RequestParserTest, UncheckedTerminatorsAreAcceptedLikeRedis) {
  EXPECT_THAT(ParseEveryWay("*1\rX$4\r\nPING\r\n").commands, ElementsAre(Args{"PING"}));
  EXPECT_THAT(ParseEveryWay("*1\r\n$4\rXPING\r\n").commands, ElementsAre(Args{"PING"}));
  EXPECT_THAT(ParseEveryWay("*1\r\n$4\r\nPINGxx*1\r\n$4\r\nPING\r\n").commands,
              ElementsAre(Args{"PING"}, Args{"PING"}));
}

// Every error text below is what redis-server 7.0.15 sent for the same bytes.
TEST(RequestParserTest, InvalidMultibulkLength) {
  for (const char* input :
       {"*abc\r\n", "*-0\r\n", "*01\r\n", "*+1\r\n", "*\r\n", "*1x\r\n", "*2147483648\r\n",
        "*99999999999999999999\r\n", "*999999999999999999999\r\n"}) {
    EXPECT_EQ(ErrorOf(input), "ERR Protocol error: invalid multibulk length") << input;
  }
}

TEST(RequestParserTest, MultibulkCountAboveLimitIsInvalid) {
  // Redis 7.0 allows up to INT_MAX; ringkv caps at max_multibulk_len (default 1024*1024).
  EXPECT_EQ(ErrorOf("*1048577\r\n"), "ERR Protocol error: invalid multibulk length");
  EXPECT_EQ(Feed({"*1048576\r\n"}).error, "");
  ParserLimits limits;
  limits.max_multibulk_len = 3;
  EXPECT_EQ(ErrorOf("*4\r\n", limits), "ERR Protocol error: invalid multibulk length");
  EXPECT_THAT(ParseEveryWay("*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n", limits).commands,
              ElementsAre(Args{"a", "b", "c"}));
}

TEST(RequestParserTest, InvalidBulkLength) {
  for (const char* input :
       {"*1\r\n$-1\r\n", "*1\r\n$abc\r\n", "*1\r\n$01\r\n", "*1\r\n$-0\r\n", "*1\r\n$+1\r\n",
        "*1\r\n$\r\n", "*1\r\n$536870913\r\n", "*1\r\n$9223372036854775808\r\n"}) {
    EXPECT_EQ(ErrorOf(input), "ERR Protocol error: invalid bulk length") << input;
  }
  // 512mb itself is allowed: the parser waits for the data.
  const Outcome out = Feed({"*1\r\n$536870912\r\n"});
  EXPECT_EQ(out.error, "");
  EXPECT_EQ(out.leftover, 16u);
}

TEST(RequestParserTest, BulkLengthLimitIsConfigurable) {
  ParserLimits limits;
  limits.max_bulk_len = 4;
  EXPECT_EQ(ErrorOf("*1\r\n$5\r\nhello\r\n", limits), "ERR Protocol error: invalid bulk length");
  EXPECT_THAT(ParseEveryWay("*1\r\n$4\r\nhell\r\n", limits).commands, ElementsAre(Args{"hell"}));
}

TEST(RequestParserTest, ExpectedDollar) {
  EXPECT_EQ(ErrorOf("*1\r\nxyz\r\n"), "ERR Protocol error: expected '$', got 'x'");
  EXPECT_EQ(ErrorOf("*2\r\n$1\r\na\r\n:1\r\n"), "ERR Protocol error: expected '$', got ':'");
  // The error formatter turns CR and LF into spaces.
  EXPECT_EQ(ErrorOf("*1\r\n\r\n"), "ERR Protocol error: expected '$', got ' '");
  EXPECT_EQ(ErrorOf("*1\r\n\n\r\n"), "ERR Protocol error: expected '$', got ' '");
  // Redis decides only once the whole line is there: "x" alone waits.
  EXPECT_EQ(Feed({"*1\r\nx"}).error, "");
  // Redis would hang on the NUL (it scans with strchr); ringkv reports it.
  EXPECT_EQ(ErrorOf(std::string_view("*1\r\n\0\r\n", 7)),
            std::string("ERR Protocol error: expected '$', got '") + '\0' + "'");
}

TEST(RequestParserTest, TooBigCountStrings) {
  ParserLimits limits;
  limits.max_inline_len = 100;
  // No '\r' within the limit: too big, whether or not one arrives later.
  const std::string digits(101, '1');
  EXPECT_EQ(ErrorOf("*" + digits, limits), "ERR Protocol error: too big mbulk count string");
  EXPECT_EQ(ErrorOf("*" + digits + "\r\n", limits),
            "ERR Protocol error: too big mbulk count string");
  EXPECT_EQ(ErrorOf("*1\r\n$" + digits, limits), "ERR Protocol error: too big bulk count string");
  EXPECT_EQ(ErrorOf("*1\r\n" + std::string(101, 'x'), limits),
            "ERR Protocol error: too big bulk count string");
  // A '\r' at offset 100 is within the limit: the line is read, and its number is invalid.
  EXPECT_EQ(ErrorOf("*" + std::string(99, '1') + "\r\n", limits),
            "ERR Protocol error: invalid multibulk length");
  // Shorter than the limit and unterminated: wait.
  EXPECT_EQ(Feed({"*" + std::string(99, '1')}, limits).error, "");
}

TEST(RequestParserTest, TooBigCountStringsAtDefaultLimit) {
  // The sizes redis-server 7.0.15 was probed with (70000 bytes, PROTO_INLINE_MAX_SIZE 64k).
  EXPECT_EQ(Feed({"*" + std::string(70000, '1')}).error,
            "ERR Protocol error: too big mbulk count string");
  EXPECT_EQ(Feed({"*1\r\n" + std::string(70000, 'x')}).error,
            "ERR Protocol error: too big bulk count string");
  EXPECT_EQ(Feed({std::string(70000, 'P')}).error, "ERR Protocol error: too big inline request");
}

TEST(RequestParserTest, TooBigInlineRequest) {
  ParserLimits limits;
  limits.max_inline_len = 50;
  EXPECT_EQ(ErrorOf(std::string(51, 'a'), limits), "ERR Protocol error: too big inline request");
  EXPECT_EQ(ErrorOf(std::string(51, 'a') + "\n", limits),
            "ERR Protocol error: too big inline request");
  // 50 bytes before '\n' (the '\r' counts) is the largest accepted line.
  EXPECT_THAT(ParseEveryWay(std::string(49, 'a') + "\r\n", limits).commands,
              ElementsAre(Args{std::string(49, 'a')}));
  EXPECT_EQ(Feed({std::string(50, 'a')}, limits).error, "");
}

TEST(RequestParserTest, UnauthenticatedLimits) {
  // redis-server 7.0.15 with requirepass, before AUTH.
  auto parse = [](std::string_view input) {
    RequestParser parser;
    parser.set_auth_required(true);
    size_t consumed = 0;
    const ParseStatus status = parser.Parse(input, &consumed);
    return status == ParseStatus::kError ? std::string(parser.error()) : "";
  };
  EXPECT_EQ(parse("*11\r\n"), "ERR Protocol error: unauthenticated multibulk length");
  EXPECT_EQ(parse("*10\r\n"), "");
  EXPECT_EQ(parse("*1\r\n$16385\r\n"), "ERR Protocol error: unauthenticated bulk length");
  EXPECT_EQ(parse("*1\r\n$16384\r\n"), "");
  // The generic checks come first, as in Redis.
  EXPECT_EQ(parse("*1\r\n$-2\r\n"), "ERR Protocol error: invalid bulk length");
  EXPECT_EQ(parse("PING " + std::string(20000, 'a') + "\r\n"), "");
}

TEST(RequestParserTest, ErrorIsStickyUntilReset) {
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse("*x\r\n", &consumed), ParseStatus::kError);
  EXPECT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n", &consumed), ParseStatus::kError);
  EXPECT_EQ(consumed, 0u);
  parser.Reset();
  EXPECT_EQ(parser.error(), "");
  ASSERT_EQ(parser.Parse("*1\r\n$4\r\nPING\r\n", &consumed), ParseStatus::kOk);
  EXPECT_THAT(parser.args(), ElementsAre("PING"));
}

TEST(RequestParserTest, ResetDropsPartialCommand) {
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse("*2\r\n$3\r\nGET\r\n", &consumed), ParseStatus::kNeedMore);
  parser.Reset();
  EXPECT_FALSE(parser.in_progress());
  ASSERT_EQ(parser.Parse("PING\r\n", &consumed), ParseStatus::kOk);
  EXPECT_THAT(parser.args(), ElementsAre("PING"));
}

TEST(RequestParserTest, InlineCommands) {
  EXPECT_THAT(ParseEveryWay("PING\r\n").commands, ElementsAre(Args{"PING"}));
  EXPECT_THAT(ParseEveryWay("PING\n").commands, ElementsAre(Args{"PING"}));
  // Blank lines are empty commands the caller skips.
  EXPECT_THAT(ParseEveryWay("\r\n\nPING\r\n").commands, ElementsAre(Args{}, Args{}, Args{"PING"}));
  EXPECT_THAT(ParseEveryWay("  SET\t a   b  \r\n").commands, ElementsAre(Args{"SET", "a", "b"}));
  // A lone '\r' inside the line separates arguments (redis: "ECHO a\rb" has 3 arguments).
  EXPECT_THAT(ParseEveryWay("ECHO a\rb\r\n").commands, ElementsAre(Args{"ECHO", "a", "b"}));
  // An unterminated inline line waits.
  EXPECT_EQ(Feed({"GET ke"}).leftover, 6u);
}

struct InlineCase {
  std::string line;
  Args args;
};

// Outcomes observed on redis-server 7.0.15 (ECHO of the argument) or read from sdssplitargs.
TEST(RequestParserTest, InlineQuoting) {
  const std::vector<InlineCase> cases = {
      {"ECHO \"a\\x41\\n\"", {"ECHO", "aA\n"}},
      {"ECHO 'a\\'b'", {"ECHO", "a'b"}},
      {"ECHO 'a\\nb'", {"ECHO", "a\\nb"}},
      {"ECHO a\"b c\"", {"ECHO", "ab c"}},
      {"ECHO \"\"", {"ECHO", ""}},
      {"ECHO ''", {"ECHO", ""}},
      {"ECHO a\vb", {"ECHO", "a\vb"}},
      {"ECHO\v a", {"ECHO\v", "a"}},
      {"ECHO \"a\"\v", {"ECHO", "a"}},
      {"ECHO \"\\x4g\"", {"ECHO", "x4g"}},
      {"ECHO \"\\x4\"", {"ECHO", "x4"}},
      {"E \"\\r\\t\\b\\a\\\\\\\"\\q\"", {"E", "\r\t\b\a\\\"q"}},
      {"E \"\\xff\\x00\\xAb\"", {"E", std::string("\xff\0\xab", 3)}},
      {"E 'it''s'", {}},  // closing quote followed by a quote: unbalanced
      {"E \"a b\" 'c d' e", {"E", "a b", "c d", "e"}},
      {"E \"a\"\t'b'", {"E", "a", "b"}},
      {"E 'a\\\\b'", {"E", "a\\\\b"}},
      {"E a'b'", {"E", "ab"}},
      {"E x\"y\"", {"E", "xy"}},
  };
  for (const InlineCase& c : cases) {
    const Outcome out = ParseEveryWay(c.line + "\r\n");
    if (c.args.empty()) {
      EXPECT_EQ(out.error, "ERR Protocol error: unbalanced quotes in request") << c.line;
    } else {
      EXPECT_THAT(out.commands, ElementsAre(c.args)) << c.line;
    }
  }
}

TEST(RequestParserTest, UnbalancedQuotes) {
  for (const char* line : {"ECHO \"abc", "ECHO \"abc\"d", "ECHO 'abc", "ECHO 'abc'd",
                           "ECHO \"abc\\\"", "ECHO \"\\", "ECHO 'a\\'", "\"", "'"}) {
    EXPECT_EQ(ErrorOf(std::string(line) + "\r\n"),
              "ERR Protocol error: unbalanced quotes in request")
        << line;
  }
}

TEST(RequestParserTest, InlineNulIsOrdinaryData) {
  const Outcome out = ParseEveryWay(std::string_view("SET a\0b \"c\0\"\r\n", 14));
  EXPECT_THAT(out.commands,
              ElementsAre(Args{"SET", std::string("a\0b", 3), std::string("c\0", 2)}));
}

TEST(RequestParserTest, QuotedArgumentsStayValidTogether) {
  // Several unescaped arguments share one storage buffer; all views must remain intact.
  const Outcome out = ParseEveryWay("MSET \"k\\x31\" \"v\\x31\" plain \"k\\x32\" 'v2'\r\n");
  EXPECT_THAT(out.commands, ElementsAre(Args{"MSET", "k1", "v1", "plain", "k2", "v2"}));
}

TEST(RequestParserTest, ManyArgumentsGrowPastTheRetainedCapacity) {
  std::vector<std::string> args(3000);
  for (size_t i = 0; i < args.size(); ++i) args[i] = std::to_string(i);
  std::vector<std::string_view> views(args.begin(), args.end());
  std::string input;
  EncodeCommand(views, &input);
  EncodeCommand({"GET", "k"}, &input);
  const Outcome out = Feed({input});
  ASSERT_EQ(out.commands.size(), 2u);
  EXPECT_EQ(out.commands[0], args);
  EXPECT_EQ(out.commands[1], (Args{"GET", "k"}));
}

TEST(RequestParserTest, RandomSplitsOfRandomPipelines) {
  std::mt19937 rng(12345);
  for (int round = 0; round < 200; ++round) {
    std::string input;
    std::vector<Args> expected;
    const int commands = 1 + static_cast<int>(rng() % 8);
    for (int c = 0; c < commands; ++c) {
      Args args(1 + rng() % 4);
      for (std::string& a : args) {
        a.resize(rng() % 40);
        for (char& ch : a) ch = static_cast<char>(rng());
      }
      std::vector<std::string_view> views(args.begin(), args.end());
      EncodeCommand(views, &input);
      expected.push_back(args);
    }
    std::vector<std::string_view> chunks;
    for (size_t pos = 0; pos < input.size();) {
      const size_t n = std::min<size_t>(input.size() - pos, 1 + rng() % 17);
      chunks.push_back(std::string_view(input).substr(pos, n));
      pos += n;
    }
    const Outcome out = Feed(chunks);
    EXPECT_EQ(out.commands, expected);
    EXPECT_EQ(out.error, "");
  }
}

TEST(RequestParserTest, SteadyStateParsingDoesNotAllocate) {
  std::string input;
  for (int i = 0; i < 1000; ++i) {
    EncodeCommand({"SET", "key:0000000000001", "value"}, &input);
    EncodeCommand({"GET", "key:0000000000001"}, &input);
    input += "PING\r\n";
  }
  RequestParser parser;
  auto parse_all = [&] {
    std::string_view rest = input;
    size_t consumed = 0;
    int n = 0;
    while (parser.Parse(rest, &consumed) == ParseStatus::kOk) {
      rest.remove_prefix(consumed);
      ++n;
    }
    return n;
  };
  ASSERT_EQ(parse_all(), 3000);  // warms the reused vectors
  const uint64_t before = ringkv::testing::AllocationCount();
  ASSERT_EQ(parse_all(), 3000);
  EXPECT_EQ(ringkv::testing::AllocationCount(), before);
}

}  // namespace
}  // namespace ringkv::protocol
