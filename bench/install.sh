#!/usr/bin/env bash
# Measures the toolchain install: cold (empty tool and Go caches, so every module
# is downloaded from the Go module proxy and built) and warm (a no-op run).
# The cold run uses a throw-away cache, so the real one is not disturbed.
#   bench/install.sh                  cold + warm, every tool
#   bench/install.sh --warm           warm only
#   bench/install.sh crictl cri-o     cold + warm, just those tools
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

warm_only=no
if [ "${1:-}" = "--warm" ]; then warm_only=yes; shift; fi
tools=("$@")

if [ "$warm_only" = no ]; then
  cold_cache=$(mktemp -d /tmp/sigproof-bench-cache-XXXXXX)
  # Go marks module files read-only; chmod first so the scratch cache can be removed.
  trap 'chmod -R u+w "$cold_cache" 2>/dev/null; rm -rf "$cold_cache"; node toolchain/install.ts >/dev/null' EXIT
  t0=$(now)
  SIGPROOF_CACHE="$cold_cache" node toolchain/install.ts "${tools[@]}"
  t1=$(now)
  echo "cold install (empty Go module and build caches): $(secs "$t0" "$t1") s"
  # The cold run re-pointed .tools/bin into the scratch cache; point it back.
  node toolchain/install.ts >/dev/null
fi

t0=$(now)
node toolchain/install.ts "${tools[@]}"
t1=$(now)
echo "warm install (everything at its pin): $(secs "$t0" "$t1") s"
