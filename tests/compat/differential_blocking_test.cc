// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of the blocking pops (BLPOP, BRPOP, BLMOVE, BRPOPLPUSH, BLMPOP, BZPOPMIN,
// BZPOPMAX, BZMPOP) where they answer at once: random sequences of pushes, ZADDs, strings (for
// WRONGTYPE), blocking pops with valid and invalid timeouts, directions, numkeys and COUNTs,
// MULTI/EXEC around them, in RESP2 and RESP3 (odd seeds), go to ringkv and to Debian's
// redis-server 7.0; every reply must be the same bytes.
//
// A blocking pop whose keys are all missing would wait for its timeout. Both servers hold the
// same data at every step, so the test asks each server whether a key exists and, when none
// does, sends the command inside MULTI/EXEC instead, where it answers "nothing" at once. Waking
// blocked clients is tested in tests/integration/blocking_test.cc.
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"

namespace ringkv::compat {
namespace {

class Generator {
 public:
  explicit Generator(uint32_t seed) : rng_(seed) {}

  Command Next() {
    switch (Uniform(0, 19)) {
      case 0:
      case 1:
        return Push();
      case 2: {
        Command c = {"ZADD", Key()};
        for (size_t i = 0, n = Uniform(1, 3); i < n; ++i) {
          c.push_back(std::to_string(Uniform(0, 9)));
          c.push_back("m" + std::to_string(Uniform(0, 5)));
        }
        return c;
      }
      case 3:
        return Chance(50) ? Command{"SET", Key(), "s"} : Command{"DEL", Key()};
      case 4:
        return {"LRANGE", Key(), "0", "-1"};
      case 5:
        return {"ZRANGE", Key(), "0", "-1", "WITHSCORES"};
      case 6:
      case 7: {
        Command c = {Chance(50) ? "BLPOP" : "BRPOP"};
        for (size_t i = 0, n = Uniform(1, 3); i < n; ++i) c.push_back(Key());
        c.push_back(Timeout());
        return c;
      }
      case 8:
        return {"BLMOVE", Key(), Key(), Direction(), Direction(), Timeout()};
      case 9:
        return {"BRPOPLPUSH", Key(), Key(), Timeout()};
      case 10:
      case 11:
        return MPop("BLMPOP", Chance(50) ? "LEFT" : "RIGHT");
      case 12:
      case 13: {
        Command c = {Chance(50) ? "BZPOPMIN" : "BZPOPMAX"};
        for (size_t i = 0, n = Uniform(1, 3); i < n; ++i) c.push_back(Key());
        c.push_back(Timeout());
        return c;
      }
      case 14:
        return MPop("BZMPOP", Chance(50) ? "MIN" : "MAX");
      case 15:
        return Chance(50) ? Command{"MULTI"} : Command{"EXEC"};
      case 17:
        return {"EXISTS", Key(), Key()};
      default:
        return Push();
    }
  }

 private:
  bool Chance(int percent) { return Uniform(0, 99) < static_cast<size_t>(percent); }
  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }
  std::string Key() { return "k" + std::to_string(Uniform(0, 4)); }
  Command Push() {
    Command c = {Chance(50) ? "RPUSH" : "LPUSH", Key()};
    for (size_t i = 0, n = Uniform(1, 4); i < n; ++i)
      c.push_back("v" + std::to_string(Uniform(0, 99)));
    return c;
  }
  std::string Direction() {
    if (Chance(5)) return "UP";
    return Chance(50) ? "LEFT" : "right";
  }
  std::string Timeout() {
    switch (Uniform(0, 19)) {
      case 0:
        return "-1";
      case 1:
        return "abc";
      case 2:
        return "inf";
      case 3:
        return "-0.0001";
      case 4:
        return "1e400";
      default:
        return Chance(50) ? "0" : "0.5";
    }
  }
  Command MPop(const std::string& name, const std::string& where) {
    Command c = {name, Timeout()};
    const size_t n = Uniform(1, 3);
    c.push_back(Chance(5) ? "0" : std::to_string(n));
    for (size_t i = 0; i < n; ++i) c.push_back(Key());
    c.push_back(Chance(5) ? "SIDEWAYS" : where);
    if (Chance(40)) {
      c.push_back("COUNT");
      c.push_back(Chance(10) ? "0" : std::to_string(Uniform(1, 4)));
    }
    return c;
  }

  std::mt19937 rng_;
};

bool IsBlocking(const Command& cmd) {
  const std::string name = Upper(cmd[0]);
  return name == "BLPOP" || name == "BRPOP" || name == "BLMOVE" || name == "BRPOPLPUSH" ||
         name == "BLMPOP" || name == "BZPOPMIN" || name == "BZPOPMAX" || name == "BZMPOP";
}

// The keys a blocking command waits on (as typed; numkeys may be invalid).
std::vector<std::string> WaitKeys(const Command& cmd) {
  const std::string name = Upper(cmd[0]);
  if (name == "BLMOVE" || name == "BRPOPLPUSH") return {cmd[1]};
  if (name == "BLMPOP" || name == "BZMPOP") {
    std::vector<std::string> keys;
    int n = std::atoi(cmd[2].c_str());
    for (int i = 0; i < n && static_cast<size_t>(3 + i) < cmd.size(); ++i)
      keys.push_back(cmd[3 + i]);
    return keys;
  }
  return std::vector<std::string>(cmd.begin() + 1, cmd.end() - 1);
}

TEST(DifferentialTest, BlockingPopsMatchRedisByteForByte) {
  DifferentialSuite suite;
  suite.name = "blocking";
  suite.seeds = 30;
  suite.commands_per_seed = 500;
  suite.deadline_seconds = 60;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<Generator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  // Inside an open MULTI the command is only queued; otherwise, with every key missing, it is
  // run inside its own MULTI/EXEC so that it answers at once.
  suite.custom_call = [](Conn& conn, const Command& cmd, std::string* out) {
    if (!IsBlocking(cmd)) return false;
    std::vector<std::string> keys = WaitKeys(cmd);
    Command exists = {"EXISTS"};
    exists.insert(exists.end(), keys.begin(), keys.end());
    protocol::Reply r;
    std::string probe = keys.empty() ? ":0\r\n" : conn.Call(exists, &r);
    if (probe.rfind("+QUEUED", 0) == 0) {
      // The EXISTS was queued: a MULTI is open. Queue the command too.
      *out = probe;
      *out += conn.Call(cmd);
      return true;
    }
    if (probe != ":0\r\n") {
      *out = conn.Call(cmd);
      return true;
    }
    // One call per statement: the operands of + are not evaluated in a fixed order.
    *out = conn.Call({"MULTI"});
    *out += conn.Call(cmd);
    *out += conn.Call({"EXEC"});
    return true;
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
