// cucumber-js formatter plugin: one console line per finished scenario (a flow),
// as it finishes, so a long run shows where it is and what each flow concluded.
//   ✔ [12/144] runtime-crio › the four cases of policy.json: allowed without verification (2.1 s)
// At the end it lists the failures, and BeforeAll/AfterAll errors, which would
// otherwise be silent with a custom formatter.
import type { Envelope } from '@cucumber/messages';
import { RunReader } from '../support/report/messages.ts';

interface PluginArgs {
  on: (event: 'message', handler: (envelope: Envelope) => void) => void;
  write: (chunk: string) => void;
}

const MARK = { passed: '✔', failed: '✖', skipped: '-' } as const;

export default {
  type: 'formatter',
  formatter({ on, write }: PluginArgs) {
    const reader = new RunReader();
    const failures: string[] = [];
    let done = 0;
    on('message', (e) => {
      reader.update(e);
      if (!e.testCaseFinished || e.testCaseFinished.willBeRetried) return;
      const r = reader.scenario(e.testCaseFinished);
      const feature = r.uri.replace(/^features\//, '').replace(/\.feature$/, '');
      const why = r.verdict === 'skipped' && r.skipReason ? ` — skipped: ${r.skipReason}` : '';
      write(`  ${MARK[r.verdict]} [${++done}/${reader.plannedScenarios()}] ${feature} › ${r.name} (${(r.durationMs / 1000).toFixed(1)} s)${why}\n`);
      if (r.verdict === 'failed') {
        const error = r.errorMessage ?? '';
        failures.push(
          `${feature} › ${r.name}:\n${error
            .split('\n')
            .slice(0, 25)
            .map((l) => `      ${l}`)
            .join('\n')}`,
        );
      }
    });
    return async () => {
      const all = [...failures, ...reader.runFailures()];
      if (!all.length) return;
      write(`\n${all.length} failure(s):\n`);
      for (const [i, f] of all.entries()) write(`  ${i + 1}) ${f}\n`);
    };
  },
};
