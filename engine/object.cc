// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Object kinds, and the names of types and encodings as Redis spells them in TYPE and OBJECT
// ENCODING replies.
#include "engine/object.h"

#include <atomic>
#include <cstdlib>

namespace ringkv::engine {

namespace object_detail {
const ObjectOps* kinds[256] = {};
}  // namespace object_detail

uint8_t RegisterObjectKind(const ObjectOps* ops) {
  // Called once per concrete class, from a function-local static's initialization.
  static std::atomic<unsigned> next{0};
  const unsigned kind = next.fetch_add(1, std::memory_order_relaxed);
  if (kind >= 256) std::abort();  // more object classes than a kind byte can name
  object_detail::kinds[kind] = ops;
  return static_cast<uint8_t>(kind);
}

std::string_view TypeName(ValueType type) {
  switch (type) {
    case ValueType::kString:
      return "string";
    case ValueType::kList:
      return "list";
    case ValueType::kSet:
      return "set";
    case ValueType::kZSet:
      return "zset";
    case ValueType::kHash:
      return "hash";
    case ValueType::kStream:
      return "stream";
    case ValueType::kNone:
      break;
  }
  return "none";
}

std::string_view EncodingName(Encoding encoding) {
  switch (encoding) {
    case Encoding::kInt:
      return "int";
    case Encoding::kEmbStr:
      return "embstr";
    case Encoding::kRaw:
      return "raw";
    case Encoding::kListpack:
      return "listpack";
    case Encoding::kHashtable:
      return "hashtable";
    case Encoding::kQuicklist:
      return "quicklist";
    case Encoding::kIntset:
      return "intset";
    case Encoding::kSkiplist:
      return "skiplist";
    case Encoding::kStream:
      return "stream";
  }
  return "unknown";
}

bool ParseTypeName(std::string_view name, ValueType* type) {
  static constexpr ValueType kTypes[] = {ValueType::kString, ValueType::kList, ValueType::kSet,
                                         ValueType::kZSet,   ValueType::kHash, ValueType::kStream};
  for (ValueType t : kTypes) {
    std::string_view n = TypeName(t);
    if (n.size() != name.size()) continue;
    bool eq = true;
    for (size_t i = 0; i < n.size(); ++i) {
      char c = name[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != n[i]) eq = false;
    }
    if (eq) {
      *type = t;
      return true;
    }
  }
  return false;
}

}  // namespace ringkv::engine
