// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Directive: one configuration setting, described once and used everywhere. Each directive knows
// its name and aliases, its type, its default (as it would be written in a config file), whether
// CONFIG SET may change it, a one-line description, how to parse its arguments into a
// ServerConfig field, how CONFIG GET prints it and how CONFIG REWRITE writes it back.
//
// DirectiveTable is the ordered set of directives a loader and a ConfigStore work against;
// DirectiveTable::Default() (directives.cc) is ringkv's. The Make* factories build the typed
// directives the tables are made of, so a test can build a small table of its own.
//
// Everything here is immutable after construction and safe to share between threads.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "server/config/server_config.h"

namespace ringkv::server::config {

enum class DirectiveType { kBool, kInt, kMemory, kOctal, kEnum, kString, kStringList, kSpecial };

// "bool", "int", "memory", ... as the docs spell them.
std::string_view DirectiveTypeName(DirectiveType type);

struct DirectiveInfo {
  std::string_view name;                  // canonical, lower case
  std::vector<std::string_view> aliases;  // other accepted names, lower case
  std::string_view default_value;         // the arguments as a config file would spell them
  bool runtime = false;                   // true: CONFIG SET may change it
  std::string_view doc;                   // one line for help and docs
};

class Directive {
 public:
  Directive(DirectiveInfo info, DirectiveType type) : info_(std::move(info)), type_(type) {}
  virtual ~Directive() = default;
  Directive(const Directive&) = delete;
  Directive& operator=(const Directive&) = delete;

  const DirectiveInfo& info() const { return info_; }
  std::string_view name() const { return info_.name; }
  DirectiveType type() const { return type_; }

  // Parses `args` (the words after the directive name) and stores the value into *cfg.
  // Returns InvalidArgument whose message is the reason Redis would print ("argument must be
  // between 0 and 65535 inclusive"). On failure *cfg is left unchanged.
  [[nodiscard]] virtual absl::Status Apply(std::span<const std::string> args,
                                           ServerConfig* cfg) const = 0;

  // The value as CONFIG GET returns it: plain byte counts, yes/no, words joined by spaces.
  virtual std::string Format(const ServerConfig& cfg) const = 0;

  // The full lines ("name value") CONFIG REWRITE writes for the current value.
  virtual std::vector<std::string> RewriteLines(const ServerConfig& cfg) const = 0;

  // True when CONFIG SET's single value string is split into several arguments (SplitArgs)
  // before Apply; false when it is passed as one argument, spaces included.
  virtual bool multi_arg() const { return false; }

  // The accepted values for the docs: "0..65535", "yes|no", "debug|verbose|...", or "".
  virtual std::string RangeDoc() const { return ""; }

 private:
  DirectiveInfo info_;
  DirectiveType type_;
};

class DirectiveTable {
 public:
  explicit DirectiveTable(std::vector<std::unique_ptr<Directive>> directives);

  // ringkv's directives, in the order the docs list them.
  static const DirectiveTable& Default();

  // Looks up a name or alias, case-insensitively. Returns nullptr when unknown.
  const Directive* Find(std::string_view name) const;

  // Position of `d` in all(); REQUIRES: d belongs to this table.
  size_t IndexOf(const Directive* d) const;

  const std::vector<std::unique_ptr<Directive>>& all() const { return directives_; }

 private:
  std::vector<std::unique_ptr<Directive>> directives_;
  absl::flat_hash_map<std::string, size_t> by_name_;  // names and aliases, lower case
};

// Optional extra check run after a value parsed; returns InvalidArgument with the reason.
template <typename T>
using ValueCheck = absl::Status (*)(const T& value);

// Factories for the typed directives. Each returns a directive bound to one ServerConfig field.
// Integers: parsed as Redis's string2ll, then checked against [min, max]; when clamp_max >=
// clamp_min the accepted value is then clamped into [clamp_min, clamp_max] (Redis's `hz`).
std::unique_ptr<Directive> MakeBool(DirectiveInfo info, bool ServerConfig::*field,
                                    ValueCheck<bool> check = nullptr);
std::unique_ptr<Directive> MakeInt(DirectiveInfo info, int ServerConfig::*field, int64_t min,
                                   int64_t max, int64_t clamp_min = 0, int64_t clamp_max = -1);
std::unique_ptr<Directive> MakeInt(DirectiveInfo info, int64_t ServerConfig::*field, int64_t min,
                                   int64_t max);
std::unique_ptr<Directive> MakeOctal(DirectiveInfo info, uint32_t ServerConfig::*field, int64_t min,
                                     int64_t max);
std::unique_ptr<Directive> MakeMemory(DirectiveInfo info, int64_t ServerConfig::*field, int64_t min,
                                      int64_t max);
std::unique_ptr<Directive> MakeEnum(DirectiveInfo info, IoBackendKind ServerConfig::*field,
                                    std::vector<std::string_view> names);
std::unique_ptr<Directive> MakeEnum(DirectiveInfo info, LogLevel ServerConfig::*field,
                                    std::vector<std::string_view> names);
std::unique_ptr<Directive> MakeString(DirectiveInfo info, std::string ServerConfig::*field,
                                      ValueCheck<std::string> check = nullptr);
// A list of words on one line (`bind a b c`); one empty word means an empty list.
std::unique_ptr<Directive> MakeStringList(DirectiveInfo info,
                                          std::vector<std::string> ServerConfig::*field,
                                          ValueCheck<std::vector<std::string>> check = nullptr);
// `client-output-buffer-limit <class> <hard> <soft> <seconds> [<class> ...]`.
std::unique_ptr<Directive> MakeClientOutputBufferLimit(DirectiveInfo info);

}  // namespace ringkv::server::config
