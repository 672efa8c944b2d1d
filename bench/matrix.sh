#!/usr/bin/env bash
# The proof of concept's matrix with pods running: the combined flows on a real
# node (node-combined.feature: Kyverno both forms, then CRI-O or containerd)
# plus the four runtime cases on CRI-O and containerd, with warm tools; once
# serially, then once per worker count (default: the default, 2), each from a
# fresh process (so every boot is counted). Prints the figures of bench/matrix.ts.
#   bench/matrix.sh [workers ...]     e.g. bench/matrix.sh 1 2 3   (needs root, like the node scenarios)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
node toolchain/install.ts >/dev/null
out=$(mktemp -d /tmp/sigproof-bench-matrix.XXXXXX)
trap 'rm -rf "$out"' EXIT
subset=(features/node-combined.feature features/runtime-crio.feature features/runtime-containerd.feature --name "Kyverno, then|the four cases")
run() {
  local name=$1; shift
  local start end
  start=$(date +%s.%N)
  cucumber-js "$@" "${subset[@]}" --format "message:$out/$name.ndjson" >/dev/null 2>&1 || echo "some scenarios of the $name run failed (see bench output; rerun npx cucumber-js ${subset[*]})"
  end=$(date +%s.%N)
  echo "$start $end" > "$out/$name.wall"
}
run serial -p serial
for n in "${@:-2}"; do
  SIGPROOF_PARALLEL=$n run "parallel-$n"
done
node bench/matrix.ts "$out"
