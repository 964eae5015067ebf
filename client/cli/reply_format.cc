// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// redis-cli's reply printing (see reply_format.h). The layout rules below (index width, the
// indentation of nested aggregates, "=>" for maps and the line break before a multi-line map
// value) are redis-cli 7.0's, checked against its output in tests/client/cli_test.cc.
#include "client/cli/reply_format.h"

#include <strings.h>

#include <cstdio>
#include <string>

namespace ringkv::client::cli {
namespace {

using protocol::Reply;
using Type = protocol::Reply::Type;

bool IsAggregate(Type t) {
  return t == Type::kArray || t == Type::kMap || t == Type::kSet || t == Type::kPush ||
         t == Type::kAttribute;
}

bool IsMapLike(Type t) { return t == Type::kMap || t == Type::kAttribute; }

// Whether FormatStandard prints `r` on more than one line; a map value that does starts on a new
// line so its elements line up under each other.
bool IsMultiline(const Reply& r) {
  if (!IsAggregate(r.type) || r.elements.empty()) return false;
  if (IsMapLike(r.type)) return r.elements.size() > 2 || IsMultiline(r.elements[1]);
  return r.elements.size() > 1 || IsMultiline(r.elements[0]);
}

const char* EmptyText(Type t) {
  switch (t) {
    case Type::kArray:
      return "(empty array)\n";
    case Type::kMap:
      return "(empty hash)\n";
    case Type::kSet:
      return "(empty set)\n";
    case Type::kPush:
      return "(empty push)\n";
    default:
      return "(empty aggregate type)\n";
  }
}

void FormatAggregate(const Reply& r, std::string_view prefix, std::string* out) {
  if (r.elements.empty()) {
    out->append(EmptyText(r.type));
    return;
  }
  const bool map = IsMapLike(r.type);
  size_t count = map ? r.elements.size() / 2 : r.elements.size();
  int width = static_cast<int>(std::to_string(count).size());
  std::string child_prefix(prefix);
  child_prefix.append(width + 2, ' ');
  char sep = r.type == Type::kSet ? '~' : map ? '#' : ')';
  for (size_t i = 0; i < r.elements.size(); ++i) {
    size_t human = (map ? i / 2 : i) + 1;
    if (i != 0) out->append(prefix);  // the caller already wrote this line's indentation
    char index[32];
    std::snprintf(index, sizeof(index), "%*zu%c ", width, human, sep);
    out->append(index);
    out->append(FormatStandard(r.elements[i], child_prefix));
    if (map && i + 1 < r.elements.size()) {
      ++i;
      out->pop_back();  // the key's newline
      out->append(" => ");
      if (IsMultiline(r.elements[i])) {
        out->push_back('\n');
        out->append(child_prefix);
      }
      out->append(FormatStandard(r.elements[i], child_prefix));
    }
  }
}

}  // namespace

std::string Repr(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '\\':
      case '"':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\a':
        out.append("\\a");
        break;
      case '\b':
        out.append("\\b");
        break;
      default:
        if (c >= 0x20 && c < 0x7f) {
          out.push_back(c);
        } else {
          char hex[8];
          std::snprintf(hex, sizeof(hex), "\\x%02x", static_cast<unsigned char>(c));
          out.append(hex);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string FormatStandard(const Reply& r, std::string_view prefix) {
  std::string out;
  switch (r.type) {
    case Type::kError:
      out = "(error) " + r.str + "\n";
      break;
    case Type::kSimpleString:
      out = r.str + "\n";
      break;
    case Type::kInteger:
      out = "(integer) " + std::to_string(r.integer) + "\n";
      break;
    case Type::kDouble:
      out = "(double) " + r.str + "\n";
      break;
    case Type::kBigNumber:
      // redis-cli 7.0 aborts with "Unknown reply type: 13" here; 7.2 prints this form.
      out = "(big number) " + r.str + "\n";
      break;
    case Type::kBulk:
      out = Repr(r.str) + "\n";
      break;
    case Type::kVerbatim:
      out = r.str + "\n";  // verbatim text is meant to be shown as it is
      break;
    case Type::kNull:
      out = "(nil)\n";
      break;
    case Type::kBool:
      out = r.boolean ? "(true)\n" : "(false)\n";
      break;
    case Type::kArray:
    case Type::kMap:
    case Type::kSet:
    case Type::kPush:
    case Type::kAttribute:
      FormatAggregate(r, prefix, &out);
      break;
  }
  return out;
}

std::string FormatRaw(const Reply& r) {
  std::string out;
  switch (r.type) {
    case Type::kNull:
      break;
    case Type::kError:
      out = r.str + "\n";
      break;
    case Type::kSimpleString:
    case Type::kBulk:
    case Type::kVerbatim:
    case Type::kDouble:
    case Type::kBigNumber:
      out = r.str;
      break;
    case Type::kBool:
      out = r.boolean ? "(true)" : "(false)";
      break;
    case Type::kInteger:
      out = std::to_string(r.integer);
      break;
    case Type::kArray:
    case Type::kSet:
    case Type::kPush:
      for (size_t i = 0; i < r.elements.size(); ++i) {
        if (i > 0) out.push_back('\n');
        out.append(FormatRaw(r.elements[i]));
      }
      break;
    case Type::kMap:
    case Type::kAttribute:
      for (size_t i = 0; i + 1 < r.elements.size(); i += 2) {
        if (i > 0) out.push_back('\n');
        out.append(FormatRaw(r.elements[i]));
        out.push_back(' ');
        out.append(FormatRaw(r.elements[i + 1]));
      }
      break;
  }
  return out;
}

bool PrintsRawStrings(std::span<const std::string> args) {
  auto is = [&](size_t i, const char* word) {
    return args.size() > i && strcasecmp(args[i].c_str(), word) == 0;
  };
  size_t n = args.size();
  return is(0, "info") || (n >= 2 && is(0, "debug") && is(1, "htstats")) ||
         (n >= 2 && is(0, "memory") && (is(1, "malloc-stats") || is(1, "doctor"))) ||
         (n == 2 && is(0, "cluster") && (is(1, "nodes") || is(1, "info"))) ||
         (n >= 2 && is(0, "client") && (is(1, "list") || is(1, "info"))) ||
         (n == 3 && is(0, "latency") && is(1, "graph")) ||
         (n == 2 && is(0, "latency") && is(1, "doctor"));
}

std::string FormatForCommand(const Reply& reply, OutputMode mode,
                             std::span<const std::string> args) {
  if (PrintsRawStrings(args)) return FormatRaw(reply);
  if (mode == OutputMode::kStandard) return FormatStandard(reply);
  return FormatRaw(reply) + "\n";
}

}  // namespace ringkv::client::cli
