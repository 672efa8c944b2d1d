import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { scriptOutput, validateByoPki } from '../support/pki/byo-pki.ts';
import { parseProfiles } from '../support/pki/profiles.ts';

let dir = '';
const files = () => ({ root: join(dir, 'root.pem'), intermediates: join(dir, 'intermediates.pem'), leafCert: join(dir, 'leaf.pem'), leafKey: join(dir, 'leaf.key') });

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigproof-byo-'));
  execFileSync('scenarios/pki-scripts/corp-openssl.sh', [dir]);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('files written by your own CA are read for what the scenarios need', async () => {
  const { facts, breaches } = await validateByoPki(files());
  assert.deepEqual(breaches, []);
  assert.deepEqual(facts, { key: 'ec-p256', organization: 'Example Corp', email: 'release@example.com', uri: 'https://ci.example.com/release', subject: 'C=FI, ST=Uusimaa, O=Example Corp, CN=release signer' });
});

test('a chain that does not verify names the certificate', async () => {
  await assert.rejects(validateByoPki({ ...files(), intermediates: files().leafCert }), /leaf\.pem: the chain does not verify: "C=FI, ST=Uusimaa, O=Example Corp, CN=release signer" is not signed by "C=FI, ST=Uusimaa, O=Example Corp, CN=release signer"/);
  await assert.rejects(validateByoPki({ ...files(), root: files().intermediates }), /the chain does not verify/);
});

test('a key that is not the leaf key is refused', async () => {
  const other = join(dir, 'other.key');
  execFileSync('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', other]);
  await assert.rejects(validateByoPki({ ...files(), leafKey: other }), /other\.key: the key does not match the leaf certificate/);
});

/** A root and a leaf it signs with the given extensions (the root doubles as the intermediate). */
function leafWith(d: string, ext: string, leafKeyGen = 'openssl ecparam -name prime256v1 -genkey -noout -out leaf.key'): ReturnType<typeof files> {
  execFileSync('bash', [
    '-c',
    `set -e; cd ${d}
    openssl ecparam -name prime256v1 -genkey -noout -out root.key
    openssl req -new -x509 -key root.key -days 30 -subj "/C=FI/ST=U/O=X/CN=root" -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign" -out root.pem 2>/dev/null
    ${leafKeyGen}
    openssl req -new -key leaf.key -subj "/C=FI/ST=U/O=X/CN=leaf" -out leaf.csr 2>/dev/null
    printf '[ext]\\n${ext}\\nsubjectAltName=email:a@example.com\\n' > leaf.ext
    openssl x509 -req -in leaf.csr -CA root.pem -CAkey root.key -CAcreateserial -days 10 -extfile leaf.ext -extensions ext -out leaf.pem 2>/dev/null`,
  ]);
  return { root: join(d, 'root.pem'), intermediates: join(d, 'root.pem'), leafCert: join(d, 'leaf.pem'), leafKey: join(d, 'leaf.key') };
}

