import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkPolicyFile, kyvernoObjects } from '../support/policy/kinds.ts';
import { renderPolicy } from '../support/policy/render.ts';

test('a malformed user policy names the file, the line and the reason', () => {
  assert.throws(() => checkPolicyFile('crio', 'my.json', '{\n  "default": [\n    {"type": "reject"}\n  ],\n  "transports": {\n'), /my\.json: line 6, column 1: not valid JSON/);
  assert.throws(() => checkPolicyFile('kyverno', 'my.yaml', 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nmetadata:\n  name: x\nspec:\n  rules: [\n'), /my\.yaml: line 7, column 1: not valid YAML/);
});

test('each kind is checked for what it claims to be', () => {
  assert.throws(() => checkPolicyFile('kyverno', 'k.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n'), /k\.yaml: line 1: apiVersion "v1" is not a Kyverno API/);
  assert.throws(() => checkPolicyFile('kyverno', 'k.yaml', 'apiVersion: kyverno.io/v1\nkind: ClusterPolicy\nspec: {}\n'), /metadata\.name is missing \(use \{\{name\}\}/);
  assert.throws(() => checkPolicyFile('crio', 'p.json', '{"default": [{"type": "accept"}]}'), /p\.json: line 1: default: requirement type "accept" is not one of insecureAcceptAnything, reject, signedBy, sigstoreSigned/);
  assert.throws(() => checkPolicyFile('notation', 't.json', '{"version": "2.0", "trustPolicies": []}'), /t\.json: line 1: a notation trust policy needs "version": "1.0"/);
  assert.throws(() => checkPolicyFile('containerd', 'v.json', '{"registries": {}}'), /v\.json: "default" is missing/);
  assert.throws(() => checkPolicyFile('gatekeeper', 'g.yaml', ''), /known kinds: kyverno, crio, notation, containerd/);
});

test('every template in policies/ passes its own checks when rendered', () => {
  const values = { name: 'p', namespaces: ['ns'], imageReferences: ['127.0.0.1:5/*'], imageGlobs: [{ glob: '127.0.0.1:5/*' }], rootCert: 'PEM', chain: 'PEM', trustedRoot: '{}', registryCredentials: {}, tsaCertChain: 'PEM', tsaRootCert: 'PEM' };
  for (const t of ['notary', 'cosign', 'ivp-notary', 'ivp-cosign']) {
    const { text } = renderPolicy('kyverno', t, values);
    assert.deepEqual(
      kyvernoObjects(text).map((o) => o.name),
      ['p'],
    );
  }
});
