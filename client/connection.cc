// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// client::Connection and client::Pipeline (see connection.h): buffering, the blocking loops built
// on poll(), and the connect-time handshake.
#include "client/connection.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/detail/socket.h"
#include "protocol/command_encoder.h"

namespace ringkv::client {
namespace {

using protocol::ParseStatus;
using protocol::Reply;

constexpr size_t kMinReadSpace = 16 * 1024;
constexpr size_t kInitialReadBuffer = 64 * 1024;

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// protocol::EncodeCommand takes views; commands held as std::string are viewed without copying
// (on the stack for the usual short command).
void EncodeStrings(std::span<const std::string> args, std::string* out) {
  constexpr size_t kSmall = 16;
  if (args.size() <= kSmall) {
    std::string_view views[kSmall];
    for (size_t i = 0; i < args.size(); ++i) views[i] = args[i];
    protocol::EncodeCommand(std::span<const std::string_view>(views, args.size()), out);
    return;
  }
  std::vector<std::string_view> views(args.begin(), args.end());
  protocol::EncodeCommand(std::span<const std::string_view>(views), out);
}

}  // namespace

std::string EndpointName(const Options& options) {
  if (!options.unix_path.empty()) return options.unix_path;
  return absl::StrCat(options.host, ":", options.port);
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Connect(const Options& options) {
  absl::StatusOr<int> fd = detail::Dial(options);
  if (!fd.ok()) return fd.status();
  std::unique_ptr<Connection> conn(new Connection(*fd, options));
  absl::Status s = conn->Handshake();
  if (!s.ok()) return s;
  return conn;
}

Connection::Connection(int fd, const Options& options)
    : fd_(fd),
      options_(options),
      rbuf_(std::make_unique_for_overwrite<char[]>(kInitialReadBuffer)),
      rcap_(kInitialReadBuffer) {}

Connection::~Connection() {
  if (fd_ >= 0) close(fd_);
}

absl::Status Connection::Handshake() {
  // Same order as redis-cli: AUTH, SELECT, then HELLO 3, so a server without HELLO still gets
  // a useful error about the protocol rather than about authentication.
  if (!options_.password.empty()) {
    absl::StatusOr<Reply> r = options_.user.empty()
                                  ? Command({"AUTH", options_.password})
                                  : Command({"AUTH", options_.user, options_.password});
    if (!r.ok()) return r.status();
    if (r->is_error()) return absl::PermissionDeniedError(absl::StrCat("AUTH failed: ", r->str));
  }
  if (options_.db != 0) {
    std::string db = std::to_string(options_.db);
    absl::StatusOr<Reply> r = Command({"SELECT", db});
    if (!r.ok()) return r.status();
    if (r->is_error()) {
      return absl::FailedPreconditionError(absl::StrCat("SELECT ", db, " failed: ", r->str));
    }
  }
  if (options_.resp3) {
    absl::StatusOr<Reply> r = Command({"HELLO", "3"});
    if (!r.ok()) return r.status();
    if (r->is_error()) {
      return absl::FailedPreconditionError(absl::StrCat("HELLO 3 failed: ", r->str));
    }
    hello_ = *std::move(r);
  }
  return absl::OkStatus();
}

absl::Status Connection::Fail(absl::Status status) {
  if (status_.ok()) {
    status_ = std::move(status);
    // The stream position is unknown after a failure (a late reply could be taken for the
    // answer to the next command), so the socket is closed rather than reused.
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  return status_;
}

absl::StatusOr<Reply> Connection::Command(std::initializer_list<std::string_view> args) {
  return Command(std::span<const std::string_view>(args.begin(), args.size()));
}

absl::StatusOr<Reply> Connection::Command(std::span<const std::string> args) {
  Append(args);
  absl::StatusOr<std::vector<Reply>> replies = Roundtrip(1);
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<Reply> Connection::Command(std::span<const std::string_view> args) {
  Append(args);
  absl::StatusOr<std::vector<Reply>> replies = Roundtrip(1);
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

void Connection::Append(std::span<const std::string_view> args) {
  protocol::EncodeCommand(args, &wbuf_);
}

void Connection::Append(std::span<const std::string> args) { EncodeStrings(args, &wbuf_); }

void Connection::AppendRaw(std::string_view bytes) { wbuf_.append(bytes); }

absl::StatusOr<short> Connection::Wait(short events) {  // NOLINT
  if (!status_.ok()) return status_;
  absl::StatusOr<short> revents = detail::PollFd(fd_, events, options_.io_timeout);  // NOLINT
  if (revents.ok()) return revents;
  if (absl::IsDeadlineExceeded(revents.status())) {
    return Fail(absl::DeadlineExceededError(absl::StrCat("Timed out after ",
                                                         absl::FormatDuration(options_.io_timeout),
                                                         " waiting for ", EndpointName(options_))));
  }
  return Fail(revents.status());
}

absl::StatusOr<size_t> Connection::WriteSome() {
  if (!status_.ok()) return status_;
  while (wpos_ < wbuf_.size()) {
    ssize_t n = send(fd_, wbuf_.data() + wpos_, wbuf_.size() - wpos_, MSG_NOSIGNAL);
    if (n > 0) {
      wpos_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
    return Fail(absl::UnavailableError(
        absl::StrCat("Error writing to ", EndpointName(options_), ": ", std::strerror(errno))));
  }
  if (wpos_ == wbuf_.size()) {
    wbuf_.clear();
    wpos_ = 0;
  } else if (wpos_ > wbuf_.size() / 2 && wpos_ > kMinReadSpace) {
    wbuf_.erase(0, wpos_);  // keep the buffer from growing while a big pipeline drains
    wpos_ = 0;
  }
  return wbuf_.size() - wpos_;
}

absl::StatusOr<size_t> Connection::ReadSome() {
  if (!status_.ok()) return status_;
  size_t total = 0;
  while (true) {
    if (rend_ == rpos_) rpos_ = rend_ = 0;
    if (rcap_ - rend_ < kMinReadSpace) {
      if (rpos_ > 0) {
        std::memmove(rbuf_.get(), rbuf_.get() + rpos_, rend_ - rpos_);
        rend_ -= rpos_;
        rpos_ = 0;
      }
      if (rcap_ - rend_ < kMinReadSpace) {
        auto bigger = std::make_unique_for_overwrite<char[]>(rcap_ * 2);
        std::memcpy(bigger.get(), rbuf_.get(), rend_);
        rbuf_ = std::move(bigger);
        rcap_ *= 2;
      }
    }
    ssize_t n = read(fd_, rbuf_.get() + rend_, rcap_ - rend_);
    if (n > 0) {
      rend_ += static_cast<size_t>(n);
      total += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return total;
    // Replies that arrived just before the close are still delivered; the close is reported
    // on the next read.
    if (total > 0) return total;
    if (n == 0) {
      return Fail(absl::UnavailableError(
          absl::StrCat("Server closed the connection (", EndpointName(options_), ")")));
    }
    return Fail(absl::UnavailableError(
        absl::StrCat("Error reading from ", EndpointName(options_), ": ", std::strerror(errno))));
  }
}

absl::StatusOr<bool> Connection::NextReply(Reply* out) {
  if (rpos_ == rend_) return status_.ok() ? absl::StatusOr<bool>(false) : status_;
  size_t consumed = 0;
  ParseStatus ps =
      parser_.Parse(std::string_view(rbuf_.get() + rpos_, rend_ - rpos_), &consumed, out);
  switch (ps) {
    case ParseStatus::kOk:
      rpos_ += consumed;
      return true;
    case ParseStatus::kNeedMore:
      return status_.ok() ? absl::StatusOr<bool>(false) : status_;
    case ParseStatus::kError:
      break;
  }
  return Fail(absl::InternalError(absl::StrCat("Protocol error from ", EndpointName(options_), ": ",
                                               AbslView(parser_.error()))));
}

absl::Status Connection::Flush() {
  while (true) {
    absl::StatusOr<size_t> left = WriteSome();
    if (!left.ok()) return left.status();
    if (*left == 0) return absl::OkStatus();
    absl::StatusOr<short> ready = Wait(POLLOUT);  // NOLINT
    if (!ready.ok()) return ready.status();
  }
}

absl::StatusOr<Reply> Connection::ReadReply() {
  absl::StatusOr<std::vector<Reply>> replies = Roundtrip(1);
  if (!replies.ok()) return replies.status();
  return std::move(replies->front());
}

absl::StatusOr<std::vector<Reply>> Connection::Roundtrip(size_t n) {
  std::vector<Reply> replies;
  replies.reserve(n);
  if (!status_.ok()) return status_;
  // Push what we can before waiting: usually everything fits in the socket buffer at once.
  absl::StatusOr<size_t> left = WriteSome();
  if (!left.ok()) return left.status();
  while (true) {
    while (replies.size() < n) {
      Reply reply;
      absl::StatusOr<bool> got = NextReply(&reply);
      if (!got.ok()) return got.status();
      if (!*got) break;
      replies.push_back(std::move(reply));
    }
    if (replies.size() == n) return replies;
    short events = POLLIN | (pending_output() > 0 ? POLLOUT : 0);  // NOLINT
    absl::StatusOr<short> revents = Wait(events);                  // NOLINT
    if (!revents.ok()) return revents.status();
    if (pending_output() > 0 && (*revents & (POLLOUT | POLLERR))) {
      left = WriteSome();
      if (!left.ok()) return left.status();
    }
    if (*revents & (POLLIN | POLLHUP | POLLERR)) {
      absl::StatusOr<size_t> got = ReadSome();
      if (!got.ok()) return got.status();
    }
  }
}

Pipeline& Pipeline::Append(std::initializer_list<std::string_view> args) {
  return Append(std::span<const std::string_view>(args.begin(), args.size()));
}

Pipeline& Pipeline::Append(std::span<const std::string> args) {
  EncodeStrings(args, &encoded_);
  ++queued_;
  return *this;
}

Pipeline& Pipeline::Append(std::span<const std::string_view> args) {
  protocol::EncodeCommand(args, &encoded_);
  ++queued_;
  return *this;
}

absl::StatusOr<std::vector<Reply>> Pipeline::Exec() {
  connection_->AppendRaw(encoded_);
  size_t n = queued_;
  encoded_.clear();
  queued_ = 0;
  if (n == 0) return std::vector<Reply>();
  return connection_->Roundtrip(n);
}

}  // namespace ringkv::client
