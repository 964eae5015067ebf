// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Differential test of the bitmap commands: seeded random sequences of SETBIT, GETBIT, BITCOUNT
// and BITPOS (every range form: negative indexes, BYTE and BIT units, empty ranges, bad units
// and numbers, a missing end), mixed with SET (text, numbers that Redis int-encodes, all-ones
// and all-zeros bytes, the empty string), APPEND, GET, STRLEN, DEL, OBJECT ENCODING and a list
// key (WRONGTYPE), go to a real ringkv-server and to Debian's redis-server 7.0; every reply must
// be the same bytes. Offsets stay small (a valid SETBIT near 2^32 would make both servers
// allocate 512 MB); the out-of-range ones are sent too.
//
// Skipped (with the reason) when /usr/bin/redis-server is not installed.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
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
        c.push_back(Index());
      }
    }
    return c;
  }

 private:
  // b0..b3 hold strings, b4 is sometimes a list (WRONGTYPE); now and then a key never written.
  std::string Key() {
    if (Chance(3)) return "missing";
    return "b" + std::to_string(Uniform(0, 4));
  }
  std::string Offset() {
    if (Chance(6)) {
      static const std::vector<std::string> kBad = {
          "-1", "x", "", "1.5", "+1", "-0", "01", "4294967296", "9223372036854775807", " 1"};
      return Pick(kBad);
    }
    if (Chance(10)) return std::to_string(Uniform(0, 2000));
    return std::to_string(Uniform(0, 90));
  }
  std::string Index() {
    if (Chance(5)) {
      static const std::vector<std::string> kBad = {
          "x", "", "1.5", "9223372036854775808", "-9223372036854775808", "9223372036854775807"};
      return Pick(kBad);
    }
    return std::to_string(static_cast<int64_t>(Uniform(0, 40)) - 20);
  }
  std::string Unit() {
    static const std::vector<std::string> kUnits = {"BYTE", "BIT",  "bit", "byte",
                                                    "Bit",  "bits", ""};
    return Chance(85) ? Pick(std::vector<std::string>{"BYTE", "BIT", "bit", "byte"}) : Pick(kUnits);
  }
  std::string Value() {
    switch (Uniform(0, 7)) {
      case 0:
        return "";
      case 1:
        return std::to_string(static_cast<int64_t>(Uniform(0, 100000)) - 500);  // int-encoded
      case 2:
        return std::string(Uniform(1, 12), '\xff');
      case 3:
        return std::string(Uniform(1, 12), '\0');
      case 4: {
        std::string s(Uniform(1, 40), 'a');
        for (char& ch : s) ch = static_cast<char>(Uniform(0, 255));
        return s;
      }
      default: {
        static const std::vector<std::string> kText = {
            "foobar", "a", "hello world", "\x01", "\x80\x00\x01", "@", "9223372036854775807"};
        return Pick(kText);
      }
    }
  }

  Command Make() {
    switch (Uniform(0, 29)) {
      case 0:
      case 1:
      case 2:
      case 3:
      case 4:
      case 5: {
        static const std::vector<std::string> kBits = {"0", "1", "1", "0", "2", "-1", "x", ""};
        return {"SETBIT", Key(), Offset(),
                Chance(92) ? Pick(std::vector<std::string>{"0", "1"}) : Pick(kBits)};
      }
      case 6:
      case 7:
      case 8:
        return {"GETBIT", Key(), Offset()};
      case 9:
      case 10:
      case 11:
      case 12: {
        Command c = {"BITCOUNT", Key()};
        const size_t form = Uniform(0, 9);
        if (form >= 2) {
          c.push_back(Index());
          c.push_back(Index());
        }
        if (form >= 6) c.push_back(Unit());
        if (form == 1) c.push_back(Index());  // one index: a syntax error
        return c;
      }
      case 13:
      case 14:
      case 15:
      case 16:
      case 17: {
        static const std::vector<std::string> kBits = {"0", "1", "0", "1", "2", "-1", "x"};
        Command c = {"BITPOS", Key(),
                     Chance(93) ? Pick(std::vector<std::string>{"0", "1"}) : Pick(kBits)};
        const size_t form = Uniform(0, 9);
        if (form >= 2) c.push_back(Index());
        if (form >= 5) c.push_back(Index());
        if (form >= 7) c.push_back(Unit());
        if (form == 9) c.push_back("extra");  // too many: a syntax error
        return c;
      }
      case 18:
      case 19:
      case 20:
        return {"SET", Key(), Value()};
      case 21:
        return {"APPEND", Key(), Value()};
      case 22:
        return {"GET", Key()};
      case 23:
        return {"STRLEN", Key()};
      case 24:
        return {"OBJECT", "ENCODING", Key()};
      case 25:
        return {"DEL", Key()};
      case 26:
        return {"LPUSH", "b4", "x"};
      case 27:
        return {"TYPE", Key()};
      default:
        return {"EXISTS", Key()};
    }
  }
};

TEST(DifferentialBitmapTest, BitmapCommandsMatchRedisByteForByte) {
  DifferentialSuite suite;
  suite.name = "bitmaps";
  suite.seeds = 24;
  suite.commands_per_seed = 800;
  // A few seconds in a Release build; the margin is for sanitizer builds on a busy machine.
  suite.deadline_seconds = 100;
  suite.make_generator = [](uint32_t seed, int64_t) {
    auto gen = std::make_shared<Generator>(seed);
    return std::function<Command()>([gen] { return gen->Next(); });
  };
  suite.inspect = [](const Command& cmd) {
    return cmd.size() > 1 && cmd[0] != "OBJECT" ? Command{"GET", cmd[1]} : Command{};
  };
  RunDifferential(suite);
}

}  // namespace
}  // namespace ringkv::compat
