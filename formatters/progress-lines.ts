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
  testStepFinished?: { testCaseStartedId: string; testStepResult: { status: string } };
  testCaseFinished?: { testCaseStartedId: string; willBeRetried?: boolean; timestamp: { seconds: number; nanos: number } };
  testRunFinished?: unknown;
}

const ms = (t: { seconds: number; nanos: number }) => t.seconds * 1000 + t.nanos / 1e6;
const MARK: Record<string, string> = { passed: '✔', failed: '✖', skipped: '-' };

export default {
  type: 'formatter',
  formatter({ on, write }: PluginArgs) {
    const pickles = new Map<string, { name: string; uri: string }>();
    const cases = new Map<string, string>();
    const started = new Map<string, { pickleId: string; at: number; statuses: string[] }>();
    let done = 0;
    on('message', (e) => {
      if (e.pickle) pickles.set(e.pickle.id, e.pickle);
      else if (e.testCase) cases.set(e.testCase.id, e.testCase.pickleId);
      else if (e.testCaseStarted) started.set(e.testCaseStarted.id, { pickleId: cases.get(e.testCaseStarted.testCaseId) ?? '', at: ms(e.testCaseStarted.timestamp), statuses: [] });
      else if (e.testStepFinished) started.get(e.testStepFinished.testCaseStartedId)?.statuses.push(e.testStepFinished.testStepResult.status);
      else if (e.testCaseFinished && !e.testCaseFinished.willBeRetried) {
        const s = started.get(e.testCaseFinished.testCaseStartedId);
        const p = s && pickles.get(s.pickleId);
        if (!s || !p) return;
        const verdict = s.statuses.some((x) => !['PASSED', 'SKIPPED'].includes(x)) ? 'failed' : s.statuses.every((x) => x === 'PASSED') ? 'passed' : 'skipped';
        const feature = p.uri.replace(/^features\//, '').replace(/\.feature$/, '');
        const secs = ((ms(e.testCaseFinished.timestamp) - s.at) / 1000).toFixed(1);
        write(`  ${MARK[verdict]} [${++done}/${cases.size}] ${feature} › ${p.name} (${secs} s)\n`);
      }
    });
    return async () => undefined;
  },
};
