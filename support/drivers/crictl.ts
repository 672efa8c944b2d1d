// crictl, the CRI client: pulls through CRI-O or containerd's CRI plugin the way
// the kubelet does. Each runtime writes its own crictl config (endpoints), so
// /etc/crictl.yaml is never read.
import { writeFileSync } from 'node:fs';
import { runCommand, type CommandResult } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

const PULL_TIMEOUT_MS = 180_000;

export function crictlPull(config: string, reference: string): Promise<CommandResult> {
  return runCommand(tool('crictl'), ['--config', config, 'pull', reference], { timeoutMs: PULL_TIMEOUT_MS });
}

/** Whether the runtime's image store holds the reference (crictl inspecti exits 0). */
export async function crictlHasImage(config: string, reference: string): Promise<boolean> {
  const res = await runCommand(tool('crictl'), ['--config', config, 'inspecti', '--output', 'json', reference]);
  return res.exitCode === 0;
}

/** A crictl config that talks to one runtime socket (both endpoints). */
export function writeCrictlConfig(file: string, socket: string): string {
  writeFileSync(file, `runtime-endpoint: unix://${socket}\nimage-endpoint: unix://${socket}\ntimeout: 120\n`);
  return file;
}
