// The real Kyverno admission controller, run out of cluster against the
// embedded API server: its CRDs and namespace first, then the process with
// --serverIP, so the webhooks it registers point at https://127.0.0.1:<port>.
import { readFileSync, readdirSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connect } from 'node:tls';
import { startDaemon, type Daemon } from '../lib/cleanup.ts';
import { registryCa } from './registry-tls.ts';
import { Kube } from '../drivers/kube-client.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { kubectl } from '../drivers/kubectl.ts';
import type { ControlPlane } from './controlplane.ts';

const KYVERNO_READY_MS = 180_000;
const CRDS_ESTABLISHED_MS = 120_000;
export const KYVERNO_NAMESPACE = 'kyverno';
export const VALIDATING_WEBHOOK = 'kyverno-resource-validating-webhook-cfg';

interface Kyverno {
  daemon: Daemon;
  address: string;
  bootMs: number;
}

/** The CRDs that came with the pinned Kyverno module (installed next to its binary). */
function kyvernoCrdFiles(): string[] {
  const crds = join(dirname(dirname(realpathSync(tool('kyverno')))), 'share', 'config', 'crds');
  const files: string[] = [];
  for (const group of readdirSync(crds).sort()) {
    for (const f of readdirSync(join(crds, group)).sort()) if (f.endsWith('.yaml')) files.push(join(crds, group, f));
  }
  return files;
}

/** Whether a TLS server on the port completes a handshake (any certificate). */
function tlsHandshake(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, timeout: 2_000 }, () => {
      socket.end();
      resolve(true);
    });
    socket.on('error', () => resolve(false));
    socket.on('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

export async function startKyverno(cp: ControlPlane, dir: string): Promise<Kyverno> {
  const started = performance.now();
  await kubectl(cp, ['create', 'namespace', KYVERNO_NAMESPACE], { what: `create the ${KYVERNO_NAMESPACE} namespace` });
  // Some CRDs exceed the 256 KiB last-applied annotation: create, never client-side apply.
  await kubectl(cp, ['create', ...kyvernoCrdFiles().flatMap((f) => ['-f', f])], { what: 'create the Kyverno CRDs' });
  // Polled through the API: kubectl wait fails outright on a CRD that has no status yet.
  const kube = new Kube(cp.kubeconfig);
  let pending: string[] = [];
  await eventually(
    async () => {
      pending = await kube.crdsNotEstablished();
      return pending.length === 0;
    },
    { timeoutMs: CRDS_ESTABLISHED_MS, intervalMs: 100, what: 'the Kyverno CRDs to be established' },
  ).catch((err: Error) => {
    throw new Error(`${err.message} (not yet: ${pending.join(', ')})`);
  });
  // Out of cluster there are no Kyverno service accounts with RBAC; an
  // ImageValidatingPolicy is not Ready until its reports account may read workloads.
  await kubectl(cp, ['create', 'clusterrolebinding', 'sigproof-kyverno-controllers', '--clusterrole=cluster-admin', '--serviceaccount=kyverno:kyverno-reports-controller', '--serviceaccount=kyverno:kyverno-background-controller'], { what: "let Kyverno's reports and background controllers read workloads" });
  const port = await freePort();
  const daemon = await launchKyverno(cp, dir, port);
  return { daemon, address: `127.0.0.1:${port}`, bootMs: Math.round(performance.now() - started) };
}

/** Start the Kyverno process on a given port and wait until it enforces: webhooks registered, TLS served. */
export async function launchKyverno(cp: Pick<ControlPlane, 'kubeconfig'>, dir: string, port: number): Promise<Daemon> {
  const address = `127.0.0.1:${port}`;
  // --disableMetrics still starts a metrics server, on 0.0.0.0:8000 unless told otherwise.
  const metricsPort = await freePort();
  const daemon = startDaemon(
    'kyverno',
    tool('kyverno'),
    [
      `--kubeconfig=${cp.kubeconfig}`,
      `--serverIP=${address}`,
      '--webhookServerHost=127.0.0.1',
      `--webhookServerPort=${port}`,
      '--caSecretName=kyverno-svc.kyverno.svc.kyverno-tls-ca',
      '--tlsSecretName=kyverno-svc.kyverno.svc.kyverno-tls-pair',
      '--backgroundServiceAccountName=system:serviceaccount:kyverno:kyverno-background-controller',
      '--reportsServiceAccountName=system:serviceaccount:kyverno:kyverno-reports-controller',
      '--allowInsecureRegistry=true',
      '--disableMetrics=true',
      '--controllerRuntimeMetricsAddress=0',
      '--metricsHost=127.0.0.1',
      `--metricsPort=${metricsPort}`,
      '--disableLogColor',
      '-v=2',
    ],
    {
      logDir: dir,
      env: {
        ...process.env,
        KYVERNO_NAMESPACE,
        KYVERNO_SERVICEACCOUNT_NAME: 'kyverno-admission-controller',
        KYVERNO_DEPLOYMENT: 'kyverno-admission-controller',
        KYVERNO_POD_NAME: 'sigproof-kyverno',
        INIT_CONFIG: 'kyverno',
        METRICS_CONFIG: 'kyverno-metrics',
        // Kyverno has no CA option for registries: it trusts the system roots, which this file replaces, as a CA
        // bundle mounted over the container's roots does in a cluster.
        SSL_CERT_FILE: (await registryCa()).cert,
      },
    },
  );
  await eventually(
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`kyverno exited: ${readFileSync(daemon.logFile, 'utf8').slice(-2000)}`);
      const res = await kubectl(cp, ['get', 'validatingwebhookconfiguration', VALIDATING_WEBHOOK, '-o', 'name'], { check: false });
      // The webhooks are registered before the serving certificate exists: wait for a TLS handshake too.
      return res.exitCode === 0 && (await tlsHandshake(port));
    },
    { timeoutMs: KYVERNO_READY_MS, intervalMs: 500, what: `Kyverno to register ${VALIDATING_WEBHOOK} and serve TLS on ${address}` },
  );
  return daemon;
}

