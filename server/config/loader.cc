// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Reading config text into a ServerConfig: line scanning, includes (with loop detection), and
// the fatal error block. The per-directive parsing lives in directive.cc.
#include "server/config/loader.h"

#include <fcntl.h>
#include <glob.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/config/syntax.h"

namespace ringkv::server::config {
namespace {

absl::string_view AV(std::string_view s) { return absl::string_view(s.data(), s.size()); }
std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

// Redis trims exactly these bytes (sdstrim with " \t\r\n"), so a line ending in \r\n works.
std::string_view Trim(std::string_view s) {
  constexpr std::string_view kBlank = " \t\r\n";
  size_t b = s.find_first_not_of(kBlank);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(kBlank);
  return s.substr(b, e - b + 1);
}

// The canonical path of an existing file, used to recognise re-entry through another spelling.
std::string Canonical(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) == nullptr) return path;
  return buf;
}

}  // namespace

std::string FatalConfigError(std::string_view where, std::string_view line,
                             std::string_view reason) {
  return absl::StrCat("*** FATAL CONFIG FILE ERROR (ringkv) ***\n", AV(where), "\n>>> '", AV(line),
                      "'\n", AV(reason));
}

absl::Status ReadWholeFile(const std::string& path, std::string* contents) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return absl::NotFoundError(std::strerror(errno));
  struct stat st;
  if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
    close(fd);
    return absl::FailedPreconditionError(std::strerror(err));
  }
  contents->clear();
  char buf[16384];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      close(fd);
      return absl::InternalError(std::strerror(err));
    }
    if (n == 0) break;
    contents->append(buf, static_cast<size_t>(n));
  }
  close(fd);
  return absl::OkStatus();
}

ScannedLine ScanLine(std::string_view raw_line) {
  ScannedLine out;
  std::string_view line = Trim(raw_line);
  if (line.empty() || line[0] == '#') return out;
  std::optional<std::vector<std::string>> args = SplitArgs(line);
  if (!args) {
    out.kind = ScannedLine::Kind::kUnbalanced;
    return out;
  }
  if (args->empty()) return out;
  (*args)[0] = absl::AsciiStrToLower((*args)[0]);
  // Redis only treats `include` with exactly one path as an include; any other arity falls
  // through to the directive lookup and is reported as a bad directive.
  if ((*args)[0] == "include" && args->size() == 2) {
    out.kind = ScannedLine::Kind::kInclude;
  } else {
    out.kind = ScannedLine::Kind::kDirective;
  }
  out.args = std::move(*args);
  return out;
}

absl::Status ConfigLoader::ApplyFile(const std::string& path, ServerConfig* cfg) {
  std::string text;
  if (absl::Status s = ReadWholeFile(path, &text); !s.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("Fatal error, can't open config file '%s': %s", path, s.message()));
  }
  reading_.push_back(Canonical(path));
  absl::Status s =
      ApplyLines(text, absl::StrFormat("Reading the configuration file '%s'", path), cfg);
  reading_.pop_back();
  return s;
}

absl::Status ConfigLoader::ApplyText(std::string_view text, std::string_view source,
                                     ServerConfig* cfg) {
  return ApplyLines(text, absl::StrCat("Reading ", AV(source)), cfg);
}

absl::Status ConfigLoader::ApplyLines(std::string_view text, std::string_view where_prefix,
                                      ServerConfig* cfg) {
  int line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view raw = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    ScannedLine scanned = ScanLine(raw);
    if (scanned.kind == ScannedLine::Kind::kSkip) continue;
    std::string where = absl::StrCat(AV(where_prefix), ", at line ", line_no);
    std::string_view shown = Trim(raw);
    if (scanned.kind == ScannedLine::Kind::kUnbalanced) {
      return absl::InvalidArgumentError(
          FatalConfigError(where, shown, "Unbalanced quotes in configuration line"));
    }
    if (scanned.kind == ScannedLine::Kind::kInclude) {
      if (absl::Status s = ApplyInclude(scanned.args[1], cfg, where, shown); !s.ok()) return s;
      continue;
    }
    const Directive* d = table_.Find(scanned.args[0]);
    if (d == nullptr) {
      return absl::InvalidArgumentError(
          FatalConfigError(where, shown, "Bad directive or wrong number of arguments"));
    }
    std::span<const std::string> args(scanned.args.begin() + 1, scanned.args.end());
    if (absl::Status s = d->Apply(args, cfg); !s.ok()) {
      return absl::InvalidArgumentError(FatalConfigError(where, shown, ToStd(s.message())));
    }
  }
  return absl::OkStatus();
}

absl::Status ConfigLoader::ApplyInclude(const std::string& pattern, ServerConfig* cfg,
                                        const std::string& where, std::string_view line) {
  if (!HasGlobChars(pattern)) return ApplyOneFile(pattern, cfg, where, line);
  glob_t g;
  int rc = glob(pattern.c_str(), GLOB_ERR, nullptr, &g);
  if (rc == GLOB_NOMATCH) return absl::OkStatus();  // Redis: an empty match includes nothing
  if (rc != 0) {
    globfree(&g);
    return absl::InvalidArgumentError(FatalConfigError(
        where, line, absl::StrFormat("can't read the directory of include pattern '%s'", pattern)));
  }
  std::vector<std::string> paths(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  globfree(&g);
  for (const std::string& p : paths) {  // glob() returns them sorted
    if (absl::Status s = ApplyOneFile(p, cfg, where, line); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status ConfigLoader::ApplyOneFile(const std::string& path, ServerConfig* cfg,
                                        const std::string& where, std::string_view line) {
  std::string text;
  if (absl::Status s = ReadWholeFile(path, &text); !s.ok()) {
    return absl::InvalidArgumentError(FatalConfigError(
        where, line, absl::StrFormat("can't open config file '%s': %s", path, s.message())));
  }
  std::string canonical = Canonical(path);
  if (std::find(reading_.begin(), reading_.end(), canonical) != reading_.end()) {
    return absl::InvalidArgumentError(FatalConfigError(
        where, line, absl::StrFormat("include loop: '%s' is already being read", path)));
  }
  reading_.push_back(canonical);
  absl::Status s =
      ApplyLines(text, absl::StrFormat("Reading the configuration file '%s'", path), cfg);
  reading_.pop_back();
  return s;
}

absl::Status ConfigLoader::ApplyOptions(const std::vector<CommandLineOption>& options,
                                        ServerConfig* cfg) {
  for (const CommandLineOption& opt : options) {
    std::string where = absl::StrCat("Reading the command line, at argument ", opt.argv_index);
    if (opt.unbalanced) {
      return absl::InvalidArgumentError(
          FatalConfigError(where, opt.text, "Unbalanced quotes in configuration line"));
    }
    if (opt.args.empty()) continue;  // a bare `--`: an empty line to Redis
    std::string name = absl::AsciiStrToLower(opt.args[0]);
    if (name == "include" && opt.args.size() == 2) {
      if (absl::Status s = ApplyInclude(opt.args[1], cfg, where, opt.text); !s.ok()) return s;
      continue;
    }
    const Directive* d = table_.Find(name);
    if (d == nullptr) {
      return absl::InvalidArgumentError(
          FatalConfigError(where, opt.text, "Bad directive or wrong number of arguments"));
    }
    std::span<const std::string> args(opt.args.begin() + 1, opt.args.end());
    if (absl::Status s = d->Apply(args, cfg); !s.ok()) {
      return absl::InvalidArgumentError(FatalConfigError(where, opt.text, ToStd(s.message())));
    }
  }
  return absl::OkStatus();
}

}  // namespace ringkv::server::config
