// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Tests of the redis.conf lexical rules: argument splitting and quoting, integers, octal and
// memory values, yes/no and glob matching. Expected results were checked against Redis 7.0
// (redis-server with the same config lines) where Redis defines them.
#include "server/config/syntax.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace ringkv::server::config {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Optional;

using Args = std::vector<std::string>;

TEST(SplitArgsTest, SplitsOnBlanks) {
  EXPECT_THAT(SplitArgs("port 6379"), Optional(ElementsAre("port", "6379")));
  EXPECT_THAT(SplitArgs("  bind\t127.0.0.1   ::1  "),
              Optional(ElementsAre("bind", "127.0.0.1", "::1")));
  EXPECT_THAT(SplitArgs("a\r\nb"), Optional(ElementsAre("a", "b")));
}

TEST(SplitArgsTest, EmptyAndBlankLinesGiveNoArguments) {
  EXPECT_THAT(SplitArgs(""), Optional(IsEmpty()));
  EXPECT_THAT(SplitArgs(" \t "), Optional(IsEmpty()));
}

TEST(SplitArgsTest, DoubleQuotesUnderstandEscapes) {
  EXPECT_THAT(SplitArgs(R"(x "a b")"), Optional(ElementsAre("x", "a b")));
  EXPECT_THAT(SplitArgs(R"("\n\r\t\b\a\\\"")"), Optional(ElementsAre("\n\r\t\b\a\\\"")));
  EXPECT_THAT(SplitArgs(R"("\x41\x4a\x00z")"), Optional(ElementsAre(std::string("AJ\0z", 4))));
  // Not a valid \x escape: the backslash just quotes the x.
  EXPECT_THAT(SplitArgs(R"("\x4" "\xZZ")"), Optional(ElementsAre("x4", "xZZ")));
  // Any other escaped byte stands for itself.
  EXPECT_THAT(SplitArgs(R"("a\qb")"), Optional(ElementsAre("aqb")));
  EXPECT_THAT(SplitArgs(R"("")"), Optional(ElementsAre("")));
}

TEST(SplitArgsTest, SingleQuotesAreLiteralExceptEscapedQuote) {
  EXPECT_THAT(SplitArgs(R"('a\nb' 'it\'s')"), Optional(ElementsAre("a\\nb", "it's")));
  EXPECT_THAT(SplitArgs("''"), Optional(ElementsAre("")));
}

TEST(SplitArgsTest, QuoteMayStartInsideAWord) {
  EXPECT_THAT(SplitArgs(R"(a"b c" d)"), Optional(ElementsAre("ab c", "d")));
}

