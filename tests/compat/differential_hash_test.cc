// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of the hash commands Redis 7.0 has (the field-expiry commands came in 7.4
// and 8.0, which Debian's reference server lacks): the same random command sequences (20 fixed
// seeds x 1000 commands over 5 hash keys and a string key, mixed with DEL, TYPE, EXISTS and
// OBJECT ENCODING, valid and invalid arguments) go to a real ringkv-server and to Debian's
// redis-server 7.0, and every reply must be the same bytes. Values and fields sometimes cross
// the 64-byte listpack limit and bulk HSETs push hashes past 128 fields (both servers are set to
// hash-max-listpack-entries 128 first; Redis 7.0's default is 512), so both encodings and both
// conversions are exercised, and OBJECT ENCODING must agree at every step.
//
// What Redis leaves unspecified is normalized, never skipped: HGETALL / HKEYS / HVALS and a full
// HSCAN iteration of a hashtable-encoded hash are compared as sorted sets (a listpack-encoded one
// byte for byte, order included); HRANDFIELD is compared by shape (reply type, element count,
// RESP3 nesting) plus checks run on the same server: every returned field exists, carries its
// value, and is distinct when the count was positive.
//
// Skipped (with the reason) when /usr/bin/redis-server is not installed.
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "tests/compat/differential_harness.h"

namespace ringkv::compat {
namespace {

class HashGenerator : public SeededChoices {
 public:
  explicit HashGenerator(uint32_t seed) : SeededChoices(seed) {}

  Command Next() {
    // Both servers get the same limits first: Redis 7.0 defaults to 512 entries, and 128 makes
    // the conversion reachable with the keyspace below.
    if (setup_step_ < 2) {
      ++setup_step_;
      if (setup_step_ == 1) return {"CONFIG", "SET", "hash-max-listpack-entries", "128"};
      return {"CONFIG", "SET", "hash-max-listpack-value", "64"};
    }
    Command c = Make();
    // Now and then an argument too few or too many: the arity checks.
    if (Chance(3)) {
      if (Chance(50) && c.size() > 1) {
        c.resize(Uniform(1, c.size() - 1));
      } else {
        c.push_back(Value());
      }
    }
    return c;
  }

 private:
  std::string Key() {
    if (Chance(8)) return "s";  // a string: WRONGTYPE
    return "h" + std::to_string(Uniform(0, 4));
  }
  std::string Field() {
    if (Chance(3)) return std::string(Chance(50) ? 64 : 65 + Uniform(0, 30), 'F');
    if (Chance(5)) return Pick<std::string>({"", "0", "-1", "123", "007", "x y"});
    return "f" + std::to_string(Uniform(0, 149));
  }
  std::string Value() {
    static const std::vector<std::string> kValues = {"",
                                                     "0",
                                                     "1",
                                                     "-1",
                                                     "42",
                                                     "9223372036854775807",
                                                     "-9223372036854775808",
                                                     "3.5",
                                                     "abc",
                                                     "0123",
                                                     " 5",
                                                     "+5",
                                                     "-0",
                                                     "1e3",
                                                     "inf",
                                                     "1.0",
                                                     "10.50",
                                                     "x y",
                                                     "9223372036854775808"};
    if (Chance(60)) return Pick(kValues);
    size_t len = Uniform(0, 20);
    if (Chance(12)) len = 64;
    if (Chance(6)) len = 65 + Uniform(0, 40);
    std::string s(len, 'a');
    for (char& ch : s) ch = static_cast<char>('a' + Uniform(0, 25));
    return s;
  }
  std::string Int() {
    static const std::vector<std::string> kInts = {
        "0",  "1",  "-1",  "100", "-100", "9223372036854775807", "-9223372036854775808", "+1", "01",
        "-0", " 1", "abc", "",    "1.5",  "9223372036854775808"};
    if (Chance(50)) return std::to_string(static_cast<int64_t>(Uniform(0, 40)) - 20);
    return Pick(kInts);
  }
  std::string Float() {
    static const std::vector<std::string> kFloats = {
        "1",     "-1.5",  "0.1", "1e10", "abc",  "",   " 1", "inf", "-inf",        "nan",
        "1e400", "3.0e2", "5",   "-5",   "1.25", "+2", "1.", ".5",  "17179869184", "-0.0"};
    return Pick(kFloats);
  }
  std::string Pattern() {
    static const std::vector<std::string> kPatterns = {"*",  "f1*", "f?", "f[0-3]*", "",
                                                       "x*", "*9",  "F*", "\\f1"};
    return Pick(kPatterns);
  }
  std::string Count() {
    static const std::vector<std::string> kCounts = {"-3", "-1",  "0",   "1",    "2", "5",
                                                     "10", "-10", "200", "-200", "x", "-0"};
    return Pick(kCounts);
  }

