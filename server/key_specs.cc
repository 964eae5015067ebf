// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Key specs of the commands that one "index + range" spec does not describe: several kinds of
// keys (a source and a destination), a key count read from an argument (keynum), or keys after
// a keyword. The values are Redis 7.0.15's, as its COMMAND INFO reports them (checked by
// tests/compat/differential_command_test.cc); its key-spec notes are not repeated.
#include <algorithm>
#include <iterator>
#include <string_view>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "server/command.h"
#include "server/command_table.h"

namespace ringkv::server {

namespace {

struct CommandKeySpecs {
  std::string_view name;
  std::vector<KeySpec> specs;
};

const std::vector<CommandKeySpecs>& Table() {
  static const auto* table = new std::vector<CommandKeySpecs>{
      {"blmove", {{.flags = "RW access delete", .index = 1}, {.flags = "RW insert", .index = 2}}},
      {"blmpop",
       {{.flags = "RW access delete", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"brpoplpush",
       {{.flags = "RW access delete", .index = 1}, {.flags = "RW insert", .index = 2}}},
      {"bzmpop",
       {{.flags = "RW access delete", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"copy", {{.flags = "RO access", .index = 1}, {.flags = "OW update", .index = 2}}},
      {"eval",
       {{.flags = "RW access update", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"eval_ro",
       {{.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"evalsha",
       {{.flags = "RW access update", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"evalsha_ro",
       {{.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"fcall",
       {{.flags = "RW access update", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"fcall_ro",
       {{.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"lmove", {{.flags = "RW access delete", .index = 1}, {.flags = "RW insert", .index = 2}}},
      {"lmpop",
       {{.flags = "RW access delete", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"migrate",
       {{.flags = "RW access delete", .index = 3},
        {.flags = "RW access delete incomplete",
         .keyword = "KEYS",
         .startfrom = -2,
         .lastkey = -1}}},
      {"rename", {{.flags = "RW access delete", .index = 1}, {.flags = "OW update", .index = 2}}},
      {"renamenx", {{.flags = "RW access delete", .index = 1}, {.flags = "OW insert", .index = 2}}},
      {"rpoplpush",
       {{.flags = "RW access delete", .index = 1}, {.flags = "RW insert", .index = 2}}},
      {"sdiffstore",
       {{.flags = "OW update", .index = 1}, {.flags = "RO access", .index = 2, .lastkey = -1}}},
      {"sintercard",
       {{.flags = "RO access", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"sinterstore",
       {{.flags = "RW update", .index = 1}, {.flags = "RO access", .index = 2, .lastkey = -1}}},
      {"smove", {{.flags = "RW access delete", .index = 1}, {.flags = "RW insert", .index = 2}}},
      {"sunionstore",
       {{.flags = "OW update", .index = 1}, {.flags = "RO access", .index = 2, .lastkey = -1}}},
      {"xadd", {{.flags = "RW update", .index = 1}}},
      {"xautoclaim", {{.flags = "RW delete", .index = 1}}},
      {"xread",
       {{.flags = "RO access",
         .keyword = "STREAMS",
         .startfrom = 1,
         .lastkey = -1,
         .keystep = 1,
         .limit = 2}}},
      {"xreadgroup",
       {{.flags = "RO access",
         .keyword = "STREAMS",
         .startfrom = 4,
         .lastkey = -1,
         .keystep = 1,
         .limit = 2}}},
      {"zdiff",
       {{.flags = "RO access", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zdiffstore",
       {{.flags = "OW update", .index = 1},
        {.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zinter",
       {{.flags = "RO access", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zintercard",
       {{.flags = "RO access", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zinterstore",
       {{.flags = "OW update", .index = 1},
        {.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zmpop",
       {{.flags = "RW access delete", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zrangestore", {{.flags = "OW update", .index = 1}, {.flags = "RO access", .index = 2}}},
      {"zunion",
       {{.flags = "RO access", .index = 1, .keynum = true, .keynumidx = 0, .firstkey = 1}}},
      {"zunionstore",
       {{.flags = "OW update", .index = 1},
        {.flags = "RO access", .index = 2, .keynum = true, .keynumidx = 0, .firstkey = 1}}}};
  return *table;
}

}  // namespace

std::span<const KeySpec> KeySpecsFor(std::string_view name) {
  for (const CommandKeySpecs& c : Table()) {
    if (c.name == name) return c.specs;
  }
  return {};
}

void KeySpecPositions(const KeySpec& ks, std::span<const std::string_view> args,
                      std::vector<size_t>* out) {
  const int argc = static_cast<int>(args.size());
  int first = 0;
  if (ks.keyword.empty()) {
    first = ks.index;
  } else {
    const bool forward = ks.startfrom > 0;
    const int start = forward ? ks.startfrom : argc + ks.startfrom;
    const int end = forward ? argc - 1 : 1;
    for (int i = start; forward ? i <= end : i >= end; i += forward ? 1 : -1) {
      if (i < 1 || i >= argc) break;
      if (absl::EqualsIgnoreCase(absl::string_view(args[i].data(), args[i].size()),
                                 absl::string_view(ks.keyword.data(), ks.keyword.size()))) {
        first = i + 1;
        break;
      }
    }
  }
  if (first <= 0 || first >= argc) return;
  int last = 0;
  int step = std::max(ks.keystep, 1);
  if (ks.keynum) {
    const int at = first + ks.keynumidx;
    int64_t n = 0;
    if (at >= argc || !absl::SimpleAtoi(absl::string_view(args[at].data(), args[at].size()), &n) ||
        n <= 0 || n > argc) {
      return;
    }
    first += ks.firstkey;
    last = first + static_cast<int>(n - 1) * step;
  } else if (ks.lastkey >= 0) {
    last = first + ks.lastkey;
  } else if (ks.limit <= 1) {
    last = argc + ks.lastkey;
  } else {
    last = first + ((argc - first) / ks.limit + ks.lastkey);
  }
  for (int i = first; i <= last && i < argc; i += step) out->push_back(static_cast<size_t>(i));
}

}  // namespace ringkv::server
