// Reads cucumber's message stream (reports/messages.ndjson) into per-scenario
// verdicts and counts. Pure functions: the test command and the unit tests use them.

export type Verdict = 'passed' | 'failed' | 'skipped';

export interface ScenarioResult {
  name: string;
  uri: string;
  verdict: Verdict;
  /** For skipped scenarios, why; for failed ones, the first error. */
  reason?: string;
  commands: number;
  durationMs: number;
}

export interface ClaimRow {
  signer: string;
  algorithm: string;
  label: string;
  verdict: string;
  reason: string;
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  /** Signing-algorithm claim results, from scenarios that passed (their verdicts were confirmed). */
  claims: ClaimRow[];
  passed: number;
  failed: number;
  skipped: number;
  commands: number;
}

const FAILING = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN']);
export const SKIP_REASON_FILE = 'skip reason';
export const COMMAND_FILE_PREFIX = 'command ';
/** Attachments with this name hold one signing-algorithm claim result (JSON). */
export const CLAIM_FILE = 'claim result';
/** Attachments with this name record a tool a scenario replaced (JSON: bin, path, version). */
export const TOOL_OVERRIDE_FILE = 'tool override';

interface Envelope {
  pickle?: { id: string; name: string; uri: string };
  testCase?: { id: string; pickleId: string };
  testCaseStarted?: { id: string; testCaseId: string; timestamp: { seconds: number; nanos: number } };
  testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string; message?: string } };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried?: boolean; timestamp: { seconds: number; nanos: number } };
  attachment?: { testCaseStartedId?: string; fileName?: string; body?: string };
}

function ms(t: { seconds: number; nanos: number }): number {
  return t.seconds * 1000 + Math.round(t.nanos / 1e6);
}

export function summarizeMessages(ndjson: string): RunSummary {
  const pickles = new Map<string, { name: string; uri: string }>();
  const testCases = new Map<string, string>();
  const started = new Map<string, { testCaseId: string; at: number; statuses: string[]; firstError?: string; skipReason?: string; commands: number; claim?: ClaimRow }>();
  const claims: ClaimRow[] = [];
  const finished: ScenarioResult[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const m = JSON.parse(line) as Envelope;
    if (m.pickle) pickles.set(m.pickle.id, { name: m.pickle.name, uri: m.pickle.uri });
    else if (m.testCase) testCases.set(m.testCase.id, m.testCase.pickleId);
    else if (m.testCaseStarted) started.set(m.testCaseStarted.id, { testCaseId: m.testCaseStarted.testCaseId, at: ms(m.testCaseStarted.timestamp), statuses: [], commands: 0 });
    else if (m.testStepFinished) {
      const s = started.get(m.testStepFinished.testCaseStartedId);
      if (!s) continue;
      const { status, message } = m.testStepFinished.testStepResult;
      s.statuses.push(status);
      if (FAILING.has(status) && !s.firstError) s.firstError = (message ?? status).split('\n')[0];
    } else if (m.attachment?.testCaseStartedId) {
      const s = started.get(m.attachment.testCaseStartedId);
      if (!s) continue;
      if (m.attachment.fileName?.startsWith(COMMAND_FILE_PREFIX)) s.commands++;
      if (m.attachment.fileName === SKIP_REASON_FILE) s.skipReason = m.attachment.body;
      if (m.attachment.fileName === CLAIM_FILE && m.attachment.body) s.claim = JSON.parse(m.attachment.body) as ClaimRow;
    } else if (m.testCaseFinished && !m.testCaseFinished.willBeRetried) {
      const s = started.get(m.testCaseFinished.testCaseStartedId);
      if (!s) continue;
      const pickle = pickles.get(testCases.get(s.testCaseId) ?? '') ?? { name: '(unknown scenario)', uri: '' };
      const verdict: Verdict = s.statuses.some((x) => FAILING.has(x)) ? 'failed' : s.statuses.includes('SKIPPED') ? 'skipped' : 'passed';
      if (s.claim && verdict === 'passed') claims.push(s.claim);
      finished.push({
        name: pickle.name,
        uri: pickle.uri,
        verdict,
        reason: verdict === 'failed' ? s.firstError : verdict === 'skipped' ? (s.skipReason ?? 'skipped without a stated reason') : undefined,
        commands: s.commands,
        durationMs: ms(m.testCaseFinished.timestamp) - s.at,
      });
    }
  }
  return {
    scenarios: finished,
    claims,
    passed: finished.filter((s) => s.verdict === 'passed').length,
    failed: finished.filter((s) => s.verdict === 'failed').length,
    skipped: finished.filter((s) => s.verdict === 'skipped').length,
    commands: finished.reduce((n, s) => n + s.commands, 0),
  };
}

/** The closing line every test command ends with. */
export function closingLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** node --test prints "# pass N" and "# fail N" (and skipped) in its summary. */
export function parseNodeTestCounts(output: string): { passed: number; failed: number; skipped: number } | undefined {
  const count = (label: string) => Number(new RegExp(`^[#ℹ] ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  const passed = count('pass');
  const failed = count('fail');
  if (Number.isNaN(passed) || Number.isNaN(failed)) return undefined;
  const skipped = count('skipped');
  return { passed, failed, skipped: Number.isNaN(skipped) ? 0 : skipped };
}

/** signer x algorithm -> verdict (reason), as a Markdown table. */
export function claimsTable(claims: ClaimRow[], algorithmOrder: string[] = []): string {
  if (claims.length === 0) return '';
  const signers = [...new Set(claims.map((c) => c.signer))].sort();
  const rank = (a: string) => (algorithmOrder.includes(a) ? algorithmOrder.indexOf(a) : algorithmOrder.length);
  const algorithms = [...new Map(claims.map((c) => [c.algorithm, c.label])).entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  const cell = (signer: string, algorithm: string) => {
    const c = claims.find((x) => x.signer === signer && x.algorithm === algorithm);
    if (!c) return 'not run';
    return c.verdict === 'verified' ? 'verified' : `${c.verdict}: ${c.reason.replaceAll('|', '\\|')}`;
  };
  const lines = [`| algorithm | ${signers.join(' | ')} |`, `|---|${signers.map(() => '---').join('|')}|`];
  for (const [algorithm, label] of algorithms) lines.push(`| ${label} | ${signers.map((s) => cell(s, algorithm)).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
