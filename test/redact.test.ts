import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyLineHashes, redact, scanForKeyMaterial, secretFingerprint } from '../support/lib/redact.ts';

// Assembled at run time, so this fixture is not itself a key block in the repository.
const PEM = (label: string, kind: 'BEGIN' | 'END') => `-----${kind} ${label}-----`;
const KEY = [PEM('PRIVATE KEY', 'BEGIN'), 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7', PEM('PRIVATE KEY', 'END')].join('\n');

test('PEM private keys are blanked out of recorded output', () => {
  const out = redact(`before\n${KEY}\nafter`);
  assert.equal(out, 'before\n[redacted private key]\nafter');
});

test('EC and encrypted key headers are blanked too', () => {
  assert.equal(redact(`${PEM('EC PRIVATE KEY', 'BEGIN')}\nabc\n${PEM('EC PRIVATE KEY', 'END')}`), '[redacted private key]');
  assert.equal(redact(`${PEM('ENCRYPTED PRIVATE KEY', 'BEGIN')}\nabc\n${PEM('ENCRYPTED PRIVATE KEY', 'END')}`), '[redacted private key]');
});

test('a truncated key block is still blanked to the end', () => {
  assert.equal(redact(`x ${PEM('RSA PRIVATE KEY', 'BEGIN')}\nMIIE`), 'x [redacted private key]');
});

test('named secrets are blanked, short strings are left alone', () => {
  assert.equal(redact('password=hunter2hunter2 ok', ['hunter2hunter2', 'ok']), 'password=[redacted] ok');
});

test('certificates are not mistaken for keys', () => {
  const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
  assert.equal(redact(cert), cert);
  assert.deepEqual(scanForKeyMaterial('r.html', cert), []);
});

test('the scan names the file and line of a key header', () => {
  assert.deepEqual(scanForKeyMaterial('r.html', `a\n${KEY}`), [{ file: 'r.html', line: 2, what: 'PEM private key header' }]);
});

test('the scan finds a line of a known key without its header, even inside a longer base64 run', () => {
  const line = 'MIIJQgIBADANBgkqhkiG9w0BAQEFAASCCSwwggkoAgEAAoICAQDHb5Tq0z1lJ3pX';
  const known = new Set(keyLineHashes(`${PEM('PRIVATE KEY', 'BEGIN')}\n${line}\n${PEM('PRIVATE KEY', 'END')}\n`));
  assert.equal(known.size, 1);
  assert.equal(scanForKeyMaterial('m.ndjson', `"body":"x ${line} y"`, known)[0]?.what, 'a line of a private key generated in this run');
  assert.equal(scanForKeyMaterial('m.ndjson', `"body":"QUFB${line}QUFB"`, known).length, 1);
  assert.deepEqual(scanForKeyMaterial('m.ndjson', 'MIIB'.repeat(20), known), []);
});

test('a credential of the run is found by its fingerprint wherever a token holds it, and nothing else is', () => {
  const password = 'c0ffee00deadbeef12345678';
  const known = new Set([secretFingerprint(password)]);
  assert.ok(!secretFingerprint(password).includes(password));
  assert.deepEqual(scanForKeyMaterial('m.ndjson', `{"password":"${password}"}`, known), [{ file: 'm.ndjson', line: 1, what: 'a credential of this run' }]);
  assert.equal(scanForKeyMaterial('log', `ok\ncrictl --creds sigproof:${password}`, known)[0]?.line, 2);
  assert.equal(scanForKeyMaterial('log', `--password=${password}`, known).length, 1);
  assert.deepEqual(scanForKeyMaterial('log', `password = "${password.slice(1)}"`, known), []);
});
