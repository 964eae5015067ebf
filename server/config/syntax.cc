// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Implementation of the redis.conf lexical rules. Each function mirrors one routine of Redis
// (sds.c sdssplitargs / sdscatrepr, util.c string2ll / memtoull / stringmatchlen) closely enough
// that the same bytes give the same result; the few deliberate differences are listed in the
// header.
#include "server/config/syntax.h"

#include <cctype>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "engine/glob.h"

namespace ringkv::server::config {
namespace {

constexpr uint64_t kMebi = uint64_t{1} << 20;
constexpr uint64_t kGibi = uint64_t{1} << 30;

bool IsHexDigit(char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  return absl::ascii_tolower(static_cast<unsigned char>(c)) - 'a' + 10;
}

// sdssplitargs skips any isspace() byte between arguments but ends an unquoted argument only at
// these four (and NUL); \v and \f inside a word are kept. Match both quirks.
bool IsBlank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool EndsWord(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

// Reads the inside of a double-quoted run starting after the opening quote. Returns the index
// after the closing quote, or npos when the quote is unterminated or badly closed.
size_t ReadDoubleQuoted(std::string_view line, size_t i, std::string* out) {
  while (i < line.size()) {
    char c = line[i];
    if (c == '\\' && i + 3 < line.size() && line[i + 1] == 'x' && IsHexDigit(line[i + 2]) &&
        IsHexDigit(line[i + 3])) {
      out->push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
      i += 4;
    } else if (c == '\\' && i + 1 < line.size()) {
      char e = line[i + 1];
      switch (e) {
        case 'n':
          e = '\n';
          break;
        case 'r':
          e = '\r';
          break;
        case 't':
          e = '\t';
          break;
        case 'b':
          e = '\b';
          break;
        case 'a':
          e = '\a';
          break;
        default:
          break;
      }
      out->push_back(e);
      i += 2;
    } else if (c == '"') {
      // Redis requires a separator after a closing quote, so "a"b is an error, not `ab`.
      if (i + 1 < line.size() && !IsBlank(line[i + 1])) return std::string_view::npos;
      return i + 1;
    } else {
      out->push_back(c);
      ++i;
    }
  }
  return std::string_view::npos;
}

size_t ReadSingleQuoted(std::string_view line, size_t i, std::string* out) {
  while (i < line.size()) {
    char c = line[i];
    if (c == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
      out->push_back('\'');
      i += 2;
    } else if (c == '\'') {
      if (i + 1 < line.size() && !IsBlank(line[i + 1])) return std::string_view::npos;
      return i + 1;
    } else {
      out->push_back(c);
      ++i;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  if (size_t nul = line.find('\0'); nul != std::string_view::npos) line = line.substr(0, nul);
  std::vector<std::string> args;
  size_t i = 0;
  while (true) {
    while (i < line.size() && IsBlank(line[i])) ++i;
    if (i >= line.size()) return args;
    std::string current;
    // A word ends at a separator or right after a closing quote (which must itself be followed by
    // a separator); a quote met inside an unquoted word switches to quoted mode.
    bool done = false;
    while (!done && i < line.size()) {
      char c = line[i];
      if (EndsWord(c)) {
        done = true;
      } else if (c == '"' || c == '\'') {
        i = c == '"' ? ReadDoubleQuoted(line, i + 1, &current)
                     : ReadSingleQuoted(line, i + 1, &current);
        if (i == std::string_view::npos) return std::nullopt;
        done = true;
      } else {
        current.push_back(c);
        ++i;
      }
    }
    args.push_back(std::move(current));
  }
}

std::string QuoteArg(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      default:
        if (absl::ascii_isprint(static_cast<unsigned char>(c))) {
          out.push_back(c);
        } else {
          absl::StrAppendFormat(&out, "\\x%02x", static_cast<unsigned char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string QuoteArgIfNeeded(std::string_view s) {
  bool plain = !s.empty();
  for (char c : s) {
    if (!absl::ascii_isgraph(static_cast<unsigned char>(c)) || c == '"' || c == '\'' || c == '\\') {
      plain = false;
      break;
    }
  }
  return plain ? std::string(s) : QuoteArg(s);
}

std::optional<int64_t> ParseStrictInt(std::string_view s) {
  if (s.empty()) return std::nullopt;
  if (s == "0") return 0;
  bool negative = false;
  size_t i = 0;
  if (s[0] == '-') {
    negative = true;
    i = 1;
  }
  if (i >= s.size() || s[i] < '1' || s[i] > '9') return std::nullopt;
  // Accumulate as unsigned so that INT64_MIN, whose magnitude exceeds INT64_MAX, parses.
  uint64_t v = 0;
  const uint64_t limit =
      negative ? uint64_t{1} << 63 : static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (limit - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  return negative ? static_cast<int64_t>(0 - v) : static_cast<int64_t>(v);
}

std::optional<int64_t> ParseOctal(std::string_view s) {
  size_t i = 0;
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  if (i >= s.size()) return std::nullopt;
  int64_t v = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '7') return std::nullopt;
    if (v > (std::numeric_limits<int64_t>::max() >> 3)) return std::nullopt;
    v = v * 8 + (s[i] - '0');
  }
  return negative ? -v : v;
}

std::optional<uint64_t> ParseMemory(std::string_view s) {
  size_t digits = 0;
  while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
  if (digits == 0) return std::nullopt;
  std::string unit = absl::AsciiStrToLower(absl::string_view(s.data() + digits, s.size() - digits));
  uint64_t mul;
  if (unit.empty() || unit == "b") {
    mul = 1;
  } else if (unit == "k") {
    mul = 1000;
  } else if (unit == "kb") {
    mul = 1024;
  } else if (unit == "m") {
    mul = 1000 * 1000;
  } else if (unit == "mb") {
    mul = kMebi;
  } else if (unit == "g") {
    mul = 1000 * 1000 * 1000;
  } else if (unit == "gb") {
    mul = kGibi;
  } else {
    return std::nullopt;
  }
  uint64_t v = 0;
  constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();
  for (size_t i = 0; i < digits; ++i) {
    uint64_t d = static_cast<uint64_t>(s[i] - '0');
    if (v > (kMax - d) / 10) return std::nullopt;
    v = v * 10 + d;
  }
  if (v > kMax / mul) return std::nullopt;
  return v * mul;
}

std::string FormatMemory(uint64_t bytes) {
  if (bytes != 0 && bytes % kGibi == 0) return absl::StrFormat("%ugb", bytes / kGibi);
  if (bytes != 0 && bytes % kMebi == 0) return absl::StrFormat("%umb", bytes / kMebi);
  if (bytes != 0 && bytes % 1024 == 0) return absl::StrFormat("%ukb", bytes / 1024);
  return absl::StrFormat("%u", bytes);
}

std::optional<bool> ParseYesNo(std::string_view s) {
  absl::string_view a(s.data(), s.size());
  if (absl::EqualsIgnoreCase(a, "yes")) return true;
  if (absl::EqualsIgnoreCase(a, "no")) return false;
  return std::nullopt;
}

bool GlobMatch(std::string_view pat, std::string_view s) {
  return engine::GlobMatch(pat, s, /*nocase=*/true);
}

bool HasGlobChars(std::string_view s) { return s.find_first_of("*?[") != std::string_view::npos; }

}  // namespace ringkv::server::config
