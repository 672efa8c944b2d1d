// The kind environment, for users with Docker: a kind cluster made for the run,
// the real Kyverno release installed in it, and the run's registries reachable
// from it. It follows the original proof of concept, with one difference: the
// registries stay processes of the run (each scenario picks its registry kind)
// and listen on the kind network's gateway, an address of this machine that the
// nodes and Kyverno's pods route to. Kyverno is told to allow plain-HTTP
// registries; pods need not start (the original accepted ImagePullErr too),
// admission is what is asserted.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS } from '../../toolchain/versions.ts';
import { registerTeardownCommand } from '../lib/cleanup.ts';
import { eventually } from '../lib/eventually.ts';
import { runChecked, runCommand } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { kubectl } from '../drivers/kubectl.ts';
import { KYVERNO_NAMESPACE, VALIDATING_WEBHOOK } from './kyverno.ts';
import { parseRegistryHost } from './registry-host.ts';

const CREATE_WAIT = '5m';
const KYVERNO_READY = '300s';
const KUBECTL_WAIT_MS = 330_000;
const KIND_ADMISSION_DEPLOYMENT = 'kyverno-admission-controller';

/** The release manifest of the pinned Kyverno: the same version the embedded environment builds. */
export function kyvernoInstallUrl(): string {
  const pin = TOOLS.find((t) => t.name === 'kyverno');
  if (!pin) throw new Error('internal: no kyverno pin in toolchain/versions.ts');
  return `https://github.com/kyverno/kyverno/releases/download/${pin.recipe.version}/install.yaml`;
}

/** "default via 172.18.0.1 dev eth0 ..." -> 172.18.0.1 */
export function gatewayFromRoute(text: string): string | undefined {
  return /^default via (\d+\.\d+\.\d+\.\d+)/m.exec(text)?.[1];
}

interface KindCluster {
  name: string;
  kubeconfig: string;
  registryHost: string;
  bootMs: Record<string, number>;
}

export async function bootKind(dir: string, runId: string): Promise<KindCluster> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const name = `sigproof-${runId}`;
  const kubeconfig = join(dir, 'kubeconfig');
  const kind = tool('kind');
  const bootMs: Record<string, number> = {};
  let t = performance.now();
  // Registered first: a cluster half-made by a failed create is deleted too.
  registerTeardownCommand(`kind-${name}`, [kind, 'delete', 'cluster', '--name', name, '--kubeconfig', kubeconfig]);
  await runChecked(kind, ['create', 'cluster', '--name', name, '--kubeconfig', kubeconfig, `--wait=${CREATE_WAIT}`], { timeoutMs: 10 * 60_000, what: `create the kind cluster ${name}` });
  bootMs.kind = Math.round(performance.now() - t);

  // The node's default route is the kind network's gateway: this machine, as the cluster sees it.
  const route = await runChecked('docker', ['exec', `${name}-control-plane`, 'ip', '-4', 'route', 'show', 'default'], { what: `read the default route of the kind node ${name}-control-plane` });
  const gateway = gatewayFromRoute(route.stdout);
  if (!gateway) throw new Error(`could not read the kind network's gateway from the node's routes: ${route.stdout.trim()}`);
  const registryHost = parseRegistryHost(gateway, `the kind network gateway`);

  t = performance.now();
  const cp = { kubeconfig };
  // Some CRDs exceed the 256 KiB last-applied annotation: create, never client-side apply.
  await kubectl(cp, ['create', '-f', kyvernoInstallUrl()], { what: 'install Kyverno from its release manifest' });
  await kubectl(cp, ['-n', KYVERNO_NAMESPACE, 'patch', 'deployment', KIND_ADMISSION_DEPLOYMENT, '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/spec/template/spec/containers/0/args/-', value: '--allowInsecureRegistry=true' }])], { what: "allow plain-HTTP registries in Kyverno's admission controller" });
  await waitForKyverno(cp);
  bootMs.kyverno = Math.round(performance.now() - t);
  return { name, kubeconfig, registryHost, bootMs };
}

async function waitForKyverno(cp: { kubeconfig: string }): Promise<void> {
  await kubectl(cp, ['-n', KYVERNO_NAMESPACE, 'rollout', 'status', `deployment/${KIND_ADMISSION_DEPLOYMENT}`, `--timeout=${KYVERNO_READY}`], { timeoutMs: KUBECTL_WAIT_MS, what: "wait for Kyverno's admission controller to roll out" });
  await eventually(async () => (await kubectl(cp, ['get', 'validatingwebhookconfiguration', VALIDATING_WEBHOOK, '-o', 'name'], { check: false })).exitCode === 0, { timeoutMs: 180_000, intervalMs: 1_000, what: `Kyverno in the kind cluster to register ${VALIDATING_WEBHOOK}` });
}

/** Fail-closed scenarios: no admission controller replica, then the same one back. */
export async function scaleKindKyverno(cp: { kubeconfig: string }, replicas: 0 | 1): Promise<void> {
  await kubectl(cp, ['-n', KYVERNO_NAMESPACE, 'scale', `deployment/${KIND_ADMISSION_DEPLOYMENT}`, `--replicas=${replicas}`], { what: `scale Kyverno's admission controller to ${replicas}` });
  if (replicas === 1) return waitForKyverno(cp);
  await kubectl(cp, ['-n', KYVERNO_NAMESPACE, 'wait', '--for=delete', 'pod', '-l', 'app.kubernetes.io/component=admission-controller', `--timeout=${KYVERNO_READY}`], { timeoutMs: KUBECTL_WAIT_MS, what: "wait for Kyverno's admission controller pods to go" });
}

/** Why kind cannot be used here, or undefined when a Docker engine answers. dockerCli: the client to ask with. */
export async function kindUnavailableReason(dockerCli = 'docker'): Promise<string | undefined> {
  const docker = await runCommand(dockerCli, ['info', '--format', '{{.ServerVersion}}'], { timeoutMs: 20_000 });
  if (docker.exitCode === 0) return undefined;
  return `SIGPROOF_ENV=kind needs a Docker engine, and none answers here: ${(docker.spawnError ?? docker.stderr).trim().split('\n')[0]}`;
}
