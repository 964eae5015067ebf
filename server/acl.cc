// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The ACL model: the rule language of ACL SETUSER and the ACL file, the command/key/channel
// checks, the description of rules (ACL LIST, GETUSER, SAVE), and the authentication helpers.
// Semantics follow Redis 7.0's acl.c (read for behaviour, not copied):
//
// - A user has flags (on/off, nopass, sanitize-payload), SHA-256 password hashes, and selectors:
//   the root selector plus any "(...)" ones. A command is allowed if any selector allows it.
// - A selector is a command bitmap indexed by command id, allowed first arguments for otherwise
//   denied commands (+select|0), key patterns with read/write permissions (~p, %R~p, %W~p) and
//   channel patterns (&p), plus the allkeys/allchannels/allcommands flags.
// - Command ids: the CommandTable position of a top-level command, then table size + i for the
//   i-th Redis 7.0 container subcommand (config|get, client|id, ...) of kSubcommands. Bits past
//   the end of a bitmap read as the selector's "future" bit, which only +@all sets, exactly like
//   Redis's reserved last bit: it is what makes "+@all -get" differ from "-@all +<everything>".
#include "server/acl.h"

#include <openssl/evp.h>
#include <sys/random.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "engine/glob.h"
#include "server/acl_commands.h"
#include "server/client_registry.h"
#include "server/command.h"
#include "server/command_table.h"
#include "server/config/config_store.h"
#include "server/config/syntax.h"
#include "server/errors.h"
#include "server/server_context.h"

namespace ringkv::server {

using acl_internal::AclCommand;
using acl_internal::CategoryIndex;
using acl_internal::FindSubcommand;
using acl_internal::kCategories;
using acl_internal::kNumCategories;
using acl_internal::kSubcommands;
using acl_internal::LookupCommand;
using acl_internal::SubcommandId;
using acl_internal::SubcommandRange;
using acl_internal::Universe;

namespace {

absl::string_view Sv(std::string_view s) { return absl::string_view(s.data(), s.size()); }

bool IEquals(std::string_view a, std::string_view b) {
  return absl::EqualsIgnoreCase(Sv(a), Sv(b));
}

// ---- Password hashes: SHA-256 in hex, from OpenSSL's libcrypto
// -----------------------------------

std::array<uint8_t, 32> Sha256(std::string_view data) {
  std::array<uint8_t, 32> digest{};
  unsigned int size = 0;
  // EVP_Digest fails only when it cannot allocate: treated as out of memory.
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) {
    std::abort();
  }
  return digest;
}

constexpr char kHex[] = "0123456789abcdef";

// A stored password hash is exactly 64 lowercase hex digits (Redis's ACLCheckPasswordHash).
bool IsPasswordHash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) return false;
  }
  return true;
}

// Equal-length hex hashes compared without an early exit, so timing tells nothing of the match.
bool HashesEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned diff = 0;
  for (size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

}  // namespace

// ---- Selectors and user rules -------------------------------------------------------------------

namespace {

enum KeyPerm : uint8_t { kKeyRead = 1, kKeyWrite = 2, kKeyAll = kKeyRead | kKeyWrite };

struct KeyPattern {
  std::string pattern;
  uint8_t perms;  // KeyPerm bits, never 0
};

struct Selector {
  bool all_keys = false;
  bool all_channels = false;
  bool all_commands = false;
  // The reserved bit: set by +@all, cleared by -@all; bits past the end of `bits` read as it.
  bool future = false;
  std::vector<uint64_t> bits;
  // Allowed first arguments of otherwise denied commands (+select|0), per command id.
  std::vector<std::pair<size_t, std::vector<std::string>>> first_args;
  std::vector<KeyPattern> keys;
  std::vector<std::string> channels;

  bool Bit(size_t id) const {
    size_t word = id / 64;
    if (word >= bits.size()) return future;
    return (bits[word] >> (id % 64)) & 1;
  }

  void SetBit(size_t id, bool value) {
    size_t word = id / 64;
    if (word >= bits.size()) bits.resize(word + 1, future ? ~uint64_t{0} : 0);
    if (value) {
      bits[word] |= uint64_t{1} << (id % 64);
    } else {
      bits[word] &= ~(uint64_t{1} << (id % 64));
      all_commands = false;
    }
  }

  void ResetFirstArgs(size_t id) {
    std::erase_if(first_args, [id](const auto& e) { return e.first == id; });
  }

  const std::vector<std::string>* FirstArgs(size_t id) const {
    for (const auto& e : first_args) {
      if (e.first == id) return &e.second;
    }
    return nullptr;
  }

  void SetAll(bool value) {
    bits.clear();
    future = value;
    all_commands = value;
    first_args.clear();
  }
};

}  // namespace

struct AclUserRules {
  enum class Sanitize { kUnset, kSanitize, kSkip };
  bool enabled = false;
  bool nopass = false;
  Sanitize sanitize = Sanitize::kUnset;
  std::vector<std::string> passwords;                          // SHA-256, lower-case hex
  std::vector<Selector> selectors = std::vector<Selector>(1);  // [0] is the root selector
};

