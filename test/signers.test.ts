import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { KeyType } from '../support/lib/key-types.ts';
import type { Pki } from '../support/pki/pki.ts';
import { listSigners, resolveSigner, runExternalSigner, signatureForCosign } from '../support/pki/signers.ts';

// Real shell scripts as signers, a real P-256 key, a payload file: no PKI, no network.
let dir = '';
let publicKey: KeyObject;
let privateKey: KeyObject;
const payload = Buffer.from('{"critical":{"image":{"docker-manifest-digest":"sha256:00"}}}');

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'sigproof-signers-'));
  ({ publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' }));
  writeFileSync(join(dir, 'leaf.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  writeFileSync(join(dir, 'payload.json'), payload);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function signer(name: string, body: string): { file: string; env: Record<string, string> } {
  const file = join(dir, `${name}.sh`);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return { file, env: {} };
}

function pki(key: KeyType = 'ec-p256'): Pki {
  return { profile: { name: 'test', key }, leafKey: join(dir, 'leaf.key') } as unknown as Pki;
}

const run = (name: string, body: string) => runExternalSigner(signer(name, body), name, pki(), join(dir, 'payload.json'));
// A signer that does not sign reads its stdin all the same, as a real one would.
const IGNORE_PAYLOAD = 'cat >/dev/null\n';

test('an r||s signature becomes DER that verifies, and the signer is told the key spec and hash', async () => {
  writeFileSync(join(dir, 'sig.p1363'), sign('sha256', payload, { key: privateKey, dsaEncoding: 'ieee-p1363' }));
  const result = await run('p1363', `${IGNORE_PAYLOAD}echo "$SIGPROOF_KEY_SPEC $SIGPROOF_HASH $SIGPROOF_SIGNING_KEY" > '${dir}/env.txt'\ncat '${dir}/sig.p1363'`);
  assert.ok('signature' in result, JSON.stringify(result));
  assert.equal(result.signature[0], 0x30, 'a DER SEQUENCE');
  assert.ok(verify('sha256', payload, publicKey, result.signature));
  assert.equal(readFileSync(join(dir, 'env.txt'), 'utf8'), `EC-256 SHA-256 ${join(dir, 'leaf.key')}\n`);
});

test('a signer that prints DER (openssl as it is) is passed on unchanged', async () => {
  const result = await run('openssl-der', 'exec openssl dgst -sha256 -sign "$SIGPROOF_SIGNING_KEY"');
  assert.ok('signature' in result, JSON.stringify(result));
  assert.ok(verify('sha256', payload, publicKey, result.signature));
});

test('a signer that exits non-zero gives the failure record with its exit code and stderr', async () => {
  const result = await run('down', `${IGNORE_PAYLOAD}echo "hsm.corp.example: connection refused" >&2\nexit 3`);
  assert.ok('failure' in result);
  assert.equal(result.failure.exitCode, 3);
  assert.equal(result.failure.stderr, 'signer "down" exited 3: hsm.corp.example: connection refused');
});

test('a signer that prints nothing gives the failure record', async () => {
  const result = await run('silent', IGNORE_PAYLOAD);
  assert.ok('failure' in result);
  assert.equal(result.failure.exitCode, 1);
  assert.equal(result.failure.stderr, 'signer "silent" printed no signature');
});

test('a signer that prints an r||s of the wrong length gives the failure record, with its stderr', async () => {
  const result = await run('short', `${IGNORE_PAYLOAD}head -c 63 /dev/zero | tr '\\0' '\\1'\necho 'used the P-384 key by mistake' >&2`);
  assert.ok('failure' in result);
  assert.equal(result.failure.exitCode, 1);
  assert.equal(result.failure.stderr, 'signer "short" printed 63 bytes, which is neither the 64-byte r||s (IEEE P1363) of an EC-256 signature nor DER: used the P-384 key by mistake');
});

test('the conversion step: r||s of each curve to DER, DER and other keys as they are, anything else refused', () => {
  for (const [key, curve, half] of [
    ['ec-p256', 'P-256', 32],
    ['ec-p384', 'P-384', 48],
    ['ec-p521', 'P-521', 66],
  ] as const) {
    const k = generateKeyPairSync('ec', { namedCurve: curve });
    const p1363 = sign('sha256', payload, { key: k.privateKey, dsaEncoding: 'ieee-p1363' });
    const der = sign('sha256', payload, k.privateKey);
    const converted = signatureForCosign(p1363, key);
    assert.ok('signature' in converted && verify('sha256', payload, k.publicKey, converted.signature), key);
    assert.deepEqual(signatureForCosign(der, key), { signature: der }, key);
    assert.deepEqual(signatureForCosign(Buffer.alloc(2 * half + 1, 1), key), { problem: `printed ${2 * half + 1} bytes, which is neither the ${2 * half}-byte r||s (IEEE P1363) of an EC-${curve.slice(2)} signature nor DER` });
  }
  const bytes = Buffer.alloc(512, 7);
  assert.deepEqual(signatureForCosign(bytes, 'rsa-4096'), { signature: bytes });
  assert.deepEqual(signatureForCosign(bytes.subarray(0, 64), 'ed25519'), { signature: bytes.subarray(0, 64) });
});

test('signers are the files in scenarios/signers, named without extension', () => {
  assert.deepEqual([...listSigners().keys()], ['ecdsa-sha384', 'garbage', 'openssl', 'rsassa-pss-sha512', 'signature-file', 'unavailable']);
  assert.match(resolveSigner('ecdsa-sha384').file, /scenarios\/signers\/ecdsa-sha384\.ts$/);
});

test('an unknown signer lists the known ones', () => {
  assert.throws(() => resolveSigner('hsm'), /unknown signer "hsm". Known signers: ecdsa-sha384, garbage, openssl, rsassa-pss-sha512, signature-file, unavailable \(files in .*\); .*openssl-ecdsa-sha256.* \(profiles in .*signers\.yaml\)/);
});
