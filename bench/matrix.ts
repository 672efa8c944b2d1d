// The proof of concept's matrix, measured from the message streams of
// bench/matrix.sh: wall time, the sum of external command time, the overhead
// ratio (scenario wall time over command time), boot times, time per program,
// and serial against parallel wall time.
//   node bench/matrix.ts <dir with serial.ndjson, serial.wall, parallel.ndjson, parallel.wall>
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMAND_ATTACHMENT_PREFIX, ATTACHMENT } from '../support/report/attachments.ts';
import { readRun, type ScenarioRecord } from '../support/report/messages.ts';

interface Figures {
  scenarios: number;
  failed: number;
  commandMs: number;
  scenarioMs: number;
  byProgram: Map<string, { calls: number; ms: number }>;
  boots: string[];
}

function figures(file: string): Figures {
  const records: ScenarioRecord[] = readRun(readFileSync(file, 'utf8')).scenarios();
  const byProgram = new Map<string, { calls: number; ms: number }>();
  let commandMs = 0;
  const boots = new Set<string>();
  for (const r of records) {
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
      const p = byProgram.get(program) ?? { calls: 0, ms: 0 };
      byProgram.set(program, { calls: p.calls + 1, ms: p.ms + ms });
    }
  }
  return { scenarios: records.length, failed: records.filter((r) => r.verdict === 'failed').length, commandMs, scenarioMs: records.reduce((n, r) => n + r.durationMs, 0), byProgram, boots: [...boots] };
}

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/matrix.ts <dir with serial.ndjson, serial.wall, parallel.ndjson, parallel.wall>');
// A .wall file holds the run's start and end, in seconds since the epoch.
const wall = (name: string) => {
  const [start, end] = readFileSync(join(dir, `${name}.wall`), 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  return (end ?? 0) - (start ?? 0);
};
const [serialWall, parallelWall] = [wall('serial'), wall('parallel')];
const serial = figures(join(dir, 'serial.ndjson'));
const parallel = figures(join(dir, 'parallel.ndjson'));
console.log(`scenarios: ${serial.scenarios} (${serial.failed} failed serially, ${parallel.failed} in parallel)`);
console.log(`wall time: serial ${serialWall.toFixed(1)} s, parallel ${parallelWall.toFixed(1)} s (serial / parallel ${(serialWall / parallelWall).toFixed(2)})`);
console.log(`serial run: scenario time ${s(serial.scenarioMs)}, inside external commands ${s(serial.commandMs)}, overhead ratio ${(serial.scenarioMs / serial.commandMs).toFixed(2)}`);
console.log(`parallel run: scenario time ${s(parallel.scenarioMs)}, inside external commands ${s(parallel.commandMs)}, overhead ratio ${(parallel.scenarioMs / parallel.commandMs).toFixed(2)}`);
console.log('boot (serial run):');
for (const b of serial.boots) console.log(`  ${b}`);
console.log('time per program (serial run):');
for (const [program, p] of [...serial.byProgram].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${program.padEnd(24)} ${String(p.calls).padStart(4)} calls  ${s(p.ms).padStart(8)}`);
