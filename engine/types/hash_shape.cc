// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The process's hash shapes; see hash_shape.h.
#include "engine/types/hash_shape.h"

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/synchronization/mutex.h"

namespace ringkv::engine::hash_detail {

namespace {

struct Stripe {
  absl::Mutex mu;
  // Keyed by a view of the shape's own field bytes (shapes never move or die).
  absl::flat_hash_map<std::string_view, const HashShape*> shapes ABSL_GUARDED_BY(mu);
};

struct Registry {
  std::array<Stripe, 16> stripes;
  std::atomic<size_t> count{0};
  std::atomic<size_t> bytes{0};
  // Ids are taken only by shapes that were created, so they stay below kMaxShapes.
  std::atomic<uint32_t> next_id{0};
};

Registry& TheRegistry() {
  static Registry* registry = new Registry();  // never destroyed: shapes outlive every hash
  return *registry;
}

// Reserves room for one more shape of `size` bytes; false when that would pass a bound.
bool Reserve(Registry& r, size_t size) {
  if (r.count.fetch_add(1, std::memory_order_relaxed) >= kMaxShapes) {
    r.count.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  if (r.bytes.fetch_add(size, std::memory_order_relaxed) + size > kMaxShapeBytes) {
    r.bytes.fetch_sub(size, std::memory_order_relaxed);
    r.count.fetch_sub(1, std::memory_order_relaxed);
    return false;
  }
  return true;
}

}  // namespace

namespace shape_internal {
// Zero-initialized at load time: its pages are touched only as shapes are made.
std::atomic<const HashShape*> by_id[kMaxShapes];
}  // namespace shape_internal

const HashShape* InternShape(std::string_view packed_fields, uint32_t count) {
  if (count < 2 || count > kMaxShapeFields || packed_fields.size() > kMaxShapeFieldBytes) {
    return nullptr;
  }
  // The last shape this thread used: loading a snapshot or creating sessions asks for the same
  // list over and over, and then needs neither a hash nor a lock.
  thread_local const HashShape* last = nullptr;
  if (last != nullptr && last->count == count && last->packed() == packed_fields) return last;
  Registry& r = TheRegistry();
  Stripe& s = r.stripes[absl::Hash<std::string_view>()(packed_fields) % r.stripes.size()];
  absl::MutexLock lock(&s.mu);
  if (auto it = s.shapes.find(packed_fields); it != s.shapes.end()) return last = it->second;
  const size_t size = sizeof(HashShape) + packed_fields.size();
  if (!Reserve(r, size)) return nullptr;
  void* mem = std::malloc(size);
  if (mem == nullptr) std::abort();
  const uint32_t id = r.next_id.fetch_add(1, std::memory_order_relaxed);
  auto* shape = new (mem) HashShape{count, static_cast<uint32_t>(packed_fields.size()), id};
  std::memcpy(const_cast<uint8_t*>(shape->fields()), packed_fields.data(), packed_fields.size());
  shape_internal::by_id[id].store(shape, std::memory_order_release);
  s.shapes.emplace(shape->packed(), shape);
  return last = shape;
}

ShapeStats GetShapeStats() {
  Registry& r = TheRegistry();
  return {r.count.load(std::memory_order_relaxed), r.bytes.load(std::memory_order_relaxed)};
}

}  // namespace ringkv::engine::hash_detail
