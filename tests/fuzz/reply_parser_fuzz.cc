// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// libFuzzer target for ReplyParser (with ReplyEncoder and EncodeReply). It checks that:
//  * parsing never reads out of bounds, recurses past max_depth, or loops;
//  * the stream fed whole and in three pieces at input-derived split points gives the same
//    replies and error;
//  * every parsed reply round-trips: encoding it (RESP3) and parsing that gives bytes that encode
//    identically, and its RESP2 encoding parses as exactly one reply.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/output_buffer.h"
#include "protocol/reply_encoder.h"
#include "protocol/reply_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using ringkv::protocol::EncodeReply;
using ringkv::protocol::OutputBuffer;
using ringkv::protocol::ParseStatus;
using ringkv::protocol::Reply;
using ringkv::protocol::ReplyEncoder;
using ringkv::protocol::ReplyParser;
using ringkv::protocol::ReplyParserLimits;
using ringkv::protocol::RespVersion;

ReplyParserLimits Limits() {
  ReplyParserLimits limits;
  limits.max_bulk_len = 1 << 20;
  limits.max_aggregate_len = 1 << 16;
  limits.max_depth = 64;
  return limits;
}

struct Outcome {
  std::vector<std::string> replies;  // DebugString(), which is NaN-safe
  std::string error;
  size_t leftover = 0;
  bool operator==(const Outcome&) const = default;
};

Outcome Feed(const std::vector<std::string_view>& chunks, std::vector<Reply>* parsed) {
  ReplyParser parser(Limits());
  Outcome out;
  std::string buffer;
  for (std::string_view chunk : chunks) {
    buffer.append(chunk);
    while (true) {
      const std::string moved = buffer;
      size_t consumed = 0;
      Reply reply;
      const ParseStatus status = parser.Parse(moved, &consumed, &reply);
      if (status == ParseStatus::kNeedMore) {
        FUZZ_CHECK(consumed == 0);
        break;
      }
      if (status == ParseStatus::kError) {
        out.error = std::string(parser.error());
        return out;
      }
      FUZZ_CHECK(consumed > 0 && consumed <= moved.size());
      out.replies.push_back(reply.DebugString());
      if (parsed != nullptr) parsed->push_back(std::move(reply));
      buffer.erase(0, consumed);
    }
  }
  out.leftover = buffer.size();
  return out;
}

std::string Encode(const Reply& reply, RespVersion version) {
  OutputBuffer out(256);
  ReplyEncoder encoder(&out, version);
  EncodeReply(reply, &encoder);
  return out.ToString();
}

// Parses `bytes` as exactly one reply.
Reply ParseOne(std::string_view bytes) {
  ReplyParser parser(Limits());
  size_t consumed = 0;
  Reply reply;
  FUZZ_CHECK(parser.Parse(bytes, &consumed, &reply) == ParseStatus::kOk);
  FUZZ_CHECK(consumed == bytes.size());
  return reply;
}

void CheckRoundTrip(const Reply& reply) {
  const std::string once = Encode(reply, RespVersion::kResp3);
  FUZZ_CHECK(Encode(ParseOne(once), RespVersion::kResp3) == once);
  // RESP2 drops attributes entirely; anything else is one reply.
  const std::string resp2 = Encode(reply, RespVersion::kResp2);
  if (reply.type != Reply::Type::kAttribute) ParseOne(resp2);
}

uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<Reply> parsed;
  const Outcome whole = Feed({input}, &parsed);
  const uint64_t h = Hash(input);
  size_t a = h % (size + 1);
  size_t b = (h >> 32) % (size + 1);
  if (a > b) std::swap(a, b);
  FUZZ_CHECK(Feed({input.substr(0, a), input.substr(a, b - a), input.substr(b)}, nullptr) == whole);
  for (const Reply& reply : parsed) CheckRoundTrip(reply);
  return 0;
}
