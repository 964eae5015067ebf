// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// Result formatting for ringkv-bench (see report.h).
#include "bench/ringkv_bench/report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace ringkv::bench {
namespace {

constexpr double kPercentiles[] = {50, 90, 99, 99.9};

double Us(uint64_t ns) { return static_cast<double>(ns) / 1000.0; }

std::string Target(const BenchOptions& o) {
  return o.unix_path.empty() ? absl::StrCat(o.host, ":", o.port) : o.unix_path;
}

void TableRow(std::string_view name, const OpStats& s, double elapsed, bool read,
              std::string* out) {
  absl::StrAppendFormat(out, "%-8s %10d %12.1f", absl::string_view(name.data(), name.size()),
                        s.count, elapsed > 0 ? s.count / elapsed : 0.0);
  for (double p : kPercentiles) {
    absl::StrAppendFormat(out, " %9.1f", Us(s.latency_ns.ValueAtPercentile(p)));
  }
  absl::StrAppendFormat(out, " %9.1f %8d", Us(s.latency_ns.max()), s.errors);
  if (read) {
    absl::StrAppendFormat(out, " %10d %10d", s.hits, s.misses);
  } else {
    absl::StrAppendFormat(out, " %10s %10s", "-", "-");
  }
  out->push_back('\n');
}

std::string JsonStats(const OpStats& s, double elapsed, bool read) {
  std::string out = absl::StrFormat("{\"count\": %d, \"ops_per_sec\": %.1f, \"errors\": %d",
                                    s.count, elapsed > 0 ? s.count / elapsed : 0.0, s.errors);
  if (read) absl::StrAppendFormat(&out, ", \"hits\": %d, \"misses\": %d", s.hits, s.misses);
  absl::StrAppendFormat(&out,
                        ", \"latency_us\": {\"mean\": %.2f, \"p50\": %.2f, \"p90\": %.2f, "
                        "\"p99\": %.2f, \"p99.9\": %.2f, \"max\": %.2f}}",
                        s.latency_ns.mean() / 1000.0, Us(s.latency_ns.ValueAtPercentile(50)),
                        Us(s.latency_ns.ValueAtPercentile(90)),
                        Us(s.latency_ns.ValueAtPercentile(99)),
                        Us(s.latency_ns.ValueAtPercentile(99.9)), Us(s.latency_ns.max()));
  return out;
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(c));
    } else {
      out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

std::string FormatTable(const BenchOptions& o, const BenchResult& r) {
  std::string out = absl::StrFormat(
      "ringkv-bench: %s, %d thread(s) x %d connection(s), pipeline %d, %s keys (%s), "
      "%s, %.2f s\n",
      Target(o), o.threads, o.connections, o.pipeline, absl::StrCat(o.keyspace),
      DistributionName(o.distribution),
      o.rate > 0 ? absl::StrFormat("open loop %.0f req/s", o.rate) : std::string("closed loop"),
      r.elapsed_s);
  absl::StrAppendFormat(&out, "%-8s %10s %12s %9s %9s %9s %9s %9s %8s %10s %10s\n", "command",
                        "ops", "ops/s", "p50(us)", "p90(us)", "p99(us)", "p99.9(us)", "max(us)",
                        "errors", "hits", "misses");
  bool any_read = false;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (r.ops[i].count == 0) continue;
    Op op = static_cast<Op>(i);
    any_read |= IsRead(op);
    std::string upper(OpName(op));
    for (char& c : upper) c = static_cast<char>(c - 'a' + 'A');
    TableRow(upper, r.ops[i], r.elapsed_s, IsRead(op), &out);
  }
  OpStats reads;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (IsRead(static_cast<Op>(i))) reads.Merge(r.ops[i]);
  }
  OpStats total = r.total;
  total.hits = reads.hits;
  total.misses = reads.misses;
  TableRow("ALL", total, r.elapsed_s, any_read, &out);
  if (r.unsent > 0) {
    absl::StrAppendFormat(&out, "unsent: %d scheduled requests were not sent before the end\n",
                          r.unsent);
  }
  return out;
}

std::string FormatJson(const BenchOptions& o, const BenchResult& r) {
  std::string out = "{";
  absl::StrAppendFormat(&out, "\"target\": %s, \"threads\": %d, \"connections\": %d, ",
                        JsonString(Target(o)), o.threads, o.connections);
  absl::StrAppendFormat(&out,
                        "\"pipeline\": %d, \"keyspace\": %d, \"distribution\": %s, "
                        "\"rate\": %.1f, \"seed\": %d, ",
                        o.pipeline, o.keyspace, JsonString(DistributionName(o.distribution)),
                        o.rate, o.seed);
  absl::StrAppendFormat(&out, "\"elapsed_s\": %.3f, \"unsent\": %d, \"total\": %s, ", r.elapsed_s,
                        r.unsent, JsonStats(r.total, r.elapsed_s, false));
  out += "\"commands\": {";
  bool first = true;
  for (size_t i = 0; i < kOpCount; ++i) {
    if (r.ops[i].count == 0) continue;
    Op op = static_cast<Op>(i);
    if (!first) out += ", ";
    first = false;
    absl::StrAppend(&out, JsonString(OpName(op)), ": ",
                    JsonStats(r.ops[i], r.elapsed_s, IsRead(op)));
  }
  out += "}}\n";
  return out;
}

std::string FormatProgress(const Progress& p) {
  return absl::StrFormat("[%5.0fs] %10.0f ops/s  p99 %.3f ms  total %d", p.elapsed_s, p.ops_per_sec,
                         static_cast<double>(p.p99_ns) / 1e6, p.completed);
}

}  // namespace ringkv::bench
