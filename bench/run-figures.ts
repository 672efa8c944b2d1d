// Figures of one run, read from its message stream (reports/messages.ndjson or
// a bench's own): scenario time, time inside external commands, boots, time
// per program and per feature. Used by bench/matrix.ts and bench/profile.ts.
import { readFileSync } from 'node:fs';
import { COMMAND_ATTACHMENT_PREFIX, ATTACHMENT } from '../support/report/attachments.ts';
import { readRun, type ScenarioRecord } from '../support/report/messages.ts';

interface Figures {
  scenarios: number;
  failed: number;
  commandMs: number;
  scenarioMs: number;
  byProgram: Map<string, { calls: number; ms: number }>;
  boots: string[];
  /** Each scenario with the time spent inside its external commands. */
  records: (ScenarioRecord & { commandMs: number })[];
}

export function figures(file: string): Figures {
  const records: ScenarioRecord[] = readRun(readFileSync(file, 'utf8')).scenarios();
  const byProgram = new Map<string, { calls: number; ms: number }>();
  let commandMs = 0;
  const boots = new Set<string>();
  const withCommands: (ScenarioRecord & { commandMs: number })[] = [];
  for (const r of records) {
    let own = 0;
    for (const a of r.attachments) {
      if (a.name === ATTACHMENT.environment && /booted/.test(a.body)) boots.add(a.body.replace(/^environment \w+, /, ''));
      if (/(CRI-O|containerd) started in/.test(a.body)) boots.add(a.body.split('\n')[0]?.replace(/ with .*$/, '') ?? '');
      // A node's boot, by phase (namespace, runtime, kubelet, Ready): the daemons' time, which no command records.
      if (a.name === 'node start') boots.add(a.body.split('\n')[0] ?? '');
      if (!a.name.startsWith(COMMAND_ATTACHMENT_PREFIX)) continue;
      const [head, result] = a.body.split('\n');
      const program = (head ?? '').replace(/^\$ /, '').split(' ')[0] ?? '?';
      const ms = Number(/ in (\d+) ms/.exec(result ?? '')?.[1] ?? 0);
      commandMs += ms;
      own += ms;
      const p = byProgram.get(program) ?? { calls: 0, ms: 0 };
      byProgram.set(program, { calls: p.calls + 1, ms: p.ms + ms });
    }
    withCommands.push({ ...r, commandMs: own });
  }
  return { scenarios: records.length, failed: records.filter((r) => r.verdict === 'failed').length, commandMs, scenarioMs: records.reduce((n, r) => n + r.durationMs, 0), byProgram, boots: [...boots], records: withCommands };
}