  Command Make() {
    switch (Uniform(0, 30)) {
      case 0:
      case 1:
      case 2:
      case 3: {
        Command c = {Chance(85) ? "HSET" : "HMSET", Key()};
        for (size_t i = Uniform(1, 4); i > 0; --i) c.insert(c.end(), {Field(), Value()});
        if (Chance(5)) c.push_back(Field());  // odd: wrong number of arguments
        return c;
      }
      case 4: {
        // A bulk HSET of consecutive fields: hashes cross 128 fields now and then.
        Command c = {"HSET", "h" + std::to_string(Uniform(0, 4))};
        const size_t from = Uniform(0, 120);
        for (size_t i = from; i < from + 40; ++i) {
          c.insert(c.end(), {"f" + std::to_string(i), std::to_string(i)});
        }
        return c;
      }
      case 5:
        return {"HSETNX", Key(), Field(), Value()};
      case 6:
      case 7:
        return {"HGET", Key(), Field()};
      case 8: {
        Command c = {"HMGET", Key()};
        for (size_t i = Uniform(1, 4); i > 0; --i) c.push_back(Field());
        return c;
      }
      case 9:
        return {"HGETALL", Key()};
      case 10:
        return {Chance(50) ? "HKEYS" : "HVALS", Key()};
      case 11:
      case 12: {
        Command c = {"HDEL", Key()};
        for (size_t i = Uniform(1, 5); i > 0; --i) c.push_back(Field());
        return c;
      }
      case 13:
        return {"HEXISTS", Key(), Field()};
      case 14:
        return {"HLEN", Key()};
      case 15:
        return {"HSTRLEN", Key(), Field()};
      case 16:
      case 17:
        return {"HINCRBY", Key(), Chance(70) ? "n" + std::to_string(Uniform(0, 3)) : Field(),
                Int()};
      case 18:
        return {"HINCRBYFLOAT", Key(), Chance(70) ? "x" + std::to_string(Uniform(0, 3)) : Field(),
                Float()};
      case 19:
      case 20: {
        Command c = {"HSCAN", Key(), Chance(92) ? "0" : Pick<std::string>({"abc", " 1", ""})};
        if (Chance(40)) c.insert(c.end(), {"MATCH", Pattern()});
        if (Chance(40)) c.insert(c.end(), {"COUNT", Count()});
        if (Chance(5)) c.push_back(Chance(50) ? "MATCH" : "TYPE");
        return c;
      }
      case 21:
      case 22: {
        Command c = {"HRANDFIELD", Key()};
        if (Chance(80)) c.push_back(Count());
        if (Chance(50)) c.push_back(Chance(90) ? "WITHVALUES" : "withvalue");
        return c;
      }
      case 23:
        return {"DEL", Key()};
      case 24:
        return {"TYPE", Key()};
      case 25:
        return {"EXISTS", Key(), Key()};
      case 26:
      case 27:
        return {"OBJECT", "ENCODING", Key()};
      case 28:
        return {"SET", "s", Chance(50) ? "str" : "another"};
      default:
        return {"HSET", Key(), Field(), Value()};
    }
  }

