#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
#
# The module boundaries of DESIGN.md, checked on every include line:
#   engine/ and protocol/ include nothing from server/ or client/, no liburing, no RocksDB;
#   engine/ includes nothing from protocol/ and protocol/ nothing from engine/;
#   client/ includes nothing from engine/ or server/.
# Usage: check_layering.sh <repo root>. Exit 1 and print each offending line on a violation.
set -u
root=${1:?usage: check_layering.sh <repo root>}
status=0
check() {  # check <dir> <forbidden include regex> <reason>
  local dir=$1 pattern=$2 reason=$3
  [ -d "$root/$dir" ] || return 0
  local hits
  hits=$(grep -rnE --include='*.h' --include='*.cc' \
    "^[[:space:]]*#[[:space:]]*include[[:space:]]*[<\"]($pattern)" "$root/$dir" || true)
  if [ -n "$hits" ]; then
    echo "layering violation ($reason):"
    echo "$hits"
    status=1
  fi
}
check engine 'server/|client/|protocol/|liburing|rocksdb/' "engine/ must not depend on server, client, protocol, liburing or RocksDB"
check protocol 'server/|client/|engine/|liburing|rocksdb/' "protocol/ must not depend on server, client, engine, liburing or RocksDB"
check client 'server/|engine/|liburing|rocksdb/' "client/ must not depend on server, engine, liburing or RocksDB"
[ $status -eq 0 ] && echo "layering: ok"
exit $status
