// The effect of GOMAXPROCS on the Go tools' short-lived processes, the kind a
// scenario runs by the hundred: oras, cosign v2 and v3, notation, crane and
// kubectl against a real registry on loopback. Each setting runs the same calls
// with one stream of calls, then with two at once (what two workers do on two
// cores). Prints the median time per call and the wall time of each round.
//   node bench/gomaxprocs.ts [rounds, default 20]
import { join } from 'node:path';
import { tool } from '../toolchain/tool-paths.ts';
import { buildImage, getImageSpec } from '../support/images.ts';
import { killEverythingNow, makeTempDir } from '../support/lib/cleanup.ts';
import { runCommand } from '../support/lib/runner.ts';
import { startRegistry } from '../support/env/registry.ts';

const rounds = Number(process.argv[2] ?? 20);

try {
  const dir = makeTempDir('bench-gomaxprocs');
  const registry = await startRegistry('bench', 'distribution', dir);
  const image = await buildImage(getImageSpec('busybox'), 'bench', join(dir, 'image'));
  const ref = `${registry.host}/app:bench`;
  const push = await runCommand(tool('oras'), ['cp', '--from-oci-layout', `${image.layoutDir}:bench`, '--to-plain-http', ref]);
  if (push.exitCode !== 0) throw new Error(`oras cp: ${push.stderr}`);
  const calls: [string, string[]][] = [
    ['oras', ['resolve', '--plain-http', ref]],
    ['oras', ['manifest', 'fetch', '--plain-http', ref]],
    ['crane', ['digest', '--insecure', ref]],
    ['cosign2', ['tree', '--allow-insecure-registry', '--allow-http-registry', ref]],
    ['cosign3', ['tree', '--allow-insecure-registry', '--allow-http-registry', ref]],
    ['notation', ['list', '--insecure-registry', `${registry.host}/app@${image.manifestDigest}`]],
    ['kubectl', ['version', '--client']],
  ];
  const settings: (string | undefined)[] = [undefined, '1', '2'];
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1] ?? 0;
  const stream = async (gomaxprocs: string | undefined, perTool: Map<string, number[]>) => {
    const env = { ...process.env, HOME: dir, ...(gomaxprocs ? { GOMAXPROCS: gomaxprocs } : {}) };
    if (!gomaxprocs) delete env.GOMAXPROCS;
    for (let r = 0; r < rounds; r++) {
      for (const [bin, args] of calls) {
        const res = await runCommand(tool(bin), args, { env });
        if (res.exitCode !== 0) throw new Error(`${bin} ${args.join(' ')}: ${res.stderr}`);
        perTool.set(bin, [...(perTool.get(bin) ?? []), res.durationMs]);
      }
    }
  };
  for (const streams of [1, 2]) {
    for (const g of settings) {
      const perTool = new Map<string, number[]>();
      const start = performance.now();
      await Promise.all(Array.from({ length: streams }, () => stream(g, perTool)));
      const wall = (performance.now() - start) / 1000;
      const per = [...perTool].map(([bin, ms]) => `${bin} ${median(ms)}`).join(', ');
      console.log(`${streams} stream(s), GOMAXPROCS=${g ?? 'unset (2 here)'}: ${wall.toFixed(1)} s wall for ${streams * rounds * calls.length} calls; median ms per call: ${per}`);
    }
  }
} finally {
  killEverythingNow();
}
