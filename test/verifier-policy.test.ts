import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseVerifierPolicy, repositoryOf, ruleFor } from '../support/policy/verifier-policy.ts';

const policy = parseVerifierPolicy(
  'p.json',
  JSON.stringify({
    registries: {
      '127.0.0.1:5000': { action: 'verify', with: 'cosign', cosign: '/bin/cosign', trustedRoot: '/t.json', identity: 'a@b' },
      '127.0.0.1:5000/open': { action: 'allow' },
      '127.0.0.1:6000': { action: 'block' },
    },
    default: { action: 'block' },
  }),
);

test('the repository of a reference drops tag and digest, keeps the port', () => {
  assert.equal(repositoryOf('127.0.0.1:5000/app:signed'), '127.0.0.1:5000/app');
  assert.equal(repositoryOf('127.0.0.1:5000/a/b@sha256:00'), '127.0.0.1:5000/a/b');
  assert.equal(repositoryOf('127.0.0.1:5000/app'), '127.0.0.1:5000/app');
});

test('the longest matching scope wins, and the default covers the rest', () => {
  assert.equal(ruleFor(policy, '127.0.0.1:5000/app:x').rule.action, 'verify');
  assert.deepEqual(ruleFor(policy, '127.0.0.1:5000/open/x:1'), { rule: { action: 'allow' }, scope: '127.0.0.1:5000/open' });
  assert.equal(ruleFor(policy, '127.0.0.1:6000/app:x').rule.action, 'block');
  assert.deepEqual(ruleFor(policy, '127.0.0.1:7000/app:x'), { rule: { action: 'block' }, scope: undefined });
  // A port is not a prefix of another port.
  assert.equal(ruleFor(policy, '127.0.0.1:50001/app:x').scope, undefined);
});

test('a malformed policy names the file and the problem', () => {
  assert.throws(() => parseVerifierPolicy('p.json', '{'), /p\.json: not valid JSON/);
  assert.throws(() => parseVerifierPolicy('p.json', '{"registries":{}}'), /p\.json: "default" is missing/);
  assert.throws(() => parseVerifierPolicy('p.json', '{"registries":{"h":{"action":"deny"}},"default":{"action":"block"}}'), /registries\["h"\]: unknown action "deny"; valid actions: allow, block, verify/);
  assert.throws(() => parseVerifierPolicy('p.json', '{"registries":{"h":{"action":"verify","with":"cosign"}},"default":{"action":"block"}}'), /needs "cosign"/);
  assert.throws(() => parseVerifierPolicy('p.json', '{"registries":{"h":{"action":"verify","with":"gpg"}},"default":{"action":"block"}}'), /unknown verifier "gpg"; valid: cosign, notation/);
});
