// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ExpiryIndex: the entries of one shard that have a TTL, in an array that supports O(1) add,
// O(1) remove (swap with the last) and uniform random sampling, which is what the active expiry
// cycle needs. Each entry records its own position (Entry::expiry_index), so removal needs no
// search. The array is chunked so that growing it never copies more than one chunk: a flat
// vector of 10M pointers would copy 80 MB on one insert.
//
// Thread safety: none; the owning shard's lock guards every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "engine/entry.h"

namespace ringkv::engine {

class ExpiryIndex {
 public:
  // Adds e (REQUIRES: e->has_expire() and e not yet in the index) and sets its position.
  void Add(Entry* e);
  // Removes the entry at position i, moving the last entry there.
  void RemoveAt(uint32_t i);
  // Records that the entry at position e->expiry_index() was reallocated to e.
  void Update(Entry* e) { At(e->expiry_index()) = e; }
  Entry*& At(size_t i) { return chunks_[i / kChunk][i % kChunk]; }
  size_t size() const { return size_; }
  // Heap bytes of the index itself (chunk arrays; the outer vector is negligible).
  size_t bytes() const { return chunks_.size() * kChunk * sizeof(Entry*); }
  void Clear();

  static constexpr size_t kChunk = 512;

 private:
  std::vector<std::unique_ptr<Entry*[]>> chunks_;
  size_t size_ = 0;
};

}  // namespace ringkv::engine
