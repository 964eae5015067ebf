// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The interactive LineReader for terminals: libedit's readline interface (Debian's libedit)
// with a persistent history file.
#pragma once

#include <string>

#include "client/cli/cli_session.h"

namespace ringkv::client::cli {

class EditLineReader : public LineReader {
 public:
  // Loads history from `history_path` (if non-empty); saves it after every added line.
  explicit EditLineReader(std::string history_path);
  std::optional<std::string> ReadLine(const std::string& prompt) override;
  void AddHistory(const std::string& line) override;

 private:
  std::string history_path_;
};

// $RINGKV_CLI_HISTFILE, else ~/.ringkvcli_history; "" when neither is known or the variable is
// set to /dev/null.
std::string DefaultHistoryPath();

}  // namespace ringkv::client::cli
