// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.

// EncodeCommand tests: exact bytes, size prediction, and that RequestParser reads them back.

#include "protocol/command_encoder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/request_parser.h"

namespace ringkv::protocol {
namespace {

TEST(CommandEncoderTest, EncodesMultibulk) {
  std::string out = "prefix";
  EncodeCommand({"SET", "k", ""}, &out);
  EXPECT_EQ(out, "prefix*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$0\r\n\r\n");
}

TEST(CommandEncoderTest, EmptyArgsWriteNothing) {
  std::string out;
  EncodeCommand(std::span<const std::string_view>(), &out);
  EXPECT_EQ(out, "");
  EXPECT_EQ(EncodedCommandSize({}), 0u);
}

TEST(CommandEncoderTest, OutputBufferMatchesString) {
  const std::string big(40000, 'b');
  const std::vector<std::string_view> args = {"SET", "key", big};
  std::string s;
  EncodeCommand(args, &s);
  OutputBuffer out(1024);
  EncodeCommand(args, &out);
  EXPECT_EQ(out.ToString(), s);
  EXPECT_EQ(EncodedCommandSize(args), s.size());
}

TEST(CommandEncoderTest, SizeMatchesForManyShapes) {
  std::vector<std::string> storage;
  for (size_t len : {0, 1, 9, 10, 99, 100, 12345}) storage.push_back(std::string(len, 'x'));
  for (size_t n = 1; n <= storage.size(); ++n) {
    std::vector<std::string_view> args(storage.begin(), storage.begin() + n);
    std::string s;
    EncodeCommand(args, &s);
    EXPECT_EQ(EncodedCommandSize(args), s.size()) << n;
  }
}

TEST(CommandEncoderTest, RequestParserReadsItBack) {
  const std::string binary("\r\n\0*$", 5);
  std::string s;
  EncodeCommand({"HSET", binary, "field", "value"}, &s);
  RequestParser parser;
  size_t consumed = 0;
  ASSERT_EQ(parser.Parse(s, &consumed), ParseStatus::kOk);
  EXPECT_EQ(consumed, s.size());
  EXPECT_THAT(parser.args(), ::testing::ElementsAre("HSET", binary, "field", "value"));
}

}  // namespace
}  // namespace ringkv::protocol
