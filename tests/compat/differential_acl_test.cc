// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of ACLs: seeded random sequences go to ringkv and to Debian's redis-server
// 7.0 over two connections per server, an admin connection (the `default` user) and a user
// connection that authenticates as the users the admin creates:
//   - admin: ACL SETUSER with random rule sets (on/off, >pass, <pass, #hash, !hash, nopass,
//     resetpass, ~pattern, %R~ / %W~ / %RW~, allkeys, resetkeys, &channel, allchannels,
//     resetchannels, +cmd, -cmd, +@category, -@category, +cmd|sub, +cmd|firstarg, allcommands,
//     nocommands, selectors, clearselectors, reset, and invalid rules), ACL GETUSER, LIST, USERS,
//     CAT [category], DELUSER, WHOAMI, DRYRUN, LOG [count|RESET], GENPASS, LOAD/SAVE (no aclfile),
//     HELP and wrong arities;
//   - user: AUTH (right and wrong passwords, unknown and disabled users, the one-argument form),
//     HELLO AUTH, RESET, ACL WHOAMI and commands that the rules allow or refuse for keys (read and
//     write patterns), channels (PUBLISH, SPUBLISH, SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE), commands,
//     subcommands and first arguments, at top level and inside MULTI.
// Every reply must be the same bytes after the normalization below. Odd seeds speak RESP3.
//
// Normalization, each for an order Redis itself leaves unspecified, a value that is time- or
// client-specific, or a documented difference:
//   - ACL GETUSER and ACL LIST describe a user's commands as `+@all`/`-@all`, categories, then
//     single commands (docs/compatibility.md, ACL table: "then the best-fitting categories, then
//     single commands"). Redis lists the single commands in the order of its command dict, which
//     depends on a per-process hash seed (two redis-server processes print the same user
//     differently), so each run of single-command rules is compared sorted.
//   - ACL CAT <category> lists a dict too: compared sorted. From Redis's list the commands ringkv
//     does not serve are dropped (docs/compatibility.md: "A command that is not listed answers
//     Redis's unknown-command error"; BITCOUNT, GEOADD, PFADD, SORT, LCS, ...), from ringkv's the
//     commands Redis 7.0 does not have (the hash field-TTL commands of the Hashes table, CLUSTER
//     SETTOPOLOGY of the Cluster table). Both lists are worked out at start from COMMAND INFO.
//   - ACL LOG: age-seconds is a time. Of client-info, the fields id, addr, laddr, fd, age and idle
//     are the client's and the time's; qbuf, qbuf-free, argv-mem, multi-mem, rbs, rbp, obl, oll,
//     omem, tot-mem are buffer figures ringkv reports as 0 and lib-name/lib-ver come from Redis
//     7.2's line format (docs/compatibility.md, CLIENT row), and flags `x` is not shown (same
//     row). The fields compared are name, db, sub, psub, ssub, user, resp, events and redir.
//     `cmd=` and `multi=` differ (documented in docs/compatibility.md, ACL): they are left out here
//     and shown by DISABLED_AclLogClientInfoCommand.
//   - HELLO's `id` field (a client id) is replaced by 0; ACL GENPASS's random password by its
//     length.
//
// Kept out of the generator because they show differences (documented in docs/compatibility.md,
// ACL; each has a DISABLED_ test at the end, with both replies):
//   - Container commands: ringkv gives CONFIG, CLIENT, XINFO, XGROUP, SLOWLOG, LATENCY, FUNCTION
//     and SCRIPT categories of their own (Redis 7.0 gives categories only to their subcommands).
//     So rules name no category other than keyspace, pubsub, blocking, transaction and all (the
//     ones whose members are the same on both servers), no container but OBJECT and ACL, and
//     ACL CAT is not asked for read, write, admin, dangerous, connection, scripting or stream.
//   - A refused EXEC: the transaction is ended with RESET instead when the user may not run it.
//   - The keys of OBJECT ENCODING and MEMORY USAGE, which ringkv does not check.
//   - Scripts (EVAL as a restricted user): the error texts for keys and channels, and the ACL
//     LOG context.
// Categories whose members differ only by the commands one server lacks (string, hash, list,
// set, sortedset, fast, slow, bitmap, geo, hyperloglog, and the container ones above) are given
// to one user only, kWideUser: Redis describes rules with the "best-fitting" categories by
// counting their members, so with another command table the description of the same rules
// differs. That user is never the subject of ACL GETUSER and its ACL LIST line is not compared;
// what it may do is (ACL DRYRUN, AUTH, commands as that user).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"
#include "tests/integration/server_process.h"

