// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Direct tests of the inline splitter's storage contract; the quoting rules themselves are
// covered through RequestParser in request_parser_test.cc.

#include "protocol/detail/inline_args.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ringkv::protocol::detail {
namespace {

using ::testing::ElementsAre;

TEST(InlineArgsTest, PlainArgumentsPointIntoTheLine) {
  const std::string line = "SET key value";
  std::string storage;
  std::vector<std::string_view> args;
  ASSERT_TRUE(SplitInlineArgs(line, &storage, &args));
  EXPECT_THAT(args, ElementsAre("SET", "key", "value"));
  EXPECT_EQ(args[1].data(), line.data() + 4);
  EXPECT_TRUE(storage.empty());
}

TEST(InlineArgsTest, QuotedArgumentsPointIntoStorage) {
  const std::string line = "SET \"a b\" 'c'";
  std::string storage;
  std::vector<std::string_view> args;
  ASSERT_TRUE(SplitInlineArgs(line, &storage, &args));
  EXPECT_THAT(args, ElementsAre("SET", "a b", "c"));
  EXPECT_EQ(args[1].data(), storage.data());
  EXPECT_EQ(args[2].data(), storage.data() + 3);
}

TEST(InlineArgsTest, EmptyAndBlankLinesHaveNoArguments) {
  std::string storage;
  std::vector<std::string_view> args;
  EXPECT_TRUE(SplitInlineArgs("", &storage, &args));
  EXPECT_TRUE(SplitInlineArgs(" \t\v\f\r ", &storage, &args));
  EXPECT_TRUE(args.empty());
}

TEST(InlineArgsTest, AppendsToExistingArguments) {
  std::string storage;
  std::vector<std::string_view> args = {"first"};
  ASSERT_TRUE(SplitInlineArgs("second", &storage, &args));
  EXPECT_THAT(args, ElementsAre("first", "second"));
}

TEST(InlineArgsTest, UnbalancedQuotesFail) {
  std::string storage;
  std::vector<std::string_view> args;
  EXPECT_FALSE(SplitInlineArgs("\"abc", &storage, &args));
  EXPECT_FALSE(SplitInlineArgs("\"a\"b", &storage, &args));
  EXPECT_FALSE(SplitInlineArgs("'a'b", &storage, &args));
}

}  // namespace
}  // namespace ringkv::protocol::detail
