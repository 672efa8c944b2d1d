import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMatrix, buildRuleTable, interpretScenario, matrixMarkdown, matrixText, observationsFrom } from '../support/report/matrix.ts';

/** A message stream of one scenario, with one status per step (the shape cucumber-js writes). */
function stream(name: string, steps: string[], statuses: string[], tags: string[] = []): string {
  const t = { seconds: 0, nanos: 0 };
  const envelopes = [
    { pickle: { id: 'p1', name, uri: 'features/x.feature', tags: tags.map((n) => ({ name: n })), steps: steps.map((text, i) => ({ id: `ps${i}`, text })) } },
    { testCase: { id: 'tc1', pickleId: 'p1', testSteps: steps.map((_, i) => ({ id: `ts${i}`, pickleStepId: `ps${i}` })) } },
    { testCaseStarted: { id: 'tcs1', testCaseId: 'tc1', timestamp: t } },
    ...statuses.map((status, i) => ({ testStepFinished: { testCaseStartedId: 'tcs1', testStepId: `ts${i}`, testStepResult: { status, message: status === 'FAILED' ? 'AssertionError: expected 1 to equal 0' : undefined } } })),
    { testCaseFinished: { testCaseStartedId: 'tcs1', timestamp: t } },
  ];
  return envelopes.map((e) => JSON.stringify(e)).join('\n');
}

const KYVERNO = [
  'the registry "ci"',
  'the registry "prod" of kind "ggcr"',
  'the test image "busybox" is pushed to "ci" as "app:signed" and "app:unsigned"',
  '"ci/app:signed" was signed with cosign v2 by "corp-ecdsa-p256"',
  '"ci/app:signed" is copied with cosign v2 to "prod/app:signed"',
  '"ci/app:unsigned" is copied with cosign v2 to "prod/app:unsigned"',
  'Kyverno enforces the policy "cosign" for the registry "prod" trusting "corp-ecdsa-p256"',
  'the pod "pod-success-cosign-v2" running "prod/app:signed" is admitted',
  'the pod "pod-fail-cosign-v2" running "prod/app:unsigned" is rejected because "no signatures found"',
];

test('a scenario is replayed into flows: signer, relocation, registry kind', () => {
  const judged = interpretScenario(KYVERNO).filter((j) => j !== undefined);
  assert.deepEqual(judged.map((j) => [j.verifier, j.expected, j.flow]), [
    ['Kyverno Pod', 'verified', { signer: 'cosign v2', relocation: 'cosign copy', registryKind: 'ggcr' }],
    ['Kyverno Pod', 'rejected', { signer: 'unsigned', relocation: 'cosign copy', registryKind: 'ggcr' }],
  ]);
});

test('changing one step outcome in the message stream changes the matrix cell', () => {
  const passing = buildMatrix(observationsFrom(stream('cosign v2 on ggcr', KYVERNO, KYVERNO.map(() => 'PASSED'))));
  const cell = (m: ReturnType<typeof buildMatrix>, signer: string) => m.rows.find((r) => r.flow.signer === signer)?.cells.get('Kyverno Pod')?.status;
  assert.equal(cell(passing, 'cosign v2'), 'verified');
  assert.equal(cell(passing, 'unsigned'), 'rejected as expected');

  const statuses = KYVERNO.map(() => 'PASSED');
  statuses[7] = 'FAILED';
  statuses[8] = 'SKIPPED';
  const failing = buildMatrix(observationsFrom(stream('cosign v2 on ggcr', KYVERNO, statuses)));
  assert.equal(cell(failing, 'cosign v2'), 'unexpected result');
  assert.equal(cell(failing, 'unsigned'), 'not run');
  assert.match(matrixMarkdown(failing, buildRuleTable([]), { date: 'd', environment: 'embedded', tools: {} }), /❌ unexpected result \[1\]\(cucumber\.html\?query=cosign%20v2%20on%20ggcr/);
});

test('a valid signature refused in a @finding scenario is a finding; a skipped scenario says why', () => {
  const steps = [
    'the test image "busybox" is pushed as "ci/app:signed"',
    '"ci/app:signed" was signed with cosign v3 by "corp-ecdsa-p256"',
    '"ci/app:signed" is copied with oras --recursive to "prod/app:signed"',
    'CRI-O enforces the policy "exact-repository" trusting "corp-ecdsa-p256"',
    '"prod/app:signed" is pulled with crictl from CRI-O',
    'the pull fails because "A signature was required, but no signature exists"',
  ];
  const found = observationsFrom(stream('v3 bundle', steps, steps.map(() => 'PASSED'), ['@finding']));
  assert.deepEqual(found.map((o) => [o.verifier, o.status, o.flow.signer, o.flow.relocation]), [['CRI-O', 'finding', 'cosign v3 (bundle)', 'oras cp']]);
  const skipped = stream('v3 bundle', steps, steps.map(() => 'SKIPPED'), ['@finding']) + '\n' + JSON.stringify({ attachment: { testCaseStartedId: 'tcs1', fileName: 'skip reason', body: 'needs root' } });
  // The skip reason arrives before the test case finishes in a real stream.
  const lines = skipped.split('\n');
  const reordered = [...lines.slice(0, -2), lines.at(-1), lines.at(-2)].join('\n');
  const [o] = observationsFrom(reordered);
  assert.equal(o?.status, 'not run');
  assert.equal(o?.reason, 'needs root');
});

test('rule-case registries go to their own table, and the console form has one line per flow', () => {
  const steps = ['"open/app:unsigned" is pulled with ctr from containerd', 'the pull succeeds'];
  const obs = observationsFrom(stream('open', steps, ['PASSED', 'PASSED']));
  assert.equal(buildMatrix(obs).rows.length, 0);
  const rules = buildRuleTable(obs);
  assert.equal(rules.rows[0]?.rule, 'allowed without verification');
  assert.match(matrixText(buildMatrix(obs), rules), /policy rule: allowed without verification +CRI-O \.  containerd V/);
});

test('a signing the scenario shows failing leaves the image unsigned; the three-step air gap is one relocation', () => {
  const judged = interpretScenario([
    '"ci/app:signed" is signed with notation by "corp-rsa-pss-not-yet-valid" through the signer "rsassa-pss-sha512"',
    'signing fails because "was invalid at signing time"',
    '"ci/app:signed" is verified with notation',
    'the verification fails because "no signature is associated with"',
    '"ci/app:signed" was signed with notation by "corp-rsa-pss" through the signer "rsassa-pss-sha512"',
    '"ci/app:signed" is copied with oras --recursive to the OCI layout "outbound"',
    'the OCI layout "outbound" is carried across the air gap as a tar archive and unpacked as the OCI layout "inbound"',
    'the OCI layout "inbound" tag "signed" is copied with oras --recursive to "prod/app:signed"',
    '"prod/app:signed" is verified with notation',
    'the verification succeeds',
  ]).filter((j) => j !== undefined);
  assert.deepEqual(judged.map((j) => `${j.flow.signer} | ${j.flow.relocation}`), ['unsigned | none', 'notation | oras via an OCI layout archive']);
});
