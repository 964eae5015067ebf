// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The request parser follows Redis 7.0's processMultibulkBuffer / processInlineBuffer rules as
// observed on the wire (checked against Debian's redis-server 7.0.15), without its structure:
//
//  * A request starting with '*' is multibulk, anything else is inline.
//  * A "*<n>" or "$<n>" line ends at the first '\r' and needs one more byte after it, which is
//    skipped without being checked (Redis does not check for '\n'). Likewise the two bytes after
//    a bulk's data are skipped unchecked. Redis accepts such input, so we do too.
//  * Numbers follow string2ll (detail::ParseRespInt). "*<n>" with n <= 0 is an empty command.
//  * A count or length line longer than max_inline_len is "too big mbulk/bulk count string";
//    an inline line longer than that is "too big inline request". Redis decides this from how
//    much happens to be buffered when no terminator has arrived; we decide from the position of
//    the terminator, so the outcome does not depend on how the bytes were split into reads.
//  * Redis scans lines with strchr, so a NUL byte hides the rest of the line and the request
//    hangs. Here NUL is an ordinary byte.
//
// Incremental parsing keeps offsets from the command's first byte: pos_ (next byte to parse),
// bulk_len_ (a bulk whose header was read) and line_checked_ (how far the current line is known
// to have no terminator), so resuming never rescans checked bytes.

#include "protocol/request_parser.h"

#include <algorithm>
#include <cstring>

#include "protocol/detail/inline_args.h"
#include "protocol/detail/numbers.h"

