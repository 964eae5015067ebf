// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Reply helpers that are not parsing: a readable rendering for test output and logs, and
// re-encoding a parsed Reply (tests, fuzz round trips, proxies).

#include <cstdio>

#include "protocol/reply_encoder.h"
#include "protocol/reply_parser.h"

namespace ringkv::protocol {
namespace {

void AppendQuoted(std::string_view s, std::string* out) {
  out->push_back('"');
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(static_cast<char>(c));
    } else if (c >= 0x20 && c < 0x7f) {
      out->push_back(static_cast<char>(c));
    } else {
      char buf[8];
      std::snprintf(buf, sizeof(buf), "\\x%02x", c);
      out->append(buf);
    }
  }
  out->push_back('"');
}

std::string_view AggregateOpen(Reply::Type type) {
  switch (type) {
    case Reply::Type::kMap:
      return "%{";
    case Reply::Type::kSet:
      return "~{";
    case Reply::Type::kPush:
      return ">[";
    case Reply::Type::kAttribute:
      return "|{";
    default:
      return "[";
  }
}

void AppendDebug(const Reply& r, std::string* out);

void AppendAggregate(const Reply& r, std::string* out) {
  const std::string_view open = AggregateOpen(r.type);
  out->append(open);
  for (size_t i = 0; i < r.elements.size(); ++i) {
    if (i > 0) out->append(", ");
    AppendDebug(r.elements[i], out);
  }
  out->push_back(open.back() == '[' ? ']' : '}');
}

void AppendDebug(const Reply& r, std::string* out) {
  switch (r.type) {
    case Reply::Type::kSimpleString:
      out->append("+");
      AppendQuoted(r.str, out);
      return;
    case Reply::Type::kError:
      out->append("(error) ");
      AppendQuoted(r.str, out);
      return;
    case Reply::Type::kInteger:
      out->append("(integer) " + std::to_string(r.integer));
      return;
    case Reply::Type::kBulk:
      AppendQuoted(r.str, out);
      return;
    case Reply::Type::kNull:
      out->append("(nil)");
      return;
    case Reply::Type::kDouble:
      out->append("(double) " + r.str);
      return;
    case Reply::Type::kBool:
      out->append(r.boolean ? "(true)" : "(false)");
      return;
    case Reply::Type::kBigNumber:
      out->append("(bignum) " + r.str);
      return;
    case Reply::Type::kVerbatim:
      out->append("(verbatim " + r.format + ") ");
      AppendQuoted(r.str, out);
      return;
    default:
      AppendAggregate(r, out);
      return;
  }
}

void EncodeAggregate(const Reply& reply, ReplyEncoder* encoder) {
  const size_t n = reply.elements.size();
  switch (reply.type) {
    case Reply::Type::kMap:
      encoder->MapHeader(n / 2);
      break;
    case Reply::Type::kSet:
      encoder->SetHeader(n);
      break;
    case Reply::Type::kPush:
      encoder->PushHeader(n);
      break;
    case Reply::Type::kAttribute:
      if (!encoder->resp3()) return;  // RESP2 has no attributes: skip them with their contents
      encoder->AttributeHeader(n / 2);
      break;
    default:
      encoder->ArrayHeader(n);
      break;
  }
  for (const Reply& element : reply.elements) EncodeReply(element, encoder);
}

}  // namespace

std::string Reply::DebugString() const {
  std::string out;
  AppendDebug(*this, &out);
  return out;
}

void EncodeReply(const Reply& reply, ReplyEncoder* encoder) {
  switch (reply.type) {
    case Reply::Type::kSimpleString:
      return encoder->SimpleString(reply.str);
    case Reply::Type::kError:
      return encoder->Error(reply.str);
    case Reply::Type::kInteger:
      return encoder->Integer(reply.integer);
    case Reply::Type::kBulk:
      return encoder->Bulk(reply.str);
    case Reply::Type::kNull:
      return encoder->Null();
    case Reply::Type::kDouble:
      return encoder->Double(reply.dbl);
    case Reply::Type::kBool:
      return encoder->Bool(reply.boolean);
    case Reply::Type::kBigNumber:
      return encoder->BigNumber(reply.str);
    case Reply::Type::kVerbatim:
      return encoder->Verbatim(reply.format, reply.str);
    default:
      return EncodeAggregate(reply, encoder);
  }
}

}  // namespace ringkv::protocol
