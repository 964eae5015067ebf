// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// What ACL rules can name: Redis 7.0's command categories and container subcommands, and the
// "command universe" of a command table (every command and subcommand with its ACL id). Split
// from server/acl.cc, which applies the rules; internal to the ACL model.
//
// Thread safety: constants and pure functions.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "server/command.h"
#include "server/command_table.h"

namespace ringkv::server::acl_internal {

// Redis 7.0's categories, in the order ACL CAT lists them; a category's bit is its index.
inline constexpr std::string_view kCategories[] = {
    "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
    "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
    "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};
inline constexpr size_t kNumCategories = std::size(kCategories);

struct Subcommand {
  std::string_view name;  // "parent|sub", lower case
  int arity;              // of the subcommand, name and subcommand word included
  std::string_view categories;
};

// Redis 7.0.15's container subcommands with their arity and ACL categories (from its COMMAND
// reply), sorted by name so that each parent's subcommands are contiguous. A subcommand takes
// part in ACL only when its parent is in the command table.
inline constexpr Subcommand kSubcommands[] = {
    {"acl|cat", -2, "@slow"},
    {"acl|deluser", -3, "@admin @slow @dangerous"},
    {"acl|dryrun", -4, "@admin @slow @dangerous"},
    {"acl|genpass", -2, "@slow"},
    {"acl|getuser", 3, "@admin @slow @dangerous"},
    {"acl|help", 2, "@slow"},
    {"acl|list", 2, "@admin @slow @dangerous"},
    {"acl|load", 2, "@admin @slow @dangerous"},
    {"acl|log", -2, "@admin @slow @dangerous"},
    {"acl|save", 2, "@admin @slow @dangerous"},
    {"acl|setuser", -3, "@admin @slow @dangerous"},
    {"acl|users", 2, "@admin @slow @dangerous"},
    {"acl|whoami", 2, "@slow"},
    {"client|caching", 3, "@slow @connection"},
    {"client|getname", 2, "@slow @connection"},
    {"client|getredir", 2, "@slow @connection"},
    {"client|help", 2, "@slow @connection"},
    {"client|id", 2, "@slow @connection"},
    {"client|info", 2, "@slow @connection"},
    {"client|kill", -3, "@admin @slow @dangerous @connection"},
    {"client|list", -2, "@admin @slow @dangerous @connection"},
    {"client|no-evict", 3, "@admin @slow @dangerous @connection"},
    {"client|pause", -3, "@admin @slow @dangerous @connection"},
    {"client|reply", 3, "@slow @connection"},
    {"client|setname", 3, "@slow @connection"},
    {"client|tracking", -3, "@slow @connection"},
    {"client|trackinginfo", 2, "@slow @connection"},
    {"client|unblock", -3, "@admin @slow @dangerous @connection"},
    {"client|unpause", 2, "@admin @slow @dangerous @connection"},
    {"cluster|addslots", -3, "@admin @slow @dangerous"},
    {"cluster|addslotsrange", -4, "@admin @slow @dangerous"},
    {"cluster|bumpepoch", 2, "@admin @slow @dangerous"},
    {"cluster|count-failure-reports", 3, "@admin @slow @dangerous"},
    {"cluster|countkeysinslot", 3, "@slow"},
    {"cluster|delslots", -3, "@admin @slow @dangerous"},
    {"cluster|delslotsrange", -4, "@admin @slow @dangerous"},
    {"cluster|failover", -2, "@admin @slow @dangerous"},
    {"cluster|flushslots", 2, "@admin @slow @dangerous"},
    {"cluster|forget", 3, "@admin @slow @dangerous"},
    {"cluster|getkeysinslot", 4, "@slow"},
    {"cluster|help", 2, "@slow"},
    {"cluster|info", 2, "@slow"},
    {"cluster|keyslot", 3, "@slow"},
    {"cluster|links", 2, "@slow"},
    {"cluster|meet", -4, "@admin @slow @dangerous"},
    {"cluster|myid", 2, "@slow"},
    {"cluster|nodes", 2, "@slow"},
    {"cluster|replicas", 3, "@admin @slow @dangerous"},
    {"cluster|replicate", 3, "@admin @slow @dangerous"},
    {"cluster|reset", 3, "@admin @slow @dangerous"},
    {"cluster|saveconfig", 2, "@admin @slow @dangerous"},
    {"cluster|set-config-epoch", 3, "@admin @slow @dangerous"},
    {"cluster|setslot", -4, "@admin @slow @dangerous"},
    {"cluster|settopology", 3, "@admin @slow @dangerous"},
    {"cluster|shards", 2, "@slow"},
    {"cluster|slaves", 3, "@admin @slow @dangerous"},
    {"cluster|slots", 2, "@slow"},
    {"command|count", 2, "@slow @connection"},
    {"command|docs", -2, "@slow @connection"},
    {"command|getkeys", -4, "@slow @connection"},
    {"command|getkeysandflags", -4, "@slow @connection"},
    {"command|help", 2, "@slow @connection"},
    {"command|info", -2, "@slow @connection"},
    {"command|list", -2, "@slow @connection"},
    {"config|get", -3, "@admin @slow @dangerous"},
    {"config|help", 2, "@slow"},
    {"config|resetstat", 2, "@admin @slow @dangerous"},
    {"config|rewrite", 2, "@admin @slow @dangerous"},
    {"config|set", -4, "@admin @slow @dangerous"},
    {"function|delete", 3, "@write @slow @scripting"},
    {"function|dump", 2, "@slow @scripting"},
    {"function|flush", -2, "@write @slow @scripting"},
    {"function|help", 2, "@slow @scripting"},
    {"function|kill", 2, "@slow @scripting"},
    {"function|list", -2, "@slow @scripting"},
    {"function|load", -3, "@write @slow @scripting"},
    {"function|restore", -3, "@write @slow @scripting"},
    {"function|stats", 2, "@slow @scripting"},
    {"latency|doctor", 2, "@admin @slow @dangerous"},
    {"latency|graph", 3, "@admin @slow @dangerous"},
    {"latency|help", 2, "@slow"},
    {"latency|histogram", -2, "@admin @slow @dangerous"},
    {"latency|history", 3, "@admin @slow @dangerous"},
    {"latency|latest", 2, "@admin @slow @dangerous"},
    {"latency|reset", -2, "@admin @slow @dangerous"},
    {"memory|doctor", 2, "@slow"},
    {"memory|help", 2, "@slow"},
    {"memory|malloc-stats", 2, "@slow"},
    {"memory|purge", 2, "@slow"},
    {"memory|stats", 2, "@slow"},
    {"memory|usage", -3, "@read @slow"},
    {"module|help", 2, "@slow"},
    {"module|list", 2, "@admin @slow @dangerous"},
    {"module|load", -3, "@admin @slow @dangerous"},
    {"module|loadex", -3, "@admin @slow @dangerous"},
    {"module|unload", 3, "@admin @slow @dangerous"},
    {"object|encoding", 3, "@keyspace @read @slow"},
    {"object|freq", 3, "@keyspace @read @slow"},
    {"object|help", 2, "@keyspace @slow"},
    {"object|idletime", 3, "@keyspace @read @slow"},
    {"object|refcount", 3, "@keyspace @read @slow"},
    {"pubsub|channels", -2, "@pubsub @slow"},
    {"pubsub|help", 2, "@slow"},
    {"pubsub|numpat", 2, "@pubsub @slow"},
    {"pubsub|numsub", -2, "@pubsub @slow"},
    {"pubsub|shardchannels", -2, "@pubsub @slow"},
    {"pubsub|shardnumsub", -2, "@pubsub @slow"},
    {"script|debug", 3, "@slow @scripting"},
    {"script|exists", -3, "@slow @scripting"},
    {"script|flush", -2, "@slow @scripting"},
    {"script|help", 2, "@slow @scripting"},
    {"script|kill", 2, "@slow @scripting"},
    {"script|load", 3, "@slow @scripting"},
    {"slowlog|get", -2, "@admin @slow @dangerous"},
    {"slowlog|help", 2, "@slow"},
    {"slowlog|len", 2, "@admin @slow @dangerous"},
    {"slowlog|reset", 2, "@admin @slow @dangerous"},
    {"xgroup|create", -5, "@write @stream @slow"},
    {"xgroup|createconsumer", 5, "@write @stream @slow"},
    {"xgroup|delconsumer", 5, "@write @stream @slow"},
    {"xgroup|destroy", 4, "@write @stream @slow"},
    {"xgroup|help", 2, "@stream @slow"},
    {"xgroup|setid", -5, "@write @stream @slow"},
    {"xinfo|consumers", 4, "@read @stream @slow"},
    {"xinfo|groups", 3, "@read @stream @slow"},
    {"xinfo|help", 2, "@stream @slow"},
    {"xinfo|stream", -3, "@read @stream @slow"},
};
inline constexpr size_t kNumSubcommands = std::size(kSubcommands);
static_assert(std::is_sorted(std::begin(kSubcommands), std::end(kSubcommands),
                             [](const Subcommand& a, const Subcommand& b) {
                               return a.name < b.name;
                             }));

// A category's index in kCategories (any case), or -1.
int CategoryIndex(std::string_view name);
// "@read @string @fast" -> bit mask over kCategories (unknown words are ignored).
uint32_t CategoryMask(std::string_view categories);
// The [begin, end) range of kSubcommands whose parent is `parent` (lower case); empty if none.
std::pair<size_t, size_t> SubcommandRange(std::string_view parent);
// Index in kSubcommands of `parent|sub` (sub in any case), or -1.
int FindSubcommand(std::string_view parent, std::string_view sub);

// One command or subcommand as ACL rules see it.
struct AclCommand {
  size_t id;
  std::string_view fullname;
  uint32_t categories;
  int parent = -1;                    // id of the parent for a subcommand
  size_t sub_begin = 0, sub_end = 0;  // subcommands (kSubcommands indexes) of a container
  const CommandSpec* spec = nullptr;  // the top-level spec (the parent's for a subcommand)
  int arity = 0;
};

// The ACL id of the sub_index-th entry of kSubcommands: after every top-level command.
size_t SubcommandId(const CommandTable& table, size_t sub_index);
// Every command and subcommand ACL rules can name, parents before their subcommands, in the
// command table's order.
std::vector<AclCommand> Universe(const CommandTable& table);
// Redis's ACLLookupCommand: "name" or "parent|sub" (any case), subcommands only of containers.
std::optional<AclCommand> LookupCommand(const CommandTable& table, std::string_view name);

}  // namespace ringkv::server::acl_internal
