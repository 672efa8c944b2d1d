import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listPolicies, renderPolicy } from '../support/policy/render.ts';
import { parseVerifierPolicy, ruleFor } from '../support/policy/verifier-policy.ts';
import { containerdConfig } from '../support/env/containerd.ts';
import { registriesConf } from '../support/env/crio.ts';

const hosts = { ci: '127.0.0.1:5001', prod: '127.0.0.1:5002', open: '127.0.0.1:5003', blocked: '127.0.0.1:5004', elsewhere: '127.0.0.1:5005' };

test('every CRI-O policy renders to a policy.json with the four cases', () => {
  assert.deepEqual(listPolicies('crio'), ['exact-repository', 'match-repository', 'remap-identity']);
  for (const name of listPolicies('crio')) {
    const doc = JSON.parse(renderPolicy('crio', name, { ...hosts, ci_app: `${hosts.ci}/app`, caRoots: '/r.pem', caIntermediates: '/i.pem', subjectEmail: 'a@b' }).text);
    assert.deepEqual(doc.default, [{ type: 'reject' }]);
    const docker = doc.transports.docker;
    assert.equal(docker[hosts.prod][0].type, 'sigstoreSigned');
    assert.equal(docker[hosts.prod][0].pki.subjectEmail, 'a@b');
    assert.deepEqual(docker[hosts.open], [{ type: 'insecureAcceptAnything' }]);
    assert.deepEqual(docker[hosts.blocked], [{ type: 'reject' }]);
  }
});

test('a CRI-O policy that names a registry the scenario lacks says which', () => {
  assert.throws(() => renderPolicy('crio', 'remap-identity', { prod: 'x', caRoots: '', caIntermediates: '', subjectEmail: '' }), /remap-identity\.json: unknown placeholder \{\{ci\}\}; available: \{\{prod\}\}/);
});

test('every containerd verifier policy renders to one the verifier accepts', () => {
  for (const name of listPolicies('containerd').filter((n) => n !== 'allow-all')) {
    const { file, text } = renderPolicy('containerd', name, { ...hosts, cosign: '/c', trustedRoot: '/t', identity: 'a@b', notation: '/n', notationConfig: '/nc' });
    const policy = parseVerifierPolicy(file, text);
    assert.equal(ruleFor(policy, `${hosts.prod}/app:signed`).rule.action, 'verify', name);
    assert.equal(ruleFor(policy, `${hosts.blocked}/app:x`).rule.action, 'block', name);
    assert.equal(ruleFor(policy, `${hosts.elsewhere}/app:x`).scope, undefined, name);
  }
});

test('allow-all lets every registry through', () => {
  const { file, text } = renderPolicy('containerd', 'allow-all', {});
  assert.deepEqual(ruleFor(parseVerifierPolicy(file, text), '127.0.0.1:1/x:y'), { rule: { action: 'allow' }, scope: undefined });
});

test('runtime configs point into the scenario dir and mark loopback registries plain HTTP', () => {
  const cfg = containerdConfig('/tmp/x');
  assert.match(cfg, /bin_dir = "\/tmp\/x\/verifiers"/);
  assert.match(cfg, /root = "\/tmp\/x\/root"/);
  // CRI falls back to local pull (no verifiers) if mirrors/configs/auths are set.
  assert.doesNotMatch(cfg, /mirrors|configs|auths/);
  assert.match(registriesConf(['127.0.0.1:5']), /location = "127\.0\.0\.1:5"\ninsecure = true/);
});
