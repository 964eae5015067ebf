// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// EncodeCommand writes a request the way every Redis client sends one: a RESP multibulk array of
// bulk strings ("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n"). Used by client/ and bench/ to build requests
// and by tests to feed the RequestParser. Arguments are binary-safe.
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "protocol/output_buffer.h"

namespace ringkv::protocol {

// Appends the encoded command to `out`. Nothing is written for an empty `args`.
void EncodeCommand(std::span<const std::string_view> args, OutputBuffer* out);
void EncodeCommand(std::span<const std::string_view> args, std::string* out);

// Convenience for literals: EncodeCommand({"SET", key, value}, &buf).
inline void EncodeCommand(std::initializer_list<std::string_view> args, OutputBuffer* out) {
  EncodeCommand(std::span<const std::string_view>(args.begin(), args.size()), out);
}
inline void EncodeCommand(std::initializer_list<std::string_view> args, std::string* out) {
  EncodeCommand(std::span<const std::string_view>(args.begin(), args.size()), out);
}

// The exact number of bytes EncodeCommand appends for `args`.
size_t EncodedCommandSize(std::span<const std::string_view> args);

}  // namespace ringkv::protocol