namespace ringkv::compat {
namespace {

using protocol::Reply;

// The user whose rules may name any category. Its rules are described differently (see the
// top), so it is never the subject of ACL GETUSER and its ACL LIST line is not compared; what it
// may do is (ACL DRYRUN, AUTH and commands as that user).
constexpr char kWideUser[] = "w1";

constexpr size_t kAdmin = 0;
constexpr size_t kUser = 1;

struct Action {
  size_t conn = kAdmin;
  Command cmd;
  // EXEC or DISCARD ending a transaction: sent only when MULTI succeeded, and replaced by RESET
  // when the user may not run it. A refused EXEC shows an undocumented difference
  // (DISABLED_AclRefusedExec).
  bool only_in_multi = false;
};

const char kSha1[] = "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a";  // "p1"
const char kSha2[] = "3946ca64ff78d93ca61090a437cbb6b3d2ca0d488f5f9ccf3059608368b27693";  // "p2"

std::string Line(const Command& cmd) {
  std::string line;
  for (const std::string& arg : cmd) line += "'" + arg + "' ";
  return line;
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char ch : s) {
    if (ch == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  out.push_back(cur);
  return out;
}

// A rule string with each run of single-command rules (+cmd, -cmd, +cmd|sub; not +@category)
// sorted. Parentheses of selectors are kept where they are.
std::string SortCommandRuns(const std::string& s) {
  if (s.find(' ') == std::string::npos) return s;
  std::vector<std::string> tokens;
  for (const std::string& t : Split(s, ' ')) {
    std::string tok = t;
    bool open = !tok.empty() && tok[0] == '(';
    bool close = !tok.empty() && tok.back() == ')';
    if (open) tok.erase(0, 1);
    if (close && !tok.empty()) tok.pop_back();
    if (open) tokens.push_back("(");
    tokens.push_back(tok);
    if (close) tokens.push_back(")");
  }
  auto single = [](const std::string& t) {
    return t.size() > 1 && (t[0] == '+' || t[0] == '-') && t[1] != '@';
  };
  for (size_t i = 0; i < tokens.size();) {
    size_t j = i;
    while (j < tokens.size() && single(tokens[j])) ++j;
    std::sort(tokens.begin() + static_cast<std::ptrdiff_t>(i),
              tokens.begin() + static_cast<std::ptrdiff_t>(j));
    i = std::max(j, i + 1);
  }
  std::string out;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (t == ")") {
      out += ")";
      continue;
    }
    if (!out.empty() && out.back() != '(') out += " ";
    out += t == "(" ? "(" : t;
  }
  return out;
}

char Tag(const Reply& r) {
  switch (r.type) {
    case Reply::Type::kSimpleString:
      return '+';
    case Reply::Type::kError:
      return '-';
    case Reply::Type::kInteger:
      return ':';
    case Reply::Type::kBulk:
      return '$';
    case Reply::Type::kNull:
      return '_';
    case Reply::Type::kArray:
      return '*';
    case Reply::Type::kMap:
      return '%';
    case Reply::Type::kSet:
      return '~';
    case Reply::Type::kDouble:
      return ',';
    case Reply::Type::kBool:
      return '#';
    case Reply::Type::kBigNumber:
      return '(';
    case Reply::Type::kVerbatim:
      return '=';
    case Reply::Type::kPush:
      return '>';
    case Reply::Type::kAttribute:
      return '|';
  }
  return '?';
}

bool IsAggregate(const Reply& r) {
  return r.type == Reply::Type::kArray || r.type == Reply::Type::kMap ||
         r.type == Reply::Type::kSet || r.type == Reply::Type::kPush;
}

// A reply as one comparable string, each string passed through `fix`.
std::string Canon(const Reply& r, const std::function<std::string(const std::string&)>& fix) {
  std::string out(1, Tag(r));
  if (IsAggregate(r)) {
    out += std::to_string(r.elements.size()) + "[";
    for (const Reply& e : r.elements) out += Canon(e, fix) + ",";
    return out + "]";
  }
  if (r.type == Reply::Type::kInteger) return out + std::to_string(r.integer);
  if (r.type == Reply::Type::kBool) return out + (r.boolean ? "t" : "f");
  return out + fix(r.str);
}

// The client-info fields of an ACL LOG entry that both servers must agree on (see the top).
// With `with_cmd`, also `cmd` and `multi` (DISABLED_AclLogClientInfoCommand).
std::string ComparableClientInfo(const std::string& info, bool with_cmd) {
  static const std::set<std::string> kKept = {"name", "db",   "sub",    "psub", "ssub",
                                              "user", "resp", "events", "redir"};
  std::string out;
  for (const std::string& field : Split(info, ' ')) {
    size_t eq = field.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = field.substr(0, eq);
    if (kKept.count(key) > 0 || (with_cmd && (key == "cmd" || key == "multi"))) out += field + " ";
  }
  return out;
}

std::string CanonLog(const Reply& r, bool with_cmd = false) {
  if (!IsAggregate(r)) return Canon(r, [](const std::string& s) { return s; });
  std::string out = std::string(1, Tag(r)) + std::to_string(r.elements.size()) + "[";
  for (const Reply& entry : r.elements) {
    out += std::string(1, Tag(entry)) + "{";
    for (size_t i = 0; i + 1 < entry.elements.size(); i += 2) {
      const std::string& key = entry.elements[i].str;
      const Reply& value = entry.elements[i + 1];
      out += key + "=";
      if (key == "age-seconds") {
        out += "<age>";
      } else if (key == "client-info") {
        out += ComparableClientInfo(value.str, with_cmd);
      } else {
        out += Canon(value, [](const std::string& s) { return s; });
      }
      out += "; ";
    }
    out += "}";
  }
  return out + "]";
}

std::string FixHelloId(std::string s) {
  const std::string needle = "$2\r\nid\r\n:";
  size_t at = s.find(needle);
  if (at == std::string::npos) return s;
  size_t end = s.find("\r\n", at + needle.size());
  if (end != std::string::npos) s.replace(at + needle.size(), end - at - needle.size(), "0");
  return s;
}

// Both replies from a little before their first difference.
std::string DiffContext(const std::string& a, const std::string& b) {
  size_t at = 0;
  while (at < a.size() && at < b.size() && a[at] == b[at]) ++at;
  const size_t from = at > 120 ? at - 120 : 0;
  auto part = [&](const std::string& s) {
    return (from > 0 ? "..." : "") + Printable(s.substr(from, 600));
  };
  return "\n  redis:  " + part(a) + "\n  ringkv: " + part(b);
}

class AclRunner {
 public:
  bool Start() {
    redis_ = RedisProcess::Start();
    if (redis_ == nullptr) {
      ADD_FAILURE() << "could not start " << kRedisServer;
      return false;
    }
    auto ringkv_or = testing::ServerProcess::Start({});
    if (!ringkv_or.ok()) {
      ADD_FAILURE() << ringkv_or.status();
      return false;
    }
    ringkv_ = std::move(*ringkv_or);
    return Connect(kAdmin) && Connect(kUser) && LearnCommandSets();
  }

