import assert from 'node:assert/strict';
import { test } from 'node:test';
import { observationsOfScenario, readRun, RunReader } from '../support/report/messages.ts';
import { messageStream } from './fixtures/message-stream.ts';

test('a finished scenario gives its steps (hooks left out), observations, attachments and the first error', () => {
  const outcome = { kind: 'outcome' as const, what: 'sign', verdict: 'failed' as const, reason: 'no signature arrived' };
  const [r] = readRun(
    messageStream([
      { name: 's', tags: ['@notation'], seconds: 2, steps: [{ hook: true, status: 'PASSED', attachments: [{ name: 'command 1: notation sign', body: '$ notation sign' }] }, { status: 'PASSED', observations: [outcome] }, { status: 'FAILED', message: 'AssertionError: nope\n  at x' }, { status: 'SKIPPED' }] },
    ]),
  ).scenarios();
  assert.ok(r);
  assert.deepEqual(
    r.steps.map((s) => s.status),
    ['PASSED', 'FAILED', 'SKIPPED'],
  );
  assert.deepEqual(observationsOfScenario(r), [outcome]);
  assert.deepEqual([r.verdict, r.firstError, r.commands, r.durationMs, r.tags], ['failed', 'AssertionError: nope', 1, 2000, ['@notation']]);
  assert.equal(r.errorMessage, 'AssertionError: nope\n  at x');
});

test('a failed BeforeAll hook is reported, not silent', () => {
  const reader = new RunReader();
  reader.update({ testRunHookStarted: { id: 'h1', testRunStartedId: 'r', hookId: 'x', timestamp: { seconds: 0, nanos: 0 } } });
  reader.update({ testRunHookFinished: { testRunHookStartedId: 'h1', result: { status: 'FAILED' as never, duration: { seconds: 0, nanos: 0 }, message: 'notation is not installed' }, timestamp: { seconds: 0, nanos: 0 } } });
  assert.deepEqual(reader.runFailures(), ['a BeforeAll/AfterAll hook failed: notation is not installed']);
});

test('an attachment that claims to be an observation but is not one is refused with its body', () => {
  const lines = messageStream([{ name: 's', steps: [{ status: 'PASSED', observations: [{ kind: 'outcome', what: 'x', verdict: 'observed' }] }] }]).replace('\\"kind\\":\\"outcome\\"', '\\"kind\\":\\"guess\\"');
  assert.throws(() => readRun(lines).scenarios(), /not a sigproof observation/);
});
