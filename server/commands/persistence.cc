// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Persistence commands: SAVE, BGSAVE [SCHEDULE], LASTSAVE (server/persistence/persistence.h).
#include "server/persistence/persistence.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;
using cmd::Is;

// SAVE: a snapshot on this worker's thread (its clients wait; the others are served).
void Save(CommandContext& ctx, Args) {
  if (ctx.server.persistence == nullptr) {
    ctx.reply.Error("ERR snapshots are not available in this server");
    return;
  }
  absl::Status s = ctx.server.persistence->Save();
  if (s.ok()) {
    ctx.reply.Ok();
  } else if (absl::IsFailedPrecondition(s)) {
    ctx.reply.Error(std::string(s.message()));
  } else {
    ctx.reply.Error(absl::StrCat("ERR Saving the snapshot failed: ", s.message()));
  }
}

// BGSAVE [SCHEDULE]: a snapshot in the background.
void BgSave(CommandContext& ctx, Args args) {
  bool schedule = false;
  if (args.size() == 2 && Is(args[1], "SCHEDULE")) {
    schedule = true;
  } else if (args.size() > 1) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  if (ctx.server.persistence == nullptr) {
    ctx.reply.Error("ERR snapshots are not available in this server");
    return;
  }
  using R = persistence::Persistence::BgSaveResult;
  switch (ctx.server.persistence->BgSave(schedule)) {
    case R::kStarted:
      ctx.reply.SimpleString("Background saving started");
      break;
    case R::kScheduled:
      ctx.reply.SimpleString("Background saving scheduled");
      break;
    case R::kAlreadyRunning:
      ctx.reply.Error("ERR Background save already in progress");
      break;
  }
}

void LastSave(CommandContext& ctx, Args) {
  ctx.reply.Integer(ctx.server.persistence != nullptr ? ctx.server.persistence->last_save_s()
                                                      : ctx.server.start_time_ms / 1000);
}

}  // namespace

void RegisterPersistenceCommands(CommandTable& table) {
  table.Add({.name = "save",
             .arity = 1,
             .flags = kAdmin | kNoscript | kNoMulti,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "1.0.0",
             .summary = "Synchronously saves the database(s) to disk.",
             .handler = Save});
  table.Add({.name = "bgsave",
             .arity = -1,
             .flags = kAdmin | kNoscript | kNoMulti,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "1.0.0",
             .summary = "Asynchronously saves the database(s) to disk.",
             .handler = BgSave});
  table.Add({.name = "lastsave",
             .arity = 1,
             .flags = kLoading | kStale | kFast,
             .acl_categories = "@admin @fast @dangerous",
             .tips = "nondeterministic_output",
             .group = "server",
             .since = "1.0.0",
             .summary = "Returns the Unix timestamp of the last successful save to disk.",
             .handler = LastSave});
}

}  // namespace ringkv::server
