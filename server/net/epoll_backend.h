// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// EpollBackend: the fallback for kernels and sandboxes without io_uring. Level-triggered, one
// read per readable event (so one busy client cannot starve the others), a send attempted at once
// and finished under EPOLLOUT when the socket is full. Completions are queued and delivered after
// the current event, so the handler sees the same ordering rules as with io_uring.
//
// Thread safety: one thread; Wake() and RequestStop() are safe from any thread.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "server/net/io_backend.h"

namespace ringkv::server::net {

class EpollBackend final : public IoBackend {
 public:
  static absl::StatusOr<std::unique_ptr<EpollBackend>> Create(const BackendOptions& options);
  ~EpollBackend() override;

  std::string Describe() const override { return "epoll"; }
  absl::Status AddListener(int listen_fd) override;
  void StartRecv(ConnId id, int fd) override;
  void PauseRecv(ConnId id, int fd) override;
  void Send(ConnId id, int fd, struct msghdr* msg) override;
  void Shutdown(ConnId id, int fd) override;
  void Run(IoHandler* handler) override;
  void SetTickHz(int hz) override { options_.hz = hz; }
  void Wake() override;
  void RequestStop() override;

 private:
  struct ConnState {
    int fd;
    bool reading = false;    // EPOLLIN wanted (not paused)
    bool recv_open = false;  // between StartRecv and the OnRecvEnded that closes it
    bool registered = false;
    struct msghdr* pending_send = nullptr;  // waiting for EPOLLOUT
  };
  struct Completion {
    enum class Kind { kRecvEnded, kSendDone } kind;
    ConnId id;
    int res;
  };

  explicit EpollBackend(const BackendOptions& options) : options_(options) {}
  void UpdateInterest(ConnId id, ConnState& st);
  void HandleReadable(ConnId id, ConnState& st);
  void HandleWritable(ConnId id, ConnState& st);
  void AcceptAll(int listen_fd);
  void DeliverCompletions();

  BackendOptions options_;
  int epoll_fd_ = -1;
  int wake_fd_ = -1;
  std::vector<int> listeners_;
  absl::flat_hash_map<ConnId, ConnState> conns_;
  std::vector<Completion> completions_;
  std::unique_ptr<char[]> read_buf_;
  IoHandler* handler_ = nullptr;
  std::atomic<bool> stop_{false};
};

}  // namespace ringkv::server::net
