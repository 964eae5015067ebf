// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// A scratch directory for config tests: created empty under $TMPDIR (or /tmp), removed with
// everything in it when the object goes away, so tests never touch the repository.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace ringkv::server::config::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string tmpl = std::string(base != nullptr ? base : "/tmp") + "/ringkv-config-XXXXXX";
    path_ = mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
  }
  ~TempDir() {
    std::error_code ec;
    if (!path_.empty()) std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `contents` to `name` inside the directory and returns the full path.
  std::string Write(std::string_view name, std::string_view contents) const {
    std::string p = path_ + "/" + std::string(name);
    std::ofstream f(p, std::ios::binary | std::ios::trunc);
    f.write(contents.data(), static_cast<std::streamsize>(contents.size()));
    return p;
  }

  static std::string Read(const std::string& p) {
    std::ifstream f(p, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>());
  }

 private:
  std::string path_;
};

}  // namespace ringkv::server::config::testing
