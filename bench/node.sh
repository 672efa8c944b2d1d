#!/usr/bin/env bash
# The node scenarios with warm tools: wall time, then the node's boot time and
# the pod create -> Running time, read from the run's message stream.
#   bench/node.sh        (needs root, like the node scenarios)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
node toolchain/install.ts >/dev/null
start=$(date +%s.%N)
cucumber-js -p node --format summary >/dev/null 2>&1 || { echo "the node scenarios failed: rerun npx cucumber-js -p node to see why"; exit 1; }
end=$(date +%s.%N)
node --input-type=module -e '
  import { readFileSync } from "node:fs";
  import { summarizeMessages } from "./support/report/summary.ts";
  const s = summarizeMessages(readFileSync("reports/messages.ndjson", "utf8"));
  console.log(`node scenarios: ${(process.argv[2] - process.argv[1]).toFixed(1)} s wall, ${s.passed + s.failed + s.skipped} scenarios (${s.failed} failed), ${s.commands} external commands`);
' "$start" "$end"
node bench/node.ts reports/messages.ndjson
