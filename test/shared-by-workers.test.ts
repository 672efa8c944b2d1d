import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, test } from 'node:test';
import { RUN_DIR } from '../support/lib/cleanup.ts';
import { sharedByWorkers } from '../support/lib/shared-by-workers.ts';

after(() => rmSync(RUN_DIR, { recursive: true, force: true }));

test('the first asker makes it once; the others get what it wrote', async () => {
  let made = 0;
  const make = async () => {
    made++;
    return { url: 'http://127.0.0.1:1' };
  };
  const [a, b] = await Promise.all([sharedByWorkers('thing', make, { timeoutMs: 5_000, what: 'the thing' }), sharedByWorkers('thing', make, { timeoutMs: 5_000, what: 'the thing' })]);
  assert.equal(made, 1);
  assert.deepEqual(a, { url: 'http://127.0.0.1:1' });
  assert.deepEqual(b, a);
});

test('a failure to make it reaches the others with its reason', async () => {
  const failing = sharedByWorkers('broken', () => Promise.reject(new Error('port 2112 is taken')), { timeoutMs: 5_000, what: 'the broken thing' });
  const started = performance.now();
  const waiting = sharedByWorkers('broken', () => Promise.resolve(1), { timeoutMs: 60_000, what: 'the broken thing' });
  await assert.rejects(failing, /port 2112 is taken/);
  await assert.rejects(waiting, /^Error: the broken thing failed in another thread of the run: port 2112 is taken$/);
  // At once, not at the end of the wait: the failure is not a "not yet".
  assert.ok(performance.now() - started < 5_000, `the waiter took ${Math.round(performance.now() - started)} ms`);
});
