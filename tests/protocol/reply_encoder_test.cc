// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ReplyEncoder tests. The main one encodes the replies listed in testdata/redis_replies.inc and
// compares them byte for byte with what Debian's redis-server 7.0 sent for the same reply, in
// RESP2 and RESP3 (captured by capture_redis_replies.py).

#include "protocol/reply_encoder.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>

#include "tests/protocol/alloc_counter.h"

namespace ringkv::protocol {
namespace {

struct Captured {
  const char* name;
  int resp;
  const char* bytes;
  size_t length;
};

constexpr Captured kCaptured[] = {
#include "tests/protocol/testdata/redis_replies.inc"
};

using EncodeFn = std::function<void(ReplyEncoder&)>;

// How ringkv's server would produce each captured reply.
const std::map<std::string, EncodeFn>& Encoders() {
  static const auto* encoders = new std::map<std::string, EncodeFn>{
      {"simple_ok", [](ReplyEncoder& e) { e.Ok(); }},
      {"bulk", [](ReplyEncoder& e) { e.Bulk("hello"); }},
      {"bulk_empty", [](ReplyEncoder& e) { e.Bulk(""); }},
      {"null_bulk", [](ReplyEncoder& e) { e.Null(); }},
      {"null_array", [](ReplyEncoder& e) { e.NullArray(); }},
      {"integer_neg", [](ReplyEncoder& e) { e.Integer(-2); }},
      {"integer_max", [](ReplyEncoder& e) { e.Integer(std::numeric_limits<int64_t>::max()); }},
      {"integer_min", [](ReplyEncoder& e) { e.Integer(std::numeric_limits<int64_t>::min()); }},
      {"error_wrongtype",
       [](ReplyEncoder& e) {
         e.Error("WRONGTYPE Operation against a key holding the wrong kind of value");
       }},
      {"error_unknown",
       [](ReplyEncoder& e) {
         e.Error("ERR unknown command 'NOSUCHCMD', with args beginning with: 'a' ");
       }},
      {"array_empty", [](ReplyEncoder& e) { e.ArrayHeader(0); }},
      {"map_hgetall",
       [](ReplyEncoder& e) {
         e.MapHeader(1);
         e.Bulk("f");
         e.Bulk("v");
       }},
      {"set_smembers",
       [](ReplyEncoder& e) {
         e.SetHeader(1);
         e.Bulk("m");
       }},
      {"push_subscribe",
       [](ReplyEncoder& e) {
         e.PushHeader(3);
         e.Bulk("subscribe");
         e.Bulk("ch");
         e.Integer(1);
       }},
      {"double_1_5", [](ReplyEncoder& e) { e.Double(1.5); }},
      {"double_0_1", [](ReplyEncoder& e) { e.Double(0.1); }},
      {"double_1e300", [](ReplyEncoder& e) { e.Double(1e300); }},
      {"double_1e_300", [](ReplyEncoder& e) { e.Double(1e-300); }},
      {"double_neg_third", [](ReplyEncoder& e) { e.Double(-0.3333333333333333); }},
      {"double_big_int", [](ReplyEncoder& e) { e.Double(123456789012345678.0); }},
      {"double_inf", [](ReplyEncoder& e) { e.Double(HUGE_VAL); }},
      {"double_neg_inf", [](ReplyEncoder& e) { e.Double(-HUGE_VAL); }},
      {"debug_string", [](ReplyEncoder& e) { e.Bulk("Hello World"); }},
      {"debug_integer", [](ReplyEncoder& e) { e.Integer(12345); }},
      {"debug_double", [](ReplyEncoder& e) { e.Double(3.141); }},
      {"debug_bignum",
       [](ReplyEncoder& e) { e.BigNumber("1234567999999999999999999999999999999"); }},
      {"debug_null", [](ReplyEncoder& e) { e.Null(); }},
      {"debug_array",
       [](ReplyEncoder& e) {
         e.ArrayHeader(3);
         for (int j = 0; j < 3; ++j) e.Integer(j);
       }},
      {"debug_set",
       [](ReplyEncoder& e) {
         e.SetHeader(3);
         for (int j = 0; j < 3; ++j) e.Integer(j);
       }},
      {"debug_map",
       [](ReplyEncoder& e) {
         e.MapHeader(3);
         for (int j = 0; j < 3; ++j) {
           e.Integer(j);
           e.Bool(j == 1);
         }
       }},
      {"debug_attrib",
       [](ReplyEncoder& e) {
         e.AttributeHeader(1);
         if (e.resp3()) {  // RESP2 skips the attribute's contents too
           e.Bulk("key-popularity");
           e.ArrayHeader(2);
           e.Bulk("key:123");
           e.Integer(90);
         }
         e.Bulk("Some real reply following the attribute");
       }},
      {"debug_true", [](ReplyEncoder& e) { e.Bool(true); }},
      {"debug_false", [](ReplyEncoder& e) { e.Bool(false); }},
      {"debug_verbatim", [](ReplyEncoder& e) { e.Verbatim("txt", "This is a verbatim\nstring"); }},
      {"debug_push",
       [](ReplyEncoder& e) {
         if (!e.resp3()) {
           e.Error("ERR RESP2 is not supported by this command");
           return;
         }
         e.PushHeader(2);
         e.Bulk("server-cpu-usage");
         e.Integer(42);
         e.Bulk("Some real reply following the push reply");
       }},
  };
  return *encoders;
}

std::string EncodeWith(RespVersion version, const EncodeFn& fn, size_t chunk_size = 16 * 1024) {
  OutputBuffer out(chunk_size);
  ReplyEncoder encoder(&out, version);
  fn(encoder);
  return out.ToString();
}

TEST(ReplyEncoderTest, MatchesRedisByteForByte) {
  ASSERT_EQ(std::size(kCaptured), 2 * Encoders().size());
  for (const Captured& c : kCaptured) {
    SCOPED_TRACE(std::string(c.name) + " RESP" + std::to_string(c.resp));
    auto it = Encoders().find(c.name);
    ASSERT_NE(it, Encoders().end());
    const RespVersion version = c.resp == 3 ? RespVersion::kResp3 : RespVersion::kResp2;
    EXPECT_EQ(EncodeWith(version, it->second), std::string(c.bytes, c.length));
    // The smallest chunk size forces every reply across chunk boundaries.
    EXPECT_EQ(EncodeWith(version, it->second, 64), std::string(c.bytes, c.length));
  }
}

TEST(ReplyEncoderTest, ErrorReplacesLineBreaksWithSpaces) {
  EXPECT_EQ(EncodeWith(RespVersion::kResp2, [](ReplyEncoder& e) { e.Error("ERR a\r\nb\nc"); }),
            "-ERR a  b c\r\n");
}

TEST(ReplyEncoderTest, DoubleEdgeCases) {
  auto resp3 = [](double d) {
    return EncodeWith(RespVersion::kResp3, [d](ReplyEncoder& e) { e.Double(d); });
  };
  EXPECT_EQ(resp3(0.0), ",0\r\n");
  EXPECT_EQ(resp3(-0.0), ",-0\r\n");
  EXPECT_EQ(resp3(std::nan("")), ",nan\r\n");
  EXPECT_EQ(resp3(1e-5), ",1.0000000000000001e-05\r\n");
  EXPECT_EQ(resp3(100), ",100\r\n");
  EXPECT_EQ(resp3(std::numeric_limits<double>::max()), ",1.7976931348623157e+308\r\n");
  EXPECT_EQ(resp3(std::numeric_limits<double>::denorm_min()), ",4.9406564584124654e-324\r\n");
}

TEST(ReplyEncoderTest, VerbatimWithBadFormatFallsBackToTxt) {
  EXPECT_EQ(EncodeWith(RespVersion::kResp3, [](ReplyEncoder& e) { e.Verbatim("markdown", "x"); }),
            "=5\r\ntxt:x\r\n");
  EXPECT_EQ(EncodeWith(RespVersion::kResp3, [](ReplyEncoder& e) { e.Verbatim("mkd", "# x"); }),
            "=7\r\nmkd:# x\r\n");
}

TEST(ReplyEncoderTest, LargeRepliesSpanChunks) {
  const std::string big(100000, 'v');
  EXPECT_EQ(EncodeWith(
                RespVersion::kResp2, [&](ReplyEncoder& e) { e.Bulk(big); }, 1024),
            "$100000\r\n" + big + "\r\n");
  EXPECT_EQ(EncodeWith(
                RespVersion::kResp2, [&](ReplyEncoder& e) { e.SimpleString(big); }, 1024),
            "+" + big + "\r\n");
  EXPECT_EQ(EncodeWith(
                RespVersion::kResp3, [&](ReplyEncoder& e) { e.Verbatim("txt", big); }, 1024),
            "=100004\r\ntxt:" + big + "\r\n");
  // Just under the chunk size: takes the header-then-append path.
  const std::string almost(58, 'x');
  EXPECT_EQ(EncodeWith(
                RespVersion::kResp2, [&](ReplyEncoder& e) { e.Bulk(almost); }, 64),
            "$58\r\n" + almost + "\r\n");
}

TEST(ReplyEncoderTest, VersionCanChangePerConnection) {
  OutputBuffer out;
  ReplyEncoder encoder(&out);
  EXPECT_FALSE(encoder.resp3());
  EXPECT_EQ(encoder.buffer(), &out);
  encoder.Null();
  encoder.set_version(RespVersion::kResp3);
  EXPECT_EQ(encoder.version(), RespVersion::kResp3);
  encoder.Null();
  EXPECT_EQ(out.ToString(), "$-1\r\n_\r\n");
}

TEST(ReplyEncoderTest, SteadyStateEncodingDoesNotAllocate) {
  OutputBuffer out;
  ReplyEncoder encoder(&out, RespVersion::kResp3);
  const std::string value(100, 'v');
  auto batch = [&] {
    for (int i = 0; i < 500; ++i) {
      encoder.ArrayHeader(3);
      encoder.Bulk(value);
      encoder.Integer(i);
      encoder.Double(i * 0.25);
      encoder.Ok();
    }
    out.Consume(out.size());
  };
  batch();  // warms the chunk and the spare
  batch();
  const uint64_t before = ringkv::testing::AllocationCount();
  for (int i = 0; i < 10; ++i) batch();
  EXPECT_EQ(ringkv::testing::AllocationCount(), before);
}

}  // namespace
}  // namespace ringkv::protocol
