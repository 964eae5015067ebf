// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of transactions and connection commands: random sequences of MULTI, EXEC,
// DISCARD, WATCH, UNWATCH, RESET, SELECT, PING, ECHO and string writes and reads (with invalid
// commands and arities mixed in, so queue-time errors and EXECABORT are exercised) go to ringkv
// and to Debian's redis-server 7.0; every reply must be the same bytes.
//
// Writes are drawn only from commands that always change their key (SET, INCR, APPEND of a
// non-empty string, FLUSHDB): ringkv flags a watched key on every write that names it, where
// Redis flags only real changes (docs/compatibility.md), so a no-op write is the one case the
// two are allowed to differ on, and it is kept out rather than normalized away.
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
        return {"MULTI"};
      case 2:
      case 3:
        return {"EXEC"};
      case 4:
        return {"DISCARD"};
      case 5:
      case 6: {
        Command c = {"WATCH", Key()};
        if (Chance(40)) c.push_back(Key());
        return c;
      }
      case 7:
        return {"UNWATCH"};
      case 8:
        return {"SET", Key(), Value()};
      case 9:
        return {"INCR", Key()};
      case 10:
        return {"APPEND", Key(), "x"};
      case 11:
        return {"GET", Key()};
      case 12:
        return {"SELECT", Chance(90) ? std::to_string(Uniform(0, 1)) : "99"};
      case 13:
        return Chance(50) ? Command{"PING"} : Command{"ECHO", Value()};
      case 14:
        // Refused while queueing: unknown command, wrong arity.
        return Chance(50) ? Command{"NOSUCHCMD", Key()} : Command{"SET", Key()};
      case 15:
        return {"EXISTS", Key(), Key()};
      case 16:
        return Chance(10) ? Command{"FLUSHDB"} : Command{"DBSIZE"};
      case 17:
        return Chance(20) ? Command{"RESET"} : Command{"MGET", Key(), Key()};
      case 18:
        return {"WATCH"};  // arity error
      default:
        return {"INCRBY", Key(), Chance(90) ? std::to_string(Uniform(0, 9)) : "x"};
    }
  }

 private:
  bool Chance(int percent) { return Uniform(0, 99) < static_cast<size_t>(percent); }
  size_t Uniform(size_t lo, size_t hi) {
    return std::uniform_int_distribution<size_t>(lo, hi)(rng_);
  }
  std::string Key() { return "k" + std::to_string(Uniform(0, 4)); }
  std::string Value() {
    return Chance(70) ? std::to_string(Uniform(0, 99)) : "v" + std::to_string(Uniform(0, 9));
  }

  std::mt19937 rng_;
};

TEST(DifferentialTest, TransactionsAndConnectionCommandsMatchRedisByteForByte) {
  DifferentialSuite suite;
  suite.name = "transactions";
  suite.seeds = 30;
  suite.commands_per_seed = 600;
  suite.deadline_seconds = 60;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<Generator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
