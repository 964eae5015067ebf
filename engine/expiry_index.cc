// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Chunked array of the entries with a TTL; see expiry_index.h.
#include "engine/expiry_index.h"

namespace ringkv::engine {

void ExpiryIndex::Add(Entry* e) {
  if (size_ == chunks_.size() * kChunk) chunks_.push_back(std::make_unique<Entry*[]>(kChunk));
  e->set_expiry_index(static_cast<uint32_t>(size_));
  At(size_) = e;
  ++size_;
}

void ExpiryIndex::RemoveAt(uint32_t i) {
  // The slot at i may hold a pointer that was already freed (the caller replaced the entry), so
  // only the moved entry is dereferenced, and only when it is a different one.
  if (i != size_ - 1) {
    Entry* last = At(size_ - 1);
    At(i) = last;
    last->set_expiry_index(i);
  }
  --size_;
  // Keep one spare chunk so a key oscillating at a chunk boundary does not allocate each time.
  if (size_ == 0) {
    chunks_.clear();
  } else if (chunks_.size() * kChunk >= size_ + 2 * kChunk) {
    chunks_.pop_back();
  }
}

void ExpiryIndex::Clear() {
  chunks_.clear();
  size_ = 0;
}

}  // namespace ringkv::engine
