// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Connection commands: PING, ECHO, QUIT, SELECT, AUTH, HELLO. Replies follow Redis 7: PING's
// reply depends on the protocol (and later on subscription state), HELLO answers a map whose
// fields clients read (proto, id, mode, role).
#include <cstdint>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/acl.h"
#include "server/command_table.h"
#include "server/errors.h"
#include "server/server_context.h"
#include "server/version.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(Sv(a), Sv(b));
}

void Ping(CommandContext& ctx, Args args) {
  if (args.size() > 2) {
    ctx.reply.Error(errors::WrongArity("ping"));
    return;
  }
  if (ctx.client.subscriptions > 0 && ctx.client.resp == protocol::RespVersion::kResp2) {
    // A RESP2 client in subscribed mode gets PING's reply in the message shape: ["pong", arg].
    ctx.reply.ArrayHeader(2);
    ctx.reply.Bulk("pong");
    ctx.reply.Bulk(args.size() == 2 ? args[1] : std::string_view());
  } else if (args.size() == 2) {
    ctx.reply.Bulk(args[1]);
  } else {
    ctx.reply.SimpleString("PONG");
  }
}

void Echo(CommandContext& ctx, Args args) { ctx.reply.Bulk(args[1]); }

void Quit(CommandContext& ctx, Args) {
  ctx.reply.Ok();
  ctx.client.close_after_reply = true;
}

void Select(CommandContext& ctx, Args args) {
  int64_t db;
  if (!absl::SimpleAtoi(Sv(args[1]), &db)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (db != 0 && ctx.server.cluster.enabled()) {
    ctx.reply.Error("ERR SELECT is not allowed in cluster mode");
    return;
  }
  if (db < 0 || db >= ctx.engine.databases()) {
    ctx.reply.Error(errors::kInvalidDb);
    return;
  }
  ctx.client.db = static_cast<int>(db);
  ctx.reply.Ok();
}

// AUTH <password> (the default user) or AUTH <username> <password> (Redis 6+).
void Auth(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  // The one-argument form with a nopass default user is a configuration mistake (Redis).
  if (args.size() == 2 && AclDefaultUserIsNopass(ctx.server)) {
    ctx.reply.Error(errors::kNoPasswordConfigured);
    return;
  }
  std::string_view user = args.size() == 3 ? args[1] : std::string_view("default");
  if (!AclAuthenticate(ctx.server, ctx.client, user, args.back(), args[0])) {
    ctx.reply.Error(errors::kWrongPass);
    return;
  }
  ctx.reply.Ok();
}

void HelloReply(CommandContext& ctx) {
  ctx.reply.MapHeader(7);
  ctx.reply.Bulk("server");
  ctx.reply.Bulk("redis");
  ctx.reply.Bulk("version");
  ctx.reply.Bulk(kRedisCompatVersion);
  ctx.reply.Bulk("proto");
  ctx.reply.Integer(ctx.client.resp == protocol::RespVersion::kResp3 ? 3 : 2);
  ctx.reply.Bulk("id");
  ctx.reply.Integer(static_cast<int64_t>(ctx.client.id));
  ctx.reply.Bulk("mode");
  ctx.reply.Bulk("standalone");
  ctx.reply.Bulk("role");
  ctx.reply.Bulk("master");
  ctx.reply.Bulk("modules");
  ctx.reply.ArrayHeader(0);
}

// HELLO [protover [AUTH username password] [SETNAME clientname]]
void Hello(CommandContext& ctx, Args args) {
  int64_t ver = 0;
  size_t i = 1;
  if (args.size() >= 2) {
    if (!absl::SimpleAtoi(Sv(args[1]), &ver)) {
      ctx.reply.Error("ERR Protocol version is not an integer or out of range");
      return;
    }
    if (ver < 2 || ver > 3) {
      ctx.reply.Error(errors::kNoProto);
      return;
    }
    i = 2;
  }
  std::string_view user, pass, name;
  bool has_auth = false, has_name = false;
  for (; i < args.size(); ++i) {
    size_t left = args.size() - i - 1;
    if (EqualsIgnoreCase(args[i], "AUTH") && left >= 2) {
      user = args[i + 1];
      pass = args[i + 2];
      has_auth = true;
      i += 2;
    } else if (EqualsIgnoreCase(args[i], "SETNAME") && left >= 1) {
      name = args[i + 1];
      has_name = true;
      i += 1;
    } else {
      ctx.reply.Error(absl::StrCat("ERR Syntax error in HELLO option '", Sv(args[i]), "'"));
      return;
    }
  }
  if (has_auth && !AclAuthenticate(ctx.server, ctx.client, user, pass, args[0])) {
    ctx.reply.Error(errors::kWrongPass);
    return;
  }
  if (!ctx.client.authenticated) {
    // Redis 7.0.15's wording ("HELLO AUTH", without <proto>).
    ctx.reply.Error(
        "NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO "
        "AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
        "protocol version at the same time");
    return;
  }
  if (has_name) ctx.client.name = std::string(name);
  if (ver != 0) {
    ctx.client.resp = ver == 3 ? protocol::RespVersion::kResp3 : protocol::RespVersion::kResp2;
    ctx.reply.set_version(ctx.client.resp);
  }
  HelloReply(ctx);
}

}  // namespace

