// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// The command table against redis-server 7.0.15: COMMAND INFO of every command both serve must
// be the same bytes (name, arity, flags, first/last/step, ACL categories, tips, key specs), and
// COMMAND GETKEYSANDFLAGS must find the same keys with the same flags for calls of every key-spec
// form (index, keyword, range, keynum, several specs). The differences kept on purpose are listed
// below, each as docs/compatibility.md describes it.
#include <unistd.h>

#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"
#include "tests/integration/server_process.h"

namespace ringkv::compat {
namespace {

// Documented in docs/compatibility.md (COMMAND row and the families' sections).
const std::map<std::string, std::string> kDocumented = {
    // Containers: their subcommands are not listed as COMMAND entries.
    {"acl", "subcommands"},
    {"client", "subcommands"},
    {"cluster", "subcommands"},
    {"command", "subcommands"},
    {"config", "subcommands"},
    {"function", "subcommands"},
    {"latency", "subcommands"},
    {"memory", "subcommands"},
    {"object", "subcommands"},
    {"pubsub", "subcommands"},
    {"script", "subcommands"},
    {"slowlog", "subcommands"},
    {"xgroup", "subcommands"},
    {"xinfo", "subcommands"},
    // Key-spec notes are not repeated; EVAL & co also lack skip_monitor / no_mandatory_keys.
    {"eval", "notes, flags"},
    {"eval_ro", "notes, flags"},
    {"evalsha", "flags"},
    {"evalsha_ro", "flags"},
    {"fcall", "notes, flags"},
    {"fcall_ro", "notes, flags"},
    {"xadd", "notes"},
    // MIGRATE's key 3 is found by its key finder only (first/last/step 0 0 0, not 3 3 1).
    {"migrate", "first/last/step"},
    // 7.2's WITHSCORE: arity -3.
    {"zrank", "arity"},
    {"zrevrank", "arity"},
    // SAVE and BGSAVE: no-multi instead of no_async_loading.
    {"save", "flags"},
    {"bgsave", "flags"},
};

std::vector<std::string> Names(Conn& c) {
  protocol::Reply r;
  c.Call({"COMMAND", "LIST"}, &r);
  std::vector<std::string> out;
  for (const protocol::Reply& e : r.elements) out.push_back(e.str);
  return out;
}

class CommandTableDifferentialTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kRedisServer, X_OK) != 0) {
      GTEST_FAIL() << kRedisServer << " is missing (Debian package redis-server)";
    }
    redis_ = RedisProcess::Start();
    ASSERT_NE(redis_, nullptr);
    auto ringkv = testing::ServerProcess::Start({});
    ASSERT_TRUE(ringkv.ok()) << ringkv.status();
    ringkv_ = std::move(*ringkv);
    r_ = Conn::Connect(redis_->port());
    k_ = Conn::Connect(ringkv_->port());
    ASSERT_TRUE(r_ && k_);
  }

  std::unique_ptr<RedisProcess> redis_;
  std::unique_ptr<testing::ServerProcess> ringkv_;
  std::unique_ptr<Conn> r_;
  std::unique_ptr<Conn> k_;
};

TEST_F(CommandTableDifferentialTest, CommandInfoMatchesForEveryCommandBothServe) {
  const std::vector<std::string> redis_names = Names(*r_);
  const std::set<std::string> ours = [&] {
    std::vector<std::string> v = Names(*k_);
    return std::set<std::string>(v.begin(), v.end());
  }();
  int compared = 0;
  int documented = 0;
  for (const std::string& name : redis_names) {
    if (name.find('|') != std::string::npos || !ours.contains(name)) continue;
    const std::string a = r_->Call({"COMMAND", "INFO", name});
    const std::string b = k_->Call({"COMMAND", "INFO", name});
    ++compared;
    if (kDocumented.contains(name)) {
      ++documented;
      continue;
    }
    EXPECT_EQ(Printable(b), Printable(a)) << "COMMAND INFO " << name;
  }
  EXPECT_GT(compared, 190);
  // A documented entry that now matches should leave the list.
  for (const auto& [name, why] : kDocumented) {
    EXPECT_NE(r_->Call({"COMMAND", "INFO", name}), k_->Call({"COMMAND", "INFO", name}))
        << name << " matches Redis now: remove it from kDocumented (" << why << ")";
  }
  EXPECT_EQ(documented, static_cast<int>(kDocumented.size()));
}

