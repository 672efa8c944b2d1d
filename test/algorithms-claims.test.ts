import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALGORITHMS_FILE, cosignDefaultFor, getAlgorithm, isCosignDefault, parseAlgorithms } from '../support/pki/algorithms.ts';
import { tamperBundleSignature } from '../support/bundles.ts';
import { parseClaimSigner } from '../support/claims.ts';
import { loadProfiles } from '../support/pki/pki.ts';
import { claimsTable } from '../support/report/summary.ts';
import { parseCosignVersion } from '../support/drivers/cosign.ts';

test('every algorithm names a PKI profile that exists', () => {
  const profiles = loadProfiles();
  for (const a of parseAlgorithms(readFileSync(ALGORITHMS_FILE, 'utf8')).values()) assert.ok(profiles.has(a.profile), `${a.name} -> ${a.profile}`);
});

test('the catalogue covers the issue: PKCS#1 v1.5 x3, PSS x2, ECDSA x5, Ed25519', () => {
  const names = [...parseAlgorithms(readFileSync(ALGORITHMS_FILE, 'utf8')).keys()];
  assert.equal(names.filter((n) => n.startsWith('rsa-pkcs1')).length, 3);
  assert.equal(names.filter((n) => n.startsWith('rsa-pss')).length, 2);
  assert.equal(names.filter((n) => n.startsWith('ecdsa')).length, 5);
  assert.ok(names.includes('ed25519'));
});

test('cosign sign picks PKCS#1 v1.5 SHA-256 for RSA and the curve digest for ECDSA', () => {
  assert.deepEqual(cosignDefaultFor('rsa-4096'), { padding: 'pkcs1', digest: 'sha256' });
  assert.deepEqual(cosignDefaultFor('ec-p384'), { digest: 'sha384' });
  assert.equal(isCosignDefault(getAlgorithm('ecdsa-p384-sha384'), 'ec-p384'), true);
  assert.equal(isCosignDefault(getAlgorithm('ecdsa-p384-sha256'), 'ec-p384'), false);
  assert.equal(isCosignDefault(getAlgorithm('rsa-pss-sha256'), 'rsa-2048'), false);
  assert.equal(isCosignDefault(getAlgorithm('rsa-pkcs1-sha256'), 'rsa-2048'), true);
});

test('a bad digest in the catalogue names the file and the algorithm', () => {
  assert.throws(() => parseAlgorithms('x:\n  profile: p\n  digest: md5\n', 'a.yaml'), /a\.yaml: algorithm "x": digest must be one of sha256, sha384, sha512, none/);
});

test('unknown names list the known ones', () => {
  assert.throws(() => getAlgorithm('dsa'), /unknown signing algorithm "dsa".*rsa-pkcs1-sha256/);
  assert.throws(() => parseClaimSigner('gpg'), /unknown signer "gpg" for the claims. Known: cosign v2 attach, cosign v3 sign, notation/);
  assert.throws(() => parseCosignVersion('v1'), /unknown cosign version "v1". Known: v2, v3/);
});

test('tampering flips exactly one bit of the DSSE signature and leaves the original alone', () => {
  const sig = Buffer.alloc(64, 7).toString('base64');
  const bundle = { dsseEnvelope: { signatures: [{ sig }] } };
  const tampered = tamperBundleSignature(bundle) as typeof bundle;
  const a = Buffer.from(sig, 'base64');
  const b = Buffer.from(tampered.dsseEnvelope.signatures[0]?.sig ?? '', 'base64');
  assert.equal(bundle.dsseEnvelope.signatures[0]?.sig, sig);
  assert.equal(a.length, b.length);
  assert.equal([...a].filter((x, i) => x !== b[i]).length, 1);
  assert.throws(() => tamperBundleSignature({}), /no DSSE signature/);
});

test('the claims table puts algorithms in catalogue order and escapes pipes', () => {
  const table = claimsTable([
    { kind: 'claim', signer: 'notation', algorithm: 'b', label: 'B', verdict: 'refused at signing', reason: 'x | y' },
    { kind: 'claim', signer: 'notation', algorithm: 'a', label: 'A', verdict: 'verified', reason: 'ok' },
  ], ['a', 'b']);
  assert.deepEqual(table.trim().split('\n').slice(2), ['| A | verified |', '| B | refused at signing: x \\| y |']);
});