  // Fresh connections in RESP `protocol`, no users but `default`, an empty ACL LOG, some data.
  bool Reset(int protocol) {
    protocol_ = protocol;
    if (!Connect(kAdmin) || !Connect(kUser)) return false;
    const std::vector<Command> setup = {
        {"ACL", "DELUSER", "u1", "u2", "u3", kWideUser},
        {"ACL", "LOG", "RESET"},
        {"FLUSHALL"},
        {"MSET", "k1", "v1", "k2", "v2", "r1", "v3", "w1", "v4", "x1", "v5"},
        {"HSET", "h1", "f", "v"},
        {"RPUSH", "l1", "a", "b"},
        {"SELECT", "1"},
        {"SET", "k1", "db1"},
        {"SELECT", "0"},
    };
    for (const Command& cmd : setup) {
      for (Conn* c : {admin_[0].get(), admin_[1].get()}) {
        Reply r;
        std::string bytes = c->Call(cmd, &r);
        if (r.is_error() || bytes[0] == '<') {
          ADD_FAILURE() << Line(cmd) << ": " << Printable(bytes);
          return false;
        }
      }
    }
    history_.clear();
    return true;
  }

  // Runs one action on both servers; false (after reporting) when the replies differ.
  bool Run(const Action& original, const std::string& where) {
    Action action = original;
    if (action.only_in_multi) {
      if (!in_multi_) return true;
      // An EXEC (or DISCARD) the user may not run: end the transaction with RESET instead.
      if (admin_[0]->Call({"ACL", "DRYRUN", current_user_, action.cmd[0]}) != "+OK\r\n") {
        action.cmd = {"RESET"};
      }
    }
    ++compared_;
    Conn& a = action.conn == kAdmin ? *admin_[0] : *user_[0];
    Conn& b = action.conn == kAdmin ? *admin_[1] : *user_[1];
    Reply da, db;
    const std::string raw_a = a.Call(action.cmd, &da);
    const std::string raw_b = b.Call(action.cmd, &db);
    const std::string ra = Normalize(action.cmd, raw_a, da, /*redis=*/true);
    const std::string rb = Normalize(action.cmd, raw_b, db, /*redis=*/false);
    history_ += std::string("\n    [") + (action.conn == kAdmin ? "admin" : "user") + "] " +
                Line(action.cmd);
    if (history_.size() > 4000) history_.erase(0, history_.find('\n', history_.size() - 4000));
    bool same = ra == rb;
    if (!same) {
      ADD_FAILURE() << where << ": ["
                    << (action.conn == kAdmin ? std::string("admin")
                                              : "user, authenticated as " + current_user_)
                    << "] " << Line(action.cmd) << DiffContext(ra, rb)
                    << "\n  last actions:" << history_;
    }
    Track(action, raw_a, da);
    return same;
  }

  int compared() const { return compared_; }
  // Compare ACL LOG's client-info `cmd=` and `multi=` too.
  void set_log_cmd(bool on) { log_cmd_ = on; }

 private:
  bool Connect(size_t which) {
    auto& pair = which == kAdmin ? admin_ : user_;
    pair[0] = Conn::Connect(redis_->port());
    pair[1] = Conn::Connect(ringkv_->port());
    if (pair[0] == nullptr || pair[1] == nullptr) {
      ADD_FAILURE() << "connect failed";
      return false;
    }
    for (auto& c : pair) {
      if (c->Call({"HELLO", std::to_string(protocol_)})[0] == '-') {
        ADD_FAILURE() << "HELLO failed";
        return false;
      }
    }
    if (which == kUser) current_user_ = "default";
    return true;
  }

  // Follows who the user connection is authenticated as (from Redis's replies), and replaces
  // the user connections when their user was deleted (both servers close them).
  void Track(const Action& action, const std::string& raw, const Reply& r) {
    const Command& cmd = action.cmd;
    const std::string name = Upper(cmd[0]);
    if (action.conn == kUser) {
      // The commands queued in a transaction, for EXEC's normalization.
      if (name == "MULTI" && raw == "+OK\r\n") {
        in_multi_ = true;
        queued_.clear();
      } else if (name == "EXEC" || name == "DISCARD" || name == "RESET") {
        in_multi_ = false;
      } else if (in_multi_ && raw == "+QUEUED\r\n") {
        queued_.push_back(cmd);
      }
      // An unsubscribe the user may not run leaves the connection subscribed (RESP2: only
      // subscription commands allowed; RESP3: pushes between replies): start a new one.
      if ((name == "UNSUBSCRIBE" || name == "PUNSUBSCRIBE" || name == "SUNSUBSCRIBE") &&
          r.is_error()) {
        Connect(kUser);
        return;
      }
      if (name == "AUTH" && raw == "+OK\r\n") current_user_ = cmd.size() == 3 ? cmd[1] : "default";
      if (name == "RESET" && raw == "+RESET\r\n") current_user_ = "default";
      if (name == "HELLO" && !r.is_error()) {
        for (size_t i = 1; i + 2 < cmd.size(); ++i) {
          if (Upper(cmd[i]) == "AUTH") current_user_ = cmd[i + 1];
        }
      }
      return;
    }
    if (name == "ACL" && cmd.size() > 2 && Upper(cmd[1]) == "DELUSER" &&
        r.type == Reply::Type::kInteger && r.integer > 0 &&
        std::find(cmd.begin() + 2, cmd.end(), current_user_) != cmd.end()) {
      Connect(kUser);
    }
  }

