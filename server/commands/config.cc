// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CONFIG GET / SET / REWRITE / RESETSTAT / HELP over the ConfigStore (server/config/). The store
// words its own errors exactly as Redis does; live changes reach the workers through callbacks
// the server registered (server.cc).
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/config/config_store.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;

bool Is(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(absl::string_view(a.data(), a.size()),
                                absl::string_view(b.data(), b.size()));
}

std::vector<std::string> Strings(Args args, size_t from) {
  return std::vector<std::string>(args.begin() + static_cast<std::ptrdiff_t>(from), args.end());
}

void ConfigGet(CommandContext& ctx, Args args) {
  auto pairs = ctx.server.config->Get(Strings(args, 2));
  ctx.reply.MapHeader(pairs.size());
  for (const auto& [name, value] : pairs) {
    ctx.reply.Bulk(name);
    ctx.reply.Bulk(value);
  }
}

void Reply(CommandContext& ctx, const absl::Status& s) {
  if (s.ok()) {
    ctx.reply.Ok();
  } else {
    ctx.reply.Error(std::string_view(s.message().data(), s.message().size()));
  }
}

void ResetStat(CommandContext& ctx) {
  ServerStats& s = ctx.server.stats;
  s.total_connections_received = 0;
  s.rejected_connections = 0;
  s.total_net_input_bytes = 0;
  s.total_net_output_bytes = 0;
  ctx.server.command_stats.Reset();
  ctx.reply.Ok();
}

void Help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "GET <pattern>",
      "    Return parameters matching the glob-like <pattern> and their values.",
      "SET <directive> <value>",
      "    Set the configuration <directive> to <value>.",
      "RESETSTAT",
      "    Reset statistics reported by the INFO command.",
      "REWRITE",
      "    Rewrite the configuration file.",
  };
  cmd::ReplyHelp(ctx, "CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
}

void Config(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  const size_t n = args.size();
  if (Is(sub, "HELP") && n == 2) {
    Help(ctx);
  } else if (Is(sub, "RESETSTAT") && n == 2) {
    ResetStat(ctx);
  } else if (ctx.server.config == nullptr &&
             (Is(sub, "GET") || Is(sub, "SET") || Is(sub, "REWRITE"))) {
    ctx.reply.Error("ERR CONFIG is not available in this context");
  } else if (Is(sub, "GET") && n >= 3) {
    ConfigGet(ctx, args);
  } else if (Is(sub, "SET") && n >= 4 && n % 2 == 0) {
    Reply(ctx, ctx.server.config->Set(Strings(args, 2)));
  } else if (Is(sub, "SET") && n >= 4) {
    ctx.reply.Error(errors::kSyntax);  // a name without its value (Redis 7.0)
  } else if (Is(sub, "REWRITE") && n == 2) {
    Reply(ctx, ctx.server.config->Rewrite());
  } else if (Is(sub, "GET") || Is(sub, "SET") || Is(sub, "REWRITE") || Is(sub, "RESETSTAT")) {
    ctx.reply.Error(errors::WrongArity(
        absl::StrCat("config|", absl::AsciiStrToLower(absl::string_view(sub.data(), sub.size())))));
  } else {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "CONFIG"));
  }
}

}  // namespace

void RegisterConfigCommands(CommandTable& table) {
  table.Add({.name = "config",
             .arity = -2,
             .flags = kAdmin | kNoscript | kLoading | kStale,
             .acl_categories = "@admin @slow @dangerous",
             .group = "server",
             .since = "2.0.0",
             .summary = "A container for server configuration commands.",
             .handler = Config});
}

}  // namespace ringkv::server
