// containerd 2.x as a child process of the run, one per scenario: its own root,
// state, sockets and config in the scenario's dir, nothing in /etc/containerd or
// /var/lib/containerd. The image-verifier bindir plugin runs sigproof's verifier
// (plugin/containerd-verifier.ts) on every transfer-service pull, which is what
// `ctr image pull` and, since 2.1, CRI pulls use.
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { logTail, startDaemon, type Daemon } from '../lib/cleanup.ts';
import { eventually } from '../lib/eventually.ts';
import { REPO_ROOT } from '../lib/paths.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { ctr, ctrDefaultSpec } from '../drivers/ctr.ts';
import { writeCrictlConfig } from '../drivers/crictl.ts';
import type { NodeRuntimeOptions } from './crio.ts';
import type { Inside } from './node-namespace.ts';
import { type OciHook, prepareOciHook, withCreateRuntimeHook } from './oci-hook.ts';
import type { SecureRegistries } from './registry-tls.ts';

const READY_MS = 30_000;
const VERIFIER_NAME = 'sigproof-verifier';
const CONTAINERD_VERIFIER_SOURCE = join(REPO_ROOT, 'plugin', 'containerd-verifier.ts');

export interface Containerd {
  dir: string;
  socket: string;
  /** Where the verifier reads its policy; written by the scenario. */
  verifierPolicy: string;
  crictlConfig: string;
  daemon: Daemon;
  bootMs: number;
  /** sigproof's OCI hook verifier, when the node has one. */
  hook?: OciHook;
  stop(): Promise<void>;
}

/**
 * The config: CRI images on the native snapshotter (no overlay mounts), registry
 * hosts from a hosts dir (the only registry setting that keeps CRI on the
 * transfer service; mirrors, configs or auths make it fall back to local pull,
 * where no verifier runs), and the verifier bindir.
 */
/** Credentials the way CRI's legacy registry settings hold them (registry.configs.<host>.auth), which containerd 2.x still reads. */
export interface LegacyRegistryAuth {
  host: string;
  username: string;
  password: string;
}

export function containerdConfig(dir: string, node?: Pick<NodeRuntimeOptions, 'pauseImage' | 'cniConfDir' | 'cniBinDir'>, baseRuntimeSpec?: string, legacyAuth?: LegacyRegistryAuth): string {
  const q = (s: string) => JSON.stringify(s);
  // What a user who adds credentials the old way writes; containerd then leaves the transfer service (see the finding in runtime-containerd.feature).
  const legacy = legacyAuth
    ? `  [plugins."io.containerd.cri.v1.images".registry.configs.${q(legacyAuth.host)}.auth]
    username = ${q(legacyAuth.username)}
    password = ${q(legacyAuth.password)}
`
    : '';
  // On a node: the run's sandbox image, runc's state in the dir (not /run/containerd/runc), the node's CNI network.
  const nodeImages = node
    ? `  [plugins."io.containerd.cri.v1.images".pinned_images]
    sandbox = ${q(node.pauseImage)}
`
    : '';
  // restrict_oom_score_adj: the sandbox's -998 needs CAP_SYS_RESOURCE, which a VM or CI container may not give.
  const nodeRuntimeKeys = node ? '  restrict_oom_score_adj = true\n' : '';
  const nodeRuntime = node
    ? `  [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
${baseRuntimeSpec ? `    base_runtime_spec = ${q(baseRuntimeSpec)}\n` : ''}    [plugins."io.containerd.cri.v1.runtime".containerd.runtimes.runc.options]
      Root = ${q(join(dir, 'runc'))}
`
    : '';
  return `version = 3
root = ${q(join(dir, 'root'))}
state = ${q(join(dir, 'state'))}
# Plugins that need kernel features or files this machine may not have.
disabled_plugins = ["io.containerd.snapshotter.v1.overlayfs", "io.containerd.snapshotter.v1.blockfile", "io.containerd.snapshotter.v1.erofs", "io.containerd.internal.v1.opt"]

[grpc]
  address = ${q(join(dir, 'containerd.sock'))}
[ttrpc]
  address = ${q(join(dir, 'containerd.sock.ttrpc'))}
[debug]
  address = ""
[metrics]
  address = ""

[plugins."io.containerd.image-verifier.v1.bindir"]
  bin_dir = ${q(join(dir, 'verifiers'))}
  max_verifiers = 1
  per_verifier_timeout = "60s"

[plugins."io.containerd.transfer.v1.local"]
  config_path = ${q(join(dir, 'certs.d'))}
  [[plugins."io.containerd.transfer.v1.local".unpack_config]]
    platform = "linux/amd64"
    snapshotter = "native"

[plugins."io.containerd.cri.v1.images"]
  snapshotter = "native"
  disable_snapshot_annotations = true
  [plugins."io.containerd.cri.v1.images".registry]
    config_path = ${q(join(dir, 'certs.d'))}
${legacy}${nodeImages}
[plugins."io.containerd.cri.v1.runtime"]
${nodeRuntimeKeys}  [plugins."io.containerd.cri.v1.runtime".cni]
    bin_dirs = [${q(node?.cniBinDir ?? join(dir, 'cni', 'bin'))}]
    conf_dir = ${q(node?.cniConfDir ?? join(dir, 'cni', 'conf'))}
${nodeRuntime}`;
}

