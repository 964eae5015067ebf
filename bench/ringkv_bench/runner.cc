// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The ringkv-bench engine (see runner.h): one epoll loop per thread over its connections, with
// requests batched into one write per connection per loop turn.
#include "bench/ringkv_bench/runner.h"

#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <deque>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "client/connection.h"

namespace ringkv::bench {
namespace {

using protocol::Reply;

int64_t NowNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

constexpr int64_t kPublishEveryNs = 100'000'000;
// A run whose outstanding replies make no progress for this long fails instead of hanging.
constexpr int64_t kStallNs = 30'000'000'000;

bool IsHit(const Reply& r) {
  switch (r.type) {
    case Reply::Type::kNull:
      return false;
    case Reply::Type::kArray:
    case Reply::Type::kMap:
    case Reply::Type::kSet:
      return !r.elements.empty();
    default:
      return true;
  }
}

struct Pending {
  Op op;
  int64_t start_ns;  // send time (closed loop) or scheduled time (open loop)
};

struct Conn {
  std::unique_ptr<client::Connection> conn;
  std::unique_ptr<Workload> workload;
  std::deque<Pending> inflight;
  std::deque<int64_t> backlog;  // open loop: scheduled, not yet sent
  uint64_t quota = 0;           // requests this connection may still issue
  int64_t interval_ns = 0;      // open loop schedule step; 0 = closed loop
  int64_t next_sched_ns = 0;
  bool want_out = false;
  bool done = false;
  std::string scratch;
};

class Worker {
 public:
  Worker(const BenchOptions& options, int index) : options_(options), index_(index) {}

  absl::Status Connect(const WorkloadConfig& workload, uint64_t thread_quota);
  void Run(int64_t start_ns, int64_t deadline_ns);

  // Progress since the last call.
  void TakeInterval(uint64_t* count, Histogram* latency) {
    absl::MutexLock lock(&mu_);
    *count += shared_count_;
    latency->Merge(shared_latency_);
    shared_count_ = 0;
    shared_latency_.Reset();
  }

  const absl::Status& status() const { return status_; }
  const std::array<OpStats, kOpCount>& stats() const { return stats_; }
  uint64_t unsent() const { return unsent_; }

 private:
  void Issue(Conn& c, int64_t start_ns);
  void Fill(Conn& c, int64_t now, bool stopping);
  absl::Status HandleReadable(Conn& c, int64_t now);
  absl::Status UpdateInterest(Conn& c, int i);
  void Publish();
  absl::Status ConnError(int i, const absl::Status& s) const {
    return absl::Status(s.code(),
                        absl::StrCat("thread ", index_, " connection ", i, ": ", s.message()));
  }

