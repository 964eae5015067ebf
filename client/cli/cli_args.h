// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-cli's command line: redis-cli's flags (-h -p -s -a --user -n -2/-3 -r -i --raw --no-raw
// --pipe) followed by an optional command. Parsing is separate from main() so it is unit tested.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "client/cli/reply_format.h"
#include "client/options.h"

namespace ringkv::client::cli {

struct CliArgs {
  Options connection;
  // -r: run the command this many times (negative: forever, as redis-cli).
  int64_t repeat = 1;
  // -i: seconds to wait between repeats.
  double interval_seconds = 0;
  // --raw / --no-raw; unset means raw when stdout is not a terminal, as redis-cli decides.
  std::optional<OutputMode> output;
  // --pipe: send stdin to the server as it is and count the replies.
  bool pipe = false;
  // --pipe-timeout: give up when no reply arrives for this long in --pipe mode (0 = never).
  double pipe_timeout_seconds = 30;
  bool help = false;
  // The command to run once (or -r times); empty means interactive mode.
  std::vector<std::string> command;
};

// Parses argv[1..]. Flags come first; the first argument that is not a flag starts the command.
absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args);

// The text of --help.
std::string CliUsage();

}  // namespace ringkv::client::cli
