import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configuredRegistryHost, parseRegistryHost, plainHttpReaches } from '../support/env/registry-host.ts';

test('loopback when nothing is configured', () => {
  assert.equal(configuredRegistryHost({}), '127.0.0.1');
  assert.equal(configuredRegistryHost({ SIGPROOF_REGISTRY_HOST: '' }), '127.0.0.1');
});

test('any IPv4 address or DNS name is accepted', () => {
  for (const ok of ['127.0.0.1', '10.1.2.3', '172.18.0.1', '8.8.8.8', 'registry.corp.example', 'build-host']) assert.equal(parseRegistryHost(ok), ok);
});

test('only a loopback or private address is reached over plain HTTP; anything else needs TLS', () => {
  for (const plain of ['127.0.0.1', '10.1.2.3', '172.18.0.1', '192.168.49.1']) assert.equal(plainHttpReaches(plain), true, plain);
  for (const tls of ['8.8.8.8', '172.32.0.1', 'registry.corp.example']) assert.equal(plainHttpReaches(tls), false, tls);
});

test('something that is neither an address nor a name is refused, and the variable is named', () => {
  assert.throws(() => configuredRegistryHost({ SIGPROOF_REGISTRY_HOST: 'registry_local:5000' }), /SIGPROOF_REGISTRY_HOST=registry_local:5000 is neither an IPv4 address nor a DNS name/);
  assert.throws(() => parseRegistryHost('::1'), /neither an IPv4 address nor a DNS name/);
});