/**
 * A loopback registry speaks plain HTTP: say so in containerd's hosts dir. One with TLS gets https and the CA to
 * verify it with (without a hosts.toml, containerd skips verification for a loopback address). Credentials come with
 * each CRI pull (the kubelet's pull secret), never from here.
 */
function hostsToml(c: Pick<Containerd, 'dir'>, host: string, caFile?: string): void {
  const hostDir = join(c.dir, 'certs.d', host);
  mkdirSync(hostDir, { recursive: true });
  const scheme = caFile ? 'https' : 'http';
  writeFileSync(join(hostDir, 'hosts.toml'), `server = "${scheme}://${host}"\n\n[host."${scheme}://${host}"]\n  capabilities = ["pull", "resolve"]\n${caFile ? `  ca = ${JSON.stringify(caFile)}\n` : ''}`);
}

export async function startContainerd(baseDir: string, registryHosts: string[], opts: { node?: NodeRuntimeOptions; inside?: Inside; legacyAuth?: LegacyRegistryAuth; secure?: SecureRegistries } = {}): Promise<Containerd> {
  const { node, inside } = opts;
  const started = performance.now();
  const dir = join(baseDir, 'containerd');
  mkdirSync(join(dir, 'verifiers'), { recursive: true });
  const socket = join(dir, 'containerd.sock');
  const crictlConfig = writeCrictlConfig(join(dir, 'crictl.yaml'), socket);
  // The hook reaches every CRI container through the runc handler's base spec; its annotations name no digest, so it asks the store.
  const hook = node?.hookPolicy === undefined ? undefined : prepareOciHook(join(dir, 'oci-hook'), node.hookPolicy, { ctr: tool('ctr'), address: socket });
  const baseSpec = join(dir, 'base-runtime-spec.json');
  if (hook) writeFileSync(baseSpec, withCreateRuntimeHook(await ctrDefaultSpec(), hook));
  const config = join(dir, 'config.toml');
  writeFileSync(config, containerdConfig(dir, node, hook ? baseSpec : undefined, opts.legacyAuth), { mode: 0o600 });
  const verifierPolicy = join(dir, 'verifier-policy.json');
  if (node?.verifyPulls !== false) {
    // containerd runs every file in bin_dir with fixed arguments; the wrapper adds the policy.
    const wrapper = join(dir, 'verifiers', VERIFIER_NAME);
    writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(CONTAINERD_VERIFIER_SOURCE)} --policy ${JSON.stringify(verifierPolicy)} "$@"\n`);
    chmodSync(wrapper, 0o755);
  }
  const c = { dir, socket, verifierPolicy, crictlConfig };
  for (const host of registryHosts) hostsToml(c, host, opts.secure?.entries.some((e) => e.host === host) ? opts.secure.caFile : undefined);

  // containerd finds its shim on PATH, and the shim finds runc there.
  const path = [dirname(tool('containerd-shim-runc-v2')), dirname(tool('runc')), process.env.PATH ?? '/usr/bin:/bin'].join(':');
  const args = ['--config', config, '--log-level', 'info'];
  const wrap = node?.inside ?? inside;
  const [file, argv] = wrap ? wrap(tool('containerd'), args) : [tool('containerd'), args];
  const daemon = startDaemon('containerd', file, argv, { logDir: dir, env: { ...process.env, PATH: path } });
  await eventually(
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`containerd exited ${daemon.child.exitCode}: ${logTail(daemon.logFile)}`);
      return existsSync(socket);
    },
    { timeoutMs: READY_MS, intervalMs: 50, what: `containerd to listen on ${socket}` },
  );
  await eventually(async () => (await ctr(socket, ['version'])).exitCode === 0, { timeoutMs: READY_MS, intervalMs: 250, what: `containerd to answer ctr version on ${socket}` });
  return { ...c, daemon, hook, bootMs: Math.round(performance.now() - started), stop: () => daemon.stop() };
}