  std::string Normalize(const Command& cmd, const std::string& bytes, const Reply& r, bool redis) {
    const std::string name = Upper(cmd[0]);
    const std::string sub = cmd.size() > 1 ? Upper(cmd[1]) : "";
    if (name == "HELLO") return FixHelloId(bytes);
    if (name == "EXEC" && r.type == Reply::Type::kArray && r.elements.size() == queued_.size()) {
      // Each result as its command's reply would be.
      std::string out = "EXEC[";
      for (size_t i = 0; i < queued_.size(); ++i) {
        const Reply& e = r.elements[i];
        const std::string qname = Upper(queued_[i][0]);
        const std::string qsub = queued_[i].size() > 1 ? Upper(queued_[i][1]) : "";
        if (qname == "KEYS" && IsAggregate(e)) {
          out += SortedElements(e, false);
        } else if (qname == "ACL" && (qsub == "GETUSER" || qsub == "LIST")) {
          out += Canon(e, SortCommandRuns);
        } else if (qname == "ACL" && qsub == "LOG") {
          out += CanonLog(e, log_cmd_);
        } else {
          out += Canon(e, [](const std::string& x) { return x; });
        }
        out += "; ";
      }
      return out + "]";
    }
    if (name != "ACL" || r.is_error()) return NormalizeCommon(cmd, bytes, r);
    if (sub == "LIST" && IsAggregate(r)) {
      Reply kept = r;
      kept.elements.clear();
      for (const Reply& e : r.elements) {
        if (e.str.rfind(std::string("user ") + kWideUser + " ", 0) != 0) kept.elements.push_back(e);
      }
      return Canon(kept, SortCommandRuns);
    }
    if (sub == "GETUSER") return Canon(r, SortCommandRuns);
    if (sub == "LOG") return CanonLog(r, log_cmd_);
    if (sub == "GENPASS" && r.type == Reply::Type::kBulk) {
      return "<password of " + std::to_string(r.str.size()) + " characters>";
    }
    if (sub == "CAT" && cmd.size() == 3 && IsAggregate(r)) {
      const std::set<std::string>& drop = redis ? redis_only_ : ringkv_only_;
      Reply kept = r;
      kept.elements.clear();
      for (const Reply& e : r.elements) {
        if (drop.count(e.str) == 0) kept.elements.push_back(e);
      }
      return SortedElements(kept, false);
    }
    return bytes;
  }

  // The ACL CAT entries one server lists and the other cannot (see the top).
  bool LearnCommandSets() {
    Reply cats;
    admin_[0]->Call({"ACL", "CAT"}, &cats);
    for (const Reply& cat : cats.elements) {
      for (int side = 0; side < 2; ++side) {
        Reply list;
        admin_[side]->Call({"ACL", "CAT", cat.str}, &list);
        for (const Reply& e : list.elements) {
          const std::string& full = e.str;
          if (side == 0) {
            // Served by ringkv? Its COMMAND INFO knows containers, not subcommand names.
            const std::string base = full.substr(0, full.find('|'));
            Reply info;
            admin_[1]->Call({"COMMAND", "INFO", base}, &info);
            if (info.elements.empty() || info.elements[0].type == Reply::Type::kNull) {
              redis_only_.insert(full);
            }
          } else {
            Reply info;
            admin_[0]->Call({"COMMAND", "INFO", full}, &info);
            if (info.elements.empty() || info.elements[0].type == Reply::Type::kNull) {
              ringkv_only_.insert(full);
            }
          }
        }
      }
    }
    std::cout << "acl: ACL CAT entries not compared: " << redis_only_.size()
              << " Redis commands ringkv does not serve, and ringkv's";
    for (const std::string& s : ringkv_only_) std::cout << " " << s;
    std::cout << "\n";
    return true;
  }

  std::unique_ptr<RedisProcess> redis_;
  std::unique_ptr<testing::ServerProcess> ringkv_;
  std::unique_ptr<Conn> admin_[2];  // [0] Redis, [1] ringkv
  std::unique_ptr<Conn> user_[2];
  int protocol_ = 2;
  std::string current_user_ = "default";
  bool log_cmd_ = false;
  bool in_multi_ = false;  // on the user connection, by Redis's replies
  std::vector<Command> queued_;
  std::set<std::string> redis_only_;
  std::set<std::string> ringkv_only_;
  int compared_ = 0;
  std::string history_;
};

class AclGenerator : public SeededChoices {
 public:
  explicit AclGenerator(uint32_t seed) : SeededChoices(seed) {}

