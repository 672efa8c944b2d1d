// A private mount namespace for a node, or for a runtime of the scenario's own.
// The kubelet, the runtime, conmon and the shims all run in it, so that:
// - on a cgroup v1 host, controllers the host leaves unmounted (hugetlb here)
//   are mounted where only the node sees them: the kubelet asks for hugepage
//   limits on every container and runc fails without the controller;
// - the paths they write outside their flags (/run/containerd, /var/log/containers,
//   /var/lib/cni) land on tmpfs mounts that vanish with the namespace;
// - every sandbox mount (shm, network namespaces) dies with the namespace.
// The holder process is a plain `sleep infinity` under unshare: it only keeps
// the namespace alive, nothing waits on it.
import { readFileSync, readlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { type Daemon, RUN_DIR, startDaemon } from '../lib/cleanup.ts';
import { CACHE_ROOT, REPO_ROOT } from '../lib/paths.ts';
import { eventually } from '../lib/eventually.ts';
import { runChecked } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

const READY_MS = 10_000;
const CGROUP_ROOT = '/sys/fs/cgroup';
/**
 * Directories the node's processes write into whatever their flags say
 * (containerd's shim sockets in /run/containerd, the kubelet's
 * /var/log/containers, CNI's result cache in /var/lib/cni); each gets a private tmpfs.
 */
const PRIVATE_DIRS = ['/run', '/var/log', '/var/lib'];

/** The argv that runs file with args inside a private mount namespace. */
export type Inside = (file: string, args: string[]) => [string, string[]];

export interface NodeNamespace {
  pid: number;
  daemon: Daemon;
  inside: Inside;
}

interface CgroupMount {
  point: string;
  type: 'cgroup' | 'cgroup2';
  options: string;
}

/** The cgroup mounts under /sys/fs/cgroup, from a mountinfo text. */
export function cgroupMounts(mountinfo: string): CgroupMount[] {
  const out: CgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const point = left.split(' ')[4] ?? '';
    const [type, , superOptions] = right.split(' ');
    if ((type === 'cgroup' || type === 'cgroup2') && point.startsWith(`${CGROUP_ROOT}/`)) out.push({ point, type, options: superOptions ?? 'rw' });
  }
  return out;
}

/**
 * Controllers the kernel has enabled (/proc/cgroups) that no visible v1 mount
 * carries. The hierarchy number does not say it: a hierarchy that only a
 * (now gone) namespace mounted can outlive it.
 */
export function unmountedControllers(procCgroups: string, mountinfo: string): string[] {
  const mounted = new Set(cgroupMounts(mountinfo).flatMap((m) => m.options.split(',')));
  return procCgroups
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(/\s+/))
    .filter(([name, , , enabled]) => enabled === '1' && !mounted.has(name as string))
    .map(([name]) => name as string);
}

/**
 * The shell script that lays out the namespace: on a v1 host, a fresh tmpfs on
 * /sys/fs/cgroup with every host hierarchy mounted again (same options, so the
 * same hierarchy) plus the missing controllers; then the private tmpfs dirs.
 * A cgroup v2 host (no tmpfs at /sys/fs/cgroup) keeps its cgroup mount as is.
 */
