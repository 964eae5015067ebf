// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Splits an inline request line ("SET key \"a b\"") into arguments with the quoting rules of
// Redis's sdssplitargs, which redis-cli users and telnet sessions rely on. Not part of the public
// API; RequestParser uses it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ringkv::protocol::detail {

// Appends the arguments of `line` (without its line terminator) to *args. Arguments without
// quotes are views into `line`; quoted ones are unescaped into *storage, which is resized at most
// once so the views stay valid until *storage is next modified. Returns false for unbalanced
// quotes (an unterminated quote, or a closing quote followed by something other than a space).
//
// Rules, as sdssplitargs: arguments are separated by runs of isspace() bytes, but inside an
// argument only ' ', '\t', '\r' and '\n' end it. A quote may start mid-argument (a"b c" is
// `ab c`). In double quotes \n \r \t \b \a, \xHH and \<any> (that byte) are escapes; in single
// quotes only \' is. Unlike Redis, a NUL byte is ordinary data (Redis stops reading the line at
// a NUL, see RequestParser).
bool SplitInlineArgs(std::string_view line, std::string* storage,
                     std::vector<std::string_view>* args);

}  // namespace ringkv::protocol::detail
