// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Ordered multi-shard locking, and the thread-local record that lets Engine calls made under a
// KeyLock skip re-locking.
#include "engine/key_lock.h"

#include <algorithm>

namespace ringkv::engine {

namespace {
thread_local const KeyLock* tls_key_lock = nullptr;
}  // namespace

KeyLock::KeyLock(Engine& engine, int db, std::span<const std::string_view> keys)
    : engine_(engine), prev_(tls_key_lock) {
  for (std::string_view k : keys) indices_.push_back(engine.ShardIndex(db, engine.Hash(k)));
  LockSorted();
}

KeyLock::KeyLock(Engine& engine, std::span<const std::pair<int, std::string_view>> keys)
    : engine_(engine), prev_(tls_key_lock) {
  for (const auto& [db, k] : keys) indices_.push_back(engine.ShardIndex(db, engine.Hash(k)));
  LockSorted();
}

KeyLock::KeyLock(Engine& engine, AllTag) : engine_(engine), prev_(tls_key_lock) {
  // Every shard, already in order (a script takes this for each run: no sort needed).
  indices_.resize(engine.shards_.size());
  for (size_t i = 0; i < indices_.size(); ++i) indices_[i] = i;
  LockInOrder();
}

void KeyLock::LockSorted() {
  std::sort(indices_.begin(), indices_.end());
  indices_.erase(std::unique(indices_.begin(), indices_.end()), indices_.end());
  LockInOrder();
}

void KeyLock::LockInOrder() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  locked_.reserve(indices_.size());
  const bool nested = prev_ != nullptr;  // only then may an outer KeyLock hold some already
  for (size_t i : indices_) {
    if (nested && HeldCovers(i)) continue;
    engine_.shards_[i]->mu.Lock();
    locked_.push_back(i);
  }
  tls_key_lock = this;
}

KeyLock::~KeyLock() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  for (auto it = locked_.rbegin(); it != locked_.rend(); ++it) {
    Shard& s = *engine_.shards_[*it];
    s.MaybePublish();
    s.mu.Unlock();
  }
  tls_key_lock = prev_;
}

bool KeyLockHeldCovers(size_t index) { return KeyLock::HeldCovers(index); }

bool KeyLock::HeldCovers(size_t index) {
  for (const KeyLock* k = tls_key_lock; k != nullptr; k = k->prev_) {
    if (std::binary_search(k->indices_.begin(), k->indices_.end(), index)) return true;
  }
  return false;
}

}  // namespace ringkv::engine
