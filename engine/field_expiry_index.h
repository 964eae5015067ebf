// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// FieldExpiryIndex: the keys of one shard whose value has elements with their own expiry (hash
// fields with a TTL, Redis 7.4's HEXPIRE family), ordered by when the earliest of them may come
// due, so the active expire cycle visits only the hashes that have something to expire and
// never scans or samples the others.
//
// Each item is (time, key): `time` is the object's Object::NextFieldExpiryMs(), a lower bound of
// its earliest field expiry. The shard keeps membership exact (a key is here if and only if its
// object has at least one field with an expiry) by re-reading that value after every change to
// the object and by removing the key whenever the entry leaves the table. The time may lag
// behind a field that lost its expiry (it stays a lower bound); the cycle then finds nothing due
// at that key, which makes the object's bound exact again, and re-files the key under it.
//
// Layout: a node map key -> time (stable key storage) and a B-tree set of (time, view of that
// key) ordered by time then key. Adding, moving and removing a key are O(log n); the earliest
// item is O(1). This is not on any string command's path: the shard consults the index only
// for entries that hold an object.
//
// Thread safety: none; the owning shard's lock guards every call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/btree_set.h"
#include "absl/container/node_hash_map.h"

namespace ringkv::engine {

class FieldExpiryIndex {
 public:
  // Files `key` under at_ms (> 0), adding it or moving it; at_ms == 0 removes it.
  void Set(std::string_view key, int64_t at_ms);
  // Removes `key` if present.
  void Remove(std::string_view key);
  // The time `key` is filed under, or 0 when it is not in the index.
  int64_t Find(std::string_view key) const;

  bool empty() const { return when_.empty(); }
  size_t size() const { return when_.size(); }
  // The earliest item. REQUIRES: !empty(). The view is valid until the index changes.
  int64_t front_ms() const { return order_.begin()->first; }
  std::string_view front_key() const { return order_.begin()->second; }

  // Heap bytes of the index (an estimate of the containers' nodes plus the exact key copies);
  // 0 when empty, so the shard's memory counter returns to its baseline.
  size_t bytes() const;
  void Clear();

 private:
  using Item = std::pair<int64_t, std::string_view>;
  static size_t KeyHeapBytes(const std::string& key);
  void ReleaseIfEmpty();

  absl::node_hash_map<std::string, int64_t> when_;
  absl::btree_set<Item> order_;  // views into when_'s keys
  size_t key_bytes_ = 0;         // heap bytes of keys too long for the string's inline buffer
};

}  // namespace ringkv::engine
