import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMatrix, buildRuleTable, judgedFrom, unjudgedFrom } from '../support/report/matrix.ts';
import { matrixMarkdown, matrixText } from '../support/report/matrix-render.ts';
import { readRun } from '../support/report/messages.ts';
import type { Flow, VerdictObservation } from '../support/report/observations.ts';
import { type FixtureScenario, messageStream } from './fixtures/message-stream.ts';

const cosignV2: Flow = { signer: { tool: 'cosign v2', profile: 'corp-ecdsa-p256', variants: [], valid: true }, relocation: 'cosign copy', registry: { name: 'prod', kind: 'ggcr' } };
const unsigned: Flow = { signer: { tool: 'unsigned', variants: [], valid: false }, relocation: 'cosign copy', registry: { name: 'prod', kind: 'ggcr' } };
const verdict = (flow: Flow, v: 'accepted' | 'refused', verifier: VerdictObservation['verifier'] = 'Kyverno Pod', reason?: string): VerdictObservation => ({ kind: 'verdict', verifier, target: `${flow.registry.name}/app`, flow, verdict: v, reason });

/** The Kyverno scenario of the features, as its message stream: setup steps, then two judging steps. */
function kyvernoScenario(texts: string[], statuses = ['PASSED', 'PASSED', 'PASSED']): FixtureScenario {
  return {
    name: 'cosign v2 on ggcr',
    steps: [
      { text: texts[0], status: statuses[0] ?? 'PASSED' },
      { text: texts[1], status: statuses[1] ?? 'PASSED', observations: [verdict(cosignV2, 'accepted')] },
      { text: texts[2], status: statuses[2] ?? 'PASSED', observations: [verdict(unsigned, 'refused', 'Kyverno Pod', 'no signatures found')] },
    ],
  };
}

const WORDS = ['"ci/app:signed" is copied with cosign v2 to "prod/app:signed"', 'the pod "pod-success" running "prod/app:signed" is admitted', 'the pod "pod-fail" running "prod/app:unsigned" is rejected because "no signatures found"'];

const matrixOf = (scenarios: FixtureScenario[]) => {
  const records = readRun(messageStream(scenarios)).scenarios();
  const judged = judgedFrom(records);
  return { matrix: buildMatrix(judged), rules: buildRuleTable(judged), unjudged: unjudgedFrom(records) };
};
const cell = (m: ReturnType<typeof buildMatrix>, tool: string) => m.rows.find((r) => r.flow.signer.tool === tool)?.cells.get('Kyverno Pod')?.status;

test('cells come from the observations: an accepted valid signature is verified, a refused unsigned image rejected as expected', () => {
  const { matrix } = matrixOf([kyvernoScenario(WORDS)]);
  assert.equal(cell(matrix, 'cosign v2'), 'verified');
  assert.equal(cell(matrix, 'unsigned'), 'rejected as expected');
  assert.deepEqual(
    matrix.rows.map((r) => r.key),
    ['cosign v2 | cosign copy | ggcr', 'unsigned | cosign copy | ggcr'],
  );
});

test('rewording the steps changes nothing: the matrix is not read from step text', () => {
  const reworded = ['the image goes to production by cosign copy', 'Kyverno lets the signed pod in', 'Kyverno keeps the unsigned pod out'];
  assert.equal(matrixText(matrixOf([kyvernoScenario(reworded)])), matrixText(matrixOf([kyvernoScenario(WORDS)])));
});

