#!/bin/sh
# A broken signer: 512 random bytes, which verify against nothing.
exec head -c 512 /dev/urandom