namespace {

// Why an ACL rule was refused (Redis's errno values in ACLSetUser).
enum class RuleError {
  kOk,
  kSyntax,           // EINVAL
  kUnknown,          // ENOENT
  kKeyAfterAll,      // EEXIST
  kChannelAfterAll,  // EISDIR
  kNoSuchPassword,   // ENODEV
  kBadHash,          // EBADMSG
  kSubcommandArg,    // ECHILD
};

std::string_view RuleErrorText(RuleError e) {
  switch (e) {
    case RuleError::kUnknown:
      return "Unknown command or category name in ACL";
    case RuleError::kSyntax:
      return "Syntax error";
    case RuleError::kKeyAfterAll:
      return "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does "
             "not have any effect. Try 'resetkeys' to start with an empty list of patterns";
    case RuleError::kChannelAfterAll:
      return "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and "
             "does not have any effect. Try 'resetchannels' to start with an empty list of "
             "channels";
    case RuleError::kNoSuchPassword:
      return "The password you are trying to remove from the user does not exist";
    case RuleError::kBadHash:
      return "The password hash must be exactly 64 characters and contain only lowercase "
             "hexadecimal characters";
    case RuleError::kSubcommandArg:
      return "Allowing first-arg of a subcommand is not supported";
    case RuleError::kOk:
      break;
  }
  return "Wrong format";
}

// Redis's ACLStringHasSpaces: isspace() or NUL anywhere.
bool HasSpaces(std::string_view s) {
  for (char c : s) {
    if (c == 0 || absl::ascii_isspace(static_cast<unsigned char>(c))) return true;
  }
  return false;
}

// Allows or denies one command; a container's subcommands follow it (ACLChangeSelectorPerm).
void ChangePerm(Selector& s, const CommandTable& table, const AclCommand& cmd, bool allow) {
  s.SetBit(cmd.id, allow);
  s.ResetFirstArgs(cmd.id);
  for (size_t i = cmd.sub_begin; i < cmd.sub_end; ++i) s.SetBit(SubcommandId(table, i), allow);
}

void ApplyCategory(Selector& s, const CommandTable& table, const std::vector<AclCommand>& universe,
                   int category, bool allow) {
  const uint32_t bit = 1u << category;
  for (const AclCommand& cmd : universe) {
    if (cmd.categories & bit) ChangePerm(s, table, cmd, allow);
  }
}

RuleError AllowCommandRule(Selector& s, const CommandTable& table, std::string_view name) {
  size_t bar = name.rfind('|');
  if (bar == std::string_view::npos) {
    std::optional<AclCommand> cmd = LookupCommand(table, name);
    if (!cmd || cmd->parent >= 0) return RuleError::kUnknown;
    ChangePerm(s, table, *cmd, true);
    return RuleError::kOk;
  }
  std::optional<AclCommand> cmd = LookupCommand(table, name.substr(0, bar));
  if (!cmd) return RuleError::kUnknown;
  if (cmd->parent >= 0) return RuleError::kSubcommandArg;
  std::string_view sub = name.substr(bar + 1);
  if (sub.empty()) return RuleError::kSyntax;
  if (cmd->sub_end > cmd->sub_begin) {
    std::optional<AclCommand> subcmd = LookupCommand(table, name);
    if (!subcmd) return RuleError::kUnknown;
    ChangePerm(s, table, *subcmd, true);
    return RuleError::kOk;
  }
  // A first argument of a plain command (SELECT|0): allowed on top of a denied command.
  for (auto& [id, args] : s.first_args) {
    if (id != cmd->id) continue;
    for (const std::string& a : args) {
      if (IEquals(a, sub)) return RuleError::kOk;
    }
    args.emplace_back(sub);
    return RuleError::kOk;
  }
  s.first_args.push_back({cmd->id, {std::string(sub)}});
  return RuleError::kOk;
}

RuleError AddKeyPattern(Selector& s, std::string_view op) {
  if (s.all_keys) return RuleError::kKeyAfterAll;
  uint8_t perms = 0;
  size_t offset = 1;
  if (op[0] == '%') {
    for (; offset < op.size(); ++offset) {
      char c = absl::ascii_toupper(static_cast<unsigned char>(op[offset]));
      if (c == 'R' && !(perms & kKeyRead)) {
        perms |= kKeyRead;
      } else if (c == 'W' && !(perms & kKeyWrite)) {
        perms |= kKeyWrite;
      } else if (op[offset] == '~') {
        ++offset;
        break;
      } else {
        return RuleError::kSyntax;
      }
    }
    // Redis 7.0.15 refuses "%" and "%~x" (no permission named) but takes "%R" (empty pattern).
    if (perms == 0) return RuleError::kSyntax;
  } else {
    perms = kKeyAll;
  }
  std::string_view pattern = op.substr(std::min(offset, op.size()));
  if (HasSpaces(pattern)) return RuleError::kSyntax;
  for (KeyPattern& k : s.keys) {
    if (k.pattern == pattern) {
      k.perms |= perms;
      return RuleError::kOk;
    }
  }
  s.keys.push_back({std::string(pattern), perms});
  return RuleError::kOk;
}

RuleError AddChannelPattern(Selector& s, std::string_view op) {
  if (s.all_channels) return RuleError::kChannelAfterAll;
  std::string_view pattern = op.substr(1);
  if (HasSpaces(pattern)) return RuleError::kSyntax;
  if (std::find(s.channels.begin(), s.channels.end(), pattern) == s.channels.end()) {
    s.channels.emplace_back(pattern);
  }
  return RuleError::kOk;
}

// One selector rule (Redis's ACLSetSelector).
RuleError ApplySelectorOp(Selector& s, const CommandTable& table, std::string_view op) {
  if (IEquals(op, "allkeys") || op == "~*") {
    s.all_keys = true;
    s.keys.clear();
  } else if (IEquals(op, "resetkeys")) {
    s.all_keys = false;
    s.keys.clear();
  } else if (IEquals(op, "allchannels") || op == "&*") {
    s.all_channels = true;
    s.channels.clear();
  } else if (IEquals(op, "resetchannels")) {
    s.all_channels = false;
    s.channels.clear();
  } else if (IEquals(op, "allcommands") || IEquals(op, "+@all")) {
    s.SetAll(true);
  } else if (IEquals(op, "nocommands") || IEquals(op, "-@all")) {
    s.SetAll(false);
  } else if (op[0] == '~' || op[0] == '%') {
    return AddKeyPattern(s, op);
  } else if (op[0] == '&') {
    return AddChannelPattern(s, op);
  } else if ((op[0] == '+' || op[0] == '-') && op.size() > 1 && op[1] == '@') {
    int category = CategoryIndex(op.substr(2));
    if (category < 0) return RuleError::kUnknown;
    ApplyCategory(s, table, Universe(table), category, op[0] == '+');
  } else if (op[0] == '+') {
    return AllowCommandRule(s, table, op.substr(1));
  } else if (op[0] == '-') {
    std::optional<AclCommand> cmd = LookupCommand(table, op.substr(1));
    if (!cmd) return RuleError::kUnknown;
    ChangePerm(s, table, *cmd, false);
  } else {
    return RuleError::kSyntax;
  }
  return RuleError::kOk;
}

// A new user: off, no passwords, a root selector with no commands, keys or channels.
AclUserRules NewUserRules() { return AclUserRules{}; }

AclUserRules DefaultUserRules() {
  AclUserRules r;
  r.enabled = true;
  r.nopass = true;
  r.selectors[0].SetAll(true);
  r.selectors[0].all_keys = true;
  r.selectors[0].all_channels = true;
  return r;
}

std::string HashPassword(std::string_view password) {
  std::array<uint8_t, 32> digest = Sha256(password);
  std::string hex(64, '0');
  for (size_t i = 0; i < digest.size(); ++i) {
    hex[i * 2] = kHex[digest[i] >> 4];
    hex[i * 2 + 1] = kHex[digest[i] & 0xf];
  }
  return hex;
}

RuleError ApplyPasswordOp(AclUserRules& u, std::string_view op) {
  std::string hash;
  if (op[0] == '>' || op[0] == '<') {
    hash = HashPassword(op.substr(1));
  } else {
    if (!IsPasswordHash(op.substr(1))) return RuleError::kBadHash;
    hash = std::string(op.substr(1));
  }
  auto it = std::find(u.passwords.begin(), u.passwords.end(), hash);
  if (op[0] == '>' || op[0] == '#') {
    if (it == u.passwords.end()) u.passwords.push_back(std::move(hash));
    u.nopass = false;
    return RuleError::kOk;
  }
  if (it == u.passwords.end()) return RuleError::kNoSuchPassword;
  u.passwords.erase(it);
  return RuleError::kOk;
}

RuleError ApplyUserOp(AclUserRules& u, const CommandTable& table, std::string_view op);

// "(rule rule ...)": a new selector made of the rules inside.
RuleError AddSelector(AclUserRules& u, const CommandTable& table, std::string_view op) {
  Selector s;
  std::optional<std::vector<std::string>> rules = config::SplitArgs(op.substr(1, op.size() - 2));
  if (!rules) return RuleError::kSyntax;
  for (const std::string& rule : *rules) {
    if (rule.empty()) continue;
    RuleError e = ApplySelectorOp(s, table, rule);
    if (e != RuleError::kOk) return e;
  }
  u.selectors.push_back(std::move(s));
  return RuleError::kOk;
}

// One user rule (Redis's ACLSetUser). An empty rule does nothing.
RuleError ApplyUserOp(AclUserRules& u, const CommandTable& table, std::string_view op) {
  if (op.empty()) return RuleError::kOk;
  if (IEquals(op, "on")) {
    u.enabled = true;
  } else if (IEquals(op, "off")) {
    u.enabled = false;
  } else if (IEquals(op, "skip-sanitize-payload")) {
    u.sanitize = AclUserRules::Sanitize::kSkip;
  } else if (IEquals(op, "sanitize-payload")) {
    u.sanitize = AclUserRules::Sanitize::kSanitize;
  } else if (IEquals(op, "nopass")) {
    u.nopass = true;
    u.passwords.clear();
  } else if (IEquals(op, "resetpass")) {
    u.nopass = false;
    u.passwords.clear();
  } else if (op[0] == '>' || op[0] == '#' || op[0] == '<' || op[0] == '!') {
    return ApplyPasswordOp(u, op);
  } else if (op[0] == '(' && op.back() == ')') {
    return AddSelector(u, table, op);
  } else if (IEquals(op, "clearselectors")) {
    u.selectors.resize(1);
  } else if (IEquals(op, "reset")) {
    AclUserRules fresh;
    fresh.sanitize = AclUserRules::Sanitize::kSanitize;
    u = std::move(fresh);
  } else {
    return ApplySelectorOp(u.selectors[0], table, op);
  }
  return RuleError::kOk;
}

bool AllowsEverything(const AclUserRules& u) {
  for (const Selector& s : u.selectors) {
    if (s.all_commands && s.all_keys && s.all_channels) return true;
  }
  return false;
}

// ---- Describing rules (ACL LIST, GETUSER, SAVE) -------------------------------------------------

// Counts the commands of `category` that `s` allows (on) and denies (off).
void CountCategory(const Selector& s, const std::vector<AclCommand>& universe, int category,
                   size_t* on, size_t* off) {
  *on = *off = 0;
  const uint32_t bit = 1u << category;
  for (const AclCommand& cmd : universe) {
    if (!(cmd.categories & bit)) continue;
    if (s.Bit(cmd.id)) {
      ++*on;
    } else {
      ++*off;
    }
  }
}

// The command part of a selector as rules that rebuild its bitmap (Redis 7.0's
// ACLDescribeSelectorCommandRules): "+@all" or "-@all", then the categories that fit best, then
// single commands for what is left. Replaying the rules on a fresh selector gives the same bits.
std::string DescribeCommandRules(const Selector& s, const CommandTable& table) {
  const std::vector<AclCommand> universe = Universe(table);
  const bool additive = !s.future;
  std::string rules = additive ? "-@all " : "+@all ";
  Selector fake;
  fake.SetAll(!additive);
  // `temp` starts as the user's bits; each category applied is removed from it (inverted), so
  // that the next round looks only at what the categories so far do not explain.
  Selector temp = s;
  temp.first_args.clear();
  bool applied[kNumCategories] = {};
  while (true) {
    int best = -1;
    size_t min_diff = SIZE_MAX, max_same = 0;
    for (size_t c = 0; c < kNumCategories; ++c) {
      if (applied[c]) continue;
      size_t on, off;
      CountCategory(temp, universe, static_cast<int>(c), &on, &off);
      size_t diff = additive ? off : on;
      size_t same = additive ? on : off;
      if (same > diff && (diff < min_diff || (diff == min_diff && same > max_same))) {
        best = static_cast<int>(c);
        min_diff = diff;
        max_same = same;
      }
    }
    if (best < 0) break;
    ApplyCategory(fake, table, universe, best, additive);
    ApplyCategory(temp, table, universe, best, !additive);
    absl::StrAppend(&rules, additive ? "+@" : "-@", Sv(kCategories[best]), " ");
    applied[best] = true;
  }
  for (const AclCommand& cmd : universe) {
    const bool user_bit = s.Bit(cmd.id);
    if (user_bit != fake.Bit(cmd.id)) {
      absl::StrAppend(&rules, user_bit ? "+" : "-", Sv(cmd.fullname), " ");
      ChangePerm(fake, table, cmd, user_bit);
    }
    if (!user_bit) {
      if (const std::vector<std::string>* args = s.FirstArgs(cmd.id)) {
        for (const std::string& a : *args)
          absl::StrAppend(&rules, "+", Sv(cmd.fullname), "|", a, " ");
      }
    }
  }
  rules.pop_back();
#ifndef NDEBUG
  for (const AclCommand& cmd : universe) assert(fake.Bit(cmd.id) == s.Bit(cmd.id));
#endif
  return rules;
}

std::string KeyPatternText(const KeyPattern& k) {
  if (k.perms == kKeyAll) return absl::StrCat("~", k.pattern);
  return absl::StrCat("%", (k.perms & kKeyRead) ? "R" : "", (k.perms & kKeyWrite) ? "W" : "", "~",
                      k.pattern);
}

std::string KeysText(const Selector& s) {
  if (s.all_keys) return "~*";
  std::vector<std::string> parts;
  for (const KeyPattern& k : s.keys) parts.push_back(KeyPatternText(k));
  return absl::StrJoin(parts, " ");
}

std::string ChannelsText(const Selector& s) {
  if (s.all_channels) return "&*";
  std::vector<std::string> parts;
  for (const std::string& c : s.channels) parts.push_back(absl::StrCat("&", c));
  return absl::StrJoin(parts, " ");
}

// One selector in ACL LIST form: keys, channels, command rules.
std::string DescribeSelector(const Selector& s, const CommandTable& table) {
  std::string out;
  if (s.all_keys) {
    out = "~* ";
  } else {
    for (const KeyPattern& k : s.keys) absl::StrAppend(&out, KeyPatternText(k), " ");
  }
  if (s.all_channels) {
    out += "&* ";
  } else {
    out += "resetchannels ";
    for (const std::string& c : s.channels) absl::StrAppend(&out, "&", c, " ");
  }
  out += DescribeCommandRules(s, table);
  return out;
}

std::vector<std::string_view> FlagNames(const AclUserRules& u) {
  std::vector<std::string_view> flags;
  flags.push_back(u.enabled ? "on" : "off");
  if (u.nopass) flags.push_back("nopass");
  if (u.sanitize == AclUserRules::Sanitize::kSkip) flags.push_back("skip-sanitize-payload");
  if (u.sanitize == AclUserRules::Sanitize::kSanitize) flags.push_back("sanitize-payload");
  return flags;
}

std::string DescribeRules(const AclUserRules& u, const CommandTable& table) {
  std::string out;
  for (std::string_view f : FlagNames(u)) absl::StrAppend(&out, Sv(f), " ");
  for (const std::string& p : u.passwords) absl::StrAppend(&out, "#", p, " ");
  for (size_t i = 0; i < u.selectors.size(); ++i) {
    if (i == 0) {
      out += DescribeSelector(u.selectors[0], table);
    } else {
      absl::StrAppend(&out, " (", DescribeSelector(u.selectors[i], table), ")");
    }
  }
  return out;
}

// ---- Checks
// --------------------------------------------------------------------------------------

// Redis's ACL_DENIED_* order: when no selector allows a command, the highest reason is reported.
enum class Denial { kNone = 0, kCommand = 1, kKey = 2, kChannel = 4 };

struct Resolved {
  size_t id;
  std::string_view fullname;
  bool no_auth;
};

// The command id a call runs: a container's subcommand when args[1] names one, else the command.
Resolved Resolve(const CommandTable& table, const CommandSpec& spec,
                 std::span<const std::string_view> args) {
  std::span<const CommandSpec> all = table.all();
  size_t id;
  if (std::less_equal<const CommandSpec*>()(all.data(), &spec) &&
      std::less<const CommandSpec*>()(&spec, all.data() + all.size())) {
    id = static_cast<size_t>(&spec - all.data());
  } else {
    const CommandSpec* found = table.Find(spec.name);
    id = found != nullptr ? static_cast<size_t>(found - all.data()) : SIZE_MAX;
  }
  Resolved r{id, spec.name, (spec.flags & kNoAuth) != 0};
  if (args.size() >= 2) {
    int sub = FindSubcommand(spec.name, args[1]);
    if (sub >= 0) {
      r.id = SubcommandId(table, static_cast<size_t>(sub));
      r.fullname = kSubcommands[sub].name;
    }
  }
  return r;
}

bool HasWord(std::string_view words, std::string_view word) {
  for (absl::string_view w : absl::StrSplit(Sv(words), ' ', absl::SkipEmpty())) {
    if (IEquals(std::string_view(w.data(), w.size()), word)) return true;
  }
  return false;
}

// The read/write permissions one key spec needs: access = read; insert, delete, update = write.
uint8_t PermsOf(std::string_view key_spec_flags) {
  uint8_t p = 0;
  if (HasWord(key_spec_flags, "access")) p |= kKeyRead;
  if (HasWord(key_spec_flags, "insert") || HasWord(key_spec_flags, "delete") ||
      HasWord(key_spec_flags, "update")) {
    p |= kKeyWrite;
  }
  return p;
}

// BITFIELD only reads unless it has a SET or INCRBY operation (Redis's bitfieldGetKeys).
bool BitfieldWrites(std::span<const std::string_view> args) {
  for (size_t i = 2; i < args.size(); ++i) {
    if (IEquals(args[i], "GET")) {
      i += 2;
    } else if (IEquals(args[i], "SET") || IEquals(args[i], "INCRBY")) {
      return true;
    } else if (IEquals(args[i], "OVERFLOW")) {
      i += 1;
    }
  }
  return false;
}

// The permissions the key at argument `pos` needs. CommandSpec carries one key spec; Redis 7.0
// gives some commands several (a source read, a destination written) or flags that depend on the
// arguments (SET ... GET, BITFIELD): those are spelled out here from Redis's key specs.
uint8_t KeyPermsAt(const CommandSpec& spec, std::span<const std::string_view> args, size_t pos) {
  const std::string_view n = spec.name;
  // Destination first (OW/RW update), sources read.
  if (n == "sinterstore" || n == "sunionstore" || n == "sdiffstore" || n == "zunionstore" ||
      n == "zinterstore" || n == "zdiffstore" || n == "zrangestore" || n == "geosearchstore") {
    return pos == 1 ? kKeyWrite : kKeyRead;
  }
  if (n == "pfmerge") return pos == 1 ? kKeyAll : kKeyRead;
  if (n == "bitop") return pos == 2 ? kKeyWrite : kKeyRead;
  // Source (read and emptied), destination written.
  if (n == "rename" || n == "renamenx" || n == "smove" || n == "lmove" || n == "blmove" ||
      n == "rpoplpush" || n == "brpoplpush") {
    return pos == 1 ? kKeyAll : kKeyWrite;
  }
  if (n == "copy") return pos == 1 ? kKeyRead : kKeyWrite;
  // The key read, then an optional STORE/STOREDIST destination.
  if (n == "georadius" || n == "georadiusbymember" || n == "sort") {
    return pos == 1 ? kKeyRead : kKeyWrite;
  }
  if (n == "set") {
    for (size_t i = 3; i < args.size(); ++i) {
      if (IEquals(args[i], "GET")) return kKeyAll;
    }
    return kKeyWrite;
  }
  if (n == "bitfield") return BitfieldWrites(args) ? kKeyAll : kKeyRead;
  // Movable-key commands whose spec may carry no key flags (Redis: RW access delete/update).
  if (n == "lmpop" || n == "blmpop" || n == "zmpop" || n == "bzmpop" || n == "eval" ||
      n == "evalsha" || n == "fcall" || n == "xreadgroup" || n == "migrate") {
    return kKeyAll;
  }
  if (n == "eval_ro" || n == "evalsha_ro" || n == "fcall_ro" || n == "xread" || n == "sort_ro") {
    return kKeyRead;
  }
  return PermsOf(spec.key_spec_flags);
}

// Keys of Redis's movable-key commands, for a spec without a get_keys finder: the "keynum" key
// specs (a count, then that many keys) and the "keyword" ones (STORE, STREAMS, KEYS). Returns
// false for a command it does not know. A malformed count yields no keys: the handler refuses the
// call before touching any key.
bool FallbackKeys(const CommandSpec& spec, std::span<const std::string_view> args,
                  std::vector<size_t>* out) {
  const std::string_view n = spec.name;
  auto keynum = [&](size_t count_at, size_t first) {
    int64_t k = 0;
    if (count_at >= args.size() || !absl::SimpleAtoi(Sv(args[count_at]), &k) || k <= 0 ||
        static_cast<uint64_t>(k) > args.size() - std::min(first, args.size())) {
      return true;
    }
    for (size_t i = 0; i < static_cast<size_t>(k); ++i) out->push_back(first + i);
    return true;
  };
  auto keyword = [&](size_t from, std::initializer_list<std::string_view> words) {
    for (size_t i = from; i + 1 < args.size(); ++i) {
      for (std::string_view w : words) {
        if (IEquals(args[i], w)) out->push_back(i + 1);
      }
    }
    return true;
  };
  if (n == "zunionstore" || n == "zinterstore" || n == "zdiffstore") return keynum(2, 3);
  if (n == "zunion" || n == "zinter" || n == "zdiff" || n == "zintercard" || n == "sintercard" ||
      n == "lmpop" || n == "zmpop") {
    return keynum(1, 2);
  }
  if (n == "blmpop" || n == "bzmpop" || n == "eval" || n == "evalsha" || n == "eval_ro" ||
      n == "evalsha_ro" || n == "fcall" || n == "fcall_ro") {
    return keynum(2, 3);
  }
  if (n == "georadius") return keyword(6, {"STORE", "STOREDIST"});
  if (n == "georadiusbymember") return keyword(5, {"STORE", "STOREDIST"});
  if (n == "sort") return keyword(2, {"STORE"});
  if (n == "sort_ro") return true;
  if (n == "xread" || n == "xreadgroup") {
    for (size_t i = 1; i < args.size(); ++i) {
      if (!IEquals(args[i], "STREAMS")) continue;
      const size_t rest = args.size() - i - 1;
      if (rest > 0 && rest % 2 == 0) {
        for (size_t k = 0; k < rest / 2; ++k) out->push_back(i + 1 + k);
      }
      return true;
    }
    return true;
  }
  if (n == "migrate") {
    if (args.size() > 3 && !args[3].empty()) out->push_back(3);
    return keyword(6, {"KEYS"});
  }
  return false;
}

bool KeyAllowed(const Selector& s, std::string_view key, uint8_t needed) {
  for (const KeyPattern& k : s.keys) {
    if ((k.perms & needed) != needed) continue;
    if (engine::GlobMatch(k.pattern, key)) return true;
  }
  return false;
}

// A channel a pub/sub call names: PSUBSCRIBE's patterns are compared literally with the ACL
// patterns, channels are matched by them.
bool ChannelAllowed(const Selector& s, std::string_view channel, bool is_pattern) {
  for (const std::string& p : s.channels) {
    if (is_pattern ? p == channel : engine::GlobMatch(p, channel)) return true;
  }
  return false;
}

// The argument positions that are channels a call publishes or subscribes to (Redis checks
// neither UNSUBSCRIBE's channels nor PUBSUB's introspection).
void ChannelPositions(const CommandSpec& spec, std::span<const std::string_view> args,
                      std::vector<size_t>* out, bool* is_pattern) {
  const std::string_view n = spec.name;
  *is_pattern = n == "psubscribe";
  if (n == "publish" || n == "spublish") {
    if (args.size() > 1) out->push_back(1);
  } else if (n == "subscribe" || n == "ssubscribe" || n == "psubscribe") {
    for (size_t i = 1; i < args.size(); ++i) out->push_back(i);
  }
}

struct CheckInput {
  const CommandTable& table;
  const CommandSpec& spec;
  std::span<const std::string_view> args;
  Resolved cmd;
  // Keys with the permissions they need, and channels; computed once for all selectors.
  bool keys_known = true;
  std::vector<std::pair<size_t, uint8_t>> keys;
  std::vector<size_t> channels;
  bool channel_patterns = false;
};

CheckInput MakeCheckInput(const CommandTable& table, const CommandSpec& spec,
                          std::span<const std::string_view> args) {
  CheckInput in{table, spec, args, Resolve(table, spec, args), true, {}, {}, false};
  const bool has_keys = spec.first_key > 0 || (spec.flags & kMovableKeys);
  if (has_keys && !HasWord(spec.key_spec_flags, "not_key")) {
    std::vector<size_t> positions;
    in.keys_known = KeyPositions(spec, args, &positions) || FallbackKeys(spec, args, &positions);
    for (size_t p : positions) {
      if (p < args.size()) in.keys.push_back({p, KeyPermsAt(spec, args, p)});
    }
  }
  ChannelPositions(spec, args, &in.channels, &in.channel_patterns);
  return in;
}

std::pair<Denial, size_t> CheckSelector(const Selector& s, const CheckInput& in) {
  if (!s.all_commands && !in.cmd.no_auth && !s.Bit(in.cmd.id)) {
    const std::vector<std::string>* first = s.FirstArgs(in.cmd.id);
    bool ok = false;
    if (first != nullptr && in.args.size() >= 2) {
      for (const std::string& a : *first) ok = ok || IEquals(a, in.args[1]);
    }
    if (!ok) return {Denial::kCommand, 0};
  }
  if (!s.all_keys) {
    // Keys that cannot be located (movable keys without a finder) need allkeys.
    if (!in.keys_known) return {Denial::kKey, in.args.size() > 1 ? 1 : 0};
    for (const auto& [pos, perms] : in.keys) {
      if (!KeyAllowed(s, in.args[pos], perms)) return {Denial::kKey, pos};
    }
  }
  if (!s.all_channels) {
    for (size_t pos : in.channels) {
      if (!ChannelAllowed(s, in.args[pos], in.channel_patterns)) return {Denial::kChannel, pos};
    }
  }
  return {Denial::kNone, 0};
}

// Every selector in turn; the first that allows wins. Otherwise the most specific refusal.
std::pair<Denial, size_t> CheckRules(const AclUserRules& u, const CheckInput& in) {
  Denial worst = Denial::kCommand;
  size_t worst_pos = 0;
  for (const Selector& s : u.selectors) {
    auto [d, pos] = CheckSelector(s, in);
    if (d == Denial::kNone) return {d, 0};
    if (d > worst || (d == worst && pos > worst_pos)) {
      worst = d;
      worst_pos = pos;
    }
  }
  return {worst, worst_pos};
}

int64_t LogMaxLen(const ServerContext& server) {
  if (server.config == nullptr) return 128;
  return server.config->Snapshot()->acllog_max_len;
}

std::string ClientInfoText(const ServerContext& server, const ClientState& client) {
  if (client.info == nullptr || server.engine == nullptr) return "";
  return FormatClientLine(*client.info, server.engine->clock().NowMs());
}

int64_t NowMs(const ServerContext& server) {
  return server.engine != nullptr ? server.engine->clock().NowMs() : 0;
}

void LogDenial(const ServerContext& server, const ClientState& client, const AclUser& user,
               Denial d, size_t pos, const CheckInput& in, bool in_exec) {
  AclLogEntry e;
  e.reason = d == Denial::kCommand ? "command" : d == Denial::kKey ? "key" : "channel";
  e.context = client.in_script                                           ? "lua"
              : in_exec || (client.tx != nullptr && client.tx->in_multi) ? "multi"
                                                                         : "toplevel";
  e.object = d == Denial::kCommand ? std::string(in.cmd.fullname) : std::string(in.args[pos]);
  e.username = user.name();
  e.time_ms = NowMs(server);
  e.client_info = ClientInfoText(server, client);
  server.acl.AddLogEntry(std::move(e), LogMaxLen(server));
}

bool Check(const ServerContext& server, const ClientState& client, const AclUser& user,
           const CommandSpec& spec, std::span<const std::string_view> args, bool in_exec,
           std::string* error) {
  if (user.deleted()) {
    // Its clients are being disconnected; until then they may only authenticate again.
    if (spec.flags & kNoAuth) return true;
    *error = std::string(errors::kNoAuth);
    return false;
  }
  const CheckInput in = MakeCheckInput(*server.commands, spec, args);
  auto [d, pos] = CheckRules(*user.rules(), in);
  if (d == Denial::kNone) return true;
  LogDenial(server, client, user, d, pos, in, in_exec);
  if (in_exec) {
    *error = absl::StrCat(
        "NOPERM ACLs rules changed between the moment the transaction was accumulated and the "
        "EXEC call. This command is no longer allowed for the following reason: ",
        d == Denial::kCommand ? "no permission to execute the command or subcommand"
        : d == Denial::kKey   ? "no permission to touch the specified keys"
                              : "no permission to access one of the channels used as arguments");
  } else if (d == Denial::kCommand) {
    *error = absl::StrCat("NOPERM this user has no permissions to run the '", Sv(in.cmd.fullname),
                          "' command");
  } else if (d == Denial::kKey) {
    *error = "NOPERM this user has no permissions to access one of the keys used as arguments";
  } else {
    *error = "NOPERM this user has no permissions to access one of the channels used as arguments";
  }
  return false;
}

int WorkerOf(const ClientState& client) { return client.info ? client.info->worker : -1; }

}  // namespace

