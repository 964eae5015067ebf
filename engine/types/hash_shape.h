// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// HashShape: the field names of small hashes that have the same fields in the same order (the
// session shape: every session hash of an application has user_id, csrf, cart, ...), kept once
// per process and shared by all of them. A shaped small hash (engine/types/hash.h) stores a
// shape's id (16 bits in its header) and only its values, which saves the field names' bytes in
// every hash.
//
// Shapes are interned by their packed field elements (engine/types/hash_codec.h, canonical and
// distinct) and live until the process ends, so a hash may point at one without a reference
// count and be moved, copied or freed by any thread. The registry is bounded: at most kMaxShapes
// shapes and kMaxShapeBytes bytes of field names (applications have a handful of shapes; a
// client that invents field names fills it, and from then on new field lists simply are not
// shared). Thread-safe: a lookup locks one of 16 stripes.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ringkv::engine::hash_detail {

struct HashShape {
  uint32_t count;  // fields
  uint32_t bytes;  // of the packed field elements that follow the struct
  uint32_t id;     // ShapeById(id) is this shape; ids are 0 .. kMaxShapes - 1
  const uint8_t* fields() const { return reinterpret_cast<const uint8_t*>(this + 1); }
  std::string_view packed() const {
    return std::string_view(reinterpret_cast<const char*>(fields()), bytes);
  }
};

inline constexpr size_t kMaxShapes = 16384;
// A shaped hash keeps its shape's id in 16 bits.
static_assert(kMaxShapes <= 65536);
inline constexpr size_t kMaxShapeBytes = size_t{4} << 20;
// Longer field lists are not shared (a shape is for hashes of a few short fields).
inline constexpr uint32_t kMaxShapeFields = 64;
inline constexpr size_t kMaxShapeFieldBytes = 2048;

// The shape of the `count` fields packed in `packed_fields` (REQUIRES: canonical, distinct, at
// least 2), created on first use; nullptr when the list is too long to share or the registry is
// full.
const HashShape* InternShape(std::string_view packed_fields, uint32_t count);

namespace shape_internal {
extern std::atomic<const HashShape*> by_id[kMaxShapes];
}  // namespace shape_internal

// The shape with `id` (REQUIRES: an id of a shape InternShape returned).
inline const HashShape* ShapeById(uint32_t id) {
  return shape_internal::by_id[id].load(std::memory_order_acquire);
}

struct ShapeStats {
  size_t shapes = 0;
  size_t bytes = 0;  // allocated for them
};
ShapeStats GetShapeStats();

}  // namespace ringkv::engine::hash_detail
