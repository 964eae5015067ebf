// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/connection.h"

#include "server/dispatcher.h"
#include "server/worker.h"

namespace ringkv::server {

Connection::Connection(net::ConnId id, int fd, ServerContext* server, Worker* worker)
    : id_(id),
      fd_(fd),
      server_(server),
      worker_(worker),
      parser_(server->options.parser_limits),
      encoder_(&output_) {
  client_.id = id;
  AclSetDefaultUser(*server, client_);
  client_.pubsub_sink = this;
}

void Connection::WritePubSubMessage(std::string_view body) {
  if (closing || output_cut) return;
  output_.Append(client_.resp == protocol::RespVersion::kResp3 ? '>' : '*');
  output_.Append(body);
  if (worker_ != nullptr) worker_->OnPubSubOutput(this);
}

size_t Connection::ParseAndRun(std::string_view buf, size_t pause_output_bytes) {
  size_t pos = 0;
  // A blocked client runs nothing more until it is served (what follows stays pending).
  while (pos < buf.size() && !client_.close_after_reply && client_.blocked == nullptr) {
    if (output_.size() > pause_output_bytes) break;
    size_t consumed = 0;
    protocol::ParseStatus st = parser_.Parse(buf.substr(pos), &consumed);
    if (st == protocol::ParseStatus::kNeedMore) break;
    if (st == protocol::ParseStatus::kError) {
      // Redis answers a protocol error and closes the connection once the reply is out.
      encoder_.Error(parser_.error());
      client_.close_after_reply = true;
      parser_.Reset();
      return buf.size();
    }
    pos += consumed;
    const auto& args = parser_.args();
    if (!args.empty()) Run(args);
  }
  return pos;
}

void Connection::Run(const std::vector<std::string_view>& args) {
  const ReplyMode mode = client_.reply_mode;
  if (mode == ReplyMode::kOn) {
    Dispatch(*server_, client_, encoder_, args, &last_command_);
    return;
  }
  // CLIENT REPLY OFF or SKIP: encode into a buffer that is thrown away. The one reply that
  // still goes out is CLIENT REPLY ON's own +OK, recognised by the mode it switched back on.
  if (discard_ == nullptr) discard_ = std::make_unique<protocol::OutputBuffer>(4096);
  protocol::ReplyEncoder discard(discard_.get(), client_.resp);
  if (mode == ReplyMode::kSkipNext) client_.reply_mode = ReplyMode::kOn;
  Dispatch(*server_, client_, discard, args);
  if (mode == ReplyMode::kOff && client_.reply_mode == ReplyMode::kOn) {
    output_.Append(discard_->ToString());
  }
  discard_->Clear();
  encoder_.set_version(client_.resp);  // HELLO may have run unanswered
}

bool Connection::FeedInput(std::string_view data, size_t pause_output_bytes) {
  if (client_.close_after_reply) return true;  // nothing more is read after QUIT or an error
  // Limits can change with CONFIG SET; they apply from the next read on.
  const LiveOptions& live = server_->live;
  const int64_t query_limit = live.client_query_buffer_limit.load(std::memory_order_relaxed);
  protocol::ParserLimits limits = server_->options.parser_limits;
  limits.max_bulk_len = live.proto_max_bulk_len.load(std::memory_order_relaxed);
  parser_.set_limits(limits);
  if (pending_input_.empty() && !recv_paused) {
    size_t used = ParseAndRun(data, pause_output_bytes);
    if (used < data.size()) pending_input_.assign(data.substr(used));
  } else {
    pending_input_.append(data);
    if (!recv_paused) {
      size_t used = ParseAndRun(pending_input_, pause_output_bytes);
      pending_input_.erase(0, used);
    }
  }
  if (parser_.in_progress() && parser_.bytes_needed_hint() > pending_input_.capacity()) {
    // Grow once for a large bulk instead of doubling through it. The hint never exceeds the
    // bulk length limit, and the query buffer limit below caps what is really kept.
    size_t want = parser_.bytes_needed_hint();
    if (static_cast<int64_t>(want) <= query_limit) {
      pending_input_.reserve(want);
    }
  }
  return static_cast<int64_t>(pending_input_.size()) <= query_limit;
}

bool Connection::ResumeInput(size_t pause_output_bytes) {
  if (pending_input_.empty() || client_.close_after_reply) return true;
  size_t used = ParseAndRun(pending_input_, pause_output_bytes);
  pending_input_.erase(0, used);
  return true;
}

struct msghdr* Connection::PrepareSend() {
  int n = output_.FillIovecs(iov_, kMaxIov);
  msg_ = {};
  msg_.msg_iov = iov_;
  msg_.msg_iovlen = static_cast<size_t>(n);
  return &msg_;
}

}  // namespace ringkv::server
