// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Pub/sub commands: PUBLISH, SPUBLISH, (P|S)SUBSCRIBE, (P|S)UNSUBSCRIBE and PUBSUB CHANNELS /
// NUMSUB / NUMPAT / SHARDCHANNELS / SHARDNUMSUB / HELP, with Redis 7.0's replies: one
// confirmation per name, as a RESP3 push or a RESP2 array, carrying the client's running count
// (channels + patterns, or shard channels for the shard commands). The registry and the delivery
// across workers are in server/pubsub.h.
#include "server/pubsub.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;

absl::string_view Av(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// Redis quotes at most this many bytes of a bad subcommand name.
constexpr size_t kMaxSubcommandText = 128;

// The words of the (un)subscribe confirmations, indexed by SubKind.
constexpr std::string_view kSubscribeWord[kNumSubKinds] = {"subscribe", "psubscribe", "ssubscribe"};
constexpr std::string_view kUnsubscribeWord[kNumSubKinds] = {"unsubscribe", "punsubscribe",
                                                             "sunsubscribe"};

// [word, name or null, count] as a push (RESP2: an array).
void ReplyConfirmation(CommandContext& ctx, std::string_view word, const std::string_view* name,
                       SubKind kind) {
  ctx.reply.PushHeader(3);
  ctx.reply.Bulk(word);
  if (name != nullptr) {
    ctx.reply.Bulk(*name);
  } else {
    ctx.reply.Null();
  }
  ctx.reply.Integer(PubSubRegistry::ReplyCount(ctx.client, kind));
}

void SubscribeGeneric(CommandContext& ctx, Args args, SubKind kind) {
  PubSubRegistry& registry = ctx.server.pubsub;
  for (size_t i = 1; i < args.size(); ++i) {
    registry.Subscribe(ctx.client, kind, args[i]);
    ReplyConfirmation(ctx, kSubscribeWord[static_cast<int>(kind)], &args[i], kind);
  }
}

// With names: one confirmation each, subscribed or not. Without: one per subscription dropped,
// or a single [word, null, count] when there was none.
void UnsubscribeGeneric(CommandContext& ctx, Args args, SubKind kind) {
  PubSubRegistry& registry = ctx.server.pubsub;
  const std::string_view word = kUnsubscribeWord[static_cast<int>(kind)];
  if (args.size() > 1) {
    for (size_t i = 1; i < args.size(); ++i) {
      registry.Unsubscribe(ctx.client, kind, args[i]);
      ReplyConfirmation(ctx, word, &args[i], kind);
    }
    return;
  }
  std::vector<std::string> names = registry.Names(ctx.client, kind);
  if (names.empty()) {
    ReplyConfirmation(ctx, word, nullptr, kind);
    return;
  }
  for (const std::string& name : names) {
    registry.Unsubscribe(ctx.client, kind, name);
    std::string_view view(name);
    ReplyConfirmation(ctx, word, &view, kind);
  }
}

void Subscribe(CommandContext& ctx, Args args) { SubscribeGeneric(ctx, args, SubKind::kChannel); }
void PSubscribe(CommandContext& ctx, Args args) { SubscribeGeneric(ctx, args, SubKind::kPattern); }
void SSubscribe(CommandContext& ctx, Args args) { SubscribeGeneric(ctx, args, SubKind::kShard); }
void Unsubscribe(CommandContext& ctx, Args args) {
  UnsubscribeGeneric(ctx, args, SubKind::kChannel);
}
void PUnsubscribe(CommandContext& ctx, Args args) {
  UnsubscribeGeneric(ctx, args, SubKind::kPattern);
}
void SUnsubscribe(CommandContext& ctx, Args args) {
  UnsubscribeGeneric(ctx, args, SubKind::kShard);
}

void Publish(CommandContext& ctx, Args args) {
  ctx.reply.Integer(ctx.server.pubsub.Publish(SubKind::kChannel, args[1], args[2]));
}

void SPublish(CommandContext& ctx, Args args) {
  ctx.reply.Integer(ctx.server.pubsub.Publish(SubKind::kShard, args[1], args[2]));
}

// ---- PUBSUB. -----------------------------------------------------------------------------------

void ReplyNames(CommandContext& ctx, Args args, SubKind kind) {
  std::optional<std::string_view> pattern;
  if (args.size() == 3) pattern = args[2];
  std::vector<std::string> names = ctx.server.pubsub.ActiveNames(kind, pattern);
  ctx.reply.ArrayHeader(names.size());
  for (const std::string& name : names) ctx.reply.Bulk(name);
}

void ReplyCounts(CommandContext& ctx, Args args, SubKind kind) {
  // A flat [name, count, ...] array in both protocols (Redis 7.0), repeated names kept.
  ctx.reply.ArrayHeader((args.size() - 2) * 2);
  for (size_t i = 2; i < args.size(); ++i) {
    ctx.reply.Bulk(args[i]);
    ctx.reply.Integer(ctx.server.pubsub.CountSubscribers(kind, args[i]));
  }
}

void PubSubHelp(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "CHANNELS [<pattern>]",
      "    Return the currently active channels matching a <pattern> (default: '*').",
      "NUMPAT",
      "    Return number of subscriptions to patterns.",
      "NUMSUB [<channel> ...]",
      "    Return the number of subscribers for the specified channels, excluding",
      "    pattern subscriptions(default: no channels).",
      "SHARDCHANNELS [<pattern>]",
      "    Return the currently active shard level channels matching a <pattern> (default: '*').",
      "SHARDNUMSUB [<shardchannel> ...]",
      "    Return the number of subscribers for the specified shard level channel(s)",
  };
  cmd::ReplyHelp(ctx, "PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
}

void PubSub(CommandContext& ctx, Args args) {
  const std::string_view sub = args[1];
  const size_t n = args.size();
  const bool names = Is(sub, "CHANNELS") || Is(sub, "SHARDCHANNELS");
  if (names && n > 3) {
    // CHANNELS takes at most a pattern; Redis's own handler words this error.
    ctx.reply.Error(absl::StrCat("ERR unknown subcommand or wrong number of arguments for '",
                                 Av(sub.substr(0, kMaxSubcommandText)), "'. Try PUBSUB HELP."));
  } else if (Is(sub, "CHANNELS")) {
    ReplyNames(ctx, args, SubKind::kChannel);
  } else if (Is(sub, "SHARDCHANNELS")) {
    ReplyNames(ctx, args, SubKind::kShard);
  } else if (Is(sub, "NUMSUB")) {
    ReplyCounts(ctx, args, SubKind::kChannel);
  } else if (Is(sub, "SHARDNUMSUB")) {
    ReplyCounts(ctx, args, SubKind::kShard);
  } else if (Is(sub, "NUMPAT") || Is(sub, "HELP")) {
    // Fixed arity 2: the dispatcher's wording, with the subcommand's full name.
    const bool numpat = Is(sub, "NUMPAT");
    if (n != 2) {
      ctx.reply.Error(errors::WrongArity(numpat ? "pubsub|numpat" : "pubsub|help"));
    } else if (numpat) {
      ctx.reply.Integer(static_cast<int64_t>(ctx.server.pubsub.ActiveCount(SubKind::kPattern)));
    } else {
      PubSubHelp(ctx);
    }
  } else {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "PUBSUB"));
  }
}

}  // namespace

