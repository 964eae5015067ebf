// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// KeyLock: holds the locks of every shard that a set of keys maps to, taken in ascending shard
// order (db-major), so multi-key commands (MSET, RENAME, COPY, MULTI/EXEC) are atomic and two of
// them can never deadlock.
//
// While a thread holds a KeyLock, Engine operations on that thread whose keys fall in the locked
// shards do not lock again: EXEC can lock the keys of all queued commands once and then run each
// command through the ordinary Engine calls. An operation on a shard the KeyLock does not cover
// locks it as usual (REQUIRES: the caller knows this cannot invert the lock order, e.g. a
// single such shard).
//
// Thread safety: a KeyLock belongs to the thread that created it; KeyLocks on one thread nest
// (the inner one locks only the shards the outer one does not hold).
#pragma once

#include <cstddef>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/engine.h"

namespace ringkv::engine {

class KeyLock {
 public:
  // The shards of `keys` in `db`.
  KeyLock(Engine& engine, int db, std::span<const std::string_view> keys);
  // The shards of (db, key) pairs, possibly in different databases.
  KeyLock(Engine& engine, std::span<const std::pair<int, std::string_view>> keys);
  // Every shard of every database.
  struct AllTag {};
  KeyLock(Engine& engine, AllTag);
  ~KeyLock();
  KeyLock(const KeyLock&) = delete;
  KeyLock& operator=(const KeyLock&) = delete;

  // True if the calling thread holds a KeyLock covering shard `index`.
  static bool HeldCovers(size_t index);

 private:
  // Sorts and dedups indices_, then locks them.
  void LockSorted();
  // Locks indices_ (sorted, unique) but those an outer KeyLock on this thread holds.
  void LockInOrder();

  Engine& engine_;
  std::vector<size_t> indices_;  // sorted, unique
  std::vector<size_t> locked_;   // the subset this KeyLock locked itself
  const KeyLock* prev_;
};

}  // namespace ringkv::engine
