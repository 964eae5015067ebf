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
  for (size_t i = 0; i < engine.shards_.size(); ++i) indices_.push_back(i);
  LockSorted();
}

void KeyLock::LockSorted() ABSL_NO_THREAD_SAFETY_ANALYSIS {
  std::sort(indices_.begin(), indices_.end());
  indices_.erase(std::unique(indices_.begin(), indices_.end()), indices_.end());
  for (size_t i : indices_) {
    if (HeldCovers(i)) continue;
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
