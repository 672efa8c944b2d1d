import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TeardownStack } from '../support/teardown.ts';

test('stops run in reverse order of registration, each once, and learn whether the scenario failed', async () => {
  const stack = new TeardownStack();
  const ran: string[] = [];
  stack.push('temp dir', (failed) => void ran.push(`temp dir ${failed}`));
  stack.push('registry', async (failed) => void ran.push(`registry ${failed}`));
  stack.push('daemon', (failed) => void ran.push(`daemon ${failed}`));
  assert.deepEqual(await stack.run(true), []);
  assert.deepEqual(ran, ['daemon true', 'registry true', 'temp dir true']);
  assert.equal(stack.size, 0);
  assert.deepEqual(await stack.run(false), []);
  assert.equal(ran.length, 3);
});

test('a stop that fails does not keep the others from running; its error is reported with what it stopped', async () => {
  const stack = new TeardownStack();
  const ran: string[] = [];
  stack.push('temp dir', () => void ran.push('temp dir'));
  stack.push('namespace sp-1', async () => {
    throw new Error('connection refused');
  });
  stack.push('registry', () => void ran.push('registry'));
  assert.deepEqual(await stack.run(false), ['namespace sp-1: connection refused']);
  assert.deepEqual(ran, ['registry', 'temp dir']);
});
