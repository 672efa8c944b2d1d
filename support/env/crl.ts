// Where the run's CAs publish their CRLs: a directory of the run served over
// HTTP on a free loopback port by busybox's httpd, one for the run (the workers
// share it, and its daemon dies with the run). A leaf names its CA's CRL by URL
// in its CRL distribution point; an unreachable one names a port nothing listens on.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR, startDaemon } from '../lib/cleanup.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { sharedByWorkers } from '../lib/shared-by-workers.ts';
import { tool } from '../../toolchain/tool-paths.ts';

interface CrlService {
  /** Files written here are served under baseUrl. */
  dir: string;
  baseUrl: string;
}

let shared: Promise<CrlService> | undefined;

export function crlService(): Promise<CrlService> {
  shared ??= startShared();
  return shared;
}

function startShared(): Promise<CrlService> {
  return sharedByWorkers('crl', serve, { timeoutMs: 30_000, what: 'the CRL server' });
}

async function serve(): Promise<CrlService> {
  const dir = join(RUN_DIR, 'crl');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), 'sigproof CRLs\n');
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const daemon = startDaemon('crl-httpd', tool('busybox'), ['httpd', '-f', '-p', `127.0.0.1:${port}`, '-h', dir], { logDir: join(RUN_DIR, 'crl-log') });
    const baseUrl = `http://127.0.0.1:${port}`;
    try {
      await eventually(
        async () => {
          if (daemon.child.exitCode !== null) throw new Error(`busybox httpd exited ${daemon.child.exitCode}`);
          return (await fetch(`${baseUrl}/index.html`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: 10_000, intervalMs: 50, what: `the CRL server on ${baseUrl}` },
      );
      return { dir, baseUrl };
    } catch (err) {
      await daemon.stop();
      // The free port can be taken between asking and binding; try again with another.
      if (attempt >= 3) throw err;
    }
  }
}

/** A CRL URL on a loopback port nothing listens on: the OS gave it as free, and it was closed again. */
export async function unreachableCrlUrl(name: string): Promise<string> {
  return `http://127.0.0.1:${await freePort()}/${name}`;
}
