// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#include "server/command_table.h"

#include <algorithm>
#include <cassert>

#include "absl/strings/ascii.h"
#include "absl/strings/str_split.h"

namespace ringkv::server {

namespace {

// Longest command name Redis has is under 32 bytes; anything longer cannot match.
constexpr size_t kMaxNameLen = 64;

// In the order Redis 7 lists them in COMMAND replies.
constexpr std::pair<CommandFlag, std::string_view> kFlagNames[] = {
    {kWrite, "write"},          {kReadonly, "readonly"},
    {kDenyOom, "denyoom"},      {kAdmin, "admin"},
    {kPubsub, "pubsub"},        {kNoscript, "noscript"},
    {kBlocking, "blocking"},    {kLoading, "loading"},
    {kStale, "stale"},          {kSkipSlowlog, "skip_slowlog"},
    {kAsking, "asking"},        {kFast, "fast"},
    {kNoAuth, "no_auth"},       {kNoMulti, "no_multi"},
    {kAllowBusy, "allow_busy"}, {kMovableKeys, "movablekeys"},
};

std::vector<std::string_view> Words(std::string_view s) {
  std::vector<std::string_view> out;
  for (absl::string_view w :
       absl::StrSplit(absl::string_view(s.data(), s.size()), ' ', absl::SkipEmpty())) {
    out.emplace_back(w.data(), w.size());
  }
  return out;
}

void EncodeFlags(std::string_view words, protocol::ReplyEncoder& reply) {
  std::vector<std::string_view> flags = Words(words);
  reply.SetHeader(flags.size());
  for (std::string_view f : flags) reply.SimpleString(f);
}

// One of the spec's own key specs (server/key_specs.cc).
void EncodeKeySpec(const KeySpec& ks, protocol::ReplyEncoder& reply) {
  reply.MapHeader(3);
  reply.Bulk("flags");
  EncodeFlags(ks.flags, reply);
  reply.Bulk("begin_search");
  reply.MapHeader(2);
  reply.Bulk("type");
  if (ks.keyword.empty()) {
    reply.Bulk("index");
    reply.Bulk("spec");
    reply.MapHeader(1);
    reply.Bulk("index");
    reply.Integer(ks.index);
  } else {
    reply.Bulk("keyword");
    reply.Bulk("spec");
    reply.MapHeader(2);
    reply.Bulk("keyword");
    reply.Bulk(ks.keyword);
    reply.Bulk("startfrom");
    reply.Integer(ks.startfrom);
  }
  reply.Bulk("find_keys");
  reply.MapHeader(2);
  reply.Bulk("type");
  if (ks.keynum) {
    reply.Bulk("keynum");
    reply.Bulk("spec");
    reply.MapHeader(3);
    reply.Bulk("keynumidx");
    reply.Integer(ks.keynumidx);
    reply.Bulk("firstkey");
    reply.Integer(ks.firstkey);
    reply.Bulk("keystep");
    reply.Integer(ks.keystep);
  } else {
    reply.Bulk("range");
    reply.Bulk("spec");
    reply.MapHeader(3);
    reply.Bulk("lastkey");
    reply.Integer(ks.lastkey);
    reply.Bulk("keystep");
    reply.Integer(ks.keystep);
    reply.Bulk("limit");
    reply.Integer(ks.limit);
  }
}

void EncodeKeySpec(const CommandSpec& spec, protocol::ReplyEncoder& reply) {
  const bool has_notes = !spec.key_spec_notes.empty();
  reply.MapHeader(has_notes ? 4 : 3);
  if (has_notes) {
    reply.Bulk("notes");
    reply.Bulk(spec.key_spec_notes);
  }
  reply.Bulk("flags");
  EncodeFlags(spec.key_spec_flags, reply);
  reply.Bulk("begin_search");
  reply.MapHeader(2);
  reply.Bulk("type");
  reply.Bulk("index");
  reply.Bulk("spec");
  reply.MapHeader(1);
  reply.Bulk("index");
  reply.Integer(spec.first_key);
  reply.Bulk("find_keys");
  reply.MapHeader(2);
  reply.Bulk("type");
  reply.Bulk("range");
  reply.Bulk("spec");
  reply.MapHeader(3);
  reply.Bulk("lastkey");
  reply.Integer(spec.last_key < 0 ? spec.last_key : spec.last_key - spec.first_key);
  reply.Bulk("keystep");
  reply.Integer(spec.key_step);
  reply.Bulk("limit");
  reply.Integer(0);
}

}  // namespace

CommandTable::CommandTable() {
  RegisterConnectionCommands(*this);
  RegisterStringCommands(*this);
  RegisterBitmapCommands(*this);
  RegisterKeyCommands(*this);
  RegisterHashCommands(*this);
  RegisterListCommands(*this);
  RegisterBlockingCommands(*this);
  RegisterSetCommands(*this);
  RegisterZSetCommands(*this);
  RegisterStreamCommands(*this);
  RegisterScriptingCommands(*this);
  RegisterClusterCommands(*this);
  RegisterTransactionCommands(*this);
  RegisterPubSubCommands(*this);
  RegisterDiagnosticCommands(*this);
  RegisterPersistenceCommands(*this);
  RegisterServerCommands(*this);
  RegisterClientCommands(*this);
  RegisterConfigCommands(*this);
  RegisterAclCommands(*this);
}

void CommandTable::Add(const CommandSpec& spec) {
  assert(index_.find(std::string(spec.name)) == index_.end());
  index_.emplace(std::string(spec.name), specs_.size());
  specs_.push_back(spec);
  if (specs_.back().key_specs.empty()) specs_.back().key_specs = KeySpecsFor(spec.name);
}

const CommandSpec* CommandTable::Find(std::string_view name) const {
  if (name.size() > kMaxNameLen) return nullptr;
  char lower[kMaxNameLen];
  for (size_t i = 0; i < name.size(); ++i) {
    lower[i] = absl::ascii_tolower(static_cast<unsigned char>(name[i]));
  }
  auto it = index_.find(absl::string_view(lower, name.size()));
  return it == index_.end() ? nullptr : &specs_[it->second];
}

void EncodeCommandInfo(const CommandSpec& spec, protocol::ReplyEncoder& reply) {
  reply.ArrayHeader(10);
  reply.Bulk(spec.name);
  reply.Integer(spec.arity);
  size_t nflags = 0;
  for (const auto& [flag, name] : kFlagNames) nflags += (spec.flags & flag) ? 1 : 0;
  reply.SetHeader(nflags);
  for (const auto& [flag, name] : kFlagNames) {
    if (spec.flags & flag) reply.SimpleString(name);
  }
  reply.Integer(spec.first_key);
  reply.Integer(spec.last_key);
  reply.Integer(spec.key_step);
  std::vector<std::string_view> cats = Words(spec.acl_categories);
  reply.SetHeader(cats.size());
  for (std::string_view c : cats) reply.SimpleString(c);
  std::vector<std::string_view> tips = Words(spec.tips);
  reply.SetHeader(tips.size());
  for (std::string_view t : tips) reply.Bulk(t);
  // Key specs: the command's own (server/key_specs.cc), or the "index + range" form that
  // first/last/step describe.
  if (!spec.key_specs.empty()) {
    reply.ArrayHeader(spec.key_specs.size());
    for (const KeySpec& ks : spec.key_specs) EncodeKeySpec(ks, reply);
  } else {
    reply.ArrayHeader(spec.first_key > 0 ? 1 : 0);
    if (spec.first_key > 0) EncodeKeySpec(spec, reply);
  }
  reply.ArrayHeader(0);  // subcommands
}

}  // namespace ringkv::server
