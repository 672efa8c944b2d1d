#!/usr/bin/env bash
# A broken "bring your own" script, for the bad-input scenario: the PKI of
# corp-openssl.sh, but leaf.key is another key than the one in leaf.pem.
set -euo pipefail
out=${1:?usage: corp-openssl-wrong-key.sh OUTPUT_DIR}
"$(dirname "$0")/corp-openssl.sh" "$out"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/leaf.key" 2>/dev/null
