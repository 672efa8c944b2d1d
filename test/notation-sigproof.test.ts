import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';
import { PLUGIN_SOURCE } from '../support/drivers/notation.ts';
import { keySpecOf, signingAlgorithmOf } from '../plugin/notation-sigproof.ts';

function runPlugin(command: string, request: unknown) {
  return spawnSync(process.execPath, [PLUGIN_SOURCE, command], { input: JSON.stringify(request) });
}

test('the plugin announces the raw signature generator capability of contract 1.0', () => {
  const res = runPlugin('get-plugin-metadata', {});
  assert.equal(res.status, 0);
  const meta = JSON.parse(res.stdout.toString());
  assert.equal(meta.name, 'sigproof');
  assert.deepEqual(meta.supportedContractVersions, ['1.0']);
  assert.deepEqual(meta.capabilities, ['SIGNATURE_GENERATOR.RAW']);
});

test('a missing plugin config is a protocol error on stderr, exit 1', () => {
  const res = runPlugin('describe-key', { contractVersion: '1.0', keyId: 'k', pluginConfig: {} });
  assert.equal(res.status, 1);
  assert.equal(res.stdout.length, 0);
  const err = JSON.parse(res.stderr.toString());
  assert.equal(err.errorCode, 'VALIDATION_ERROR');
  assert.match(err.errorMessage, /plugin config "chain" is required/);
});

test('an unknown command is refused', () => {
  const res = runPlugin('sign-everything', {});
  assert.equal(res.status, 1);
  assert.match(JSON.parse(res.stderr.toString()).errorMessage, /unsupported command "sign-everything"/);
});

test('the key fixes the algorithm, as notation requires', () => {
  assert.deepEqual(signingAlgorithmOf('RSA-4096'), { algorithm: 'RSASSA-PSS-SHA-512', hash: 'SHA-512' });
  assert.deepEqual(signingAlgorithmOf('EC-384'), { algorithm: 'ECDSA-SHA-384', hash: 'SHA-384' });
  assert.deepEqual(signingAlgorithmOf('EC-521'), { algorithm: 'ECDSA-SHA-512', hash: 'SHA-512' });
  assert.throws(() => signingAlgorithmOf('RSA-1024'), /no notation signing algorithm for key spec RSA-1024/);
  assert.throws(() => signingAlgorithmOf('ED25519'), /no notation signing algorithm for key spec ED25519/);
});

test('key specs are read from the leaf public key', () => {
  const fakeCert = (publicKey: unknown) => ({ publicKey }) as never;
  assert.equal(keySpecOf(fakeCert(generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey)), 'EC-384');
  assert.equal(keySpecOf(fakeCert(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)), 'RSA-2048');
  assert.equal(keySpecOf(fakeCert(generateKeyPairSync('ec', { namedCurve: 'P-521' }).publicKey)), 'EC-521');
  // Any RSA size gets a spec; notation refuses the ones without an algorithm.
  assert.equal(keySpecOf(fakeCert(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)), 'RSA-1024');
  assert.throws(() => keySpecOf(fakeCert(generateKeyPairSync('ed25519').publicKey)), { message: "unsupported leaf key for notation: ed25519 {} (the plugin contract's key specs are RSA-2048/3072/4096 and EC-256/384/521)" });
  assert.throws(() => keySpecOf(fakeCert(generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey)), /unsupported leaf key for notation: ec \{"namedCurve":"secp256k1"\}/);
});
