// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/acl_commands.h"

#include <algorithm>
#include <iterator>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"

namespace ringkv::server::acl_internal {

namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IEquals(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(Sv(a), Sv(b));
}

}  // namespace

// ---- Categories and subcommands ----------------------------------------------------------------

int CategoryIndex(std::string_view name) {
  for (size_t i = 0; i < kNumCategories; ++i) {
    if (IEquals(kCategories[i], name)) return static_cast<int>(i);
  }
  return -1;
}

// "@read @string @fast" -> bit mask over kCategories (unknown words are ignored).
uint32_t CategoryMask(std::string_view categories) {
  uint32_t mask = 0;
  for (absl::string_view word : absl::StrSplit(Sv(categories), ' ', absl::SkipEmpty())) {
    if (word.empty() || word[0] != '@') continue;
    int i = CategoryIndex(std::string_view(word.data() + 1, word.size() - 1));
    if (i >= 0) mask |= 1u << i;
  }
  return mask;
}

// The [begin, end) range of kSubcommands whose parent is `parent` (lower case); empty if none.
std::pair<size_t, size_t> SubcommandRange(std::string_view parent) {
  const Subcommand* first =
      std::lower_bound(std::begin(kSubcommands), std::end(kSubcommands), parent,
                       [](const Subcommand& s, std::string_view p) { return s.name < p; });
  size_t begin = static_cast<size_t>(first - std::begin(kSubcommands));
  size_t end = begin;
  while (end < kNumSubcommands && kSubcommands[end].name.size() > parent.size() &&
         kSubcommands[end].name.substr(0, parent.size()) == parent &&
         kSubcommands[end].name[parent.size()] == '|') {
    ++end;
  }
  // lower_bound may land on "parent|..." only; anything else means no subcommands.
  return {begin, end};
}

// Index in kSubcommands of `parent|sub` (sub in any case), or -1.
int FindSubcommand(std::string_view parent, std::string_view sub) {
  auto [begin, end] = SubcommandRange(parent);
  for (size_t i = begin; i < end; ++i) {
    if (IEquals(kSubcommands[i].name.substr(parent.size() + 1), sub)) return static_cast<int>(i);
  }
  return -1;
}

// ---- The command universe of one command table -------------------------------------------------

size_t SubcommandId(const CommandTable& table, size_t sub_index) {
  return table.all().size() + sub_index;
}

// Every command and subcommand ACL rules can name, parents before their subcommands, in the
// command table's order.
std::vector<AclCommand> Universe(const CommandTable& table) {
  std::vector<AclCommand> out;
  std::span<const CommandSpec> specs = table.all();
  out.reserve(specs.size() + kNumSubcommands);
  for (size_t i = 0; i < specs.size(); ++i) {
    const CommandSpec& spec = specs[i];
    auto [begin, end] = SubcommandRange(spec.name);
    out.push_back({.id = i,
                   .fullname = spec.name,
                   .categories = CategoryMask(spec.acl_categories),
                   .sub_begin = begin,
                   .sub_end = end,
                   .spec = &spec,
                   .arity = spec.arity});
    for (size_t s = begin; s < end; ++s) {
      out.push_back({.id = SubcommandId(table, s),
                     .fullname = kSubcommands[s].name,
                     .categories = CategoryMask(kSubcommands[s].categories),
                     .parent = static_cast<int>(i),
                     .spec = &spec,
                     .arity = kSubcommands[s].arity});
    }
  }
  return out;
}

// Redis's ACLLookupCommand: "name" or "parent|sub" (any case), subcommands only of containers.
std::optional<AclCommand> LookupCommand(const CommandTable& table, std::string_view name) {
  size_t bar = name.find('|');
  std::string_view top = bar == std::string_view::npos ? name : name.substr(0, bar);
  const CommandSpec* spec = table.Find(top);
  if (spec == nullptr) return std::nullopt;
  const size_t id = static_cast<size_t>(spec - table.all().data());
  auto [begin, end] = SubcommandRange(spec->name);
  if (bar == std::string_view::npos) {
    return AclCommand{.id = id,
                      .fullname = spec->name,
                      .categories = CategoryMask(spec->acl_categories),
                      .sub_begin = begin,
                      .sub_end = end,
                      .spec = spec,
                      .arity = spec->arity};
  }
  std::string_view sub = name.substr(bar + 1);
  if (sub.find('|') != std::string_view::npos) return std::nullopt;
  int s = FindSubcommand(spec->name, sub);
  if (s < 0) return std::nullopt;
  return AclCommand{.id = SubcommandId(table, static_cast<size_t>(s)),
                    .fullname = kSubcommands[s].name,
                    .categories = CategoryMask(kSubcommands[s].categories),
                    .parent = static_cast<int>(id),
                    .spec = spec,
                    .arity = kSubcommands[s].arity};
}

}  // namespace ringkv::server::acl_internal