  const BenchOptions& options_;
  const int index_;
  int epfd_ = -1;
  std::vector<Conn> conns_;
  std::array<OpStats, kOpCount> stats_;
  absl::Status status_;
  uint64_t unsent_ = 0;
  int64_t last_progress_ns_ = 0;
  // Progress not yet published.
  uint64_t local_count_ = 0;
  Histogram local_latency_;
  absl::Mutex mu_;
  uint64_t shared_count_ ABSL_GUARDED_BY(mu_) = 0;
  Histogram shared_latency_ ABSL_GUARDED_BY(mu_);
};

absl::Status Worker::Connect(const WorkloadConfig& workload, uint64_t thread_quota) {
  client::Options co;
  co.host = options_.host;
  co.port = options_.port;
  co.unix_path = options_.unix_path;
  co.user = options_.user;
  co.password = options_.password;
  co.db = options_.db;
  co.resp3 = options_.resp3;
  const int per_thread = options_.connections;
  const int total = options_.threads * per_thread;
  const double per_conn_rate = options_.rate / total;
  conns_.resize(static_cast<size_t>(per_thread));
  for (int i = 0; i < per_thread; ++i) {
    Conn& c = conns_[static_cast<size_t>(i)];
    const int global = index_ * per_thread + i;
    absl::StatusOr<std::unique_ptr<client::Connection>> conn = client::Connection::Connect(co);
    if (!conn.ok()) return conn.status();
    c.conn = *std::move(conn);
    // Sequential keys: each connection starts at its own slice of the keyspace, so together
    // they sweep it instead of all writing key 0, 1, 2, ...
    uint64_t start =
        static_cast<uint64_t>(static_cast<unsigned __int128>(options_.keyspace) * global / total);
    c.workload =
        std::make_unique<Workload>(workload, options_.seed * 0x9E3779B1ULL + global, start);
    c.quota = options_.requests == 0 ? UINT64_MAX
                                     : thread_quota / per_thread +
                                           (static_cast<uint64_t>(i) < thread_quota % per_thread);
    if (per_conn_rate > 0) {
      c.interval_ns = std::max<int64_t>(1, static_cast<int64_t>(1e9 / per_conn_rate));
    }
  }
  return absl::OkStatus();
}

void Worker::Issue(Conn& c, int64_t start_ns) {
  c.scratch.clear();
  Op op = c.workload->Next(&c.scratch);
  c.conn->AppendRaw(c.scratch);
  c.inflight.push_back({op, start_ns});
}

void Worker::Fill(Conn& c, int64_t now, bool stopping) {
  if (stopping) {
    unsent_ += c.backlog.size();
    c.backlog.clear();
    c.quota = 0;
    return;
  }
  const size_t depth = static_cast<size_t>(options_.pipeline);
  if (c.interval_ns > 0) {
    while (c.quota > 0 && c.next_sched_ns <= now) {
      c.backlog.push_back(c.next_sched_ns);
      c.next_sched_ns += c.interval_ns;
      --c.quota;
    }
    while (c.inflight.size() < depth && !c.backlog.empty()) {
      Issue(c, c.backlog.front());
      c.backlog.pop_front();
    }
  } else {
    while (c.inflight.size() < depth && c.quota > 0) {
      Issue(c, now);
      --c.quota;
    }
  }
}

absl::Status Worker::HandleReadable(Conn& c, int64_t now) {
  absl::StatusOr<size_t> got = c.conn->ReadSome();
  if (!got.ok()) return got.status();
  Reply reply;
  while (true) {
    absl::StatusOr<bool> more = c.conn->NextReply(&reply);
    if (!more.ok()) return more.status();
    if (!*more) return absl::OkStatus();
    if (c.inflight.empty()) return absl::InternalError("a reply arrived for no request");
    Pending p = c.inflight.front();
    c.inflight.pop_front();
    uint64_t latency = static_cast<uint64_t>(std::max<int64_t>(0, now - p.start_ns));
    OpStats& s = stats_[static_cast<size_t>(p.op)];
    ++s.count;
    s.latency_ns.Record(latency);
    if (reply.is_error()) {
      ++s.errors;
    } else if (IsRead(p.op)) {
      ++(IsHit(reply) ? s.hits : s.misses);
    }
    ++local_count_;
    local_latency_.Record(latency);
    last_progress_ns_ = now;
  }
}

absl::Status Worker::UpdateInterest(Conn& c, int i) {
  bool want = c.conn->pending_output() > 0;
  if (want == c.want_out) return absl::OkStatus();
  epoll_event ev{};
  ev.events = want ? (EPOLLIN | EPOLLOUT) : EPOLLIN;
  ev.data.u32 = static_cast<uint32_t>(i);
  if (epoll_ctl(epfd_, EPOLL_CTL_MOD, c.conn->fd(), &ev) != 0) {
    return absl::InternalError(absl::StrCat("epoll_ctl: ", std::strerror(errno)));
  }
  c.want_out = want;
  return absl::OkStatus();
}

void Worker::Publish() {
  absl::MutexLock lock(&mu_);
  shared_count_ += local_count_;
  shared_latency_.Merge(local_latency_);
  local_count_ = 0;
  local_latency_.Reset();
}

void Worker::Run(int64_t start_ns, int64_t deadline_ns) {
  epfd_ = epoll_create1(EPOLL_CLOEXEC);
  if (epfd_ < 0) {
    status_ = absl::InternalError(absl::StrCat("epoll_create1: ", std::strerror(errno)));
    return;
  }
  const int total = options_.threads * options_.connections;
  for (size_t i = 0; i < conns_.size(); ++i) {
    Conn& c = conns_[i];
    // Stagger the open-loop schedules so the connections do not fire in bursts together.
    int64_t global = index_ * options_.connections + static_cast<int64_t>(i);
    c.next_sched_ns = start_ns + c.interval_ns * global / total;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u32 = static_cast<uint32_t>(i);
    epoll_ctl(epfd_, EPOLL_CTL_ADD, c.conn->fd(), &ev);
  }
  size_t active = conns_.size();
  int64_t next_publish = start_ns + kPublishEveryNs;
  last_progress_ns_ = start_ns;
  bool first = true;
  std::vector<epoll_event> events(std::max<size_t>(conns_.size(), 16));
  while (active > 0 && status_.ok()) {
    int64_t now = NowNs();
    if (!first) {
      // Sleep until I/O, the next scheduled request, the deadline or the next publish.
      int64_t wake = next_publish;
      if (deadline_ns > 0 && now < deadline_ns) wake = std::min(wake, deadline_ns);
      for (const Conn& c : conns_) {
        if (!c.done && c.interval_ns > 0 && c.quota > 0) wake = std::min(wake, c.next_sched_ns);
      }
      int64_t wait_ns = std::max<int64_t>(0, wake - now);
      timespec ts{wait_ns / 1'000'000'000, wait_ns % 1'000'000'000};
      int n = epoll_pwait2(epfd_, events.data(), static_cast<int>(events.size()), &ts, nullptr);
      if (n < 0 && errno != EINTR) {
        status_ = absl::InternalError(absl::StrCat("epoll_pwait2: ", std::strerror(errno)));
        break;
      }
      now = NowNs();
      for (int e = 0; e < n; ++e) {
        int i = static_cast<int>(events[static_cast<size_t>(e)].data.u32);
        Conn& c = conns_[static_cast<size_t>(i)];
        uint32_t ev = events[static_cast<size_t>(e)].events;
        absl::Status s;
        if (ev & (EPOLLIN | EPOLLERR | EPOLLHUP)) s = HandleReadable(c, now);
        if (s.ok() && (ev & EPOLLOUT)) s = c.conn->WriteSome().status();
        if (!s.ok()) {
          status_ = ConnError(i, s);
          break;
        }
      }
      if (!status_.ok()) break;
    }
    first = false;
    const bool stopping = deadline_ns > 0 && now >= deadline_ns;
    size_t outstanding = 0;
    for (size_t i = 0; i < conns_.size() && status_.ok(); ++i) {
      Conn& c = conns_[i];
      if (c.done) continue;
      Fill(c, now, stopping);
      absl::Status s;
      if (c.conn->pending_output() > 0) s = c.conn->WriteSome().status();
      if (s.ok()) s = UpdateInterest(c, static_cast<int>(i));
      if (!s.ok()) {
        status_ = ConnError(static_cast<int>(i), s);
        break;
      }
      outstanding += c.inflight.size();
      if (c.quota == 0 && c.backlog.empty() && c.inflight.empty()) {
        c.done = true;
        --active;
      }
    }
    if (outstanding > 0 && now - last_progress_ns_ > kStallNs) {
      status_ = absl::DeadlineExceededError(absl::StrCat(
          "thread ", index_, ": ", outstanding, " replies outstanding with no reply for 30 s"));
    }
    if (now >= next_publish) {
      Publish();
      next_publish = now + kPublishEveryNs;
    }
  }
  Publish();
  close(epfd_);
  epfd_ = -1;
}

}  // namespace

void OpStats::Merge(const OpStats& other) {
  count += other.count;
  errors += other.errors;
  hits += other.hits;
  misses += other.misses;
  latency_ns.Merge(other.latency_ns);
}

absl::StatusOr<BenchResult> RunBench(const BenchOptions& options,
                                     const std::function<void(const Progress&)>& on_progress) {
  WorkloadConfig wc;
  wc.mix = options.mix;
  wc.keyspace = options.keyspace;
  wc.distribution = options.distribution;
  wc.value_min = options.value_min;
  wc.value_max = options.value_max;
  wc.key_prefix = options.key_prefix;
  wc.hash_fields = options.hash_fields;

  std::vector<std::unique_ptr<Worker>> workers;
  const uint64_t threads = static_cast<uint64_t>(options.threads);
  for (int t = 0; t < options.threads; ++t) {
    workers.push_back(std::make_unique<Worker>(options, t));
    uint64_t quota =
        options.requests / threads + (static_cast<uint64_t>(t) < options.requests % threads);
    absl::Status s = workers.back()->Connect(wc, quota);
    if (!s.ok()) return s;
  }

  const int64_t start = NowNs();
  const int64_t deadline =
      options.duration_s > 0 ? start + static_cast<int64_t>(options.duration_s * 1e9) : 0;
  std::atomic<int> running{options.threads};
  std::vector<std::thread> threads_v;
  for (auto& w : workers) {
    threads_v.emplace_back([&, w = w.get()] {
      w->Run(start, deadline);
      running.fetch_sub(1);
    });
  }
  // Report progress once a second until every worker is done.
  int64_t last_report = start;
  uint64_t completed = 0;
  while (running.load() > 0) {
    absl::SleepFor(absl::Milliseconds(50));
    int64_t now = NowNs();
    if (now - last_report < 1'000'000'000 || running.load() == 0) continue;
    uint64_t count = 0;
    Histogram interval;
    for (auto& w : workers) w->TakeInterval(&count, &interval);
    completed += count;
    if (on_progress) {
      Progress p;
      p.elapsed_s = static_cast<double>(now - start) / 1e9;
      p.completed = completed;
      p.ops_per_sec = static_cast<double>(count) / (static_cast<double>(now - last_report) / 1e9);
      p.p99_ns = interval.ValueAtPercentile(99);
      on_progress(p);
    }
    last_report = now;
  }
  for (std::thread& t : threads_v) t.join();
  const int64_t end = NowNs();

  BenchResult result;
  result.elapsed_s = static_cast<double>(end - start) / 1e9;
  for (auto& w : workers) {
    if (!w->status().ok()) return w->status();
    for (size_t i = 0; i < kOpCount; ++i) {
      result.ops[i].Merge(w->stats()[i]);
      result.total.Merge(w->stats()[i]);
    }
    result.unsent += w->unsent();
  }
  return result;
}

}  // namespace ringkv::bench