// ---- AclUser, AclUserRef -----------------------------------------------------------------------

AclUser::AclUser(std::string name, std::shared_ptr<const AclUserRules> rules)
    : name_(std::move(name)) {
  unrestricted_.store(AllowsEverything(*rules), std::memory_order_relaxed);
  rules_ = std::move(rules);
}

AclUser::~AclUser() = default;

std::shared_ptr<const AclUserRules> AclUser::rules() const {
  absl::MutexLock lock(&mu_);
  return rules_;
}

void AclUser::SetRules(std::shared_ptr<const AclUserRules> rules, bool unrestricted) {
  absl::MutexLock lock(&mu_);
  rules_ = std::move(rules);
  unrestricted_.store(unrestricted && !deleted(), std::memory_order_relaxed);
}

std::vector<std::pair<uint64_t, int>> AclUser::MarkDeleted() {
  deleted_.store(true, std::memory_order_seq_cst);
  unrestricted_.store(false, std::memory_order_relaxed);
  absl::MutexLock lock(&mu_);
  return std::vector<std::pair<uint64_t, int>>(clients_.begin(), clients_.end());
}

void AclUser::AddClient(uint64_t id, int worker) {
  absl::MutexLock lock(&mu_);
  clients_[id] = worker;
}

void AclUser::RemoveClient(uint64_t id) {
  absl::MutexLock lock(&mu_);
  clients_.erase(id);
}

