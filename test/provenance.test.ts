import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signerOf } from '../support/provenance.ts';

test("a short-lived leaf's signature is valid only with a timestamp, and the matrix says which", () => {
  assert.deepEqual(signerOf('cosign v2', 'corp-ecdsa-p256-short-lived'), { tool: 'cosign v2', profile: 'corp-ecdsa-p256-short-lived', variants: ['short-lived leaf, no timestamp'], valid: false });
  assert.deepEqual(signerOf('cosign v2', 'corp-ecdsa-p256-short-lived', [], { timestamped: true }), { tool: 'cosign v2 (RFC 3161 timestamp)', profile: 'corp-ecdsa-p256-short-lived', variants: [], valid: true });
  // A timestamp does not make another root or a tampered signature valid.
  assert.equal(signerOf('cosign v2', 'rogue-ecdsa-p256', ['tampered'], { timestamped: true }).valid, false);
});
