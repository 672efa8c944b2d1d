import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRef } from '../support/lib/refs.ts';

const DIGEST = `sha256:${'a'.repeat(64)}`;

test('a scenario reference names registry, repository and tag', () => {
  assert.deepEqual(parseRef('ci/app:signed'), { registryName: 'ci', repo: 'app', tag: 'signed', digest: undefined });
});

test('nested repositories and digests are kept', () => {
  assert.deepEqual(parseRef(`prod/team/app@${DIGEST}`), { registryName: 'prod', repo: 'team/app', tag: undefined, digest: DIGEST });
});

test('a reference without tag or digest is refused with an example', () => {
  assert.throws(() => parseRef('ci/app'), /names no tag or digest.*ci\/app:signed/);
});

test('a reference without a registry name is refused', () => {
  assert.throws(() => parseRef('app:signed'), /bad image reference "app:signed"/);
});

test('a malformed digest is refused', () => {
  assert.throws(() => parseRef('ci/app@sha256:xyz'), /bad digest/);
});

test('upper-case repository names are refused, as registries do', () => {
  assert.throws(() => parseRef('ci/App:signed'), /bad repository "App"/);
});