AclUserRef::AclUserRef(AclUserRef&& other) noexcept
    : user_(std::move(other.user_)), client_id_(other.client_id_) {}

AclUserRef& AclUserRef::operator=(AclUserRef&& other) noexcept {
  if (this != &other) {
    Reset();
    user_ = std::move(other.user_);
    client_id_ = other.client_id_;
  }
  return *this;
}

void AclUserRef::Bind(std::shared_ptr<AclUser> user, bool is_default, uint64_t client_id,
                      int worker) {
  Reset();
  if (user == nullptr || is_default) return;
  user->AddClient(client_id, worker);
  user_ = std::move(user);
  client_id_ = client_id;
}

void AclUserRef::Reset() {
  if (user_ == nullptr) return;
  user_->RemoveClient(client_id_);
  user_.reset();
}

// ---- Acl
// ------------------------------------------------------------------------------------------

Acl::Acl()
    : default_(std::make_shared<AclUser>("default",
                                         std::make_shared<const AclUserRules>(DefaultUserRules()))),
      default_raw_(default_.get()) {
  users_.emplace("default", default_);
}

Acl::~Acl() = default;

std::shared_ptr<AclUser> Acl::Find(std::string_view name) const {
  absl::MutexLock lock(&mu_);
  auto it = users_.find(name);
  return it == users_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<AclUser>> Acl::Users() const {
  absl::MutexLock lock(&mu_);
  std::vector<std::shared_ptr<AclUser>> out;
  for (const auto& [name, user] : users_) out.push_back(user);
  return out;
}

int Acl::SetUser(const CommandTable& table, std::string_view name, std::span<const std::string> ops,
                 std::string* reason) {
  absl::MutexLock lock(&mu_);
  auto it = users_.find(name);
  AclUserRules rules = it != users_.end() ? *it->second->rules() : NewUserRules();
  for (size_t i = 0; i < ops.size(); ++i) {
    RuleError e = ApplyUserOp(rules, table, ops[i]);
    if (e != RuleError::kOk) {
      *reason = std::string(RuleErrorText(e));
      return static_cast<int>(i);
    }
  }
  const bool unrestricted = AllowsEverything(rules);
  auto published = std::make_shared<const AclUserRules>(std::move(rules));
  if (it != users_.end()) {
    it->second->SetRules(std::move(published), unrestricted);
  } else {
    users_.emplace(std::string(name),
                   std::make_shared<AclUser>(std::string(name), std::move(published)));
  }
  return -1;
}

std::shared_ptr<AclUser> Acl::Remove(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = users_.find(name);
  if (it == users_.end() || it->second == default_) return nullptr;
  std::shared_ptr<AclUser> user = std::move(it->second);
  users_.erase(it);
  return user;
}

void Acl::SyncRequirepass(std::string_view requirepass) {
  absl::MutexLock lock(&mu_);
  if (requirepass == applied_requirepass_) return;
  applied_requirepass_ = std::string(requirepass);
  AclUserRules rules = *default_->rules();
  rules.passwords.clear();
  rules.nopass = requirepass.empty();
  if (!requirepass.empty()) rules.passwords.push_back(HashPassword(requirepass));
  const bool unrestricted = AllowsEverything(rules);
  default_->SetRules(std::make_shared<const AclUserRules>(std::move(rules)), unrestricted);
}

void Acl::AddLogEntry(AclLogEntry entry, int64_t max_len) const {
  absl::MutexLock lock(&log_mu_);
  // Like Redis, a repeat of one of the 10 newest entries within a minute bumps that entry.
  constexpr size_t kScan = 10;
  constexpr int64_t kGroupMs = 60000;
  for (size_t i = 0; i < std::min(kScan, log_.size()); ++i) {
    AclLogEntry& e = log_[i];
    if (e.reason == entry.reason && e.context == entry.context && e.object == entry.object &&
        e.username == entry.username && std::abs(e.time_ms - entry.time_ms) <= kGroupMs) {
      AclLogEntry match = std::move(e);
      log_.erase(log_.begin() + static_cast<std::ptrdiff_t>(i));
      match.count++;
      match.time_ms = entry.time_ms;
      match.client_info = std::move(entry.client_info);
      log_.push_front(std::move(match));
      return;
    }
  }
  log_.push_front(std::move(entry));
  while (static_cast<int64_t>(log_.size()) > std::max<int64_t>(max_len, 0)) log_.pop_back();
}

std::vector<AclLogEntry> Acl::LogEntries(size_t count) const {
  absl::MutexLock lock(&log_mu_);
  count = std::min(count, log_.size());
  return std::vector<AclLogEntry>(log_.begin(), log_.begin() + static_cast<std::ptrdiff_t>(count));
}

void Acl::ResetLog() {
  absl::MutexLock lock(&log_mu_);
  log_.clear();
}

// ---- The ACL file
// ----------------------------------------------------------------------------------

namespace {

// Redis's ACLMergeSelectorArguments: "(a", "b)" -> "(a b)". Returns the index of an unclosed
// "(" in *bad (and false).
bool MergeSelectorArgs(std::span<const std::string> in, std::vector<std::string>* out,
                       size_t* bad) {
  std::optional<size_t> open;
  std::string group;
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& op = in[i];
    if (open.has_value()) {
      absl::StrAppend(&group, " ", op);
      if (!op.empty() && op.back() == ')') {
        out->push_back(std::move(group));
        group.clear();
        open.reset();
      }
      continue;
    }
    if (!op.empty() && op[0] == '(' && op.back() != ')') {
      open = i;
      group = op;
      continue;
    }
    out->push_back(op);
  }
  if (open.has_value()) {
    *bad = *open;
    return false;
  }
  return true;
}

std::string_view Trim(std::string_view s, std::string_view chars) {
  size_t b = s.find_first_not_of(chars);
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(chars);
  return s.substr(b, e - b + 1);
}

}  // namespace

