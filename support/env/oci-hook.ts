// sigproof's OCI hook verifier (plugin/oci-hook-verifier.ts) as a runtime meets
// it: a wrapper runc can exec (a hook gets no PATH and no shell), the policy it
// reads at every container creation, the log of its decisions, and the two ways
// of wiring it: a hook JSON in CRI-O's hooks dir, a base runtime spec whose
// createRuntime hook containerd copies into every container's spec.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/paths.ts';

const HOOK_SOURCE = join(REPO_ROOT, 'plugin', 'oci-hook-verifier.ts');
/** runc kills a hook after this; cosign's own deadline is shorter, so a slow registry is a reason, not a kill. */
const HOOK_TIMEOUT_S = 60;

export interface OciHook {
  /** The policy the hook reads at every creation (the containerd verifier's format). */
  policyFile: string;
  /** One JSON line per decision: container, image, digest, allowed, reason, ms. */
  logFile: string;
  /** The runtime-spec hook: path, args, env, timeout. */
  spec: { path: string; args: string[]; env: string[]; timeout: number };
}

/** The hook for one runtime; ctr lets it ask containerd's image store for the digest its annotations lack. */
export function prepareOciHook(dir: string, policy: string, containerd?: { ctr: string; address: string }): OciHook {
  mkdirSync(join(dir, 'home'), { recursive: true });
  const policyFile = join(dir, 'policy.json');
  writeFileSync(policyFile, policy);
  const logFile = join(dir, 'decisions.jsonl');
  writeFileSync(logFile, '');
  const wrapper = join(dir, 'sigproof-oci-hook');
  writeFileSync(wrapper, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(HOOK_SOURCE)} "$@"\n`);
  chmodSync(wrapper, 0o755);
  const args = [wrapper, '--policy', policyFile, '--log', logFile, ...(containerd ? ['--ctr', containerd.ctr, '--containerd-address', containerd.address] : [])];
  // cosign and notation keep caches under HOME; the hook's own, not root's.
  return { policyFile, logFile, spec: { path: wrapper, args, env: ['PATH=/usr/bin:/bin', `HOME=${join(dir, 'home')}`], timeout: HOOK_TIMEOUT_S } };
}

/** CRI-O's hooks dir entry (oci-hooks(5), schema 1.0.0): every container, at createRuntime. */
export function crioHookJson(hook: OciHook): string {
  return `${JSON.stringify({ version: '1.0.0', hook: hook.spec, when: { always: true }, stages: ['createRuntime'] }, null, 2)}\n`;
}

/** containerd's base runtime spec: its own default spec (ctr oci spec) with the hook at createRuntime. */
export function withCreateRuntimeHook(defaultSpec: string, hook: OciHook): string {
  const spec = JSON.parse(defaultSpec) as { hooks?: Record<string, unknown[]> };
  spec.hooks = { ...spec.hooks, createRuntime: [...(spec.hooks?.createRuntime ?? []), hook.spec] };
  return `${JSON.stringify(spec, null, 2)}\n`;
}
