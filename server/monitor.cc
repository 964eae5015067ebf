// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/monitor.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/command.h"

namespace ringkv::server {

void MonitorRegistry::Add(uint64_t client_id, int worker) {
  absl::MutexLock lock(&mu_);
  for (const Monitor& m : monitors_) {
    if (m.client_id == client_id) return;
  }
  monitors_.push_back({client_id, worker});
  count_.store(monitors_.size(), std::memory_order_relaxed);
}

void MonitorRegistry::Remove(uint64_t client_id) {
  absl::MutexLock lock(&mu_);
  monitors_.erase(
      std::remove_if(monitors_.begin(), monitors_.end(),
                     [client_id](const Monitor& m) { return m.client_id == client_id; }),
      monitors_.end());
  count_.store(monitors_.size(), std::memory_order_relaxed);
}

void AppendQuoted(std::string_view arg, std::string* out) {
  out->push_back('"');
  for (char ch : arg) {
    const unsigned char c = static_cast<unsigned char>(ch);
    switch (c) {
      case '\\':
        out->append("\\\\");
        break;
      case '"':
        out->append("\\\"");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      case '\a':
        out->append("\\a");
        break;
      case '\b':
        out->append("\\b");
        break;
      default:
        if (absl::ascii_isprint(c)) {
          out->push_back(ch);
        } else {
          char hex[5];
          std::snprintf(hex, sizeof(hex), "\\x%02x", c);
          out->append(hex);
        }
    }
  }
  out->push_back('"');
}

namespace {

// The arguments Redis redacts: AUTH's, and HELLO's after AUTH (username and password).
bool Redacted(std::string_view name, std::span<const std::string_view> args, size_t i) {
  if (name == "auth") return i >= 1;
  if (name == "hello") {
    for (size_t j = 2; j < i && j < args.size(); ++j) {
      if (absl::EqualsIgnoreCase(absl::string_view(args[j].data(), args[j].size()), "auth") &&
          i <= j + 2) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

void MonitorRegistry::Feed(int64_t now_us, int db, std::string_view addr, const CommandSpec& spec,
                           std::span<const std::string_view> args) {
  // Admin commands (CONFIG, DEBUG, ...) are too sensitive to show, as in Redis.
  if (spec.flags & kAdmin) return;
  std::string line = absl::StrCat("+", now_us / 1000000, ".");
  char micros[8];
  std::snprintf(micros, sizeof(micros), "%06lld", static_cast<long long>(now_us % 1000000));
  absl::StrAppend(&line, micros, " [", db, " ", absl::string_view(addr.data(), addr.size()), "]");
  for (size_t i = 0; i < args.size(); ++i) {
    line.push_back(' ');
    if (Redacted(spec.name, args, i)) {
      line.append("\"(redacted)\"");
    } else {
      AppendQuoted(args[i], &line);
    }
  }
  line.append("\r\n");
  absl::MutexLock lock(&mu_);
  if (!deliver_) return;
  for (const Monitor& m : monitors_) deliver_(m.worker, m.client_id, line);
}

}  // namespace ringkv::server