bool AclMergeSelectorArgs(std::span<const std::string> in, std::vector<std::string>* out,
                          size_t* bad_index) {
  return MergeSelectorArgs(in, out, bad_index);
}

namespace {

using LoadedUsers = std::map<std::string, AclUserRules, std::less<>>;

// Parses an ACL file into *loaded, line by line as Redis's ACLLoadFromFile does; returns the
// errors found, each worded as Redis words it, or "".
std::string ParseAclFile(const CommandTable& table, std::string_view path, std::string_view text,
                         LoadedUsers* loaded) {
  std::string errors;
  const std::string file(path);
  int linenum = 0;
  for (absl::string_view raw : absl::StrSplit(Sv(text), '\n')) {
    ++linenum;
    std::string_view line = Trim(std::string_view(raw.data(), raw.size()), " \t\r\n");
    if (line.empty()) continue;
    // Arguments are separated by single spaces, without quoting (the file is written by SAVE).
    std::vector<std::string> argv;
    for (absl::string_view a : absl::StrSplit(Sv(line), ' ')) argv.emplace_back(a);
    if (argv[0] != "user" || argv.size() < 2) {
      absl::StrAppendFormat(&errors,
                            "%s:%d should start with user keyword followed by the "
                            "username. ",
                            file, linenum);
      continue;
    }
    const std::string& name = argv[1];
    if (HasSpaces(name)) {
      absl::StrAppendFormat(&errors, "'%s:%d: username '%s' contains invalid characters. ", file,
                            linenum, name);
      continue;
    }
    if (loaded->count(name) != 0) {
      absl::StrAppendFormat(&errors, "WARNING: Duplicate user '%s' found on line %d. ", name,
                            linenum);
      continue;
    }
    AclUserRules& rules = (*loaded)[name];
    std::vector<std::string> ops;
    size_t bad = 0;
    if (!MergeSelectorArgs(std::span<const std::string>(argv).subspan(2), &ops, &bad)) {
      absl::StrAppendFormat(&errors, "%s:%d: Unmatched parenthesis in selector definition.", file,
                            linenum);
      continue;
    }
    bool reported = false;
    for (std::string& op : ops) {
      op = std::string(Trim(op, "\t\r\n"));
      RuleError e = ApplyUserOp(rules, table, op);
      if (e == RuleError::kUnknown) {
        // Unknown commands are named: that tells nothing secret. Other errors only once a line.
        absl::StrAppendFormat(&errors, "%s:%d: Error in applying operation '%s': %s. ", file,
                              linenum, op, RuleErrorText(e));
      } else if (e != RuleError::kOk && !reported) {
        absl::StrAppendFormat(&errors, "%s:%d: %s. ", file, linenum, RuleErrorText(e));
        reported = true;
      }
    }
  }
  return errors;
}

}  // namespace

