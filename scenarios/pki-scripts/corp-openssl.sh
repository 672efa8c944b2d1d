#!/usr/bin/env bash
# An example of "bring your own certificates": a script that writes a PKI the
# way a corporate CA would, into the directory it is given:
#   root.pem  intermediates.pem  leaf.pem  leaf.key
# sigproof checks the files before any tool sees them. Here: EC P-256
# throughout, the leaf with keyUsage critical digitalSignature, codeSigning,
# and an email and a URI identity.
set -euo pipefail
out=${1:?usage: corp-openssl.sh OUTPUT_DIR}
cd "$out"
umask 077

ext() { printf '[ext]\n%s\n' "$@" > "$1.ext.tmp"; }

openssl ecparam -name prime256v1 -genkey -noout -out root.key 2>/dev/null
openssl req -new -x509 -key root.key -sha256 -days 3650 -subj "/C=FI/ST=Uusimaa/O=Example Corp/CN=Example Corp Root CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" -out root.pem 2>/dev/null
# The CAs must predate the leaf: cosign checks the chain at the leaf's notBefore.
openssl ecparam -name prime256v1 -genkey -noout -out intermediate.key 2>/dev/null
openssl req -new -key intermediate.key -subj "/C=FI/ST=Uusimaa/O=Example Corp/CN=Example Corp Signing CA" -out intermediate.csr 2>/dev/null
printf '[ext]\nbasicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > intermediate.ext
openssl x509 -req -in intermediate.csr -CA root.pem -CAkey root.key -CAcreateserial -sha256 -days 1825 -extfile intermediate.ext -extensions ext -out intermediates.pem 2>/dev/null
openssl ecparam -name prime256v1 -genkey -noout -out leaf.ec 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in leaf.ec -out leaf.key
openssl req -new -key leaf.key -subj "/C=FI/ST=Uusimaa/O=Example Corp/CN=release signer" -out leaf.csr 2>/dev/null
printf '[ext]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=email:release@example.com,URI:https://ci.example.com/release\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA intermediates.pem -CAkey intermediate.key -CAcreateserial -sha256 -days 30 -extfile leaf.ext -extensions ext -out leaf.pem 2>/dev/null
rm -f root.key intermediate.key leaf.ec ./*.csr ./*.ext ./*.srl
