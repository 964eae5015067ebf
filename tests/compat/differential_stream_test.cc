// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of the stream commands: seeded random sequences of XADD (explicit, "<ms>-*"
// and "*" IDs, MAXLEN / MINID with "=" and "~", LIMIT, NOMKSTREAM), XLEN, XRANGE, XREVRANGE, XDEL,
// XTRIM, XREAD, XSETID, XGROUP (every subcommand), XREADGROUP (">" and history, NOACK), XACK,
// XPENDING (summary and extended, IDLE), XCLAIM (IDLE, TIME, RETRYCOUNT, FORCE, JUSTID, LASTID),
// XAUTOCLAIM and XINFO STREAM [FULL] / GROUPS / CONSUMERS, mixed with DEL, TYPE, OBJECT ENCODING,
// string SETs (WRONGTYPE), CONFIG SET stream-node-max-entries (so "~" trims meet node edges)
// and invalid arguments, go to a real ringkv-server and to Debian's redis-server 7.0; every reply
// must be the same after normalization.
//
// IDs are explicit and lie in the year 2096, so "*" (the clock is behind the last ID) yields the
// last ID's successor on both servers, deterministically.
//
// Normalized, never skipped:
//   - Times: every integer of 10^12 or more (delivery and seen times in Unix ms), XPENDING's idle
//     field and XINFO CONSUMERS' idle value become tokens (the servers' clocks read differently).
//   - IDs made from the clock: "*" on a stream whose last ID is not in 2096 (new, or set back by
//     XSETID) takes the servers' clocks, which differ by a millisecond or so: every ID of 13
//     digits starting with 1 becomes a token.
//   - XINFO STREAM's radix-tree-nodes: the inner node count of Redis's radix tree, which ringkv
//     does not have (docs/compatibility.md); radix-tree-keys (the number of nodes) is compared.
//
// Skipped (with the reason) when /usr/bin/redis-server is not installed.
#include <cstdint>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"

namespace ringkv::compat {
namespace {

constexpr uint64_t kBaseMs = 4000000000000ULL;  // 2096-10-02

class Generator : public SeededChoices {
 public:
  explicit Generator(uint32_t seed) : SeededChoices(seed) {}

  Command Next() {
    Command c = Make();
    if (Chance(2)) {
      if (Chance(50) && c.size() > 1) {
        c.resize(Uniform(1, c.size() - 1));
      } else {
        c.push_back(Id());
      }
    }
    return c;
  }

 private:
  std::string Num(size_t lo, size_t hi) { return std::to_string(Uniform(lo, hi)); }

  // x0..x3 are streams, x4 is sometimes a string.
  std::string Key() {
    if (Chance(1)) return std::string();
    return "x" + std::to_string(Uniform(0, 4));
  }
  std::string Group() { return Chance(90) ? "g" + Num(1, 2) : "nog"; }
  std::string Consumer() { return "c" + Num(1, 3); }

  // Mostly valid IDs near the base, sometimes special or invalid.
  std::string Id() {
    const size_t r = Uniform(0, 99);
    const std::string ms = std::to_string(kBaseMs + Uniform(0, 40));
    if (r < 60) return ms + "-" + Num(0, 3);
    if (r < 70) return ms;
    if (r < 75) return "(" + ms + "-" + Num(0, 3);
    if (r < 80) return Chance(50) ? "-" : "+";
    if (r < 84) return "0";
    if (r < 87) return "0-0";
    if (r < 89) return "18446744073709551615-18446744073709551615";
    if (r < 91) return "(18446744073709551615-18446744073709551615";
    if (r < 93) return "(0-0";
    return Pick<std::string>(
        {"abc", "1-x", "-1", "18446744073709551616", "", "1--2", "+5", "(", "007-1"});
  }
  std::string AddId() {
    const size_t r = Uniform(0, 99);
    if (r < 35) return "*";
    if (r < 45) return std::to_string(kBaseMs + Uniform(0, 40)) + "-*";
    return Id();
  }
  void FieldsValues(Command* c) {
    const size_t shape = Uniform(0, 9);
    static const std::vector<std::string> kValues = {"1",     "2",  "v",   "",
                                                     "hello", "-7", "x y", "0123456789"};
    if (shape < 7) {
      for (const char* f : {"a", "b", "c"}) {
        c->push_back(f);
        c->push_back(Pick(kValues));
      }
    } else {
      const size_t n = Uniform(1, 4);
      for (size_t i = 0; i < n; ++i) {
        c->push_back("f" + Num(0, 5));
        c->push_back(Pick(kValues));
      }
    }
  }
  void Trim(Command* c) {
    if (Chance(55)) {
      c->push_back(Chance(80) ? "MAXLEN" : "maxlen");
      if (Chance(40)) c->push_back(Chance(60) ? "~" : "=");
      c->push_back(Chance(95) ? Num(0, 12) : Pick<std::string>({"-1", "x"}));
    } else {
      c->push_back("MINID");
      if (Chance(40)) c->push_back(Chance(60) ? "~" : "=");
      c->push_back(Id());
    }
    if (Chance(15)) {
      c->push_back("LIMIT");
      c->push_back(Pick<std::string>({"0", "1", "3", "100", "-1"}));
    }
  }

