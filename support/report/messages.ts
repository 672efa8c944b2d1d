// One reader of cucumber's message stream (reports/messages.ndjson) for every
// report derived from it: the summary table, the compatibility matrix, the
// findings. It gives each finished scenario with its steps, their results and
// its attachments. Pure: the formatters, the test command and the unit tests use it.

export type Verdict = 'passed' | 'failed' | 'skipped';

export interface StepRecord {
  text: string;
  /** PASSED, FAILED, SKIPPED, …; SKIPPED when the step never ran. */
  status: string;
  message?: string;
}

export interface ScenarioRecord {
  name: string;
  uri: string;
  tags: string[];
  steps: StepRecord[];
  /** Every step status, hooks included, in order. */
  statuses: string[];
  attachments: { fileName?: string; body?: string }[];
  verdict: Verdict;
  /** The first error of a failed scenario (hooks included). */
  firstError?: string;
  durationMs: number;
}

export const FAILING = new Set(['FAILED', 'AMBIGUOUS', 'UNDEFINED', 'PENDING', 'UNKNOWN']);

interface Timestamp {
  seconds: number;
  nanos: number;
}

interface Envelope {
  pickle?: { id: string; name: string; uri: string; tags?: { name: string }[]; steps?: { id: string; text: string }[] };
  testCase?: { id: string; pickleId: string; testSteps?: { id: string; pickleStepId?: string }[] };
  testCaseStarted?: { id: string; testCaseId: string; timestamp: Timestamp };
  testStepFinished?: { testCaseStartedId: string; testStepId: string; testStepResult: { status: string; message?: string } };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried?: boolean; timestamp: Timestamp };
  attachment?: { testCaseStartedId?: string; fileName?: string; body?: string };
}

const ms = (t: Timestamp) => t.seconds * 1000 + Math.round(t.nanos / 1e6);

export function verdictOf(statuses: string[]): Verdict {
  if (statuses.some((x) => FAILING.has(x))) return 'failed';
  return statuses.includes('SKIPPED') ? 'skipped' : 'passed';
}

/** Every finished (not retried) scenario of a message stream, in finishing order. */
export function scenarioRecords(ndjson: string): ScenarioRecord[] {
  const pickles = new Map<string, NonNullable<Envelope['pickle']>>();
  const testCases = new Map<string, NonNullable<Envelope['testCase']>>();
  const started = new Map<string, { testCaseId: string; at: number; results: Map<string, { status: string; message?: string }>; statuses: string[]; firstError?: string; attachments: { fileName?: string; body?: string }[] }>();
  const out: ScenarioRecord[] = [];
  for (const line of ndjson.split('\n')) {
    if (!line.trim()) continue;
    const e = JSON.parse(line) as Envelope;
    if (e.pickle) pickles.set(e.pickle.id, e.pickle);
    else if (e.testCase) testCases.set(e.testCase.id, e.testCase);
    else if (e.testCaseStarted) started.set(e.testCaseStarted.id, { testCaseId: e.testCaseStarted.testCaseId, at: ms(e.testCaseStarted.timestamp), results: new Map(), statuses: [], attachments: [] });
    else if (e.testStepFinished) {
      const s = started.get(e.testStepFinished.testCaseStartedId);
      if (!s) continue;
      const r = e.testStepFinished.testStepResult;
      s.results.set(e.testStepFinished.testStepId, r);
      s.statuses.push(r.status);
      if (FAILING.has(r.status) && !s.firstError) s.firstError = (r.message ?? r.status).split('\n')[0];
    } else if (e.attachment?.testCaseStartedId) {
      started.get(e.attachment.testCaseStartedId)?.attachments.push({ fileName: e.attachment.fileName, body: e.attachment.body });
    } else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
      const s = started.get(e.testCaseFinished.testCaseStartedId);
      const tc = s && testCases.get(s.testCaseId);
      const pickle = tc && pickles.get(tc.pickleId);
      if (!s) continue;
      const stepIds = new Map((tc?.testSteps ?? []).filter((t) => t.pickleStepId).map((t) => [t.pickleStepId as string, t.id]));
      out.push({
        name: pickle?.name ?? '(unknown scenario)',
        uri: pickle?.uri ?? '',
        tags: (pickle?.tags ?? []).map((t) => t.name),
        steps: (pickle?.steps ?? []).map((st) => {
          const r = s.results.get(stepIds.get(st.id) ?? '');
          return { text: st.text, status: r?.status ?? 'SKIPPED', message: r?.message };
        }),
        statuses: s.statuses,
        attachments: s.attachments,
        verdict: verdictOf(s.statuses),
        firstError: s.firstError,
        durationMs: ms(e.testCaseFinished.timestamp) - s.at,
      });
    }
  }
  return out;
}
