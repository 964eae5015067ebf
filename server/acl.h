// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Access control: users, their passwords and their command, key and channel permissions, as
// Redis 7.0's ACL model has them (users made of selectors; a selector is a command bitmap plus key
// and channel patterns). This header is what the rest of the server sees: the user registry
// (Acl, one per server), a client's link to its user (AclUserRef), the per-command check that the
// dispatcher runs (AclAllows) and the authentication entry points (AUTH, HELLO, RESET, connect).
// The rule language, the checks, the ACL file and the ACL LOG live in acl.cc; the ACL command
// family in commands/acl.cc.
//
// Hot path: a client of a user that may run everything (the default user unless an operator
// restricted it) pays one load and one predictable branch per command in AclAllows; nothing else
// of this file runs for it.
//
// Thread safety: Acl and AclUser are shared by every worker; all their methods are thread-safe.
// A user's rules are an immutable snapshot replaced as a whole (ACL SETUSER builds a new one),
// so a check reads one consistent version. AclUserRef belongs to one client (one worker).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace ringkv::server {

struct ServerContext;
struct ClientState;
struct CommandSpec;
class CommandTable;
struct AclUserRules;  // acl.cc: flags, password hashes, selectors

// One ACL user. Its name never changes; its rules are replaced as a whole. The object lives as
// long as the registry or a client holds it: a deleted user stays readable (and refuses every
// command) for a client that has not been disconnected yet.
class AclUser {
 public:
  AclUser(std::string name, std::shared_ptr<const AclUserRules> rules);
  AclUser(const AclUser&) = delete;
  AclUser& operator=(const AclUser&) = delete;
  ~AclUser();

  const std::string& name() const { return name_; }

  // True while the user may run every command on every key and channel (root selector with
  // allcommands, allkeys and allchannels) and is not deleted: the dispatcher then skips every
  // check. Relaxed: a change racing with a command on another worker may be seen one command
  // late, as if that command had arrived first.
  bool unrestricted() const { return unrestricted_.load(std::memory_order_relaxed); }
  bool deleted() const { return deleted_.load(std::memory_order_acquire); }

  // The current rules (never null).
  std::shared_ptr<const AclUserRules> rules() const;
  // Publishes new rules. REQUIRES: `unrestricted` says whether they allow everything.
  void SetRules(std::shared_ptr<const AclUserRules> rules, bool unrestricted);
  // Marks the user as removed from the registry and returns the clients authenticated as it
  // (id, worker; worker -1 when unknown), which the caller disconnects.
  std::vector<std::pair<uint64_t, int>> MarkDeleted();

  // Clients authenticated as this user (kept so that ACL DELUSER can disconnect them).
  void AddClient(uint64_t id, int worker);
  void RemoveClient(uint64_t id);

 private:
  const std::string name_;
  // Read by every worker on every command: kept apart from the mutex that AUTH and connects take.
  alignas(64) std::atomic<bool> unrestricted_{false};
  std::atomic<bool> deleted_{false};
  alignas(64) mutable absl::Mutex mu_;
  std::shared_ptr<const AclUserRules> rules_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<uint64_t, int> clients_ ABSL_GUARDED_BY(mu_);
};

// A client's link to the user it is authenticated as. Empty means the default user (every new
// connection starts there), so a client that never authenticates as anyone else costs nothing.
// Binding a non-default user registers the client with it; reset and destruction unregister.
class AclUserRef {
 public:
  AclUserRef() = default;
  AclUserRef(const AclUserRef&) = delete;
  AclUserRef& operator=(const AclUserRef&) = delete;
  AclUserRef(AclUserRef&& other) noexcept;
  AclUserRef& operator=(AclUserRef&& other) noexcept;
  ~AclUserRef() { Reset(); }

  // The bound user; null for the default user.
  const AclUser* get() const { return user_.get(); }
  // Binds `user` for client `client_id` on worker `worker` (-1: unknown). Binding the default
  // user (or null) is Reset().
  void Bind(std::shared_ptr<AclUser> user, bool is_default, uint64_t client_id, int worker);
  // Back to the default user.
  void Reset();

