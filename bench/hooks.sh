#!/usr/bin/env bash
# The OCI hook's cost with warm tools: the claim's scenarios (10 pods each way
# per runtime), one scenario at a time, RUNS times (default 1), then the
# min / median / max of every sample across the runs.
#   bench/hooks.sh [RUNS]      (needs root, like the node scenarios)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
runs=${1:-1}
node toolchain/install.ts >/dev/null
out=$(mktemp -d /tmp/sigproof-bench-hooks.XXXXXX)
trap 'rm -rf "$out"' EXIT
for i in $(seq 1 "$runs"); do
  echo "run $i of $runs"
  cucumber-js -p serial --name "the OCI hook's cost on" --format "message:$out/run-$i.ndjson" >/dev/null 2>&1 || { echo "the cost scenarios failed: rerun npx cucumber-js -p serial --name \"the OCI hook's cost on\" to see why"; exit 1; }
done
node bench/hooks.ts "$out"/run-*.ndjson
