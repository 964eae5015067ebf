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
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";
inline constexpr std::string_view kLoading = "LOADING Redis is loading the dataset in memory";
inline constexpr std::string_view kMisconf =
    "MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to "
    "disk. Commands that may modify the data set are disabled, because this instance is "
    "configured to report errors during writes if RDB snapshotting fails "
    "(stop-writes-on-bgsave-error option). Please check the Redis logs for details about the RDB "
    "error.";
// MULTI/EXEC.
inline constexpr std::string_view kNotInTransaction =
    "ERR Command not allowed inside a transaction";
inline constexpr std::string_view kBusyScript =
    "BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kBusyFunction =
    "BUSY Redis is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE.";
inline constexpr std::string_view kMultiNested = "ERR MULTI calls can not be nested";
inline constexpr std::string_view kWatchInMulti = "ERR WATCH inside MULTI is not allowed";
inline constexpr std::string_view kExecWithoutMulti = "ERR EXEC without MULTI";
inline constexpr std::string_view kDiscardWithoutMulti = "ERR DISCARD without MULTI";
inline constexpr std::string_view kExecAbort =
    "EXECABORT Transaction discarded because of previous errors.";
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
// String and keyspace commands (Redis 7.0 t_string.c, db.c, expire.c, object.c wording).
inline constexpr std::string_view kDecrementOverflow = "ERR decrement would overflow";
inline constexpr std::string_view kOffsetOutOfRange = "ERR offset is out of range";
inline constexpr std::string_view kStringTooLong =
    "ERR string exceeds maximum allowed size (proto-max-bulk-len)";
inline constexpr std::string_view kInvalidCursor = "ERR invalid cursor";
inline constexpr std::string_view kInvalidFirstDb = "ERR invalid first DB index";
inline constexpr std::string_view kInvalidSecondDb = "ERR invalid second DB index";
// getIntFromObject's reply for an integer outside int's range (MOVE, COPY ... DB).
inline constexpr std::string_view kIntOutOfRange =
    "ERR value is out of range, value must between -2147483648 and 2147483647";
inline constexpr std::string_view kExpireNxConflict =
    "ERR NX and XX, GT or LT options at the same time are not compatible";
inline constexpr std::string_view kExpireGtLtConflict =
    "ERR GT and LT options at the same time are not compatible";
// Followed by the option as given: "ERR Unsupported option foo".
inline constexpr std::string_view kUnsupportedOptionPrefix = "ERR Unsupported option ";
// Around the command's lower-case name: "ERR invalid expire time in 'setex' command".
inline constexpr std::string_view kInvalidExpirePrefix = "ERR invalid expire time in '";
inline constexpr std::string_view kInvalidExpireSuffix = "' command";
inline constexpr std::string_view kLfuNotSelected =
    "ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that "
    "when switching between policies at runtime LRU and LFU data will take some time to adjust.";
inline constexpr std::string_view kLfuSelected =
    "ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when "
    "switching between policies at runtime LRU and LFU data will take some time to adjust.";
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
