// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of the set commands: seeded random sequences of SADD, SREM, SMEMBERS,
// SISMEMBER, SMISMEMBER, SCARD, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD, SUNION, SDIFF,
// S*STORE and SSCAN, mixed with DEL, TYPE, EXISTS, OBJECT ENCODING and string SETs (for
// WRONGTYPE), go to a real ringkv-server and to Debian's redis-server 7.0; every reply must be
// the same bytes after normalization. Members are integers (canonical and not) and strings; now
// and then one SADD crosses the 512-entry intset limit or the small-set size, and arguments are
// invalid or the arity is wrong.
//
// Normalized, never skipped:
//   - SMEMBERS, SINTER, SUNION, SDIFF: Redis leaves the order unspecified, so the elements are
//     compared sorted (with the reply's type byte, so '*' vs '~' still counts).
//   - SSCAN: the sorted set of members of a full iteration (cursor values differ by design).
//   - SPOP and SRANDMEMBER: which members come out is random. Compared are the reply's type and
//     size, that every member returned was in the set just before (and, where Redis promises it,
//     that they are distinct), SCARD after, and OBJECT ENCODING after whenever it does not depend
//     on which members were drawn. After an SPOP both servers are brought back to the same state
//     by running the same DEL + SADD of Redis's remaining members on each (custom_call runs for
//     Redis first, then for ringkv, and remembers Redis's remainder in between).
//
// Skipped (with the reason) when /usr/bin/redis-server is not installed.
#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "protocol/detail/numbers.h"
#include "tests/compat/differential_harness.h"

namespace ringkv::compat {
namespace {

class Generator : public SeededChoices {
 public:
  explicit Generator(uint32_t seed) : SeededChoices(seed) {}

  Command Next() {
    Command c = Make();
    // Now and then an argument too few or too many: the arity checks.
    if (Chance(3)) {
      if (Chance(50) && c.size() > 1) {
        c.resize(Uniform(1, c.size() - 1));
      } else {
        c.push_back(Member());
      }
    }
    return c;
  }

 private:
  // s0..s2 mostly get integers (so intsets live long enough to be seen), s3..s5 get anything,
  // s6 and s7 are also SET to strings now and then (WRONGTYPE).
  std::string Key() {
    if (Chance(2)) return std::string();
    return "s" + std::to_string(Uniform(0, 7));
  }
  std::string StringKey() { return Chance(50) ? "s6" : "s7"; }
  std::string Member(const std::string& key) {
    if (key.size() == 2 && key[1] <= '2' && Chance(94)) {
      return std::to_string(static_cast<int64_t>(Uniform(0, 40)) - 8);
    }
    return Member();
  }
  std::string Member() {
    const size_t r = Uniform(0, 99);
    if (r < 45) return std::to_string(static_cast<int64_t>(Uniform(0, 40)) - 8);
    if (r < 52) {
      static const std::vector<std::string> kEdge = {
          "9223372036854775807", "-9223372036854775808", "32767", "32768", "-32769",
          "2147483647",          "2147483648",           "65536", "100000"};
      return Pick(kEdge);
    }
    if (r < 60) {
      static const std::vector<std::string> kOdd = {
          "01", "+1", "-0", " 1", "1 ", "1.5", "1e3", "", "0x1", "9223372036854775808"};
      return Pick(kOdd);
    }
    if (r < 62) {
      std::string s(Uniform(120, 200), 'a');  // around the out-of-line member length
      for (char& ch : s) ch = static_cast<char>('a' + Uniform(0, 3));
      return s;
    }
    static const std::vector<std::string> kStrings = {"a", "b", "c",     "d",   "e",
                                                      "f", "g", "hello", "x y", "A"};
    if (Chance(70)) return Pick(kStrings);
    return "m" + std::to_string(Uniform(0, 30));
  }
  // Members for the key in (*c)[1].
  void AddMembers(Command* c, size_t lo, size_t hi) {
    const std::string key = (*c)[1];
    for (size_t i = Uniform(lo, hi); i > 0; --i) c->push_back(Member(key));
  }
  void AddKeys(Command* c, size_t lo, size_t hi) {
    for (size_t i = Uniform(lo, hi); i > 0; --i) c->push_back(Key());
  }
  // A SADD that crosses a size threshold: ~512 integers (intset limit) or ~20 strings (the
  // small-set form), sometimes with a string at the end.
  Command BigAdd() {
    Command c = {"SADD", Key()};
    if (Chance(50)) {
      const size_t n = Uniform(505, 520);
      const int64_t base = static_cast<int64_t>(Uniform(0, 3)) * 100;
      for (size_t i = 0; i < n; ++i) c.push_back(std::to_string(base + static_cast<int64_t>(i)));
    } else {
      for (size_t i = Uniform(10, 24); i > 0; --i)
        c.push_back("w" + std::to_string(Uniform(0, 60)));
    }
    if (Chance(20)) c.push_back("tail");
    return c;
  }
  std::string Count(bool signed_ok) {
    static const std::vector<std::string> kCounts = {
        "0", "1", "2", "3", "5", "10", "50", "600", "9223372036854775807"};
    static const std::vector<std::string> kBad = {"x", "-1", "", "1.5", "+1", " 1"};
    static const std::vector<std::string> kNeg = {
        "-1", "-3", "-20", "-700", "-9223372036854775808", "-9223372036854775807"};
    if (signed_ok && Chance(35)) {
      const std::string& n = Pick(kNeg);
      // An enormous negative count would make both servers build an enormous reply.
      return n == "-9223372036854775807" ? "-4" : n;
    }
    if (Chance(10)) return Pick(kBad);
    return Pick(kCounts);
  }

