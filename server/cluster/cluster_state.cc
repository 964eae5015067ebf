// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/cluster/cluster_state.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace ringkv::server::cluster {

namespace {

// This thread's cached copy of some ClusterState's map, refreshed when the version moves.
struct ThreadCache {
  const ClusterState* owner = nullptr;
  uint64_t version = 0;
  std::shared_ptr<const Topology> topology;
};
thread_local ThreadCache tls_cache;

// Versions are unique across every ClusterState of the process, so a thread's cache can never
// mistake another instance's map (say, a new one at a freed one's address) for the current one.
std::atomic<uint64_t> next_version{1};

// Each live thread has its own index into ClusterState's counters; an exiting thread's index is
// reused, so indexes stay below the number of threads alive at once.
class ThreadIndexes {
 public:
  size_t Take() {
    absl::MutexLock lock(&mu_);
    if (!free_.empty()) {
      size_t i = free_.back();
      free_.pop_back();
      return i;
    }
    return next_++;
  }
  void Give(size_t i) {
    absl::MutexLock lock(&mu_);
    free_.push_back(i);
  }

 private:
  absl::Mutex mu_;
  std::vector<size_t> free_ ABSL_GUARDED_BY(mu_);
  size_t next_ ABSL_GUARDED_BY(mu_) = 0;
};
ThreadIndexes& Indexes() {
  static auto* indexes = new ThreadIndexes();
  return *indexes;
}
struct ThreadIndex {
  size_t index = Indexes().Take();
  int depth = 0;  // CommandGuards alive on this thread
  ~ThreadIndex() { Indexes().Give(index); }
};
thread_local ThreadIndex tls_thread;

}  // namespace

absl::Status ClusterState::Start(const ClusterOptions& options) {
  options_ = options;
  enabled_ = options.enabled;
  if (!enabled_) return absl::OkStatus();
  const int bus =
      options.announce_bus_port > 0 ? options.announce_bus_port : options.announce_port + 10000;
  if (bus > 65535) {
    // As Redis: the bus port is the port + 10000 (ringkv never listens there, but clients and
    // nodes.conf carry it).
    return absl::InvalidArgumentError(absl::StrCat(
        "port ", options.announce_port,
        " too high for cluster mode: the cluster bus port is 10000 higher, so the port must be "
        "55535 or less (or set cluster-announce-bus-port)"));
  }
  Topology t;
  bool loaded = false;
  if (!options.config_file.empty()) {
    std::ifstream in(options.config_file);
    if (in) {
      std::stringstream text;
      text << in.rdbuf();
      absl::StatusOr<Topology> parsed = ParseNodes(text.str(), "", /*use_myself_flag=*/true,
                                                   options.announce_ip, options.announce_port);
      if (!parsed.ok()) {
        return absl::InvalidArgumentError(absl::StrCat("cluster-config-file ", options.config_file,
                                                       ": ", parsed.status().message()));
      }
      t = std::move(*parsed);
      loaded = true;
    }
  }
  if (!loaded) t = SingleNode(RandomNodeId(), options.announce_ip, options.announce_port, bus);
  t.assigned = -1;
  t.assigned = t.SlotsAssigned();
  {
    absl::MutexLock lock(&mu_);
    current_ = std::make_shared<const Topology>(std::move(t));
  }
  version_.store(next_version.fetch_add(1), std::memory_order_seq_cst);
  if (!loaded) return Save();
  return absl::OkStatus();
}

std::shared_ptr<const Topology> ClusterState::Get() const {
  const uint64_t v = version_.load(std::memory_order_seq_cst);
  ThreadCache& c = tls_cache;
  if (c.owner == this && c.version == v && c.topology != nullptr) return c.topology;
  std::shared_ptr<const Topology> t;
  {
    absl::MutexLock lock(&mu_);
    t = current_;
  }
  c.owner = this;
  c.version = v;
  c.topology = t;
  return t;
}

absl::Status ClusterState::Update(absl::FunctionRef<absl::Status(Topology&)> change) {
  absl::MutexLock updating(&update_mu_);
  Topology next = *Get();
  next.assigned = -1;  // the change may move slots: count afresh
  if (absl::Status s = change(next); !s.ok()) return s;
  next.assigned = -1;
  next.assigned = next.SlotsAssigned();
  if (absl::Status s = WriteFile(next); !s.ok()) return s;
  {
    absl::MutexLock lock(&mu_);
    current_ = std::make_shared<const Topology>(std::move(next));
  }
  version_.store(next_version.fetch_add(1), std::memory_order_seq_cst);
  WaitForOlderCommands();
  return absl::OkStatus();
}

absl::Status ClusterState::Save() {
  absl::MutexLock updating(&update_mu_);
  return WriteFile(*Get());
}

absl::Status ClusterState::WriteFile(const Topology& t) const {
  if (options_.config_file.empty()) return absl::OkStatus();
  const std::string tmp = options_.config_file + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << FormatNodes(t, /*vars=*/true);
    out.flush();
    if (!out) {
      return absl::InternalError(absl::StrCat("can't write ", tmp));
    }
  }
  if (std::rename(tmp.c_str(), options_.config_file.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("can't rename ", tmp, " to ", options_.config_file));
  }
  return absl::OkStatus();
}

ClusterState::Counter* ClusterState::ThreadCounter() {
  return &counters_[tls_thread.index % kCounters];
}

ClusterState::CommandGuard::CommandGuard(ClusterState& state) : counter_(state.ThreadCounter()) {
  if (tls_thread.depth++ > 0) return;
  // seq_cst: the mark is ordered before this command's read of the version (Get), as Update's
  // version bump is ordered before its reads of the marks.
  counter_->active.fetch_add(1, std::memory_order_seq_cst);
}

ClusterState::CommandGuard::~CommandGuard() {
  if (--tls_thread.depth > 0) return;
  counter_->exits.fetch_add(1, std::memory_order_release);
  counter_->active.fetch_sub(1, std::memory_order_release);
}

void ClusterState::WaitForOlderCommands() {
  // A thread seen idle after the bump reads the new map in its next command; a busy one is
  // waited for until its current command exits. (Threads sharing a counter, past kCounters
  // alive at once, only make the wait longer: exits then count theirs too.)
  const Counter* own = ThreadCounter();
  for (Counter& c : counters_) {
    if (&c == own || c.active.load(std::memory_order_seq_cst) == 0) continue;
    const uint64_t exits = c.exits.load(std::memory_order_acquire);
    while (c.active.load(std::memory_order_seq_cst) != 0 &&
           c.exits.load(std::memory_order_acquire) == exits) {
      std::this_thread::sleep_for(std::chrono::microseconds(50));
    }
  }
}

}  // namespace ringkv::server::cluster