  std::vector<Action> Next() {
    switch (Uniform(0, 39)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        const bool wide = Chance(20);
        Command c = {"ACL", "SETUSER", wide ? kWideUser : User()};
        for (size_t i = 0, n = Uniform(0, 5); i < n; ++i) c.push_back(Rule(wide));
        return {{kAdmin, c}};
      }
      case 6:
      case 7:
        return {{kAdmin, {"ACL", "GETUSER", Chance(90) ? User() : Pick(other_users_)}}};
      case 8:
        return {{kAdmin, {"ACL", Chance(60) ? "LIST" : "USERS"}}};
      case 9:
        if (Chance(30)) return {{kAdmin, {"ACL", "CAT"}}};
        return {{kAdmin, {"ACL", "CAT", Chance(90) ? Pick(cat_categories_) : "nosuch"}}};
      case 10: {
        if (!Chance(25)) return {{kUser, UserCommand()}};
        Command c = {"ACL", "DELUSER",
                     Chance(10)   ? Pick(other_users_)
                     : Chance(15) ? kWideUser
                                  : User()};
        if (Chance(30)) c.push_back(User());
        return {{kAdmin, c}};
      }
      case 11:
      case 12: {
        Command c = {"ACL", "DRYRUN", Chance(5) ? "nosuch" : Chance(25) ? kWideUser : User()};
        Command run = DryRunCommand();
        c.insert(c.end(), run.begin(), run.end());
        return {{kAdmin, c}};
      }
      case 13:
        switch (Uniform(0, 5)) {
          case 0:
            return {{kAdmin, {"ACL", "LOG", std::to_string(Uniform(0, 3))}}};
          case 1:
            return {{kAdmin, {"ACL", "LOG", Chance(50) ? "RESET" : "x"}}};
          default:
            return {{kAdmin, {"ACL", "LOG"}}};
        }
      case 14:
        return {{Chance(50) ? kAdmin : kUser, {"ACL", "WHOAMI"}}};
      case 15:
        return {{kAdmin, Admin()}};
      case 16:
      case 17:
      case 18:
      case 19:
        return {{kUser, Auth()}};
      case 20:
        if (Chance(30)) return {{kUser, {"RESET"}}};
        return {{kUser, {"HELLO", std::to_string(Uniform(2, 3)), "AUTH", User(), Password()}}};
      case 21:
      case 22: {
        // A transaction as the user: refusals while queueing (context `multi`) and EXECABORT.
        std::vector<Action> t = {{kUser, {"MULTI"}}};
        for (size_t i = 0, n = Uniform(1, 3); i < n; ++i) t.push_back({kUser, UserCommand()});
        t.push_back({kUser, {Chance(90) ? "EXEC" : "DISCARD"}, /*only_in_multi=*/true});
        return t;
      }
      case 23:
        return Subscription();
      default:
        return {{kUser, UserCommand()}};
    }
  }

 private:
  std::string User() { return "u" + std::to_string(Uniform(1, 3)); }
  std::string Password() {
    switch (Uniform(0, 9)) {
      case 0:
        return "wrong";
      case 1:
        return "";
      default:
        return Chance(50) ? "p1" : "p2";
    }
  }

  Command Auth() {
    switch (Uniform(0, 9)) {
      case 0:
        return {"AUTH", "default", "anything"};
      case 1:
        return {"AUTH", "p1"};  // the one-argument form: the default user has no password
      case 2:
        return {"AUTH", "nosuch", "p1"};
      case 3:
        return Chance(50) ? Command{"AUTH"} : Command{"AUTH", "a", "b", "c"};
      default:
        return {"AUTH", Chance(20) ? kWideUser : User(), Password()};
    }
  }

  // With `wide`, categories of every kind (for kWideUser).
  std::string Rule(bool wide) {
    switch (Uniform(0, 29)) {
      case 0:
        return Chance(60) ? "on" : "off";
      case 1:
        return ">" + std::string(Chance(50) ? "p1" : "p2");
      case 2:
        return "<" + std::string(Chance(50) ? "p1" : "p2");
      case 3:
        return Chance(50) ? "nopass" : "resetpass";
      case 4:
        return Chance(50) ? std::string("#") + (Chance(50) ? kSha1 : kSha2)
                          : std::string("!") + (Chance(50) ? kSha1 : kSha2);
      case 5:
      case 6:
        return "~" + Pick(key_patterns_);
      case 7:
        return Pick(std::vector<std::string>{"%R~", "%W~", "%RW~"}) + Pick(key_patterns_);
      case 8:
        return Chance(50) ? "allkeys" : "resetkeys";
      case 9:
        return "&" + Pick(channel_patterns_);
      case 10:
        return Chance(50) ? "allchannels" : "resetchannels";
      case 11:
      case 12:
      case 13:
      case 14:
        return std::string(Chance(60) ? "+" : "-") + Pick(rule_commands_);
      case 15:
      case 16:
      case 17:
        return std::string(Chance(60) ? "+@" : "-@") +
               Pick(wide ? wide_categories_ : rule_categories_);
      case 18:
        return std::string(Chance(80) ? "+" : "-") + Pick(rule_subcommands_);
      case 19:
        return Chance(50) ? "allcommands" : "nocommands";
      case 20:
        return Chance(85) ? "on" : "reset";
      case 21:
        return Pick(selectors_);
      case 22:
        return Pick(invalid_rules_);
      case 23:
        return Chance(50) ? "sanitize-payload" : "skip-sanitize-payload";
      case 24:
        return Chance(50) ? "+@all" : "-@all";
      default:
        return Pick(std::vector<std::string>{"+get", "~k*", "&ch*", "on", ">p1", "+set"});
    }
  }

