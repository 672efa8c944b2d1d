// Who may run what here, and whether a skip is allowed at all.

/** SIGPROOF_STRICT=1 (set by .ci/run): any scenario that would be skipped fails instead. */
export function strictMode(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.SIGPROOF_STRICT === '1' || env.SIGPROOF_STRICT === 'true';
}

/** Why CRI-O and containerd cannot run here, or undefined when they can (as root). */
export function runtimeSkipReason(uid: number | undefined = process.getuid?.()): string | undefined {
  if (uid === 0) return undefined;
  return `CRI-O and containerd need root (their storage, namespaces and sockets), and this run is uid ${uid ?? 'unknown'}; run the suite as root (CI does)`;
}
