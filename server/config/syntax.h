// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The lexical rules of redis.conf, kept byte-compatible with Redis so that an existing file means
// the same thing here: how a line splits into arguments (sdssplitargs), how a string is quoted
// back (sdscatrepr), and how integers, octal numbers, memory sizes and yes/no are read. These are
// pure functions over bytes: no directive knowledge, no I/O, no state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringkv::server::config {

// Splits one line into arguments with Redis's rules:
// - arguments are separated by spaces, tabs, CR or LF;
// - "double quotes" allow the escapes \n \r \t \b \a \xHH, and \<c> for any other c means c;
// - 'single quotes' take everything literally except \' (a quote);
// - a quote may start in the middle of an unquoted argument (a"b c" is the one argument `ab c`),
//   but a closing quote must be followed by a separator or the end of the line.
// A NUL byte ends the line, as it does for Redis's C strings. Returns nullopt when quotes are
// unbalanced or a closing quote is followed by something else. An empty or blank line gives an
// empty vector.
std::optional<std::vector<std::string>> SplitArgs(std::string_view line);

// Quotes `s` the way Redis's sdscatrepr does: always in double quotes, with \\ \" \n \r \t \a \b
// escaped and any other non-printable byte as \xHH. SplitArgs(QuoteArg(s)) gives back {s}.
std::string QuoteArg(std::string_view s);

// Returns `s` unchanged when SplitArgs would read it back as that one argument, else QuoteArg(s).
// Used where Redis writes bare words (bind addresses, enum names).
std::string QuoteArgIfNeeded(std::string_view s);

// Parses a signed decimal integer strictly, as Redis's string2ll: an optional '-', no '+', no
// spaces, no leading zeros (except "0" itself), no trailing bytes, and no overflow.
std::optional<int64_t> ParseStrictInt(std::string_view s);

// Parses an octal number (as strtoll base 8 with the whole string consumed): an optional sign and
// at least one digit 0-7. "0777" and "777" are the same value.
std::optional<int64_t> ParseOctal(std::string_view s);

// Parses a memory size as Redis's memtoull: decimal digits followed by an optional unit, case
// insensitive: b = 1, k = 1000, kb = 1024, m = 1000^2, mb = 1024^2, g = 1000^3, gb = 1024^3.
// No sign, no fraction, no spaces. Unlike Redis 7.0, an empty number ("", "kb") and a value that
// overflows 64 bits are rejected.
std::optional<uint64_t> ParseMemory(std::string_view s);

// Formats a byte count as CONFIG REWRITE writes it: the largest of gb, mb, kb that divides it
// exactly, else the plain number ("0", "1023", "64mb", "1gb").
std::string FormatMemory(uint64_t bytes);

// "yes" -> true, "no" -> false, case insensitive; anything else -> nullopt.
std::optional<bool> ParseYesNo(std::string_view s);

// Redis's stringmatchlen with the case-insensitive flag (engine::GlobMatch, the one matcher KEYS,
// SCAN and CONFIG GET share). Used by CONFIG GET.
bool GlobMatch(std::string_view pattern, std::string_view s);

// True when `s` contains a glob metacharacter (*, ?, [), i.e. is a pattern rather than a name.
bool HasGlobChars(std::string_view s);

}  // namespace ringkv::server::config
