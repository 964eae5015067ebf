// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Helpers shared by the command files: argument parsing with Redis's exact
// rules (string2ll for integers, getIntFromObject's int range, strtoul for SCAN cursors) and the
// registration hooks of the keyspace files that RegisterKeyCommands() calls, so the command table
// needs no entry per file. Not a general server API: only server/commands/ includes it.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <string>
#include <string_view>

#include "protocol/detail/numbers.h"
#include "server/command_table.h"

namespace ringkv::server::cmd {

using Args = std::span<const std::string_view>;

// Redis's addReplyHelp: a header line, the command's own lines, then HELP's, as status replies.
inline void ReplyHelp(CommandContext& ctx, std::string_view header,
                      std::span<const std::string_view> lines) {
  ctx.reply.ArrayHeader(lines.size() + 3);
  ctx.reply.SimpleString(header);
  for (std::string_view line : lines) ctx.reply.SimpleString(line);
  ctx.reply.SimpleString("HELP");
  ctx.reply.SimpleString("    Prints this help.");
}

// ASCII case-insensitive equality (option names).
inline bool Is(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

// Redis's getLongLongFromObject: string2ll over the whole argument (no '+', no spaces, no leading
// zeros, no "-0", at most 20 characters). The RESP length parser uses the same rules.
inline bool ParseInt64(std::string_view s, int64_t* out) {
  return protocol::detail::ParseRespInt(s, out);
}

// Redis's getIntFromObject: as ParseInt64, then within int's range.
inline bool ParseInt32(std::string_view s, int* out) {
  int64_t v;
  if (!ParseInt64(s, &v) || v < std::numeric_limits<int>::min() ||
      v > std::numeric_limits<int>::max()) {
    return false;
  }
  *out = static_cast<int>(v);
  return true;
}

// Redis's parseScanCursorOrReply: strtoul base 10. A leading space is refused, an optional sign
// and leading zeros are accepted, a '-' negates modulo 2^64 (so "-1" is the largest cursor), the
// empty string is cursor 0, and anything past 2^64-1 is refused.
inline bool ParseScanCursor(std::string_view s, uint64_t* out) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i == s.size()) {
    // strtoul consumed nothing: only the empty string ends right there.
    if (!s.empty()) return false;
    *out = 0;
    return true;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const unsigned d = static_cast<unsigned char>(s[i]) - '0';
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;  // ERANGE
    v = v * 10 + d;
  }
  *out = negative ? 0 - v : v;
  return true;
}

// "ERR invalid expire time in '<name>' command".
std::string InvalidExpire(std::string_view command_name);

// Keyspace command files registered from RegisterKeyCommands().
void RegisterExpireCommands(CommandTable& table);
void RegisterScanCommands(CommandTable& table);
void RegisterObjectCommands(CommandTable& table);

}  // namespace ringkv::server::cmd
