// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// client::Connection: one RESP2/RESP3 connection to a Redis-compatible server over TCP or a unix
// socket. Blocking calls (Command, Pipeline::Exec) wait with poll() and honour the timeouts in
// Options; lower-level non-blocking pieces (Append, WriteSome, ReadSome, NextReply) let an event
// loop such as ringkv-bench multiplex many connections itself.
//
// Errors never cross the API as exceptions. A reply the server sent, error replies included, is
// an ok StatusOr holding a protocol::Reply (type kError for "-ERR ..."). A non-ok Status means the
// transport failed: refused, closed, timed out, or a malformed reply. Such a failure breaks the
// connection for good; every later call returns the same Status (connect again to recover).
//
// Push messages (RESP3 '>') are returned in order like any other reply; a connection that enables
// client tracking or subscribes must expect them.
//
// Thread safety: a Connection is used by one thread at a time.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/options.h"
#include "protocol/reply_parser.h"

namespace ringkv::client {

class Connection {
 public:
  // Connects, then sends AUTH (when options.password is set), SELECT (when options.db != 0) and
  // HELLO 3 (when options.resp3), in that order, as redis-cli does. Fails with Unavailable
  // ("Could not connect to Redis at 127.0.0.1:6379: Connection refused"), DeadlineExceeded, or
  // PermissionDenied / FailedPrecondition carrying the server's error for a refused handshake.
  static absl::StatusOr<std::unique_ptr<Connection>> Connect(const Options& options);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Sends one command and waits for its reply.
  absl::StatusOr<protocol::Reply> Command(std::initializer_list<std::string_view> args);
  absl::StatusOr<protocol::Reply> Command(std::span<const std::string> args);
  absl::StatusOr<protocol::Reply> Command(std::span<const std::string_view> args);

  // --- Lower level. Appending only buffers bytes; nothing is sent until a write.

  // Encodes one command as a RESP multibulk array into the output buffer.
  void Append(std::span<const std::string_view> args);
  void Append(std::span<const std::string> args);
  // Buffers bytes as they are (already-encoded RESP or inline commands).
  void AppendRaw(std::string_view bytes);

  // Writes everything buffered, waiting up to io_timeout for each bit of progress.
  [[nodiscard]] absl::Status Flush();
  // Waits for and returns the next reply.
  absl::StatusOr<protocol::Reply> ReadReply();
  // Writes what is buffered while reading replies, until `n` replies have arrived. Reading and
  // writing at the same time matters for big pipelines: a server that stops reading while its
  // replies are unread would otherwise deadlock with a client that writes everything first.
  absl::StatusOr<std::vector<protocol::Reply>> Roundtrip(size_t n);

  // Non-blocking: writes as much as the socket takes now. Returns the bytes still buffered.
  absl::StatusOr<size_t> WriteSome();
  // Non-blocking: reads what has arrived. Returns the bytes read, 0 when nothing was there.
  // A closed connection is Unavailable.
  absl::StatusOr<size_t> ReadSome();
  // Parses the next complete reply from bytes already read into *out. Returns false when the
  // buffered bytes do not hold a whole reply yet (read more first).
  absl::StatusOr<bool> NextReply(protocol::Reply* out);

  size_t pending_output() const { return wbuf_.size() - wpos_; }
  int fd() const { return fd_; }
  bool resp3() const { return options_.resp3; }
  const Options& options() const { return options_; }
  // The server's HELLO 3 reply (a map) when options.resp3; a kNull reply otherwise.
  const protocol::Reply& hello() const { return hello_; }
  // OK while the connection is usable; the failure that broke it otherwise.
  const absl::Status& status() const { return status_; }

 private:
  Connection(int fd, const Options& options);
  [[nodiscard]] absl::Status Handshake();
  // Waits up to io_timeout until fd_ is ready for `events` (POLLIN/POLLOUT).
  absl::StatusOr<short> Wait(short events);  // NOLINT(runtime/int): poll's type
  absl::Status Fail(absl::Status status);

  int fd_;
  Options options_;
  absl::Status status_;
  std::string wbuf_;  // encoded commands; bytes before wpos_ are sent
  size_t wpos_ = 0;
  std::unique_ptr<char[]> rbuf_;  // received bytes [rpos_, rend_) not yet parsed
  size_t rcap_ = 0;
  size_t rpos_ = 0;
  size_t rend_ = 0;
  protocol::ReplyParser parser_;
  protocol::Reply hello_;
};

// An explicit pipeline: queue N commands, send them with one write, read N replies.
//
//   client::Pipeline p(conn);
//   p.Append({"SET", "a", "1"}).Append({"GET", "a"});
//   absl::StatusOr<std::vector<protocol::Reply>> replies = p.Exec();
//
// Exec returns the replies in command order (server errors are kError replies, one per failed
// command) or the transport failure. The pipeline is empty again after Exec.
class Pipeline {
 public:
  // REQUIRES: connection outlives the pipeline.
  explicit Pipeline(Connection* connection) : connection_(connection) {}

  Pipeline& Append(std::initializer_list<std::string_view> args);
  Pipeline& Append(std::span<const std::string> args);
  Pipeline& Append(std::span<const std::string_view> args);
  size_t size() const { return queued_; }

  absl::StatusOr<std::vector<protocol::Reply>> Exec();

 private:
  Connection* connection_;
  std::string encoded_;  // the queued commands, kept apart so the connection stays usable
  size_t queued_ = 0;
};

}  // namespace ringkv::client
