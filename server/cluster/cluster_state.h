// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ClusterState: this node's view of the cluster (cluster-enabled yes), the Topology that every
// command with keys is routed by. It is published as an immutable shared copy; a change
// (CLUSTER ADDSLOTS, SETSLOT, SETTOPOLOGY, ...) builds a new copy, writes cluster-config-file,
// publishes it, and then waits for every command that was routed by an older copy to finish
// (CommandGuard), so that once a change returns no command still acts on the old map. That is
// what makes a slot move lose nothing: after SETSLOT MIGRATING returns, every write to a key
// of the slot either ran before (and MIGRATE will carry it) or sees the migrating state.
//
// Thread safety: all methods may be called from any thread. Changes are serialized.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "server/cluster/topology.h"

namespace ringkv::server::cluster {

struct ClusterOptions {
  bool enabled = false;
  std::string config_file;  // path (already joined with dir); empty: never written
  std::string announce_ip;  // this node's address in a new topology
  int announce_port = 0;
  int announce_bus_port = 0;
  bool require_full_coverage = true;
  bool allow_reads_when_down = false;
};

class ClusterState {
  static constexpr size_t kCounters = 1024;
  // A thread's mark: active while it runs a command (outermost CommandGuard), and how many
  // commands it has finished.
  struct alignas(64) Counter {
    std::atomic<int64_t> active{0};
    std::atomic<uint64_t> exits{0};
  };

 public:
  ClusterState() = default;
  ClusterState(const ClusterState&) = delete;
  ClusterState& operator=(const ClusterState&) = delete;

  // At start-up: reads options.config_file when it exists, else starts as a single node owning
  // every slot with a new id and writes the file.
  absl::Status Start(const ClusterOptions& options);
  bool enabled() const { return enabled_; }
  const ClusterOptions& options() const { return options_; }

  // The current map (never null once started).
  std::shared_ptr<const Topology> Get() const;

  // Applies `change` to a copy of the map; when it returns OK, saves and publishes the copy and
  // waits out the commands routed by older maps (not the calling thread's own). Returns the
  // change's error (nothing changes then) or the file's.
  absl::Status Update(absl::FunctionRef<absl::Status(Topology&)> change);
  // Writes the current map to cluster-config-file (CLUSTER SAVECONFIG).
  absl::Status Save();

  // The cluster is ok (cluster_state:ok): every slot served, or cluster-require-full-coverage no.
  static bool StateOk(const Topology& t, bool full_coverage) {
    return !full_coverage || t.SlotsAssigned() == kSlots;
  }

  // Held by a command from before it reads the map until it has run. Nests on one thread.
  class CommandGuard {
   public:
    explicit CommandGuard(ClusterState& state);
    ~CommandGuard();
    CommandGuard(const CommandGuard&) = delete;
    CommandGuard& operator=(const CommandGuard&) = delete;

   private:
    Counter* counter_;
  };

 private:
  Counter* ThreadCounter();
  absl::Status WriteFile(const Topology& t) const;
  void WaitForOlderCommands();

  bool enabled_ = false;
  ClusterOptions options_;
  mutable absl::Mutex mu_;
  std::shared_ptr<const Topology> current_ ABSL_GUARDED_BY(mu_);
  std::atomic<uint64_t> version_{0};
  absl::Mutex update_mu_;  // serializes Update and Save
  std::array<Counter, kCounters> counters_;
  std::atomic<size_t> next_counter_{0};
};

}  // namespace ringkv::server::cluster
