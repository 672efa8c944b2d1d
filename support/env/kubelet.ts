// A kubelet per node, registered with the run's API server under a name of its
// own, with the node's CRI-O or containerd as its runtime. Every path it would
// take from /var/lib/kubelet, /var/log/pods or /usr/libexec is in the node's
// dir; its cgroups are under one cgroup of the node's own.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Daemon, startDaemon } from '../lib/cleanup.ts';
import { freePort } from '../lib/eventually.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { issue, writeKubeconfig } from './controlplane.ts';

/** The taint every node of the run carries: only the scenario's own workloads (which tolerate it) land there. */
export const NODE_TAINT_KEY = 'sigproof.dev/node';

interface KubeletSettings {
  name: string;
  /** The cgroup every pod of the node goes under, e.g. /sigproof-node-sp-1a2b3c4d. */
  cgroupRoot: string;
  runtimeSocket: string;
  port: number;
  healthzPort: number;
  resolvConf: string;
  podLogsDir: string;
  volumePluginDir: string;
}

export function kubeletConfig(s: KubeletSettings): string {
  const config = {
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: '127.0.0.1',
    port: s.port,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: s.healthzPort,
    // Nothing calls the kubelet's API (no logs or exec through the API server here).
    authentication: { anonymous: { enabled: false }, webhook: { enabled: false } },
    authorization: { mode: 'AlwaysAllow' },
    // kubelet 1.35+ refuses cgroup v1 unless told; this machine mounts v1, CI on GitHub v2.
    failCgroupV1: false,
    cgroupDriver: 'cgroupfs',
    // The QoS hierarchy (kubepods/…) under a cgroup of the node's own, which the teardown removes:
    // without cgroupsPerQOS the runtimes put pods under their own defaults (/crio) instead.
    cgroupsPerQOS: true,
    cgroupRoot: s.cgroupRoot,
    enforceNodeAllocatable: [],
    failSwapOn: false,
    containerRuntimeEndpoint: `unix://${s.runtimeSocket}`,
    podLogsDir: s.podLogsDir,
    volumePluginDir: s.volumePluginDir,
    resolvConf: s.resolvConf,
    registerWithTaints: [{ key: NODE_TAINT_KEY, value: s.name, effect: 'NoSchedule' }],
    // A test machine's disk may be fuller than the defaults allow; pods must not be evicted for it.
    evictionHard: { 'memory.available': '1Mi', 'nodefs.available': '1%', 'imagefs.available': '1%', 'nodefs.inodesFree': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    // Pulls run in parallel, as on a busy node; their order never matters here.
    serializeImagePulls: false,
    nodeStatusUpdateFrequency: '2s',
    syncFrequency: '5s',
    fileCheckFrequency: '5s',
    localStorageCapacityIsolation: false,
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

export interface Kubelet {
  daemon: Daemon;
  healthzPort: number;
}

const CLIENT_EXT = ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = clientAuth'];

/** The node's client certificate (the Node authorizer knows it by system:node:<name>), its kubeconfig and config file. */
export async function prepareKubelet(dir: string, cluster: { server: string; caCert: string; caKey: string }, s: Omit<KubeletSettings, 'port' | 'healthzPort' | 'resolvConf' | 'podLogsDir' | 'volumePluginDir'>): Promise<{ args: string[]; healthzPort: number }> {
  const pkiDir = join(dir, 'pki');
  mkdirSync(pkiDir, { recursive: true, mode: 0o700 });
  const client = await issue(pkiDir, { cert: cluster.caCert, key: cluster.caKey }, 'kubelet-client', `/O=system:nodes/CN=system:node:${s.name}`, CLIENT_EXT);
  const kubeconfig = join(dir, 'kubelet.kubeconfig');
  writeKubeconfig(kubeconfig, cluster.server, { caCert: cluster.caCert, cert: client.cert, key: client.key });
  // The host's resolver, copied: on some hosts /etc/resolv.conf points into /run, which the node's namespace hides.
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, readFileSync('/etc/resolv.conf'));
  const settings: KubeletSettings = { ...s, port: await freePort(), healthzPort: await freePort(), resolvConf, podLogsDir: join(dir, 'pod-logs'), volumePluginDir: join(dir, 'volume-plugins') };
  const config = join(dir, 'kubelet.json');
  writeFileSync(config, kubeletConfig(settings));
  const args = [`--config=${config}`, `--kubeconfig=${kubeconfig}`, `--root-dir=${join(dir, 'root')}`, `--cert-dir=${join(dir, 'certs')}`, `--hostname-override=${s.name}`, '--v=2'];
  return { args, healthzPort: settings.healthzPort };
}

export function startKubelet(dir: string, prepared: { args: string[]; healthzPort: number }, inside: (file: string, args: string[]) => [string, string[]]): Kubelet {
  const [file, argv] = inside(tool('kubelet'), prepared.args);
  return { daemon: startDaemon('kubelet', file, argv, { logDir: dir }), healthzPort: prepared.healthzPort };
}
