#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Runs every micro-benchmark of a Release build, pinned to one core, and writes JSON results
# into results/micro/. Usage: bench/run_micro.sh <build-dir> [extra Google Benchmark flags]
# Example: bench/run_micro.sh build --benchmark_filter=Parse --benchmark_repetitions=5
set -euo pipefail
build=${1:?usage: run_micro.sh <build-dir> [flags]}
shift
cpu=${RINGKV_BENCH_CPU:-1}
out=results/micro
mkdir -p "$out"
for bin in "$build"/bench/micro/*_bench; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin")
  echo "== $name (cpu $cpu)"
  taskset -c "$cpu" "$bin" --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@"
done
