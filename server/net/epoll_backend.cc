// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/net/epoll_backend.h"

#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>

namespace ringkv::server::net {

namespace {

// epoll_event.data.u64: connection ids as they are; these two never collide with them because
// connection ids stay below 2^56.
constexpr uint64_t kWakeTag = ~uint64_t{0};
constexpr uint64_t kListenerTag = uint64_t{1} << 62;  // | listener fd

int64_t MonotonicMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EpollBackend>> EpollBackend::Create(const BackendOptions& options) {
  std::unique_ptr<EpollBackend> b(new EpollBackend(options));
  b->epoll_fd_ = epoll_create1(EPOLL_CLOEXEC);
  if (b->epoll_fd_ < 0) return absl::ErrnoToStatus(errno, "epoll_create1");
  b->wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (b->wake_fd_ < 0) return absl::ErrnoToStatus(errno, "eventfd");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kWakeTag;
  if (epoll_ctl(b->epoll_fd_, EPOLL_CTL_ADD, b->wake_fd_, &ev) != 0) {
    return absl::ErrnoToStatus(errno, "epoll_ctl wake");
  }
  b->read_buf_.reset(new char[options.recv_buffer_size]);
  return b;
}

EpollBackend::~EpollBackend() {
  if (epoll_fd_ >= 0) close(epoll_fd_);
  if (wake_fd_ >= 0) close(wake_fd_);
}

absl::Status EpollBackend::AddListener(int listen_fd) {
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.u64 = kListenerTag | static_cast<uint32_t>(listen_fd);
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd, &ev) != 0) {
    return absl::ErrnoToStatus(errno, "epoll_ctl listener");
  }
  listeners_.push_back(listen_fd);
  return absl::OkStatus();
}

void EpollBackend::UpdateInterest(ConnId id, ConnState& st) {
  epoll_event ev{};
  ev.events = (st.reading ? uint32_t{EPOLLIN} : 0u) |
              (st.pending_send != nullptr ? uint32_t{EPOLLOUT} : 0u);
  ev.data.u64 = id;
  if (!st.registered) {
    if (ev.events == 0) return;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, st.fd, &ev) == 0) st.registered = true;
    return;
  }
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, st.fd, &ev);
}

void EpollBackend::StartRecv(ConnId id, int fd) {
  auto [it, inserted] = conns_.try_emplace(id, ConnState{fd});
  it->second.reading = true;
  it->second.recv_open = true;
  UpdateInterest(id, it->second);
}

void EpollBackend::PauseRecv(ConnId id, int /*fd*/) {
  auto it = conns_.find(id);
  if (it == conns_.end() || !it->second.reading) return;
  it->second.reading = false;
  UpdateInterest(id, it->second);
}

void EpollBackend::Send(ConnId id, int fd, struct msghdr* msg) {
  ssize_t n = sendmsg(fd, msg, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
    completions_.push_back(
        {Completion::Kind::kSendDone, id, n >= 0 ? static_cast<int>(n) : -errno});
    return;
  }
  auto [it, inserted] = conns_.try_emplace(id, ConnState{fd});
  it->second.pending_send = msg;
  UpdateInterest(id, it->second);
}

void EpollBackend::Shutdown(ConnId id, int fd) {
  ::shutdown(fd, SHUT_RDWR);
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  ConnState& st = it->second;
  if (st.registered) epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, st.fd, nullptr);
  if (st.pending_send != nullptr) completions_.push_back({Completion::Kind::kSendDone, id, -EPIPE});
  if (st.recv_open) completions_.push_back({Completion::Kind::kRecvEnded, id, 0});
  conns_.erase(it);
}

void EpollBackend::HandleReadable(ConnId id, ConnState& st) {
  ssize_t n = recv(st.fd, read_buf_.get(), options_.recv_buffer_size, MSG_DONTWAIT);
  if (n > 0) {
    handler_->OnRecv(id, std::string_view(read_buf_.get(), static_cast<size_t>(n)));
    return;
  }
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) return;
  // End of stream or error: the receive side is over. Keep the state for a pending send.
  st.reading = false;
  st.recv_open = false;
  UpdateInterest(id, st);
  completions_.push_back({Completion::Kind::kRecvEnded, id, n == 0 ? 0 : -errno});
}

void EpollBackend::HandleWritable(ConnId id, ConnState& st) {
  struct msghdr* msg = st.pending_send;
  if (msg == nullptr) return;
  ssize_t n = sendmsg(st.fd, msg, MSG_NOSIGNAL | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
  st.pending_send = nullptr;
  UpdateInterest(id, st);
  completions_.push_back({Completion::Kind::kSendDone, id, n >= 0 ? static_cast<int>(n) : -errno});
}

void EpollBackend::AcceptAll(int listen_fd) {
  // Bounded so that a connection storm cannot starve established clients.
  for (int i = 0; i < 64; ++i) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) return;
    handler_->OnAccept(fd);
  }
}

void EpollBackend::DeliverCompletions() {
  // Handlers may queue more completions while we deliver; index, do not iterate.
  for (size_t i = 0; i < completions_.size(); ++i) {
    Completion c = completions_[i];
    if (c.kind == Completion::Kind::kSendDone) {
      handler_->OnSendDone(c.id, c.res);
    } else {
      handler_->OnRecvEnded(c.id, c.res);
    }
  }
  completions_.clear();
}

void EpollBackend::Run(IoHandler* handler) {
  handler_ = handler;
  auto tick_ms = [this] { return int64_t{1000} / (options_.hz > 0 ? options_.hz : 10); };
  int64_t next_tick = MonotonicMs() + tick_ms();
  epoll_event events[256];
  while (!stop_.load(std::memory_order_acquire)) {
    int64_t wait_ms = completions_.empty() ? std::max<int64_t>(0, next_tick - MonotonicMs()) : 0;
    int n = epoll_wait(epoll_fd_, events, 256, static_cast<int>(wait_ms));
    for (int i = 0; i < n; ++i) {
      uint64_t tag = events[i].data.u64;
      if (tag == kWakeTag) {
        uint64_t v;
        while (read(wake_fd_, &v, sizeof(v)) > 0) {
        }
        handler_->OnWake();
      } else if (tag & kListenerTag) {
        AcceptAll(static_cast<int>(tag & 0xffffffffu));
      } else {
        auto it = conns_.find(tag);
        if (it == conns_.end()) continue;
        if (events[i].events & (EPOLLOUT | EPOLLERR)) HandleWritable(tag, it->second);
        it = conns_.find(tag);
        if (it != conns_.end() && it->second.reading &&
            (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR))) {
          HandleReadable(tag, it->second);
        }
      }
      DeliverCompletions();
    }
    DeliverCompletions();
    if (MonotonicMs() >= next_tick) {
      handler_->OnTick();
      next_tick = MonotonicMs() + tick_ms();
    }
    handler_->OnBatchEnd();
    DeliverCompletions();
  }
  handler_ = nullptr;
}

void EpollBackend::Wake() {
  uint64_t one = 1;
  ssize_t n = write(wake_fd_, &one, sizeof(one));
  (void)n;
}

void EpollBackend::RequestStop() {
  stop_.store(true, std::memory_order_release);
  Wake();
}

}  // namespace ringkv::server::net
