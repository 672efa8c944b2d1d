import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { kyvernoObjects } from '../support/policy/kinds.ts';
import { listPolicies, renderNotationTrustPolicy, renderPolicy, renderTemplate } from '../support/policy/render.ts';
import { parseVerifierPolicy, ruleFor } from '../support/policy/verifier-policy.ts';

test('placeholders are replaced by JSON values', () => {
  assert.equal(renderTemplate('t.json', '{"a": {{x}}}', { x: ['1', '2'] }), '{"a": ["1","2"]}');
});

test('an unknown placeholder names the file and the available ones', () => {
  assert.throws(() => renderTemplate('t.json', '{"a": {{y}}}', { x: 1 }), /t\.json: unknown placeholder \{\{y\}\}; available: \{\{x\}\}/);
});

test('a template that is not JSON after rendering names the file', () => {
  assert.throws(() => renderTemplate('t.json', '{"a": {{x}}', { x: 1 }), /t\.json: line 1: not valid JSON after rendering/);
});

test('a YAML template that breaks after rendering names the file', () => {
  assert.throws(() => renderTemplate('p.yaml', 'a: {{x}}\n  b: [', { x: 1 }), /p\.yaml: line 1: not valid YAML after rendering/);
});

test('the shipped notation policies render to notation trust policy documents', () => {
  assert.deepEqual(listPolicies('notation'), ['permissive', 'strict', 'strict-identity', 'strict-timestamp']);
  assert.equal(JSON.parse(renderNotationTrustPolicy('permissive', { trustStores: ['ca:corp'], registryScopes: ['h/app'], trustedIdentities: [] })).trustPolicies[0].signatureVerification.level, 'permissive');
  const stamped = JSON.parse(renderNotationTrustPolicy('strict-timestamp', { trustStores: ['ca:corp', 'tsa:sigproof-tsa'], registryScopes: ['127.0.0.1:5/app'], trustedIdentities: [] }));
  assert.deepEqual(stamped.trustPolicies[0].signatureVerification, { level: 'strict', verifyTimestamp: 'always' });
  assert.deepEqual(stamped.trustPolicies[0].trustStores, ['ca:corp', 'tsa:sigproof-tsa']);
  const doc = JSON.parse(renderNotationTrustPolicy('strict-identity', { trustStores: ['ca:corp'], registryScopes: ['127.0.0.1:5/app'], trustedIdentities: ['x509.subject: C=US, ST=CA, O=Corp'] }));
  assert.equal(doc.version, '1.0');
  assert.deepEqual(doc.trustPolicies[0].trustStores, ['ca:corp']);
  assert.deepEqual(doc.trustPolicies[0].registryScopes, ['127.0.0.1:5/app']);
});

test('an unknown policy lists the known ones', () => {
  assert.throws(() => renderNotationTrustPolicy('lax', { trustStores: [], registryScopes: [], trustedIdentities: [] }), /unknown notation policy "lax".*strict, strict-identity/);
});

test('the Kyverno templates render to YAML with the PEM values as strings', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  for (const name of ['notary', 'cosign']) {
    const doc = parse(renderPolicy('kyverno', name, { name: 'p', namespaces: ['ns'], imageReferences: ['127.0.0.1:5/app*'], rootCert: pem, chain: pem, registryCredentials: {} }).text);
    assert.equal(doc.kind, 'ClusterPolicy');
    assert.deepEqual(doc.spec.rules[0].verifyImages[0].imageReferences, ['127.0.0.1:5/app*']);
    assert.deepEqual(doc.spec.rules[0].verifyImages[0].imageRegistryCredentials, {});
    assert.equal(doc.spec.rules[0].verifyImages[0].attestors[0].entries[0].certificates.certChain, pem);
  }
  // A registry that asks for credentials: the secret in Kyverno's namespace, by name.
  const withSecret = parse(renderPolicy('kyverno', 'cosign', { name: 'p', namespaces: ['ns'], imageReferences: ['h/*'], rootCert: pem, chain: pem, registryCredentials: { secrets: ['ns-registry-credentials'] } }).text);
  assert.deepEqual(withSecret.spec.rules[0].verifyImages[0].imageRegistryCredentials, { secrets: ['ns-registry-credentials'] });
});

const hosts = { ci: '127.0.0.1:5001', prod: '127.0.0.1:5002', open: '127.0.0.1:5003', blocked: '127.0.0.1:5004', elsewhere: '127.0.0.1:5005' };

const isNodePolicy = (n: string) => n.startsWith('node');

