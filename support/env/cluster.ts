// The admission environment, booted once per run and shared by parallel
// workers. Workers are threads of one process; the first one that needs the
// cluster takes a lock (an atomic mkdir in the run dir) and boots it, the
// others wait for its description file. The daemons live until the run ends,
// when the coordinator's teardown stops every process of the run.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from '../lib/cleanup.ts';
import { eventually } from '../lib/eventually.ts';
import { outsideScenarios } from '../lib/runner.ts';
import { sharedByWorkers } from '../lib/shared-by-workers.ts';
import { prepareControllers, startControllers } from './controllers.ts';
import { startControlPlane, type ControlPlane } from './controlplane.ts';
import { bootKind, kindUnavailableReason, scaleKindKyverno } from './kind.ts';
import { launchKyverno, startKyverno } from './kyverno.ts';
import { LOOPBACK, configuredRegistryHost } from './registry-host.ts';

const ENVIRONMENTS = ['embedded', 'existing', 'kind'] as const;
type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The one place the environment is chosen: SIGPROOF_ENV, default embedded. */
export function selectedEnvironment(value = process.env.SIGPROOF_ENV ?? 'embedded'): EnvironmentName {
  const env = ENVIRONMENTS.find((e) => e === value);
  if (!env) throw new Error(`unknown environment SIGPROOF_ENV=${value}. Valid: ${ENVIRONMENTS.join(', ')} (default embedded)`);
  return env;
}

export interface Cluster extends Omit<ControlPlane, 'daemons'> {
  environment: EnvironmentName;
  /** The address the scenario's registries listen on, so that this cluster's Kyverno reaches them. */
  registryHost: string;
  kyvernoAddress: string;
  kyvernoPort: number;
  kyvernoPid: number;
  dir: string;
  kyvernoLog: string;
  apiserverLog: string;
}

const BOOT_WAIT_MS = 10 * 60_000;
// Written by sharedByWorkers('cluster'), and again after Kyverno restarts on another port.
const CLUSTER_FILE = join(RUN_DIR, 'cluster.json');

let mine: Promise<Cluster> | undefined;

export function sharedCluster(): Promise<Cluster> {
  // embedded and kind are made by the run, once, shared by the workers.
  mine ??= selectedEnvironment() === 'existing' ? existingCluster() : acquire();
  return mine;
}

/**
 * Start booting the shared cluster now, in the background of the coordinator,
 * when the run has scenarios that need it: they wait on sharedCluster() as
 * before, and the others run meanwhile. A failed boot is reported by every
 * scenario that needs the cluster (sharedByWorkers keeps the error).
 */
export async function bootSharedClusterInBackground(): Promise<void> {
  if (selectedEnvironment() === 'existing' || (await environmentSkipReason([]))) return;
  // The boot's commands are the run's, not the evidence of the scenario that happens to run beside it.
  outsideScenarios(sharedCluster).catch(() => undefined);
}

/**
 * Why admission scenarios cannot run in the selected environment here, if they
 * cannot: the caller reports the scenario as skipped with this reason.
 */
export async function environmentSkipReason(tags: string[]): Promise<string | undefined> {
  const env = selectedEnvironment();
  if (env === 'kind') return kindUnavailableReason();
  if (env === 'existing') {
    if (!process.env.KUBECONFIG) return 'SIGPROOF_ENV=existing needs KUBECONFIG to point at the cluster (with Kyverno installed)';
    if (tags.includes('@exclusive')) return 'stopping Kyverno is only done on clusters the run made (embedded, kind), never on an existing cluster';
  }
  return undefined;
}

/**
 * The user's cluster: KUBECONFIG, Kyverno already installed (allowing plain-HTTP
 * registries); nothing is booted or stopped. SIGPROOF_REGISTRY_HOST is the
 * address of this machine that cluster reaches the run's registries on.
 */
async function existingCluster(): Promise<Cluster> {
  const kubeconfig = process.env.KUBECONFIG as string;
  return { ...notBooted(), environment: 'existing', kubeconfig, registryHost: configuredRegistryHost() };
}

function notBooted(): Omit<Cluster, 'environment' | 'kubeconfig' | 'registryHost'> {
  return { server: '', caCert: '', caKey: '', saKey: '', adminCert: '', adminKey: '', bootMs: {}, kyvernoAddress: '', kyvernoPort: 0, kyvernoPid: 0, dir: RUN_DIR, kyvernoLog: '', apiserverLog: '' };
}

function acquire(): Promise<Cluster> {
  return sharedByWorkers('cluster', boot, { timeoutMs: BOOT_WAIT_MS, intervalMs: 200, what: 'the embedded cluster' });
}

async function boot(): Promise<Cluster> {
  const dir = join(RUN_DIR, 'cluster');
  if (selectedEnvironment() === 'kind') {
    const kind = await bootKind(dir, String(process.pid));
    return { ...notBooted(), environment: 'kind', kubeconfig: kind.kubeconfig, registryHost: kind.registryHost, bootMs: kind.bootMs, dir };
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cp = await startControlPlane(dir);
  const prepared = await prepareControllers(cp, dir);
  const [kyverno, controllers] = await Promise.all([startKyverno(cp, dir), startControllers(cp, dir, prepared)]);
  const { daemons, ...rest } = cp;
  return {
    ...rest,
    environment: 'embedded',
    registryHost: LOOPBACK,
    bootMs: { ...cp.bootMs, ...controllers.bootMs, kyverno: kyverno.bootMs },
    kyvernoAddress: kyverno.address,
    kyvernoPort: Number(kyverno.address.split(':')[1]),
    kyvernoPid: kyverno.daemon.pid,
    dir,
    kyvernoLog: kyverno.daemon.logFile,
    apiserverLog: daemons[1]?.logFile ?? '',
  };
}

const STOP_MS = 30_000;

/**
 * Stop the Kyverno process (fail-closed scenarios), then start it again on the
 * same port. Callers hold the @exclusive tag, so no other admission scenario
 * runs meanwhile.
 */
export async function withKyvernoStopped<T>(cluster: Cluster, action: () => Promise<T>): Promise<T> {
  if (cluster.environment === 'kind') {
    await scaleKindKyverno(cluster, 0);
    try {
      return await action();
    } finally {
      await scaleKindKyverno(cluster, 1);
    }
  }
  if (cluster.environment !== 'embedded') throw new Error(`internal: Kyverno is never stopped on the ${cluster.environment} environment`);
  const pid = cluster.kyvernoPid;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  await eventually(
    async () => {
      try {
        process.kill(pid, 0);
        return false;
      } catch {
        return true;
      }
    },
    { timeoutMs: STOP_MS, what: `Kyverno (pid ${pid}) to stop` },
  );
  try {
    return await action();
  } finally {
    const daemon = await launchKyverno(cluster, cluster.dir, cluster.kyvernoPort);
    cluster.kyvernoPid = daemon.pid;
    cluster.kyvernoLog = daemon.logFile;
    writeFileSync(`${CLUSTER_FILE}.tmp`, JSON.stringify(cluster));
    renameSync(`${CLUSTER_FILE}.tmp`, CLUSTER_FILE);
  }
}
