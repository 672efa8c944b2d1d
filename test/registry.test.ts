import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REGISTRY_KIND, parseRegistryKind } from '../support/env/registry.ts';

test('the default registry kind is distribution, which has no referrers API', () => {
  assert.equal(DEFAULT_REGISTRY_KIND, 'distribution');
});

test('an unknown registry kind lists the known ones with what they are', () => {
  assert.throws(() => parseRegistryKind('zot'), /unknown registry kind "zot". Known kinds: distribution \(.*\), ggcr \(.*referrers API\), crane/);
});