test('every CRI-O policy renders to a policy.json with the four cases', () => {
  assert.deepEqual(
    listPolicies('crio').filter((n) => !isNodePolicy(n)),
    ['exact-repository', 'match-repository', 'remap-identity'],
  );
  for (const name of listPolicies('crio').filter((n) => !isNodePolicy(n))) {
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

const crioNode = { ...hosts, sandbox: '127.0.0.1:5006', ci_app: `${hosts.ci}/app`, caRoots: '/r.pem', caIntermediates: '/i.pem', subjectEmail: 'a@b' };

test('the node CRI-O policies: the sandbox registry is allowed unless the policy is about its absence, and the default is as named', () => {
  const docs = Object.fromEntries(
    listPolicies('crio')
      .filter(isNodePolicy)
      .map((n) => [n, JSON.parse(renderPolicy('crio', n, crioNode).text)]),
  );
  assert.deepEqual(Object.keys(docs), ['node', 'node-allow-all', 'node-default-allow', 'node-without-sandbox']);
  assert.deepEqual(docs.node.transports.docker[crioNode.sandbox], [{ type: 'insecureAcceptAnything' }]);
  assert.deepEqual(docs.node.default, [{ type: 'reject' }]);
  assert.equal(docs['node-without-sandbox'].transports.docker[crioNode.sandbox], undefined);
  assert.deepEqual(docs['node-without-sandbox'].default, [{ type: 'reject' }]);
  assert.deepEqual(docs['node-default-allow'].default, [{ type: 'insecureAcceptAnything' }]);
  assert.equal(docs['node-default-allow'].transports.docker[hosts.prod][0].signedIdentity.dockerRepository, `${hosts.ci}/app`);
});

test('the node containerd policies verify prod and allow the sandbox registry unless they are about its absence', () => {
  const values = { ...hosts, sandbox: '127.0.0.1:5006', cosign: '/c', trustedRoot: '/t', identity: 'a@b', notation: '/n', notationConfig: '/nc' };
  const action = (name: string, ref: string) => {
    const { file, text } = renderPolicy('containerd', name, values);
    return ruleFor(parseVerifierPolicy(file, text), ref).rule.action;
  };
  for (const name of listPolicies('containerd').filter(isNodePolicy)) assert.equal(action(name, `${hosts.prod}/app:signed`), 'verify', name);
  assert.equal(action('node-cosign', `${values.sandbox}/pause:3.10`), 'allow');
  assert.equal(action('node-notation', `${values.sandbox}/pause:3.10`), 'allow');
  assert.equal(action('node-cosign-without-sandbox', `${values.sandbox}/pause:3.10`), 'block');
  assert.equal(action('node-cosign-default-allow', `${hosts.elsewhere}/app:x`), 'allow');
});

test('every containerd verifier policy renders to one the verifier accepts', () => {
  for (const name of listPolicies('containerd').filter((n) => n !== 'allow-all' && !isNodePolicy(n))) {
    const { file, text } = renderPolicy('containerd', name, { ...hosts, cosign: '/c', trustedRoot: '/t', identity: 'a@b', notation: '/n', notationConfig: '/nc' });
    const policy = parseVerifierPolicy(file, text);
    assert.equal(ruleFor(policy, `${hosts.prod}/app:signed`).rule.action, 'verify', name);
    // A *-default-allow policy verifies prod and lets every other registry through (its default).
    assert.equal(ruleFor(policy, `${hosts.blocked}/app:x`).rule.action, name.endsWith('-default-allow') ? 'allow' : 'block', name);
    assert.equal(ruleFor(policy, `${hosts.elsewhere}/app:x`).scope, undefined, name);
  }
});

test('allow-all lets every registry through', () => {
  const { file, text } = renderPolicy('containerd', 'allow-all', {});
  assert.deepEqual(ruleFor(parseVerifierPolicy(file, text), '127.0.0.1:1/x:y'), { rule: { action: 'allow' }, scope: undefined });
});

test('the user policy examples: the good one renders, the broken one says where', () => {
  const values = { name: 'p', namespaces: ['ns'], imageReferences: ['127.0.0.1:5/*'], chain: 'PEM' };
  assert.equal(kyvernoObjects(renderPolicy('kyverno', 'examples/policies/kyverno-cosign-team.yaml', values).text)[0]?.kind, 'ClusterPolicy');
  assert.throws(() => renderPolicy('kyverno', 'examples/policies/kyverno-broken.yaml', values), /kyverno-broken\.yaml: line \d+, column \d+: not valid YAML|kyverno-broken\.yaml: line \d+: not valid YAML/);
  assert.throws(() => renderPolicy('kyverno', 'examples/policies/none.yaml', values), /examples\/policies\/none\.yaml: no such policy file/);
});
