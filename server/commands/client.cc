// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// CLIENT: ID, INFO, LIST, SETNAME, GETNAME, KILL, SETINFO, NO-EVICT, REPLY, UNBLOCK, HELP. Replies
// and errors as Redis 7.2 words them. CLIENT LIST reads every worker's clients through the
// ClientRegistry; CLIENT KILL posts the close to the worker that owns the connection.
#include <algorithm>
#include <cstdint>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using Args = std::span<const std::string_view>;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }
bool Is(std::string_view a, std::string_view b) { return absl::EqualsIgnoreCase(Sv(a), Sv(b)); }

int64_t Now(CommandContext& ctx) { return ctx.engine.clock().NowMs(); }

// Redis allows only printable characters without spaces in client names and library fields.
bool ValidName(std::string_view s) {
  for (char c : s) {
    if (c < '!' || c > '~') return false;
  }
  return true;
}

bool KnownType(std::string_view t) {
  return Is(t, "normal") || Is(t, "master") || Is(t, "replica") || Is(t, "slave") ||
         Is(t, "pubsub");
}

// Redis's client types: pubsub (has a subscription), normal (the rest); ringkv has no
// replication links, so master and replica match nobody. `type` is lower case.
bool OfType(const ClientInfo& info, std::string_view type) {
  if (type == "pubsub") return IsPubSubClient(info);
  if (type == "normal") return !IsPubSubClient(info);
  return false;
}