 private:
  std::shared_ptr<AclUser> user_;
  uint64_t client_id_ = 0;
};

// One ACL LOG entry (Redis's ACLLogEntry).
struct AclLogEntry {
  int64_t count = 1;
  std::string_view reason;   // "command", "key", "channel" or "auth"
  std::string_view context;  // "toplevel" or "multi"
  std::string object;        // command name, key, channel, or the AUTH/HELLO as typed
  std::string username;
  int64_t time_ms = 0;  // of the latest occurrence
  std::string client_info;
};

// The user registry of one server: the default user (always there, never removed) and the users
// ACL SETUSER, ACL LOAD and the aclfile add. Also the ACL LOG.
class Acl {
 public:
  // Only the default user: on, nopass, ~* &* +@all.
  Acl();
  Acl(const Acl&) = delete;
  Acl& operator=(const Acl&) = delete;
  ~Acl();

  // The default user. The object never changes identity (ACL LOAD replaces its rules).
  AclUser* default_user() const { return default_raw_; }
  const std::shared_ptr<AclUser>& default_user_shared() const { return default_; }

  // nullptr if there is no such user.
  std::shared_ptr<AclUser> Find(std::string_view name) const;
  // Every user, ordered by name (bytewise), as ACL LIST and ACL USERS show them.
  std::vector<std::shared_ptr<AclUser>> Users() const;

  // ACL SETUSER: applies `ops` (already merged into selector groups) to a copy of the user's
  // rules (a new user starts as "off -@all resetkeys resetchannels"); publishes the copy only if
  // every op is valid. On a bad op returns the index of the op and the Redis reason text
  // ("Syntax error", ...); otherwise -1.
  int SetUser(const CommandTable& table, std::string_view name, std::span<const std::string> ops,
              std::string* reason);

  // Removes the user; returns it (null if absent) so the caller disconnects its clients.
  // REQUIRES: name != "default".
  std::shared_ptr<AclUser> Remove(std::string_view name);

  // Replaces every user with those of an ACL file's text (`path` names it in errors). All or
  // nothing: on an error nothing changes and the result is Redis's error line. On success the
  // replaced users (every one but default) are returned in *replaced for disconnection.
  std::string LoadFile(const CommandTable& table, std::string_view path, std::string_view text,
                       std::vector<std::shared_ptr<AclUser>>* replaced);
  // The ACL file text of every user ("user <name> <rules>\n" lines, by name).
  std::string FileText(const CommandTable& table) const;

  // requirepass is the default user's password (Redis's ACLUpdateDefaultUserPassword): when the
  // value differs from the one applied last, the default user's passwords are replaced by it (or
  // it becomes nopass for ""). Called lazily wherever the default user's password matters.
  void SyncRequirepass(std::string_view requirepass);

  // ACL LOG. `max_len` is acllog-max-len. Const: the log is not part of the ACL state, and the
  // request path (which holds a const ServerContext) adds to it.
  void AddLogEntry(AclLogEntry entry, int64_t max_len) const;
  std::vector<AclLogEntry> LogEntries(size_t count) const;
  void ResetLog();

 private:
  std::shared_ptr<AclUser> default_;
  AclUser* default_raw_ = nullptr;
  mutable absl::Mutex mu_;
  std::map<std::string, std::shared_ptr<AclUser>, std::less<>> users_ ABSL_GUARDED_BY(mu_);
  std::string applied_requirepass_ ABSL_GUARDED_BY(mu_);
  mutable absl::Mutex log_mu_;
  mutable std::deque<AclLogEntry> log_ ABSL_GUARDED_BY(log_mu_);
};

// ---- For the ACL commands
// ------------------------------------------------------------------------

// What ACL GETUSER shows of a user: flags, password hashes, and per selector (root first) its
// command rules, key patterns and channel patterns as text.
struct AclSelectorDescription {
  std::string commands;
  std::string keys;
  std::string channels;
};
struct AclUserDescription {
  std::vector<std::string_view> flags;
  std::vector<std::string> passwords;
  std::vector<AclSelectorDescription> selectors;
};
AclUserDescription DescribeAclUser(const AclUser& user, const CommandTable& table);

