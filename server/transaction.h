// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// MULTI/EXEC/WATCH state. A client's transaction (TxState) holds the commands queued since MULTI
// and the keys it WATCHes; the server-wide WatchRegistry maps each watched (db, key) to the
// clients watching it, so a write by any client (the watcher included) flags them.
//
// What counts as a change (docs/compatibility.md): every write command that names a watched key
// and does not answer an error flags it, whether or not it changed the value (Redis flags only
// real changes, so a SET NX that did nothing aborts a ringkv EXEC but not a Redis one: a client
// retries, it never commits over a change it did not see). FLUSHDB/FLUSHALL/SWAPDB flag the watched
// keys that exist, as Redis. A watched key that existed at WATCH and is gone at EXEC (deleted or
// expired) aborts EXEC, as in Redis 7.0; one that was already missing at WATCH does not.
//
// Thread safety: WatchRegistry is shared by all workers (one mutex; an atomic count keeps the
// write path lock-free while nobody watches). TxState belongs to its connection's worker; its
// dirty flag is atomic because other workers set it.
#pragma once

#include <atomic>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "engine/engine.h"

namespace ringkv::server {

class WatchRegistry {
 public:
  using Flag = std::shared_ptr<std::atomic<bool>>;

  // True when no client watches anything: the write path skips the registry then.
  bool empty() const { return watched_.load(std::memory_order_acquire) == 0; }
  void Add(int db, std::string_view key, const Flag& flag);
  // Removes one registration of `flag` for (db, key).
  void Remove(int db, std::string_view key, const Flag& flag);
  // Flags every client watching (db, key).
  void Touch(int db, std::string_view key);
  // Flags the watchers of every watched key of `db` that exists there now (FLUSHDB, and both
  // databases of a SWAPDB); db < 0: every database (FLUSHALL).
  void TouchExisting(engine::Engine& engine, int db);

 private:
  using Key = std::pair<int, std::string>;
  absl::Mutex mu_;
  absl::flat_hash_map<Key, std::vector<Flag>> map_ ABSL_GUARDED_BY(mu_);
  std::atomic<size_t> watched_{0};
};

struct TxState {
  struct Watched {
    int db;
    std::string key;
    bool existed;  // the key existed when WATCHed
  };

  explicit TxState(WatchRegistry* r) : registry(r) {}
  ~TxState() { Unwatch(); }
  TxState(const TxState&) = delete;
  TxState& operator=(const TxState&) = delete;

  void Watch(engine::Engine& engine, int db, std::string_view key);
  void Unwatch();
  // True when EXEC must abort because a watched key changed.
  bool WatchedKeyChanged(engine::Engine& engine) const;
  void Discard() {
    in_multi = false;
    queue_error = false;
    queued.clear();
  }

  WatchRegistry* registry;
  bool in_multi = false;
  bool queue_error = false;  // a command was refused while queueing: EXEC answers EXECABORT
  std::vector<std::vector<std::string>> queued;
  std::vector<Watched> watched;
  WatchRegistry::Flag dirty = std::make_shared<std::atomic<bool>>(false);
};

}  // namespace ringkv::server
