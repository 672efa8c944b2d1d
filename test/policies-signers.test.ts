import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listPolicies, renderNotationTrustPolicy, renderTemplate } from '../support/policy/render.ts';
import { listSigners, resolveSigner } from '../support/pki/signers.ts';

test('placeholders are replaced by JSON values', () => {
  assert.equal(renderTemplate('t.json', '{"a": {{x}}}', { x: ['1', '2'] }), '{"a": ["1","2"]}');
});

test('an unknown placeholder names the file and the available ones', () => {
  assert.throws(() => renderTemplate('t.json', '{"a": {{y}}}', { x: 1 }), /t\.json: unknown placeholder \{\{y\}\}; available: \{\{x\}\}/);
});

test('a template that is not JSON after rendering names the file', () => {
  assert.throws(() => renderTemplate('t.json', '{"a": {{x}}', { x: 1 }), /t\.json: line 1: not valid JSON after rendering/);
});

test('the shipped notation policies render to notation trust policy documents', () => {
  assert.deepEqual(listPolicies('notation'), ['strict', 'strict-identity']);
  const doc = JSON.parse(renderNotationTrustPolicy('strict-identity', { trustStores: ['ca:corp'], registryScopes: ['127.0.0.1:5/app'], trustedIdentities: ['x509.subject: C=US, ST=CA, O=Corp'] }));
  assert.equal(doc.version, '1.0');
  assert.deepEqual(doc.trustPolicies[0].trustStores, ['ca:corp']);
  assert.deepEqual(doc.trustPolicies[0].registryScopes, ['127.0.0.1:5/app']);
});

test('an unknown policy lists the known ones', () => {
  assert.throws(() => renderNotationTrustPolicy('lax', { trustStores: [], registryScopes: [], trustedIdentities: [] }), /unknown notation policy "lax".*strict, strict-identity/);
});

test('signers are the files in scenarios/signers, named without extension', () => {
  assert.deepEqual([...listSigners().keys()], ['ecdsa-sha384', 'garbage', 'openssl', 'rsassa-pss-sha512', 'signature-file', 'unavailable']);
  assert.match(resolveSigner('ecdsa-sha384').file, /scenarios\/signers\/ecdsa-sha384\.ts$/);
});

test('an unknown signer lists the known ones', () => {
  assert.throws(() => resolveSigner('hsm'), /unknown signer "hsm". Known signers: ecdsa-sha384, garbage, openssl, rsassa-pss-sha512, signature-file, unavailable \(files in .*\); .*openssl-ecdsa-sha256.* \(profiles in .*signers\.yaml\)/);
});

test('a YAML template that breaks after rendering names the file', () => {
  assert.throws(() => renderTemplate('p.yaml', 'a: {{x}}\n  b: [', { x: 1 }), /p\.yaml: line 1: not valid YAML after rendering/);
});

test('the Kyverno templates render to YAML with the PEM values as strings', async () => {
  const { parse } = await import('yaml');
  const { renderPolicy } = await import('../support/policy/render.ts');
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  for (const name of ['notary', 'cosign']) {
    const doc = parse(renderPolicy('kyverno', name, { name: 'p', namespaces: ['ns'], imageReferences: ['127.0.0.1:5/app*'], rootCert: pem, chain: pem }).text);
    assert.equal(doc.kind, 'ClusterPolicy');
    assert.deepEqual(doc.spec.rules[0].verifyImages[0].imageReferences, ['127.0.0.1:5/app*']);
    assert.equal(doc.spec.rules[0].verifyImages[0].attestors[0].entries[0].certificates.certChain, pem);
  }
});
