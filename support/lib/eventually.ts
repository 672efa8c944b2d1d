// Waiting is polling with a deadline, never a fixed sleep.
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

interface EventuallyOptions {
  timeoutMs: number;
  intervalMs?: number;
  /** What we were waiting for, for the error message. */
  what: string;
}

const DEFAULT_POLL_INTERVAL_MS = 50;

/** Calls fn until it returns a value other than undefined/false, or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, opts: EventuallyOptions): Promise<T> {
  const deadline = performance.now() + opts.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
    } catch (err) {
      lastError = err;
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${opts.timeoutMs} ms waiting for ${opts.what}${why}`);
    }
    await delay(opts.intervalMs ?? DEFAULT_POLL_INTERVAL_MS);
  }
}

/** A port the OS says is free right now on loopback. Callers retry if they lose the race. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
