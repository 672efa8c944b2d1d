// Where a run's time goes, from its message stream: scenario time against time
// inside external commands, by feature, by program, and the slowest scenarios.
//   node bench/profile.ts [reports/messages.ndjson] [how many slowest, default 15]
import { basename } from 'node:path';
import { figures } from './run-figures.ts';

const file = process.argv[2] ?? 'reports/messages.ndjson';
const top = Number(process.argv[3] ?? 15);
const f = figures(file);
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
console.log(`${f.scenarios} scenarios (${f.failed} failed): scenario time ${s(f.scenarioMs)}, inside external commands ${s(f.commandMs)}, overhead ratio ${(f.scenarioMs / f.commandMs).toFixed(2)}`);
const byFeature = new Map<string, { n: number; ms: number; commandMs: number }>();
for (const r of f.records) {
  const k = basename(r.uri);
  const e = byFeature.get(k) ?? { n: 0, ms: 0, commandMs: 0 };
  byFeature.set(k, { n: e.n + 1, ms: e.ms + r.durationMs, commandMs: e.commandMs + r.commandMs });
}
console.log('by feature (scenario time, and inside external commands):');
for (const [k, e] of [...byFeature].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${k.padEnd(36)} ${String(e.n).padStart(3)} scenarios  ${s(e.ms).padStart(8)}  ${s(e.commandMs).padStart(8)}`);
console.log('by program:');
for (const [program, p] of [...f.byProgram].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${program.padEnd(36)} ${String(p.calls).padStart(5)} calls  ${s(p.ms).padStart(8)}`);
console.log(`slowest ${top} scenarios:`);
for (const r of [...f.records].sort((a, b) => b.durationMs - a.durationMs).slice(0, top)) console.log(`  ${s(r.durationMs).padStart(7)} (commands ${s(r.commandMs).padStart(6)})  ${basename(r.uri)} › ${r.name.slice(0, 110)}`);
