// kubectl, where a user would type it: creating the policies and CRDs, and the
// environment's own setup. Verdicts and waits go through the client library
// (kube-client.ts); kubectl's output is attached as evidence by the runner.
import { tool } from '../../toolchain/tool-paths.ts';
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';

interface KubectlOptions {
  input?: string;
  timeoutMs?: number;
}

/** Either the caller reads the exit code (check: false), or the command must succeed and says what it was for. */
type KubectlCall = KubectlOptions & ({ check: false } | { check?: true; what: string });

export function kubectl(cluster: { kubeconfig: string }, args: string[], opts: KubectlCall): Promise<CommandResult> {
  const argv = ['--kubeconfig', cluster.kubeconfig, ...args];
  const common = { input: opts.input, timeoutMs: opts.timeoutMs };
  return opts.check === false ? runCommand(tool('kubectl'), argv, common) : runChecked(tool('kubectl'), argv, { ...common, what: opts.what });
}
