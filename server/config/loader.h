// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ConfigLoader: applies redis.conf-syntax text to a ServerConfig, line by line, in order, later
// lines overriding earlier ones, exactly as Redis reads its file:
// - each line is trimmed; blank lines and lines starting with `#` are skipped (there are no
//   comments after a directive on the same line: `port 1 # x` is a wrong argument count);
// - the words are split with SplitArgs (quotes and escapes, see syntax.h);
// - the directive name is case-insensitive;
// - `include <path>` reads another file at that point. The path is taken relative to the process's
//   working directory, as Redis does (not to the including file). A path with glob characters
//   includes every match in sorted order, and no match is not an error (Redis 7 behaviour). An
//   include that would re-enter a file already being read is an error instead of Redis's
//   endless recursion.
// The first bad line stops loading with a Status whose message is the operator-facing text,
// modelled on Redis's:
//
//   *** FATAL CONFIG FILE ERROR (ringkv) ***
//   Reading the configuration file 'ringkv.conf', at line 3
//   >>> 'port 99999'
//   argument must be between 0 and 65535 inclusive
//
// A ConfigLoader is a short-lived, single-threaded object.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "server/config/directive.h"
#include "server/config/server_config.h"

namespace ringkv::server::config {

// One directive given on the command line (`--port 7000`). `argv_index` is the position of the
// `--name` argument, reported in errors.
struct CommandLineOption {
  std::vector<std::string> args;  // args[0] is the directive name
  int argv_index = 0;
  bool unbalanced = false;  // the `--name ...` argument itself had unbalanced quotes
  std::string text;         // the option as shown in errors: name then the quoted values
};

// How the loader sees one line of a file (CONFIG REWRITE uses this to find directives).
struct ScannedLine {
  enum class Kind { kSkip, kDirective, kInclude, kUnbalanced };
  Kind kind = Kind::kSkip;
  std::vector<std::string> args;  // kDirective and kInclude; args[0] lower-cased
};
ScannedLine ScanLine(std::string_view raw_line);

// Formats the fatal error block. `where` is e.g. "Reading the configuration file 'x', at line 3".
std::string FatalConfigError(std::string_view where, std::string_view line,
                             std::string_view reason);

class ConfigLoader {
 public:
  explicit ConfigLoader(const DirectiveTable& table = DirectiveTable::Default()) : table_(table) {}

  // Reads the file at `path` (relative to the working directory or absolute) and applies it,
  // following includes. When the file cannot be read the message is Redis's
  // "Fatal error, can't open config file '<path>': <reason>".
  // On failure *cfg holds the lines applied before the bad one.
  [[nodiscard]] absl::Status ApplyFile(const std::string& path, ServerConfig* cfg);

  // Applies config text that did not come from a file (standard input). Errors name `source`
  // ("Reading <source>, at line N"). Includes in it are followed.
  [[nodiscard]] absl::Status ApplyText(std::string_view text, std::string_view source,
                                       ServerConfig* cfg);

  // Applies command-line options, after the file, as Redis appends them to its config text.
  [[nodiscard]] absl::Status ApplyOptions(const std::vector<CommandLineOption>& options,
                                          ServerConfig* cfg);

 private:
  [[nodiscard]] absl::Status ApplyLines(std::string_view text, std::string_view where_prefix,
                                        ServerConfig* cfg);
  [[nodiscard]] absl::Status ApplyInclude(const std::string& pattern, ServerConfig* cfg,
                                          const std::string& where, std::string_view line);
  [[nodiscard]] absl::Status ApplyOneFile(const std::string& path, ServerConfig* cfg,
                                          const std::string& where, std::string_view line);

  const DirectiveTable& table_;
  std::vector<std::string> reading_;  // canonical paths of the files being read, outermost first
};

// The file's contents, or an error naming the path and errno's text.
[[nodiscard]] absl::Status ReadWholeFile(const std::string& path, std::string* contents);

}  // namespace ringkv::server::config
