// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Persistence: SAVE, BGSAVE, the `save` rules, the start-up load and INFO persistence, on top
// of engine snapshots (engine/snapshot.h) and their RocksDB files (snapshot_store.h).
//
// A BGSAVE runs on this object's own thread: it marks the point in time (a few microseconds with
// every shard locked) and then walks the shards while the workers keep serving, so no request
// waits for the disk. SAVE runs the same save on the calling thread. One save runs at a time.
// The same thread checks the `save <seconds> <changes>` rules ten times a second, as Redis's
// serverCron does, and runs a scheduled BGSAVE.
//
// Thread safety: every public method is safe from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "engine/engine.h"
#include "engine/snapshot.h"
#include "server/persistence/snapshot_store.h"

namespace ringkv::server::persistence {

struct SaveRule {
  int64_t seconds = 0;
  int64_t changes = 0;
};

struct PersistenceSettings {
  StoreOptions store;
  std::vector<SaveRule> rules;
};

class Persistence {
 public:
  // `settings` is called at every save and rule check (so CONFIG SET applies to the next one).
  // *loading is true while a load runs (the dispatcher answers -LOADING meanwhile); the caller
  // may set it earlier, before it serves anything. REQUIRES: loading outlives this object.
  Persistence(engine::Engine* engine, std::function<PersistenceSettings()> settings,
              std::atomic<bool>* loading);
  ~Persistence();
  Persistence(const Persistence&) = delete;
  Persistence& operator=(const Persistence&) = delete;

  // FUNCTION libraries travel with snapshots: `dump` gives their code at a save's point in time,
  // `restore` loads the code found in a snapshot. Set before Load; both optional.
  void SetLibraryHooks(std::function<std::vector<std::string>()> dump,
                       std::function<void(const std::vector<std::string>&)> restore) {
    dump_libraries_ = std::move(dump);
    restore_libraries_ = std::move(restore);
  }

  // Loads the current snapshot, reporting progress in Info() meanwhile (loading:1). An error
  // names the snapshot and the reason; the caller must not serve an empty data set then.
  absl::Status Load();
  // Starts the background thread (rules and BGSAVE). Call once, after Load.
  void Start();
  // Stops the thread after any save in progress finished.
  void Stop();

  // SAVE: a snapshot on the calling thread. FailedPrecondition when a save is already running,
  // unless `wait`: then it waits for that one and saves again (SHUTDOWN's final snapshot).
  absl::Status Save(bool wait = false);
  enum class BgSaveResult { kStarted, kAlreadyRunning, kScheduled };
  // BGSAVE; with `schedule`, a request while one runs is remembered and started after it. The
  // point in time is marked before this returns (the commands after BGSAVE are not in it), as
  // Redis's fork() in the command does. REQUIRES: the caller holds no shard lock (not in EXEC).
  BgSaveResult BgSave(bool schedule);

  bool loading() const { return loading_->load(std::memory_order_acquire); }
  bool saving() const { return saving_.load(std::memory_order_acquire); }
  // Unix seconds of the last successful save (the start time before any).
  int64_t last_save_s() const { return last_save_s_.load(); }
  // The last background save failed and `save` rules exist: writes are refused (MISCONF) while
  // stop-writes-on-bgsave-error is on.
  bool last_bgsave_failed() const { return !last_bgsave_ok_.load(); }
  bool has_rules();
  // The "# Persistence" section of INFO.
  std::string Info();

 private:
  // Marks a point in time (the reader) and counts what it starts from.
  std::unique_ptr<engine::SnapshotReader> BeginSnapshot();
  // One save of `reader`; bg says which kind (for the BGSAVE status fields).
  absl::Status RunSave(std::unique_ptr<engine::SnapshotReader> reader, bool bg);
  void Loop();
  // Hands a marked snapshot to the background thread. REQUIRES: mu_ held.
  void StartBackground(std::unique_ptr<engine::SnapshotReader> reader);

  engine::Engine* engine_;
  std::function<PersistenceSettings()> settings_;
  std::function<std::vector<std::string>()> dump_libraries_;
  std::function<void(const std::vector<std::string>&)> restore_libraries_;
  // The libraries at the point in time of the save in progress (set by BeginSnapshot).
  std::vector<std::string> libraries_at_start_;
  std::mutex run_mu_;  // held for the whole of a save
  std::mutex mu_;      // guards the fields below and the thread's wake-ups
  std::condition_variable cv_;
  bool stop_ = false;
  bool bg_requested_ = false;
  std::unique_ptr<engine::SnapshotReader> bg_reader_;  // marked by BgSave, written by Loop
  bool bg_scheduled_ = false;
  std::thread thread_;
  std::atomic<bool>* loading_;
  std::atomic<bool> saving_{false};
  std::atomic<bool> bg_running_{false};
  std::atomic<int64_t> last_save_s_{0};
  std::atomic<bool> last_bgsave_ok_{true};
  std::atomic<int64_t> last_bgsave_time_s_{-1};
  std::atomic<int64_t> bg_start_ms_{0};
  std::atomic<int64_t> last_bg_try_ms_{0};
  std::atomic<uint64_t> saves_{0};
  std::atomic<uint64_t> changes_at_last_save_{0};
  std::atomic<uint64_t> changes_at_start_{0};  // of the save in progress
  std::atomic<uint64_t> save_written_{0};
  std::atomic<uint64_t> save_total_{0};
  engine::SnapshotMemory cow_;  // copies held by the running save (current_cow_size)
  std::atomic<size_t> last_cow_peak_{0};
  std::atomic<int64_t> loading_start_s_{0};
  std::atomic<uint64_t> load_done_{0};
  std::atomic<uint64_t> load_total_{0};
  std::atomic<uint64_t> last_load_keys_{0};
};

}  // namespace ringkv::server::persistence
