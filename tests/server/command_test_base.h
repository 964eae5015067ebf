// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CommandTest: runs commands through the real dispatcher in-process, without sockets, and
// decodes the reply bytes with the protocol module's reply parser. Time is a ManualClock, so
// expiry is tested by moving it.
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "engine/clock.h"
#include "engine/engine.h"
#include "gtest/gtest.h"
#include "protocol/output_buffer.h"
#include "protocol/reply_encoder.h"
#include "protocol/reply_parser.h"
#include "server/command_table.h"
#include "server/dispatcher.h"
#include "server/server_context.h"

namespace ringkv::server {

class CommandTest : public ::testing::Test {
 protected:
  CommandTest() : engine_(engine::EngineOptions{}, &clock_), encoder_(&out_) {
    context_.engine = &engine_;
    context_.commands = &table_;
    client_.id = 1;
  }

  // Runs one command; returns the raw reply bytes.
  std::string RunRaw(std::initializer_list<std::string_view> args) {
    std::vector<std::string_view> v(args);
    Dispatch(context_, client_, encoder_, v);
    std::string bytes = out_.ToString();
    out_.Clear();
    return bytes;
  }

  // Runs one command; returns the decoded reply.
  protocol::Reply Run(std::initializer_list<std::string_view> args) {
    std::string bytes = RunRaw(args);
    protocol::ReplyParser parser;
    protocol::Reply reply;
    size_t consumed = 0;
    EXPECT_EQ(parser.Parse(bytes, &consumed, &reply), protocol::ParseStatus::kOk) << bytes;
    EXPECT_EQ(consumed, bytes.size()) << "more than one reply: " << bytes;
    return reply;
  }

  engine::ManualClock clock_;
  engine::Engine engine_;
  CommandTable table_;
  ServerContext context_;
  ClientState client_;
  protocol::OutputBuffer out_;
  protocol::ReplyEncoder encoder_;
};

}  // namespace ringkv::server
