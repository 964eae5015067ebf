// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Generic keyspace commands (Redis's "generic" group): DEL, EXISTS, DBSIZE.
#include <cstdint>

#include "server/command_table.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;

void Del(CommandContext& ctx, Args args) {
  int64_t removed = 0;
  for (size_t i = 1; i < args.size(); ++i) removed += ctx.engine.Del(ctx.client.db, args[i]);
  ctx.reply.Integer(removed);
}

// EXISTS counts a key once per time it is named, as Redis does.
void Exists(CommandContext& ctx, Args args) {
  int64_t found = 0;
  for (size_t i = 1; i < args.size(); ++i) found += ctx.engine.Exists(ctx.client.db, args[i]);
  ctx.reply.Integer(found);
}

void DbSize(CommandContext& ctx, Args) {
  ctx.reply.Integer(static_cast<int64_t>(ctx.engine.DbSize(ctx.client.db)));
}

}  // namespace

void RegisterKeyCommands(CommandTable& table) {
  constexpr std::string_view kMultiShardSum = "request_policy:multi_shard response_policy:agg_sum";
  table.Add({.name = "del",
             .arity = -2,
             .flags = kWrite,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .acl_categories = "@keyspace @write @slow",
             .tips = kMultiShardSum,
             .key_spec_flags = "RM delete",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Deletes one or more keys.",
             .handler = Del});
  table.Add({.name = "exists",
             .arity = -2,
             .flags = kReadonly | kFast,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .acl_categories = "@keyspace @read @fast",
             .tips = kMultiShardSum,
             .key_spec_flags = "RO",
             .group = "generic",
             .since = "1.0.0",
             .summary = "Determines whether one or more keys exist.",
             .handler = Exists});
  table.Add({.name = "dbsize",
             .arity = 1,
             .flags = kReadonly | kFast,
             .acl_categories = "@keyspace @read @fast",
             .tips = "request_policy:all_shards response_policy:agg_sum",
             .group = "server",
             .since = "1.0.0",
             .summary = "Returns the number of keys in the database.",
             .handler = DbSize});
}

}  // namespace ringkv::server
