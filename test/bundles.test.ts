import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tamperBundleSignature } from '../support/bundles.ts';

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
