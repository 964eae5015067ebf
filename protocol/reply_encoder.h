// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ReplyEncoder writes RESP2 or RESP3 replies into a caller-owned OutputBuffer. The version is
// chosen per connection (HELLO 2|3). RESP3-only types degrade to their RESP2 forms the way Redis
// degrades them: map -> flat array of 2n, set/push -> array, double/big number/verbatim -> bulk
// string, boolean -> integer 1/0, null -> $-1. Small replies are formatted in place without
// allocating.
//
// Thread safety: as the OutputBuffer it writes to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "protocol/output_buffer.h"

namespace ringkv::protocol {

enum class RespVersion { kResp2 = 2, kResp3 = 3 };

class ReplyEncoder {
 public:
  explicit ReplyEncoder(OutputBuffer* out, RespVersion version = RespVersion::kResp2)
      : out_(out), version_(version) {}

  void set_version(RespVersion version) { version_ = version; }
  RespVersion version() const { return version_; }
  bool resp3() const { return version_ == RespVersion::kResp3; }
  OutputBuffer* buffer() const { return out_; }

  void SimpleString(std::string_view s);  // "+s\r\n"; s must not contain CR or LF
  void Ok() { SimpleString("OK"); }
  // `message` is the whole error without '-' or CRLF, e.g. "ERR unknown command 'x'..." or
  // "WRONGTYPE Operation against a key holding the wrong kind of value". CR and LF in it are
  // replaced by spaces, as Redis does.
  void Error(std::string_view message);
  // An error passed on from where it was already counted (a script returning the error of a
  // command it called): written as Error() writes it, but error_count() and last_error_code()
  // stay as they were.
  void RelayedError(std::string_view message);
  // Errors written so far, and the first word of the last one ("ERR", "WRONGTYPE"): the server
  // counts them per command and per code (INFO commandstats / errorstats).
  uint64_t error_count() const { return error_count_; }
  std::string_view last_error_code() const { return {last_error_code_, last_error_code_len_}; }
  void Integer(int64_t value);
  void Bulk(std::string_view s);
  void Null();       // RESP2 "$-1", RESP3 "_"
  void NullArray();  // RESP2 "*-1", RESP3 "_"
  void ArrayHeader(size_t n);
  void MapHeader(size_t n);  // n key/value pairs; RESP2: array of 2n
  void SetHeader(size_t n);
  void PushHeader(size_t n);  // RESP2: array (pub/sub messages)
  // RESP3 only. In RESP2 it writes nothing, and the caller must also skip the 2n attribute
  // elements, as Redis does (attributes are out-of-band data a RESP2 client cannot receive).
  void AttributeHeader(size_t n);
  void Double(double value);  // RESP3 ",1.5"; RESP2 bulk with Redis's formatting
  void Bool(bool value);      // RESP3 "#t"; RESP2 ":1"
  void BigNumber(std::string_view digits);
  // RESP3 "=len\r\nfmt:text"; fmt is three characters such as "txt". RESP2: bulk of text.
  void Verbatim(std::string_view format, std::string_view text);

 private:
  // Writes "<prefix><n>\r\n".
  void Header(char prefix, int64_t n);
  // Writes "<prefix><body>\r\n"; body may be any size.
  void Line(char prefix, std::string_view body);
  // Writes "<prefix><len>\r\n<head><body>\r\n" (bulk and verbatim strings).
  void LengthPrefixed(char prefix, std::string_view head, std::string_view body);

  OutputBuffer* out_;
  RespVersion version_;
  uint64_t error_count_ = 0;
  char last_error_code_[32];
  size_t last_error_code_len_ = 0;
};

}  // namespace ringkv::protocol
