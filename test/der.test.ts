import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { derToP1363 } from '../support/lib/der.ts';

for (const [curve, half, hash] of [
  ['P-256', 32, 'sha256'],
  ['P-384', 48, 'sha384'],
  ['P-521', 66, 'sha512'],
] as const) {
  test(`DER ECDSA ${curve} signatures convert to a verifiable r||s of ${2 * half} bytes`, () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    // Many signatures, so short r or s values (leading zero bytes) occur too.
    for (let i = 0; i < 40; i++) {
      const data = Buffer.from(`payload ${i}`);
      const p1363 = derToP1363(sign(hash, data, privateKey), half);
      assert.equal(p1363.length, 2 * half);
      assert.ok(verify(hash, data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, p1363));
    }
  });
}

test('bytes that are not DER are refused', () => {
  assert.throws(() => derToP1363(Buffer.from([0x31, 0x00]), 48), /not a DER SEQUENCE/);
  assert.throws(() => derToP1363(Buffer.from([0x30, 0x06, 0x02, 0x05, 0x01]), 48), /truncated/);
});

test('P1363 back to DER round-trips, and Node verifies the result', async () => {
  const { generateKeyPairSync, sign, verify } = await import('node:crypto');
  const { derToP1363, p1363ToDer } = await import('../support/lib/der.ts');
  for (const [curve, half] of [
    ['prime256v1', 32],
    ['secp384r1', 48],
    ['secp521r1', 66],
  ] as const) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve });
    for (let i = 0; i < 5; i++) {
      const der = sign('sha256', Buffer.from(`m${i}`), privateKey);
      const back = p1363ToDer(derToP1363(der, half));
      assert.ok(verify('sha256', Buffer.from(`m${i}`), publicKey, back), curve);
    }
  }
});

test('isDerSignature accepts exactly the DER openssl and Node print, nothing else', async () => {
  const { isDerSignature, p1363ToDer } = await import('../support/lib/der.ts');
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const der = sign('sha384', Buffer.from('m'), privateKey);
  assert.ok(isDerSignature(der, 48));
  assert.ok(!isDerSignature(der, 32), 'halves of another curve');
  assert.ok(!isDerSignature(Buffer.concat([der, Buffer.from([0])]), 48), 'trailing bytes');
  assert.ok(!isDerSignature(der.subarray(0, der.length - 1), 48), 'truncated');
  assert.ok(!isDerSignature(Buffer.alloc(96, 0x30), 48), 'r||s bytes');
  assert.ok(isDerSignature(p1363ToDer(Buffer.alloc(96, 0xff)), 48), 'high bit set: a zero byte prefixed');
});
