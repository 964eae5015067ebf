// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The ACL command family (Redis 7.0): SETUSER, GETUSER, DELUSER, LIST, USERS, WHOAMI, CAT,
// GENPASS, LOG, SAVE, LOAD, DRYRUN, HELP. This file parses arguments and shapes replies; the
// model (rules, checks, descriptions, the file format) is server/acl.cc. Subcommand arities and
// error texts are Redis 7.0.15's, checked against its redis-server.
#include "server/acl.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "server/command_table.h"
#include "server/commands/command_util.h"
#include "server/config/config_store.h"
#include "server/errors.h"
#include "server/log.h"
#include "server/server_context.h"

namespace ringkv::server {

namespace {

using cmd::Args;
using cmd::Is;

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

// An error line must not break the protocol: Redis replaces CR and LF in formatted errors.
std::string OneLine(std::string s) {
  for (char& c : s) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return s;
}

void SyntaxError(CommandContext& ctx, Args args) {
  ctx.reply.Error(absl::StrCat("ERR unknown subcommand or wrong number of arguments for '",
                               Sv(args[1].substr(0, 128)), "'. Try ACL HELP."));
}

void SyncRequirepass(CommandContext& ctx) {
  ctx.server.acl.SyncRequirepass(ctx.server.live.requirepass());
}

std::string AclFilePath(const ServerContext& server) {
  return server.config != nullptr ? server.config->Snapshot()->aclfile : std::string();
}

// The clients of a user that ACL DELUSER or ACL LOAD removed are disconnected (Redis 7.0); the
// calling client, if among them, gets its reply first and loses its authentication.
void DisconnectClientsOf(CommandContext& ctx, AclUser& user) {
  for (const auto& [id, worker] : user.MarkDeleted()) {
    if (id == ctx.client.id) {
      ctx.client.acl_user.Reset();
      ctx.client.authenticated = false;
      ctx.client.close_after_reply = true;
    } else if (worker >= 0 && ctx.server.kill_client) {
      ctx.server.kill_client(worker, id);
    }
  }
}

bool HasSpaces(std::string_view s) {
  for (char c : s) {
    if (c == 0 || c == ' ' || (c >= '\t' && c <= '\r')) return true;
  }
  return false;
}

void SetUser(CommandContext& ctx, Args args) {
  const std::string_view name = args[2];
  if (HasSpaces(name)) {
    ctx.reply.Error("ERR Usernames can't contain spaces or null characters");
    return;
  }
  std::vector<std::string> raw(args.begin() + 3, args.end());
  std::vector<std::string> ops;
  size_t bad = 0;
  if (!AclMergeSelectorArgs(raw, &ops, &bad)) {
    ctx.reply.Error(OneLine(
        absl::StrCat("ERR Unmatched parenthesis in acl selector starting at '", raw[bad], "'.")));
    return;
  }
  SyncRequirepass(ctx);
  std::string reason;
  int failed = ctx.server.acl.SetUser(*ctx.server.commands, name, ops, &reason);
  if (failed >= 0) {
    ctx.reply.Error(
        OneLine(absl::StrCat("ERR Error in ACL SETUSER modifier '", ops[failed], "': ", reason)));
    return;
  }
  ctx.reply.Ok();
}

void DelUser(CommandContext& ctx, Args args) {
  for (size_t i = 2; i < args.size(); ++i) {
    if (args[i] == "default") {
      ctx.reply.Error("ERR The 'default' user cannot be removed");
      return;
    }
  }
  int64_t deleted = 0;
  for (size_t i = 2; i < args.size(); ++i) {
    if (std::shared_ptr<AclUser> user = ctx.server.acl.Remove(args[i])) {
      DisconnectClientsOf(ctx, *user);
      ++deleted;
    }
  }
  ctx.reply.Integer(deleted);
}

void ReplySelector(CommandContext& ctx, const AclSelectorDescription& s) {
  ctx.reply.Bulk("commands");
  ctx.reply.Bulk(s.commands);
  ctx.reply.Bulk("keys");
  ctx.reply.Bulk(s.keys);
  ctx.reply.Bulk("channels");
  ctx.reply.Bulk(s.channels);
}

void GetUser(CommandContext& ctx, Args args) {
  SyncRequirepass(ctx);
  std::shared_ptr<AclUser> user = ctx.server.acl.Find(args[2]);
  if (user == nullptr) {
    ctx.reply.Null();
    return;
  }
  AclUserDescription d = DescribeAclUser(*user, *ctx.server.commands);
  ctx.reply.MapHeader(6);
  ctx.reply.Bulk("flags");
  ctx.reply.SetHeader(d.flags.size());
  for (std::string_view f : d.flags) ctx.reply.Bulk(f);
  ctx.reply.Bulk("passwords");
  ctx.reply.ArrayHeader(d.passwords.size());
  for (const std::string& p : d.passwords) ctx.reply.Bulk(p);
  // The root selector at the top level, the others under "selectors" (Redis 7's layout).
  ReplySelector(ctx, d.selectors[0]);
  ctx.reply.Bulk("selectors");
  ctx.reply.ArrayHeader(d.selectors.size() - 1);
  for (size_t i = 1; i < d.selectors.size(); ++i) {
    ctx.reply.MapHeader(3);
    ReplySelector(ctx, d.selectors[i]);
  }
}

void List(CommandContext& ctx, Args) {
  SyncRequirepass(ctx);
  std::vector<std::shared_ptr<AclUser>> users = ctx.server.acl.Users();
  ctx.reply.ArrayHeader(users.size());
  for (const auto& u : users) {
    ctx.reply.Bulk(
        absl::StrCat("user ", u->name(), " ", AclUserRulesText(*u, *ctx.server.commands)));
  }
}

void Users(CommandContext& ctx, Args) {
  std::vector<std::shared_ptr<AclUser>> users = ctx.server.acl.Users();
  ctx.reply.ArrayHeader(users.size());
  for (const auto& u : users) ctx.reply.Bulk(u->name());
}

void WhoAmI(CommandContext& ctx, Args) {
  const AclUser* user = ctx.client.acl_user.get();
  ctx.reply.Bulk(user != nullptr ? user->name() : ctx.server.acl.default_user()->name());
}

constexpr std::string_view kNoAclFile =
    "ERR This Redis instance is not configured to use an ACL file. You may want to specify users "
    "via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis "
    "configuration file set) in order to store users in the Redis configuration.";

void Load(CommandContext& ctx, Args) {
  const std::string path = AclFilePath(ctx.server);
  if (path.empty()) {
    ctx.reply.Error(kNoAclFile);
    return;
  }
  SyncRequirepass(ctx);
  std::string text;
  std::string error = AclReadFile(path, &text);
  std::vector<std::shared_ptr<AclUser>> replaced;
  if (error.empty()) error = ctx.server.acl.LoadFile(*ctx.server.commands, path, text, &replaced);
  if (!error.empty()) {
    ctx.reply.Error(OneLine(absl::StrCat("ERR ", error)));
    return;
  }
  // As in Redis 7.0, every user but default is new after a load: their clients are dropped.
  for (const auto& user : replaced) DisconnectClientsOf(ctx, *user);
  ctx.reply.Ok();
}

// Writes the file next to its final name, syncs it, then renames it over (atomic replace).
bool WriteFileAtomically(const std::string& path, const std::string& text, int64_t now_ms) {
  const std::string tmp = absl::StrFormat("%s.tmp-%d-%d", path, getpid(), now_ms);
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    Log(LogLevel::kWarning, "Opening temp ACL file for ACL SAVE: ", strerror(errno));
    return false;
  }
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Log(LogLevel::kWarning, "Writing ACL file for ACL SAVE: ", strerror(errno));
      close(fd);
      unlink(tmp.c_str());
      return false;
    }
    done += static_cast<size_t>(n);
  }
  if (fsync(fd) != 0 || close(fd) != 0) {
    Log(LogLevel::kWarning, "Writing ACL file for ACL SAVE: ", strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    Log(LogLevel::kWarning, "Renaming ACL file for ACL SAVE: ", strerror(errno));
    unlink(tmp.c_str());
    return false;
  }
  return true;
}

