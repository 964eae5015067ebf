// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ReplyEncoder formats each reply straight into the OutputBuffer's free space: a reply that fits
// in one chunk costs one Reserve/Commit pair and no allocation. Byte-for-byte expectations come
// from Debian's redis-server 7.0 (tests/protocol/testdata/redis_replies.inc).

#include "protocol/reply_encoder.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "protocol/detail/numbers.h"

namespace ringkv::protocol {
namespace {

// "<prefix><-9223372036854775808>\r\n"
constexpr size_t kHeaderMax = 1 + detail::kMaxIntChars + 2;
// "%.17g" of a double is at most 24 characters ("-1.2345678901234567e-308").
constexpr size_t kDoubleMax = 32;

char* PutCrlf(char* p) {
  p[0] = '\r';
  p[1] = '\n';
  return p + 2;
}

char* PutBytes(char* p, std::string_view s) {
  if (!s.empty()) std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// Redis 7.0 formats doubles with "%.17g" (addReplyDouble); to_chars with general format and
// precision 17 is specified to produce the same text, and gives "inf", "-inf" and "nan" as glibc
// does.
std::string_view FormatDouble(double value, char (&buf)[kDoubleMax]) {
  auto result = std::to_chars(buf, buf + kDoubleMax, value, std::chars_format::general, 17);
  return std::string_view(buf, static_cast<size_t>(result.ptr - buf));
}

}  // namespace

void ReplyEncoder::Header(char prefix, int64_t n) {
  char* start = out_->Reserve(kHeaderMax);
  char* p = start;
  *p++ = prefix;
  p = PutCrlf(detail::FormatInt(n, p));
  out_->Commit(static_cast<size_t>(p - start));
}

void ReplyEncoder::Line(char prefix, std::string_view body) {
  if (body.size() + 3 <= out_->chunk_size()) {
    char* start = out_->Reserve(body.size() + 3);
    char* p = start;
    *p++ = prefix;
    p = PutCrlf(PutBytes(p, body));
    out_->Commit(static_cast<size_t>(p - start));
    return;
  }
  out_->Append(prefix);
  out_->Append(body);
  out_->Append("\r\n");
}

void ReplyEncoder::LengthPrefixed(char prefix, std::string_view head, std::string_view body) {
  const size_t len = head.size() + body.size();
  if (len + kHeaderMax + 2 <= out_->chunk_size()) {
    char* start = out_->Reserve(len + kHeaderMax + 2);
    char* p = start;
    *p++ = prefix;
    p = PutCrlf(detail::FormatUint(len, p));
    p = PutCrlf(PutBytes(PutBytes(p, head), body));
    out_->Commit(static_cast<size_t>(p - start));
    return;
  }
  Header(prefix, static_cast<int64_t>(len));
  out_->Append(head);
  out_->Append(body);
  out_->Append("\r\n");
}

void ReplyEncoder::SimpleString(std::string_view s) { Line('+', s); }

void ReplyEncoder::Error(std::string_view message) {
  ++error_count_;
  size_t code_len = std::min(message.find(' '), message.size());
  code_len = std::min(code_len, sizeof(last_error_code_));
  std::memcpy(last_error_code_, message.data(), code_len);
  last_error_code_len_ = code_len;
  RelayedError(message);
}

void ReplyEncoder::RelayedError(std::string_view message) {
  // A CR or LF inside the message would end the error line early and desynchronize the client;
  // Redis (addReplyErrorLength's callers) maps them to spaces.
  if (message.find_first_of("\r\n") == std::string_view::npos) {
    Line('-', message);
    return;
  }
  out_->Append('-');
  for (char c : message) out_->Append(c == '\r' || c == '\n' ? ' ' : c);
  out_->Append("\r\n");
}

void ReplyEncoder::Integer(int64_t value) { Header(':', value); }

void ReplyEncoder::Bulk(std::string_view s) { LengthPrefixed('$', {}, s); }

void ReplyEncoder::Null() {
  if (resp3()) {
    out_->Append("_\r\n");
  } else {
    out_->Append("$-1\r\n");
  }
}

void ReplyEncoder::NullArray() {
  if (resp3()) {
    out_->Append("_\r\n");
  } else {
    out_->Append("*-1\r\n");
  }
}

void ReplyEncoder::ArrayHeader(size_t n) { Header('*', static_cast<int64_t>(n)); }

void ReplyEncoder::MapHeader(size_t n) {
  if (resp3()) {
    Header('%', static_cast<int64_t>(n));
  } else {
    Header('*', static_cast<int64_t>(2 * n));
  }
}

void ReplyEncoder::SetHeader(size_t n) { Header(resp3() ? '~' : '*', static_cast<int64_t>(n)); }

void ReplyEncoder::PushHeader(size_t n) { Header(resp3() ? '>' : '*', static_cast<int64_t>(n)); }

void ReplyEncoder::AttributeHeader(size_t n) {
  if (resp3()) Header('|', static_cast<int64_t>(n));
}

void ReplyEncoder::Double(double value) {
  char buf[kDoubleMax];
  const std::string_view text = FormatDouble(value, buf);
  if (resp3()) {
    Line(',', text);
  } else {
    Bulk(text);
  }
}

void ReplyEncoder::Bool(bool value) {
  if (resp3()) {
    out_->Append(value ? "#t\r\n" : "#f\r\n");
  } else {
    out_->Append(value ? ":1\r\n" : ":0\r\n");
  }
}

void ReplyEncoder::BigNumber(std::string_view digits) {
  if (resp3()) {
    Line('(', digits);
  } else {
    Bulk(digits);
  }
}

void ReplyEncoder::Verbatim(std::string_view format, std::string_view text) {
  if (!resp3()) {
    Bulk(text);
    return;
  }
  // The RESP3 spec fixes the format at three bytes followed by ':'; anything else would make the
  // client split the payload in the wrong place, so a bad format is sent as "txt".
  char head[4] = {'t', 'x', 't', ':'};
  if (format.size() == 3) std::memcpy(head, format.data(), 3);
  LengthPrefixed('=', std::string_view(head, 4), text);
}

}  // namespace ringkv::protocol
