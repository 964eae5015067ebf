// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// RequestParser turns the bytes a client sent into commands: RESP multibulk arrays of bulk strings
// and inline commands ("SET a b" typed into telnet). It is incremental: input may stop at any byte
// and resume when more arrives, without rescanning what was already checked. Arguments are views
// into the caller's buffer, so nothing is copied. It knows nothing of sockets or storage.
//
// Thread safety: one parser per connection; not safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/limits.h"

namespace ringkv::protocol {

enum class ParseStatus {
  kOk,        // One complete command parsed; see args().
  kNeedMore,  // The input ends inside a command; call again with the same bytes plus more.
  kError,     // Malformed or over a limit; see error(). The connection must be closed after
              // the error is sent, as Redis does.
};

class RequestParser {
 public:
  explicit RequestParser(const ParserLimits& limits = {});

  // Parses one command from the start of `input`, which must begin at the first byte not yet
  // consumed. On kOk, *consumed is the command's length in bytes and args() holds views into
  // `input` (valid until those bytes change or the next Parse call); an inline argument that
  // needed unquoting points into the parser instead, valid until the next Parse call. An empty
  // inline line and a multibulk count <= 0 ("*0", "*-1") are kOk with no arguments: skip them,
  // as Redis does. On kNeedMore, *consumed is 0 and the parser remembers how far it has checked;
  // the next call must pass the same bytes (they may have moved) with more appended. On kError,
  // error() holds the Redis error text, every further call returns kError, and the parser must
  // be Reset() before reuse. Pipelines: call again on the rest until kNeedMore.
  //
  // In steady state (commands of up to 1024 arguments) it does not allocate.
  ParseStatus Parse(std::string_view input, size_t* consumed);

  // The arguments of the last kOk command.
  const std::vector<std::string_view>& args() const { return args_; }

  // The error text for the last kError, without the leading '-' or trailing CRLF, e.g.
  // "ERR Protocol error: invalid multibulk length".
  std::string_view error() const { return error_; }

  // After kNeedMore, the total number of bytes the current command is known to need from its
  // first byte (at least input.size() + 1); lets the caller size a buffer once for a large bulk.
  size_t bytes_needed_hint() const { return needed_hint_; }

  // True if a command is partly parsed (the caller must keep its bytes).
  bool in_progress() const { return state_ != State::kStart; }

  // Forgets any partial command and error; keeps limits and auth_required.
  void Reset();
  void set_limits(const ParserLimits& limits) { limits_ = limits; }

  // While true, multibulk requests over kUnauthenticatedMaxMultibulkLen arguments or with a bulk
  // over kUnauthenticatedMaxBulkLen bytes are protocol errors (Redis 7.0 does this while the
  // connection still has to AUTH). Inline requests are not limited by it, as in Redis.
  // Default: false.
  void set_auth_required(bool required) { auth_required_ = required; }

 private:
  enum class State { kStart, kInline, kMultibulkCount, kMultibulkArgs, kFailed };
  enum class LineScan { kFound, kNeedMore, kTooLong };
  struct Span {
    size_t offset;
    size_t length;
  };

  void BeginCommand();
  // Parses a multibulk command that is wholly in `input` in one pass straight into args_. On
  // anything else (incomplete, unusual or invalid) it leaves its progress in the incremental
  // state and returns false, and ParseMultibulk carries on from there.
  bool ParseWholeMultibulk(std::string_view input, size_t* consumed);
  ParseStatus ParseInline(std::string_view input, size_t* consumed);
  ParseStatus ParseMultibulk(std::string_view input, size_t* consumed);
  ParseStatus ReadCount(std::string_view input, size_t* consumed);
  ParseStatus ReadBulkHeader(std::string_view input);
  // Reads the number on the "<prefix><digits>\r" line at pos_ into *value and moves pos_ past
  // the byte after the '\r'. kError only for a line over the length limit (too_long_error).
  ParseStatus ReadLengthLine(std::string_view input, int64_t* value, bool* valid,
                             std::string_view too_long_error);
  LineScan ScanLine(std::string_view input, size_t start, char terminator, size_t* at);
  ParseStatus NeedMore(std::string_view input);
  ParseStatus Fail(std::string_view message);

  ParserLimits limits_;
  bool auth_required_ = false;
  State state_ = State::kStart;
  // Progress in the current command, as offsets from its first byte (the input may move).
  size_t pos_ = 0;           // the next byte to parse
  size_t line_checked_ = 0;  // the current line has no terminator before this offset
  int64_t remaining_args_ = 0;
  int64_t bulk_len_ = -1;  // length of the bulk whose header was read, or -1
  std::vector<Span> arg_spans_;
  std::vector<std::string_view> args_;
  std::string inline_storage_;  // inline arguments that needed unquoting point in here
  std::string error_;
  size_t needed_hint_ = 0;
};

}  // namespace ringkv::protocol
