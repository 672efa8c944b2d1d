#!/bin/sh
# Stands in for a locally patched cosign (the original's COSIGN_BIN): the pinned
# cosign v3 with a marker in its version output, so the reports can show which
# binary ran. Point SIGPROOF_TOOL_COSIGN3 (or a scenario's override) at your own.
real="$(cd "$(dirname "$0")/../.." && pwd)/.tools/bin/cosign3"
if [ "${1:-}" = version ]; then
  "$real" version
  echo "sigproof example patch: scenarios/tool-overrides/cosign-patched.sh"
  exit 0
fi
exec "$real" "$@"