  // Commands the user runs. Keys: k* (mostly allowed by ~k*), r* (read), w* (write), x*.
  Command UserCommand() {
    static const std::vector<Command> kCommands = {
        {"GET", "k1"},
        {"GET", "r1"},
        {"GET", "w1"},
        {"GET", "x1"},
        {"SET", "k2", "v"},
        {"SET", "w1", "v"},
        {"SET", "r1", "v"},
        {"SET", "w2", "v", "GET"},
        {"MGET", "k1", "r1", "w1"},
        {"MGET", "k1", "k2"},
        {"COPY", "r1", "w2", "REPLACE"},
        {"COPY", "k1", "x2", "REPLACE"},
        {"HSET", "h1", "f", "v"},
        {"HGET", "h1", "f"},
        {"LRANGE", "l1", "0", "-1"},
        {"LMOVE", "l1", "w3", "LEFT", "RIGHT"},
        {"DEL", "k3"},
        {"EXISTS", "k1", "x1"},
        {"INCR", "k4"},
        {"APPEND", "w4", "x"},
        {"PUBLISH", "ch1", "m"},
        {"PUBLISH", "news.a", "m"},
        {"PUBLISH", "zz", "m"},
        {"SPUBLISH", "ch1", "m"},
        {"SPUBLISH", "zz", "m"},
        {"CONFIG", "GET", "maxmemory"},
        {"CLIENT", "GETNAME"},
        {"SELECT", "0"},
        {"SELECT", "1"},
        {"DBSIZE"},
        {"PING"},
        {"ECHO", "e"},
        {"ACL", "WHOAMI"},
        {"ACL", "GETUSER", "u1"},
        {"KEYS", "k*"},
        {"KEYS", "x?"},
        {"NOSUCHCMD"},
        {"GET"},
    };
    return Pick(kCommands);
  }

  // ACL DRYRUN's command (after the user name).
  Command DryRunCommand() {
    switch (Uniform(0, 9)) {
      case 0:
        return {"nosuchcmd"};
      case 1:
        return {"get"};  // arity
      case 2:
        return {"subscribe", Pick(std::vector<std::string>{"ch1", "news.a", "zz"})};
      case 3:
        return {"psubscribe", Pick(std::vector<std::string>{"ch*", "news.*", "*"})};
      default: {
        Command c = UserCommand();
        if (Upper(c[0]) == "EVAL" || Upper(c[0]) == "NOSUCHCMD" || c.size() < 2) return {"ping"};
        return c;
      }
    }
  }

  // SUBSCRIBE and friends as the user, then the unsubscribe-all form, so that the connection
  // leaves subscribed mode (one channel: at most one confirmation each).
  std::vector<Action> Subscription() {
    switch (Uniform(0, 2)) {
      case 0:
        return {{kUser, {"SUBSCRIBE", Pick(std::vector<std::string>{"ch1", "news.a", "zz"})}},
                {kUser, {"UNSUBSCRIBE"}}};
      case 1:
        return {{kUser, {"PSUBSCRIBE", Pick(std::vector<std::string>{"ch*", "news.*", "*", "z*"})}},
                {kUser, {"PUNSUBSCRIBE"}}};
      default:
        return {{kUser, {"SSUBSCRIBE", Pick(std::vector<std::string>{"ch1", "zz"})}},
                {kUser, {"SUNSUBSCRIBE"}}};
    }
  }

  Command Admin() {
    switch (Uniform(0, 11)) {
      case 0:
        return {"ACL"};
      case 1:
        return {"ACL", "NOSUCH"};
      case 2:
        return {"ACL", "SETUSER"};
      case 3:
        return {"ACL", "GETUSER"};
      case 4:
        return {"ACL", "DRYRUN", User()};
      case 5:
        return {"ACL", "CAT", "a", "b"};
      case 6:
        return Chance(50) ? Command{"ACL", "LOAD"} : Command{"ACL", "SAVE"};
      case 7:
        return {"ACL", "HELP"};
      case 8:
        return Chance(50)
                   ? Command{"ACL", "GENPASS"}
                   : Command{"ACL", "GENPASS",
                             Pick(std::vector<std::string>{"1", "64", "5", "0", "4097", "x"})};
      case 9:
        return {"ACL", "DELUSER", "default"};
      case 10:
        return {"ACL", "USERS", "x"};
      default:
        return {"ACL", "WHOAMI", "x"};
    }
  }

