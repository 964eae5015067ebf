// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Splits an interactive command line into arguments the way redis-cli does (sdssplitargs):
// blanks separate arguments; "double quotes" understand \n \r \t \b \a \xHH and \<any>;
// 'single quotes' understand only \'; a closing quote must be followed by a blank or the end.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ringkv::client::cli {

// Returns the arguments, or nullopt for unbalanced quotes or text glued to a closing quote.
std::optional<std::vector<std::string>> SplitArgs(std::string_view line);

}  // namespace ringkv::client::cli
