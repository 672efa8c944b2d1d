// CRI-O as a child process of the run, one per scenario, with every path it
// would take from /etc or /var pointed into the scenario's dir: storage (vfs,
// so no overlay mounts), sockets, state, the signature policy, registries.conf
// (the loopback registries are plain HTTP) and registries.d, which has no flag:
// containers/image reads $HOME/.config/containers/registries.d, so CRI-O runs
// with HOME in the scenario's dir. The machine's /etc/containers is never read
// or written.
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logTail, startDaemon, type Daemon } from '../lib/cleanup.ts';
import { eventually } from '../lib/eventually.ts';
import { runCommand } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { writeCrictlConfig } from '../drivers/crictl.ts';
import type { Inside } from './node-namespace.ts';
import { crioHookJson, type OciHook, prepareOciHook } from './oci-hook.ts';
import { dockerAuthConfig, type SecureRegistries } from './registry-tls.ts';

const READY_MS = 60_000;

export interface Crio {
  dir: string;
  socket: string;
  /** The policy.json CRI-O reads at every pull. */
  policyFile: string;
  crictlConfig: string;
  daemon: Daemon;
  bootMs: number;
  /** sigproof's OCI hook verifier, when the node has one. */
  hook?: OciHook;
  stop(): Promise<void>;
}

/** registries.conf: a registry of the scenario is plain HTTP on loopback unless it serves TLS (then it is verified). */
export function registriesConf(hosts: string[], tlsHosts: string[] = []): string {
  return ['unqualified-search-registries = []', ...hosts.map((h) => `\n[[registry]]\nlocation = ${JSON.stringify(h)}\ninsecure = ${!tlsHosts.includes(h)}`), ''].join('\n');
}

/** registries.d: where cosign signatures are looked for (the .sig tag next to the image). */
const REGISTRIES_D_DEFAULT = 'default-docker:\n  use-sigstore-attachments: true\n';

/** What a node adds: its mount namespace, its sandbox image and its CNI network. */
export interface NodeRuntimeOptions {
  inside: Inside;
  pauseImage: string;
  pauseCommand: string;
  cniConfDir: string;
  cniBinDir: string;
  /** The OCI hook verifier's policy: the hook runs at every container creation (absent: no hook). */
  hookPolicy?: string;
  /** containerd: whether its image verifier runs at pull (off: pulls are not checked; CRI-O's equivalent is an insecureAcceptAnything policy.json). */
  verifyPulls?: boolean;
}

