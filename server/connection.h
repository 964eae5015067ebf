// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Connection: one client on one worker. Holds what the wire needs (parser, unparsed input,
// encoded but unsent output, the send in flight) and the ClientState commands see. Input is parsed
// straight from the backend's receive buffer; only the tail of a command that is cut by the end of
// a receive is copied into `pending_input`, so most commands are never copied.
//
// A connection is also its client's pub/sub sink: published messages are appended to its output
// and its worker is told to flush them.
//
// Thread safety: owned and touched only by its worker's thread.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/output_buffer.h"
#include "protocol/reply_encoder.h"
#include "protocol/request_parser.h"
#include "server/net/io_backend.h"
#include "server/pubsub.h"
#include "server/server_context.h"

namespace ringkv::server {

class Worker;

class Connection final : public PubSubSink {
 public:
  static constexpr int kMaxIov = 64;

  // `worker` (may be null in tests) is told when a pub/sub message is appended.
  Connection(net::ConnId id, int fd, ServerContext* server, Worker* worker);
  ~Connection() override = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  net::ConnId id() const { return id_; }
  int fd() const { return fd_; }
  ClientState& client() { return client_; }
  protocol::OutputBuffer& output() { return output_; }

  // Parses and runs every complete command in `data` (plus what was pending). Stops early when
  // the connection must close, or when unsent output is over `pause_output_bytes` (the rest is
  // kept in pending_input until ResumeInput()). Returns false if the query buffer limit was
  // exceeded: the caller closes without a reply, as Redis does.
  bool FeedInput(std::string_view data, size_t pause_output_bytes);

  // Runs what was kept while paused. Same contract as FeedInput.
  bool ResumeInput(size_t pause_output_bytes);

  // Builds msghdr over the unsent output. REQUIRES: !output().empty().
  struct msghdr* PrepareSend();

  bool has_pending_input() const { return !pending_input_.empty(); }

  // PubSubSink: appends the message unless the connection is closing or was cut off.
  void WritePubSubMessage(std::string_view body) override;

  // Lifecycle flags, driven by the worker.
  bool recv_open = false;       // a receive is armed or paused (not ended)
  bool recv_paused = false;     // PauseRecv was called for backpressure
  bool send_in_flight = false;  // a Send is in the kernel
  bool closing = false;         // Shutdown requested; waiting for in-flight operations
  bool shut = false;            // backend Shutdown() was called
  bool queued_for_flush = false;
  bool output_cut = false;  // broke its output limit during a pub/sub delivery; closes soon
  int64_t last_interaction_ms = 0;
  // Bytes this connection last added to ServerStats::client_memory (Worker::Publish).
  int64_t published_memory = 0;
  int64_t soft_limit_since_ms = 0;  // when output went over the soft limit; 0: it is not
  size_t pending_input_size() const { return pending_input_.size(); }
  size_t pending_input_capacity() const { return pending_input_.capacity(); }

 private:
  // Parses commands from `buf`; returns bytes consumed.
  size_t ParseAndRun(std::string_view buf, size_t pause_output_bytes);
  // Runs one command, honouring CLIENT REPLY OFF/SKIP.
  void Run(const std::vector<std::string_view>& args);

  net::ConnId id_;
  int fd_;
  ServerContext* server_;
  Worker* worker_;
  ClientState client_;
  protocol::RequestParser parser_;
  protocol::OutputBuffer output_;
  protocol::ReplyEncoder encoder_;
  std::string pending_input_;
  const CommandSpec* last_command_ = nullptr;  // Dispatch's lookup cache
  // Where replies go while CLIENT REPLY suppresses them (created on first use).
  std::unique_ptr<protocol::OutputBuffer> discard_;
  struct iovec iov_[kMaxIov];
  struct msghdr msg_ {};
};

}  // namespace ringkv::server
