import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DIGESTS, KEY_TYPES, KEY_TYPE_TABLE, findKeyFacts, findKeyType, hashName, isRsa, keyFacts, p1363Half } from '../support/lib/key-types.ts';

test('every entry is complete and its facts agree with each other', () => {
  for (const key of KEY_TYPES) {
    const f = KEY_TYPE_TABLE[key];
    assert.ok(f.signatureBytes > 0, key);
    assert.ok([...DIGESTS, 'none'].includes(f.cosignDefault.digest), key);
    assert.equal(f.genpkey[0], '-algorithm', key);
    switch (f.family) {
      case 'rsa':
        assert.equal(key, `rsa-${f.bits}`);
        assert.deepEqual(f.genpkey, ['-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${f.bits}`]);
        assert.equal(f.keySpec, `RSA-${f.bits}`);
        assert.equal(f.signatureBytes, f.bits / 8);
        assert.deepEqual(f.cosignDefault, { padding: 'pkcs1', digest: 'sha256' });
        assert.ok(f.notation && f.notation.algorithm === `RSASSA-PSS-${hashName(f.notation.digest)}`, key);
        break;
      case 'ec': {
        const size = f.curve.slice(2);
        assert.equal(key, `ec-p${size}`);
        assert.deepEqual(f.genpkey, ['-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${f.curve}`, '-pkeyopt', 'ec_param_enc:named_curve']);
        assert.equal(f.keySpec, `EC-${size}`);
        assert.equal(f.signatureBytes, 2 * Math.ceil(Number(size) / 8));
        assert.ok(f.notation && f.notation.algorithm === `ECDSA-${hashName(f.notation.digest)}`, key);
        // The curve's own digest, for notation and cosign alike.
        assert.deepEqual(f.cosignDefault, { digest: f.notation.digest });
        break;
      }
      case 'ed25519':
        assert.deepEqual(f.genpkey, ['-algorithm', 'ED25519']);
        assert.equal(f.notation, undefined);
        assert.deepEqual(f.cosignDefault, { digest: 'none' });
        break;
    }
  }
});

test('the table says what the modules used to say, in the same order', () => {
  assert.deepEqual(KEY_TYPES, ['rsa-2048', 'rsa-3072', 'rsa-4096', 'ec-p256', 'ec-p384', 'ec-p521', 'ed25519']);
  assert.deepEqual(
    KEY_TYPES.map((k) => KEY_TYPE_TABLE[k].keySpec),
    ['RSA-2048', 'RSA-3072', 'RSA-4096', 'EC-256', 'EC-384', 'EC-521', 'ED25519'],
  );
  assert.deepEqual(
    KEY_TYPES.map((k) => KEY_TYPE_TABLE[k].notation?.algorithm),
    ['RSASSA-PSS-SHA-256', 'RSASSA-PSS-SHA-384', 'RSASSA-PSS-SHA-512', 'ECDSA-SHA-256', 'ECDSA-SHA-384', 'ECDSA-SHA-512', undefined],
  );
  assert.deepEqual(
    KEY_TYPES.map((k) => KEY_TYPE_TABLE[k].notation?.digest),
    ['sha256', 'sha384', 'sha512', 'sha256', 'sha384', 'sha512', undefined],
  );
  assert.deepEqual(
    KEY_TYPES.map((k) => p1363Half(k)),
    [undefined, undefined, undefined, 32, 48, 66, undefined],
  );
  assert.deepEqual(DIGESTS, ['sha256', 'sha384', 'sha512']);
});

test("openssl generates with the table's arguments the key Node reads back as that key type", () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigproof-key-types-'));
  try {
    for (const key of KEY_TYPES) {
      const f = KEY_TYPE_TABLE[key];
      const file = join(dir, `${key}.pem`);
      execFileSync('openssl', ['genpkey', '-quiet', ...f.genpkey, '-out', file]);
      const privateKey = createPrivateKey(readFileSync(file));
      const details = createPublicKey(privateKey).asymmetricKeyDetails ?? {};
      assert.equal(privateKey.asymmetricKeyType, f.family, key);
      if (f.family === 'rsa') assert.equal(details.modulusLength, f.bits, key);
      if (f.family === 'ec') assert.equal(details.namedCurve, f.namedCurve, key);
      // What byo-pki and the plugin do with a certificate's key: find its type by its details.
      const found = findKeyType((g) => g.family === privateKey.asymmetricKeyType && (g.family !== 'ec' || g.namedCurve === details.namedCurve) && (g.family !== 'rsa' || g.bits === details.modulusLength));
      assert.equal(found, key);
      const digest = f.family === 'ed25519' ? null : 'sha256';
      const signature = sign(digest, Buffer.from('payload'), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      assert.equal(signature.length, f.signatureBytes, key);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('lookups find a key type by name and by its facts', () => {
  assert.equal(keyFacts('ec-p384').keySpec, 'EC-384');
  assert.equal(findKeyFacts('rsa-4096')?.signatureBytes, 512);
  assert.equal(findKeyFacts('rsa-1024'), undefined);
  assert.equal(findKeyFacts('constructor'), undefined);
  assert.equal(
    findKeyType((f) => f.keySpec === 'RSA-3072'),
    'rsa-3072',
  );
  assert.equal(
    findKeyType((f) => f.family === 'ec' && f.namedCurve === 'secp521r1'),
    'ec-p521',
  );
  assert.equal(
    findKeyType((f) => f.keySpec === 'EC-999'),
    undefined,
  );
  assert.deepEqual(KEY_TYPES.filter(isRsa), ['rsa-2048', 'rsa-3072', 'rsa-4096']);
  assert.equal(hashName('sha512'), 'SHA-512');
});

test('an unknown name lists the valid ones', () => {
  assert.throws(() => keyFacts('dsa-1024'), { message: 'unknown key type "dsa-1024". Known key types: rsa-2048, rsa-3072, rsa-4096, ec-p256, ec-p384, ec-p521, ed25519' });
  assert.throws(() => keyFacts('toString'), /unknown key type "toString"/);
});
