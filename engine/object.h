// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Value types and encodings, and the owned object behind a non-string value. Strings live inside
// the entry (or in one out-of-line buffer); every other type (hash, list, set, sorted set) is an
// Object held by pointer, so the entry layout does not change when those types arrive.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

namespace ringkv::engine {

// Type tag: 4 bits in the entry header.
enum class ValueType : uint8_t {
  kString = 0,
  kList = 1,
  kSet = 2,
  kZSet = 3,
  kHash = 4,
  kStream = 5,
  kNone = 15,  // no such key (TYPE replies "none"); never stored
};

// Encoding tag: 4 bits in the entry header. The names are OBJECT ENCODING's replies.
enum class Encoding : uint8_t {
  kInt = 0,        // string holding a canonical int64, stored in 1..8 bytes
  kEmbStr = 1,     // string stored inside the entry allocation
  kRaw = 2,        // string in its own buffer (large, or grown by APPEND/SETRANGE)
  kListpack = 3,   // small hash/list/set/zset
  kHashtable = 4,  // large hash/set
  kQuicklist = 5,  // large list
  kIntset = 6,     // small set of integers
  kSkiplist = 7,   // large sorted set
  kStream = 8,
};

// Redis's TYPE reply for a type ("string", "list", ..., "none").
std::string_view TypeName(ValueType type);
// Redis's OBJECT ENCODING reply for an encoding ("int", "embstr", "raw", ...).
std::string_view EncodingName(Encoding encoding);
// Parses a TYPE name as given to SCAN ... TYPE; returns false for unknown names.
bool ParseTypeName(std::string_view name, ValueType* type);

// The value of a non-string key. Implementations are single-threaded: the shard lock guards them.
// An object chooses and converts its own representation (listpack-like small form, hash table or
// skiplist large form) and reports it through encoding(); the engine copies that into the entry
// header after every update, so OBJECT ENCODING and SCAN see it without calling back.
class Object {
 public:
  virtual ~Object() = default;
  // Bytes this object owns on the heap, allocator rounding included (MEMORY USAGE, used_memory).
  virtual size_t MemoryUsage() const = 0;
  // Deep copy for COPY.
  virtual std::unique_ptr<Object> Clone() const = 0;
  // The current encoding (OBJECT ENCODING).
  virtual Encoding encoding() const = 0;
  // Number of elements (fields, members, entries). An object with none left after an update is
  // deleted with its key, as Redis deletes empty collections (but see Empty()).
  virtual size_t Size() const = 0;
  // Whether an update that leaves the object like this deletes its key. Streams override it:
  // an emptied stream stays, as in Redis.
  virtual bool Empty() const { return Size() == 0; }

  // Element expiry (a hash's per-field TTLs, Redis 7.4). The shard keeps every key whose object
  // returns non-zero here in its field-expiry index (engine/field_expiry_index.h), re-read after
  // each change, and the active expire cycle calls ExpireFields on the keys that come due.
  // A time (Unix ms) no later than the earliest element expiry, or 0 exactly when no element has
  // one. Types without element expiry keep the default.
  virtual int64_t NextFieldExpiryMs() const { return 0; }
  // Removes up to `max` elements whose expiry is before now_ms (expired once now > expiry, never
  // early) and returns how many. Never reallocates the object.
  virtual size_t ExpireFields(int64_t /*now_ms*/, size_t /*max*/) { return 0; }
};

}  // namespace ringkv::engine
