// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The per-shard index of hashes with field expiry; see field_expiry_index.h.
#include "engine/field_expiry_index.h"

#include "absl/strings/string_view.h"

namespace ringkv::engine {

namespace {
// Rough per-item cost of the containers: a map node (the pair, allocator-rounded), its slot and
// control byte, and a B-tree element with the tree's usual fill.
constexpr size_t kNodeBytes = 48;
constexpr size_t kSlotBytes = sizeof(void*) + 1;
constexpr size_t kTreeBytes = sizeof(std::pair<int64_t, std::string_view>) * 3 / 2;

// Debian's abseil has its own string_view type; heterogeneous lookup takes that one.
absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }
}  // namespace

size_t FieldExpiryIndex::KeyHeapBytes(const std::string& key) {
  const char* d = key.data();
  const char* self = reinterpret_cast<const char*>(&key);
  const bool inline_buffer = d >= self && d < self + sizeof(std::string);
  return inline_buffer ? 0 : key.capacity() + 1;
}

void FieldExpiryIndex::Set(std::string_view key, int64_t at_ms) {
  if (at_ms == 0) {
    Remove(key);
    return;
  }
  auto it = when_.find(Av(key));
  if (it != when_.end()) {
    if (it->second == at_ms) return;
    order_.erase(Item{it->second, it->first});
    it->second = at_ms;
    order_.insert(Item{at_ms, it->first});
    return;
  }
  it = when_.emplace(std::string(key), at_ms).first;
  key_bytes_ += KeyHeapBytes(it->first);
  order_.insert(Item{at_ms, it->first});
}

void FieldExpiryIndex::Remove(std::string_view key) {
  auto it = when_.find(Av(key));
  if (it == when_.end()) return;
  order_.erase(Item{it->second, it->first});
  key_bytes_ -= KeyHeapBytes(it->first);
  when_.erase(it);
  ReleaseIfEmpty();
}

int64_t FieldExpiryIndex::Find(std::string_view key) const {
  auto it = when_.find(Av(key));
  return it == when_.end() ? 0 : it->second;
}

size_t FieldExpiryIndex::bytes() const {
  if (when_.empty()) return 0;
  return when_.capacity() * kSlotBytes + when_.size() * (kNodeBytes + kTreeBytes) + key_bytes_;
}

void FieldExpiryIndex::Clear() {
  order_.clear();
  absl::node_hash_map<std::string, int64_t>().swap(when_);
  key_bytes_ = 0;
}

void FieldExpiryIndex::ReleaseIfEmpty() {
  // A map keeps its slot array when emptied; give it back so an index that served a burst of
  // hashes costs nothing afterwards.
  if (when_.empty()) Clear();
}

}  // namespace ringkv::engine