export async function startCrio(baseDir: string, opts: { registryHosts: string[]; policy: string; node?: NodeRuntimeOptions; inside?: Inside; secure?: SecureRegistries }): Promise<Crio> {
  const started = performance.now();
  const dir = join(baseDir, 'crio');
  const p = (...parts: string[]) => join(dir, ...parts);
  for (const d of ['home/.config/containers/registries.d', 'registries.conf.d', 'policies', 'cni/conf', 'cni/bin', 'hooks', 'cdi', 'keys', 'tmp']) mkdirSync(p(d), { recursive: true });
  const secure = opts.secure;
  writeFileSync(
    p('registries.conf'),
    registriesConf(
      opts.registryHosts,
      secure?.entries.map((e) => e.host),
    ),
  );
  // containers/image reads $HOME/.config/containers/certs.d/<host:port>/*.crt first (CRI-O has no flag for it), and the
  // credentials from the global auth file when the kubelet sends none.
  if (secure) {
    for (const e of secure.entries) {
      mkdirSync(p('home/.config/containers/certs.d', e.host), { recursive: true });
      copyFileSync(secure.caFile, p('home/.config/containers/certs.d', e.host, 'ca.crt'));
    }
    writeFileSync(p('auth.json'), dockerAuthConfig(secure.entries), { mode: 0o600 });
  }
  writeFileSync(p('home/.config/containers/registries.d/default.yaml'), REGISTRIES_D_DEFAULT);
  const policyFile = p('policy.json');
  writeFileSync(policyFile, opts.policy);
  const socket = p('crio.sock');
  const crictlConfig = writeCrictlConfig(p('crictl.yaml'), socket);
  // CRI-O reads its hooks dir once, at start.
  const hook = opts.node?.hookPolicy === undefined ? undefined : prepareOciHook(p('oci-hook'), opts.node.hookPolicy);
  if (hook) writeFileSync(p('hooks', 'sigproof-verifier.json'), crioHookJson(hook));

  const args = [
    '--config',
    '',
    '--config-dir',
    '',
    '--listen',
    socket,
    '--root',
    p('root'),
    '--runroot',
    p('runroot'),
    '--storage-driver',
    'vfs',
    '--log-dir',
    p('logs'),
    '--container-attach-socket-dir',
    p('attach'),
    '--container-exits-dir',
    p('exits'),
    '--clean-shutdown-file',
    p('clean.shutdown'),
    '--version-file',
    p('version'),
    '--version-file-persist',
    p('version-persist'),
    '--namespaces-dir',
    p('ns'),
    '--pinns-path',
    tool('pinns'),
    '--conmon',
    tool('conmon'),
    '--cgroup-manager',
    'cgroupfs',
    '--conmon-cgroup',
    'pod',
    '--default-runtime',
    'runc',
    '--runtimes',
    `runc:${tool('runc')}:${p('runc-root')}:oci`,
    '--signature-policy',
    policyFile,
    '--signature-policy-dir',
    p('policies'),
    '--registries-conf',
    p('registries.conf'),
    '--registries-conf-dir',
    p('registries.conf.d'),
    '--cni-config-dir',
    opts.node?.cniConfDir ?? p('cni/conf'),
    '--cni-plugin-dir',
    opts.node?.cniBinDir ?? p('cni/bin'),
    '--hooks-dir',
    p('hooks'),
    '--cdi-spec-dirs',
    p('cdi'),
    '--irqbalance-config-file',
    p('irqbalance'),
    '--irqbalance-config-restore-file',
    'disable',
    '--decryption-keys-path',
    p('keys'),
    '--big-files-temporary-dir',
    p('tmp'),
    // Nothing here uses NRI, metrics or host ports, and this machine has no iptables.
    '--enable-nri=false',
    '--enable-metrics=false',
    '--disable-hostport-mapping',
    ...(opts.node ? ['--pause-image', opts.node.pauseImage, '--pause-command', opts.node.pauseCommand] : []),
    ...(secure ? ['--global-auth-file', p('auth.json')] : []),
  ];
  // An empty storage.conf: CRI-O's flags say everything, /etc/containers/storage.conf is not read.
  writeFileSync(p('storage.conf'), '');
  const inside = opts.node?.inside ?? opts.inside;
  const [file, argv] = inside ? inside(tool('crio'), args) : [tool('crio'), args];
  const daemon = startDaemon('crio', file, argv, {
    logDir: dir,
    env: { ...process.env, HOME: p('home'), CONTAINERS_STORAGE_CONF: p('storage.conf') },
  });
  await eventually(
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`crio exited ${daemon.child.exitCode}: ${logTail(daemon.logFile)}`);
      return existsSync(socket);
    },
    { timeoutMs: READY_MS, intervalMs: 50, what: `CRI-O to listen on ${socket}` },
  );
  // The socket exists before the CRI services answer on it: one real request says they do.
  await eventually(async () => (await runCommand(tool('crictl'), ['--config', crictlConfig, 'version'], { timeoutMs: 10_000 })).exitCode === 0, { timeoutMs: READY_MS, intervalMs: 250, what: `CRI-O to answer crictl version on ${socket}` });
  return { dir, socket, policyFile, crictlConfig, daemon, hook, bootMs: Math.round(performance.now() - started), stop: () => daemon.stop() };
}
