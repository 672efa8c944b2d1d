#!/usr/bin/env bash
# Wall time of the Notation + oras scenarios with the tools warm, plus the
# number of scenarios and external commands, read from the message stream.
#   bench/suite.sh [runs] [tag expression]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH="$PWD/node_modules/.bin:$PATH"
runs=${1:-3}
tags=${2:-@notation or @oras}
node toolchain/install.ts >/dev/null
for i in $(seq 1 "$runs"); do
  start=$(date +%s.%N)
  cucumber-js --tags "$tags" --format summary >/dev/null 2>&1 || { echo "run $i failed: rerun npx cucumber-js --tags \"$tags\" to see why"; exit 1; }
  end=$(date +%s.%N)
  node --input-type=module -e '
    import { readFileSync } from "node:fs";
    import { summarizeMessages } from "./support/report/summary.ts";
    const s = summarizeMessages(readFileSync("reports/messages.ndjson", "utf8"));
    console.log(`run ${process.argv[1]}: ${(process.argv[3] - process.argv[2]).toFixed(1)} s wall, ${s.passed + s.failed + s.skipped} scenarios (${s.failed} failed), ${s.commands} external commands`);
  ' "$i" "$start" "$end"
done
