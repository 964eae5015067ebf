// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Worker: one thread, one IoBackend, and every connection that thread accepted. It runs its
// connections' commands itself, directly against the shared engine: no hop to another thread on
// the request path. Work for this worker from other threads (shutdown, CLIENT KILL, pub/sub
// delivery) is posted to its inbox and signalled through the backend's Wake().
//
// A worker is also a PubSubHome (server/pubsub.h): the pub/sub registry keeps this worker's
// subscribers in tables only this thread touches, and posts one task here per PUBLISH that has
// subscribers on this worker. A subscriber whose unsent output breaks the pubsub class of
// client-output-buffer-limit during a delivery is closed right after the delivery.
//
// Connection lifecycle: accepted -> reading -> (closing: Shutdown on the backend) -> both the
// receive side ended and no send in flight -> fd closed and state freed. Completions that arrive
// for a freed connection are dropped by id.
//
// Thread safety: everything but Post() and the constructor runs on the worker's own thread.
#pragma once

#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "server/connection.h"
#include "server/net/io_backend.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

class Worker final : public net::IoHandler, public PubSubHome {
 public:
  Worker(int index, ServerContext* server, std::vector<int> listen_fds);
  ~Worker() override;

  // Starts the thread, which sets up its backend; WaitStarted() returns once that is done (or
  // failed), so that several workers set up theirs at the same time.
  void Start(const net::BackendOptions& backend_options);
  [[nodiscard]] absl::Status WaitStarted();
  // Stops reading, flushes replies in flight (bounded), and ends the loop. Thread-safe.
  void BeginShutdown();
  // Closes connection `id` if this worker still has it. Thread-safe.
  void KillClient(uint64_t id);
  // Makes the backend's receive buffers resident (maxmemory was just set). Thread-safe once
  // started; returns when they are.
  void MakeBuffersResident();
  void Join();

  // Runs `fn` on the worker thread soon. Thread-safe.
  void Post(std::function<void()> fn) override;

  // A blocked client of this worker was answered (served, or CLIENT UNBLOCK): appends `reply`
  // to its connection and resumes it, if it is still there and still that waiter. Thread-safe.
  void DeliverUnblocked(uint64_t client_id, std::shared_ptr<BlockedClient> waiter,
                        std::string reply);

  // A MONITOR line for client `client_id`: appended to its output if it is still monitoring.
  // Thread-safe.
  // Writes a client-side caching invalidation (server/tracking.h) to client `client_id`, in its
  // protocol, on this worker's thread.
  void DeliverTracking(uint64_t client_id, TrackingMessage message);
  void DeliverMonitorLine(uint64_t client_id, std::string line);

  // A pub/sub message was appended to `c`'s output: queue the flush, or mark `c` to be closed
  // after the delivery if it broke its output limit. Worker thread only.
  void OnPubSubOutput(Connection* c);

  const std::string& backend_description() const { return backend_description_; }
  const std::string& fallback_reason() const { return fallback_reason_; }

  // IoHandler.
  void OnAccept(int fd) override;
  void OnRecv(net::ConnId id, std::string_view data) override;
  void OnRecvEnded(net::ConnId id, int res) override;
  void OnSendDone(net::ConnId id, int res) override;
  void OnWake() override;
  void OnTick() override;
  void OnBatchEnd() override;

 private:
  void ThreadMain(const net::BackendOptions& options);
  Connection* Find(net::ConnId id);
  void Close(Connection* c);
  void MaybeFree(Connection* c);
  void QueueFlush(Connection* c);
  void Flush(Connection* c);
  void AfterOutputDrained(Connection* c);
  void DoShutdown();
  // True if `c` broke client-output-buffer-limit (hard now, or soft for too long).
  bool OverOutputLimit(Connection* c, int64_t now_ms);
  void Publish(Connection* c);
  // Bytes a connection holds: its objects, unparsed input and output buffer chunks.
  static int64_t ClientMemory(Connection& c);
  // Appends a blocked client's reply, runs what it sent meanwhile, and flushes.
  void Unblocked(Connection* c, std::string_view reply);

  const int index_;
  ServerContext* server_;
  std::vector<int> listen_fds_;
  std::unique_ptr<net::IoBackend> backend_;
  std::string backend_description_;
  std::string fallback_reason_;
  std::thread thread_;
  absl::Notification started_;
  absl::Status start_status_;  // written before started_ is notified
  absl::flat_hash_map<net::ConnId, std::unique_ptr<Connection>> conns_;
  std::vector<net::ConnId> flush_queue_;
  // Subscribers that broke their output limit while a delivery was writing to them.
  std::vector<net::ConnId> cut_off_;
  bool shutting_down_ = false;
  int tick_hz_ = 0;
  // instantaneous_ops_per_sec samples (worker 0 only): (time ms, total commands) per tick.
  static constexpr int kOpsSamples = 16;
  std::pair<int64_t, int64_t> ops_samples_[kOpsSamples] = {};
  int ops_sample_next_ = 0;
  void SampleOps(int64_t now_ms);
  int64_t shutdown_deadline_ms_ = 0;

  absl::Mutex inbox_mu_;
  std::vector<std::function<void()>> inbox_ ABSL_GUARDED_BY(inbox_mu_);
};

}  // namespace ringkv::server
