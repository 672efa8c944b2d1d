import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claimsTable, closingLine, parseNodeTestCounts, summarizeMessages } from '../support/report/summary.ts';
import { messageStream } from './fixtures/message-stream.ts';

function stream(cases: { name: string; statuses: string[]; commands?: number; skipReason?: string; message?: string }[]): string {
  return messageStream(
    cases.map((c) => ({
      name: c.name,
      seconds: 3,
      steps: [
        // Commands and skip reasons are attached in hooks and steps alike; here in a Before hook.
        { hook: true, status: c.statuses.every((x) => x === 'SKIPPED') ? 'SKIPPED' : 'PASSED', attachments: [...Array.from({ length: c.commands ?? 0 }, (_, k) => ({ name: `command ${k + 1}: notation sign`, body: '$ notation' })), ...(c.skipReason ? [{ name: 'skip reason', body: c.skipReason }] : [])] },
        ...c.statuses.map((status) => ({ status, message: status === 'FAILED' ? c.message : undefined })),
      ],
    })),
  );
}

test('verdicts, reasons, durations and command counts come from the message stream', () => {
  const s = summarizeMessages(
    stream([
      { name: 'ok', statuses: ['PASSED', 'PASSED'], commands: 3 },
      { name: 'bad', statuses: ['PASSED', 'FAILED', 'SKIPPED'], message: 'AssertionError: nope\nstack', commands: 2 },
      { name: 'needs docker', statuses: ['SKIPPED', 'SKIPPED'], skipReason: 'kind needs a Docker engine' },
    ]),
  );
  assert.deepEqual([s.passed, s.failed, s.skipped, s.commands], [1, 1, 1, 5]);
  assert.equal(s.scenarios[1]?.reason, 'AssertionError: nope');
  assert.equal(s.scenarios[2]?.reason, 'kind needs a Docker engine');
  assert.equal(s.scenarios[0]?.durationMs, 3000);
});

test('an undefined or ambiguous step counts as a failure, not a pass', () => {
  const s = summarizeMessages(
    stream([
      { name: 'u', statuses: ['PASSED', 'UNDEFINED'] },
      { name: 'a', statuses: ['AMBIGUOUS'] },
    ]),
  );
  assert.equal(s.failed, 2);
});

test('a retried attempt is not counted twice', () => {
  const lines = stream([{ name: 'flaky', statuses: ['FAILED'] }])
    .split('\n')
    .map((l) => JSON.parse(l));
  lines.find((l) => l.testCaseFinished).testCaseFinished.willBeRetried = true;
  assert.equal(summarizeMessages(lines.map((l) => JSON.stringify(l)).join('\n')).scenarios.length, 0);
});

test('node --test summaries are read in both reporters', () => {
  assert.deepEqual(parseNodeTestCounts('ℹ tests 3\nℹ pass 2\nℹ fail 1\nℹ skipped 0\n'), { passed: 2, failed: 1, skipped: 0 });
  assert.deepEqual(parseNodeTestCounts('# pass 5\n# fail 0\n'), { passed: 5, failed: 0, skipped: 0 });
  assert.equal(parseNodeTestCounts('crashed'), undefined);
});

test('signing-algorithm claims are read from the claim observations of passed scenarios only', () => {
  const claim = { kind: 'claim' as const, signer: 'notation', algorithm: 'ecdsa-p256', label: 'ECDSA P-256', verdict: 'verified', reason: 'Successfully verified' };
  const s = summarizeMessages(
    messageStream([
      { name: 'ok', steps: [{ status: 'PASSED', observations: [claim] }] },
      { name: 'broken', steps: [{ status: 'FAILED', observations: [{ ...claim, algorithm: 'rsa' }] }] },
    ]),
  );
  assert.deepEqual(s.claims, [claim]);
});

test('the closing line has the form CI reads', () => {
  assert.equal(closingLine(3, 0, 1), '3 passed, 0 failed, 1 skipped');
});

test('the claims table puts algorithms in catalogue order and escapes pipes', () => {
  const table = claimsTable(
    [
      { kind: 'claim', signer: 'notation', algorithm: 'b', label: 'B', verdict: 'refused at signing', reason: 'x | y' },
      { kind: 'claim', signer: 'notation', algorithm: 'a', label: 'A', verdict: 'verified', reason: 'ok' },
    ],
    ['a', 'b'],
  );
  assert.deepEqual(table.trim().split('\n').slice(2), ['| A | verified |', '| B | refused at signing: x \\| y |']);
});