void RegisterPubSubCommands(CommandTable& table) {
  constexpr uint32_t kPubSubFlags = kPubsub | kLoading | kStale;
  constexpr uint32_t kSubscribeFlags = kPubSubFlags | kNoscript;
  table.Add({.name = "publish",
             .arity = 3,
             .flags = kPubSubFlags | kFast,
             .acl_categories = "@pubsub @fast",
             .group = "pubsub",
             .since = "2.0.0",
             .summary = "Posts a message to a channel.",
             .handler = Publish});
  table.Add({.name = "subscribe",
             .arity = -2,
             .flags = kSubscribeFlags,
             .acl_categories = "@pubsub @slow",
             .group = "pubsub",
             .since = "2.0.0",
             .summary = "Listens for messages published to channels.",
             .handler = Subscribe});
  table.Add({.name = "unsubscribe",
             .arity = -1,
             .flags = kSubscribeFlags,
             .acl_categories = "@pubsub @slow",
             .group = "pubsub",
             .since = "2.0.0",
             .summary = "Stops listening to messages posted to channels.",
             .handler = Unsubscribe});
  table.Add({.name = "psubscribe",
             .arity = -2,
             .flags = kSubscribeFlags,
             .acl_categories = "@pubsub @slow",
             .group = "pubsub",
             .since = "2.0.0",
             .summary = "Listens for messages published to channels that match one or more "
                        "patterns.",
             .handler = PSubscribe});
  table.Add({.name = "punsubscribe",
             .arity = -1,
             .flags = kSubscribeFlags,
             .acl_categories = "@pubsub @slow",
             .group = "pubsub",
             .since = "2.0.0",
             .summary = "Stops listening to messages published to channels that match one or "
                        "more patterns.",
             .handler = PUnsubscribe});
  // The container itself has no flags of its own in Redis; its subcommands are pubsub, loading,
  // stale (HELP: loading, stale).
  table.Add({.name = "pubsub",
             .arity = -2,
             .flags = 0,
             .acl_categories = "@slow",
             .group = "pubsub",
             .since = "2.8.0",
             .summary = "A container for Pub/Sub commands.",
             .handler = PubSub});
  // Shard channels are keys for cluster routing (key specs "not_key"), as in Redis 7.
  table.Add({.name = "spublish",
             .arity = 3,
             .flags = kPubSubFlags | kFast,
             .first_key = 1,
             .last_key = 1,
             .key_step = 1,
             .acl_categories = "@pubsub @fast",
             .key_spec_flags = "not_key",
             .group = "pubsub",
             .since = "7.0.0",
             .summary = "Post a message to a shard channel",
             .handler = SPublish});
  table.Add({.name = "ssubscribe",
             .arity = -2,
             .flags = kSubscribeFlags,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .acl_categories = "@pubsub @slow",
             .key_spec_flags = "not_key",
             .group = "pubsub",
             .since = "7.0.0",
             .summary = "Listens for messages published to shard channels.",
             .handler = SSubscribe});
  table.Add({.name = "sunsubscribe",
             .arity = -1,
             .flags = kSubscribeFlags,
             .first_key = 1,
             .last_key = -1,
             .key_step = 1,
             .acl_categories = "@pubsub @slow",
             .key_spec_flags = "not_key",
             .group = "pubsub",
             .since = "7.0.0",
             .summary = "Stops listening to messages posted to shard channels.",
             .handler = SUnsubscribe});
}

}  // namespace ringkv::server
