// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ReplyParser decodes what a RESP2/RESP3 server sends (every RESP3 type, nested) into Reply
// values. Used by client/ and by tests. Input may stop at any byte: kNeedMore asks for more.
//
// Thread safety: one parser per connection; not safe for concurrent use.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/request_parser.h"  // ParseStatus

namespace ringkv::protocol {

struct Reply {
  enum class Type {
    kSimpleString,  // +
    kError,         // -   (str holds the message without '-')
    kInteger,       // :
    kBulk,          // $
    kNull,          // $-1, *-1, _
    kArray,         // *
    kMap,           // %   (elements: k1, v1, k2, v2, ...)
    kSet,           // ~
    kDouble,        // ,   (str holds the text as sent, number in dbl)
    kBool,          // #
    kBigNumber,     // (   (str holds the digits)
    kVerbatim,      // =   (str holds the text after "fmt:", format holds fmt)
    kPush,          // >
    kAttribute,     // |   (elements: k1, v1, ...; attached to nothing, returned on its own)
  };
  Type type = Type::kNull;
  std::string str;
  std::string format;
  int64_t integer = 0;
  double dbl = 0;
  bool boolean = false;
  std::vector<Reply> elements;

  bool is_error() const { return type == Type::kError; }
  // A compact human-readable rendering, e.g. for test failure messages.
  std::string DebugString() const;

  // Field-by-field equality (a NaN double never equals anything, as in IEEE 754).
  friend bool operator==(const Reply&, const Reply&) = default;
};

// Writes `reply` back out through `encoder` (in the encoder's RESP version). A kDouble is
// re-formatted from `dbl`, so its text may differ from what was parsed.
class ReplyEncoder;
void EncodeReply(const Reply& reply, ReplyEncoder* encoder);

struct ReplyParserLimits {
  // Larger bulk, verbatim or streamed strings, and longer simple/error lines, are protocol errors.
  int64_t max_bulk_len = 1LL << 32;
  int64_t max_aggregate_len = 1LL << 28;  // elements in one array/map/set
  int max_depth = 128;                    // nesting deeper than this is a protocol error
};

class ReplyParser {
 public:
  explicit ReplyParser(const ReplyParserLimits& limits = {});

  // Parses one reply from the start of `input`. kOk: *consumed bytes form *out. kNeedMore:
  // *consumed is 0; call again with the same bytes plus more (the parser keeps what it already
  // decoded and does not rescan it). kError: error() says why; Reset() before reuse.
  //
  // Accepts every RESP2/RESP3 type, including RESP3 streamed strings ("$?" with ";" chunks) and
  // streamed aggregates ("*?" ... "."), and RESP2's "*-1" null array. An attribute ("|") at the
  // top level is returned as its own kAttribute reply; one nested inside an aggregate is parsed
  // and dropped (it does not count as an element), since Reply has no place to attach it.
  ParseStatus Parse(std::string_view input, size_t* consumed, Reply* out);
  std::string_view error() const { return error_; }

  // Forgets any partial reply and error.
  void Reset();

 private:
  enum class FrameKind { kCounted, kStreamedAggregate, kStreamedString };
  // An aggregate (or streamed string) still being filled. `reply` points at it in place: at
  // root_ or as the last element of its parent, which does not grow until the frame is done.
  struct Frame {
    Reply* reply;
    int64_t remaining;  // elements still expected (kCounted only)
    FrameKind kind;
  };
  struct Line {
    char type;
    std::string_view head;  // the bytes between the type byte and CRLF
    size_t next;            // offset just past CRLF
  };

  ParseStatus Step(std::string_view input);
  ParseStatus ReadLine(std::string_view input, Line* line);
  ParseStatus ParseScalar(const Line& line, Reply* value);
  ParseStatus ParseLength(std::string_view head, int64_t* value);
  ParseStatus ReadBlob(std::string_view input, const Line& line, Reply* value);
  ParseStatus StartAggregate(const Line& line);
  ParseStatus StreamChunk(std::string_view input, const Line& line);
  ParseStatus EndStreamedAggregate(const Line& line);
  ParseStatus Open(Reply value, int64_t remaining, FrameKind kind);
  void Complete(Reply value, size_t next);
  void CloseFrames();
  ParseStatus NeedMore() { return ParseStatus::kNeedMore; }
  ParseStatus Fail(std::string_view message);

  ReplyParserLimits limits_;
  std::string error_;
  bool failed_ = false;
  bool in_progress_ = false;
  bool done_ = false;
  size_t pos_ = 0;           // next byte of the current reply to parse
  size_t line_checked_ = 0;  // the line at pos_ has no '\r' before this offset
  Reply root_;
  std::vector<Frame> stack_;
};

}  // namespace ringkv::protocol