// The commands docs/compatibility.md lists as not served: the backquoted names between its
// not-served markers, lower-cased.
std::set<std::string> DocumentedNotServed() {
  std::ifstream in(RINGKV_COMPATIBILITY_DOC);
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const size_t begin = doc.find("<!-- not-served:begin -->");
  const size_t end = doc.find("<!-- not-served:end -->");
  std::set<std::string> out;
  if (begin == std::string::npos || end == std::string::npos) return out;
  for (size_t at = doc.find('`', begin); at != std::string::npos && at < end;) {
    const size_t close = doc.find('`', at + 1);
    if (close == std::string::npos) break;
    std::string name = doc.substr(at + 1, close - at - 1);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.insert(name);
    at = doc.find('`', close + 1);
  }
  return out;
}

TEST_F(CommandTableDifferentialTest, EveryRedisCommandIsServedOrListedHere) {
  const std::set<std::string> documented = DocumentedNotServed();
  ASSERT_GT(documented.size(), 30u) << RINGKV_COMPATIBILITY_DOC;
  const std::set<std::string> ours = [&] {
    std::vector<std::string> v = Names(*k_);
    return std::set<std::string>(v.begin(), v.end());
  }();
  std::set<std::string> missing;
  for (const std::string& name : Names(*r_)) {
    if (name.find('|') == std::string::npos && !ours.contains(name)) missing.insert(name);
  }
  // Both ways: a command ringkv lacks must be listed, and a listed one must still be missing.
  for (const std::string& name : missing) {
    EXPECT_TRUE(documented.contains(name))
        << name << " is not served: list it in docs/compatibility.md";
  }
  for (const std::string& name : documented) {
    EXPECT_TRUE(missing.contains(name))
        << name << " is served now (or unknown to Redis 7.0): remove it from the list";
    // Redis's unknown-command error, whatever the arguments.
    const std::string reply = k_->Call({name, "k", "1"});
    EXPECT_EQ(reply.rfind("-ERR unknown command '" + name + "', with args beginning with: ", 0), 0u)
        << name << ": " << Printable(reply);
  }
}

TEST_F(CommandTableDifferentialTest, GetKeysAndFlagsMatch) {
  const std::vector<Command> calls = {
      {"get", "k"},
      {"mset", "a", "1", "b", "2"},
      {"rename", "a", "b"},
      {"renamenx", "a", "b"},
      {"copy", "a", "b"},
      {"lmove", "a", "b", "left", "right"},
      {"blmove", "a", "b", "left", "right", "0"},
      {"rpoplpush", "a", "b"},
      {"smove", "a", "b", "m"},
      {"sinterstore", "d", "a", "b", "c"},
      {"sunionstore", "d", "a"},
      {"sdiffstore", "d", "a", "b"},
      {"sintercard", "2", "a", "b", "limit", "1"},
      {"zunionstore", "d", "2", "a", "b", "weights", "1", "2"},
      {"zinterstore", "d", "1", "a"},
      {"zdiffstore", "d", "2", "a", "b"},
      {"zunion", "2", "a", "b"},
      {"zinter", "3", "a", "b", "c", "withscores"},
      {"zdiff", "1", "a"},
      {"zintercard", "2", "a", "b"},
      {"zrangestore", "d", "s", "0", "-1"},
      {"zmpop", "2", "a", "b", "min"},
      {"bzmpop", "0", "2", "a", "b", "max"},
      {"lmpop", "2", "a", "b", "left"},
      {"blmpop", "0", "1", "a", "right"},
      {"xread", "count", "2", "streams", "s1", "s2", "0", "0"},
      {"xreadgroup", "group", "g", "c", "streams", "s1", "s2", ">", ">"},
      {"eval", "return 1", "2", "a", "b", "x"},
      {"fcall", "f", "1", "a"},
      {"migrate", "127.0.0.1", "1", "", "0", "10", "keys", "k1", "k2"},
      {"migrate", "127.0.0.1", "1", "k1", "0", "10"},
      {"xadd", "s", "*", "f", "v"},
      {"xautoclaim", "s", "g", "c", "0", "0"},
  };
  for (const Command& call : calls) {
    Command cmd = {"COMMAND", "GETKEYSANDFLAGS"};
    cmd.insert(cmd.end(), call.begin(), call.end());
    EXPECT_EQ(Printable(k_->Call(cmd)), Printable(r_->Call(cmd))) << call[0];
  }
}

}  // namespace
}  // namespace ringkv::compat
