// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Glob tests: the cases of Redis's stringmatchlen (KEYS / SCAN MATCH).
#include "engine/glob.h"

#include <gtest/gtest.h>

#include <string>

namespace ringkv::engine {
namespace {

TEST(GlobTest, StarAndQuestionMark) {
  EXPECT_TRUE(GlobMatch("*", "anything"));
  EXPECT_TRUE(GlobMatch("h?llo", "hello"));
  EXPECT_FALSE(GlobMatch("h?llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h*llo", "hllo"));
  EXPECT_TRUE(GlobMatch("h*llo", "heeeello"));
  EXPECT_TRUE(GlobMatch("key:*", "key:00000001"));
  EXPECT_FALSE(GlobMatch("key:*", "ke"));
  EXPECT_TRUE(GlobMatch("*a*b*c*", "xxaxxbxxcxx"));
  EXPECT_FALSE(GlobMatch("*a*b*c*", "xxaxxcxxbxx"));
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_FALSE(GlobMatch("?", ""));
}

TEST(GlobTest, EmptyStringMatchesOnlyTheEmptyPattern) {
  // Redis's stringmatchlen: nothing but "" matches "", not even "*".
  EXPECT_TRUE(GlobMatch("", ""));
  EXPECT_FALSE(GlobMatch("*", ""));
  EXPECT_FALSE(GlobMatch("**", ""));
  EXPECT_FALSE(GlobMatch("?", ""));
  EXPECT_FALSE(GlobMatch("", "a"));
  EXPECT_TRUE(GlobMatch("*", "a"));
}

TEST(GlobTest, Classes) {
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[ae]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[ae]llo", "hillo"));
  EXPECT_TRUE(GlobMatch("h[^e]llo", "hallo"));
  EXPECT_FALSE(GlobMatch("h[^e]llo", "hello"));
  EXPECT_TRUE(GlobMatch("h[a-b]llo", "hbllo"));
  EXPECT_FALSE(GlobMatch("h[a-b]llo", "hcllo"));
  EXPECT_TRUE(GlobMatch("h[b-a]llo", "hallo"));  // reversed range
  EXPECT_TRUE(GlobMatch("[\\]]", "]"));
  EXPECT_TRUE(GlobMatch("a[bc", "ab"));  // unclosed class runs to the end
  EXPECT_FALSE(GlobMatch("a[bc", "abc"));
}

TEST(GlobTest, Escapes) {
  EXPECT_TRUE(GlobMatch("a\\*b", "a*b"));
  EXPECT_FALSE(GlobMatch("a\\*b", "axb"));
  EXPECT_TRUE(GlobMatch("a\\?", "a?"));
  EXPECT_FALSE(GlobMatch("a\\?", "ab"));
  EXPECT_TRUE(GlobMatch("\\", "\\"));  // trailing backslash is literal
  EXPECT_TRUE(GlobMatch("\\[x]", "[x]"));
}

TEST(GlobTest, NoCase) {
  EXPECT_TRUE(GlobMatch("HELLO", "hello", true));
  EXPECT_FALSE(GlobMatch("HELLO", "hello", false));
  EXPECT_TRUE(GlobMatch("[A-C]x", "bX", true));
}

TEST(GlobTest, PathologicalPatternIsFast) {
  std::string s(5000, 'a');
  std::string p;
  for (int i = 0; i < 50; ++i) p += "*a";
  p += "b";
  EXPECT_FALSE(GlobMatch(p, s));  // would take forever with naive backtracking
}

TEST(GlobTest, BinarySafe) {
  std::string k("a\0b", 3);
  EXPECT_TRUE(GlobMatch(std::string("a?b"), k));
  EXPECT_TRUE(GlobMatch(std::string("a\0*", 3), k));
}

}  // namespace
}  // namespace ringkv::engine
