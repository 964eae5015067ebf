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
#include <type_traits>

namespace ringkv::engine {
class Object;
}  // namespace ringkv::engine

// std::unique_ptr<Object> deletes through the object's kind (Object has no virtual destructor).
template <>
struct std::default_delete<ringkv::engine::Object> {
  constexpr default_delete() noexcept = default;
  // Converting, as the primary template's is (unique_ptr<HashObject> -> unique_ptr<Object>).
  template <typename U,
            typename = std::enable_if_t<std::is_convertible_v<U*, ringkv::engine::Object*>>>
  default_delete(const default_delete<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  void operator()(ringkv::engine::Object* o) const;
};

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
//
// Objects are polymorphic without a vtable pointer: the first byte of every object is its kind,
// an index into a table of ObjectOps (one per concrete class, made by ObjectOf<T>), so a small
// object pays one byte for it instead of eight. That byte is what lets a session-sized hash fit
// a 112-byte block (engine/types/hash.h). A concrete class derives from ObjectOf<itself> and
// defines the operations below under the same names (the optional ones may be left out).
// Objects are deleted through std::unique_ptr<Object> (default_delete<Object> above dispatches
// on the kind) or Object::Destroy; `delete` of an Object* does not compile.
struct ObjectOps {
  void (*destroy)(Object*);
  size_t (*memory_usage)(const Object*);
  std::unique_ptr<Object> (*clone)(const Object*);
  Encoding (*encoding)(const Object*);
  size_t (*size)(const Object*);
  bool (*empty)(const Object*);
  int64_t (*next_field_expiry_ms)(const Object*);
  size_t (*expire_fields)(Object*, int64_t, size_t);
};

// The kind of `ops`, assigned on first call (at most 255 kinds in a process).
uint8_t RegisterObjectKind(const ObjectOps* ops);

namespace object_detail {
extern const ObjectOps* kinds[256];
}  // namespace object_detail

class Object {
 public:
  Object(const Object&) = delete;
  Object& operator=(const Object&) = delete;

  // Bytes this object owns on the heap, allocator rounding included (MEMORY USAGE, used_memory).
  size_t MemoryUsage() const { return ops().memory_usage(this); }
  // Deep copy for COPY.
  std::unique_ptr<Object> Clone() const { return ops().clone(this); }
  // The current encoding (OBJECT ENCODING).
  Encoding encoding() const { return ops().encoding(this); }
  // Number of elements (fields, members, entries). An object with none left after an update is
  // deleted with its key, as Redis deletes empty collections (but see Empty()).
  size_t Size() const { return ops().size(this); }
  // Whether an update that leaves the object like this deletes its key. Streams define it: an
  // emptied stream stays, as in Redis. By default: Size() == 0.
  bool Empty() const { return ops().empty(this); }

  // Element expiry (a hash's per-field TTLs, Redis 7.4). The shard keeps every key whose object
  // returns non-zero here in its field-expiry index (engine/field_expiry_index.h), re-read after
  // each change, and the active expire cycle calls ExpireFields on the keys that come due.
  // A time (Unix ms) no later than the earliest element expiry, or 0 exactly when no element has
  // one. Types without element expiry leave it out (0).
  int64_t NextFieldExpiryMs() const { return ops().next_field_expiry_ms(this); }
  // Removes up to `max` elements whose expiry is before now_ms (expired once now > expiry, never
  // early) and returns how many. Never reallocates the object.
  size_t ExpireFields(int64_t now_ms, size_t max) { return ops().expire_fields(this, now_ms, max); }

  // Destroys and frees an object of any kind.
  static void Destroy(Object* o) { o->ops().destroy(o); }
  // Whether this object is a T (checks, tests).
  template <typename T>
  bool Is() const;

 protected:
  explicit Object(uint8_t kind) : kind_(kind) {}
  ~Object() = default;

 private:
  const ObjectOps& ops() const { return *object_detail::kinds[kind_]; }
  uint8_t kind_;
};

namespace object_detail {

// Whether T declares `member` itself rather than inheriting Object's dispatching one.
template <typename Own, typename Inherited>
inline constexpr bool kOwn = !std::is_same_v<Own, Inherited>;

template <typename T>
constexpr ObjectOps MakeOps() {
  ObjectOps ops{};
  ops.destroy = [](Object* o) { delete static_cast<T*>(o); };
  ops.memory_usage = [](const Object* o) { return static_cast<const T*>(o)->MemoryUsage(); };
  ops.clone = [](const Object* o) { return static_cast<const T*>(o)->Clone(); };
  ops.encoding = [](const Object* o) { return static_cast<const T*>(o)->encoding(); };
  ops.size = [](const Object* o) { return static_cast<const T*>(o)->Size(); };
  static_assert(kOwn<decltype(&T::MemoryUsage), decltype(&Object::MemoryUsage)> &&
                    kOwn<decltype(&T::Clone), decltype(&Object::Clone)> &&
                    kOwn<decltype(&T::encoding), decltype(&Object::encoding)> &&
                    kOwn<decltype(&T::Size), decltype(&Object::Size)>,
                "an object type defines MemoryUsage, Clone, encoding and Size");
  if constexpr (kOwn<decltype(&T::Empty), decltype(&Object::Empty)>) {
    ops.empty = [](const Object* o) { return static_cast<const T*>(o)->Empty(); };
  } else {
    ops.empty = [](const Object* o) { return static_cast<const T*>(o)->T::Size() == 0; };
  }
  if constexpr (kOwn<decltype(&T::NextFieldExpiryMs), decltype(&Object::NextFieldExpiryMs)>) {
    ops.next_field_expiry_ms = [](const Object* o) {
      return static_cast<const T*>(o)->NextFieldExpiryMs();
    };
  } else {
    ops.next_field_expiry_ms = [](const Object*) { return int64_t{0}; };
  }
  if constexpr (kOwn<decltype(&T::ExpireFields), decltype(&Object::ExpireFields)>) {
    ops.expire_fields = [](Object* o, int64_t now_ms, size_t max) {
      return static_cast<T*>(o)->ExpireFields(now_ms, max);
    };
  } else {
    ops.expire_fields = [](Object*, int64_t, size_t) { return size_t{0}; };
  }
  return ops;
}

template <typename T>
inline constexpr ObjectOps kOps = MakeOps<T>();

}  // namespace object_detail

// The base of a concrete object class T: gives it its kind.
template <typename T>
class ObjectOf : public Object {
 protected:
  ObjectOf() : Object(Kind()) {}
  ~ObjectOf() = default;

 private:
  static uint8_t Kind() {
    static const uint8_t kind = RegisterObjectKind(&object_detail::kOps<T>);
    return kind;
  }
};

template <typename T>
bool Object::Is() const {
  return &ops() == &object_detail::kOps<T>;
}

}  // namespace ringkv::engine

inline void std::default_delete<ringkv::engine::Object>::operator()(
    ringkv::engine::Object* o) const {
  ringkv::engine::Object::Destroy(o);
}
