import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runtimeSkipReason, strictMode } from '../support/lib/privileges.ts';

test('root runs the runtimes; anyone else is told why not', () => {
  assert.equal(runtimeSkipReason(0), undefined);
  assert.match(runtimeSkipReason(1000) ?? '', /need root .* this run is uid 1000/);
});

test('the strict switch is off unless set', () => {
  assert.equal(strictMode({}), false);
  assert.equal(strictMode({ SIGPROOF_STRICT: '1' }), true);
  assert.equal(strictMode({ SIGPROOF_STRICT: '0' }), false);
});