  Command Make() {
    const size_t r = Uniform(0, 999);
    const std::string key = Key();
    if (r < 300) {
      Command c{"XADD", key};
      if (Chance(3)) c.push_back("NOMKSTREAM");
      if (Chance(20)) Trim(&c);
      c.push_back(AddId());
      FieldsValues(&c);
      return c;
    }
    if (r < 380) {
      Command c{Chance(60) ? "XRANGE" : "XREVRANGE", key, Id(), Id()};
      if (Chance(40)) {
        c.push_back("COUNT");
        c.push_back(Pick<std::string>({"0", "1", "2", "5", "-1", "x"}));
      }
      return c;
    }
    if (r < 400) return {"XLEN", key};
    if (r < 450) {
      Command c{"XDEL", key};
      for (size_t i = Uniform(1, 3); i > 0; --i) c.push_back(Id());
      return c;
    }
    if (r < 480) {
      Command c{"XTRIM", key};
      if (Chance(95)) Trim(&c);
      return c;
    }
    if (r < 530) {
      Command c{"XREAD"};
      if (Chance(40)) {
        c.push_back("COUNT");
        c.push_back(Pick<std::string>({"0", "1", "3", "-2"}));
      }
      c.push_back("STREAMS");
      const size_t n = Uniform(1, 2);
      for (size_t i = 0; i < n; ++i) c.push_back(i == 0 ? key : Key());
      for (size_t i = 0; i < n; ++i) c.push_back(Chance(20) ? "$" : Id());
      return c;
    }
    if (r < 610) {
      const size_t sub = Uniform(0, 9);
      if (sub < 4) {
        Command c{"XGROUP", "CREATE", key, Group(), Chance(30) ? "$" : Id()};
        if (Chance(40)) c.push_back("MKSTREAM");
        if (Chance(15)) {
          c.push_back("ENTRIESREAD");
          c.push_back(Pick<std::string>({"-1", "0", "3", "-5"}));
        }
        return c;
      }
      if (sub < 6) {
        Command c{"XGROUP", "SETID", key, Group(), Chance(30) ? "$" : Id()};
        if (Chance(30)) {
          c.push_back("ENTRIESREAD");
          c.push_back(Pick<std::string>({"-1", "0", "2", "10"}));
        }
        return c;
      }
      if (sub < 7) return {"XGROUP", "DESTROY", key, Group()};
      if (sub < 8) return {"XGROUP", "CREATECONSUMER", key, Group(), Consumer()};
      if (sub < 9) return {"XGROUP", "DELCONSUMER", key, Group(), Consumer()};
      return {"XGROUP", Pick<std::string>({"HELP", "NOPE", "CREATE"})};
    }
    if (r < 700) {
      Command c{"XREADGROUP", "GROUP", Group(), Consumer()};
      if (Chance(40)) {
        c.push_back("COUNT");
        c.push_back(Pick<std::string>({"0", "1", "2", "5"}));
      }
      if (Chance(15)) c.push_back("NOACK");
      c.push_back("STREAMS");
      // Sometimes two streams, now and then the same one twice.
      const size_t n = Chance(25) ? 2 : 1;
      c.push_back(key);
      if (n == 2) c.push_back(Chance(50) ? key : Key());
      for (size_t i = 0; i < n; ++i) c.push_back(Chance(65) ? ">" : (Chance(50) ? "0" : Id()));
      return c;
    }
    if (r < 750) {
      Command c{"XACK", key, Group()};
      for (size_t i = Uniform(1, 3); i > 0; --i) c.push_back(Id());
      return c;
    }
    if (r < 800) {
      Command c{"XPENDING", key, Group()};
      if (Chance(75)) {
        if (Chance(20)) {
          c.push_back("IDLE");
          c.push_back(Pick<std::string>({"0", "3600000"}));
        }
        c.push_back(Id());
        c.push_back(Id());
        c.push_back(Pick<std::string>({"10", "1", "0", "-1"}));
        if (Chance(40)) c.push_back(Consumer());
      }
      return c;
    }
    if (r < 840) {
      Command c{"XCLAIM", key, Group(), Consumer(), Pick<std::string>({"0", "3600000", "x"})};
      for (size_t i = Uniform(1, 3); i > 0; --i) c.push_back(Id());
      for (size_t i = Uniform(0, 2); i > 0; --i) {
        switch (Uniform(0, 6)) {
          case 0:
            c.push_back("FORCE");
            break;
          case 1:
            c.push_back("JUSTID");
            break;
          case 2:
            c.insert(c.end(), {"IDLE", Pick<std::string>({"0", "5000", "x"})});
            break;
          case 3:
            c.insert(c.end(), {"TIME", "1600000000000"});
            break;
          case 4:
            c.insert(c.end(), {"RETRYCOUNT", Pick<std::string>({"0", "7", "x"})});
            break;
          case 5:
            c.insert(c.end(), {"LASTID", Id()});
            break;
          default:
            c.push_back("BOGUS");
        }
      }
      return c;
    }
    if (r < 870) {
      Command c{"XAUTOCLAIM", key, Group(), Consumer(), Pick<std::string>({"0", "3600000"}), Id()};
      if (Chance(50)) {
        c.push_back("COUNT");
        c.push_back(Pick<std::string>({"1", "2", "100", "0", "x"}));
      }
      if (Chance(30)) c.push_back("JUSTID");
      return c;
    }
    if (r < 930) {
      const size_t sub = Uniform(0, 9);
      if (sub < 4) return {"XINFO", "STREAM", key};
      if (sub < 6) {
        Command c{"XINFO", "STREAM", key, "FULL"};
        if (Chance(50)) c.insert(c.end(), {"COUNT", Pick<std::string>({"0", "1", "3", "-1"})});
        return c;
      }
      if (sub < 8) return {"XINFO", "GROUPS", key};
      if (sub < 9) return {"XINFO", "CONSUMERS", key, Group()};
      return {"XINFO", Pick<std::string>({"HELP", "NOPE", "STREAM"})};
    }
    if (r < 950) {
      Command c{"XSETID", key, Id()};
      if (Chance(40))
        c.insert(c.end(), {"ENTRIESADDED", Pick<std::string>({"0", "5", "100", "-1"})});
      if (Chance(30)) c.insert(c.end(), {"MAXDELETEDID", Id()});
      return c;
    }
    if (r < 958) return {"SET", "x4", "string"};
    if (r < 966) return {"DEL", key};
    if (r < 976) return {"TYPE", key};
    if (r < 984) return {"OBJECT", "ENCODING", key};
    if (r < 990)
      return {"CONFIG", "SET", "stream-node-max-entries", Pick<std::string>({"3", "5", "100"})};
    return {"EXISTS", key};
  }
};

// A reply rendered with the time-dependent values replaced (see the file comment).
void Render(const protocol::Reply& r, bool pending_rows, std::string* out) {
  using T = protocol::Reply::Type;
  switch (r.type) {
    case T::kInteger:
      if (r.integer >= 1000000000000LL) {
        *out += ":<time>";
      } else {
        *out += ":" + std::to_string(r.integer);
      }
      return;
    case T::kArray:
    case T::kMap:
    case T::kSet: {
      *out += (r.type == T::kArray ? "*"
               : r.type == T::kMap ? "%"
                                   : "~") +
              std::to_string(r.elements.size()) + "[";
      for (size_t i = 0; i < r.elements.size(); ++i) {
        const protocol::Reply& e = r.elements[i];
        const bool timed_next =
            e.type == T::kBulk && (e.str == "idle" || e.str == "radix-tree-nodes");
        if (pending_rows && e.type == T::kArray && e.elements.size() == 4) {
          // XPENDING's [id, consumer, idle ms, deliveries]: the idle time is the clock's.
          protocol::Reply row = e;
          row.elements[2] = protocol::Reply{};
          Render(row, false, out);
        } else {
          Render(e, false, out);
        }
        *out += ",";
        if (timed_next && i + 1 < r.elements.size()) {
          *out += "<" + e.str + ">,";
          ++i;
        }
      }
      *out += "]";
      return;
    }
    case T::kBulk:
      *out += "$" + r.str;
      return;
    case T::kNull:
      *out += "_";
      return;
    case T::kError:
      *out += "-" + r.str;
      return;
    default:
      *out += r.DebugString();
  }
}

std::string Normalize(const Command& cmd, const std::string& bytes, const protocol::Reply& r) {
  static const std::regex kClockId("1[0-9]{12}-[0-9]+");
  const std::string name = Upper(cmd[0]);
  std::string out;
  if (name == "XPENDING" || name == "XINFO") {
    out.assign(1, bytes.empty() ? '?' : bytes[0]);
    Render(r, name == "XPENDING", &out);
  } else {
    out = NormalizeCommon(cmd, bytes, r);
  }
  return std::regex_replace(out, kClockId, "<clock-id>");
}

TEST(DifferentialStreamTest, StreamCommandsMatchRedis) {
  DifferentialSuite suite;
  suite.name = "streams";
  suite.seeds = 30;
  suite.commands_per_seed = 1000;
  // About 15 s in a Release build; the margin is for sanitizer builds on a busy machine.
  suite.deadline_seconds = 100;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<Generator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  suite.normalize = Normalize;
  suite.inspect = [](const Command& cmd) {
    return cmd.size() > 1 ? Command{"XINFO", "STREAM", cmd[1], "FULL"} : Command{};
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