void Save(CommandContext& ctx, Args) {
  const std::string path = AclFilePath(ctx.server);
  if (path.empty()) {
    ctx.reply.Error(kNoAclFile);
    return;
  }
  SyncRequirepass(ctx);
  if (!WriteFileAtomically(path, ctx.server.acl.FileText(*ctx.server.commands),
                           ctx.engine.clock().NowMs())) {
    ctx.reply.Error(
        "ERR There was an error trying to save the ACLs. Please check the server logs for more "
        "information");
    return;
  }
  ctx.reply.Ok();
}

void Cat(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    SyntaxError(ctx, args);
    return;
  }
  if (args.size() == 2) {
    std::span<const std::string_view> names = AclCategoryNames();
    ctx.reply.ArrayHeader(names.size());
    for (std::string_view n : names) ctx.reply.Bulk(n);
    return;
  }
  std::vector<std::string_view> commands;
  if (!AclCommandsInCategory(*ctx.server.commands, args[2], &commands)) {
    ctx.reply.Error(absl::StrCat("ERR Unknown category '", Sv(args[2].substr(0, 128)), "'"));
    return;
  }
  ctx.reply.ArrayHeader(commands.size());
  for (std::string_view c : commands) ctx.reply.Bulk(c);
}

void GenPass(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    SyntaxError(ctx, args);
    return;
  }
  constexpr int64_t kMaxBits = 4096;
  int64_t bits = 256;
  if (args.size() == 3 && !cmd::ParseInt64(args[2], &bits)) {
    ctx.reply.Error(errors::kNotInteger);
    return;
  }
  if (bits <= 0 || bits > kMaxBits) {
    ctx.reply.Error(
        "ERR ACL GENPASS argument must be the number of bits for the output password, a positive "
        "number up to 4096");
    return;
  }
  std::string pass = AclRandomHex(static_cast<size_t>((bits + 3) / 4));
  if (pass.empty()) {
    ctx.reply.Error("ERR no random bytes available from the kernel");
    return;
  }
  ctx.reply.Bulk(pass);
}