std::string Acl::LoadFile(const CommandTable& table, std::string_view path, std::string_view text,
                          std::vector<std::shared_ptr<AclUser>>* replaced) {
  LoadedUsers loaded;
  std::string errors = ParseAclFile(table, path, text, &loaded);
  if (!errors.empty()) {
    errors +=
        "WARNING: ACL errors detected, no change to the previously active ACL rules was performed";
    // The error goes back as one reply line.
    std::replace(errors.begin(), errors.end(), '\r', ' ');
    std::replace(errors.begin(), errors.end(), '\n', ' ');
    return errors;
  }
  absl::MutexLock lock(&mu_);
  // The default user object stays (clients point at it); it takes the file's rules, or the
  // built-in ones when the file has no default user.
  auto def = loaded.find("default");
  AclUserRules def_rules = def != loaded.end() ? std::move(def->second) : DefaultUserRules();
  if (def != loaded.end()) loaded.erase(def);
  const bool def_unrestricted = AllowsEverything(def_rules);
  default_->SetRules(std::make_shared<const AclUserRules>(std::move(def_rules)), def_unrestricted);
  for (auto& [name, user] : users_) {
    if (user != default_) replaced->push_back(user);
  }
  users_.clear();
  users_.emplace("default", default_);
  for (auto& [name, rules] : loaded) {
    users_.emplace(name, std::make_shared<AclUser>(
                             name, std::make_shared<const AclUserRules>(std::move(rules))));
  }
  return "";
}

