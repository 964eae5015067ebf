// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The shape of a command: its entry in the declarative command table (name, arity, flags, key
// positions, ACL categories, handler) and the context a handler runs in. COMMAND, COMMAND INFO,
// COMMAND COUNT/DOCS/LIST/GETKEYS and (later) ACL categories and cluster slot checks are all
// derived from these entries, never written by hand.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/engine.h"
#include "protocol/reply_encoder.h"

namespace ringkv::server {

// Command flags, named as Redis's COMMAND reply names them.
enum CommandFlag : uint32_t {
  kWrite = 1 << 0,
  kReadonly = 1 << 1,
  kDenyOom = 1 << 2,
  kAdmin = 1 << 3,
  kPubsub = 1 << 4,
  kNoscript = 1 << 5,
  kBlocking = 1 << 6,
  kLoading = 1 << 7,
  kStale = 1 << 8,
  kFast = 1 << 9,
  kNoAuth = 1 << 10,
  kAllowBusy = 1 << 11,
  kMovableKeys = 1 << 12,
  kNoMulti = 1 << 13,
  kSkipSlowlog = 1 << 14,
  kAsking = 1 << 15,  // served in an importing slot without ASKING (RESTORE-ASKING)
};

struct ServerContext;
struct ClientState;

// One of Redis 7's key specs (COMMAND INFO / DOCS): where a run of keys begins (begin_search:
// an argument index, or the argument after a keyword) and how far it goes (find_keys: a range,
// or a count read from an argument), with the keys' flags ("RW access delete").
struct KeySpec {
  std::string_view flags;
  // begin_search "index": the 1-based argument index. "keyword": the argument after `keyword`,
  // searched from argument `startfrom` (negative: counted from the end, searching backwards).
  int index = 0;
  std::string_view keyword = {};
  int startfrom = 0;
  // find_keys "range": keys up to `lastkey` (relative to the first; negative: from the end of
  // the arguments), every `keystep`, `limit` (> 1: only 1/limit of what is left). "keynum" (when
  // keynum): the count is the argument keynumidx after the begin, keys start firstkey after it.
  bool keynum = false;
  int lastkey = 0;
  int keystep = 1;
  int limit = 0;
  int keynumidx = 0;
  int firstkey = 0;
};

// What a handler may touch: the engine, the reply encoder of the calling connection, that
// connection's state, and the server-wide state.
struct CommandContext {
  engine::Engine& engine;
  protocol::ReplyEncoder& reply;
  ClientState& client;
  ServerContext& server;
};

using CommandHandler = void (*)(CommandContext& ctx, std::span<const std::string_view> args);
// For commands whose key positions depend on their arguments (movable keys: ZUNIONSTORE's
// numkeys, LMPOP, ...): appends the 1-based argument index of every key. Arguments have passed
// the arity check; malformed ones may yield fewer keys (the handler reports the error).
using KeyFinder = void (*)(std::span<const std::string_view> args, std::vector<size_t>* positions);

struct CommandSpec {
  std::string_view name;  // lower case, as COMMAND reports it
  // Redis's arity: positive = exact argument count (name included), negative = at least -arity.
  int arity = 0;
  uint32_t flags = 0;
  // Key positions (1-based argument index; last_key -1 = the last argument; 0 = no keys).
  int first_key = 0;
  int last_key = 0;
  int key_step = 0;
  std::string_view acl_categories = {};  // space-separated, e.g. "@read @string @fast"
  std::string_view tips = {};            // space-separated, e.g. "request_policy:all_shards"
  std::string_view key_spec_flags = {};  // space-separated, e.g. "RW access update"
  std::string_view key_spec_notes = {};  // optional note on the key spec
  std::string_view group = {};           // "string", "generic", "connection", "server", ...
  std::string_view since = {};           // Redis version that introduced it, for COMMAND DOCS
  std::string_view summary = {};         // one line, for COMMAND DOCS
  CommandHandler handler = nullptr;
  // Set for commands flagged kMovableKeys; the fixed first/last/step above then describe only
  // the keys that never move (often none).
  KeyFinder get_keys = nullptr;
  // Redis's key specs when one "index + range" spec built from first/last/step and
  // key_spec_flags does not describe the keys (several kinds of keys, keynum or keyword forms);
  // filled from server/key_specs.cc when the table is built.
  std::span<const KeySpec> key_specs = {};
};

// The 1-based argument indexes of the keys `ks` finds in `args` (Redis's key-spec walk).
void KeySpecPositions(const KeySpec& ks, std::span<const std::string_view> args,
                      std::vector<size_t>* out);

// The 1-based argument indexes of the keys of one call: from the fixed key spec and get_keys,
// or, for movable keys without get_keys, from the command's key specs (which then describe every
// key). Returns false for a command with movable keys and neither (its keys are unknown).
inline bool KeyPositions(const CommandSpec& spec, std::span<const std::string_view> args,
                         std::vector<size_t>* out) {
  if ((spec.flags & kMovableKeys) && spec.get_keys == nullptr && !spec.key_specs.empty()) {
    for (const KeySpec& ks : spec.key_specs) KeySpecPositions(ks, args, out);
    return true;
  }
  if (spec.first_key > 0) {
    int64_t argc = static_cast<int64_t>(args.size());
    int64_t last = spec.last_key < 0 ? argc + spec.last_key : spec.last_key;
    int64_t step = spec.key_step > 0 ? spec.key_step : 1;
    for (int64_t i = spec.first_key; i <= last && i < argc; i += step) {
      out->push_back(static_cast<size_t>(i));
    }
  }
  if (spec.flags & kMovableKeys) {
    if (spec.get_keys == nullptr) return false;
    spec.get_keys(args, out);
  }
  return true;
}

// True if `argc` (name included) satisfies the arity.
inline bool ArityOk(const CommandSpec& spec, size_t argc) {
  return spec.arity >= 0 ? argc == static_cast<size_t>(spec.arity)
                         : argc >= static_cast<size_t>(-spec.arity);
}

}  // namespace ringkv::server
