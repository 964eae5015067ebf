// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Every error text ringkv sends, in one place, worded exactly as Redis words it (clients and
// their tests match on these strings). Handlers never spell an error themselves: they use a
// constant here or OpStatusMessage() for an engine outcome.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "engine/op_status.h"

namespace ringkv::server::errors {

inline constexpr std::string_view kSyntax = "ERR syntax error";
inline constexpr std::string_view kWrongType =
    "WRONGTYPE Operation against a key holding the wrong kind of value";
inline constexpr std::string_view kNotInteger = "ERR value is not an integer or out of range";
inline constexpr std::string_view kNotFloat = "ERR value is not a valid float";
inline constexpr std::string_view kOverflow = "ERR increment or decrement would overflow";
inline constexpr std::string_view kOutOfRange = "ERR index out of range";
inline constexpr std::string_view kTooLarge = "ERR string exceeds maximum allowed size";
inline constexpr std::string_view kOutOfMemory =
    "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr std::string_view kInvalidExpire = "ERR invalid expire time in 'set' command";
inline constexpr std::string_view kInvalidDb = "ERR DB index is out of range";
inline constexpr std::string_view kSameObject = "ERR source and destination objects are the same";
inline constexpr std::string_view kNanOrInfinity = "ERR increment would produce NaN or Infinity";
inline constexpr std::string_view kNoSuchKey = "ERR no such key";
inline constexpr std::string_view kNoProto = "NOPROTO unsupported protocol version";
inline constexpr std::string_view kMaxClients = "ERR max number of clients reached";
inline constexpr std::string_view kNoPasswordConfigured =
    "ERR AUTH <password> called without any password configured for the default user. Are you "
    "sure your configuration is correct?";
inline constexpr std::string_view kWrongPass =
    "WRONGPASS invalid username-password pair or user is disabled.";
inline constexpr std::string_view kNoAuth = "NOAUTH Authentication required.";
// Written straight to a refused socket, so it carries its own '-' and CRLF.
inline constexpr std::string_view kProtectedMode =
    "-DENIED ringkv is running in protected mode because protected mode is enabled and no "
    "password is set for the default user. In this mode connections are only accepted from the "
    "loopback interface. If you want to connect from external computers, either set a password "
    "(requirepass) or disable protected mode with 'protected-mode no' in the configuration file "
    "or '--protected-mode no' on the command line; make sure the server is not publicly "
    "accessible from the internet if you do so.\r\n";

// The text for an engine outcome. REQUIRES: status != kOk.
std::string_view OpStatusMessage(engine::OpStatus status);

// "ERR unknown command 'name', with args beginning with: 'a' 'b' " as Redis 7 builds it.
std::string UnknownCommand(std::span<const std::string_view> args);

// "ERR unknown subcommand 'sub'. Try COMMAND HELP."
std::string UnknownSubcommand(std::string_view sub, std::string_view command);

// "ERR wrong number of arguments for 'get' command" (name as in the command table).
std::string WrongArity(std::string_view full_name);

}  // namespace ringkv::server::errors
