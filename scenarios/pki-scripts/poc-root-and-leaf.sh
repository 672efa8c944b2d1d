#!/usr/bin/env bash
# Bring your own certificates in the proof of concept's layout, as its notation
# PKI is: a root and a leaf, no intermediate (so no sub-ca.crt), with CN-only
# subjects. EC P-256.
#   ca.crt  leaf.crt  leaf.key  certificate_chain.pem
set -euo pipefail
out=${1:?usage: poc-root-and-leaf.sh OUTPUT_DIR}
cd "$out"
umask 077

openssl ecparam -name prime256v1 -genkey -noout -out ca.key 2>/dev/null
openssl req -new -x509 -key ca.key -sha256 -days 3650 -subj "/CN=Example Corp Root CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out leaf.ec 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in leaf.ec -out leaf.key
openssl req -new -key leaf.key -subj "/CN=release signer" -out leaf.csr 2>/dev/null
printf '[ext]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=email:release@example.com,URI:https://ci.example.com/release\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days 30 -extfile leaf.ext -extensions ext -out leaf.crt 2>/dev/null
cat leaf.crt ca.crt > certificate_chain.pem
rm -f ca.key leaf.ec ./*.csr ./*.ext ./*.srl
