// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The line-level rewrite and the crash-safe file replacement behind CONFIG REWRITE.
#include "server/config/rewrite.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <vector>

#include "absl/cleanup/cleanup.h"
#include "absl/strings/str_cat.h"
#include "server/config/loader.h"

namespace ringkv::server::config {
namespace {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    lines.push_back(text.substr(pos, eol - pos));
    pos = eol + 1;
  }
  return lines;
}

absl::Status ErrnoStatus(int err) { return absl::InternalError(std::strerror(err)); }

}  // namespace

std::string RewriteConfigText(std::string_view old_text, const ServerConfig& file_values,
                              const ServerConfig& current, const DirectiveTable& table) {
  std::vector<std::string_view> lines = SplitLines(old_text);
  const size_t n = table.all().size();
  std::vector<std::vector<size_t>> occurrences(n);
  size_t last_include = 0;
  bool has_include = false;
  bool has_marker = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    ScannedLine s = ScanLine(lines[i]);
    if (s.kind == ScannedLine::Kind::kInclude) {
      has_include = true;
      last_include = i;
    } else if (s.kind == ScannedLine::Kind::kDirective) {
      if (const Directive* d = table.Find(s.args[0]); d != nullptr) {
        occurrences[table.IndexOf(d)].push_back(i);
      }
    } else if (lines[i] == kRewriteMarker) {
      has_marker = true;
    }
  }

  // What happens to each old line: kept, dropped, or replaced by directive `replace[i]`.
  constexpr size_t kKeep = SIZE_MAX, kDrop = SIZE_MAX - 1;
  std::vector<size_t> action(lines.size(), kKeep);
  std::vector<size_t> appended;
  for (size_t d = 0; d < n; ++d) {
    const Directive& dir = *table.all()[d];
    if (dir.Format(current) == dir.Format(file_values)) continue;
    const std::vector<size_t>& occ = occurrences[d];
    for (size_t i : occ) action[i] = kDrop;
    if (!occ.empty() && !(has_include && last_include > occ.back())) {
      action[occ.back()] = d;
    } else {
      appended.push_back(d);
    }
  }

  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (action[i] == kDrop) continue;
    if (action[i] == kKeep) {
      out.append(lines[i]);
      out.push_back('\n');
      continue;
    }
    for (const std::string& l : table.all()[action[i]]->RewriteLines(current)) {
      absl::StrAppend(&out, l, "\n");
    }
  }
  if (!appended.empty()) {
    if (!has_marker) {
      if (!out.empty() && out != "\n" && !out.ends_with("\n\n")) out.push_back('\n');
      out.append(kRewriteMarker);
      out.push_back('\n');
    }
    for (size_t d : appended) {
      for (const std::string& l : table.all()[d]->RewriteLines(current)) {
        absl::StrAppend(&out, l, "\n");
      }
    }
  }
  return out;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view text) {
  // Write through a symlink to its target, as an editor would, so the link itself survives.
  char resolved[PATH_MAX];
  std::string target = realpath(path.c_str(), resolved) != nullptr ? resolved : path;
  std::filesystem::path target_path(target);
  std::string dir = target_path.parent_path().string();
  if (dir.empty()) dir = ".";

  mode_t mode = 0644;
  struct stat st;
  if (stat(target.c_str(), &st) == 0) mode = st.st_mode & 07777;

  std::string tmp = (std::filesystem::path(dir) /
                     absl::StrCat(".", target_path.filename().string(), ".rewrite-XXXXXX"))
                        .string();
  int fd = mkostemp(tmp.data(), O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno);
  bool committed = false;
  absl::Cleanup cleanup = [&] {
    if (fd >= 0) close(fd);
    if (!committed) unlink(tmp.c_str());
  };
  size_t done = 0;
  while (done < text.size()) {
    ssize_t w = write(fd, text.data() + done, text.size() - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return ErrnoStatus(errno);
    done += static_cast<size_t>(w);
  }
  // The data must be on disk before the rename makes it the config file, or a crash could
  // leave an empty file under the real name.
  if (fchmod(fd, mode) != 0 || fsync(fd) != 0) return ErrnoStatus(errno);
  if (close(fd) != 0) {
    fd = -1;
    return ErrnoStatus(errno);
  }
  fd = -1;
  if (rename(tmp.c_str(), target.c_str()) != 0) return ErrnoStatus(errno);
  committed = true;
  // And the rename itself must reach the disk: fsync the directory.
  int dfd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return ErrnoStatus(errno);
  int rc = fsync(dfd);
  int err = errno;
  close(dfd);
  if (rc != 0) return ErrnoStatus(err);
  return absl::OkStatus();
}

}  // namespace ringkv::server::config