  Command Make() {
    switch (Uniform(0, 39)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4: {
        Command c = {"SADD", Key()};
        AddMembers(&c, 1, 5);
        return c;
      }
      case 5:
        return BigAdd();
      case 6:
      case 7: {
        Command c = {"SREM", Key()};
        AddMembers(&c, 1, 4);
        return c;
      }
      case 8:
      case 9:
        return {"SMEMBERS", Key()};
      case 10: {
        const std::string k = Key();
        return {"SISMEMBER", k, Member(k)};
      }
      case 11: {
        Command c = {"SMISMEMBER", Key()};
        AddMembers(&c, 1, 4);
        return c;
      }
      case 12:
        return {"SCARD", Key()};
      case 13:
      case 14: {
        if (Chance(30)) return {"SPOP", Key()};
        return {"SPOP", Key(), Count(false)};
      }
      case 15:
      case 16: {
        if (Chance(30)) return {"SRANDMEMBER", Key()};
        return {"SRANDMEMBER", Key(), Count(true)};
      }
      case 17:
      case 18: {
        const std::string k = Key();
        return {"SMOVE", k, Chance(15) ? k : Key(), Member(k)};
      }
      case 19:
      case 20: {
        static const std::vector<std::string> kOps = {"SINTER", "SUNION", "SDIFF"};
        Command c = {Pick(kOps)};
        AddKeys(&c, 1, 4);
        return c;
      }
      case 21:
      case 22: {
        static const std::vector<std::string> kOps = {"SINTERSTORE", "SUNIONSTORE", "SDIFFSTORE"};
        Command c = {Pick(kOps), Key()};
        AddKeys(&c, 1, 3);
        return c;
      }
      case 23:
      case 24: {
        const size_t n = Uniform(1, 4);
        Command c = {"SINTERCARD"};
        if (Chance(85)) {
          c.push_back(std::to_string(n));
        } else {
          static const std::vector<std::string> kBad = {"0", "-1", "x", "9", "9223372036854775807"};
          c.push_back(Pick(kBad));
        }
        for (size_t i = 0; i < n; ++i) c.push_back(Key());
        if (Chance(40)) {
          static const std::vector<std::string> kLimits = {"0", "1", "2", "5", "-1", "x"};
          c.insert(c.end(), {Chance(80) ? "LIMIT" : "limit", Pick(kLimits)});
        }
        if (Chance(5)) c.push_back(Chance(50) ? "LIMIT" : "bogus");
        return c;
      }
      case 25:
      case 26: {
        static const std::vector<std::string> kCursors = {"x", " 0", "1.5", "-"};
        Command c = {"SSCAN", Key(), Chance(92) ? "0" : Pick(kCursors)};
        if (Chance(40)) {
          static const std::vector<std::string> kPatterns = {"*",   "1*", "?",  "[a-c]", "",
                                                             "w1*", "m*", "-*", "*\\*"};
          c.insert(c.end(), {"MATCH", Pick(kPatterns)});
        }
        if (Chance(40)) {
          static const std::vector<std::string> kCounts = {"1", "3", "100", "0", "-1", "x"};
          c.insert(c.end(), {"COUNT", Pick(kCounts)});
        }
        if (Chance(4)) c.push_back(Chance(50) ? "TYPE" : "MATCH");
        return c;
      }
      case 27:
      case 28:
        return {"OBJECT", "ENCODING", Key()};
      case 29: {
        Command c = {"DEL"};
        AddKeys(&c, 1, 2);
        return c;
      }
      case 30:
        return {"TYPE", Key()};
      case 31:
        return {"EXISTS", Key()};
      case 32:
        return {"SET", StringKey(), Chance(50) ? "v" : "12"};
      default: {
        Command c = {"SADD", Key()};
        AddMembers(&c, 1, 3);
        return c;
      }
    }
  }
};

std::string TypeByte(const std::string& bytes) { return bytes.empty() ? "" : bytes.substr(0, 1); }

// A full SSCAN iteration: the sorted set of members, or the first reply when it is not a scan
// reply (an error).
std::string FullSScan(Conn& conn, Command cmd) {
  std::set<std::string> members;
  for (int i = 0; i < 100000; ++i) {
    protocol::Reply r;
    std::string bytes = conn.Call(cmd, &r);
    if (r.type != protocol::Reply::Type::kArray || r.elements.size() != 2) return bytes;
    for (const protocol::Reply& e : r.elements[1].elements) members.insert(e.str);
    cmd[2] = r.elements[0].str;
    if (cmd[2] == "0") break;
  }
  std::string out = "SSCAN";
  for (const std::string& m : members) out += " [" + m + "]";
  return out;
}

// What SPOP/SRANDMEMBER's custom call carries from the Redis call to the ringkv call.
struct RandomState {
  bool ringkv_turn = false;
  bool resync = false;
  std::vector<std::string> redis_remaining;
};

bool IsInt(const std::string& s) {
  int64_t v;
  return protocol::detail::ParseRespInt(s, &v);
}

// SPOP / SRANDMEMBER with 1 or 2 arguments, on one server. See the file comment.
std::string RandomCall(Conn& conn, const Command& cmd, RandomState* state) {
  const bool ringkv = state->ringkv_turn;
  state->ringkv_turn = !state->ringkv_turn;
  if (!ringkv) state->resync = false;
  const std::string name = Upper(cmd[0]);
  const std::string& key = cmd[1];
  // Brings ringkv to Redis's state after a pop that changed Redis's set: the same DEL + SADD on
  // both servers, so that the encodings agree too.
  auto finish = [&](std::string out) {
    if (state->resync) {
      conn.Call({"DEL", key});
      if (!state->redis_remaining.empty()) {
        Command add = {"SADD", key};
        add.insert(add.end(), state->redis_remaining.begin(), state->redis_remaining.end());
        conn.Call(add);
      }
    }
    if (ringkv) state->resync = false;
    return out;
  };
  protocol::Reply before;
  conn.Call({"SMEMBERS", key}, &before);
  std::set<std::string> members;
  bool has_int = false;
  bool has_str = false;
  for (const protocol::Reply& e : before.elements) {
    members.insert(e.str);
    (IsInt(e.str) ? has_int : has_str) = true;
  }
  protocol::Reply r;
  const std::string bytes = conn.Call(cmd, &r);
  const bool aggregate =
      r.type == protocol::Reply::Type::kArray || r.type == protocol::Reply::Type::kSet;
  if (r.type != protocol::Reply::Type::kBulk && (!aggregate || r.elements.empty())) {
    return finish(bytes);  // errors, nulls and empty replies are deterministic
  }
  std::vector<std::string> got;
  if (aggregate) {
    for (const protocol::Reply& e : r.elements) got.push_back(e.str);
  } else {
    got.push_back(r.str);
  }
  bool valid = true;
  for (const std::string& m : got) valid &= members.count(m) == 1;
  const bool distinct = name == "SPOP" || cmd.size() == 2 || cmd[2].empty() || cmd[2][0] != '-';
  if (distinct) valid &= std::set<std::string>(got.begin(), got.end()).size() == got.size();
  std::string out =
      name + " " + TypeByte(bytes) + std::to_string(got.size()) + (valid ? " valid" : " INVALID");
  if (name != "SPOP") return finish(out);
  out += " card=" + conn.Call({"SCARD", key});
  // Which members remain decides a rebuilt remainder's encoding only in a mixed set.
  if (!(has_int && has_str)) out += " enc=" + conn.Call({"OBJECT", "ENCODING", key});
  if (!ringkv) {
    protocol::Reply after;
    conn.Call({"SMEMBERS", key}, &after);
    state->redis_remaining.clear();
    for (const protocol::Reply& e : after.elements) state->redis_remaining.push_back(e.str);
    state->resync = true;
  }
  return finish(out);
}

std::string Normalize(const Command& cmd, const std::string& bytes, const protocol::Reply& r) {
  const std::string name = Upper(cmd[0]);
  const bool unordered =
      name == "SMEMBERS" || name == "SINTER" || name == "SUNION" || name == "SDIFF";
  if (unordered &&
      (r.type == protocol::Reply::Type::kArray || r.type == protocol::Reply::Type::kSet)) {
    return TypeByte(bytes) + SortedElements(r, false);
  }
  return NormalizeCommon(cmd, bytes, r);
}

TEST(DifferentialSetTest, SetCommandsMatchRedisByteForByte) {
  DifferentialSuite suite;
  suite.name = "sets";
  suite.seeds = 32;
  suite.commands_per_seed = 1000;
  // About 20 s in a Release build; the margin is for sanitizer builds on a busy machine.
  suite.deadline_seconds = 100;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<Generator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  suite.normalize = Normalize;
  auto state = std::make_shared<RandomState>();
  suite.custom_call = [state](Conn& conn, const Command& cmd, std::string* out) {
    const std::string name = Upper(cmd[0]);
    if (name == "SSCAN" && cmd.size() >= 3) {
      *out = FullSScan(conn, cmd);
      return true;
    }
    if ((name == "SPOP" || name == "SRANDMEMBER") && (cmd.size() == 2 || cmd.size() == 3)) {
      *out = RandomCall(conn, cmd, state.get());
      return true;
    }
    return false;
  };
  suite.inspect = [](const Command& cmd) {
    return cmd.size() > 1 ? Command{"SMEMBERS", cmd[1]} : Command{};
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
