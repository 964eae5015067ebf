// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// UringBackend: one io_uring per worker. Multishot accept on each listener, multishot recv into a
// provided-buffer ring (registered by hand: Debian's liburing 2.3 has no io_uring_setup_buf_ring),
// sendmsg for gathered replies, an eventfd read for cross-thread wake-ups and a timeout for ticks.
// Ring flags are probed: SINGLE_ISSUER|DEFER_TASKRUN, else COOP_TASKRUN|TASKRUN_FLAG, else none.
//
// Buffer lifecycle: a receive buffer is lent to the kernel through the ring, comes back in a recv
// completion, is handed to IoHandler::OnRecv (which copies whatever it must keep), and is returned
// to the ring right after. ENOBUFS ends a multishot recv; it is re-armed at the end of the batch,
// after the batch has returned its buffers.
//
// Thread safety: create, use and destroy on one thread (SINGLE_ISSUER binds the ring to the
// creating thread). Wake(), RequestStop() and MakeBuffersResident() are safe from any thread.
#pragma once

#include <liburing.h>

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "server/net/io_backend.h"

namespace ringkv::server::net {

class UringBackend final : public IoBackend {
 public:
  // Sets up the ring, the buffer ring and the wake-up eventfd. Fails (for the caller to fall
  // back) if the kernel lacks what this backend needs.
  static absl::StatusOr<std::unique_ptr<UringBackend>> Create(const BackendOptions& options);
  ~UringBackend() override;

  std::string Describe() const override;
  absl::Status AddListener(int listen_fd) override;
  void StartRecv(ConnId id, int fd) override;
  void PauseRecv(ConnId id, int fd) override;
  void Send(ConnId id, int fd, struct msghdr* msg) override;
  void Shutdown(ConnId id, int fd) override;
  void Run(IoHandler* handler) override;
  void SetTickHz(int hz) override { options_.hz = hz; }
  void Wake() override;
  void RequestStop() override;
  void MakeBuffersResident() override;

 private:
  explicit UringBackend(const BackendOptions& options);
  absl::Status Init();
  absl::Status InitBufferRing();
  io_uring_sqe* GetSqe();
  void ArmAccept(size_t listener_index);
  void ArmWake();
  void ArmTick();
  void HandleCqe(const io_uring_cqe* cqe);
  struct RecvState {
    int fd;
    bool armed;   // a multishot recv is in the kernel
    bool paused;  // PauseRecv: do not re-arm
    bool shut;    // Shutdown was called: the next end is final
  };
  void ArmRecv(ConnId id, RecvState& st);
  void HandleRecv(ConnId id, const io_uring_cqe* cqe);
  void ReturnBuffer(unsigned bid);

  BackendOptions options_;
  io_uring ring_{};
  bool ring_ready_ = false;
  unsigned setup_flags_ = 0;
  io_uring_buf_ring* buf_ring_ = nullptr;
  size_t buf_ring_bytes_ = 0;
  char* buffers_ = nullptr;  // mmap'd, buffers_bytes_ long; pages arrive on first use
  size_t buffers_bytes_ = 0;
  unsigned buf_mask_ = 0;
  std::vector<int> listeners_;
  // Receive state of every connection between StartRecv and OnRecvEnded.
  absl::flat_hash_map<ConnId, RecvState> recv_;
  std::vector<ConnId> rearm_recv_;  // multishots the kernel ended (ENOBUFS), re-armed per batch
  std::vector<ConnId> ended_;       // receive sides ended by Shutdown while nothing was armed
  int wake_fd_ = -1;
  uint64_t wake_value_ = 0;
  __kernel_timespec tick_ts_{};
  IoHandler* handler_ = nullptr;
  std::atomic<bool> stop_{false};
};

}  // namespace ringkv::server::net