namespace ringkv::protocol {
namespace {

// Vectors that grew past this for one huge command are released before the next one, so one
// large request does not pin memory for the connection's lifetime.
constexpr size_t kRetainedArgs = 1024;
constexpr size_t kRetainedInlineBytes = 4096;

constexpr std::string_view kInvalidMultibulk = "ERR Protocol error: invalid multibulk length";
constexpr std::string_view kInvalidBulk = "ERR Protocol error: invalid bulk length";
constexpr std::string_view kTooBigMbulk = "ERR Protocol error: too big mbulk count string";
constexpr std::string_view kTooBigBulk = "ERR Protocol error: too big bulk count string";
constexpr std::string_view kTooBigInline = "ERR Protocol error: too big inline request";
constexpr std::string_view kUnbalanced = "ERR Protocol error: unbalanced quotes in request";
constexpr std::string_view kUnauthMultibulk =
    "ERR Protocol error: unauthenticated multibulk length";
constexpr std::string_view kUnauthBulk = "ERR Protocol error: unauthenticated bulk length";

// Fast path for the usual short length line "<digits>\r?" at p (just after the prefix byte):
// up to 18 digits, no sign, no leading zero, complete. Returns the line's length from p
// through the byte after '\r', or 0 to leave anything else to the general path, which accepts
// and rejects exactly the same inputs.
size_t FastLength(const char* p, const char* end, int64_t* value) {
  const char* q = p;
  const char* limit = std::min(end, p + 18);
  int64_t v = 0;
  while (q < limit && static_cast<unsigned char>(*q - '0') <= 9) v = v * 10 + (*q++ - '0');
  if (q == p || end - q < 2 || *q != '\r' || (*p == '0' && q - p > 1)) return 0;
  *value = v;
  return static_cast<size_t>(q - p) + 2;
}

}  // namespace

RequestParser::RequestParser(const ParserLimits& limits) : limits_(limits) {}

void RequestParser::Reset() {
  state_ = State::kStart;
  error_.clear();
  args_.clear();
  arg_spans_.clear();
  needed_hint_ = 0;
}

void RequestParser::BeginCommand() {
  if (args_.capacity() > kRetainedArgs) std::vector<std::string_view>().swap(args_);
  if (arg_spans_.capacity() > kRetainedArgs) std::vector<Span>().swap(arg_spans_);
  if (inline_storage_.capacity() > kRetainedInlineBytes) std::string().swap(inline_storage_);
  args_.clear();
  arg_spans_.clear();
  pos_ = 0;
  line_checked_ = 0;
  bulk_len_ = -1;
  remaining_args_ = 0;
}

ParseStatus RequestParser::Parse(std::string_view input, size_t* consumed) {
  *consumed = 0;
  if (state_ == State::kFailed) return ParseStatus::kError;
  if (state_ == State::kStart) {
    if (input.empty()) return NeedMore(input);
    BeginCommand();
    if (input[0] != '*') {
      state_ = State::kInline;
    } else if (ParseWholeMultibulk(input, consumed)) {
      return ParseStatus::kOk;
    }
  }
  if (state_ == State::kInline) return ParseInline(input, consumed);
  return ParseMultibulk(input, consumed);
}

ParseStatus RequestParser::NeedMore(std::string_view input) {
  needed_hint_ = input.size() + 1;
  if (bulk_len_ >= 0) {
    needed_hint_ = std::max(needed_hint_, pos_ + static_cast<size_t>(bulk_len_) + 2);
  }
  return ParseStatus::kNeedMore;
}

ParseStatus RequestParser::Fail(std::string_view message) {
  error_.assign(message);
  state_ = State::kFailed;
  args_.clear();
  return ParseStatus::kError;
}

RequestParser::LineScan RequestParser::ScanLine(std::string_view input, size_t start,
                                                char terminator, size_t* at) {
  // Only limit + 1 bytes can hold an acceptable line's terminator; never look further.
  const size_t window_end = std::min(input.size(), start + limits_.max_inline_len + 1);
  const size_t from = std::max(line_checked_, start);
  if (from < window_end) {
    const void* hit = std::memchr(input.data() + from, terminator, window_end - from);
    if (hit != nullptr) {
      *at = static_cast<size_t>(static_cast<const char*>(hit) - input.data());
      return LineScan::kFound;
    }
  }
  line_checked_ = std::max(from, window_end);
  return input.size() - start > limits_.max_inline_len ? LineScan::kTooLong : LineScan::kNeedMore;
}

ParseStatus RequestParser::ParseInline(std::string_view input, size_t* consumed) {
  size_t newline = 0;
  switch (ScanLine(input, 0, '\n', &newline)) {
    case LineScan::kTooLong:
      return Fail(kTooBigInline);
    case LineScan::kNeedMore:
      return NeedMore(input);
    case LineScan::kFound:
      break;
  }
  size_t line_len = newline;
  if (line_len > 0 && input[line_len - 1] == '\r') --line_len;
  args_.clear();
  if (!detail::SplitInlineArgs(input.substr(0, line_len), &inline_storage_, &args_)) {
    return Fail(kUnbalanced);
  }
  *consumed = newline + 1;
  state_ = State::kStart;
  return ParseStatus::kOk;
}

ParseStatus RequestParser::ReadLengthLine(std::string_view input, int64_t* value, bool* valid,
                                          std::string_view too_long_error) {
  const char* line = input.data() + pos_;
  const char* end = input.data() + input.size();
  if (limits_.max_inline_len >= 20) {
    const size_t len = FastLength(line + 1, end, value);
    if (len != 0) {
      *valid = true;
      pos_ += 1 + len;
      return ParseStatus::kOk;
    }
  }
  size_t cr = 0;
  switch (ScanLine(input, pos_, '\r', &cr)) {
    case LineScan::kTooLong:
      return Fail(too_long_error);
    case LineScan::kNeedMore:
      return NeedMore(input);
    case LineScan::kFound:
      break;
  }
  if (cr + 1 >= input.size()) {
    line_checked_ = cr;  // resume at the '\r' once its following byte arrives
    return NeedMore(input);
  }
  *valid = detail::ParseRespInt(input.substr(pos_ + 1, cr - pos_ - 1), value);
  pos_ = cr + 2;
  return ParseStatus::kOk;
}

ParseStatus RequestParser::ReadCount(std::string_view input, size_t* consumed) {
  int64_t count = 0;
  bool valid = false;
  const ParseStatus status = ReadLengthLine(input, &count, &valid, kTooBigMbulk);
  if (status != ParseStatus::kOk) return status;
  if (!valid || count > limits_.max_multibulk_len) return Fail(kInvalidMultibulk);
  if (count > kUnauthenticatedMaxMultibulkLen && auth_required_) return Fail(kUnauthMultibulk);
  line_checked_ = pos_;
  if (count <= 0) {  // "*0" and "*-1" are empty commands the caller skips
    *consumed = pos_;
    state_ = State::kStart;
    return ParseStatus::kOk;
  }
  remaining_args_ = count;
  arg_spans_.reserve(std::min<size_t>(static_cast<size_t>(count), kRetainedArgs));
  state_ = State::kMultibulkArgs;
  return ParseStatus::kOk;
}

ParseStatus RequestParser::ReadBulkHeader(std::string_view input) {
  const size_t line_start = pos_;
  int64_t len = 0;
  bool valid = false;
  // Redis looks at the '$' only once the whole line is there, so the line is read first.
  const ParseStatus status = ReadLengthLine(input, &len, &valid, kTooBigBulk);
  if (status != ParseStatus::kOk) return status;
  if (input[line_start] != '$') {
    // Redis formats the byte with %c and then turns CR and LF into spaces.
    const char c = input[line_start] == '\r' || input[line_start] == '\n' ? ' ' : input[line_start];
    return Fail(std::string("ERR Protocol error: expected '$', got '") + c + "'");
  }
  if (!valid || len < 0 || len > limits_.max_bulk_len) return Fail(kInvalidBulk);
  if (len > kUnauthenticatedMaxBulkLen && auth_required_) return Fail(kUnauthBulk);
  line_checked_ = pos_;
  bulk_len_ = len;
  return ParseStatus::kOk;
}

bool RequestParser::ParseWholeMultibulk(std::string_view input, size_t* consumed) {
  const char* const begin = input.data();
  const char* const end = begin + input.size();
  const char* p = begin;
  int64_t count = 0;
  size_t n = limits_.max_inline_len >= 20 ? FastLength(p + 1, end, &count) : 0;
  const int64_t max_args =
      auth_required_ ? std::min(limits_.max_multibulk_len, kUnauthenticatedMaxMultibulkLen)
                     : limits_.max_multibulk_len;
  state_ = State::kMultibulkCount;
  if (n == 0 || count <= 0 || count > max_args) return false;
  p += 1 + n;
  const int64_t max_bulk = auth_required_
                               ? std::min(limits_.max_bulk_len, kUnauthenticatedMaxBulkLen)
                               : limits_.max_bulk_len;
  args_.reserve(std::min<size_t>(static_cast<size_t>(count), kRetainedArgs));
  int64_t i = 0;
  for (; i < count; ++i) {
    int64_t len = 0;
    if (end - p < 4 || *p != '$') break;
    n = FastLength(p + 1, end, &len);
    if (n == 0 || len > max_bulk || static_cast<size_t>(end - p) < 1 + n + len + 2) break;
    p += 1 + n;
    args_.emplace_back(p, static_cast<size_t>(len));
    p += len + 2;
  }
  if (i == count) {
    *consumed = static_cast<size_t>(p - begin);
    state_ = State::kStart;
    return true;
  }
  // Hand the arguments read so far to the incremental parser as offsets.
  state_ = State::kMultibulkArgs;
  remaining_args_ = count - i;
  for (std::string_view arg : args_) {
    arg_spans_.push_back(Span{static_cast<size_t>(arg.data() - begin), arg.size()});
  }
  args_.clear();
  pos_ = line_checked_ = static_cast<size_t>(p - begin);
  return false;
}

ParseStatus RequestParser::ParseMultibulk(std::string_view input, size_t* consumed) {
  if (state_ == State::kMultibulkCount) {
    const ParseStatus status = ReadCount(input, consumed);
    if (status != ParseStatus::kOk || state_ == State::kStart) return status;
  }
  while (remaining_args_ > 0) {
    if (pos_ >= input.size()) return NeedMore(input);
    if (bulk_len_ < 0) {
      const ParseStatus status = ReadBulkHeader(input);
      if (status != ParseStatus::kOk) return status;
    }
    // The two bytes after the data are skipped unchecked, as Redis does.
    const size_t len = static_cast<size_t>(bulk_len_);
    if (input.size() - pos_ < len + 2) return NeedMore(input);
    arg_spans_.push_back(Span{pos_, len});
    pos_ += len + 2;
    line_checked_ = pos_;
    bulk_len_ = -1;
    --remaining_args_;
  }
  args_.clear();
  for (const Span& span : arg_spans_) args_.emplace_back(input.data() + span.offset, span.length);
  *consumed = pos_;
  state_ = State::kStart;
  return ParseStatus::kOk;
}

}  // namespace ringkv::protocol
