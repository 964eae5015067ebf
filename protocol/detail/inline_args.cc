// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The inline splitter. Plain arguments are found with a tight scan and returned as views; only an
// argument that contains a quote goes through the byte-by-byte unescaping state machine.

#include "protocol/detail/inline_args.h"

namespace ringkv::protocol::detail {
namespace {

// C-locale isspace(): separates arguments.
bool IsSpace(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

// The bytes that end an unquoted argument in sdssplitargs (\v and \f do not).
bool EndsArg(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int HexValue(char c) {
  if (c <= '9') return c - '0';
  return (c | 0x20) - 'a' + 10;
}

char Unescape(char c) {
  switch (c) {
    case 'n':
      return '\n';
    case 'r':
      return '\r';
    case 't':
      return '\t';
    case 'b':
      return '\b';
    case 'a':
      return '\a';
    default:
      return c;
  }
}

// A closing quote must end the line or be followed by a space.
bool ClosingQuoteOk(std::string_view line, size_t quote) {
  return quote + 1 == line.size() || IsSpace(line[quote + 1]);
}

enum class Step { kMore, kDone, kUnbalanced };

// One step inside double quotes at line[*p] (which exists).
Step DoubleQuotedStep(std::string_view line, size_t* p, char** out) {
  const size_t i = *p;
  const char c = line[i];
  if (c == '\\' && i + 3 < line.size() && line[i + 1] == 'x' && IsHex(line[i + 2]) &&
      IsHex(line[i + 3])) {
    *(*out)++ = static_cast<char>(HexValue(line[i + 2]) * 16 + HexValue(line[i + 3]));
    *p += 4;
  } else if (c == '\\' && i + 1 < line.size()) {
    *(*out)++ = Unescape(line[i + 1]);
    *p += 2;
  } else if (c == '"') {
    *p += 1;
    return ClosingQuoteOk(line, i) ? Step::kDone : Step::kUnbalanced;
  } else {
    *(*out)++ = c;
    *p += 1;
  }
  return Step::kMore;
}

// One step inside single quotes at line[*p] (which exists).
Step SingleQuotedStep(std::string_view line, size_t* p, char** out) {
  const size_t i = *p;
  const char c = line[i];
  if (c == '\\' && i + 1 < line.size() && line[i + 1] == '\'') {
    *(*out)++ = '\'';
    *p += 2;
  } else if (c == '\'') {
    *p += 1;
    return ClosingQuoteOk(line, i) ? Step::kDone : Step::kUnbalanced;
  } else {
    *(*out)++ = c;
    *p += 1;
  }
  return Step::kMore;
}

// Unquotes the argument starting at line[*p] into *out, moving *p past it.
bool UnquoteArg(std::string_view line, size_t* p, char** out) {
  enum class Mode { kPlain, kDouble, kSingle } mode = Mode::kPlain;
  while (true) {
    if (mode == Mode::kPlain) {
      if (*p == line.size() || EndsArg(line[*p])) return true;
      const char c = line[(*p)++];
      if (c == '"') {
        mode = Mode::kDouble;
      } else if (c == '\'') {
        mode = Mode::kSingle;
      } else {
        *(*out)++ = c;
      }
      continue;
    }
    if (*p == line.size()) return false;  // unterminated quotes
    const Step step =
        mode == Mode::kDouble ? DoubleQuotedStep(line, p, out) : SingleQuotedStep(line, p, out);
    if (step != Step::kMore) return step == Step::kDone;
  }
}

}  // namespace

bool SplitInlineArgs(std::string_view line, std::string* storage,
                     std::vector<std::string_view>* args) {
  char* out = nullptr;  // next free byte of *storage once it is sized
  size_t p = 0;
  while (true) {
    while (p < line.size() && IsSpace(line[p])) ++p;
    if (p == line.size()) return true;
    const size_t start = p;
    while (p < line.size() && !EndsArg(line[p]) && line[p] != '"' && line[p] != '\'') ++p;
    if (p == line.size() || EndsArg(line[p])) {
      args->push_back(line.substr(start, p - start));
      continue;
    }
    // Unescaping never makes an argument longer, so line.size() bytes hold every argument.
    if (out == nullptr) {
      storage->resize(line.size());
      out = storage->data();
    }
    char* arg = out;
    p = start;
    if (!UnquoteArg(line, &p, &out)) return false;
    args->push_back(std::string_view(arg, static_cast<size_t>(out - arg)));
  }
}

}  // namespace ringkv::protocol::detail
