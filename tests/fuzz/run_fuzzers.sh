#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Runs every fuzz target (protocol parsers, stream and packed-hash snapshot decoders) for a fixed time. Usage:
#   tests/fuzz/run_fuzzers.sh <build-dir> <seconds-per-target> [extra libFuzzer flags...]
# The build dir must be configured with -DRINGKV_FUZZ=ON (see tests/fuzz/CMakeLists.txt); the
# targets are built if missing. Inputs found while fuzzing go to a scratch corpus under
# <build-dir>/fuzz-work/<target>/ (the committed seed corpus is only read). A crash leaves
# <build-dir>/fuzz-work/<target>/crash-* and makes the script exit non-zero: copy that file into
# tests/fuzz/corpus/<target>/ so every build replays it (tests/protocol/fuzz_corpus_test).
set -euo pipefail

if [[ $# -lt 2 ]]; then
  echo "usage: $0 <build-dir> <seconds-per-target> [libFuzzer flags...]" >&2
  exit 2
fi
build_dir=$(cd "$1" && pwd)
seconds=$2
shift 2
src_dir=$(cd "$(dirname "$0")" && pwd)
targets=(request_parser_fuzz reply_parser_fuzz stream_decode_fuzz hash_packed_fuzz)

cmake --build "$build_dir" --target "${targets[@]}"

status=0
for target in "${targets[@]}"; do
  name=${target%_fuzz}
  work="$build_dir/fuzz-work/$target"
  mkdir -p "$work/corpus"
  bin=$(find "$build_dir" -type f -name "$target" -perm -u+x | head -n 1)
  if [[ -z "$bin" ]]; then
    echo "run_fuzzers: $target not found in $build_dir (configure with -DRINGKV_FUZZ=ON)" >&2
    exit 2
  fi
  echo "== $target for ${seconds}s"
  if ! "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=4096 \
      -print_final_stats=1 -artifact_prefix="$work/" "$@" \
      "$work/corpus" "$src_dir/corpus/$name" >"$work/log.txt" 2>&1; then
    echo "run_fuzzers: $target FAILED; see $work/log.txt and $work/crash-*" >&2
    tail -n 30 "$work/log.txt" >&2
    status=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$work/log.txt" | tail -n 2
  fi
done
exit $status
