// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// BackgroundFreer: one process-wide thread that runs deallocation work off the caller's thread
// (FLUSHALL ASYNC, UNLINK of large values, retiring large table arrays), so freeing millions of
// entries or unmapping a big array never stalls a shard lock or a worker.
//
// Thread safety: all methods may be called from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>

#include "absl/base/thread_annotations.h"
#include "absl/functional/any_invocable.h"
#include "absl/synchronization/mutex.h"

namespace ringkv::engine {

// UNLINK (and eviction) free values bigger than this on the background thread (Redis's lazyfree
// threshold is 64 elements; for us bytes are the cost that matters).
inline constexpr size_t kLazyFreeBytes = 64 * 1024;

class BackgroundFreer {
 public:
  // The process-wide instance; its thread starts on first use and lives until exit.
  static BackgroundFreer& Global();

  // Queues work to run on the background thread.
  void Submit(absl::AnyInvocable<void() &&> work);
  // Blocks until every job submitted before the call has finished.
  void Drain();
  // Jobs queued or running (lazyfree_pending_objects-style observability).
  size_t pending();

  // Table::FreeFn that frees table arrays of kTableMmapBytes or more in the background (munmap
  // of a large array costs time proportional to its size) and smaller ones at once.
  static void FreeArray(void* mem, size_t bytes);

 private:
  BackgroundFreer();
  void Run();

  absl::Mutex mu_;
  std::deque<absl::AnyInvocable<void() &&>> queue_ ABSL_GUARDED_BY(mu_);
  size_t running_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace ringkv::engine
