import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dockerAuthConfig, wrongPassword } from '../support/env/registry-tls.ts';
import { addRegistryAccess, parseVerifierPolicy, withSignedTimestamps } from '../support/policy/verifier-policy.ts';
import { orasRemoteFlags, registerSecureRegistry, secureAccess } from '../support/drivers/registry-access.ts';

test('a registry with TLS gets the CA and the login file; a plain one keeps plain HTTP; forgetting it undoes that', () => {
  const forget = registerSecureRegistry('127.0.0.1:7', { caFile: '/ca.pem', clientConfigDir: '/s/logins' });
  assert.deepEqual(orasRemoteFlags('127.0.0.1:7/app:signed'), ['--ca-file', '/ca.pem', '--registry-config', '/s/logins/oras/config.json']);
  assert.deepEqual(orasRemoteFlags('127.0.0.1:7/app:signed', 'to-'), ['--to-ca-file', '/ca.pem', '--to-registry-config', '/s/logins/oras/config.json']);
  assert.deepEqual(orasRemoteFlags('127.0.0.1:8/app:signed'), ['--plain-http']);
  forget();
  assert.equal(secureAccess('127.0.0.1:7/app'), undefined);
});

test("the verifier's rules for a registry with TLS get its CA and docker config; others, and what the user set, stay", () => {
  const text = JSON.stringify({
    registries: {
      '127.0.0.1:7/app': { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i' },
      '127.0.0.1:8': { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i' },
      '127.0.0.1:9': { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i', registryCaCert: '/mine.pem' },
    },
    default: { action: 'allow' },
  });
  const policy = parseVerifierPolicy('p.json', addRegistryAccess(text, ['127.0.0.1:7', '127.0.0.1:9'], { registryCaCert: '/ca.pem', dockerConfig: '/d' }));
  assert.deepEqual(policy.registries['127.0.0.1:7/app'], { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i', registryCaCert: '/ca.pem', dockerConfig: '/d' });
  assert.equal((policy.registries['127.0.0.1:8'] as { registryCaCert?: string }).registryCaCert, undefined);
  assert.equal((policy.registries['127.0.0.1:9'] as { registryCaCert?: string }).registryCaCert, '/mine.pem');
  assert.throws(() => parseVerifierPolicy('p.json', JSON.stringify({ registries: { h: { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i', dockerConfig: '' } }, default: { action: 'block' } })), /p\.json: registries\["h"\]: "verify" with cosign needs "dockerConfig"/);
});

test('a docker config holds each registry under auths, as user:password in base64; a wrong password has the same length', () => {
  const c = { username: 'ci-pusher', password: 'abcdef' };
  assert.deepEqual(JSON.parse(dockerAuthConfig([{ host: 'h:1', credentials: c }])), { auths: { 'h:1': { auth: Buffer.from('ci-pusher:abcdef').toString('base64') } } });
  const wrong = wrongPassword(c);
  assert.equal(wrong.username, c.username);
  assert.equal(wrong.password.length, c.password.length);
  assert.notEqual(wrong.password, c.password);
});

test('with a TSA trusted, every cosign rule of the verifier checks timestamps, and the verifier accepts only a boolean there', () => {
  const text = JSON.stringify({ registries: { a: { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i' }, b: { action: 'allow' } }, default: { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i' } });
  const policy = parseVerifierPolicy('p.json', withSignedTimestamps(text));
  assert.equal((policy.registries.a as { useSignedTimestamps?: boolean }).useSignedTimestamps, true);
  assert.equal((policy.default as { useSignedTimestamps?: boolean }).useSignedTimestamps, true);
  assert.deepEqual(policy.registries.b, { action: 'allow' });
  assert.throws(() => parseVerifierPolicy('p.json', JSON.stringify({ registries: {}, default: { action: 'verify', with: 'cosign', cosign: 'c', trustedRoot: 't', identity: 'i', useSignedTimestamps: 'yes' } })), /p\.json: "default": "useSignedTimestamps" must be true or false/);
});