test('a leaf that breaks a rule some verifiers need is described, not refused', async () => {
  const cases: [string, string[], RegExp?][] = [
    ['keyUsage=digitalSignature\\nextendedKeyUsage=codeSigning', ['key-usage'], /keyUsage must be critical and hold only digitalSignature; it is not critical, Digital Signature/],
    ['keyUsage=critical,digitalSignature\\nextendedKeyUsage=serverAuth', ['eku-code-signing', 'eku-forbidden'], /the extendedKeyUsage lacks codeSigning/],
    ['keyUsage=critical,digitalSignature\\nextendedKeyUsage=codeSigning,clientAuth', ['eku-forbidden'], /leaf\.pem: the extendedKeyUsage holds clientAuth$/],
    ['keyUsage=critical,digitalSignature\\nextendedKeyUsage=codeSigning', []],
    // No extended key usage at all: every verifier takes it (pki-rules.feature).
    ['keyUsage=critical,digitalSignature', []],
  ];
  for (const [ext, rules, problem] of cases) {
    const d = mkdtempSync(join(tmpdir(), 'sigproof-byo-bad-'));
    try {
      const { breaches } = await validateByoPki(leafWith(d, ext));
      assert.deepEqual(
        breaches.map((b) => b.rule),
        rules,
        ext,
      );
      if (problem) assert.match(breaches[0]?.problem ?? '', problem, ext);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }
});

test('a files profile resolves paths next to the catalogue and refuses generated-only fields', () => {
  const profiles = parseProfiles('mine:\n  files: {root: ca/root.pem, intermediates: ca/int.pem, leafCert: leaf.pem, leafKey: leaf.key}\n', '/etc/sigproof/pki.yaml');
  assert.deepEqual(profiles.get('mine')?.byo?.files, { root: '/etc/sigproof/ca/root.pem', intermediates: '/etc/sigproof/ca/int.pem', leafCert: '/etc/sigproof/leaf.pem', leafKey: '/etc/sigproof/leaf.key' });
  assert.throws(() => parseProfiles('mine:\n  files: {root: r}\n', 'p.yaml'), /p\.yaml: profile "mine": files lacks leafCert, leafKey/);
  // A PKI of root and leaf: no intermediates.
  assert.deepEqual(parseProfiles('mine:\n  files: {root: r.pem, leafCert: l.pem, leafKey: l.key}\n', '/p/p.yaml').get('mine')?.byo?.files, { root: '/p/r.pem', leafCert: '/p/l.pem', leafKey: '/p/l.key' });
  assert.throws(() => parseProfiles('mine:\n  script: s.sh\n  key: ec-p256\n', 'p.yaml'), /key describe a generated PKI; a profile with files or script takes them from the leaf certificate/);
  assert.throws(() => parseProfiles('mine:\n  script: s.sh\n  files: {}\n', 'p.yaml'), /give files or script, not both/);
});

test('a leaf key of a type the signers lack names the supported ones', async () => {
  const ext = 'keyUsage=critical,digitalSignature\\nextendedKeyUsage=codeSigning';
  const cases: [string, RegExp][] = [
    ['openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out leaf.key', /leaf\.pem: an RSA-1024 leaf key is not one the signers support \(2048, 3072 or 4096 bits\)$/],
    ['openssl ecparam -name secp256k1 -genkey -noout -out leaf.key', /leaf\.pem: the EC curve secp256k1 is not one the signers support \(P-256, P-384, P-521\)$/],
  ];
  for (const [keyGen, expected] of cases) {
    const d = mkdtempSync(join(tmpdir(), 'sigproof-byo-key-'));
    try {
      await assert.rejects(validateByoPki(leafWith(d, ext, keyGen)), expected, keyGen);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }
});

test("the proof of concept's layouts: a root and a leaf with no intermediate, and key types mixed along the chain, pass the checks", async () => {
  const rootAndLeaf = mkdtempSync(join(tmpdir(), 'sigproof-byo-poc-'));
  const mixed = mkdtempSync(join(tmpdir(), 'sigproof-byo-poc-'));
  try {
    execFileSync('scenarios/pki-scripts/poc-root-and-leaf.sh', [rootAndLeaf]);
    const { facts, breaches } = await validateByoPki({ root: join(rootAndLeaf, 'ca.crt'), leafCert: join(rootAndLeaf, 'leaf.crt'), leafKey: join(rootAndLeaf, 'leaf.key') });
    assert.equal(facts.key, 'ec-p256');
    // CN-only subjects, as the proof of concept's: only a notation trust policy that names the leaf's x509.subject needs more.
    assert.deepEqual(
      breaches.map((b) => b.rule),
      ['subject-c-st-o'],
    );
    execFileSync('scenarios/pki-scripts/poc-p384-under-rsa.sh', [mixed]);
    const p384 = await validateByoPki({ root: join(mixed, 'ca.crt'), intermediates: join(mixed, 'sub-ca.crt'), leafCert: join(mixed, 'leaf.crt'), leafKey: join(mixed, 'leaf.key') });
    assert.equal(p384.facts.key, 'ec-p384');
    // The proof of concept's cosign leaf: clientAuth beside codeSigning, which only notation refuses.
    assert.deepEqual(
      p384.breaches.map((b) => b.rule),
      ['eku-forbidden', 'subject-c-st-o'],
    );
  } finally {
    rmSync(rootAndLeaf, { recursive: true, force: true });
    rmSync(mixed, { recursive: true, force: true });
  }
});

test("a script's output is read in sigproof's layout or the proof of concept's, whose certificate_chain.pem must start with the leaf and hold only the PKI's certificates", () => {
  const d = mkdtempSync(join(tmpdir(), 'sigproof-byo-layout-'));
  try {
    execFileSync('scenarios/pki-scripts/poc-p384-under-rsa.sh', [d]);
    assert.deepEqual(scriptOutput('p', 's.sh', d), { root: join(d, 'ca.crt'), intermediates: join(d, 'sub-ca.crt'), leafCert: join(d, 'leaf.crt'), leafKey: join(d, 'leaf.key') });
    execFileSync('bash', ['-c', `cd ${d} && cat sub-ca.crt leaf.crt > certificate_chain.pem`]);
    assert.throws(() => scriptOutput('p', 's.sh', d), /certificate_chain\.pem: the first certificate is not the leaf of leaf\.crt/);
    execFileSync('bash', ['-c', `cd ${d} && cat leaf.crt ${join(dir, 'root.pem')} > certificate_chain.pem`]);
    assert.throws(() => scriptOutput('p', 's.sh', d), /certificate_chain\.pem: certificate 2 is none of ca\.crt, sub-ca\.crt and leaf\.crt/);
    rmSync(join(d, 'certificate_chain.pem'));
    assert.throws(() => scriptOutput('p', 's.sh', d), /certificate_chain\.pem: no such file/);
    rmSync(join(d, 'ca.crt'));
    assert.throws(() => scriptOutput('p', 's.sh', d), /the script s\.sh did not write root\.pem, intermediates\.pem, leaf\.pem into the directory it was given \(write root\.pem, intermediates\.pem, leaf\.pem and leaf\.key, or ca\.crt, sub-ca\.crt, leaf\.crt, leaf\.key and certificate_chain\.pem\)/);
  } finally {
    rmSync(d, { recursive: true, force: true });
  }
});
