// ctr, containerd's own client. `image pull` without --local goes through the
// transfer service, which is where the image verifiers run.
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

const TIMEOUT_MS = 180_000;

/** The namespace the CRI plugin (and so the kubelet) uses: what ctr puts there, a pod can run. */
const CRI_NAMESPACE = 'k8s.io';

export function ctr(socket: string, args: string[]): Promise<CommandResult> {
  return runCommand(tool('ctr'), ['--address', socket, '--namespace', CRI_NAMESPACE, ...args], { timeoutMs: TIMEOUT_MS });
}

function ctrChecked(what: string, socket: string, args: string[]): Promise<CommandResult> {
  return runChecked(tool('ctr'), ['--address', socket, '--namespace', CRI_NAMESPACE, ...args], { timeoutMs: TIMEOUT_MS, what });
}

/** containerd's default OCI spec for a container, as its CRI plugin would start from (ctr oci spec needs no daemon). */
export async function ctrDefaultSpec(): Promise<string> {
  return (await runChecked(tool('ctr'), ['oci', 'spec'], { timeoutMs: TIMEOUT_MS, what: "print containerd's default OCI spec" })).stdout;
}

export function ctrPull(socket: string, reference: string): Promise<CommandResult> {
  return ctr(socket, ['image', 'pull', '--plain-http', reference]);
}

/** Import an OCI archive into the store: no pull, so no verifier runs. It must work: a failure throws. */
export function ctrImport(socket: string, archive: string, baseName: string): Promise<CommandResult> {
  return ctrChecked(`import ${archive} into containerd's store as ${baseName}`, socket, ['image', 'import', '--snapshotter', 'native', '--base-name', baseName, archive]);
}

/**
 * Start a container from an image in the store and wait for it: what a node
 * does with an image it already has. No pull, so no verifier. No cgroup, so
 * nothing is left under /sys/fs/cgroup; --rm removes the container after.
 */
export function ctrRun(socket: string, reference: string, id: string, argv: string[], fifoDir: string): Promise<CommandResult> {
  // The stdio FIFOs go in the scenario's dir (not /run/containerd/fifo), where containerd's shim, in its own mount namespace, sees them too.
  return ctr(socket, ['run', '--rm', '--snapshotter', 'native', '--cgroup', '', '--fifo-dir', fifoDir, reference, id, ...argv]);
}
