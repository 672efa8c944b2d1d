import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { VerdictObservation } from '../support/report/observations.ts';
import { timeCondition } from '../support/report/time-table.ts';

const bundles = new Map([['corp-rotation-window', ['corp-ecdsa-p256', 'corp-next-ecdsa-p256']]]);
const verdict = (tool: string, profile: string, variants: string[], trust: VerdictObservation['trust']): VerdictObservation => ({
  kind: 'verdict',
  verifier: 'cosign CLI',
  target: 'prod/app:x',
  flow: { signer: { tool, profile, variants, valid: variants.length === 0 }, relocation: 'none', registry: { name: 'prod', kind: 'distribution' } },
  verdict: 'accepted',
  trust,
});

test('each verdict goes to the condition its signer and its trust say, and unrelated verdicts to none', () => {
  const short = 'corp-ecdsa-p256-short-lived';
  assert.equal(timeCondition(verdict('cosign v2 (RFC 3161 timestamp)', short, [], { profiles: [short], tsa: 'sigproof-tsa' }), bundles), 'expired, timestamp from a TSA it trusts');
  assert.equal(timeCondition(verdict('cosign v2 (RFC 3161 timestamp)', short, [], { profiles: [short], tsa: 'another-tsa' }), bundles), 'expired, timestamp from a TSA it does not trust (or none trusted)');
  assert.equal(timeCondition(verdict('cosign v2', short, ['short-lived leaf, no timestamp'], { profiles: [short] }), bundles), 'expired, no timestamp');
  assert.equal(timeCondition(verdict('cosign v2 (RFC 3161 timestamp)', short, ['timestamp of another signature'], { profiles: [short], tsa: 'sigproof-tsa' }), bundles), 'expired, timestamp of another signature');
  assert.equal(timeCondition(verdict('cosign v2', 'corp-ecdsa-p256-revocable', ['leaf revoked after signing'], { profiles: [] }), bundles), 'revoked after signing');
  assert.equal(timeCondition(verdict('notation', 'corp-ecdsa-p256-crl-unreachable', [], { profiles: [] }), bundles), 'CRL unreachable');
  assert.equal(timeCondition(verdict('cosign v2', 'corp-ecdsa-p256', [], { profiles: ['corp-rotation-window', 'corp-ecdsa-p256', 'corp-next-ecdsa-p256'] }), bundles), 'root rotation window (roots A and B trusted)');
  assert.equal(timeCondition(verdict('cosign v2', 'corp-ecdsa-p256', [], { profiles: ['corp-next-ecdsa-p256'] }), bundles), 'root rotated away (only B trusted)');
  // The ordinary case, and another root that was never part of a rotation.
  assert.equal(timeCondition(verdict('cosign v2', 'corp-ecdsa-p256', [], { profiles: ['corp-ecdsa-p256'] }), bundles), undefined);
  assert.equal(timeCondition(verdict('cosign v2', 'rogue-ecdsa-p256', ['another root'], { profiles: ['corp-ecdsa-p256'] }), bundles), undefined);
});
