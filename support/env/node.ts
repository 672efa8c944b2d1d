// A node of the embedded cluster, one per scenario: a private mount namespace,
// the scenario's CRI-O or containerd in it with the run's pause image and a CNI
// bridge, and a kubelet registered under the node's own name, tainted so that
// only the scenario's workloads (which tolerate the taint and select the node)
// land on it. Teardown stops the pods through CRI before the runtime, then
// kills what is left, removes cgroups and the bridge.
import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig, type V1Node } from '@kubernetes/client-node';
import { logTail, registerTeardownCommand } from '../lib/cleanup.ts';
import { eventually } from '../lib/eventually.ts';
import { runCommand } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { prepareNetwork } from './cni.ts';
import { type Containerd, startContainerd } from './containerd.ts';
import { type Crio, type NodeRuntimeOptions, startCrio } from './crio.ts';
import { prepareKubelet, startKubelet, type Kubelet } from './kubelet.ts';
import { nodeCleanupScript } from './node-cleanup.ts';
import { type NodeNamespace, pathsToKeep, startNodeNamespace } from './node-namespace.ts';
import type { OciHook } from './oci-hook.ts';
import type { SecureRegistries } from './registry-tls.ts';

const READY_MS = 120_000;
const CRI_STOP_MS = 60_000;

/**
 * The runtime and its pull-time policy: CRI-O's policy.json, or the containerd
 * verifier's policy (none: containerd runs no verifier). Both rendered by the caller.
 */
type NodeRuntime = { kind: 'CRI-O'; policy: string } | { kind: 'containerd'; verifierPolicy?: string };

export interface Node {
  name: string;
  runtime: Crio | Containerd;
  kubelet: Kubelet;
  /** Boot phases in ms: namespace, runtime, kubelet until the node is Ready. */
  bootMs: Record<string, number>;
  /** Replace the runtime's policy; both runtimes read it again at every pull. */
  setPolicy(text: string): Promise<void>;
  /** sigproof's OCI hook, when the node has one: it reads its policy again at every container creation. */
  hook?: OciHook;
  stop(): Promise<void>;
}

interface NodeCluster {
  server: string;
  caCert: string;
  caKey: string;
  kubeconfig: string;
}

function ready(node: V1Node | undefined): boolean {
  const isReady = node?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
  // The node lifecycle controller lifts the not-ready taint after Ready; until then nothing is scheduled there.
  const notReadyTaint = node?.spec?.taints?.some((t) => t.key === 'node.kubernetes.io/not-ready') ?? false;
  return isReady && !notReadyTaint;
}

export async function startNode(dir: string, id: string, cluster: NodeCluster, opts: { runtime: NodeRuntime; hookPolicy?: string; registryHosts: string[]; secure?: SecureRegistries; pauseImage: string }): Promise<Node> {
  const name = `sp-node-${id}`;
  const cgroup = `sigproof-node-${id}`;
  const bootMs: Record<string, number> = {};
  let t = performance.now();
  const lap = (phase: string) => {
    bootMs[phase] = Math.round(performance.now() - t);
    t = performance.now();
  };
  const network = prepareNetwork(dir, id);
  // Registered first: whatever happens below, Ctrl-C or a failed boot removes what the node made.
  const script = nodeCleanupScript({ cgroup, dir, bridge: network.bridge }, { procCgroups: readFileSync('/proc/cgroups', 'utf8'), mountinfo: readFileSync('/proc/self/mountinfo', 'utf8') });
  const unregister = registerTeardownCommand(`node-${id}`, ['/bin/sh', '-c', script]);
  const cleanup = () => {
    spawnSync('/bin/sh', ['-c', script], { stdio: 'ignore', timeout: 60_000 });
    unregister();
  };
  const kc = new KubeConfig();
  kc.loadFromFile(cluster.kubeconfig);
  const core = kc.makeApiClient(CoreV1Api);
  let ns: NodeNamespace | undefined;
  let runtime: Crio | Containerd | undefined;
  let kubelet: Kubelet | undefined;
  const stop = async () => {
    await kubelet?.daemon.stop();
    if (runtime) {
      // Pods first, through CRI, so the runtime unmounts and tears down their networks itself. Containers
      // are killed at once: a shell as PID 1 ignores SIGTERM, and CRI-O would wait out the grace period.
      const crictl = (args: string[]) => runCommand(tool('crictl'), ['--config', runtime?.crictlConfig ?? '', ...args], { timeoutMs: CRI_STOP_MS });
      const ids = (await crictl(['ps', '--all', '--quiet'])).stdout.split('\n').filter(Boolean);
      if (ids.length) await crictl(['stop', '--timeout', '0', ...ids]);
      await crictl(['rmp', '--all', '--force']);
      await runtime.stop();
    }
    cleanup();
    await ns?.daemon.stop();
    await core.deleteNode({ name }).catch(() => undefined);
  };
  try {
    ns = await startNodeNamespace(dir, cgroup, [...pathsToKeep(), dir, realpathSync(tool('kubelet'))]);
    lap('namespace');
    const nodeOpts: NodeRuntimeOptions = { inside: ns.inside, pauseImage: opts.pauseImage, pauseCommand: '/pause', cniConfDir: network.confDir, cniBinDir: network.binDir, hookPolicy: opts.hookPolicy };
    if (opts.runtime.kind === 'CRI-O') runtime = await startCrio(dir, { registryHosts: opts.registryHosts, policy: opts.runtime.policy, node: nodeOpts, secure: opts.secure });
    else {
      const { verifierPolicy } = opts.runtime;
      const containerd = await startContainerd(dir, opts.registryHosts, { node: { ...nodeOpts, verifyPulls: verifierPolicy !== undefined }, secure: opts.secure });
      runtime = containerd;
      if (verifierPolicy !== undefined) writeFileSync(containerd.verifierPolicy, verifierPolicy);
    }
    lap('runtime');
    const prepared = await prepareKubelet(join(dir, 'kubelet'), cluster, { name, cgroupRoot: `/${cgroup}`, runtimeSocket: runtime.socket });
    kubelet = startKubelet(join(dir, 'kubelet'), prepared, ns.inside);
    const k = kubelet;
    await eventually(
      async () => {
        if (k.daemon.child.exitCode !== null) throw new Error(`the kubelet exited ${k.daemon.child.exitCode}: ${logTail(k.daemon.logFile)}`);
        return ready(await core.readNode({ name }));
      },
      { timeoutMs: READY_MS, intervalMs: 100, what: `node ${name} to be Ready and untainted (kubelet log: ${k.daemon.logFile})` },
    );
    lap('kubelet');
    const policyFile = 'policyFile' in runtime ? runtime.policyFile : runtime.verifierPolicy;
    return { name, runtime, kubelet, bootMs, stop, hook: runtime.hook, setPolicy: async (text) => writeFileSync(policyFile, text) };
  } catch (err) {
    await stop();
    throw err;
  }
}
