// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/log.h"

#include <fcntl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace ringkv::server {

namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kNotice)};
std::atomic<int> g_fd{STDOUT_FILENO};
thread_local std::string t_thread_name = "M";

}  // namespace

bool ParseLogLevel(std::string_view name, LogLevel* level) {
  static constexpr std::pair<std::string_view, LogLevel> kNames[] = {
      {"debug", LogLevel::kDebug},     {"verbose", LogLevel::kVerbose},
      {"notice", LogLevel::kNotice},   {"warning", LogLevel::kWarning},
      {"nothing", LogLevel::kNothing},
  };
  for (const auto& [n, l] : kNames) {
    if (absl::EqualsIgnoreCase(absl::string_view(name.data(), name.size()),
                               absl::string_view(n.data(), n.size()))) {
      *level = l;
      return true;
    }
  }
  return false;
}

void SetLogLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }

absl::Status SetLogFile(const std::string& path) {
  if (path.empty()) {
    g_fd.store(STDOUT_FILENO);
    return absl::OkStatus();
  }
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return absl::ErrnoToStatus(errno, absl::StrCat("can't open the log file ", path));
  int old = g_fd.exchange(fd);
  if (old != STDOUT_FILENO) close(old);
  return absl::OkStatus();
}

void SetLogThreadName(std::string name) { t_thread_name = std::move(name); }

bool LogEnabled(LogLevel level) {
  return level != LogLevel::kNothing && static_cast<int>(level) >= g_level.load();
}

void LogLine(LogLevel level, std::string_view message) {
  static constexpr char kMarks[] = {'.', '-', '*', '#'};
  struct timeval tv;
  gettimeofday(&tv, nullptr);
  struct tm tm;
  localtime_r(&tv.tv_sec, &tm);
  char when[64];
  size_t n = strftime(when, sizeof(when), "%d %b %Y %H:%M:%S", &tm);
  std::string line = absl::StrCat(getpid(), ":", t_thread_name, " ", absl::string_view(when, n),
                                  ".", absl::Dec(tv.tv_usec / 1000, absl::kZeroPad3), " ",
                                  std::string(1, kMarks[static_cast<int>(level)]), " ",
                                  absl::string_view(message.data(), message.size()), "\n");
  ssize_t w = write(g_fd.load(), line.data(), line.size());
  (void)w;
}

}  // namespace ringkv::server
