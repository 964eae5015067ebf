// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// How ringkv-cli prints replies, matching redis-cli 7.0 byte for byte: the "standard" form used
// when stdout is a terminal ("value" quoted, (integer) 1, (nil), 1) ..., 1# "k" => "v", 1~ ...)
// and the raw form used when it is not (values as they are, one per line). Pure functions over
// protocol::Reply, so they are tested without a terminal or a server.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "protocol/reply_parser.h"

namespace ringkv::client::cli {

enum class OutputMode {
  kStandard,  // redis-cli's TTY form
  kRaw,       // redis-cli --raw
};

// redis-cli's quoting of a binary-safe string: "a\"b\n\x01".
std::string Repr(std::string_view s);

// The TTY form, every line ending in '\n'. `prefix` indents nested elements after the first.
std::string FormatStandard(const protocol::Reply& reply, std::string_view prefix = "");

// The raw form without the final newline: scalars as they are, aggregates one element per line,
// map entries as "key value", errors followed by a newline, nil as nothing.
std::string FormatRaw(const protocol::Reply& reply);

// True for commands whose bulk reply redis-cli prints verbatim even on a terminal (INFO,
// CLIENT LIST, CLUSTER NODES, ...), so their embedded newlines stay readable.
bool PrintsRawStrings(std::span<const std::string> args);

// What ringkv-cli writes for one reply: FormatStandard, FormatRaw plus '\n', or FormatRaw alone
// for PrintsRawStrings commands.
std::string FormatForCommand(const protocol::Reply& reply, OutputMode mode,
                             std::span<const std::string> args);

}  // namespace ringkv::client::cli
