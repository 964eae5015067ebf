// Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
//
// ringkv-bench: a load generator for ringkv and any RESP server. Parses flags, runs the load
// (bench/ringkv_bench/runner.h), prints a progress line each second on stderr and the result
// table (or --json) on stdout. See docs/tools.md.
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "bench/ringkv_bench/bench_options.h"
#include "bench/ringkv_bench/report.h"
#include "bench/ringkv_bench/runner.h"

int main(int argc, char** argv) {
  using namespace ringkv::bench;  // NOLINT(build/namespaces): a tiny main
  absl::StatusOr<BenchOptions> options =
      ParseBenchArgs(std::vector<std::string>(argv + 1, argv + argc));
  if (!options.ok()) {
    std::fprintf(stderr, "ringkv-bench: %.*s\n",
                 static_cast<int>(options.status().message().size()),
                 options.status().message().data());
    return 2;
  }
  if (options->help) {
    std::fputs(BenchUsage().c_str(), stdout);
    return 0;
  }
  const bool tty = isatty(STDERR_FILENO);
  auto progress = [&](const Progress& p) {
    // On a terminal the line is rewritten in place; in a log, one line per second.
    std::fprintf(stderr, tty ? "\r%s\x1b[K" : "%s\n", FormatProgress(p).c_str());
    std::fflush(stderr);
  };
  absl::StatusOr<BenchResult> result =
      RunBench(*options, options->progress ? progress : std::function<void(const Progress&)>());
  if (tty && options->progress) std::fputs("\n", stderr);
  if (!result.ok()) {
    std::fprintf(stderr, "ringkv-bench: %.*s\n", static_cast<int>(result.status().message().size()),
                 result.status().message().data());
    return 1;
  }
  std::string out = options->json ? FormatJson(*options, *result) : FormatTable(*options, *result);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return result->total.errors == 0 ? 0 : 3;
}
