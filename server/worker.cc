// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/worker.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <tuple>

#include "absl/synchronization/notification.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/memory_limit.h"
#include "server/net/listener.h"

namespace ringkv::server {

namespace {

// A connection whose unsent replies pass kPauseOutputBytes stops having its commands run and
// stops being read until the client has taken all but kResumeOutputBytes. This is what bounds
// memory for a client that pipelines without reading (DESIGN.md, "Backpressure").
constexpr size_t kPauseOutputBytes = 1 << 20;
constexpr size_t kResumeOutputBytes = 256 << 10;

// How long SIGTERM/SHUTDOWN waits for replies already produced to reach their clients.
constexpr int64_t kShutdownFlushMs = 2000;

int64_t NowMs(const ServerContext& server) { return server.engine->clock().NowMs(); }

}  // namespace

Worker::Worker(int index, ServerContext* server, std::vector<int> listen_fds)
    : index_(index), server_(server), listen_fds_(std::move(listen_fds)) {}

Worker::~Worker() { Join(); }

void Worker::Start(const net::BackendOptions& backend_options) {
  thread_ = std::thread([this, backend_options] {
    SetLogThreadName(absl::StrCat("W", index_));
    auto backend = net::CreateBackend(backend_options, &fallback_reason_);
    if (!backend.ok()) {
      start_status_ = backend.status();
      started_.Notify();
      return;
    }
    backend_ = std::move(backend).value();
    server_->pubsub.Attach(this, index_);
    for (int fd : listen_fds_) {
      absl::Status s = backend_->AddListener(fd);
      if (!s.ok()) {
        start_status_ = s;
        started_.Notify();
        return;
      }
    }
    backend_description_ = backend_->Describe();
    started_.Notify();
    backend_->Run(this);
    for (auto& [id, c] : conns_) {
      server_->pubsub.RemoveClient(c->client());
      close(c->fd());
    }
    server_->pubsub.Detach();
    server_->stats.connected_clients.fetch_sub(static_cast<int64_t>(conns_.size()));
    conns_.clear();
  });
}

absl::Status Worker::WaitStarted() {
  started_.WaitForNotification();
  return start_status_;
}

void Worker::Join() {
  if (thread_.joinable()) thread_.join();
}

void Worker::Post(std::function<void()> fn) {
  bool was_empty;
  {
    absl::MutexLock lock(&inbox_mu_);
    was_empty = inbox_.empty();
    inbox_.push_back(std::move(fn));
  }
  // A non-empty inbox already has a wake-up on its way (OnWake empties the inbox under the lock
  // before it runs anything), so a burst of PUBLISHes costs one eventfd write, not one each.
  if (was_empty && backend_ != nullptr) backend_->Wake();
}

void Worker::MakeBuffersResident() {
  if (backend_ != nullptr) backend_->MakeBuffersResident();
}

void Worker::KillClient(uint64_t id) {
  Post([this, id] {
    if (Connection* c = Find(id)) Close(c);
  });
}

void Worker::DeliverUnblocked(uint64_t client_id, std::shared_ptr<BlockedClient> waiter,
                              std::string reply) {
  Post([this, client_id, waiter = std::move(waiter), reply = std::move(reply)] {
    Connection* c = Find(client_id);
    if (c == nullptr || c->closing || c->client().blocked != waiter) return;
    Unblocked(c, reply);
  });
}

void Worker::DeliverTracking(uint64_t client_id, TrackingMessage message) {
  Post([this, client_id, message = std::move(message)] {
    Connection* c = Find(client_id);
    if (c == nullptr || c->closing) return;
    ClientState& client = c->client();
    if (message.broken_redirect != 0) {
      if (ClientInfo* info = client.info.get()) {
        info->tracking.fetch_or(kTrackingBrokenRedirect, std::memory_order_relaxed);
      }
    }
    const std::string bytes = EncodeTrackingMessage(message, client.resp, client.subscriptions > 0);
    if (bytes.empty()) return;
    c->output().Append(bytes);
    QueueFlush(c);
  });
}

void Worker::DeliverMonitorLine(uint64_t client_id, std::string line) {
  Post([this, client_id, line = std::move(line)] {
    Connection* c = Find(client_id);
    if (c == nullptr || c->closing || !c->client().monitor) return;
    c->output().Append(line);
    QueueFlush(c);
  });
}

void Worker::Unblocked(Connection* c, std::string_view reply) {
  c->client().blocked.reset();
  if (ClientInfo* info = c->client().info.get())
    info->blocked.store(false, std::memory_order_relaxed);
  c->output().Append(reply);
  c->last_interaction_ms = NowMs(*server_);
  if (!c->recv_paused && !c->ResumeInput(kPauseOutputBytes)) {
    Close(c);
    return;
  }
  Publish(c);
  if (c->output().size() > kPauseOutputBytes && !c->recv_paused) {
    c->recv_paused = true;
    backend_->PauseRecv(c->id(), c->fd());
  }
  if (!c->output().empty()) {
    QueueFlush(c);
  } else if (c->client().close_after_reply && !c->send_in_flight) {
    Close(c);
  }
}

void Worker::BeginShutdown() {
  Post([this] { DoShutdown(); });
}

void Worker::OnWake() {
  std::vector<std::function<void()>> work;
  {
    absl::MutexLock lock(&inbox_mu_);
    work.swap(inbox_);
  }
  for (auto& fn : work) fn();
}

Connection* Worker::Find(net::ConnId id) {
  auto it = conns_.find(id);
  return it == conns_.end() ? nullptr : it->second.get();
}

void Worker::OnAccept(int fd) {
  ServerStats& stats = server_->stats;
  if (shutting_down_) {
    close(fd);
    return;
  }
  const LiveOptions& live = server_->live;
  if (stats.connected_clients.load(std::memory_order_relaxed) >=
      live.maxclients.load(std::memory_order_relaxed)) {
    // Redis writes the error straight to the new socket and closes it; so do we (best effort).
    static constexpr std::string_view kReply = "-ERR max number of clients reached\r\n";
    ssize_t n = send(fd, kReply.data(), kReply.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)n;
    close(fd);
    stats.rejected_connections.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (live.protected_mode.load(std::memory_order_relaxed) && !live.has_requirepass() &&
      !net::IsLocalPeer(fd)) {
    ssize_t n = send(fd, errors::kProtectedMode.data(), errors::kProtectedMode.size(),
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)n;
    close(fd);
    stats.rejected_connections.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  net::ConfigureClientSocket(fd, live.tcp_keepalive_s.load(std::memory_order_relaxed));
  net::ConnId id = server_->next_client_id.fetch_add(1, std::memory_order_relaxed);
  auto conn = std::make_unique<Connection>(id, fd, server_, this);
  conn->recv_open = true;
  int64_t now = NowMs(*server_);
  conn->last_interaction_ms = now;
  auto info = std::make_shared<ClientInfo>();
  info->id = id;
  info->worker = index_;
  info->fd = fd;
  info->addr = net::SocketAddress(fd, /*local=*/false);
  info->laddr = net::SocketAddress(fd, /*local=*/true);
  info->created_ms = now;
  info->last_interaction_ms.store(now, std::memory_order_relaxed);
  conn->client().info = info;
  server_->clients.Add(std::move(info));
  conns_.emplace(id, std::move(conn));
  stats.connected_clients.fetch_add(1, std::memory_order_relaxed);
  stats.total_connections_received.fetch_add(1, std::memory_order_relaxed);
  backend_->StartRecv(id, fd);
}

void Worker::OnRecv(net::ConnId id, std::string_view data) {
  Connection* c = Find(id);
  if (c == nullptr || c->closing) return;
  server_->stats.total_net_input_bytes.fetch_add(static_cast<int64_t>(data.size()),
                                                 std::memory_order_relaxed);
  const int64_t now = NowMs(*server_);
  c->last_interaction_ms = now;
  if (!c->FeedInput(data, kPauseOutputBytes)) {
    Log(LogLevel::kWarning, "Closing client id=", id, " that reached max query buffer length");
    Close(c);
    return;
  }
  if (OverOutputLimit(c, now)) {
    Log(LogLevel::kWarning, "Client id=", id, " closed for overcoming of output buffer limits.");
    Close(c);
    return;
  }
  Publish(c);
  if (c->output().size() > kPauseOutputBytes && !c->recv_paused) {
    c->recv_paused = true;
    backend_->PauseRecv(id, c->fd());
  }
  if (!c->output().empty()) {
    QueueFlush(c);
  } else if (c->client().close_after_reply && !c->send_in_flight) {
    Close(c);
  }
}

void Worker::OnRecvEnded(net::ConnId id, int /*res*/) {
  Connection* c = Find(id);
  if (c == nullptr) return;
  c->recv_open = false;
  // End of stream or a receive error: the client is gone (or going); drop what it left unsent.
  Close(c);
}

void Worker::OnSendDone(net::ConnId id, int res) {
  Connection* c = Find(id);
  if (c == nullptr) return;
  c->send_in_flight = false;
  if (res < 0 || c->closing) {
    Close(c);  // may free c
    return;
  }
  server_->stats.total_net_output_bytes.fetch_add(res, std::memory_order_relaxed);
  c->output().Consume(static_cast<size_t>(res));
  Publish(c);
  if (c->recv_paused && c->output().size() <= kResumeOutputBytes) {
    c->recv_paused = false;
    c->ResumeInput(kPauseOutputBytes);
    if (c->output().size() > kPauseOutputBytes || shutting_down_) {
      c->recv_paused = true;  // still over: the backend stays paused
    } else {
      backend_->StartRecv(id, c->fd());
    }
  }
  if (!c->output().empty()) {
    QueueFlush(c);
  } else {
    AfterOutputDrained(c);
  }
}

void Worker::AfterOutputDrained(Connection* c) {
  if (c->client().close_after_reply) Close(c);
}

void Worker::QueueFlush(Connection* c) {
  if (c->queued_for_flush) return;
  c->queued_for_flush = true;
  flush_queue_.push_back(c->id());
}

void Worker::Flush(Connection* c) {
  if (c->send_in_flight || c->closing || c->output().empty()) return;
  c->send_in_flight = true;
  backend_->Send(c->id(), c->fd(), c->PrepareSend());
}

void Worker::OnBatchEnd() {
  if (!cut_off_.empty()) {
    std::vector<net::ConnId> cut;
    cut.swap(cut_off_);
    for (net::ConnId id : cut) {
      Connection* c = Find(id);
      if (c == nullptr) continue;
      Log(LogLevel::kWarning, "Client id=", id, " closed for overcoming of output buffer limits.");
      Close(c);
    }
  }
  // Index, do not iterate: a Send that completes at once (epoll) may queue this conn again.
  for (size_t i = 0; i < flush_queue_.size(); ++i) {
    Connection* c = Find(flush_queue_[i]);
    if (c == nullptr) continue;
    c->queued_for_flush = false;
    Flush(c);
  }
  flush_queue_.clear();
  if (shutting_down_) {
    bool busy = false;
    for (auto& [id, c] : conns_) busy |= c->send_in_flight;
    if (!busy) backend_->RequestStop();
  }
}

void Worker::Close(Connection* c) {
  if (!c->closing) {
    c->closing = true;
    // Out of every table at once: nothing is delivered to a closing connection.
    if (c->client().pubsub != nullptr) server_->pubsub.RemoveClient(c->client());
    if (c->client().monitor) server_->monitors.Remove(c->id());
    if (c->client().tracking != 0) server_->tracking.Disable(c->id());
    if (c->client().blocked != nullptr) {
      server_->blocking.Cancel(c->client().blocked);
      c->client().blocked.reset();
    }
    backend_->Shutdown(c->id(), c->fd());
  }
  MaybeFree(c);
}

void Worker::MaybeFree(Connection* c) {
  if (!c->closing || c->recv_open || c->send_in_flight) return;
  server_->clients.Remove(c->id());
  close(c->fd());
  server_->stats.connected_clients.fetch_sub(1, std::memory_order_relaxed);
  server_->stats.client_memory.fetch_sub(c->published_memory, std::memory_order_relaxed);
  conns_.erase(c->id());
}

void Worker::OnTick() {
  int64_t now = NowMs(*server_);
  int hz = server_->live.hz.load(std::memory_order_relaxed);
  if (hz != tick_hz_) {
    tick_hz_ = hz;
    backend_->SetTickHz(hz);
  }
  if (shutting_down_ && now >= shutdown_deadline_ms_) {
    backend_->RequestStop();
    return;
  }
  if (index_ == 0) {
    SampleOps(now);
    UpdateMemoryOverhead(*server_);
  }
  // Active expiry: every worker runs a slice each tick; the engine rotates over the shards, so
  // the work spreads across workers. Redis spends up to 25% of a tick here; we bound it to a
  // quarter of a tick divided among the workers.
  engine::ExpireCycleOptions expire;
  expire.time_budget_us = 250'000 / std::max(1, hz) / std::max(1, server_->worker_count);
  // DEBUG SET-ACTIVE-EXPIRE 0 stops background expiry (keys still expire when accessed).
  // Not while a script runs: it holds every shard, and this worker must stay free to answer
  // -BUSY and SCRIPT KILL.
  if (server_->live.active_expire_enabled.load(std::memory_order_relaxed) &&
      !server_->scripts.running()) {
    server_->engine->ActiveExpireCycle(expire);
  }
  const int64_t timeout_ms =
      static_cast<int64_t>(server_->live.timeout_s.load(std::memory_order_relaxed)) * 1000;
  std::vector<Connection*> doomed;
  std::vector<Connection*> timed_out;
  for (auto& [id, c] : conns_) {
    if (c->closing) continue;
    const std::shared_ptr<BlockedClient>& blocked = c->client().blocked;
    // The soft output limit is about time: a client that stopped reading is caught here even
    // though nothing else happens on its connection. Blocked clients are not idle (Redis).
    bool idle = timeout_ms > 0 && blocked == nullptr && now - c->last_interaction_ms > timeout_ms;
    if (idle || OverOutputLimit(c.get(), now)) {
      doomed.push_back(c.get());
    } else if (blocked != nullptr && blocked->deadline_ms != 0 && now > blocked->deadline_ms) {
      // Strictly past, as Redis compares: the deadline is in whole milliseconds from a clock read
      // up to 1 ms after the command arrived, so "at" could still be early.
      timed_out.push_back(c.get());
    }
  }
  for (Connection* c : doomed) Close(c);
  for (Connection* c : timed_out) {
    if (c->closing) continue;
    // Not cancelled: a writer served it a moment ago and its reply is in the inbox.
    std::shared_ptr<BlockedClient> w = c->client().blocked;
    if (!server_->blocking.Cancel(w)) continue;
    protocol::OutputBuffer out(64);
    protocol::ReplyEncoder reply(&out, w->resp);
    WriteTimeoutReply(reply);
    Unblocked(c, out.ToString());
  }
}

void Worker::SampleOps(int64_t now_ms) {
  ServerStats& stats = server_->stats;
  // Per-thread command counters summed (no shared counter on the command path).
  int64_t total = server_->command_stats.TotalCalls();
  // The oldest sample is the one about to be overwritten, or the first one while the ring is
  // still filling.
  auto [then_ms, then_total] = ops_samples_[ops_sample_next_];
  if (then_ms == 0) std::tie(then_ms, then_total) = ops_samples_[0];
  ops_samples_[ops_sample_next_] = {now_ms, total};
  ops_sample_next_ = (ops_sample_next_ + 1) % kOpsSamples;
  if (then_ms == 0 || now_ms <= then_ms || total < then_total) return;  // first tick or reset
  stats.instantaneous_ops_per_sec.store((total - then_total) * 1000 / (now_ms - then_ms),
                                        std::memory_order_relaxed);
}

bool Worker::OverOutputLimit(Connection* c, int64_t now_ms) {
  const LiveOptions& o = server_->live;
  const int64_t out = static_cast<int64_t>(c->output().size());
  // Redis's client classes: a client with any subscription is "pubsub", whatever its protocol.
  const bool pubsub = c->client().subscriptions > 0;
  const int64_t hard =
      (pubsub ? o.pubsub_hard_limit : o.output_hard_limit).load(std::memory_order_relaxed);
  const int64_t soft =
      (pubsub ? o.pubsub_soft_limit : o.output_soft_limit).load(std::memory_order_relaxed);
  const int soft_seconds =
      (pubsub ? o.pubsub_soft_seconds : o.output_soft_seconds).load(std::memory_order_relaxed);
  if (hard > 0 && out > hard) return true;
  if (soft <= 0 || out <= soft) {
    c->soft_limit_since_ms = 0;
    return false;
  }
  if (c->soft_limit_since_ms == 0) {
    c->soft_limit_since_ms = now_ms;
    return false;
  }
  return now_ms - c->soft_limit_since_ms > static_cast<int64_t>(soft_seconds) * 1000;
}

void Worker::OnPubSubOutput(Connection* c) {
  const LiveOptions& o = server_->live;
  const int64_t out = static_cast<int64_t>(c->output().size());
  const int64_t hard = o.pubsub_hard_limit.load(std::memory_order_relaxed);
  const int64_t soft = o.pubsub_soft_limit.load(std::memory_order_relaxed);
  // The clock is read only past the soft limit, so a healthy subscriber costs two loads here.
  // A client cut off stops growing at once (WritePubSubMessage drops what follows) and is
  // closed after the delivery, which must not change the tables it is walking.
  if ((hard > 0 && out > hard) || (soft > 0 && out > soft && OverOutputLimit(c, NowMs(*server_)))) {
    c->output_cut = true;
    cut_off_.push_back(c->id());
    return;
  }
  QueueFlush(c);
}

int64_t Worker::ClientMemory(Connection& c) {
  return static_cast<int64_t>(sizeof(Connection) + sizeof(ClientInfo) + c.pending_input_capacity() +
                              c.output().allocated_bytes());
}

void Worker::Publish(Connection* c) {
  ClientInfo* info = c->client().info.get();
  info->last_interaction_ms.store(c->last_interaction_ms, std::memory_order_relaxed);
  info->query_buffer_bytes.store(static_cast<int64_t>(c->pending_input_size()),
                                 std::memory_order_relaxed);
  info->output_bytes.store(static_cast<int64_t>(c->output().size()), std::memory_order_relaxed);
  // The running total counted against maxmemory, kept only while maxmemory is set (an atomic
  // add per change: about 80 instructions per request at pipeline 1) and until what this
  // connection added is taken back.
  if (server_->live.maxmemory.load(std::memory_order_relaxed) > 0 || c->published_memory != 0) {
    const int64_t held = ClientMemory(*c);
    if (held != c->published_memory) {
      server_->stats.client_memory.fetch_add(held - c->published_memory, std::memory_order_relaxed);
      c->published_memory = held;
    }
  }
}

void Worker::DoShutdown() {
  shutting_down_ = true;
  shutdown_deadline_ms_ = NowMs(*server_) + kShutdownFlushMs;
  for (auto& [id, c] : conns_) {
    if (!c->recv_paused && c->recv_open) {
      c->recv_paused = true;
      backend_->PauseRecv(id, c->fd());
    }
  }
}

}  // namespace ringkv::server