std::string Acl::FileText(const CommandTable& table) const {
  std::string out;
  for (const std::shared_ptr<AclUser>& u : Users()) {
    absl::StrAppend(&out, "user ", u->name(), " ", DescribeRules(*u->rules(), table), "\n");
  }
  return out;
}

// ---- Descriptions for the ACL commands ---------------------------------------------------------

AclUserDescription DescribeAclUser(const AclUser& user, const CommandTable& table) {
  std::shared_ptr<const AclUserRules> rules = user.rules();
  AclUserDescription d;
  d.flags = FlagNames(*rules);
  d.passwords = rules->passwords;
  for (const Selector& s : rules->selectors) {
    d.selectors.push_back({DescribeCommandRules(s, table), KeysText(s), ChannelsText(s)});
  }
  return d;
}

std::string AclUserRulesText(const AclUser& user, const CommandTable& table) {
  return DescribeRules(*user.rules(), table);
}

std::span<const std::string_view> AclCategoryNames() { return kCategories; }

bool AclCommandsInCategory(const CommandTable& table, std::string_view category,
                           std::vector<std::string_view>* out) {
  int c = CategoryIndex(category);
  if (c < 0) return false;
  for (const AclCommand& cmd : Universe(table)) {
    if (cmd.categories & (1u << c)) out->push_back(cmd.fullname);
  }
  return true;
}

