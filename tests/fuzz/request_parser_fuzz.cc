// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// libFuzzer target for RequestParser. The first input byte picks small limits (so the
// "too big" and "invalid length" paths are reachable); the rest is the client's byte stream. It
// checks that:
//  * parsing never reads out of bounds or loops (ASan, libFuzzer's timeout);
//  * consumed counts are sane and kNeedMore asks for at least one more byte;
//  * the stream fed whole, in three pieces at input-derived split points, and byte by byte
//    (short inputs) gives the same commands and the same error.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/request_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

using ringkv::protocol::ParserLimits;
using ringkv::protocol::ParseStatus;
using ringkv::protocol::RequestParser;

struct Outcome {
  std::vector<std::vector<std::string>> commands;
  std::string error;
  size_t leftover = 0;
  bool operator==(const Outcome&) const = default;
};

Outcome Feed(const std::vector<std::string_view>& chunks, const ParserLimits& limits,
             bool auth_required) {
  RequestParser parser(limits);
  parser.set_auth_required(auth_required);
  Outcome out;
  std::string buffer;
  for (std::string_view chunk : chunks) {
    buffer.append(chunk);
    while (true) {
      // A fresh copy each call: the parser must cope with its bytes moving.
      const std::string moved = buffer;
      size_t consumed = 0;
      const ParseStatus status = parser.Parse(moved, &consumed);
      if (status == ParseStatus::kNeedMore) {
        FUZZ_CHECK(consumed == 0);
        FUZZ_CHECK(parser.bytes_needed_hint() > moved.size());
        break;
      }
      if (status == ParseStatus::kError) {
        FUZZ_CHECK(!parser.error().empty());
        out.error = std::string(parser.error());
        return out;
      }
      FUZZ_CHECK(consumed > 0 && consumed <= moved.size());
      out.commands.emplace_back(parser.args().begin(), parser.args().end());
      buffer.erase(0, consumed);
    }
  }
  out.leftover = buffer.size();
  return out;
}

uint64_t Hash(std::string_view s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ParserLimits limits;
  const uint8_t knobs = data[0];
  if (knobs & 1) {
    limits.max_inline_len = 8 + (knobs >> 2) * 4;
    limits.max_bulk_len = knobs >> 1;
    limits.max_multibulk_len = knobs >> 3;
  }
  const bool auth_required = (knobs & 2) != 0;
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);

  const Outcome whole = Feed({input}, limits, auth_required);
  FUZZ_CHECK(whole.leftover <= input.size());

  const uint64_t h = Hash(input);
  size_t a = input.empty() ? 0 : h % (input.size() + 1);
  size_t b = input.empty() ? 0 : (h >> 32) % (input.size() + 1);
  if (a > b) std::swap(a, b);
  const std::vector<std::string_view> pieces = {input.substr(0, a), input.substr(a, b - a),
                                                input.substr(b)};
  FUZZ_CHECK(Feed(pieces, limits, auth_required) == whole);

  if (input.size() <= 512) {
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
    FUZZ_CHECK(Feed(bytes, limits, auth_required) == whole);
  }
  return 0;
}
