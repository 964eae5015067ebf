// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The start-up command line of ringkv-server, read the way redis-server reads its own:
//
//   ringkv-server [configfile] [--directive value ...] [-]
//
// - A first argument that does not start with '-' is the config file.
// - `-` as the first or last argument reads more config text from standard input.
// - `--name value...` is a config line appended after the file (and stdin), so it overrides
//   both. Words after `--name` up to the next `--...` are its values (`--bind 127.0.0.1 ::1`);
//   a bare `--name` takes the next word as its value even if that starts with "--", except that
//   `--save` followed by another option (or at the end) means `save ""`. A single argument may
//   also hold the whole line: "--port 7000".
// - `-v`/`--version` and `-h`/`--help` as the first argument print and exit;
//   `--check-config` (alias `--test-config`) anywhere an option may start loads and validates
//   everything, prints "config OK" and exits 0, or prints the error and exits 1.
//
// HandleStartupArgs() is the whole of main()'s start-up: it parses, loads and reports.
#pragma once

#include <iosfwd>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "server/config/directive.h"
#include "server/config/loader.h"
#include "server/config/server_config.h"

namespace ringkv::server::config {

// "0.1.0": ringkv's own version (server/version.h).
std::string_view RingkvVersion();

struct CommandLine {
  enum class Action { kRun, kHelp, kVersion, kCheckConfig };
  Action action = Action::kRun;
  std::string config_file;  // empty: none
  bool config_from_stdin = false;
  std::vector<CommandLineOption> options;
};

// Parses argv (argv[0] is the program name). Never fails: a malformed option is kept and
// reported when the options are applied, with its argument position, as Redis does.
CommandLine ParseCommandLine(std::span<const std::string> argv);

// The configuration a server starts with.
struct LoadedConfig {
  ServerConfig config;
  // Absolute path of the config file, which CONFIG REWRITE writes back; empty when the server
  // was started without one.
  std::string config_file;
};

// Applies the defaults, then the config file, then standard input (read from `in`) when asked,
// then the command-line options. Returns the fatal error text on the first bad line.
absl::StatusOr<LoadedConfig> LoadConfig(const CommandLine& cl, std::istream& in,
                                        const DirectiveTable& table = DirectiveTable::Default());

// The usage text printed by --help.
std::string UsageText(std::string_view program);

struct StartupResult {
  // Set when main() must return this code now (help, version, check-config, or an error that
  // was printed to `err`); empty when the server should run with `loaded`.
  std::optional<int> exit_code;
  LoadedConfig loaded;
};

// Parses `argv`, loads the configuration and handles --help, --version and --check-config,
// writing to `out` and `err`. A config error is printed to `err` (as the fatal block) and gives
// exit code 1.
StartupResult HandleStartupArgs(std::span<const std::string> argv, std::istream& in,
                                std::ostream& out, std::ostream& err);

}  // namespace ringkv::server::config
