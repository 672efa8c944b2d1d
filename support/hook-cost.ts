// What the OCI hook costs, measured on real nodes of one runtime: the time the
// runtime takes for the kubelet's CreateContainer and StartContainer, from its
// log line for the create request to the one for the start's success (`runc
// create`, and so the hook, is in between: in CreateContainer on CRI-O, in
// StartContainer on containerd), on a node without the hook and on one with
// it; and beside it the time of a CRI pull with and without pull-time
// verification. (CRI's createdAt and startedAt do not do: CRI-O's createdAt
// is taken after runc create.) Used by the claim's scenario and by
// bench/hooks.ts; neither asserts a speed, both report medians.
import { type Node, startNode } from './env/node.ts';
import type { Kube, Placement } from './drivers/kube-client.ts';
import { readFileSync } from 'node:fs';
import { runCommand } from './lib/runner.ts';
import { eventually } from './lib/eventually.ts';
import { NODE_TAINT_KEY } from './env/kubelet.ts';
import { readHookDecisions } from './hook-decisions.ts';
import type { RuntimeName } from './runtime.ts';
import { tool } from '../toolchain/tool-paths.ts';

const RUNNING_MS = 120_000;

export interface CostFigures {
  runtime: RuntimeName;
  /** CreateContainer request to StartContainer success, per pod, in ms. */
  withoutHook: number[];
  withHook: number[];
  /** The hook's own run time per container (node's start included), from its log. */
  hookSelf: number[];
  /** CRI pulls of the signed image, in ms. */
  pullUnverified: number[];
  pullVerified: number[];
}

export function median(xs: number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Milliseconds since the epoch of an RFC 3339 time with up to nanosecond fractions (the runtimes' log times). */
function epochMs(t: string): number {
  const m = /^(.+T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(t);
  if (!m) throw new Error(`not an RFC 3339 time: ${t}`);
  return Date.parse(`${m[1]}${m[3]}`) + Number(`0.${m[2] ?? '0'}`) * 1000;
}

/**
 * From the runtime's log: the time from the CreateContainer request of a
 * container to its StartContainer success. CRI-O names the request by
 * namespace/pod/container; containerd by sandbox id, which its reply pairs
 * with the container id.
 */
export function createToStartMs(kind: RuntimeName, log: string, container: { id: string; description: string }): number {
  const lines = log.split('\n');
  const timeOf = (line: string | undefined, what: string) => {
    const t = line && /^time="([^"]+)"/.exec(line)?.[1];
    if (!t) throw new Error(`the ${kind} log has no line for ${what} of container ${container.id} (${container.description})`);
    return epochMs(t);
  };
  const q = (s: string) => `\\"${s}\\"`;
  if (kind === 'CRI-O') {
    const started = lines.find((l) => l.includes('msg="Started container"') && l.includes(`containerID=${container.id}`));
    const creating = lines.findLast((l) => l.includes(`msg="Creating container: ${container.description}"`));
    return timeOf(started, 'the start') - timeOf(creating, 'the create request');
  }
  const reply = lines.find((l) => l.includes(`returns container id ${q(container.id)}`));
  const sandbox = reply && /CreateContainer within sandbox \\"([0-9a-f]+)\\"/.exec(reply)?.[1];
  const creating = sandbox ? lines.findLast((l) => l.includes(`CreateContainer within sandbox ${q(sandbox)} for container`)) : undefined;
  const started = lines.find((l) => l.includes(`StartContainer for ${q(container.id)} returns successfully`));
  return timeOf(started, 'the start') - timeOf(creating, 'the create request');
}

export function costSummary(f: CostFigures): string {
  const ms = (xs: number[]) => `${Math.round(median(xs))} ms`;
  return `${f.runtime}: CreateContainer + StartContainer, median of ${f.withHook.length} pods: ${ms(f.withHook)} with the OCI hook, ${ms(f.withoutHook)} without (+${Math.round(median(f.withHook) - median(f.withoutHook))} ms; the hook itself ${ms(f.hookSelf)}); CRI pull of the signed image, median of ${f.pullVerified.length}: ${ms(f.pullVerified)} with pull-time verification, ${ms(f.pullUnverified)} without`;
}

interface CostEnv {
  dir: string;
  kind: RuntimeName;
  cluster: Parameters<typeof startNode>[2];
  kube: Kube;
  namespace: string;
  registryHosts: string[];
  pauseImage: string;
  /** The signed image, host:port/repo:tag. */
  image: string;
  command: string[];
  /** Pull-time policies (CRI-O's policy.json, the containerd verifier's) that verify the image, and that let everything through. */
  verifying: string;
  open: string;
  /** The OCI hook's policy, verifying the image. */
  hook: string;
}

function crictl(node: Node, args: string[]) {
  return runCommand(tool('crictl'), ['--config', node.runtime.crictlConfig, ...args], { timeoutMs: RUNNING_MS });
}

/** n pulls of the image, each from nothing (removed after), timed as crictl saw them. */
async function pulls(node: Node, image: string, n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const res = await crictl(node, ['pull', image]);
    if (res.exitCode !== 0) throw new Error(`crictl pull ${image} failed: ${res.stderr.trim()}`);
    out.push(res.durationMs);
    await crictl(node, ['rmi', image]);
  }
  return out;
}