  int setup_step_ = 0;
};

bool IsHashtable(Conn& conn, const std::string& key) {
  return conn.Call({"OBJECT", "ENCODING", key}) == "$9\r\nhashtable\r\n";
}

// A full HSCAN iteration: a listpack-encoded hash answers in one reply, compared byte for byte;
// a hashtable-encoded one is compared as the sorted set of its pairs.
std::string FullScan(Conn& conn, Command cmd) {
  const bool unordered = IsHashtable(conn, cmd[1]);
  protocol::Reply r;
  std::string first = conn.Call(cmd, &r);
  if (!unordered || r.type != protocol::Reply::Type::kArray || r.elements.size() != 2) {
    return first;
  }
  std::multiset<std::string> items;
  for (int i = 0; i < 100000; ++i) {
    const auto& e = r.elements[1].elements;
    for (size_t j = 0; j + 1 < e.size(); j += 2) items.insert(e[j].str + "=" + e[j + 1].str);
    if (r.elements[0].str == "0") break;
    cmd[2] = r.elements[0].str;
    conn.Call(cmd, &r);
    if (r.type != protocol::Reply::Type::kArray || r.elements.size() != 2) return "<bad page>";
  }
  std::string out = "HSCAN";
  for (const std::string& s : items) out += " [" + s + "]";
  return out;
}

// HRANDFIELD: the reply's shape, checked against the hash on the same server.
std::string RandFieldShape(Conn& conn, const Command& cmd) {
  protocol::Reply r;
  const std::string bytes = conn.Call(cmd, &r);
  using T = protocol::Reply::Type;
  if (r.type == T::kError || r.type == T::kNull) return bytes;
  if (r.type == T::kBulk) {
    return "<bulk exists=" + conn.Call({"HEXISTS", cmd[1], r.str}) + ">";
  }
  if (r.type != T::kArray) return "<unexpected " + bytes + ">";
  const bool withvalues = cmd.size() == 4;
  const bool distinct = cmd[2][0] != '-';
  std::vector<std::pair<std::string, std::string>> pairs;
  bool nested = false;
  for (size_t i = 0; i < r.elements.size(); ++i) {
    const protocol::Reply& e = r.elements[i];
    if (e.type == T::kArray) {
      nested = true;
      if (e.elements.size() != 2) return "<bad pair>";
      pairs.emplace_back(e.elements[0].str, e.elements[1].str);
    } else if (withvalues) {
      if (i + 1 >= r.elements.size()) return "<odd flat reply>";
      pairs.emplace_back(e.str, r.elements[i + 1].str);
      ++i;
    } else {
      pairs.emplace_back(e.str, "");
    }
  }
  std::set<std::string> seen;
  std::string problems;
  for (const auto& [f, v] : pairs) {
    protocol::Reply value;
    conn.Call({"HGET", cmd[1], f}, &value);
    if (value.type != T::kBulk) problems += " missing:" + f;
    if (withvalues && value.str != v) problems += " value:" + f;
    if (!seen.insert(f).second && distinct) problems += " duplicate:" + f;
  }
  return "<array n=" + std::to_string(r.elements.size()) +
         " pairs=" + std::to_string(pairs.size()) + " nested=" + std::to_string(nested) + problems +
         ">";
}

bool CustomCall(Conn& conn, const Command& cmd, std::string* out) {
  if (cmd.size() < 2) return false;
  const std::string name = Upper(cmd[0]);
  if (name == "HSCAN" && cmd.size() >= 3) {
    *out = FullScan(conn, cmd);
    return true;
  }
  if ((name == "HGETALL" || name == "HKEYS" || name == "HVALS") && cmd.size() == 2) {
    const bool unordered = IsHashtable(conn, cmd[1]);
    protocol::Reply r;
    const std::string bytes = conn.Call(cmd, &r);
    *out = unordered ? SortedElements(r, name == "HGETALL") : bytes;
    return true;
  }
  if (name == "HRANDFIELD") {
    *out = RandFieldShape(conn, cmd);
    return true;
  }
  return false;
}

TEST(DifferentialHashTest, HashCommandsMatchRedisByteForByte) {
  DifferentialSuite suite;
  suite.name = "hashes";
  suite.seeds = 20;
  suite.commands_per_seed = 1000;
  suite.deadline_seconds = 60;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<HashGenerator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  suite.custom_call = CustomCall;
  suite.inspect = [](const Command& cmd) {
    return cmd.size() > 1 ? Command{"HGETALL", cmd[1]} : Command{};
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
