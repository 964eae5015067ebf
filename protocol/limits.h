// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Limits the request parser enforces, with Redis's configuration names and defaults. The server
// fills them from its config; the parser only reads them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ringkv::protocol {

struct ParserLimits {
  // proto-max-bulk-len: the largest bulk string argument accepted.
  // Default: 512mb.
  int64_t max_bulk_len = 512LL * 1024 * 1024;
  // The largest number of arguments in one multibulk request. Redis 6 hard-coded 1024*1024;
  // Redis 7.0 accepts up to INT_MAX (checked against 7.0.15). A larger count is answered with
  // "invalid multibulk length", as Redis does past its own limit.
  // Default: 1048576.
  int64_t max_multibulk_len = 1024 * 1024;
  // The longest inline request line, and the longest "*<count>" / "$<len>" line, in bytes before
  // the terminating '\n' (inline) or '\r' (count lines): Redis's PROTO_INLINE_MAX_SIZE.
  // Default: 64kb.
  size_t max_inline_len = 64 * 1024;
};

// While a connection has not authenticated (RequestParser::set_auth_required(true)), Redis 7.0
// refuses requests larger than these with "unauthenticated multibulk length" / "unauthenticated
// bulk length", so an unauthenticated client cannot make the server buffer much.
inline constexpr int64_t kUnauthenticatedMaxMultibulkLen = 10;
inline constexpr int64_t kUnauthenticatedMaxBulkLen = 16384;

}  // namespace ringkv::protocol
