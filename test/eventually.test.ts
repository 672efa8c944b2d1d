import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { eventually, freePort } from '../support/lib/eventually.ts';

// No sleeps here: the only waiting is eventually's own polling interval.

test('resolves with the first value that is neither undefined nor false', async () => {
  const answers = [undefined, false, 'ready', 'later'];
  let calls = 0;
  const value = await eventually(async () => answers[calls++], { timeoutMs: 5_000, intervalMs: 1, what: 'the third answer' });
  assert.deepEqual([value, calls], ['ready', 3]);
});

test('zero and the empty string are answers, not "not yet"', async () => {
  assert.equal(await eventually(async () => 0, { timeoutMs: 1_000, what: 'zero' }), 0);
  assert.equal(await eventually(async () => '', { timeoutMs: 1_000, what: 'an empty string' }), '');
});

test('errors mean "not yet": a later success still resolves', async () => {
  let calls = 0;
  const value = await eventually(
    async () => {
      if (++calls < 3) throw new Error('connection refused');
      return true;
    },
    { timeoutMs: 5_000, intervalMs: 1, what: 'the registry to answer' },
  );
  assert.deepEqual([value, calls], [true, 3]);
});

test('times out naming what it waited for', async () => {
  let calls = 0;
  await assert.rejects(
    eventually(
      async () => {
        calls++;
        return false;
      },
      { timeoutMs: 30, intervalMs: 5, what: 'registry "ci" to answer on http://127.0.0.1:1/v2/' },
    ),
    /^Error: timed out after 30 ms waiting for registry "ci" to answer on http:\/\/127\.0\.0\.1:1\/v2\/$/,
  );
  assert.ok(calls >= 2, `polled ${calls} times`);
});

test('a timeout carries the last error, which says why it never became ready', async () => {
  await assert.rejects(
    eventually(
      async () => {
        throw new Error('etcd exited: bind: address already in use');
      },
      { timeoutMs: 20, intervalMs: 5, what: 'etcd to be healthy' },
    ),
    { message: 'timed out after 20 ms waiting for etcd to be healthy: etcd exited: bind: address already in use' },
  );
});

test('a free port can be listened on', async () => {
  const port = await freePort();
  assert.ok(port > 0 && port < 65_536);
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise((resolve) => server.close(resolve));
});