TEST(SplitArgsTest, UnbalancedOrBadlyClosedQuotesFail) {
  EXPECT_EQ(SplitArgs(R"(bind "127.0.0.1)"), std::nullopt);
  EXPECT_EQ(SplitArgs("requirepass 'abc"), std::nullopt);
  EXPECT_EQ(SplitArgs(R"(requirepass "a"b)"), std::nullopt);
  EXPECT_EQ(SplitArgs(R"(port "1"x)"), std::nullopt);
  EXPECT_EQ(SplitArgs(R"(x "abc\)"), std::nullopt);
}

TEST(SplitArgsTest, NulEndsTheLineAsInC) {
  EXPECT_THAT(SplitArgs(std::string_view("port 1\0 2", 9)), Optional(ElementsAre("port", "1")));
}

TEST(SplitArgsTest, VerticalTabInsideAWordIsKept) {
  // sdssplitargs skips isspace() between words but ends a word only at space, \t, \r, \n.
  EXPECT_THAT(SplitArgs("a\vb"), Optional(ElementsAre("a\vb")));
}

TEST(QuoteArgTest, EscapesLikeSdscatrepr) {
  EXPECT_EQ(QuoteArg(""), "\"\"");
  EXPECT_EQ(QuoteArg("a b"), "\"a b\"");
  EXPECT_EQ(QuoteArg("q\"\\\n\r\t\a\b"), R"("q\"\\\n\r\t\a\b")");
  EXPECT_EQ(QuoteArg(std::string("\x01\xff", 2)), R"("\x01\xff")");
}

TEST(QuoteArgTest, EveryByteRoundTripsThroughSplitArgs) {
  std::string all;
  for (int c = 0; c < 256; ++c) all.push_back(static_cast<char>(c));
  EXPECT_THAT(SplitArgs(QuoteArg(all)), Optional(ElementsAre(all)));
  for (const std::string& s :
       {std::string("it's"), std::string("\"x\""), std::string(" "), std::string("a#b")}) {
    EXPECT_THAT(SplitArgs(QuoteArgIfNeeded(s)), Optional(ElementsAre(s))) << s;
  }
}

TEST(QuoteArgTest, IfNeededLeavesPlainWordsBare) {
  EXPECT_EQ(QuoteArgIfNeeded("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(QuoteArgIfNeeded("-::1"), "-::1");
  EXPECT_EQ(QuoteArgIfNeeded(""), "\"\"");
  EXPECT_EQ(QuoteArgIfNeeded("a b"), "\"a b\"");
  EXPECT_EQ(QuoteArgIfNeeded("it's"), R"("it's")");
}

TEST(ParseStrictIntTest, AcceptsWhatString2llAccepts) {
  EXPECT_EQ(ParseStrictInt("0"), 0);
  EXPECT_EQ(ParseStrictInt("6379"), 6379);
  EXPECT_EQ(ParseStrictInt("-12"), -12);
  EXPECT_EQ(ParseStrictInt("9223372036854775807"), INT64_MAX);
  EXPECT_EQ(ParseStrictInt("-9223372036854775808"), INT64_MIN);
}

TEST(ParseStrictIntTest, RejectsWhatString2llRejects) {
  for (const char* bad : {"", "-", "+1", "007", "-0", " 1", "1 ", "1.0", "1e3", "0x10", "abc",
                          "9223372036854775808", "-9223372036854775809", "1kb"}) {
    EXPECT_EQ(ParseStrictInt(bad), std::nullopt) << bad;
  }
}

TEST(ParseOctalTest, ReadsOctal) {
  EXPECT_EQ(ParseOctal("0"), 0);
  EXPECT_EQ(ParseOctal("700"), 0700);
  EXPECT_EQ(ParseOctal("0777"), 0777);
  EXPECT_EQ(ParseOctal("-1"), -1);
  for (const char* bad : {"", "-", "999", "8", "abc", "7a", "0x7"}) {
    EXPECT_EQ(ParseOctal(bad), std::nullopt) << bad;
  }
}

TEST(ParseMemoryTest, UnitsAsMemtoull) {
  EXPECT_EQ(ParseMemory("0"), 0u);
  EXPECT_EQ(ParseMemory("123"), 123u);
  EXPECT_EQ(ParseMemory("5b"), 5u);
  EXPECT_EQ(ParseMemory("1k"), 1000u);
  EXPECT_EQ(ParseMemory("1kb"), 1024u);
  EXPECT_EQ(ParseMemory("1m"), 1000u * 1000);
  EXPECT_EQ(ParseMemory("1mb"), 1024u * 1024);
  EXPECT_EQ(ParseMemory("1g"), 1000u * 1000 * 1000);
  EXPECT_EQ(ParseMemory("1gb"), 1024u * 1024 * 1024);
  EXPECT_EQ(ParseMemory("512mb"), 512u << 20);
}

TEST(ParseMemoryTest, UnitsAreCaseInsensitive) {
  EXPECT_EQ(ParseMemory("1K"), 1000u);
  EXPECT_EQ(ParseMemory("1KB"), 1024u);
  EXPECT_EQ(ParseMemory("1kB"), 1024u);
  EXPECT_EQ(ParseMemory("2GB"), 2u << 30);
  EXPECT_EQ(ParseMemory("3B"), 3u);
}

TEST(ParseMemoryTest, RejectsBadValues) {
  for (const char* bad : {"", "kb", "1.5mb", "-1", "+1", "1xb", "10kk", " 1", "1 mb", "1tb",
                          "18446744073709551616", "18446744073709551615gb", "17179869184gb"}) {
    EXPECT_EQ(ParseMemory(bad), std::nullopt) << bad;
  }
  EXPECT_EQ(ParseMemory("18446744073709551615"), UINT64_MAX);
  EXPECT_EQ(ParseMemory("17179869183gb"), 17179869183ull << 30);
}

TEST(FormatMemoryTest, LargestExactUnit) {
  EXPECT_EQ(FormatMemory(0), "0");
  EXPECT_EQ(FormatMemory(1000), "1000");
  EXPECT_EQ(FormatMemory(1024), "1kb");
  EXPECT_EQ(FormatMemory(1536), "1536");
  EXPECT_EQ(FormatMemory(3 * 1024), "3kb");
  EXPECT_EQ(FormatMemory(64u << 20), "64mb");
  EXPECT_EQ(FormatMemory(1u << 30), "1gb");
  EXPECT_EQ(FormatMemory((1u << 30) + (1u << 20)), "1025mb");
  for (uint64_t v : {uint64_t{0}, uint64_t{7}, uint64_t{1} << 40, uint64_t{12345} << 10}) {
    EXPECT_EQ(ParseMemory(FormatMemory(v)), v);
  }
}

TEST(ParseYesNoTest, CaseInsensitive) {
  EXPECT_EQ(ParseYesNo("yes"), true);
  EXPECT_EQ(ParseYesNo("YES"), true);
  EXPECT_EQ(ParseYesNo("No"), false);
  EXPECT_EQ(ParseYesNo("maybe"), std::nullopt);
  EXPECT_EQ(ParseYesNo("1"), std::nullopt);
  EXPECT_EQ(ParseYesNo(""), std::nullopt);
}

TEST(GlobMatchTest, Basics) {
  EXPECT_TRUE(GlobMatch("*", "port"));
  EXPECT_FALSE(GlobMatch("*", ""));  // as Redis's stringmatchlen: "" matches only ""
  EXPECT_TRUE(GlobMatch("port", "port"));
  EXPECT_FALSE(GlobMatch("port", "ports"));
  EXPECT_TRUE(GlobMatch("p?rt", "port"));
  EXPECT_FALSE(GlobMatch("p?rt", "prt"));
  EXPECT_TRUE(GlobMatch("*max*", "maxclients"));
  EXPECT_TRUE(GlobMatch("*max*", "proto-max-bulk-len"));
  EXPECT_FALSE(GlobMatch("*max*", "port"));
  EXPECT_TRUE(GlobMatch("tcp-*", "tcp-keepalive"));
  EXPECT_TRUE(GlobMatch("**a**", "xay"));
}

TEST(GlobMatchTest, CaseInsensitive) {
  EXPECT_TRUE(GlobMatch("PORT", "port"));
  EXPECT_TRUE(GlobMatch("*MAX*", "maxclients"));
  EXPECT_TRUE(GlobMatch("[P]ort", "port"));
}

TEST(GlobMatchTest, Classes) {
  EXPECT_TRUE(GlobMatch("[bp]ort", "port"));
  EXPECT_FALSE(GlobMatch("[bc]ort", "port"));
  EXPECT_TRUE(GlobMatch("[^b]ort", "port"));
  EXPECT_FALSE(GlobMatch("[^p]ort", "port"));
  EXPECT_TRUE(GlobMatch("[a-z]ort", "port"));
  EXPECT_TRUE(GlobMatch("[z-a]ort", "port"));  // reversed range, as stringmatchlen allows
  EXPECT_FALSE(GlobMatch("[0-9]ort", "port"));
  EXPECT_TRUE(GlobMatch("[\\]]x", "]x"));
  EXPECT_TRUE(GlobMatch("po[r", "por"));  // a class left open ends with the pattern
}

TEST(GlobMatchTest, Escapes) {
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("a\\", "a\\"));
}

TEST(GlobMatchTest, BacktrackingStaysLinearOnPathologicalPatterns) {
  std::string s(2000, 'a');
  EXPECT_FALSE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*b", s));
  EXPECT_TRUE(GlobMatch("a*a*a*a*a*a*a*a*a*a*a*a", s));
}

TEST(HasGlobCharsTest, Detects) {
  EXPECT_FALSE(HasGlobChars("port"));
  EXPECT_TRUE(HasGlobChars("*"));
  EXPECT_TRUE(HasGlobChars("p?rt"));
  EXPECT_TRUE(HasGlobChars("[p]ort"));
}

}  // namespace
}  // namespace ringkv::server::config