// RESET: the connection as it was at connect time (Redis's clearClientConnectionState): MULTI
// discarded, keys unwatched, CLIENT REPLY ON, database 0, RESP2, no name, and the default user.
void Reset(CommandContext& ctx, Args) {
  if (ctx.client.tx != nullptr) {
    ctx.client.tx->Discard();
    ctx.client.tx->Unwatch();
  }
  ctx.server.pubsub.RemoveClient(ctx.client);
  if (ctx.client.tracking != 0) {
    ctx.server.tracking.Disable(ctx.client.id);
    ctx.client.tracking = 0;
    ctx.client.tracking_caching = false;
    if (ClientInfo* info = ctx.client.info.get()) {
      info->tracking.store(0, std::memory_order_relaxed);
      info->tracking_redirect.store(0, std::memory_order_relaxed);
    }
  }
  if (ctx.client.monitor) {
    ctx.server.monitors.Remove(ctx.client.id);
    ctx.client.monitor = false;
    if (ctx.client.info != nullptr)
      ctx.client.info->monitor.store(false, std::memory_order_relaxed);
  }
  ctx.client.reply_mode = ReplyMode::kOn;
  ctx.client.db = 0;
  ctx.client.resp = protocol::RespVersion::kResp2;
  ctx.reply.set_version(ctx.client.resp);
  ctx.client.name.clear();
  if (ctx.client.info != nullptr) {
    absl::MutexLock lock(&ctx.client.info->mu);
    ctx.client.info->name.clear();
  }
  // Back to the default user, authenticated only if it is on and nopass (clientSetDefaultAuth).
  AclSetDefaultUser(ctx.server, ctx.client);
  ctx.reply.SimpleString("RESET");
}

void RegisterConnectionCommands(CommandTable& table) {
  constexpr uint32_t kConn = kLoading | kStale | kFast;
  constexpr uint32_t kHandshake = kNoscript | kConn | kNoAuth | kAllowBusy;
  constexpr std::string_view kCats = "@fast @connection";
  table.Add({.name = "ping",
             .arity = -1,
             .flags = kFast,
             .acl_categories = kCats,
             .tips = "request_policy:all_shards response_policy:all_succeeded",
             .group = "connection",
             .since = "1.0.0",
             .summary = "Returns the server's liveliness response.",
             .handler = Ping});
  table.Add({.name = "echo",
             .arity = 2,
             .flags = kConn,
             .acl_categories = kCats,
             .group = "connection",
             .since = "1.0.0",
             .summary = "Returns the given string.",
             .handler = Echo});
  table.Add({.name = "quit",
             .arity = -1,
             .flags = kHandshake,
             .acl_categories = kCats,
             .group = "connection",
             .since = "1.0.0",
             .summary = "Closes the connection.",
             .handler = Quit});
  table.Add({.name = "select",
             .arity = 2,
             .flags = kConn,
             .acl_categories = kCats,
             .group = "connection",
             .since = "1.0.0",
             .summary = "Changes the selected database.",
             .handler = Select});
  table.Add({.name = "auth",
             .arity = -2,
             .flags = kHandshake,
             .acl_categories = kCats,
             .group = "connection",
             .since = "1.0.0",
             .summary = "Authenticates the connection.",
             .handler = Auth});
  table.Add({.name = "hello",
             .arity = -1,
             .flags = kHandshake,
             .acl_categories = kCats,
             .group = "connection",
             .since = "6.0.0",
             .summary = "Handshakes with the Redis server.",
             .handler = Hello});
  table.Add({.name = "reset",
             .arity = 1,
             .flags = kHandshake,
             .acl_categories = kCats,
             .group = "connection",
             .since = "6.2.0",
             .summary = "Resets the connection.",
             .handler = Reset});
}

}  // namespace ringkv::server
