// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-cli's modes (see cli_session.h). Messages and exit codes copy redis-cli's so scripts
// written against redis-cli keep working.
#include "client/cli/cli_session.h"

#include <poll.h>
#include <strings.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <span>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "client/cli/split_args.h"
#include "client/connection.h"

namespace ringkv::client::cli {
namespace {

void PrintStatus(std::FILE* f, const char* prefix, const absl::Status& s) {
  std::fprintf(f, "%s%.*s\n", prefix, static_cast<int>(s.message().size()), s.message().data());
}

void Write(std::FILE* f, const std::string& s) { std::fwrite(s.data(), 1, s.size(), f); }

bool IsSelect(const std::vector<std::string>& args) {
  return args.size() == 2 && strcasecmp(args[0].c_str(), "select") == 0;
}

void SleepSeconds(double seconds) {
  if (seconds > 0) absl::SleepFor(absl::Seconds(seconds));
}

}  // namespace

std::optional<std::string> StdioLineReader::ReadLine(const std::string& /*prompt*/) {
  std::string line;
  int c;
  while ((c = std::fgetc(in_)) != EOF) {
    if (c == '\n') return line;
    line.push_back(static_cast<char>(c));
  }
  if (line.empty()) return std::nullopt;
  return line;
}

std::string Prompt(const Options& options, int db, bool connected) {
  if (!connected) return "not connected> ";
  std::string p;
  if (!options.unix_path.empty()) {
    p = "redis " + options.unix_path;
  } else if (options.host.find(':') != std::string::npos) {
    p = absl::StrCat("[", options.host, "]:", options.port);  // IPv6
  } else {
    p = absl::StrCat(options.host, ":", options.port);
  }
  if (db != 0) absl::StrAppend(&p, "[", db, "]");
  return p + "> ";
}

int RunOneShot(const CliArgs& args, OutputMode mode, std::FILE* out, std::FILE* err) {
  absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Connect(args.connection);
  if (!conn.ok()) {
    PrintStatus(err, "", conn.status());
    return 1;
  }
  for (int64_t i = 0; args.repeat < 0 || i < args.repeat; ++i) {
    absl::StatusOr<protocol::Reply> reply = (*conn)->Command(std::span(args.command));
    if (!reply.ok()) {
      PrintStatus(err, "Error: ", reply.status());
      return 1;
    }
    Write(out, FormatForCommand(*reply, mode, args.command));
    std::fflush(out);  // grep-friendly, as redis-cli
    SleepSeconds(args.interval_seconds);
  }
  return 0;
}

int RunInteractive(const CliArgs& args, OutputMode mode, LineReader* reader, std::FILE* out,
                   std::FILE* err) {
  Options options = args.connection;
  int db = options.db;
  std::unique_ptr<Connection> conn;
  auto connect = [&]() {
    options.db = db;
    absl::StatusOr<std::unique_ptr<Connection>> c = Connection::Connect(options);
    if (c.ok()) {
      conn = *std::move(c);
    } else {
      PrintStatus(err, "", c.status());
    }
  };
  connect();
  while (true) {
    std::optional<std::string> line = reader->ReadLine(Prompt(options, db, conn != nullptr));
    if (!line.has_value()) break;
    std::optional<std::vector<std::string>> words = SplitArgs(*line);
    if (!words.has_value()) {
      std::fprintf(out, "Invalid argument(s)\n");
      continue;
    }
    if (words->empty()) continue;
    reader->AddHistory(*line);
    if (strcasecmp((*words)[0].c_str(), "quit") == 0 ||
        strcasecmp((*words)[0].c_str(), "exit") == 0) {
      break;
    }
    // "3 incr a" runs INCR three times, as in redis-cli.
    int64_t repeat = 1;
    if (words->size() > 1 && absl::SimpleAtoi((*words)[0], &repeat)) {
      words->erase(words->begin());
    } else {
      repeat = 1;
    }
    if (conn == nullptr) {
      connect();
      if (conn == nullptr) continue;
    }
    for (int64_t i = 0; i < repeat; ++i) {
      absl::StatusOr<protocol::Reply> reply = conn->Command(std::span(*words));
      if (!reply.ok()) {
        PrintStatus(err, "Error: ", reply.status());
        conn.reset();  // reconnect on the next command, as redis-cli does
        break;
      }
      Write(out, FormatForCommand(*reply, mode, *words));
      if (IsSelect(*words) && !reply->is_error()) db = std::atoi((*words)[1].c_str());
    }
    std::fflush(out);
  }
  return 0;
}

int RunPipe(const CliArgs& args, int in_fd, std::FILE* out, std::FILE* err) {
  absl::StatusOr<std::unique_ptr<Connection>> conn_or = Connection::Connect(args.connection);
  if (!conn_or.ok()) {
    PrintStatus(err, "", conn_or.status());
    return 1;
  }
  Connection& conn = **conn_or;
  // The end of the input is found by sending ECHO of a random marker and waiting for it to come
  // back; the leading CRLF ends an inline command the input may have left unterminated.
  std::string magic(20, ' ');
  std::mt19937_64 rng(static_cast<uint64_t>(absl::ToUnixNanos(absl::Now())) ^ getpid());
  for (char& c : magic) c = "0123456789abcdef"[rng() % 16];
  constexpr size_t kMaxBuffered = 1 << 20;
  bool eof = false;
  int64_t errors = 0, replies = 0;
  absl::Time last_reply = absl::Now();
  std::vector<char> chunk(64 * 1024);
  while (true) {
    pollfd fds[2] = {{conn.fd(), POLLIN, 0}, {in_fd, 0, 0}};
    if (conn.pending_output() > 0) fds[0].events |= POLLOUT;
    if (!eof && conn.pending_output() < kMaxBuffered) fds[1].events = POLLIN;
    int n = poll(fds, fds[1].events ? 2 : 1, 1000);
    if (n < 0 && errno != EINTR) {
      std::fprintf(err, "poll: %s\n", std::strerror(errno));
      return 1;
    }
    if (n > 0 && fds[1].revents) {
      ssize_t got = read(in_fd, chunk.data(), chunk.size());
      if (got > 0) {
        conn.AppendRaw(std::string_view(chunk.data(), static_cast<size_t>(got)));
      } else if (got == 0 || errno != EINTR) {
        eof = true;
        conn.AppendRaw(absl::StrCat("\r\n*2\r\n$4\r\nECHO\r\n$20\r\n", magic, "\r\n"));
        std::fprintf(out, "All data transferred. Waiting for the last reply...\n");
        std::fflush(out);
        last_reply = absl::Now();
      }
    }
    if (conn.pending_output() > 0) {
      absl::StatusOr<size_t> left = conn.WriteSome();
      if (!left.ok()) {
        PrintStatus(err, "Error writing to the server: ", left.status());
        return 1;
      }
    }
    if (n > 0 && fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
      absl::StatusOr<size_t> got = conn.ReadSome();
      bool closed = !got.ok();
      protocol::Reply reply;
      while (true) {
        absl::StatusOr<bool> more = conn.NextReply(&reply);
        if (!more.ok() || !*more) break;
        last_reply = absl::Now();
        if (reply.is_error()) {
          std::fprintf(err, "%s\n", reply.str.c_str());
          ++errors;
        } else if (eof && reply.type == protocol::Reply::Type::kBulk && reply.str == magic) {
          std::fprintf(out, "Last reply received from server.\n");
          std::fprintf(out, "errors: %lld, replies: %lld\n", static_cast<long long>(errors),
                       static_cast<long long>(replies));
          return errors == 0 ? 0 : 1;
        }
        ++replies;
      }
      if (closed) {
        PrintStatus(err, "Error reading from the server: ", got.status());
        return 1;
      }
    }
    if (eof && args.pipe_timeout_seconds > 0 &&
        absl::Now() - last_reply > absl::Seconds(args.pipe_timeout_seconds)) {
      std::fprintf(err, "No replies for %g seconds: exiting.\n", args.pipe_timeout_seconds);
      std::fprintf(out, "errors: %lld, replies: %lld\n", static_cast<long long>(errors),
                   static_cast<long long>(replies));
      return 1;
    }
  }
}

}  // namespace ringkv::client::cli
