// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Log lines in Redis's shape, with the thread that wrote them:
//   <pid>:<thread> 29 Nov 2026 08:50:01.123 * message
// where the level mark is '.' debug, '-' verbose, '*' notice, '#' warning, as in Redis.
//
// Thread safety: Log() is safe from any thread; one line is written with one write(2).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace ringkv::server {

enum class LogLevel { kDebug = 0, kVerbose = 1, kNotice = 2, kWarning = 3, kNothing = 4 };

// Parses Redis's loglevel names (debug, verbose, notice, warning, nothing).
bool ParseLogLevel(std::string_view name, LogLevel* level);
void SetLogLevel(LogLevel level);
// "" logs to standard output. Returns an error if the file cannot be opened for appending.
[[nodiscard]] absl::Status SetLogFile(const std::string& path);
// The name shown for lines written by the calling thread ("M" for main by default).
void SetLogThreadName(std::string name);

bool LogEnabled(LogLevel level);
void LogLine(LogLevel level, std::string_view message);

template <typename... Args>
void Log(LogLevel level, const Args&... args) {
  if (LogEnabled(level)) LogLine(level, absl::StrCat(args...));
}

}  // namespace ringkv::server