// The rules of a user as ACL LIST and the ACL file write them (after "user <name> ").
std::string AclUserRulesText(const AclUser& user, const CommandTable& table);

// Redis 7.0's categories in ACL CAT order.
std::span<const std::string_view> AclCategoryNames();
// ACL CAT <category>: appends the commands and subcommands in it; false if there is no such
// category.
bool AclCommandsInCategory(const CommandTable& table, std::string_view category,
                           std::vector<std::string_view>* out);

// Joins rules split over several arguments into selector groups ("(~a", "+get)" -> "(~a +get)").
// On an unclosed "(" returns false with its index in *bad_index.
bool AclMergeSelectorArgs(std::span<const std::string> in, std::vector<std::string>* out,
                          size_t* bad_index);

// ACL DRYRUN user command args...: `args` is the command and its arguments. Returns the reply:
// an error line (*is_error) for an unknown command or a wrong arity, else "OK" or the refusal.
std::string AclDryRun(const CommandTable& table, const AclUser& user,
                      std::span<const std::string_view> args, bool* is_error);

// The SHA-256 of a password as 64 lower-case hex digits (how passwords are stored and shown).
std::string AclHashPassword(std::string_view password);
// `chars` random hex digits from the kernel's CSPRNG (ACL GENPASS); "" if it gives none.
std::string AclRandomHex(size_t chars);
// Reads a whole file; returns "" or Redis's "Error loading ACLs, opening file ..." text.
std::string AclReadFile(const std::string& path, std::string* text);

// ---- The per-command check -------------------------------------------------------------------

// The full check for a user that is not unrestricted: command (and subcommand) permission, keys
// (read vs write by the command's key specs) and channels, over every selector of the user. On
// refusal, *error receives Redis's NOPERM text and the ACL LOG an entry.
bool AclCheckRestricted(const ServerContext& server, const ClientState& client, const AclUser& user,
                        const CommandSpec& spec, std::span<const std::string_view> args,
                        std::string* error);

// Whether the client's user may run this command with these arguments. On refusal, *error
// receives Redis's NOPERM text. A template only so that this header need not include
// server_context.h (which includes this one): Server and Client are ServerContext and
// ClientState at every call.
template <typename Server, typename Client>
inline bool AclAllows(const Server& server, const Client& client, const CommandSpec& spec,
                      std::span<const std::string_view> args, std::string* error) {
  const AclUser* user = client.acl_user.get();
  if (user == nullptr) user = server.acl.default_user();
  if (user->unrestricted()) [[likely]] {
    return true;
  }
  return AclCheckRestricted(server, client, *user, spec, args, error);
}

// EXEC re-checks each queued command (the rules may have changed since it was queued); the
// refusal text is Redis's "NOPERM ACLs rules changed between the moment the transaction was
// accumulated and the EXEC call. ..." one.
bool AclAllowsInExec(const ServerContext& server, const ClientState& client,
                     const CommandSpec& spec, std::span<const std::string_view> args,
                     std::string* error);

// ---- Authentication ----------------------------------------------------------------------------

// Checks `username`/`password` (AUTH, HELLO ... AUTH). On success the client is authenticated as
// that user; on failure the ACL LOG gets an "auth" entry whose object is `command` as typed.
bool AclAuthenticate(ServerContext& server, ClientState& client, std::string_view username,
                     std::string_view password, std::string_view command);

// Whether the default user has no password (AUTH <password> is then an error).
bool AclDefaultUserIsNopass(ServerContext& server);

// A new connection and RESET: the default user, authenticated only if it is on and nopass.
void AclSetDefaultUser(ServerContext& server, ClientState& client);

// Whether an unauthenticated client must still AUTH (Redis's authRequired): the default user has
// a password or is off. A client that connected while a password was required may run commands
// once the password is removed.
bool AclAuthRequired(ServerContext& server);

// At start-up, after the config is loaded: applies requirepass and loads `aclfile` if set.
// An unreadable or invalid file fails (the server must not start with other users than meant).
[[nodiscard]] absl::Status LoadAclAtStartup(ServerContext& server);

}  // namespace ringkv::server