std::string AclHashPassword(std::string_view password) { return HashPassword(password); }

std::string AclRandomHex(size_t chars) {
  std::string out(chars, '0');
  std::vector<uint8_t> bytes((chars + 1) / 2);
  size_t got = 0;
  while (got < bytes.size()) {
    ssize_t n = getrandom(bytes.data() + got, bytes.size() - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  if (got < bytes.size()) {
    // Kernels without getrandom(2): the same pool through the device.
    if (FILE* f = fopen("/dev/urandom", "rb")) {
      got += fread(bytes.data() + got, 1, bytes.size() - got, f);
      fclose(f);
    }
  }
  // Never hand out a predictable password.
  if (got < bytes.size()) return "";
  for (size_t i = 0; i < chars; ++i) {
    uint8_t b = bytes[i / 2];
    out[i] = kHex[(i % 2 == 0) ? (b >> 4) : (b & 0xf)];
  }
  return out;
}

std::string AclDryRun(const CommandTable& table, const AclUser& user,
                      std::span<const std::string_view> args, bool* is_error) {
  *is_error = true;
  const CommandSpec* spec = table.Find(args[0]);
  if (spec == nullptr) return absl::StrCat("ERR Command '", Sv(args[0]), "' not found");
  std::string_view fullname = spec->name;
  int arity = spec->arity;
  auto [sub_begin, sub_end] = SubcommandRange(spec->name);
  if (args.size() >= 2 && sub_end > sub_begin) {
    int sub = FindSubcommand(spec->name, args[1]);
    if (sub < 0) return absl::StrCat("ERR Command '", Sv(args[0]), "' not found");
    fullname = kSubcommands[sub].name;
    arity = kSubcommands[sub].arity;
  }
  const size_t argc = args.size();
  if ((arity > 0 && static_cast<size_t>(arity) != argc) ||
      (arity < 0 && argc < static_cast<size_t>(-arity))) {
    return errors::WrongArity(fullname);
  }
  *is_error = false;
  const CheckInput in = MakeCheckInput(table, *spec, args);
  auto [d, pos] = CheckRules(*user.rules(), in);
  switch (d) {
    case Denial::kNone:
      return "OK";
    case Denial::kCommand:
      return absl::StrCat("This user has no permissions to run the '", Sv(in.cmd.fullname),
                          "' command");
    case Denial::kKey:
      return absl::StrCat("This user has no permissions to access the '", Sv(args[pos]), "' key");
    case Denial::kChannel:
      return absl::StrCat("This user has no permissions to access the '", Sv(args[pos]),
                          "' channel");
  }
  return "OK";
}

// ---- Entry points -------------------------------------------------------------------------------

bool AclCheckRestricted(const ServerContext& server, const ClientState& client, const AclUser& user,
                        const CommandSpec& spec, std::span<const std::string_view> args,
                        std::string* error) {
  return Check(server, client, user, spec, args, /*in_exec=*/false, error);
}

bool AclAllowsInExec(const ServerContext& server, const ClientState& client,
                     const CommandSpec& spec, std::span<const std::string_view> args,
                     std::string* error) {
  const AclUser* user = client.acl_user.get();
  if (user == nullptr) user = server.acl.default_user();
  if (user->unrestricted()) return true;
  return Check(server, client, *user, spec, args, /*in_exec=*/true, error);
}

namespace {

void SyncRequirepass(ServerContext& server) {
  server.acl.SyncRequirepass(server.live.requirepass());
}

bool PasswordMatches(const AclUserRules& rules, std::string_view password) {
  if (rules.nopass) return true;
  const std::string hash = HashPassword(password);
  bool match = false;
  for (const std::string& p : rules.passwords) match = HashesEqual(hash, p) || match;
  return match;
}

}  // namespace

bool AclAuthenticate(ServerContext& server, ClientState& client, std::string_view username,
                     std::string_view password, std::string_view command) {
  SyncRequirepass(server);
  std::shared_ptr<AclUser> user = server.acl.Find(username);
  bool ok = false;
  if (user != nullptr) {
    std::shared_ptr<const AclUserRules> rules = user->rules();
    ok = rules->enabled && PasswordMatches(*rules, password);
  }
  if (ok) {
    const bool is_default = user.get() == server.acl.default_user();
    client.acl_user.Bind(user, is_default, client.id, WorkerOf(client));
    // A DELUSER racing with this AUTH: either it saw the registration or we see the deletion.
    if (user->deleted()) {
      client.acl_user.Reset();
      ok = false;
    }
  }
  if (ok) {
    client.authenticated = true;
    if (client.info != nullptr) {
      absl::MutexLock lock(&client.info->mu);
      client.info->user = user->name();
    }
    return true;
  }
  AclLogEntry e;
  e.reason = "auth";
  e.context = client.tx != nullptr && client.tx->in_multi ? "multi" : "toplevel";
  e.object = std::string(command);
  e.username = std::string(username);
  e.time_ms = NowMs(server);
  e.client_info = ClientInfoText(server, client);
  server.acl.AddLogEntry(std::move(e), LogMaxLen(server));
  return false;
}

bool AclDefaultUserIsNopass(ServerContext& server) {
  SyncRequirepass(server);
  return server.acl.default_user()->rules()->nopass;
}

void AclSetDefaultUser(ServerContext& server, ClientState& client) {
  SyncRequirepass(server);
  client.acl_user.Reset();
  if (client.info != nullptr) {
    absl::MutexLock lock(&client.info->mu);
    client.info->user = "default";
  }
  std::shared_ptr<const AclUserRules> rules = server.acl.default_user()->rules();
  client.authenticated = rules->enabled && rules->nopass;
}

bool AclAuthRequired(ServerContext& server) {
  SyncRequirepass(server);
  std::shared_ptr<const AclUserRules> rules = server.acl.default_user()->rules();
  return !(rules->enabled && rules->nopass);
}

absl::Status LoadAclAtStartup(ServerContext& server) {
  SyncRequirepass(server);
  if (server.config == nullptr) return absl::OkStatus();
  const std::string path = server.config->Snapshot()->aclfile;
  if (path.empty()) return absl::OkStatus();
  std::string text;
  std::string error = AclReadFile(path, &text);
  if (error.empty()) {
    std::vector<std::shared_ptr<AclUser>> replaced;
    error = server.acl.LoadFile(*server.commands, path, text, &replaced);
  }
  if (!error.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("Aborting startup because of ACL errors: ", error));
  }
  return absl::OkStatus();
}

std::string AclReadFile(const std::string& path, std::string* text) {
  FILE* f = fopen(path.c_str(), "r");
  if (f == nullptr) {
    return absl::StrFormat("Error loading ACLs, opening file '%s': %s", path, strerror(errno));
  }
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof(buf), f)) > 0) text->append(buf, n);
  fclose(f);
  return "";
}

}  // namespace ringkv::server
