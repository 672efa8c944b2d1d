// The OCI hook's cost, from the measurement observations of one or more runs'
// message streams (the claim's scenarios in features/claims/oci-hook-cost.feature):
// per runtime, the container creation-to-start time with and without the hook,
// the hook's own time, and the CRI pull with and without pull-time verification,
// as min / median / max over every sample; and the hook's fixed part: its
// process alone (Node.js start and module loading) under a policy that allows
// without verifying. bench/hooks.sh runs the scenarios one at a time (so the
// two runtimes do not share the CPU) and then this.
//   node bench/hooks.ts reports/messages.ndjson [more.ndjson …]
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from '../support/hook-cost.ts';
import { observationsOfScenario, readRun } from '../support/report/messages.ts';

const files = process.argv.slice(2);
if (!files.length) files.push('reports/messages.ndjson');
const byRuntime = new Map<string, Record<string, number[]>>();
for (const file of files) {
  for (const scenario of readRun(readFileSync(file, 'utf8')).scenarios()) {
    if (scenario.verdict !== 'passed') continue;
    for (const o of observationsOfScenario(scenario)) {
      if (o.kind !== 'measurement') continue;
      const all = byRuntime.get(o.what) ?? {};
      for (const [k, v] of Object.entries(o.samples)) all[k] = [...(all[k] ?? []), ...v];
      byRuntime.set(o.what, all);
    }
  }
}
if (!byRuntime.size) {
  console.error(`no passed measurement in ${files.join(', ')}: run bench/hooks.sh`);
  process.exit(1);
}
const LABELS: Record<string, string> = {
  withoutHook: 'CreateContainer + StartContainer, no hook',
  withHook: 'CreateContainer + StartContainer, OCI hook',
  hookSelf: "the hook's own run time",
  pullUnverified: 'CRI pull, no pull-time verification',
  pullVerified: 'CRI pull, pull-time verification',
};
for (const [what, samples] of byRuntime) {
  console.log(what);
  for (const [k, label] of Object.entries(LABELS)) {
    const xs = samples[k] ?? [];
    const fmt = (v: number) => `${Math.round(v)} ms`;
    console.log(`  ${label.padEnd(42)} n=${String(xs.length).padStart(3)}  min ${fmt(Math.min(...xs))}  median ${fmt(median(xs))}  max ${fmt(Math.max(...xs))}`);
  }
  console.log(`  hook cost (median difference)             ${Math.round(median(samples.withHook ?? []) - median(samples.withoutHook ?? []))} ms`);
  console.log(`  pull-time verification (median difference) ${Math.round(median(samples.pullVerified ?? []) - median(samples.pullUnverified ?? []))} ms`);
}

// The hook's process alone: an allow rule, so no cosign runs; timed from spawn to exit, 10 times.
const dir = mkdtempSync(join(tmpdir(), 'sigproof-bench-hook-'));
try {
  mkdirSync(join(dir, 'bundle'));
  writeFileSync(join(dir, 'policy.json'), '{"registries": {}, "default": {"action": "allow"}}');
  writeFileSync(join(dir, 'bundle', 'config.json'), JSON.stringify({ annotations: { 'io.kubernetes.cri-o.ImageName': '127.0.0.1:1/app:x', 'io.kubernetes.cri-o.ImageRepoDigests': `127.0.0.1:1/app@sha256:${'1'.repeat(64)}` } }));
  const times: number[] = [];
  for (let i = 0; i < 10; i++) {
    const started = performance.now();
    const res = spawnSync(process.execPath, ['plugin/oci-hook-verifier.ts', '--policy', join(dir, 'policy.json')], { input: JSON.stringify({ id: 'bench', bundle: join(dir, 'bundle') }) });
    if (res.status !== 0) throw new Error(`the hook failed: ${res.stdout}${res.stderr}`);
    times.push(performance.now() - started);
  }
  console.log(`the hook's process alone (allow, no verification), n=10: median ${Math.round(median(times))} ms`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
