#!/usr/bin/env bash
# Installs every build and test dependency of ringkv from Debian 12 packages.
# Idempotent: packages already present are skipped, and nothing runs apt-get when all are there.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  liburing-dev libabsl-dev libxxhash-dev librocksdb-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libedit-dev libjemalloc-dev
  liblua5.1-0-dev lua-cjson-dev lua-bitop-dev
  clang clang-format libclang-rt-14-dev
  redis-server redis-tools
  python3 python3-redis python3-pytest
  procps gnuplot-nox valgrind
  libhiredis-dev libssl-dev
  nutcracker
)
# The Node.js client suites (tests/compat/node) need node and npm: the machine's own if it has
# them, else Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed'; then
    missing+=("$p")
  fi
done

# ioredis and node-redis, at the versions package-lock.json pins, for tests/compat/node.
install_node_modules() {
  local dir
  dir="$(dirname "$0")/../tests/compat/node"
  if [ -f "$dir/package-lock.json" ] && { [ ! -d "$dir/node_modules" ] ||
       [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; }; then
    echo "install-deps: npm ci in tests/compat/node"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
}

if [ ${#missing[@]} -eq 0 ]; then
  install_node_modules
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi

# Debian's redis-server package starts a system service on port 6379 when it is installed; that
# would collide with `make run`. Deny service starts for the duration of the install only.
policy=/usr/sbin/policy-rc.d
added_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
  $sudo chmod +x "$policy"
  added_policy=1
fi
cleanup() { if [ "$added_policy" = 1 ]; then $sudo rm -f "$policy"; fi; }
trap cleanup EXIT

export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q
$sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
install_node_modules
