import assert from 'node:assert/strict';
import { test } from 'node:test';
import { judgeClaims, loadClaims, parseClaims, scenarioMatcher, scenarioRuns } from '../support/report/findings.ts';
import { readRun } from '../support/report/messages.ts';
import { messageStream } from './fixtures/message-stream.ts';

test('the claims catalogue parses, and every checked claim has a verdict', () => {
  const claims = loadClaims();
  assert.ok(claims.length >= 10);
  for (const c of claims) if (c.scenarios.length) assert.ok(c.verdict, c.id);
});

test('an outline placeholder matches any value', () => {
  assert.ok(scenarioMatcher('the four cases with <client>: <case>').test('the four cases with ctr: allowed without verification'));
  assert.ok(!scenarioMatcher('the four cases with <client>: <case>').test('four cases'));
});

test('a verdict stands only when every scenario behind it passed', () => {
  const [claim] = parseClaims('c.yaml', 'x:\n  section: s\n  claim: c\n  verdict: refuted\n  scenarios: ["a <n>", "b"]\n');
  const passed = (name: string) => ({ name, status: 'passed' as const, reasons: [], measurements: [] });
  assert.equal(judgeClaims([claim!], [passed('a 1'), passed('b')])[0]!.state, 'refuted');
  assert.equal(judgeClaims([claim!], [passed('a 1'), { name: 'b', status: 'failed', reasons: [], measurements: [] }])[0]!.state, 'not confirmed in this run');
  assert.equal(judgeClaims([claim!], [passed('a 1')])[0]!.why, 'not run: b');
});

test("the reasons of a claim are those its scenarios' observations recorded, in step order, whatever the steps say", () => {
  const flow = { signer: { tool: 'unsigned', variants: [], valid: false }, relocation: 'none', registry: { name: 'ci', kind: 'distribution' } };
  const runs = scenarioRuns(
    readRun(
      messageStream([
        {
          name: 'refused',
          steps: [
            { text: 'a step that says "nothing to see"', status: 'PASSED', observations: [{ kind: 'outcome', what: 'sign', verdict: 'failed', reason: 'first' }] },
            {
              text: 'another because "words"',
              status: 'PASSED',
              observations: [
                { kind: 'verdict', verifier: 'cosign CLI', target: 'ci/app', flow, verdict: 'refused', reason: 'second' },
                { kind: 'verdict', verifier: 'cosign CLI', target: 'ci/app', flow, verdict: 'accepted' },
                { kind: 'measurement', what: 'cost', summary: 'a median of 3 ms', samples: { x: [1, 3, 5] } },
              ],
            },
          ],
        },
      ]),
    ).scenarios(),
  );
  assert.deepEqual(runs, [{ name: 'refused', status: 'passed', reasons: ['first', 'second'], measurements: ['a median of 3 ms'] }]);
});

test('a claim without scenarios is unchecked; a malformed catalogue names the problem', () => {
  const [claim] = parseClaims('c.yaml', 'x:\n  section: s\n  claim: c\n');
  assert.equal(judgeClaims([claim!], [])[0]!.state, 'unchecked');
  assert.throws(() => parseClaims('c.yaml', 'x:\n  section: s\n  claim: c\n  verdict: maybe\n'), /c\.yaml: claim "x": verdict "maybe" is not one of confirmed, refuted, partly true/);
  assert.throws(() => parseClaims('c.yaml', 'x: [\n'), /c\.yaml: not valid YAML/);
});

test('every scenario the catalogue names exists in the features', async () => {
  const { readFileSync, readdirSync } = await import('node:fs');
  const { join } = await import('node:path');
  const names: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.feature')) for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/^\s*Scenario(?: Outline)?: (.+)$/gm)) names.push(m[1]!.trim());
    }
  };
  walk('features');
  for (const c of loadClaims()) {
    for (const p of c.scenarios)
      assert.ok(
        names.some((n) => scenarioMatcher(p).test(n)),
        `claims.yaml ${c.id}: no scenario is named like "${p}"`,
      );
  }
});