// CLIENT LIST [TYPE normal|master|replica|pubsub] [ID id [id ...]]
void ClientList(CommandContext& ctx, Args args) {
  std::vector<uint64_t> ids;
  bool only_ids = false;
  std::string type;  // empty: any
  for (size_t i = 2; i < args.size(); ++i) {
    if (Is(args[i], "TYPE") && i + 1 < args.size()) {
      std::string_view type_arg = args[++i];
      if (!KnownType(type_arg)) {
        ctx.reply.Error(absl::StrCat("ERR Unknown client type '", Sv(type_arg), "'"));
        return;
      }
      type = absl::AsciiStrToLower(Sv(type_arg));
    } else if (Is(args[i], "ID") && i + 1 < args.size()) {
      only_ids = true;
      for (++i; i < args.size(); ++i) {
        uint64_t id;
        if (!absl::SimpleAtoi(Sv(args[i]), &id) || id == 0) {
          ctx.reply.Error("ERR Invalid client ID");
          return;
        }
        ids.push_back(id);
      }
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  std::string out;
  int64_t now = Now(ctx);
  for (const auto& info : ctx.server.clients.All()) {
    if (!type.empty() && !OfType(*info, type)) continue;
    if (only_ids && std::find(ids.begin(), ids.end(), info->id) == ids.end()) continue;
    absl::StrAppend(&out, FormatClientLine(*info, now), "\n");
  }
  ctx.reply.Verbatim("txt", out);
}

void ClientInfoCmd(CommandContext& ctx) {
  if (ctx.client.info == nullptr) {
    ctx.reply.Verbatim("txt", absl::StrCat("id=", ctx.client.id, "\n"));
    return;
  }
  ctx.reply.Verbatim("txt", FormatClientLine(*ctx.client.info, Now(ctx)) + "\n");
}

void SetName(CommandContext& ctx, std::string_view name) {
  if (!ValidName(name)) {
    ctx.reply.Error("ERR Client names cannot contain spaces, newlines or special characters.");
    return;
  }
  ctx.client.name = std::string(name);
  if (ctx.client.info != nullptr) {
    absl::MutexLock lock(&ctx.client.info->mu);
    ctx.client.info->name = ctx.client.name;
  }
  ctx.reply.Ok();
}

void SetInfo(CommandContext& ctx, Args args) {
  if (args.size() != 4) {
    ctx.reply.Error(errors::WrongArity("client|setinfo"));
    return;
  }
  bool is_name = Is(args[2], "LIB-NAME");
  if (!is_name && !Is(args[2], "LIB-VER")) {
    ctx.reply.Error(absl::StrCat("ERR Unrecognized option '", Sv(args[2]), "'"));
    return;
  }
  if (!ValidName(args[3])) {
    ctx.reply.Error(absl::StrCat("ERR ", is_name ? "lib-name" : "lib-ver",
                                 " cannot contain spaces, newlines or special characters."));
    return;
  }
  if (ctx.client.info != nullptr) {
    absl::MutexLock lock(&ctx.client.info->mu);
    (is_name ? ctx.client.info->lib_name : ctx.client.info->lib_ver) = std::string(args[3]);
  }
  ctx.reply.Ok();
}

// CLIENT KILL ip:port | CLIENT KILL <filter> <value> ... [SKIPME yes|no]
void Kill(CommandContext& ctx, Args args) {
  std::string addr, laddr, user, type;
  uint64_t id = 0;
  bool skipme = true;
  const bool old_form = args.size() == 3;
  if (old_form) {
    addr = std::string(args[2]);
  } else {
    if (args.size() % 2 != 0) {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
    for (size_t i = 2; i + 1 < args.size(); i += 2) {
      std::string_view f = args[i], v = args[i + 1];
      if (Is(f, "ID")) {
        if (!absl::SimpleAtoi(Sv(v), &id) || id == 0) {
          ctx.reply.Error("ERR client-id should be greater than 0");
          return;
        }
      } else if (Is(f, "ADDR")) {
        addr = std::string(v);
      } else if (Is(f, "LADDR")) {
        laddr = std::string(v);
      } else if (Is(f, "SKIPME")) {
        if (!Is(v, "yes") && !Is(v, "no")) {
          ctx.reply.Error(errors::kSyntax);
          return;
        }
        skipme = Is(v, "yes");
      } else if (Is(f, "USER")) {
        if (ctx.server.acl.Find(v) == nullptr) {
          ctx.reply.Error(absl::StrCat("ERR No such user '", Sv(v), "'"));
          return;
        }
        user = std::string(v);
      } else if (Is(f, "TYPE")) {
        if (!KnownType(v)) {
          ctx.reply.Error(absl::StrCat("ERR Unknown client type '", Sv(v), "'"));
          return;
        }
        type = absl::AsciiStrToLower(Sv(v));
      } else {
        ctx.reply.Error(errors::kSyntax);
        return;
      }
    }
  }
  int64_t killed = 0;
  for (const auto& info : ctx.server.clients.All()) {
    if (id != 0 && info->id != id) continue;
    if (!addr.empty() && info->addr != addr) continue;
    if (!laddr.empty() && info->laddr != laddr) continue;
    if (!type.empty() && !OfType(*info, type)) continue;
    if (!user.empty()) {
      absl::MutexLock lock(&info->mu);
      if (info->user != user) continue;
    }
    if (info->id == ctx.client.id) {
      if (skipme && !old_form) continue;
      ctx.client.close_after_reply = true;  // killing yourself: the reply goes out first
    } else if (ctx.server.kill_client) {
      ctx.server.kill_client(info->worker, info->id);
    }
    ++killed;
  }
  if (old_form) {
    if (killed == 0) {
      ctx.reply.Error("ERR No such client");
    } else {
      ctx.reply.Ok();
    }
    return;
  }
  ctx.reply.Integer(killed);
}

void Reply(CommandContext& ctx, Args args) {
  if (args.size() != 3) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  if (Is(args[2], "ON")) {
    ctx.client.reply_mode = ReplyMode::kOn;
    ctx.reply.Ok();
  } else if (Is(args[2], "OFF")) {
    ctx.client.reply_mode = ReplyMode::kOff;
  } else if (Is(args[2], "SKIP")) {
    if (ctx.client.reply_mode != ReplyMode::kOff) ctx.client.reply_mode = ReplyMode::kSkipNext;
  } else {
    ctx.reply.Error(errors::kSyntax);
  }
}

void NoEvict(CommandContext& ctx, Args args) {
  if (args.size() != 3 || (!Is(args[2], "ON") && !Is(args[2], "OFF"))) {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  if (ctx.client.info != nullptr) {
    ctx.client.info->no_evict.store(Is(args[2], "ON"), std::memory_order_relaxed);
  }
  ctx.reply.Ok();
}

// CLIENT UNBLOCK id [TIMEOUT|ERROR]: the reason is checked before the id, as in Redis.
void Unblock(CommandContext& ctx, Args args) {
  bool error = false;
  if (args.size() == 4) {
    if (Is(args[3], "ERROR")) {
      error = true;
    } else if (!Is(args[3], "TIMEOUT")) {
      ctx.reply.Error("ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
      return;
    }
  }
  int64_t id = 0;
  if (!cmd::ParseInt64(args[2], &id)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  ctx.reply.Integer(ctx.server.blocking.Unblock(static_cast<uint64_t>(id), error) ? 1 : 0);
}

// CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN] [OPTOUT] [NOLOOP], with
// Redis 7.0's checks in its order.
void Tracking(CommandContext& ctx, Args args) {
  uint64_t redirect = 0;
  uint32_t options = 0;
  std::vector<std::string_view> prefixes;
  for (size_t j = 3; j < args.size(); ++j) {
    const bool more = j + 1 < args.size();
    if (Is(args[j], "REDIRECT") && more) {
      ++j;
      if (redirect != 0) {
        ctx.reply.Error("ERR A client can only redirect to a single other client");
        return;
      }
      int64_t id = 0;
      if (!cmd::ParseInt64(args[j], &id)) {
        ctx.reply.Error(errors::kNotInteger);
        return;
      }
      if (id <= 0 || (ctx.server.clients.Find(static_cast<uint64_t>(id)) == nullptr &&
                      static_cast<uint64_t>(id) != ctx.client.id)) {
        ctx.reply.Error("ERR The client ID you want redirect to does not exist");
        return;
      }
      redirect = static_cast<uint64_t>(id);
    } else if (Is(args[j], "BCAST")) {
      options |= kTrackingBcast;
    } else if (Is(args[j], "OPTIN")) {
      options |= kTrackingOptin;
    } else if (Is(args[j], "OPTOUT")) {
      options |= kTrackingOptout;
    } else if (Is(args[j], "NOLOOP")) {
      options |= kTrackingNoloop;
    } else if (Is(args[j], "PREFIX") && more) {
      prefixes.push_back(args[++j]);
    } else {
      ctx.reply.Error(errors::kSyntax);
      return;
    }
  }
  ClientState& c = ctx.client;
  if (Is(args[2], "ON")) {
    if ((options & kTrackingBcast) == 0 && !prefixes.empty()) {
      ctx.reply.Error("ERR PREFIX option requires BCAST mode to be enabled");
      return;
    }
    if ((c.tracking & kTrackingOn) != 0 &&
        ((c.tracking & kTrackingBcast) != 0) != ((options & kTrackingBcast) != 0)) {
      ctx.reply.Error(
          "ERR You can't switch BCAST mode on/off before disabling tracking for this client, "
          "and then re-enabling it with a different mode.");
      return;
    }
    if ((options & kTrackingBcast) != 0 && (options & (kTrackingOptin | kTrackingOptout)) != 0) {
      ctx.reply.Error("ERR OPTIN and OPTOUT are not compatible with BCAST");
      return;
    }
    if ((options & kTrackingOptin) != 0 && (options & kTrackingOptout) != 0) {
      ctx.reply.Error("ERR You can't specify both OPTIN mode and OPTOUT mode");
      return;
    }
    if (((options & kTrackingOptin) != 0 && (c.tracking & kTrackingOptout) != 0) ||
        ((options & kTrackingOptout) != 0 && (c.tracking & kTrackingOptin) != 0)) {
      ctx.reply.Error(
          "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, "
          "and then re-enabling it with a different mode.");
      return;
    }
    if ((options & kTrackingBcast) != 0) {
      // Prefixes of one client may not overlap: neither its existing ones nor each other.
      auto overlap = [](std::string_view a, std::string_view b) {
        const size_t n = std::min(a.size(), b.size());
        return a.substr(0, n) == b.substr(0, n);
      };
      const std::vector<std::string> existing = ctx.server.tracking.View(c.id).prefixes;
      for (size_t i = 0; i < prefixes.size(); ++i) {
        for (const std::string& e : existing) {
          if (overlap(e, prefixes[i])) {
            ctx.reply.Error(absl::StrCat("ERR Prefix '", Sv(prefixes[i]),
                                         "' overlaps with an existing prefix '", e,
                                         "'. Prefixes for a single client must not overlap."));
            return;
          }
        }
        for (size_t k = i + 1; k < prefixes.size(); ++k) {
          if (overlap(prefixes[i], prefixes[k])) {
            ctx.reply.Error(absl::StrCat(
                "ERR Prefix '", Sv(prefixes[i]), "' overlaps with another provided prefix '",
                Sv(prefixes[k]), "'. Prefixes for a single client must not overlap."));
            return;
          }
        }
      }
    }
    const int worker = c.info != nullptr ? c.info->worker : 0;
    ctx.server.tracking.Enable(c.id, worker, options, redirect, prefixes);
    c.tracking = options | kTrackingOn;
    if (ClientInfo* info = c.info.get()) {
      info->tracking.store(c.tracking, std::memory_order_relaxed);
      info->tracking_redirect.store(redirect, std::memory_order_relaxed);
    }
  } else if (Is(args[2], "OFF")) {
    if (c.tracking != 0) ctx.server.tracking.Disable(c.id);
    c.tracking = 0;
    c.tracking_caching = false;
    if (ClientInfo* info = c.info.get()) {
      info->tracking.store(0, std::memory_order_relaxed);
      info->tracking_redirect.store(0, std::memory_order_relaxed);
    }
  } else {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  ctx.reply.Ok();
}

void Caching(CommandContext& ctx, Args args) {
  ClientState& c = ctx.client;
  if ((c.tracking & kTrackingOn) == 0) {
    ctx.reply.Error(
        "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN "
        "or OPTOUT mode enabled");
    return;
  }
  if (Is(args[2], "YES")) {
    if ((c.tracking & kTrackingOptin) == 0) {
      ctx.reply.Error(
          "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode.");
      return;
    }
  } else if (Is(args[2], "NO")) {
    if ((c.tracking & kTrackingOptout) == 0) {
      ctx.reply.Error(
          "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.");
      return;
    }
  } else {
    ctx.reply.Error(errors::kSyntax);
    return;
  }
  c.tracking_caching = true;
  ctx.reply.Ok();
}

void TrackingInfo(CommandContext& ctx) {
  const ClientState& c = ctx.client;
  const TrackingRegistry::ClientView view = ctx.server.tracking.View(c.id);
  const uint32_t f = c.tracking != 0 ? view.flags : 0;
  std::vector<std::string_view> flags = {f != 0 ? "on" : "off"};
  if (f & kTrackingBcast) flags.push_back("bcast");
  if (f & kTrackingOptin) {
    flags.push_back("optin");
    if (c.tracking_caching) flags.push_back("caching-yes");
  }
  if (f & kTrackingOptout) {
    flags.push_back("optout");
    if (c.tracking_caching) flags.push_back("caching-no");
  }
  if (f & kTrackingNoloop) flags.push_back("noloop");
  if (f & kTrackingBrokenRedirect) flags.push_back("broken_redirect");
  ctx.reply.MapHeader(3);
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(flags.size());
  for (std::string_view flag : flags) ctx.reply.Bulk(flag);
  ctx.reply.Bulk("redirect");
  ctx.reply.Integer(f != 0 ? static_cast<int64_t>(view.redirect) : -1);
  ctx.reply.Bulk("prefixes");
  ctx.reply.ArrayHeader(view.prefixes.size());
  for (const std::string& p : view.prefixes) ctx.reply.Bulk(p);
}

void Help(CommandContext& ctx) {
  static constexpr std::string_view kLines[] = {
      "GETNAME",
      "    Return the name of the current connection.",
      "ID",
      "    Return the ID of the current connection.",
      "INFO",
      "    Return information about the current client connection.",
      "KILL <ip:port>",
      "    Kill connection made from <ip:port>.",
      "KILL <option> <value> [<option> <value> [...]]",
      "    Kill connections. Options are: ID <client-id>, ADDR <ip:port>, LADDR <ip:port>,",
      "    USER <username>, TYPE normal, SKIPME (YES|NO).",
      "LIST [TYPE normal] [ID <id> [<id> ...]]",
      "    Return information about client connections.",
      "NO-EVICT (ON|OFF)",
      "    Protect the current client connection from eviction.",
      "REPLY (ON|OFF|SKIP)",
      "    Control the replies sent to the current connection.",
      "SETNAME <name>",
      "    Assign the name <name> to the current connection.",
      "SETINFO <LIB-NAME|LIB-VER> <value>",
      "    Set client meta attr. Options are: LIB-NAME, LIB-VER.",
      "UNBLOCK <clientid> [TIMEOUT|ERROR]",
      "    Unblock the specified blocked client.",
      "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
      "         [OPTIN] [OPTOUT] [NOLOOP]",
      "    Control server assisted client side caching.",
      "TRACKINGINFO",
      "    Report tracking status for the current connection.",
      "CACHING (YES|NO)",
      "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
      "GETREDIR",
      "    Return the client ID we are redirecting to when tracking is enabled.",
  };
  cmd::ReplyHelp(ctx, "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
}

void Client(CommandContext& ctx, Args args) {
  std::string_view sub = args[1];
  const size_t n = args.size();
  if (Is(sub, "ID") && n == 2) {
    ctx.reply.Integer(static_cast<int64_t>(ctx.client.id));
  } else if (Is(sub, "INFO") && n == 2) {
    ClientInfoCmd(ctx);
  } else if (Is(sub, "LIST")) {
    ClientList(ctx, args);
  } else if (Is(sub, "SETNAME") && n == 3) {
    SetName(ctx, args[2]);
  } else if (Is(sub, "GETNAME") && n == 2) {
    if (ctx.client.name.empty()) {
      ctx.reply.Null();
    } else {
      ctx.reply.Bulk(ctx.client.name);
    }
  } else if (Is(sub, "KILL") && n >= 3) {
    Kill(ctx, args);
  } else if (Is(sub, "SETINFO")) {
    SetInfo(ctx, args);
  } else if (Is(sub, "REPLY")) {
    Reply(ctx, args);
  } else if (Is(sub, "UNBLOCK") && (n == 3 || n == 4)) {
    Unblock(ctx, args);
  } else if (Is(sub, "NO-EVICT")) {
    NoEvict(ctx, args);
  } else if (Is(sub, "TRACKING") && n >= 3) {
    Tracking(ctx, args);
  } else if (Is(sub, "CACHING") && n >= 3) {
    Caching(ctx, args);
  } else if (Is(sub, "GETREDIR") && n == 2) {
    ctx.reply.Integer((ctx.client.tracking & kTrackingOn) != 0
                          ? static_cast<int64_t>(ctx.server.tracking.View(ctx.client.id).redirect)
                          : -1);
  } else if (Is(sub, "TRACKINGINFO") && n == 2) {
    TrackingInfo(ctx);
  } else if (Is(sub, "HELP") && n == 2) {
    Help(ctx);
  } else {
    ctx.reply.Error(errors::UnknownSubcommand(sub, "CLIENT"));
  }
}

}  // namespace

void RegisterClientCommands(CommandTable& table) {
  table.Add({.name = "client",
             .arity = -2,
             .flags = kNoscript | kLoading | kStale,
             .acl_categories = "@slow @connection",
             .group = "connection",
             .since = "2.4.0",
             .summary = "A container for client connection commands.",
             .handler = Client});
}

}  // namespace ringkv::server
