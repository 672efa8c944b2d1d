#!/bin/sh
# A signer whose backend is down, like an HSM that does not answer.
cat >/dev/null
echo "signing service unavailable: connection refused (hsm.corp.example:1792)" >&2
exit 1
