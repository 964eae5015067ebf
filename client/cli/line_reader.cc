// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// libedit-backed line editing for ringkv-cli (see line_reader.h).
#include "client/cli/line_reader.h"

#include <editline/readline.h>

#include <cstdlib>
#include <utility>

namespace ringkv::client::cli {

EditLineReader::EditLineReader(std::string history_path) : history_path_(std::move(history_path)) {
  using_history();
  if (!history_path_.empty()) read_history(history_path_.c_str());
}

std::optional<std::string> EditLineReader::ReadLine(const std::string& prompt) {
  char* line = readline(prompt.c_str());
  if (line == nullptr) return std::nullopt;
  std::string result(line);
  std::free(line);
  return result;
}

void EditLineReader::AddHistory(const std::string& line) {
  add_history(line.c_str());
  // Written after every line so an interrupted session keeps its history, as redis-cli does.
  if (!history_path_.empty()) write_history(history_path_.c_str());
}

std::string DefaultHistoryPath() {
  if (const char* env = std::getenv("RINGKV_CLI_HISTFILE"); env != nullptr) {
    std::string path(env);
    return path == "/dev/null" ? "" : path;
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.ringkvcli_history";
  }
  return "";
}

}  // namespace ringkv::client::cli
