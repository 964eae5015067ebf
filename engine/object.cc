// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Names of types and encodings as Redis spells them in TYPE and OBJECT ENCODING replies.
#include "engine/object.h"

namespace ringkv::engine {

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