void LogCommand(CommandContext& ctx, Args args) {
  if (args.size() > 3) {
    SyntaxError(ctx, args);
    return;
  }
  int64_t count = 10;
  if (args.size() == 3) {
    if (Is(args[2], "RESET")) {
      ctx.server.acl.ResetLog();
      ctx.reply.Ok();
      return;
    }
    if (!cmd::ParseInt64(args[2], &count)) {
      ctx.reply.Error(errors::kNotInteger);
      return;
    }
    if (count < 0) count = 0;
  }
  std::vector<AclLogEntry> entries = ctx.server.acl.LogEntries(static_cast<size_t>(count));
  const int64_t now = ctx.engine.clock().NowMs();
  ctx.reply.ArrayHeader(entries.size());
  for (const AclLogEntry& e : entries) {
    ctx.reply.MapHeader(7);
    ctx.reply.Bulk("count");
    ctx.reply.Integer(e.count);
    ctx.reply.Bulk("reason");
    ctx.reply.Bulk(e.reason);
    ctx.reply.Bulk("context");
    ctx.reply.Bulk(e.context);
    ctx.reply.Bulk("object");
    ctx.reply.Bulk(e.object);
    ctx.reply.Bulk("username");
    ctx.reply.Bulk(e.username);
    ctx.reply.Bulk("age-seconds");
    ctx.reply.Double(static_cast<double>(now - e.time_ms) / 1000);
    ctx.reply.Bulk("client-info");
    ctx.reply.Bulk(e.client_info);
  }
}

void DryRun(CommandContext& ctx, Args args) {
  std::shared_ptr<AclUser> user = ctx.server.acl.Find(args[2]);
  if (user == nullptr) {
    ctx.reply.Error(OneLine(absl::StrCat("ERR User '", Sv(args[2]), "' not found")));
    return;
  }
  bool is_error = false;
  std::string result = AclDryRun(*ctx.server.commands, *user, args.subspan(3), &is_error);
  if (is_error) {
    ctx.reply.Error(OneLine(std::move(result)));
  } else if (result == "OK") {
    ctx.reply.Ok();
  } else {
    ctx.reply.Bulk(result);
  }
}

void Help(CommandContext& ctx, Args) {
  static constexpr std::string_view kLines[] = {
      "CAT [<category>]",
      "    List all commands that belong to <category>, or all command categories",
      "    when no category is specified.",
      "DELUSER <username> [<username> ...]",
      "    Delete a list of users.",
      "DRYRUN <username> <command> [<arg> ...]",
      "    Returns whether the user can execute the given command without executing the command.",
      "GETUSER <username>",
      "    Get the user's details.",
      "GENPASS [<bits>]",
      "    Generate a secure 256-bit user password. The optional `bits` argument can",
      "    be used to specify a different size.",
      "LIST",
      "    Show users details in config file format.",
      "LOAD",
      "    Reload users from the ACL file.",
      "LOG [<count> | RESET]",
      "    Show the ACL log entries.",
      "SAVE",
      "    Save the current config to the ACL file.",
      "SETUSER <username> <attribute> [<attribute> ...]",
      "    Create or modify a user with the specified attributes.",
      "USERS",
      "    List all the registered usernames.",
      "WHOAMI",
      "    Return the current connection username.",
  };
  cmd::ReplyHelp(ctx, "ACL <subcommand> [<arg> [value] [opt] ...]. Subcommands are:", kLines);
}

struct Subcommand {
  std::string_view name;  // as in "acl|name"
  int arity;              // Redis's, "ACL" and the subcommand included
  CommandHandler handler;
};

constexpr Subcommand kSubcommands[] = {
    {"cat", -2, Cat},         {"deluser", -3, DelUser}, {"dryrun", -4, DryRun},
    {"genpass", -2, GenPass}, {"getuser", 3, GetUser},  {"help", 2, Help},
    {"list", 2, List},        {"load", 2, Load},        {"log", -2, LogCommand},
    {"save", 2, Save},        {"setuser", -3, SetUser}, {"users", 2, Users},
    {"whoami", 2, WhoAmI},
};

void AclCommand(CommandContext& ctx, Args args) {
  for (const Subcommand& sub : kSubcommands) {
    if (!Is(args[1], sub.name)) continue;
    const size_t argc = args.size();
    if ((sub.arity > 0 && argc != static_cast<size_t>(sub.arity)) ||
        (sub.arity < 0 && argc < static_cast<size_t>(-sub.arity))) {
      ctx.reply.Error(errors::WrongArity(absl::StrCat("acl|", Sv(sub.name))));
      return;
    }
    sub.handler(ctx, args);
    return;
  }
  ctx.reply.Error(errors::UnknownSubcommand(args[1], "acl"));
}

}  // namespace

void RegisterAclCommands(CommandTable& table) {
  table.Add({.name = "acl",
             .arity = -2,
             .flags = kNoscript,
             .acl_categories = "@slow",
             .group = "server",
             .since = "6.0.0",
             // Redis 7.0.15's COMMAND DOCS text, trailing space included.
             .summary = "A container for Access List Control commands ",
             .handler = AclCommand});
}

}  // namespace ringkv::server
