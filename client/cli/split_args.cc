// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// redis-cli's argument splitting for interactive input (see split_args.h).
#include "client/cli/split_args.h"

namespace ringkv::client::cli {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// After a closing quote only a blank or the end of the line may follow ("foo"bar is an error).
bool ClosingQuoteOk(std::string_view line, size_t i) {
  return i + 1 >= line.size() || IsSpace(line[i + 1]);
}

}  // namespace

std::optional<std::vector<std::string>> SplitArgs(std::string_view line) {
  std::vector<std::string> args;
  size_t i = 0;
  const size_t n = line.size();
  while (true) {
    while (i < n && IsSpace(line[i])) ++i;
    if (i >= n) return args;
    std::string current;
    enum { kPlain, kDouble, kSingle } state = kPlain;
    bool done = false;
    while (!done) {
      if (state == kDouble) {
        if (i >= n) return std::nullopt;  // unterminated quotes
        char c = line[i];
        if (c == '\\' && i + 3 < n && line[i + 1] == 'x' && HexValue(line[i + 2]) >= 0 &&
            HexValue(line[i + 3]) >= 0) {
          current.push_back(static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3])));
          i += 3;
        } else if (c == '\\' && i + 1 < n) {
          ++i;
          switch (line[i]) {
            case 'n':
              current.push_back('\n');
              break;
            case 'r':
              current.push_back('\r');
              break;
            case 't':
              current.push_back('\t');
              break;
            case 'b':
              current.push_back('\b');
              break;
            case 'a':
              current.push_back('\a');
              break;
            default:
              current.push_back(line[i]);
          }
        } else if (c == '"') {
          if (!ClosingQuoteOk(line, i)) return std::nullopt;
          done = true;
        } else {
          current.push_back(c);
        }
      } else if (state == kSingle) {
        if (i >= n) return std::nullopt;
        char c = line[i];
        if (c == '\\' && i + 1 < n && line[i + 1] == '\'') {
          ++i;
          current.push_back('\'');
        } else if (c == '\'') {
          if (!ClosingQuoteOk(line, i)) return std::nullopt;
          done = true;
        } else {
          current.push_back(c);
        }
      } else {
        if (i >= n || IsSpace(line[i])) {
          done = true;
        } else if (line[i] == '"') {
          state = kDouble;
        } else if (line[i] == '\'') {
          state = kSingle;
        } else {
          current.push_back(line[i]);
        }
      }
      if (i < n) ++i;
    }
    args.push_back(std::move(current));
  }
}

}  // namespace ringkv::client::cli
