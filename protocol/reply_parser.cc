// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ReplyParser builds the Reply tree incrementally. pos_ only moves past whole items (a scalar, an
// aggregate header, a stream chunk), so after kNeedMore the next call resumes at the item that
// was cut short; aggregates opened so far stay on stack_. Lengths from the peer are trusted only
// as far as bytes have arrived: no reserve() follows a claimed size beyond a small cap.
//
// The parser is stricter than the request parser: every line must end in CRLF, as every RESP
// server sends, because a client that silently accepts garbage would hand wrong data to the
// application.

#include "protocol/reply_parser.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace ringkv::protocol {
namespace {

constexpr size_t kMaxReserve = 1024;

bool ParseI64(std::string_view s, int64_t* value) {
  if (s.empty()) return false;
  auto result = std::from_chars(s.data(), s.data() + s.size(), *value);
  return result.ec == std::errc() && result.ptr == s.data() + s.size();
}

bool ParseDouble(std::string_view s, double* value) {
  // RESP3 allows "inf", "-inf" and "nan"; from_chars accepts those but not a leading '+'.
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  if (s.empty()) return false;
  auto result = std::from_chars(s.data(), s.data() + s.size(), *value);
  return result.ec == std::errc() && result.ptr == s.data() + s.size();
}

bool IsBigNumber(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Reply MakeReply(Reply::Type type) {
  Reply reply;
  reply.type = type;
  return reply;
}

}  // namespace

ReplyParser::ReplyParser(const ReplyParserLimits& limits) : limits_(limits) {}

void ReplyParser::Reset() {
  error_.clear();
  failed_ = in_progress_ = done_ = false;
  stack_.clear();
  root_ = Reply();
}

ParseStatus ReplyParser::Fail(std::string_view message) {
  error_.assign(message);
  failed_ = true;
  return ParseStatus::kError;
}

ParseStatus ReplyParser::Parse(std::string_view input, size_t* consumed, Reply* out) {
  *consumed = 0;
  if (failed_) return ParseStatus::kError;
  if (!in_progress_) {
    in_progress_ = true;
    done_ = false;
    pos_ = line_checked_ = 0;
    stack_.clear();
    root_ = Reply();
  }
  while (!done_) {
    const ParseStatus status = Step(input);
    if (status != ParseStatus::kOk) return status;
  }
  *out = std::move(root_);
  *consumed = pos_;
  in_progress_ = false;
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::ReadLine(std::string_view input, Line* line) {
  // A line's text may be as long as the longest bulk. Only the bytes that could end an acceptable
  // line are searched, so the outcome does not depend on how the input was split, and bytes
  // already searched are not searched again.
  const uint64_t max_text = static_cast<uint64_t>(std::max<int64_t>(limits_.max_bulk_len, 0));
  const size_t available = input.size() - pos_ - 1;  // bytes after the type byte
  const size_t window_end = available > max_text ? pos_ + 2 + max_text : input.size();
  const size_t from = std::max(line_checked_, pos_ + 1);
  const void* hit = nullptr;
  if (from < window_end) hit = std::memchr(input.data() + from, '\r', window_end - from);
  if (hit == nullptr) {
    line_checked_ = std::max(from, window_end);
    return available > max_text ? Fail("Protocol error: line too long") : NeedMore();
  }
  const size_t cr = static_cast<size_t>(static_cast<const char*>(hit) - input.data());
  line_checked_ = cr;
  if (cr + 1 >= input.size()) return NeedMore();
  if (input[cr + 1] != '\n') return Fail("Protocol error: expected CRLF");
  *line = Line{input[pos_], input.substr(pos_ + 1, cr - pos_ - 1), cr + 2};
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::Step(std::string_view input) {
  if (pos_ >= input.size()) return NeedMore();
  Line line;
  const ParseStatus status = ReadLine(input, &line);
  if (status != ParseStatus::kOk) return status;
  const bool in_string_stream = !stack_.empty() && stack_.back().kind == FrameKind::kStreamedString;
  if (in_string_stream || line.type == ';') return StreamChunk(input, line);
  switch (line.type) {
    case '$':
    case '=':
      if (line.head == "?" && line.type == '$') {
        pos_ = line_checked_ = line.next;
        return Open(MakeReply(Reply::Type::kBulk), 0, FrameKind::kStreamedString);
      }
      break;
    case '*':
    case '%':
    case '~':
    case '>':
    case '|':
      return StartAggregate(line);
    case '.':
      return EndStreamedAggregate(line);
    default:
      break;
  }
  Reply value;
  if (line.type == '$' || line.type == '=') return ReadBlob(input, line, &value);
  return ParseScalar(line, &value);
}

ParseStatus ReplyParser::ParseScalar(const Line& line, Reply* value) {
  switch (line.type) {
    case '+':
      *value = MakeReply(Reply::Type::kSimpleString);
      break;
    case '-':
      *value = MakeReply(Reply::Type::kError);
      break;
    case ':':
      *value = MakeReply(Reply::Type::kInteger);
      if (!ParseI64(line.head, &value->integer)) return Fail("Protocol error: bad integer");
      break;
    case '_':
      if (!line.head.empty()) return Fail("Protocol error: bad null");
      *value = MakeReply(Reply::Type::kNull);
      break;
    case ',':
      *value = MakeReply(Reply::Type::kDouble);
      if (!ParseDouble(line.head, &value->dbl)) return Fail("Protocol error: bad double");
      break;
    case '#':
      if (line.head != "t" && line.head != "f") return Fail("Protocol error: bad boolean");
      *value = MakeReply(Reply::Type::kBool);
      value->boolean = line.head == "t";
      break;
    case '(':
      if (!IsBigNumber(line.head)) return Fail("Protocol error: bad big number");
      *value = MakeReply(Reply::Type::kBigNumber);
      break;
    default:
      return Fail(std::string("Protocol error: unknown reply type byte '") + line.type + "'");
  }
  if (value->type != Reply::Type::kNull && value->type != Reply::Type::kInteger &&
      value->type != Reply::Type::kBool) {
    value->str.assign(line.head);
  }
  Complete(std::move(*value), line.next);
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::ParseLength(std::string_view head, int64_t* value) {
  if (!ParseI64(head, value) || *value < -1 || *value > limits_.max_bulk_len) {
    return Fail("Protocol error: bad bulk length");
  }
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::ReadBlob(std::string_view input, const Line& line, Reply* value) {
  int64_t len = 0;
  if (ParseLength(line.head, &len) != ParseStatus::kOk) return ParseStatus::kError;
  if (len == -1) {
    if (line.type != '$') return Fail("Protocol error: bad verbatim length");
    Complete(MakeReply(Reply::Type::kNull), line.next);
    return ParseStatus::kOk;
  }
  const size_t n = static_cast<size_t>(len);
  if (input.size() - line.next < n + 2) return NeedMore();
  if (input.compare(line.next + n, 2, "\r\n") != 0) return Fail("Protocol error: expected CRLF");
  std::string_view data = input.substr(line.next, n);
  if (line.type == '$') {
    *value = MakeReply(Reply::Type::kBulk);
  } else {
    // "fmt:text": the format is exactly three bytes.
    if (n < 4 || data[3] != ':') return Fail("Protocol error: bad verbatim string");
    *value = MakeReply(Reply::Type::kVerbatim);
    value->format.assign(data.substr(0, 3));
    data.remove_prefix(4);
  }
  value->str.assign(data);
  Complete(std::move(*value), line.next + n + 2);
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::StartAggregate(const Line& line) {
  static constexpr struct {
    char prefix;
    Reply::Type type;
    int per_entry;
  } kKinds[] = {{'*', Reply::Type::kArray, 1},
                {'~', Reply::Type::kSet, 1},
                {'>', Reply::Type::kPush, 1},
                {'%', Reply::Type::kMap, 2},
                {'|', Reply::Type::kAttribute, 2}};
  const auto* kind = std::find_if(std::begin(kKinds), std::end(kKinds),
                                  [&](const auto& k) { return k.prefix == line.type; });
  pos_ = line_checked_ = line.next;
  if (line.head == "?" && line.type != '|') {
    return Open(MakeReply(kind->type), -1, FrameKind::kStreamedAggregate);
  }
  int64_t count = 0;
  if (!ParseI64(line.head, &count) || count < -1 || count > limits_.max_aggregate_len) {
    return Fail("Protocol error: bad aggregate length");
  }
  if (count == -1) {
    // RESP2's null array; the RESP3 types have no null form.
    if (line.type != '*') return Fail("Protocol error: bad aggregate length");
    Complete(MakeReply(Reply::Type::kNull), line.next);
    return ParseStatus::kOk;
  }
  Reply value = MakeReply(kind->type);
  const int64_t elements = count * kind->per_entry;
  value.elements.reserve(std::min<size_t>(static_cast<size_t>(elements), kMaxReserve));
  if (elements == 0) {
    Complete(std::move(value), line.next);
    return ParseStatus::kOk;
  }
  return Open(std::move(value), elements, FrameKind::kCounted);
}

ParseStatus ReplyParser::Open(Reply value, int64_t remaining, FrameKind kind) {
  if (stack_.size() >= static_cast<size_t>(std::max(limits_.max_depth, 1))) {
    return Fail("Protocol error: nesting too deep");
  }
  Reply* slot = &root_;
  if (stack_.empty()) {
    root_ = std::move(value);
  } else {
    slot = &stack_.back().reply->elements.emplace_back(std::move(value));
  }
  stack_.push_back(Frame{slot, remaining, kind});
  // The header line was consumed by the caller that decided to open the frame.
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::StreamChunk(std::string_view input, const Line& line) {
  if (stack_.empty() || stack_.back().kind != FrameKind::kStreamedString || line.type != ';') {
    return Fail("Protocol error: unexpected streamed string chunk");
  }
  int64_t len = 0;
  if (ParseLength(line.head, &len) != ParseStatus::kOk || len < 0) {
    return failed_ ? ParseStatus::kError : Fail("Protocol error: bad bulk length");
  }
  Reply* str = stack_.back().reply;
  if (len == 0) {  // ";0" ends the stream and has no data section
    pos_ = line_checked_ = line.next;
    stack_.back().remaining = 0;
    CloseFrames();
    return ParseStatus::kOk;
  }
  const size_t n = static_cast<size_t>(len);
  if (input.size() - line.next < n + 2) return NeedMore();
  if (input.compare(line.next + n, 2, "\r\n") != 0) return Fail("Protocol error: expected CRLF");
  if (str->str.size() + n > static_cast<uint64_t>(limits_.max_bulk_len)) {
    return Fail("Protocol error: bad bulk length");
  }
  str->str.append(input.substr(line.next, n));
  pos_ = line_checked_ = line.next + n + 2;
  return ParseStatus::kOk;
}

ParseStatus ReplyParser::EndStreamedAggregate(const Line& line) {
  if (stack_.empty() || stack_.back().kind != FrameKind::kStreamedAggregate || !line.head.empty()) {
    return Fail("Protocol error: unexpected end of stream");
  }
  const Reply& agg = *stack_.back().reply;
  if (agg.type == Reply::Type::kMap && agg.elements.size() % 2 != 0) {
    return Fail("Protocol error: streamed map with a key and no value");
  }
  pos_ = line_checked_ = line.next;
  stack_.back().remaining = 0;
  CloseFrames();
  return ParseStatus::kOk;
}

void ReplyParser::Complete(Reply value, size_t next) {
  pos_ = line_checked_ = next;
  if (stack_.empty()) {
    root_ = std::move(value);
    done_ = true;
    return;
  }
  Frame& top = stack_.back();
  if (value.type == Reply::Type::kAttribute) return;  // a nested empty attribute: dropped
  top.reply->elements.push_back(std::move(value));
  if (top.kind == FrameKind::kCounted) --top.remaining;
  CloseFrames();
}

void ReplyParser::CloseFrames() {
  while (!stack_.empty() && stack_.back().remaining == 0) {
    const bool attribute = stack_.back().reply->type == Reply::Type::kAttribute;
    stack_.pop_back();
    if (stack_.empty()) {
      done_ = true;
      return;
    }
    Frame& parent = stack_.back();
    if (attribute) {
      // Attributes annotate the next element and are not elements themselves.
      parent.reply->elements.pop_back();
      continue;
    }
    if (parent.kind == FrameKind::kCounted) --parent.remaining;
  }
}

}  // namespace ringkv::protocol
