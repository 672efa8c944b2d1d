import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registriesConf } from '../support/env/crio.ts';

test('registries.conf marks every registry of the scenario plain HTTP, and searches none', () => {
  const conf = registriesConf(['127.0.0.1:5', '127.0.0.1:6']);
  assert.match(conf, /^unqualified-search-registries = \[\]$/m);
  assert.match(conf, /location = "127\.0\.0\.1:5"\ninsecure = true/);
  assert.match(conf, /location = "127\.0\.0\.1:6"\ninsecure = true/);
});

test('registries.conf verifies the TLS of a registry that serves it', () => {
  const conf = registriesConf(['127.0.0.1:5', '127.0.0.1:6'], ['127.0.0.1:6']);
  assert.match(conf, /location = "127\.0\.0\.1:5"\ninsecure = true/);
  assert.match(conf, /location = "127\.0\.0\.1:6"\ninsecure = false/);
});
