// cucumber-js formatter plugin: one console line per finished scenario (a flow),
// as it finishes, so a long run shows where it is and what each flow concluded.
//   ✔ runtime-crio › the four cases of policy.json: allowed without verification (2.1 s)
interface PluginArgs {
  on: (event: 'message', handler: (envelope: Envelope) => void) => void;
  write: (chunk: string) => void;
}

interface Envelope {
  pickle?: { id: string; name: string; uri: string };
  testCase?: { id: string; pickleId: string };
  testCaseStarted?: { id: string; testCaseId: string; timestamp: { seconds: number; nanos: number } };
  testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string; message?: string } };
  attachment?: { testCaseStartedId?: string; fileName?: string; body?: string };
  testRunHookFinished?: { result: { status: string; message?: string; exception?: { message?: string } } };
  testRunFinished?: { success: boolean; message?: string; exception?: { message?: string } };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried?: boolean; timestamp: { seconds: number; nanos: number } };
}

const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
const MARK: Record<string, string> = { passed: '✔', failed: '✖', skipped: '-' };

export default {
  type: 'formatter',
  formatter({ on, write }: PluginArgs) {
    const pickles = new Map<string, { name: string; uri: string }>();
    const cases = new Map<string, string>();
    const started = new Map<string, { pickleId: string; at: number; statuses: string[]; error?: string; skipReason?: string }>();
    const failures: string[] = [];
    let done = 0;
    on('message', (e) => {
      if (e.pickle) pickles.set(e.pickle.id, e.pickle);
      else if (e.testCase) cases.set(e.testCase.id, e.testCase.pickleId);
      else if (e.testCaseStarted) started.set(e.testCaseStarted.id, { pickleId: cases.get(e.testCaseStarted.testCaseId) ?? '', at: ms(e.testCaseStarted.timestamp), statuses: [] });
      else if (e.testStepFinished) {
        const s = started.get(e.testStepFinished.testCaseStartedId);
        const r = e.testStepFinished.testStepResult;
        s?.statuses.push(r.status);
        if (s && !s.error && !['PASSED', 'SKIPPED'].includes(r.status)) s.error = r.message ?? r.status;
      } else if (e.attachment?.fileName === 'skip reason' && e.attachment.testCaseStartedId) {
        const s = started.get(e.attachment.testCaseStartedId);
        if (s) s.skipReason = e.attachment.body;
      } else if (e.testRunHookFinished && e.testRunHookFinished.result.status !== 'PASSED') {
        const r = e.testRunHookFinished.result;
        failures.push(`a BeforeAll/AfterAll hook failed: ${r.message ?? r.exception?.message ?? r.status}`);
      } else if (e.testRunFinished && !e.testRunFinished.success && (e.testRunFinished.message || e.testRunFinished.exception)) {
        failures.push(`the run failed: ${e.testRunFinished.message ?? e.testRunFinished.exception?.message}`);
      }
      else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const s = started.get(e.testCaseFinished.testCaseStartedId);
        const p = s && pickles.get(s.pickleId);
        if (!s || !p) return;
        const verdict = s.statuses.some((x) => !['PASSED', 'SKIPPED'].includes(x)) ? 'failed' : s.statuses.every((x) => x === 'PASSED') ? 'passed' : 'skipped';
        const feature = p.uri.replace(/^features\//, '').replace(/\.feature$/, '');
        const secs = ((ms(e.testCaseFinished.timestamp) - s.at) / 1000).toFixed(1);
        const why = verdict === 'skipped' && s.skipReason ? ` — skipped: ${s.skipReason}` : '';
        write(`  ${MARK[verdict]} [${++done}/${cases.size}] ${feature} › ${p.name} (${secs} s)${why}\n`);
        if (verdict === 'failed') failures.push(`${feature} › ${p.name}:\n${(s.error ?? '').split('\n').slice(0, 25).map((l) => `      ${l}`).join('\n')}`);
      }
    });
    // What failed, after the lines: the step's error, or the hook's.
    return async () => {
      if (!failures.length) return;
      write(`\n${failures.length} failure(s):\n`);
      failures.forEach((f, i) => write(`  ${i + 1}) ${f}\n`));
    };
  },
};
