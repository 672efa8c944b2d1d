// sigproof's OCI hook verifier: runc runs it at the createRuntime stage of every
// container the runtime asks it to create (CRI-O adds it from its hooks dir,
// containerd from the base runtime spec of its runc handler).
//
// Why createRuntime: it runs in the runtime's namespaces (the node's network and
// mounts, so the registry and the real cosign and notation are reachable) after
// `runc create` has set the container up and before its process runs anything;
// a non-zero exit aborts the create, and runc puts this hook's output into the
// error the runtime gives the kubelet. prestart is the deprecated name of the
// same moment, and createContainer/startContainer run inside the container,
// where none of the tools are.
//
// Input: the container's state JSON on stdin (runtime-spec "state"), whose
// bundle holds config.json with the runtime's annotations naming the image.
// Output: one line, the verdict and its reason; exit 0 lets the container be
// created. Every decision is also appended to --log as a JSON line, so a run can
// show that the hook judged each creation. Any bad input refuses the container.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../support/lib/runner.ts';
import { type ContainerImage, containerImageOf, targetDigestOf, targetsToVerify } from './container-image.ts';
import { repositoryOf } from '../support/policy/verifier-policy.ts';
import { judgeImage, readPolicy } from './image-verification.ts';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** containerd's annotations name the image only: ask its image store what the name points at (the manifest or index digest). */
async function digestInContainerd(ctr: string | undefined, address: string | undefined, name: string): Promise<string> {
  if (!ctr || !address) throw new Error('the image has no digest in its annotations and the hook was given no --ctr and --containerd-address to ask the runtime');
  // k8s.io: the namespace of containerd's CRI plugin, where the kubelet's images are.
  const res = await runCommand(ctr, ['--address', address, '--namespace', 'k8s.io', 'images', 'ls'], { timeoutMs: 30_000 });
  if (res.exitCode !== 0) throw new Error(`ctr images ls failed: ${res.stderr.trim() || res.stdout.trim()}`);
  return targetDigestOf(res.stdout, name);
}

interface Decision {
  container: string;
  image?: string;
  /** Every repo@digest judged (CRI-O: each name the image has on the node). */
  judged?: string[];
  allowed: boolean;
  reason: string;
}

async function decide(argv: string[], stdin: string): Promise<Decision> {
  let state: { id?: string; bundle?: string };
  try {
    state = JSON.parse(stdin) as typeof state;
  } catch (err) {
    return { container: '?', allowed: false, reason: `the container state on stdin is not JSON (${(err as Error).message})` };
  }
  const container = state.id ?? '?';
  if (!state.bundle) return { container, allowed: false, reason: 'the container state on stdin has no bundle' };
  const policyFile = flag(argv, '--policy');
  if (!policyFile) return { container, allowed: false, reason: 'called without --policy' };
  let image: ContainerImage;
  let targets: { name: string; digest: string }[];
  try {
    const config = JSON.parse(readFileSync(join(state.bundle, 'config.json'), 'utf8')) as { annotations?: Record<string, string> };
    image = containerImageOf(config.annotations ?? {});
    const needsStore = image.runtime === 'containerd' && !image.name.includes('@');
    targets = targetsToVerify(image, needsStore ? await digestInContainerd(flag(argv, '--ctr'), flag(argv, '--containerd-address'), image.name) : undefined);
  } catch (err) {
    return { container, allowed: false, reason: `cannot tell which image ${state.bundle} runs: ${(err as Error).message}` };
  }
  const judged = targets.map((t) => `${repositoryOf(t.name)}@${t.digest}`);
  try {
    const policy = readPolicy(policyFile);
    // Every name must pass: the first refusal is the verdict.
    const verdicts = [];
    for (const t of targets) {
      const v = await judgeImage(policy, t.name, t.digest);
      if (!v.allowed) return { container, image: image.name, judged, ...v };
      verdicts.push(v.reason);
    }
    return { container, image: image.name, judged, allowed: true, reason: verdicts.join('; ') };
  } catch (err) {
    return { container, image: image.name, judged, allowed: false, reason: (err as Error).message };
  }
}

async function main(argv: string[]): Promise<number> {
  const decision = await decide(argv, readFileSync(0, 'utf8'));
  const log = flag(argv, '--log');
  // ms: the hook's own run time since its process started (node's start included), for bench/hooks.ts.
  if (log) appendFileSync(log, `${JSON.stringify({ time: new Date().toISOString(), ...decision, ms: Math.round(performance.now()) })}\n`);
  console.log(decision.allowed ? `sigproof OCI hook: ${decision.reason}` : `sigproof OCI hook refused ${decision.image ?? `container ${decision.container}`}: ${decision.reason}`);
  return decision.allowed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
