// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Request encoding for clients. The std::string form sizes the string once, so building a large
// pipeline costs one allocation at most.

#include "protocol/command_encoder.h"

#include "protocol/detail/numbers.h"

namespace ringkv::protocol {
namespace {

size_t DigitCount(size_t n) {
  size_t digits = 1;
  for (; n >= 10; n /= 10) ++digits;
  return digits;
}

// Appends "<prefix><n>\r\n" through `sink(std::string_view)`.
template <typename Sink>
void PutHeader(char prefix, size_t n, Sink&& sink) {
  char buf[1 + detail::kMaxIntChars + 2];
  buf[0] = prefix;
  char* p = detail::FormatUint(n, buf + 1);
  *p++ = '\r';
  *p++ = '\n';
  sink(std::string_view(buf, static_cast<size_t>(p - buf)));
}

template <typename Sink>
void Encode(std::span<const std::string_view> args, Sink&& sink) {
  if (args.empty()) return;
  PutHeader('*', args.size(), sink);
  for (std::string_view arg : args) {
    PutHeader('$', arg.size(), sink);
    sink(arg);
    sink(std::string_view("\r\n", 2));
  }
}

}  // namespace

size_t EncodedCommandSize(std::span<const std::string_view> args) {
  if (args.empty()) return 0;
  size_t total = 3 + DigitCount(args.size());
  for (std::string_view arg : args) total += 5 + DigitCount(arg.size()) + arg.size();
  return total;
}

void EncodeCommand(std::span<const std::string_view> args, OutputBuffer* out) {
  Encode(args, [out](std::string_view s) { out->Append(s); });
}

void EncodeCommand(std::span<const std::string_view> args, std::string* out) {
  out->reserve(out->size() + EncodedCommandSize(args));
  Encode(args, [out](std::string_view s) { out->append(s); });
}

}  // namespace ringkv::protocol
