import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closingLine, parseNodeTestCounts, summarizeMessages } from '../support/report/summary.ts';

const t = (s: number) => ({ seconds: s, nanos: 0 });
function stream(cases: { name: string; statuses: string[]; commands?: number; skipReason?: string; message?: string }[]): string {
  const lines: unknown[] = [];
  cases.forEach((c, i) => {
    lines.push({ pickle: { id: `p${i}`, name: c.name, uri: 'features/x.feature' } });
    lines.push({ testCase: { id: `c${i}`, pickleId: `p${i}` } });
    lines.push({ testCaseStarted: { id: `s${i}`, testCaseId: `c${i}`, timestamp: t(10) } });
    for (let k = 0; k < (c.commands ?? 0); k++) lines.push({ attachment: { testCaseStartedId: `s${i}`, fileName: `command ${k + 1}: notation sign`, body: '$ notation' } });
    if (c.skipReason) lines.push({ attachment: { testCaseStartedId: `s${i}`, fileName: 'skip reason', body: c.skipReason } });
    for (const status of c.statuses) lines.push({ testStepFinished: { testCaseStartedId: `s${i}`, testStepResult: { status, message: status === 'FAILED' ? c.message : undefined } } });
    lines.push({ testCaseFinished: { testCaseStartedId: `s${i}`, timestamp: t(13) } });
  });
  return lines.map((l) => JSON.stringify(l)).join('\n');
}

test('verdicts, reasons, durations and command counts come from the message stream', () => {
  const s = summarizeMessages(stream([
    { name: 'ok', statuses: ['PASSED', 'PASSED'], commands: 3 },
    { name: 'bad', statuses: ['PASSED', 'FAILED', 'SKIPPED'], message: 'AssertionError: nope\nstack', commands: 2 },
    { name: 'needs docker', statuses: ['SKIPPED', 'SKIPPED'], skipReason: 'kind needs a Docker engine' },
  ]));
  assert.deepEqual([s.passed, s.failed, s.skipped, s.commands], [1, 1, 1, 5]);
  assert.equal(s.scenarios[1]?.reason, 'AssertionError: nope');
  assert.equal(s.scenarios[2]?.reason, 'kind needs a Docker engine');
  assert.equal(s.scenarios[0]?.durationMs, 3000);
});

test('an undefined or ambiguous step counts as a failure, not a pass', () => {
  const s = summarizeMessages(stream([{ name: 'u', statuses: ['PASSED', 'UNDEFINED'] }, { name: 'a', statuses: ['AMBIGUOUS'] }]));
  assert.equal(s.failed, 2);
});

test('a retried attempt is not counted twice', () => {
  const lines = stream([{ name: 'flaky', statuses: ['FAILED'] }]).split('\n').map((l) => JSON.parse(l));
  lines.find((l) => l.testCaseFinished).testCaseFinished.willBeRetried = true;
  assert.equal(summarizeMessages(lines.map((l) => JSON.stringify(l)).join('\n')).scenarios.length, 0);
});

test('node --test summaries are read in both reporters', () => {
  assert.deepEqual(parseNodeTestCounts('ℹ tests 3\nℹ pass 2\nℹ fail 1\nℹ skipped 0\n'), { passed: 2, failed: 1, skipped: 0 });
  assert.deepEqual(parseNodeTestCounts('# pass 5\n# fail 0\n'), { passed: 5, failed: 0, skipped: 0 });
  assert.equal(parseNodeTestCounts('crashed'), undefined);
});

test('the closing line has the form CI reads', () => {
  assert.equal(closingLine(3, 0, 1), '3 passed, 0 failed, 1 skipped');
});
