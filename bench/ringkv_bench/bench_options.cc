// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench flag parsing (see bench_options.h).
#include "bench/ringkv_bench/bench_options.h"

#include <functional>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace ringkv::bench {
namespace {

absl::string_view AbslView(std::string_view s) { return absl::string_view(s.data(), s.size()); }

template <typename T>
absl::Status Number(std::string_view flag, const std::string& text, T* out, T min_value) {
  bool ok;
  if constexpr (std::is_floating_point_v<T>) {
    ok = absl::SimpleAtod(text, out);
  } else {
    ok = absl::SimpleAtoi(text, out);
  }
  if (!ok || *out < min_value) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad value for --", AbslView(flag), ": '", text, "'"));
  }
  return absl::OkStatus();
}

absl::Status ValueSize(const std::string& text, BenchOptions* o) {
  size_t dash = text.find('-');
  std::string lo = text.substr(0, dash);
  std::string hi = dash == std::string::npos ? lo : text.substr(dash + 1);
  if (!absl::SimpleAtoi(lo, &o->value_min) || !absl::SimpleAtoi(hi, &o->value_max) ||
      o->value_min > o->value_max || o->value_max > 512u * 1024 * 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --value-size '", text, "' (expected N or N-M with N <= M)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<BenchOptions> ParseBenchArgs(const std::vector<std::string>& args) {
  BenchOptions o;
  bool ratio_given = false, commands_given = false;
  using Setter = std::function<absl::Status(const std::string&)>;
  const std::map<std::string, Setter, std::less<>> with_value = {
      {"host",
       [&](const std::string& v) {
         o.host = v;
         return absl::OkStatus();
       }},
      {"port", [&](const std::string& v) { return Number("port", v, &o.port, 1); }},
      {"unix",
       [&](const std::string& v) {
         o.unix_path = v;
         return absl::OkStatus();
       }},
      {"user",
       [&](const std::string& v) {
         o.user = v;
         return absl::OkStatus();
       }},
      {"password",
       [&](const std::string& v) {
         o.password = v;
         return absl::OkStatus();
       }},
      {"db", [&](const std::string& v) { return Number("db", v, &o.db, 0); }},
      {"threads", [&](const std::string& v) { return Number("threads", v, &o.threads, 1); }},
      {"connections",
       [&](const std::string& v) { return Number("connections", v, &o.connections, 1); }},
      {"pipeline", [&](const std::string& v) { return Number("pipeline", v, &o.pipeline, 1); }},
      {"ratio",
       [&](const std::string& v) {
         absl::StatusOr<std::vector<OpWeight>> mix = ParseRatio(v);
         if (!mix.ok()) return mix.status();
         o.mix = *mix;
         ratio_given = true;
         return absl::OkStatus();
       }},
      {"commands",
       [&](const std::string& v) {
         absl::StatusOr<std::vector<OpWeight>> mix = ParseCommandMix(v);
         if (!mix.ok()) return mix.status();
         o.mix = *mix;
         commands_given = true;
         return absl::OkStatus();
       }},
      {"keyspace",
       [&](const std::string& v) { return Number("keyspace", v, &o.keyspace, uint64_t{1}); }},
      {"distribution",
       [&](const std::string& v) {
         absl::StatusOr<Distribution> d = ParseDistribution(v);
         if (!d.ok()) return d.status();
         o.distribution = *d;
         return absl::OkStatus();
       }},
      {"value-size", [&](const std::string& v) { return ValueSize(v, &o); }},
      {"key-prefix",
       [&](const std::string& v) {
         o.key_prefix = v;
         return absl::OkStatus();
       }},
      {"hash-fields",
       [&](const std::string& v) { return Number("hash-fields", v, &o.hash_fields, 1); }},
      {"duration",
       [&](const std::string& v) {
         o.duration_set = true;
         return Number("duration", v, &o.duration_s, 0.001);
       }},
      {"requests",
       [&](const std::string& v) { return Number("requests", v, &o.requests, uint64_t{1}); }},
      {"rate", [&](const std::string& v) { return Number("rate", v, &o.rate, 0.0); }},
      {"seed", [&](const std::string& v) { return Number("seed", v, &o.seed, uint64_t{0}); }},
  };
  const std::map<std::string, bool*, std::less<>> switches = {
      {"resp3", &o.resp3}, {"json", &o.json}, {"help", &o.help}};
  for (size_t i = 0; i < args.size(); ++i) {
    std::string arg = args[i];
    if (!arg.starts_with("--")) {
      return absl::InvalidArgumentError(absl::StrCat("unexpected argument '", arg, "'"));
    }
    std::string name = arg.substr(2), value;
    bool inline_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      inline_value = true;
    }
    if (name == "command") name = "commands";  // both spellings read naturally
    if (name == "no-progress" && !inline_value) {
      o.progress = false;
      continue;
    }
    if (auto s = switches.find(name); s != switches.end() && !inline_value) {
      *s->second = true;
      continue;
    }
    auto setter = with_value.find(name);
    if (setter == with_value.end()) {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag '", arg, "' (see --help)"));
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(absl::StrCat("flag --", name, " needs a value"));
      }
      value = args[++i];
    }
    absl::Status s = setter->second(value);
    if (!s.ok()) return s;
  }
  if (ratio_given && commands_given) {
    return absl::InvalidArgumentError("use either --ratio or --commands, not both");
  }
  if (o.requests > 0 && !o.duration_set) o.duration_s = 0;  // run until the requests are done
  return o;
}

std::string BenchUsage() {
  return R"(ringkv-bench: a load generator for ringkv and any RESP server

Usage: ringkv-bench [--flag value | --flag=value]...
Target:
  --host H              server host (default 127.0.0.1)
  --port P              server port (default 6379)
  --unix PATH           unix socket instead of host/port
  --user U --password P AUTH at connect;  --db N  SELECT at connect;  --resp3  HELLO 3
Load shape:
  --threads N           threads, each with its own epoll loop (default 1)
  --connections N       connections per thread (default 4)
  --pipeline N          requests in flight per connection (default 1)
  --rate R              open loop: R requests/s in total on a fixed schedule; latency counts
                        from the scheduled time, so a stalled server shows up (default 0 =
                        closed loop)
Workload:
  --ratio S:G           SET:GET mix (default 1:10)
  --commands LIST       weighted mix instead of --ratio, e.g. get:10,set:1,incr:1,session:2
                        (get set incr hset hgetall session=hset+hgetall lpush lpop zadd zrange
                         xadd xread)
  --keyspace N          number of distinct keys (default 100000)
  --distribution D      sequential | uniform | zipf:<s> | gaussian:<stddev fraction>
                        (default uniform)
  --value-size N|N-M    value bytes, fixed or uniform in [N, M] (default 32)
  --key-prefix P        key prefix (default "key:")
  --hash-fields N       fields per HSET (default 4)
  --seed N              random seed (default 1)
Length:
  --duration S          seconds to run (default 10 unless --requests is given)
  --requests N          stop after exactly N requests in total
Output:
  --json                print the result as JSON on stdout
  --no-progress         no live progress line on stderr
)";
}

}  // namespace ringkv::bench
