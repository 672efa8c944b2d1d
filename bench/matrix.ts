// The proof of concept's matrix, measured from the message streams of
// bench/matrix.sh: wall time, the sum of external command time, the overhead
// ratio (scenario wall time over command time), boot times, time per program,
// and serial against parallel wall time.
//   node bench/matrix.ts <dir with serial.ndjson and .wall, parallel-<N>.ndjson and .wall per worker count>
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { figures } from './run-figures.ts';

const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/matrix.ts <dir with serial.ndjson and .wall, parallel-<N>.ndjson and .wall>');
// A .wall file holds the run's start and end, in seconds since the epoch.
const wall = (name: string) => {
  const [start, end] = readFileSync(join(dir, `${name}.wall`), 'utf8')
    .trim()
    .split(/\s+/)
    .map(Number);
  return (end ?? 0) - (start ?? 0);
};
const runs = readdirSync(dir)
  .filter((f) => f.endsWith('.ndjson'))
  .map((f) => f.replace(/\.ndjson$/, ''))
  .sort((a, b) => (a === 'serial' ? -1 : b === 'serial' ? 1 : Number(a.split('-')[1]) - Number(b.split('-')[1])));
const serial = figures(join(dir, 'serial.ndjson'));
const serialWall = wall('serial');
console.log(`scenarios: ${serial.scenarios}`);
for (const run of runs) {
  const f = run === 'serial' ? serial : figures(join(dir, `${run}.ndjson`));
  const w = wall(run);
  const label = run === 'serial' ? 'serial' : `${run.split('-')[1]} workers`;
  console.log(`${label.padEnd(10)} wall ${w.toFixed(1)} s (serial / this ${(serialWall / w).toFixed(2)}), ${f.failed} failed; scenario time ${s(f.scenarioMs)}, inside external commands ${s(f.commandMs)}, overhead ratio ${(f.scenarioMs / f.commandMs).toFixed(2)}`);
}
console.log('boot (serial run):');
for (const b of serial.boots) console.log(`  ${b}`);
console.log('time per program (serial run):');
for (const [program, p] of [...serial.byProgram].sort((a, b) => b[1].ms - a[1].ms)) console.log(`  ${program.padEnd(24)} ${String(p.calls).padStart(4)} calls  ${s(p.ms).padStart(8)}`);
