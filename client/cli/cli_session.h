// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// What ringkv-cli does once its flags are parsed: one-shot commands, the interactive loop, and
// --pipe mode. Input comes through a LineReader (libedit on a terminal, plain stdio otherwise)
// and output goes to FILE*s, so the loops run the same under tests as in a terminal.
#pragma once

#include <cstdio>
#include <optional>
#include <string>

#include "client/cli/cli_args.h"
#include "client/cli/reply_format.h"

namespace ringkv::client::cli {

// A source of interactive input lines.
class LineReader {
 public:
  virtual ~LineReader() = default;
  // The next line without its newline, or nullopt at end of input.
  virtual std::optional<std::string> ReadLine(const std::string& prompt) = 0;
  // Called for each line that was run, for history.
  virtual void AddHistory(const std::string& /*line*/) {}
};

// Reads lines from a FILE* without prompting (redis-cli's behaviour when stdin is not a tty).
class StdioLineReader : public LineReader {
 public:
  explicit StdioLineReader(std::FILE* in) : in_(in) {}
  std::optional<std::string> ReadLine(const std::string& prompt) override;

 private:
  std::FILE* in_;
};

// Each returns the process exit code (0 ok, 1 failure), as redis-cli: 1 when the connection
// cannot be made or breaks, or when --pipe saw error replies.
int RunOneShot(const CliArgs& args, OutputMode mode, std::FILE* out, std::FILE* err);
int RunInteractive(const CliArgs& args, OutputMode mode, LineReader* reader, std::FILE* out,
                   std::FILE* err);
int RunPipe(const CliArgs& args, int in_fd, std::FILE* out, std::FILE* err);

// "127.0.0.1:6379> ", "127.0.0.1:6379[2]> ", "/tmp/r.sock> " or "not connected> ".
std::string Prompt(const Options& options, int db, bool connected);

}  // namespace ringkv::client::cli
