import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ALGORITHMS_FILE, cosignDefaultFor, getAlgorithm, isCosignDefault, parseAlgorithms } from '../support/pki/algorithms.ts';
import { loadProfiles } from '../support/pki/profiles.ts';

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

test('an unknown algorithm lists the known ones', () => {
  assert.throws(() => getAlgorithm('dsa'), /unknown signing algorithm "dsa".*rsa-pkcs1-sha256/);
});
