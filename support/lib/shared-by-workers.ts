// Something the threads of a run share (the workers, and the coordinator that
// boots the cluster in the background). They are threads of one
// process with the run dir in common, not module state: the first to ask makes
// it (a mkdir is the lock) and writes what the others need to <name>.json; the
// others wait for that file, or for <name>.error if making it failed.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './cleanup.ts';
import { eventually } from './eventually.ts';

export async function sharedByWorkers<T>(name: string, make: () => Promise<T>, wait: { timeoutMs: number; intervalMs?: number; what: string }): Promise<T> {
  const info = join(RUN_DIR, `${name}.json`);
  const failure = join(RUN_DIR, `${name}.error`);
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  try {
    mkdirSync(join(RUN_DIR, `${name}.lock`));
  } catch {
    // A failure ends the wait at once: eventually() would take a thrown error for "not yet" and wait it out.
    const outcome = await eventually(
      async () => {
        if (existsSync(failure)) return { failed: readFileSync(failure, 'utf8') };
        return existsSync(info) ? { value: JSON.parse(readFileSync(info, 'utf8')) as T } : undefined;
      },
      { timeoutMs: wait.timeoutMs, intervalMs: wait.intervalMs ?? 50, what: `${wait.what}, made by another thread of the run` },
    );
    if ('failed' in outcome) throw new Error(`${wait.what} failed in another thread of the run: ${outcome.failed}`);
    return outcome.value;
  }
  try {
    const value = await make();
    // Rename: readers never see half a file.
    writeFileSync(`${info}.tmp`, JSON.stringify(value));
    renameSync(`${info}.tmp`, info);
    return value;
  } catch (err) {
    writeFileSync(failure, (err as Error).message);
    throw err;
  }
}
