#!/bin/sh
# RSASSA-PSS with SHA-512 by openssl. Salt length = digest length, as COSE requires.
set -eu
: "${SIGPROOF_SIGNING_KEY:?SIGPROOF_SIGNING_KEY must name the private key}"
exec openssl dgst -sha512 -sign "$SIGPROOF_SIGNING_KEY" \
  -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:digest