const POLICY_READY_MS = 120_000;
const MUTATING_WEBHOOK = 'kyverno-resource-mutating-webhook-cfg';

/** Where each policy kind lives in the API, for the client library. */
export function kyvernoPolicyResource(kind: string, name: string, namespace: string): { group: string; version: string; plural: string; name: string; namespace?: string } {
  if (kind === 'ImageValidatingPolicy') return { group: 'policies.kyverno.io', version: 'v1', plural: 'imagevalidatingpolicies', name };
  if (kind === 'Policy') return { group: 'kyverno.io', version: 'v1', plural: 'policies', name, namespace };
  return { group: 'kyverno.io', version: 'v1', plural: 'clusterpolicies', name };
}

/**
 * Create a policy with kubectl (the user's own command, kept as evidence) and
 * wait until Kyverno enforces it, asking the API server through the client
 * library (no process per poll). A ClusterPolicy, or a namespaced Policy
 * (created in `namespace`): its Ready condition, then a Kyverno webhook
 * covering Pods. An ImageValidatingPolicy: status.conditionStatus.ready.
 */
export async function installKyvernoPolicy(cp: Pick<ControlPlane, 'kubeconfig'>, kube: Kube, object: { kind: string; name: string }, yaml: string, namespace: string): Promise<void> {
  const { kind, name } = object;
  const inNamespace = kind === 'Policy' ? ['--namespace', namespace] : [];
  await kubectl(cp, ['create', ...inNamespace, '-f', '-'], { input: yaml, what: `create the ${kind} ${name}` });
  const resource = kyvernoPolicyResource(kind, name, namespace);
  const ready = async () => {
    const status = await kube.customStatus(resource);
    if (kind === 'ImageValidatingPolicy') return (status?.conditionStatus as { ready?: boolean } | undefined)?.ready === true;
    return ((status?.conditions ?? []) as { type?: string; status?: string }[]).some((c) => c.type === 'Ready' && c.status === 'True');
  };
  await eventually(ready, { timeoutMs: POLICY_READY_MS, intervalMs: 100, what: `the ${kind} ${name} to be ready` });
  if (kind === 'ImageValidatingPolicy') return;
  // verifyImages rules are served by the mutating webhook, validate rules by the validating one.
  await eventually(
    async () => {
      const rules = [...(await kube.webhookResources('mutating', MUTATING_WEBHOOK)), ...(await kube.webhookResources('validating', VALIDATING_WEBHOOK))];
      return rules.some((resources) => resources.includes('pods'));
    },
    { timeoutMs: POLICY_READY_MS, intervalMs: 100, what: `Kyverno's webhooks to cover pods for policy ${name}` },
  );
}
