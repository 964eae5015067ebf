#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# What cluster mode costs per command: server-side user-space instructions per GET and SET
# (pipeline 1 and 16, 50 connections), counted by callgrind, for ringkv and redis-server each
# with cluster-enabled no and yes (one node owning all 16384 slots, so every command is routed
# and served locally). Instruction counts do not depend on machine load. Kernel work is not
# counted; valgrind does not support io_uring, so ringkv runs its epoll backend.
#
# Usage: bench/cluster/routing_instructions.sh [build-dir] [requests] [cell]
#   (defaults: build, 100000, every cell; a cell is e.g. "SET P1")
set -euo pipefail
build=${1:-build}
requests=${2:-100000}
only=${3:-}
bench="$build/bench/ringkv_bench/ringkv-bench"
server_bin="$build/server/ringkv-server"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Cluster mode needs a port whose bus port (+10000) exists.
free_port() {
  /usr/bin/python3 -c '
import random, socket
while True:
    p = random.randint(20000, 55000)
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()'
}

wait_ok() {
  for _ in $(seq 1 300); do
    if redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; then
      if [ "$2" = no ] || redis-cli -p "$1" cluster info 2>/dev/null | grep -q cluster_state:ok; then
        return 0
      fi
    fi
    sleep 0.1
  done
  echo "server on $1 did not start" >&2
  return 1
}

# measure <server> <cluster yes|no> <ringkv-bench args...>: instructions per operation.
measure() {
  local name=$1 cluster=$2 port pid out dir
  shift 2
  port=$(free_port)
  dir=$(mktemp -d -p "$work")
  out="$work/$name.$cluster.$RANDOM.cg"
  if [ "$name" = redis ]; then
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
      redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" \
        --cluster-enabled "$cluster" >/dev/null 2>&1 &
    pid=$!
    if [ "$cluster" = yes ]; then
      # Under valgrind the server takes a while to accept connections.
      for _ in $(seq 1 600); do
        redis-cli -p "$port" cluster addslotsrange 0 16383 2>/dev/null | grep -q OK && break
        sleep 0.1
      done
    fi
  else
    valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out" \
      "$server_bin" --port "$port" --bind 127.0.0.1 --save "" --dir "$dir" \
        --threads 1 --io-backend epoll --cluster-enabled "$cluster" >/dev/null 2>&1 &
    pid=$!
  fi
  wait_ok "$port" "$cluster"
  "$bench" --port "$port" --ratio 1:0 --distribution sequential --keyspace 10000 \
    --requests 10000 --pipeline 64 --no-progress >/dev/null
  callgrind_control -i on "$pid" >/dev/null 2>&1
  "$bench" --port "$port" --threads 1 --connections 50 --keyspace 10000 --requests "$requests" \
    --no-progress "$@" >/dev/null
  callgrind_control -i off "$pid" >/dev/null 2>&1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  local total
  total=$(cat "$out"* | awk '/^summary:/ {s += $2} /^totals:/ {t += $2} END {printf "%.0f", (s ? s : t)}')
  echo $(( total / requests ))
}

printf '| cell | redis | redis cluster | ringkv | ringkv cluster | ringkv cluster / redis cluster |\n'
printf '|---|---|---|---|---|---|\n'
for cell in "GET P1:--ratio 0:1 --pipeline 1" "GET P16:--ratio 0:1 --pipeline 16" \
            "SET P1:--ratio 1:0 --pipeline 1" "SET P16:--ratio 1:0 --pipeline 16"; do
  name=${cell%%:*}
  if [ -n "$only" ] && [ "$name" != "$only" ]; then continue; fi
  read -r -a args <<<"${cell#*:}"
  r=$(measure redis no "${args[@]}")
  rc=$(measure redis yes "${args[@]}")
  k=$(measure ringkv no "${args[@]}")
  kc=$(measure ringkv yes "${args[@]}")
  ratio=$(awk -v a="$kc" -v b="$rc" 'BEGIN { printf "%.2f", a / b }')
  printf '| %s | %s | %s | %s | %s | %s |\n' "$name" "$r" "$rc" "$k" "$kc" "$ratio"
done
