import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configuredRegistryHost, parseRegistryHost } from '../support/env/registry-host.ts';

test('loopback when nothing is configured', () => {
  assert.equal(configuredRegistryHost({}), '127.0.0.1');
  assert.equal(configuredRegistryHost({ SIGPROOF_REGISTRY_HOST: '' }), '127.0.0.1');
});

test('private and loopback addresses are accepted', () => {
  for (const ok of ['127.0.0.1', '10.1.2.3', '172.18.0.1', '192.168.49.1']) assert.equal(parseRegistryHost(ok), ok);
});

test('a public address is refused with the reason', () => {
  assert.throws(() => parseRegistryHost('8.8.8.8'), /not a loopback or private \(RFC 1918\) address/);
  assert.throws(() => parseRegistryHost('172.32.0.1'), /RFC 1918/);
});

test('a name is refused and the variable is named', () => {
  assert.throws(() => configuredRegistryHost({ SIGPROOF_REGISTRY_HOST: 'registry.local' }), /SIGPROOF_REGISTRY_HOST=registry.local is not an IPv4 address/);
});
