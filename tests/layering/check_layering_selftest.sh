#!/usr/bin/env bash
# Copyright 2026 the ringkv authors. Licensed under the Apache License, Version 2.0.
# Proves the layering check fails on a violation: builds a tiny fake tree in a temp directory
# with an engine/ file that includes a server/ header and one that includes liburing.
set -eu
checker=${1:?usage: check_layering_selftest.sh <check_layering.sh>}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/engine" "$tmp/protocol"
echo '#include "engine/ok.h"' >"$tmp/engine/ok.cc"
if ! "$checker" "$tmp" >/dev/null; then echo "clean tree was rejected"; exit 1; fi
echo '#include "server/config.h"' >"$tmp/engine/bad.cc"
if "$checker" "$tmp" >/dev/null; then echo "engine -> server include was not caught"; exit 1; fi
rm "$tmp/engine/bad.cc"
echo '  #  include <liburing.h>' >"$tmp/protocol/bad.h"
if "$checker" "$tmp" >/dev/null; then echo "protocol -> liburing include was not caught"; exit 1; fi
echo "layering selftest: ok"
