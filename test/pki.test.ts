import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { leafValidity, notationAlgorithmFor } from '../support/pki/pki.ts';
import { PKI_PROFILES_FILE, getProfile, parseProfiles } from '../support/pki/profiles.ts';

test('the shipped catalogue parses, and corp-rsa-pss is an RSA-4096 leaf', () => {
  const profiles = parseProfiles(readFileSync(PKI_PROFILES_FILE, 'utf8'));
  assert.equal(profiles.get('corp-rsa-pss')?.key, 'rsa-4096');
  assert.equal(profiles.get('corp-rsa-pss-expired')?.issuedBy, 'corp-rsa-pss');
});

test('an unknown profile lists the known ones', () => {
  assert.throws(
    () => getProfile('corp-dsa'),
    (err: Error) => /unknown PKI profile "corp-dsa"/.test(err.message) && /corp-rsa-pss, /.test(err.message),
  );
});

const base = 'p:\n  key: rsa-2048\n  organization: O\n  email: a@b.c\n  uri: https://x\n';

test('a bad key type names the file, the profile and the allowed values', () => {
  assert.throws(() => parseProfiles(base.replace('rsa-2048', 'rsa-1024'), 'f.yaml'), /f\.yaml: profile "p": key is "rsa-1024", expected one of rsa-2048, rsa-3072/);
});

test('unknown fields are refused, not ignored', () => {
  assert.throws(() => parseProfiles(`${base}  colour: red\n`, 'f.yaml'), /unknown field\(s\) colour/);
});

test('issuedBy must name a profile with its own CA', () => {
  assert.throws(() => parseProfiles(`${base}  issuedBy: nope\n`, 'f.yaml'), /issuedBy "nope" is not a profile/);
});

test('PSS certificate signatures need an RSA CA key', () => {
  assert.throws(() => parseProfiles(`${base.replace('rsa-2048', 'ec-p256')}  certPadding: pss\n`, 'f.yaml'), /needs an RSA caKey/);
});

test('YAML syntax errors name the file', () => {
  assert.throws(() => parseProfiles('p: [unclosed', 'f.yaml'), /f\.yaml: not valid YAML/);
});

test('notation derives the algorithm from the key size', () => {
  assert.equal(notationAlgorithmFor('rsa-4096'), 'RSASSA-PSS-SHA-512');
  assert.equal(notationAlgorithmFor('ec-p384'), 'ECDSA-SHA-384');
  assert.equal(notationAlgorithmFor('ed25519'), 'none (notation has no Ed25519 key spec)');
});

test('validity windows: expired ends before now, not-yet-valid starts after now', () => {
  const now = new Date('2026-01-01T00:00:00Z');
  assert.ok(leafValidity('expired', now).notAfter < now);
  assert.ok(leafValidity('not-yet-valid', now).notBefore > now);
  const valid = leafValidity('valid', now);
  assert.ok(valid.notBefore < now && valid.notAfter > now);
  // Short-lived: valid now, expired within the half minute a scenario waits.
  const short = leafValidity('short-lived', now);
  assert.ok(short.notBefore < now && short.notAfter > now && short.notAfter.getTime() - now.getTime() <= 30_000);
});

test("a profile's leaf options break one rule on purpose, and unknown ones are refused", () => {
  const base = 'x:\n  key: ec-p256\n  organization: O\n  email: a@b.c\n  uri: https://b.c\n';
  assert.deepEqual(parseProfiles(`${base}  leaf: {extendedKeyUsage: none, subject: cn-only}\n`, 'p.yaml').get('x')?.leaf, { keyUsage: undefined, extendedKeyUsage: 'none', subject: 'cn-only', san: undefined });
  assert.throws(() => parseProfiles(`${base}  leaf: {eku: none}\n`, 'p.yaml'), /p\.yaml: profile "x": leaf: unknown field\(s\) eku; known: keyUsage, extendedKeyUsage, subject, san/);
  assert.throws(() => parseProfiles(`${base}  leaf: {san: some}\n`, 'p.yaml'), /leaf\.san is "some", expected one of none/);
});