export function namespaceScript(h: { mountinfo: string; procCgroups: string; cgroupV1: boolean }, nodeCgroup: string | undefined, keep: string[]): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = ['set -eu'];
  // A runtime that only pulls (no kubelet, no nodeCgroup) needs no cgroup layout of its own.
  if (nodeCgroup !== undefined && h.cgroupV1) {
    lines.push(`mount -t tmpfs -o mode=755 sigproof-cgroup ${CGROUP_ROOT}`);
    const points = cgroupMounts(h.mountinfo).map((m) => ({ ...m, point: m.point }));
    for (const m of points) lines.push(`mkdir -p ${q(m.point)}`, `mount -t ${m.type} -o ${q(m.options)} ${m.type} ${q(m.point)}`);
    for (const c of unmountedControllers(h.procCgroups, h.mountinfo)) {
      const point = `${CGROUP_ROOT}/${c}`;
      points.push({ point, type: 'cgroup', options: c });
      lines.push(`mkdir -p ${q(point)}`, `mount -t cgroup -o ${q(c)} cgroup ${q(point)}`);
    }
    // The kubelet wants its cgroup root to exist in every hierarchy; a v1 cpuset child starts with no CPUs or memory nodes.
    for (const m of points) lines.push(`mkdir -p ${q(`${m.point}/${nodeCgroup}`)}`);
    const cpuset = points.find((m) => m.options.split(',').includes('cpuset'));
    if (cpuset) for (const f of ['cpuset.cpus', 'cpuset.mems']) lines.push(`cat ${q(`${cpuset.point}/${f}`)} > ${q(`${cpuset.point}/${nodeCgroup}/${f}`)}`);
  } else if (nodeCgroup !== undefined) {
    const d = `${CGROUP_ROOT}/${nodeCgroup}`;
    lines.push(`mkdir -p ${q(d)}`, `for c in $(cat ${q(`${d}/cgroup.controllers`)}); do echo "+$c" > ${q(`${d}/cgroup.subtree_control`)} || true; done`);
  }
  // A private dir that holds the run itself or its tools would hide them: those stay as they are.
  for (const d of PRIVATE_DIRS.filter((p) => !keep.some((k) => k === p || k.startsWith(`${p}/`)))) lines.push(`if [ -d ${q(d)} ]; then mount -t tmpfs -o mode=755 sigproof-private ${q(d)}; fi`);
  return lines.join('\n');
}

/** Whether the host mounts cgroup v1 (a tmpfs of hierarchies) rather than the unified v2 hierarchy. */
export function hostHasCgroupV1(mountinfo: string): boolean {
  return mountinfo.split('\n').some((l) => l.split(' ')[4] === CGROUP_ROOT && l.includes(' - tmpfs '));
}

/** Paths the namespace's processes need that a private tmpfs must not hide: the run, the repository, the tools, node itself. */
export function pathsToKeep(): string[] {
  return [RUN_DIR, REPO_ROOT, CACHE_ROOT, dirname(process.execPath)];
}

export async function startNodeNamespace(dir: string, nodeCgroup: string | undefined, keep: string[] = pathsToKeep()): Promise<NodeNamespace> {
  const daemon = startDaemon('mount-namespace', tool('unshare'), ['--mount', '--propagation', 'private', '--', '/bin/sleep', 'infinity'], { logDir: dir });
  const own = readlinkSync('/proc/self/ns/mnt');
  // unshare execs sleep once the namespace exists: its ns link then differs from ours.
  await eventually(
    async () => {
      if (daemon.child.exitCode !== null) throw new Error(`unshare exited ${daemon.child.exitCode}: ${readFileSync(daemon.logFile, 'utf8').trim()}`);
      return readlinkSync(`/proc/${daemon.pid}/ns/mnt`) !== own && readFileSync(`/proc/${daemon.pid}/comm`, 'utf8').trim() === 'sleep';
    },
    { timeoutMs: READY_MS, intervalMs: 20, what: 'the node mount namespace' },
  );
  const inside: Inside = (file, args) => [tool('nsenter'), [`--mount=/proc/${daemon.pid}/ns/mnt`, '--', file, ...args]];
  const mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  const script = namespaceScript({ mountinfo, procCgroups: readFileSync('/proc/cgroups', 'utf8'), cgroupV1: hostHasCgroupV1(mountinfo) }, nodeCgroup, keep);
  const [file, args] = inside('/bin/sh', ['-c', script]);
  await runChecked(file, args, { what: 'lay out the node mount namespace (cgroup hierarchies, private /run and /var/log)' });
  return { pid: daemon.pid, daemon, inside };
}
