import assert from 'node:assert/strict';
import { test } from 'node:test';
import { needsSharedCluster, sharedClusterLast } from '../support/lib/run-order.ts';

test('admission and node scenarios need the shared cluster; runtime-only and signing ones do not', () => {
  assert.equal(needsSharedCluster(['@kyverno']), true);
  assert.equal(needsSharedCluster(['@node', '@crio']), true);
  assert.equal(needsSharedCluster(['@crio', '@runtime']), false);
  assert.equal(needsSharedCluster([]), false);
});

test('scenarios that need the cluster go last, each group in its defined order', () => {
  const items = [
    { name: 'a', tags: ['@kyverno'] },
    { name: 'b', tags: ['@notation'] },
    { name: 'c', tags: ['@node'] },
    { name: 'd', tags: ['@crio'] },
  ];
  assert.deepEqual(
    sharedClusterLast(items, (i) => i.tags).map((i) => i.name),
    ['b', 'd', 'a', 'c'],
  );
});
