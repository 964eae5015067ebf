#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# User-space instructions per EVALSHA call, ringkv (one worker) and redis-server, under callgrind:
# (instructions after N calls - instructions after none) / N, so start-up and shutdown cancel
# out. The script is a typical small one: INCR a key, SET another on even values.
# Usage: bench/scripting/evalsha_instructions.sh [ringkv-server binary] [N]
# Loopback only; each server is started on its own port and shut down at the end.
set -euo pipefail
BIN=${1:-build/server/ringkv-server}
N=${2:-5000}
SCRIPT="local v = redis.call('incr', KEYS[1]) if v % 2 == 0 then redis.call('set', KEYS[2], v) end return v"

measure() {  # port calls command...
  local port=$1 calls=$2
  shift 2
  local dir
  dir=$(mktemp -d)
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$@" --dir "$dir" >/dev/null 2>&1 &
  local pid=$!
  for _ in $(seq 150); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.2; done
  local sha
  sha=$(redis-cli -p "$port" script load "$SCRIPT")
  if [ "$calls" -gt 0 ]; then
    redis-benchmark -p "$port" -n "$calls" -c 1 -P 16 -q evalsha "$sha" 2 counter:__rand_int__ last \
      >/dev/null 2>&1
  fi
  redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
  wait "$pid" || true
  awk '/^(summary|totals):/ {print $2; exit}' "$dir/cg.out"
  rm -rf "$dir"
}

for who in ringkv redis; do
  if [ "$who" = ringkv ]; then
    cmd=("$BIN" --port 7611 --bind 127.0.0.1 --threads 1 --save "")
    port=7611
  else
    cmd=(redis-server --port 7612 --bind 127.0.0.1 --save "" --appendonly no)
    port=7612
  fi
  base=$(measure "$port" 0 "${cmd[@]}")
  total=$(measure "$port" "$N" "${cmd[@]}")
  echo "$who: $(( (total - base) / N )) instructions per EVALSHA call"
done