  const std::vector<std::string> other_users_ = {"default", "nosuch"};
  const std::vector<std::string> key_patterns_ = {"k*", "k1", "r*", "w*", "x?", "*", "h1", "l1"};
  const std::vector<std::string> channel_patterns_ = {"ch*", "ch1", "news.*", "*", "z*"};
  // Commands both servers serve, none of them a container.
  const std::vector<std::string> rule_commands_ = {
      "get",       "set",        "mget",       "copy",   "hset",   "hget",    "lrange",
      "lmove",     "del",        "exists",     "incr",   "append", "publish", "spublish",
      "subscribe", "psubscribe", "ssubscribe", "select", "dbsize", "ping",    "echo",
      "keys",      "eval",       "flushall",   "info",   "multi",  "exec",    "discard"};
  // Subcommands, first arguments, and containers whose subcommands have the same categories on
  // both servers (OBJECT, ACL; not CONFIG or CLIENT, see the top).
  const std::vector<std::string> rule_subcommands_ = {
      "config|get",  "config|set", "client|getname", "object|encoding", "acl|whoami",
      "acl|getuser", "select|0",   "select|1",       "object",          "acl"};
  // Categories whose members are the same on both servers (see the top).
  const std::vector<std::string> rule_categories_ = {"keyspace",    "pubsub", "blocking",
                                                     "transaction", "all",    "nosuch"};
  const std::vector<std::string> wide_categories_ = {
      "keyspace", "read",   "write",       "set",       "sortedset",  "list",        "hash",
      "string",   "bitmap", "hyperloglog", "geo",       "stream",     "pubsub",      "admin",
      "fast",     "slow",   "blocking",    "dangerous", "connection", "transaction", "scripting"};
  // ACL CAT <category>: the same after dropping what one server lacks (see the top).
  const std::vector<std::string> cat_categories_ = {
      "keyspace", "pubsub", "blocking",    "transaction", "set",  "sortedset", "list",    "hash",
      "string",   "bitmap", "hyperloglog", "geo",         "fast", "slow",      "KEYSPACE"};
  const std::vector<std::string> selectors_ = {
      "(+get ~x*)", "(+set %W~w*)", "(+@pubsub &news.*)", "(~k* +mget)", "clearselectors",
      "(+get",      "()",           "(badrule)"};
  const std::vector<std::string> invalid_rules_ = {
      "badrule", "+nosuch",     "-nosuch",   "%X~a", "-get|x", "+get|x", "<nopass",
      "<p9",     "#abc",        "!abc",      "~",    "&",      ">",      "+config|nosuch",
      "+@",      "+select|0|1", "-select|0", "%~k",  "%R",     "ON"};
};

bool HaveRedis() { return access(kRedisServer, X_OK) == 0; }

TEST(DifferentialTest, AclMatchesRedisByteForByte) {
  if (!HaveRedis()) GTEST_SKIP() << kRedisServer << " is not installed";
  AclRunner runner;
  ASSERT_TRUE(runner.Start());
  const int seeds = 40;
  const int steps = 500;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  int differences = 0;
  for (int seed = 1; seed <= seeds; ++seed) {
    ASSERT_TRUE(runner.Reset(seed % 2 == 1 ? 3 : 2));
    AclGenerator gen(static_cast<uint32_t>(seed));
    for (int step = 0; step < steps && differences < 30; ++step) {
      for (const Action& action : gen.Next()) {
        if (!runner.Run(action,
                        "acl seed " + std::to_string(seed) + " step " + std::to_string(step))) {
          ++differences;
        }
      }
    }
    ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "ACL test took too long";
  }
  EXPECT_EQ(differences, 0);
  std::cout << "acl: " << runner.compared() << " commands compared\n";
}

// Undocumented differences found by the test above and kept out of its generator, one test per
// cause. Each case quotes the command and both servers' replies (RESP2); enable a test once
// ringkv matches (and then let the generator above produce the case too).
//
// Runs `actions` on fresh servers; with `log_cmd`, ACL LOG's client-info `cmd=` and `multi=` are
// compared too.
void RunKnownDifferences(const std::vector<Action>& actions, bool log_cmd = false) {
  if (!HaveRedis()) GTEST_SKIP() << kRedisServer << " is not installed";
  AclRunner runner;
  ASSERT_TRUE(runner.Start());
  ASSERT_TRUE(runner.Reset(2));
  runner.set_log_cmd(log_cmd);
  int failed = 0;
  for (const Action& action : actions) {
    if (!runner.Run(action, "acl known differences")) ++failed;
  }
  EXPECT_EQ(failed, 0);
}

// Container commands. ringkv gives the containers CONFIG, CLIENT, XINFO, XGROUP, SLOWLOG,
// LATENCY, FUNCTION and SCRIPT categories of their own; in Redis 7.0 only their subcommands
// have categories. So ACL CAT lists them, +@category grants subcommands Redis does not (their
// HELP), and GETUSER/LIST describe users differently.
TEST(DifferentialTest, DISABLED_AclContainerCommandCategories) {
  RunKnownDifferences({
      //   ACL CAT stream   redis: the xgroup|* and xinfo|* subcommands
      //                    ringkv: the same plus "xgroup" and "xinfo"
      //   (likewise read: xinfo; write: xgroup; admin and dangerous: config, latency, slowlog;
      //   connection: client; scripting: function, script)
      {kAdmin, {"ACL", "CAT", "stream"}},
      {kAdmin, {"ACL", "CAT", "admin"}},
      {kAdmin,
       {"ACL", "SETUSER", "d1", "reset", "on", "nopass", "~*", "+@all", "-@stream", "+@read"}},
      //   ACL GETUSER d1 (commands)
      //   redis:  +@all -@stream +xinfo|consumers +xinfo|groups +xinfo|stream +xlen +xpending
      //           +xrange +xread +xrevrange
      //   ringkv: +@all -@stream +xinfo +xlen +xpending +xrange +xread +xrevrange
      {kAdmin, {"ACL", "GETUSER", "d1"}},
      //   ACL DRYRUN d1 xinfo help
      //   redis:  $60 This user has no permissions to run the 'xinfo|help' command
      //   ringkv: +OK
      {kAdmin, {"ACL", "DRYRUN", "d1", "xinfo", "help"}},
      {kAdmin, {"ACL", "SETUSER", "d2", "reset", "on", "nopass", "~*", "+@admin"}},
      //   ACL DRYRUN d2 config help    redis: $61 This user has no permissions to run the
      //                                'config|help' command     ringkv: +OK
      {kAdmin, {"ACL", "DRYRUN", "d2", "config", "help"}},
      //   ACL DRYRUN d2 slowlog help   redis: $62 ... 'slowlog|help' command   ringkv: +OK
      {kAdmin, {"ACL", "DRYRUN", "d2", "slowlog", "help"}},
      {kAdmin, {"ACL", "SETUSER", "d3", "reset", "+client", "+select"}},
      //   ACL GETUSER d3 (commands)
      //   redis:  -@all +client +select
      //   ringkv: -@all +@connection -ping -echo -quit -auth -hello -reset -asking -readonly
      //           -readwrite -command
      {kAdmin, {"ACL", "GETUSER", "d3"}},
  });
}

// EXEC refused by the ACL: EXECABORT, and the transaction ends (Redis's rejectCommand calls
// execCommandAbort), inside MULTI or not.
TEST(DifferentialTest, AclRefusedExec) {
  RunKnownDifferences({
      {kAdmin, {"ACL", "SETUSER", "e1", "reset", "on", "nopass", "~*", "+multi", "+get"}},
      {kUser, {"AUTH", "e1", "x"}},
      {kUser, {"MULTI"}},
      {kUser, {"GET", "k1"}},
      {kUser, {"EXEC"}},
      {kUser, {"GET", "k1"}},  // no transaction any more
      {kUser, {"RESET"}},
      {kUser, {"AUTH", "e1", "x"}},
      {kUser, {"EXEC"}},  // outside MULTI too
      {kUser, {"RESET"}},
  });
}

// Keys of OBJECT and MEMORY USAGE are not checked by ringkv (its COMMAND INFO gives their
// subcommands no key specs).
TEST(DifferentialTest, DISABLED_AclObjectAndMemoryUsageKeys) {
  RunKnownDifferences({
      {kAdmin, {"ACL", "SETUSER", "o1", "reset", "on", "nopass", "~x*", "+@all"}},
      {kUser, {"AUTH", "o1", "x"}},
      //   OBJECT ENCODING k1
      //   redis:  -NOPERM this user has no permissions to access one of the keys used as
      //           arguments
      //   ringkv: $6 embstr
      {kUser, {"OBJECT", "ENCODING", "k1"}},
      //   MEMORY USAGE k1   redis: the same NOPERM   ringkv: an integer
      {kUser, {"MEMORY", "USAGE", "k1"}},
      //   ACL DRYRUN o1 object encoding k1
      //   redis: $51 This user has no permissions to access the 'k1' key   ringkv: +OK
      {kAdmin, {"ACL", "DRYRUN", "o1", "object", "encoding", "k1"}},
      {kUser, {"RESET"}},
  });
}

// Refusals inside scripts, as a user with ~x* &ch* +eval +set +publish.
std::vector<Action> ScriptRefusals() {
  return {
      {kAdmin, {"ACL", "LOG", "RESET"}},
      {kAdmin,
       {"ACL", "SETUSER", "s1", "reset", "on", "nopass", "~x*", "&ch*", "+eval", "+set",
        "+publish"}},
      {kUser, {"AUTH", "s1", "x"}},
      {kUser, {"EVAL", "return redis.pcall('set','k1','v')", "0"}},
      {kUser, {"EVAL", "return redis.pcall('publish','zz','m')", "0"}},
      {kUser, {"EVAL", "return redis.pcall('del','k1')", "0"}},
  };
}

// Scripts: the errors for keys, channels and commands a script's user may not use (Redis's
// getAclErrorMessage texts).
TEST(DifferentialTest, AclInsideScripts) {
  std::vector<Action> actions = ScriptRefusals();
  actions.push_back({kUser, {"RESET"}});
  RunKnownDifferences(actions);
}

// The ACL LOG entries of refusals inside a script: both servers say context "lua", but Redis
// gives the calling client's client-info, ringkv an empty one for the channel and command
// refusals (documented in docs/compatibility.md, ACL).
TEST(DifferentialTest, DISABLED_AclInsideScriptsLogClientInfo) {
  std::vector<Action> actions = ScriptRefusals();
  actions.push_back({kAdmin, {"ACL", "LOG"}});
  actions.push_back({kUser, {"RESET"}});
  RunKnownDifferences(actions);
}

// ACL LOG client-info: `cmd=` is the refused command in Redis (c->lastcmd is set before
// the ACL check), the previous command in ringkv (CLIENT INFO shows the same: Redis
// `cmd=client|info`, ringkv the command before). Inside MULTI Redis shows `multi=<queued>`,
// ringkv `multi=-1` (the missing `x` flag is documented, `multi=` is not).
TEST(DifferentialTest, DISABLED_AclLogClientInfoCommand) {
  RunKnownDifferences(
      {
          {kAdmin, {"ACL", "LOG", "RESET"}},
          {kAdmin,
           {"ACL", "SETUSER", "l1", "reset", "on", "nopass", "~k*", "+get", "+multi", "+discard"}},
          {kUser, {"AUTH", "l1", "x"}},
          {kUser, {"GET", "x1"}},
          //   ACL LOG 1 (client-info)   redis: ... cmd=get ...   ringkv: ... cmd=auth ...
          {kAdmin, {"ACL", "LOG", "1"}},
          {kUser, {"MULTI"}},
          {kUser, {"GET", "x2"}},
          {kUser, {"DISCARD"}},
          //   ACL LOG 1 (client-info)   redis: ... flags=x ... multi=0 ... cmd=get ...
          //                             ringkv: ... flags=N ... multi=-1 ... cmd=multi ...
          {kAdmin, {"ACL", "LOG", "1"}},
          {kUser, {"RESET"}},
      },
      /*log_cmd=*/true);
}

}  // namespace
}  // namespace ringkv::compat
