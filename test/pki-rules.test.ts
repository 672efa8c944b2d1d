import assert from 'node:assert/strict';
import { test } from 'node:test';
import { breachError, breachWarnings, breachesFor, PKI_RULES, PKI_RULE_IDS, PKI_USES, type RuleBreach } from '../support/pki/pki-rules.ts';

const cnOnly: RuleBreach = { rule: 'subject-c-st-o', problem: 'leaf.crt: the leaf subject lacks C, ST, O' };
const clientAuth: RuleBreach = { rule: 'eku-forbidden', problem: 'leaf.crt: the extendedKeyUsage holds clientAuth' };

test('a breach stops only the uses that need its rule', () => {
  assert.deepEqual(breachesFor([cnOnly, clientAuth], 'cosign v2'), []);
  assert.deepEqual(breachesFor([cnOnly, clientAuth], 'notation'), [clientAuth]);
  assert.deepEqual(breachesFor([cnOnly, clientAuth], 'notation with an x509.subject identity'), [cnOnly, clientAuth]);
  assert.equal(breachError('poc', 'notation', [clientAuth]), 'PKI profile "poc": leaf.crt: the extendedKeyUsage holds clientAuth; notation refuses such a leaf ("extended key usage must not contain ClientAuth eku")');
});

test('a breach no user of the scenario needs is a warning that names who would refuse it', () => {
  const [warning, ...rest] = breachWarnings('poc', [cnOnly, clientAuth], new Set(['cosign v2', 'CRI-O'] as const));
  assert.equal(rest.length, 1);
  assert.equal(warning, 'PKI profile "poc": leaf.crt: the leaf subject lacks C, ST, O; no verifier of this scenario needs it (cosign v2, CRI-O), but notation with an x509.subject identity would refuse it');
  assert.deepEqual(breachWarnings('poc', [cnOnly], new Set(['notation with an x509.subject identity'] as const)), []);
});

test('every rule names at least one verifier, its words and its scenario', () => {
  for (const id of PKI_RULE_IDS) {
    const r = PKI_RULES[id];
    assert.ok(r.neededBy.length && r.neededBy.every((u) => PKI_USES.includes(u)), id);
    assert.ok(r.words && r.scenario && r.check, id);
  }
});
