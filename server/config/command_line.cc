// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// redis-server's argument rules (server.c main() in Redis 7.0), reproduced so that the command
// lines operators already use for Redis start ringkv the same way.
#include "server/config/command_line.h"

#include <filesystem>
#include <iostream>
#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/config/syntax.h"
#include "server/version.h"

namespace ringkv::server::config {
namespace {

bool StartsWithDashDash(const std::string& s) {
  return s.size() >= 2 && s[0] == '-' && s[1] == '-';
}

}  // namespace

std::string_view RingkvVersion() { return kRingkvVersion; }

CommandLine ParseCommandLine(std::span<const std::string> argv) {
  CommandLine cl;
  const size_t argc = argv.size();
  if (argc >= 2) {
    if (argv[1] == "-v" || argv[1] == "--version") {
      cl.action = CommandLine::Action::kVersion;
      return cl;
    }
    if (argv[1] == "-h" || argv[1] == "--help") {
      cl.action = CommandLine::Action::kHelp;
      return cl;
    }
  }
  size_t j = 1;
  if (argc >= 2 && !argv[1].empty() && argv[1][0] != '-') {
    cl.config_file = argv[1];
    j = 2;
  }
  // `handled_last` is false right after a bare `--name`: the next word is then its value even if
  // it starts with "--" (a negative number, a password). This is Redis's handled_last_config_arg.
  bool handled_last = true;
  std::optional<size_t> current;  // index in cl.options of the option receiving values
  for (; j < argc; ++j) {
    const std::string& a = argv[j];
    if (a == "-" && (j == 1 || j == argc - 1)) {
      cl.config_from_stdin = true;
      continue;
    }
    if (handled_last && StartsWithDashDash(a)) {
      if (a == "--check-config" || a == "--test-config") {
        cl.action = CommandLine::Action::kCheckConfig;
        continue;
      }
      CommandLineOption opt;
      opt.argv_index = static_cast<int>(j);
      opt.text = a.substr(2);
      std::optional<std::vector<std::string>> words = SplitArgs(opt.text);
      if (words) {
        opt.args = std::move(*words);
      } else {
        opt.unbalanced = true;
      }
      // One word in the whole argument means a bare name whose values follow.
      std::optional<std::vector<std::string>> whole = SplitArgs(a);
      handled_last = !(whole && whole->size() == 1);
      bool next_is_option = j + 1 < argc && StartsWithDashDash(argv[j + 1]);
      if (!handled_last && absl::EqualsIgnoreCase(a, "--save") &&
          (j + 1 == argc || next_is_option)) {
        // `--save` with nothing after it means `save ""` (Redis keeps this for scripts that
        // build the command line from a possibly empty list).
        opt.args.emplace_back();
        opt.text += " \"\"";
        handled_last = true;
      }
      cl.options.push_back(std::move(opt));
      current = cl.options.size() - 1;
      continue;
    }
    // A value. With no option before it, it starts a line of its own, which then fails as a bad
    // directive, as it does in Redis.
    if (!current) {
      CommandLineOption opt;
      opt.argv_index = static_cast<int>(j);
      cl.options.push_back(std::move(opt));
      current = cl.options.size() - 1;
    }
    CommandLineOption& opt = cl.options[*current];
    opt.args.push_back(a);
    if (!opt.text.empty()) opt.text += ' ';
    opt.text += QuoteArg(a);
    handled_last = true;
  }
  return cl;
}

absl::StatusOr<LoadedConfig> LoadConfig(const CommandLine& cl, std::istream& in,
                                        const DirectiveTable& table) {
  LoadedConfig loaded;
  ConfigLoader loader(table);
  if (!cl.config_file.empty()) {
    if (absl::Status s = loader.ApplyFile(cl.config_file, &loaded.config); !s.ok()) return s;
    // Kept absolute, as Redis does, so CONFIG REWRITE finds the file whatever the process's
    // working directory is by then.
    std::error_code ec;
    std::filesystem::path abs = std::filesystem::absolute(cl.config_file, ec);
    loaded.config_file = ec ? cl.config_file : abs.lexically_normal().string();
  }
  if (cl.config_from_stdin) {
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (absl::Status s =
            loader.ApplyText(text, "the configuration from standard input", &loaded.config);
        !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = loader.ApplyOptions(cl.options, &loaded.config); !s.ok()) return s;
  return loaded;
}

std::string UsageText(std::string_view program) {
  std::string p(program);
  return absl::StrFormat(
      "Usage: %1$s [/path/to/ringkv.conf] [options] [-]\n"
      "       %1$s - (read config from stdin)\n"
      "       %1$s -v or --version\n"
      "       %1$s -h or --help\n"
      "       %1$s [/path/to/ringkv.conf] [options] --check-config\n"
      "\n"
      "Options are config directives: --port 7000 is the line `port 7000`, applied after the\n"
      "file. --check-config (or --test-config) validates the configuration, prints \"config OK\"\n"
      "and exits 0, or prints the error and exits 1. See docs/config.md for every directive.\n"
      "\n"
      "Examples:\n"
      "       %1$s (run the server with the default config)\n"
      "       echo 'port 7000' | %1$s -\n"
      "       %1$s /etc/ringkv/ringkv.conf\n"
      "       %1$s --port 7777 --bind 127.0.0.1 ::1\n"
      "       %1$s /etc/ringkv/ringkv.conf --loglevel verbose\n"
      "       %1$s /etc/ringkv/ringkv.conf --check-config\n",
      p);
}

StartupResult HandleStartupArgs(std::span<const std::string> argv, std::istream& in,
                                std::ostream& out, std::ostream& err) {
  StartupResult result;
  CommandLine cl = ParseCommandLine(argv);
  if (cl.action == CommandLine::Action::kVersion) {
    out << "ringkv v" << RingkvVersion() << "\n";
    result.exit_code = 0;
    return result;
  }
  if (cl.action == CommandLine::Action::kHelp) {
    out << UsageText(argv.empty() ? "ringkv-server" : argv[0]);
    result.exit_code = 0;
    return result;
  }
  absl::StatusOr<LoadedConfig> loaded = LoadConfig(cl, in);
  if (!loaded.ok()) {
    err << "\n" << loaded.status().message() << "\n";
    result.exit_code = 1;
    return result;
  }
  if (cl.action == CommandLine::Action::kCheckConfig) {
    out << "config OK\n";
    result.exit_code = 0;
    return result;
  }
  result.loaded = *std::move(loaded);
  return result;
}

}  // namespace ringkv::server::config
