// The node figures, from one run's message stream (default reports/messages.ndjson,
// after `npx cucumber-js -p node` or the whole suite): the node's boot until the
// kubelet is Ready, per phase and runtime, and the time from creating a pod to
// seeing it Running. bench/node.sh runs the node scenarios and then this.
//   node bench/node.ts [messages.ndjson]
import { readFileSync } from 'node:fs';
import { EVIDENCE } from '../support/report/attachments.ts';

const file = process.argv[2] ?? 'reports/messages.ndjson';
const boots: Record<string, number[]> = {};
const phases: Record<string, Record<string, number[]>> = {};
const running: number[] = [];
const podFatePrefix = EVIDENCE.podFate('');

for (const line of readFileSync(file, 'utf8').split('\n')) {
  if (!line) continue;
  const a = (JSON.parse(line) as { attachment?: { fileName?: string; body: string } }).attachment;
  if (!a?.fileName) continue;
  if (a.fileName === EVIDENCE.nodeStart) {
    const head = a.body.split('\n')[0] ?? '';
    const runtime = /with (CRI-O|containerd) Ready/.exec(head)?.[1] ?? '?';
    let total = 0;
    const byPhase = phases[runtime] ?? {};
    phases[runtime] = byPhase;
    for (const [, phase, s] of head.matchAll(/(\w+) ([\d.]+) s/g)) {
      const ms = Number(s) * 1000;
      total += ms;
      byPhase[phase as string] = [...(byPhase[phase as string] ?? []), ms];
    }
    boots[runtime] = [...(boots[runtime] ?? []), total];
  }
  if (a.fileName.startsWith(podFatePrefix)) {
    const m = /^running (\d+) ms after it was created/.exec(a.body);
    if (m) running.push(Number(m[1]));
  }
}

function stats(ms: number[]): string {
  const sorted = [...ms].sort((x, y) => x - y);
  const s = (v: number | undefined) => `${((v ?? 0) / 1000).toFixed(2)} s`;
  return `median ${s(sorted[sorted.length >> 1])}, min ${s(sorted[0])}, max ${s(sorted.at(-1))} (${ms.length})`;
}

for (const [runtime, ms] of Object.entries(boots)) {
  const p = Object.entries(phases[runtime] ?? {})
    .map(([phase, v]) => `${phase} ${stats(v).split(',')[0]}`)
    .join(', ');
  console.log(`node boot until the kubelet is Ready, ${runtime}: ${stats(ms)}; by phase: ${p}`);
}
console.log(`pod created -> Running: ${running.length ? stats(running) : 'no running pod in this stream'}`);
