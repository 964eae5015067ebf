// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// IoBackend: the one interface a worker's event loop is written against. Two implementations:
// UringBackend (multishot accept and recv into a provided-buffer ring, gathered sends) and
// EpollBackend (level-triggered readiness, for kernels or sandboxes that refuse io_uring).
// SelectBackend() probes io_uring and falls back to epoll. The backend moves bytes and reports
// events; it knows nothing of RESP or commands.
//
// Thread safety: a backend belongs to one worker thread. Only Wake() and RequestStop() may be
// called from other threads.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace ringkv::server::net {

// Connection ids are unique per process and never reused, so a completion that arrives after its
// connection was closed can be recognised and dropped.
using ConnId = uint64_t;

// Events a backend delivers, always on the worker thread that runs the loop.
class IoHandler {
 public:
  virtual ~IoHandler() = default;
  // A listener accepted `fd`. The handler owns it from now on and must call StartRecv or Close.
  virtual void OnAccept(int fd) = 0;
  // Bytes arrived. `data` is valid only during the call; the handler copies what it keeps.
  virtual void OnRecv(ConnId id, std::string_view data) = 0;
  // Receiving stopped for good: `res` is 0 for end of stream or -errno. No more OnRecv follows
  // unless the handler calls StartRecv again (after a pause).
  virtual void OnRecvEnded(ConnId id, int res) = 0;
  // The Send() in flight finished: `res` bytes were written (maybe fewer than asked), or -errno.
  virtual void OnSendDone(ConnId id, int res) = 0;
  // Wake() was called (maybe several times) since the last OnWake.
  virtual void OnWake() = 0;
  // About `hz` times a second.
  virtual void OnTick() = 0;
  // After each batch of events: the moment to flush replies gathered during the batch.
  virtual void OnBatchEnd() = 0;
};

enum class BackendKind { kAuto, kUring, kEpoll };

struct BackendOptions {
  BackendKind kind = BackendKind::kAuto;
  // Provided-buffer ring: number of receive buffers and the size of each (io_uring only).
  // Defaults: 256 buffers of 16 KiB (smaller buffers cost throughput, see ../shared/notes).
  unsigned recv_buffers = 256;
  unsigned recv_buffer_size = 16 * 1024;
  // Make the receive buffers resident at set-up (else their pages arrive with the first data
  // each one receives). The server asks for it while maxmemory is set, whose overhead
  // measurement wants them in its start-up baseline; unset, a start skips faulting in 4 MiB.
  bool resident_buffers = false;
  // Submission queue entries (io_uring only). Default: 4096.
  unsigned ring_entries = 4096;
  // Ticks per second for OnTick. Default: 10 (Redis's hz).
  int hz = 10;
};

class IoBackend {
 public:
  virtual ~IoBackend() = default;

  // "io_uring (SINGLE_ISSUER|DEFER_TASKRUN)" or "epoll": for the start-up log.
  virtual std::string Describe() const = 0;

  // Starts accepting on a listening socket (the backend does not own it).
  virtual absl::Status AddListener(int listen_fd) = 0;

  // Starts delivering OnRecv for `fd` under `id`. Also resumes after PauseRecv.
  virtual void StartRecv(ConnId id, int fd) = 0;
  // Stops reading `fd` until StartRecv; OnRecvEnded(id, -ECANCELED) may follow when the pending
  // receive is cancelled. Bytes already received are still delivered.
  virtual void PauseRecv(ConnId id, int fd) = 0;

  // Writes the bytes that `msg` gathers (msg_iov/msg_iovlen; no name, no control) to `fd`.
  // At most one Send per connection may be in flight; `msg`, its iovecs and the bytes they point
  // to must stay valid until OnSendDone. REQUIRES: msg->msg_iovlen >= 1.
  virtual void Send(ConnId id, int fd, struct msghdr* msg) = 0;

  // Ends both directions of `fd` so that pending operations complete (OnRecvEnded, OnSendDone
  // with an error); the handler closes the fd itself once nothing is in flight.
  virtual void Shutdown(ConnId id, int fd) = 0;

  // Runs the loop on the calling thread until RequestStop().
  virtual void Run(IoHandler* handler) = 0;

  // Changes how often OnTick is called (from the next tick on). Loop thread only.
  virtual void SetTickHz(int hz) = 0;

  // Thread-safe: makes the loop call OnWake soon.
  virtual void Wake() = 0;
  // Thread-safe: makes Run() return after the current batch.
  virtual void RequestStop() = 0;

  // Makes the receive buffers resident now, as BackendOptions::resident_buffers does at set-up.
  // Safe from any thread while the backend runs; changes no byte of them.
  virtual void MakeBuffersResident() {}
};

// Creates a backend of the requested kind. kAuto tries io_uring and falls back to epoll when the
// kernel refuses it (old kernels, io_uring_disabled, seccomp). `why_fallback` receives the reason
// when kAuto fell back.
absl::StatusOr<std::unique_ptr<IoBackend>> CreateBackend(const BackendOptions& options,
                                                         std::string* why_fallback);

}  // namespace ringkv::server::net
