// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Expected outcomes of engine operations. These are not errors in the exceptional sense and carry
// no text: server/ maps each one to Redis's exact error reply in one table. Returning one never
// allocates.
#pragma once

#include <cstdint>
#include <utility>

namespace ringkv::engine {

enum class OpStatus : uint8_t {
  kOk,
  kNotFound,       // key (or field) does not exist
  kWrongType,      // key holds another type
  kNotInteger,     // value is not an integer or out of range
  kNotFloat,       // value is not a valid float
  kOverflow,       // increment or decrement would overflow
  kOutOfRange,     // index or argument out of range
  kTooLarge,       // string would exceed proto-max-bulk-len / 512mb
  kKeyExists,      // NX-style condition failed
  kSkipped,        // a condition (NX/XX/GT/LT) said not to write; not an error for the caller
  kOutOfMemory,    // maxmemory reached and nothing could be evicted
  kInvalidExpire,  // expire time out of range
  kInvalidDb,      // database index out of range
  kSameObject,     // source and destination are the same
  kNanOrInfinity,  // INCRBYFLOAT result would be NaN or infinite
};

// Either a value or a status other than kOk.
template <typename T>
class OpResult {
 public:
  OpResult(T value) : status_(OpStatus::kOk), value_(std::move(value)) {}  // NOLINT
  OpResult(OpStatus status) : status_(status), value_() {}                 // NOLINT

  bool ok() const { return status_ == OpStatus::kOk; }
  OpStatus status() const { return status_; }
  const T& value() const& { return value_; }
  T& value() & { return value_; }
  T&& value() && { return std::move(value_); }
  const T& operator*() const& { return value_; }
  const T* operator->() const { return &value_; }

 private:
  OpStatus status_;
  T value_;
};

}  // namespace ringkv::engine
