// Start time of the runtimes as the scenarios start them: from spawning the
// daemon until it answers its client on its socket (CRI-O: crictl version;
// containerd: ctr version). Each start gets fresh state dirs, like a scenario.
// Needs root. Run: node bench/runtime-boot.ts [runs, default 5]
import { join } from 'node:path';
import { killEverythingNow, makeTempDir } from '../support/lib/cleanup.ts';
import { startContainerd } from '../support/env/containerd.ts';
import { startCrio } from '../support/env/crio.ts';

const runs = Number(process.argv[2] ?? 5);
const POLICY = JSON.stringify({ default: [{ type: 'reject' }] });

function stats(ms: number[]): string {
  const sorted = [...ms].sort((a, b) => a - b);
  const s = (v: number) => `${(v / 1000).toFixed(2)} s`;
  return `min ${s(sorted[0] as number)}, median ${s(sorted[sorted.length >> 1] as number)}, max ${s(sorted.at(-1) as number)} (${ms.length} starts)`;
}

try {
  const crio: number[] = [];
  const containerd: number[] = [];
  for (let i = 0; i < runs; i++) {
    const dir = makeTempDir('bench-runtime');
    const c = await startCrio(join(dir, 'a'), { registryHosts: ['registry.invalid:443'], policy: POLICY });
    crio.push(c.bootMs);
    await c.stop();
    const d = await startContainerd(join(dir, 'b'), ['registry.invalid:443']);
    containerd.push(d.bootMs);
    await d.stop();
  }
  console.log(`CRI-O 1.36.3: ${stats(crio)}`);
  console.log(`containerd 2.4.2: ${stats(containerd)}`);
} finally {
  killEverythingNow();
}
