#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# Server-side user-space instructions per operation, counted by callgrind, for ringkv and
# redis-server: GET and SET, pipeline 1 and 16, 50 connections. Instruction counts do not depend
# on machine load, so this is the repeatable per-core figure. Kernel work (syscalls, TCP) is not
# counted; valgrind does not support io_uring, so ringkv runs its epoll backend here.
#
# Usage: bench/instructions.sh [build-dir] [requests]   (defaults: build, 200000)
set -euo pipefail
build=${1:-build}
requests=${2:-200000}
bench="$build/bench/ringkv_bench/ringkv-bench"
server_bin="$build/server/ringkv-server"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_ping() {
  for _ in $(seq 1 200); do
    redis-cli -p "$1" ping 2>/dev/null | grep -q PONG && return 0
    sleep 0.1
  done
  echo "server on $1 did not start" >&2
  return 1
}

# measure <name> <cell args...>: prints instructions per operation for one cell.
measure() {
  local name=$1 port pid out
  shift
  port=$(free_port)
  out="$work/$name.$RANDOM.cg"
  if [ "$name" = redis ]; then
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >/dev/null 2>&1 &
  else
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
      "$server_bin" --port "$port" --bind 127.0.0.1 --save "" --dir /tmp \
        --dbfilename ringkv-bench-no-snapshot --threads 1 --io-backend epoll \
      >/dev/null 2>&1 &
  fi
  pid=$!
  wait_ping "$port"
  # Keys for GET to hit; not counted.
  "$bench" --port "$port" --ratio 1:0 --distribution sequential --keyspace 10000 \
    --requests 10000 --pipeline 64 --no-progress >/dev/null
  callgrind_control -i on "$pid" >/dev/null 2>&1
  "$bench" --port "$port" --threads 1 --connections 50 --keyspace 10000 --requests "$requests" \
    --no-progress "$@" >/dev/null
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local total
  total=$(cat "$out"* | awk '/^summary:/ {s += $2} /^totals:/ {t += $2} END {print (s ? s : t)}')
  echo $(( total / requests ))
}

printf '| cell | redis instr/op | ringkv instr/op | ratio |\n|---|---|---|---|\n'
for cell in "get_p1:--ratio 0:1 --pipeline 1" "get_p16:--ratio 0:1 --pipeline 16" \
            "set_p1:--ratio 1:0 --pipeline 1" "set_p16:--ratio 1:0 --pipeline 16"; do
  name=${cell%%:*}
  args=${cell#*:}
  # shellcheck disable=SC2086
  r=$(measure redis $args)
  # shellcheck disable=SC2086
  k=$(measure ringkv $args)
  printf '| %s | %s | %s | %s |\n' "$name" "$r" "$k" \
    "$(awk -v a="$k" -v b="$r" 'BEGIN {printf "%.2f", a / b}')"
done
