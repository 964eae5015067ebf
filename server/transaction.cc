// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/transaction.h"

#include <algorithm>

namespace ringkv::server {

void WatchRegistry::Add(int db, std::string_view key, const Flag& flag) {
  absl::MutexLock lock(&mu_);
  map_[Key(db, std::string(key))].push_back(flag);
  watched_.fetch_add(1, std::memory_order_release);
}

void WatchRegistry::Remove(int db, std::string_view key, const Flag& flag) {
  absl::MutexLock lock(&mu_);
  auto it = map_.find(Key(db, std::string(key)));
  if (it == map_.end()) return;
  std::vector<Flag>& v = it->second;
  auto f = std::find(v.begin(), v.end(), flag);
  if (f == v.end()) return;
  v.erase(f);
  watched_.fetch_sub(1, std::memory_order_release);
  if (v.empty()) map_.erase(it);
}

void WatchRegistry::Touch(int db, std::string_view key) {
  absl::MutexLock lock(&mu_);
  auto it = map_.find(Key(db, std::string(key)));
  if (it == map_.end()) return;
  for (const Flag& f : it->second) f->store(true, std::memory_order_release);
}

void WatchRegistry::TouchExisting(engine::Engine& engine, int db) {
  // Copy the candidates first: the existence checks take shard locks, and EXEC holds shard locks
  // while it touches the registry, so the registry lock is never held around an engine call.
  std::vector<std::pair<Key, std::vector<Flag>>> candidates;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [key, flags] : map_) {
      if (db < 0 || key.first == db) candidates.emplace_back(key, flags);
    }
  }
  for (const auto& [key, flags] : candidates) {
    if (!engine.Exists(key.first, key.second)) continue;
    for (const Flag& f : flags) f->store(true, std::memory_order_release);
  }
}

void TxState::Watch(engine::Engine& engine, int db, std::string_view key) {
  for (const Watched& w : watched) {
    if (w.db == db && w.key == key) return;  // WATCH of a watched key is a no-op, as Redis
  }
  watched.push_back(Watched{db, std::string(key), engine.Exists(db, key)});
  registry->Add(db, key, dirty);
}

void TxState::Unwatch() {
  for (const Watched& w : watched) registry->Remove(w.db, w.key, dirty);
  watched.clear();
  dirty->store(false, std::memory_order_release);
}

bool TxState::WatchedKeyChanged(engine::Engine& engine) const {
  if (dirty->load(std::memory_order_acquire)) return true;
  for (const Watched& w : watched) {
    if (w.existed && !engine.Exists(w.db, w.key)) return true;  // deleted or expired since
  }
  return false;
}

}  // namespace ringkv::server
