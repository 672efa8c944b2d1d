#!/usr/bin/env bash
# sigproof's entry point on a fresh machine: npm packages (which bring Node 24),
# then scripts/test-command.ts, which installs the pinned tools and runs the suite.
#   scripts/sigproof.sh run  [cucumber-js args]   set up, run every scenario
#   scripts/sigproof.sh test [cucumber-js args]   the same plus unit tests and checks
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v npm >/dev/null; then
  echo "sigproof needs npm (Node.js >= 20) to bootstrap; install Node.js first" >&2
  exit 1
fi
# npm ci only when the lock file changed since the last install: a warm run skips it.
if [ ! -x node_modules/.bin/node ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
fi
export PATH="$PWD/node_modules/.bin:$PATH"
exec node scripts/test-command.ts "$@"
