// kubectl, where a user would type it: creating the policies and CRDs, and the
// environment's own setup. Verdicts and waits go through the client library
// (kube-client.ts); kubectl's output is attached as evidence by the runner.
import { tool } from '../../toolchain/tool-paths.ts';
import { runChecked, runCommand } from '../lib/runner.ts';

export function kubectl(cluster: { kubeconfig: string }, args: string[], opts: { input?: string; check?: boolean; timeoutMs?: number } = {}) {
  const run = opts.check === false ? runCommand : runChecked;
  return run(tool('kubectl'), ['--kubeconfig', cluster.kubeconfig, ...args], { input: opts.input, timeoutMs: opts.timeoutMs });
}