/** n pods, one after the other, each timed from its container's create request to its start by the runtime's log. */
async function creations(env: CostEnv, node: Node, prefix: string, n: number): Promise<number[]> {
  const placement: Placement = { nodeSelector: { 'kubernetes.io/hostname': node.name }, tolerations: [{ key: NODE_TAINT_KEY, operator: 'Equal', value: node.name, effect: 'NoSchedule' }], command: env.command };
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = `${prefix}-${i}`;
    const created = await env.kube.createPod(env.namespace, name, env.image, placement);
    if (!created.admitted) throw new Error(`pod ${name} was not created: ${created.message}`);
    const id = await eventually(
      async () => {
        const status = (await env.kube.readPod(env.namespace, name)).status?.containerStatuses?.[0];
        if (status?.state?.waiting?.message) throw new Error(`pod ${name} does not run: ${status.state.waiting.reason}: ${status.state.waiting.message}`);
        return status?.state?.running ? status.containerID?.replace(/^[a-z-]+:\/\//, '') : undefined;
      },
      { timeoutMs: RUNNING_MS, intervalMs: 100, what: `pod ${name} to run` },
    );
    if (!id) throw new Error(`pod ${name} runs, but its status names no container id`);
    out.push(createToStartMs(env.kind, readFileSync(node.runtime.daemon.logFile, 'utf8'), { id, description: `${env.namespace}/${name}/app` }));
  }
  return out;
}

async function onNode<T>(env: CostEnv, id: string, opts: { pull: string | undefined; hook?: string }, work: (node: Node) => Promise<T>): Promise<T> {
  const runtime = env.kind === 'CRI-O' ? { kind: env.kind, policy: opts.pull ?? env.open } : { kind: env.kind, verifierPolicy: opts.pull };
  const node = await startNode(`${env.dir}/${id}`, id, env.cluster, { runtime, hookPolicy: opts.hook, registryHosts: env.registryHosts, pauseImage: env.pauseImage });
  try {
    return await work(node);
  } finally {
    await node.stop();
  }
}

/** Two nodes of the runtime, one after the other; n pulls each way and n pods each way. */
export async function measureHookCost(env: CostEnv, id: string, n: number): Promise<CostFigures> {
  // Without the hook: pulls verified by the runtime; then its policy lets everything through, so
  // CRI-O's own check at container creation (it verifies again there) is not counted as creation time.
  const plain = await onNode(env, `${id}a`, { pull: env.verifying }, async (node) => {
    const pullVerified = await pulls(node, env.image, n);
    await node.setPolicy(env.open);
    return { pullVerified, withoutHook: await creations(env, node, `cost-plain-${id}`, n) };
  });
  const hooked = await onNode(env, `${id}b`, { pull: env.kind === 'CRI-O' ? env.open : undefined, hook: env.hook }, async (node) => {
    const pullUnverified = await pulls(node, env.image, n);
    const withHook = await creations(env, node, `cost-hook-${id}`, n);
    const decisions = readHookDecisions(node.hook?.logFile ?? '');
    const refused = decisions.filter((d) => !d.allowed);
    if (refused.length) throw new Error(`the OCI hook refused a container of the measurement: ${refused[0]?.reason}`);
    return { pullUnverified, withHook, hookSelf: decisions.filter((d) => d.image === env.image).map((d) => d.ms) };
  });
  return { runtime: env.kind, ...plain, ...hooked };
}
