// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/errors.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace ringkv::server::errors {

namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Redis caps each quoted piece of an unknown-command error at 128 bytes in total so that a huge
// argument does not turn into a huge error.
constexpr size_t kMaxArgsText = 128;

}  // namespace

std::string_view OpStatusMessage(engine::OpStatus status) {
  using engine::OpStatus;
  switch (status) {
    case OpStatus::kOk:
    case OpStatus::kSkipped:
    case OpStatus::kNotFound:
      return kNoSuchKey;
    case OpStatus::kWrongType:
      return kWrongType;
    case OpStatus::kNotInteger:
      return kNotInteger;
    case OpStatus::kNotFloat:
      return kNotFloat;
    case OpStatus::kOverflow:
      return kOverflow;
    case OpStatus::kOutOfRange:
      return kOutOfRange;
    case OpStatus::kTooLarge:
      return kTooLarge;
    case OpStatus::kKeyExists:
      return kSyntax;
    case OpStatus::kOutOfMemory:
      return kOutOfMemory;
    case OpStatus::kInvalidExpire:
      return kInvalidExpire;
    case OpStatus::kInvalidDb:
      return kInvalidDb;
    case OpStatus::kSameObject:
      return kSameObject;
    case OpStatus::kNanOrInfinity:
      return kNanOrInfinity;
  }
  return kSyntax;
}

std::string UnknownCommand(std::span<const std::string_view> args) {
  std::string name(args.empty() ? std::string_view() : args[0]);
  if (name.size() > kMaxArgsText) name.resize(kMaxArgsText);
  std::string text;
  for (size_t i = 1; i < args.size() && text.size() < kMaxArgsText; ++i) {
    size_t room = kMaxArgsText - text.size();
    absl::StrAppend(&text, "'", Sv(args[i].substr(0, room)), "' ");
  }
  return absl::StrCat("ERR unknown command '", name, "', with args beginning with: ", text);
}

std::string UnknownSubcommand(std::string_view sub, std::string_view command) {
  return absl::StrCat("ERR unknown subcommand '", Sv(sub.substr(0, kMaxArgsText)), "'. Try ",
                      absl::AsciiStrToUpper(Sv(command)), " HELP.");
}

std::string WrongArity(std::string_view full_name) {
  return absl::StrCat("ERR wrong number of arguments for '", Sv(full_name), "' command");
}

}  // namespace ringkv::server::errors
