import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Provenance, signerOf } from '../support/provenance.ts';

test("a short-lived leaf's signature is valid only with a timestamp, and the matrix says which", () => {
  assert.deepEqual(signerOf('cosign v2', 'corp-ecdsa-p256-short-lived'), { tool: 'cosign v2', profile: 'corp-ecdsa-p256-short-lived', variants: ['short-lived leaf, no timestamp'], valid: false });
  assert.deepEqual(signerOf('cosign v2', 'corp-ecdsa-p256-short-lived', [], { timestamped: true }), { tool: 'cosign v2 (RFC 3161 timestamp)', profile: 'corp-ecdsa-p256-short-lived', variants: [], valid: true });
  // A timestamp does not make another root or a tampered signature valid.
  assert.equal(signerOf('cosign v2', 'rogue-ecdsa-p256', ['tampered'], { timestamped: true }).valid, false);
});

test('a revocation marks every image the profile signed, wherever it was relocated, and nothing else', () => {
  const registries = { ref: () => ({ registry: { name: 'prod', kind: 'distribution' } }) } as unknown as ConstructorParameters<typeof Provenance>[0];
  const p = new Provenance(registries);
  p.signed('ci/app:signed', signerOf('cosign v2', 'corp-ecdsa-p256-revocable'));
  p.relocated('ci/app:signed', 'prod/app:signed', 'cosign copy');
  p.signed('ci/app:other', signerOf('cosign v2', 'corp-ecdsa-p256'));
  p.revoked('corp-ecdsa-p256-revocable');
  assert.deepEqual(p.flow('prod/app:signed').signer, { tool: 'cosign v2', profile: 'corp-ecdsa-p256-revocable', variants: ['leaf revoked after signing'], valid: false });
  assert.equal(p.flow('ci/app:other').signer.valid, true);
});
