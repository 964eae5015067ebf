// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-cli: a redis-cli work-alike. `ringkv-cli -p 6379 set a 1` runs one command; with no
// command it starts an interactive session; --pipe streams stdin to the server. See
// docs/tools.md. The logic lives in client/cli/; this file only picks the mode.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "client/cli/cli_args.h"
#include "client/cli/cli_session.h"
#include "client/cli/line_reader.h"

int main(int argc, char** argv) {
  using namespace ringkv::client::cli;  // NOLINT(build/namespaces): a tiny main
  std::vector<std::string> args(argv + 1, argv + argc);
  absl::StatusOr<CliArgs> parsed = ParseCliArgs(args);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%.*s\n\n%s", static_cast<int>(parsed.status().message().size()),
                 parsed.status().message().data(), CliUsage().c_str());
    return 1;
  }
  if (parsed->help) {
    std::fputs(CliUsage().c_str(), stdout);
    return 0;
  }
  // Like redis-cli: formatted output for a person at a terminal, raw values for pipes.
  OutputMode mode =
      parsed->output.value_or(isatty(STDOUT_FILENO) ? OutputMode::kStandard : OutputMode::kRaw);
  if (parsed->pipe) return RunPipe(*parsed, STDIN_FILENO, stdout, stderr);
  if (!parsed->command.empty()) return RunOneShot(*parsed, mode, stdout, stderr);
  if (isatty(STDIN_FILENO)) {
    EditLineReader reader(DefaultHistoryPath());
    return RunInteractive(*parsed, mode, &reader, stdout, stderr);
  }
  StdioLineReader reader(stdin);
  return RunInteractive(*parsed, mode, &reader, stdout, stderr);
}