test("the judging step's status decides: a failed check is an unexpected result, a scenario skipped before any verdict is not run", () => {
  const { matrix } = matrixOf([kyvernoScenario(WORDS, ['PASSED', 'FAILED', 'SKIPPED'])]);
  assert.equal(cell(matrix, 'cosign v2'), 'unexpected result');
  const skipped = matrixOf([{ name: 'needs docker', steps: [{ hook: true, status: 'SKIPPED', attachments: [{ name: 'skip reason', body: 'kind needs a Docker engine' }] }, { status: 'SKIPPED' }] }]);
  assert.deepEqual(skipped.unjudged, [{ scenario: 'needs docker', status: 'not run', reason: 'kind needs a Docker engine' }]);
  assert.match(matrixText(skipped), /- needs docker: kind needs a Docker engine/);
  const failedEarly = matrixOf([{ name: 'signing broke', steps: [{ status: 'FAILED', message: 'cosign sign failed\nstack' }, { status: 'SKIPPED' }] }]);
  assert.deepEqual(failedEarly.unjudged, [{ scenario: 'signing broke', status: 'unexpected result', reason: 'cosign sign failed' }]);
  assert.match(matrixMarkdown({ ...matrixOf([kyvernoScenario(WORDS, ['PASSED', 'FAILED', 'SKIPPED'])]), header: { date: 'd', environment: 'embedded', tools: {} } }), /❌ unexpected result \[1\]\(cucumber\.html\?query=cosign%20v2%20on%20ggcr/);
});

test('a valid signature refused in a @finding scenario is a finding; the same refusal elsewhere is not', () => {
  const refused: FixtureScenario = { name: 'v3 bundles on CRI-O', tags: ['@finding'], steps: [{ status: 'PASSED', observations: [verdict({ ...cosignV2, signer: { tool: 'cosign v3 (bundle)', variants: [], valid: true } }, 'refused', 'CRI-O')] }] };
  const crio = (m: ReturnType<typeof buildMatrix>) => m.rows[0]?.cells.get('CRI-O')?.status;
  assert.equal(crio(matrixOf([refused]).matrix), 'finding');
  assert.equal(crio(matrixOf([{ ...refused, tags: [] }]).matrix), 'rejected as expected');
});

test('rule registries and unsigned images let through go to the rule table, not the flows', () => {
  const open: Flow = { ...unsigned, registry: { name: 'open', kind: 'distribution' } };
  const { matrix, rules } = matrixOf([{ name: 'rules', steps: [{ status: 'PASSED', observations: [verdict(open, 'accepted', 'CRI-O'), verdict(unsigned, 'accepted')] }] }]);
  assert.equal(matrix.rows.length, 0);
  assert.deepEqual(
    rules.rows.map((r) => [r.rule, [...r.cells.keys()]]),
    [
      ['outside the policy (not checked)', ['Kyverno Pod']],
      ['allowed without verification', ['CRI-O']],
    ],
  );
  assert.deepEqual(rules.verifiers, ['Kyverno Pod', 'CRI-O', 'containerd']);
});

test('ImageValidatingPolicy columns appear only when a scenario fills them', () => {
  assert.ok(!matrixOf([kyvernoScenario(WORDS)]).matrix.verifiers.includes('Kyverno Pod (ImageValidatingPolicy)'));
  const ivp = matrixOf([{ name: 'ivp', steps: [{ status: 'PASSED', observations: [verdict(cosignV2, 'accepted', 'Kyverno Pod (ImageValidatingPolicy)')] }] }]);
  assert.ok(ivp.matrix.verifiers.includes('Kyverno Pod (ImageValidatingPolicy)'));
  assert.match(matrixText(ivp), /K\.Pod\/IVP/);
});

test('an unsigned image let through in a @finding scenario is a finding in its flow row; elsewhere it is the outside-the-policy rule', () => {
  const letThrough: FixtureScenario = { name: 'a moved tag admitted', tags: ['@finding'], steps: [{ status: 'PASSED', observations: [verdict(unsigned, 'accepted', 'Kyverno Pod (ImageValidatingPolicy)')] }] };
  assert.equal(matrixOf([letThrough]).matrix.rows[0]?.cells.get('Kyverno Pod (ImageValidatingPolicy)')?.status, 'finding');
  const onPurpose = matrixOf([{ ...letThrough, tags: [] }]);
  assert.equal(onPurpose.matrix.rows.length, 0);
  assert.equal(onPurpose.rules.rows.length, 1);
});
