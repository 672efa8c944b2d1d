#!/usr/bin/env bash
# Bring your own certificates in the proof of concept's layout, with key types
# mixed along the chain: a P-384 root, an RSA-4096 intermediate, a P-384 leaf;
# CN-only subjects, and codeSigning with clientAuth, as the proof of concept's
# cosign leaf has them.
# Writes into the directory it is given, as the proof of concept's scripts do:
#   ca.crt  sub-ca.crt  leaf.crt  leaf.key  certificate_chain.pem
set -euo pipefail
out=${1:?usage: poc-p384-under-rsa.sh OUTPUT_DIR}
cd "$out"
umask 077

openssl ecparam -name secp384r1 -genkey -noout -out ca.key 2>/dev/null
openssl req -new -x509 -key ca.key -sha384 -days 3650 -subj "/CN=Example Corp P-384 Root CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.crt 2>/dev/null
# The CAs must predate the leaf: cosign checks the chain at the leaf's notBefore.
openssl genrsa -out sub-ca.key 4096 2>/dev/null
openssl req -new -key sub-ca.key -subj "/CN=Example Corp RSA-4096 Signing CA" -out sub-ca.csr 2>/dev/null
printf '[ext]\nbasicConstraints=critical,CA:true,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid:always\n' > sub-ca.ext
openssl x509 -req -in sub-ca.csr -CA ca.crt -CAkey ca.key -CAcreateserial -sha384 -days 1825 -extfile sub-ca.ext -extensions ext -out sub-ca.crt 2>/dev/null
openssl ecparam -name secp384r1 -genkey -noout -out leaf.ec 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in leaf.ec -out leaf.key
openssl req -new -key leaf.key -subj "/CN=release signer" -out leaf.csr 2>/dev/null
printf '[ext]\nbasicConstraints=critical,CA:false\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning,clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=email:release@example.com,URI:https://ci.example.com/release\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA sub-ca.crt -CAkey sub-ca.key -CAcreateserial -sha256 -days 30 -extfile leaf.ext -extensions ext -out leaf.crt 2>/dev/null
cat leaf.crt sub-ca.crt ca.crt > certificate_chain.pem
rm -f ca.key sub-ca.key leaf.ec ./*.csr ./*.ext ./*.srl
