// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// SCAN and KEYS. SCAN's cursor is the engine's hash-position cursor (docs/engine.md, "SCAN"), so
// cursor values differ from Redis's while the guarantees (every key present for the whole scan
// returned, 0 ends it) are the same. Options and cursor parsing follow Redis 7.0's
// scanGenericCommand: COUNT must be >= 1, MATCH "*" is no filter, an unknown TYPE matches
// nothing (7.0 does not refuse it).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server::cmd {

namespace {

void ReplyKeys(CommandContext& ctx, const std::vector<std::string>& keys) {
  ctx.reply.ArrayHeader(keys.size());
  for (const std::string& k : keys) ctx.reply.Bulk(k);
}

// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
void Scan(CommandContext& ctx, Args args) {
  uint64_t cursor;
  if (!ParseScanCursor(args[1], &cursor)) {
    ctx.reply.Error(errors::kInvalidCursor);
    return;
  }
  engine::ScanOptions options;
  std::optional<std::string_view> pattern;
  for (size_t i = 2; i < args.size(); i += 2) {
    const bool has_next = i + 1 < args.size();
    if (Is(args[i], "COUNT") && has_next) {
      int64_t count;
      if (!ParseInt64(args[i + 1], &count)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (count < 1) {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
      options.count = static_cast<size_t>(count);
    } else if (Is(args[i], "MATCH") && has_next) {
      pattern = args[i + 1];
    } else if (Is(args[i], "TYPE") && has_next) {
      engine::ValueType type;
      // kNone is never stored, so an unknown name filters out every key.
      options.type = engine::ParseTypeName(args[i + 1], &type) ? type : engine::ValueType::kNone;
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  // The engine reads an empty pattern as "no filter"; for Redis MATCH "" matches only the empty
  // key name, so that case is filtered here.
  const bool only_empty = pattern.has_value() && pattern->empty();
  if (pattern.has_value() && *pattern != "*") options.pattern = *pattern;
  std::vector<std::string> keys;
  uint64_t next = ctx.engine.Scan(ctx.client.db, cursor, options, [&](std::string_view key) {
    if (!only_empty || key.empty()) keys.emplace_back(key);
  });
  ctx.reply.ArrayHeader(2);
  ctx.reply.Bulk(std::to_string(next));
  ReplyKeys(ctx, keys);
}

void Keys(CommandContext& ctx, Args args) {
  std::vector<std::string> keys;
  if (args[1].empty()) {
    // As for SCAN: the pattern "" matches only the empty key name.
    if (ctx.engine.Exists(ctx.client.db, std::string_view())) keys.emplace_back();
    ReplyKeys(ctx, keys);
    return;
  }
  ctx.engine.Keys(ctx.client.db, args[1], [&](std::string_view key) { keys.emplace_back(key); });
  ReplyKeys(ctx, keys);
}

}  // namespace

void RegisterScanCommands(CommandTable& table) {
  table.Add({.name = "scan",
             .arity = -2,
             .flags = kReadonly,
             .acl_categories = "@keyspace @read @slow",
             .tips = "nondeterministic_output request_policy:special",
             .group = "generic",
             .since = "2.8.0",
             .summary = "Iterates over the key names in the database.",
             .handler = Scan});
  table.Add({.name = "keys",
             .arity = 2,
             .flags = kReadonly,
             .acl_categories = "@keyspace @read @slow @dangerous",
             .tips = "request_policy:all_shards nondeterministic_output_order",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Returns all key names that match a pattern.",
             .handler = Keys});
}

}  // namespace ringkv::server::cmd
