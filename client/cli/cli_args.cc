// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-cli flag parsing (see cli_args.h).
#include "client/cli/cli_args.h"

#include <cstdlib>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ringkv::client::cli {
namespace {

template <typename T>
absl::Status ParseNumber(const std::string& flag, const std::string& text, T* out) {
  bool ok;
  if constexpr (std::is_same_v<T, double>) {
    ok = absl::SimpleAtod(text, out);
  } else {
    ok = absl::SimpleAtoi(text, out);
  }
  if (!ok) return absl::InvalidArgumentError(absl::StrCat("Invalid value for ", flag, ": ", text));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<CliArgs> ParseCliArgs(const std::vector<std::string>& args) {
  CliArgs cli;
  size_t i = 0;
  auto value = [&](const std::string& flag) -> absl::StatusOr<std::string> {
    if (i + 1 >= args.size()) {
      return absl::InvalidArgumentError(absl::StrCat("Option ", flag, " needs a value"));
    }
    return args[++i];
  };
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.size() < 2 || a[0] != '-') break;  // the command starts here
    absl::Status s;
    if (a == "-h" || a == "-p" || a == "-s" || a == "-a" || a == "--user" || a == "--pass" ||
        a == "-n" || a == "-r" || a == "-i" || a == "--pipe-timeout" || a == "-t") {
      absl::StatusOr<std::string> v = value(a);
      if (!v.ok()) return v.status();
      if (a == "-h") {
        cli.connection.host = *v;
      } else if (a == "-p") {
        s = ParseNumber(a, *v, &cli.connection.port);
      } else if (a == "-s") {
        cli.connection.unix_path = *v;
      } else if (a == "-a" || a == "--pass") {
        cli.connection.password = *v;
      } else if (a == "--user") {
        cli.connection.user = *v;
      } else if (a == "-n") {
        s = ParseNumber(a, *v, &cli.connection.db);
      } else if (a == "-r") {
        s = ParseNumber(a, *v, &cli.repeat);
      } else if (a == "-i") {
        s = ParseNumber(a, *v, &cli.interval_seconds);
      } else if (a == "--pipe-timeout") {
        s = ParseNumber(a, *v, &cli.pipe_timeout_seconds);
      } else if (a == "-t") {
        double seconds = 0;
        s = ParseNumber(a, *v, &seconds);
        cli.connection.connect_timeout = absl::Seconds(seconds);
      }
    } else if (a == "-3") {
      cli.connection.resp3 = true;
    } else if (a == "-2") {
      cli.connection.resp3 = false;
    } else if (a == "--raw") {
      cli.output = OutputMode::kRaw;
    } else if (a == "--no-raw") {
      cli.output = OutputMode::kStandard;
    } else if (a == "--pipe") {
      cli.pipe = true;
    } else if (a == "--help") {
      cli.help = true;
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat("Unrecognized option or bad number of args for: '", a, "'"));
    }
    if (!s.ok()) return s;
  }
  cli.command.assign(args.begin() + static_cast<std::ptrdiff_t>(i), args.end());
  // A blocking tool: a command may legitimately take long (DEBUG SLEEP, BLPOP 0).
  cli.connection.io_timeout = absl::InfiniteDuration();
  return cli;
}

std::string CliUsage() {
  return R"(ringkv-cli: a redis-cli work-alike for ringkv and any RESP server

Usage: ringkv-cli [OPTIONS] [cmd [arg [arg ...]]]
  -h <hostname>      Server hostname (default: 127.0.0.1).
  -p <port>          Server port (default: 6379).
  -s <socket>        Server socket (overrides hostname and port).
  -a <password>      Password to use when connecting to the server.
  --pass <password>  Alias of -a.
  --user <username>  Used to send ACL style 'AUTH username pass'. Needs -a.
  -n <db>            Database number.
  -2                 Start session in RESP2 protocol mode (default).
  -3                 Start session in RESP3 protocol mode.
  -r <repeat>        Execute specified command N times (negative: forever).
  -i <interval>      When -r is used, waits <interval> seconds per command.
  -t <timeout>       Connect timeout in seconds (default: 5).
  --raw              Use raw formatting for replies (default when STDOUT is not a tty).
  --no-raw           Force formatted output even when STDOUT is not a tty.
  --pipe             Transfer raw Redis protocol (or inline commands) from stdin to server.
  --pipe-timeout <n> In --pipe mode, abort with error if after sending all data no reply is
                     received within <n> seconds (default: 30, 0 to wait forever).
  --help             Output this help and exit.

Without a command, ringkv-cli starts an interactive session with line editing and history
(~/.ringkvcli_history, or $RINGKV_CLI_HISTFILE).
)";
}

}  // namespace ringkv::client::cli
