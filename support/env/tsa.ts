// A real RFC 3161 timestamp authority: Sigstore's timestamp-server with a file
// signer, on a free loopback port, and a certificate chain made for it (root,
// intermediate, leaf). The server insists on the timeStamping EKU in the
// intermediates as well as in the leaf (--enforce-intermediate-eku, on by default).
// One per run, shared by the workers: timestamp-server v2.1.3 always binds its
// metrics to :2112 (no flag moves it) and exits when that port is taken, so a
// second one cannot run beside it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { certificateRequest, generateKey, issueCertificate } from '../drivers/openssl.ts';
import { type Daemon, RUN_DIR, startDaemon } from '../lib/cleanup.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { sharedByWorkers } from '../lib/shared-by-workers.ts';
import { tool } from '../../toolchain/tool-paths.ts';

const DAY = 86_400_000;
const READY_MS = 20_000;
const START_ATTEMPTS = 3;

export interface TsaPki {
  /** The TSA's root: what notation's tsa trust store and cosign's trusted root hold. */
  root: string;
  /** Leaf, intermediate and root, as the server serves them and a verifier's chain lists them. */
  chain: string;
  key: string;
}

interface Tsa {
  name: string;
  /** The RFC 3161 endpoint: POST a timestamp request here. */
  url: string;
  pki: TsaPki;
  daemon: Daemon;
  stop(): Promise<void>;
}

const ext = (lines: string[]) => ['[ext]', ...lines, 'subjectKeyIdentifier = hash', ''].join('\n');

/** A TSA's chain, in dir: `name` shows in the subjects, so the reader can tell a trusted TSA from another. */
export async function makeTsaPki(dir: string, name: string): Promise<TsaPki> {
  const now = Date.now();
  const signing = { digest: 'sha256' as const, pss: false };
  const file = (f: string) => join(dir, f);
  const issue = async (what: string, issuer: { cert?: string; key: string } | undefined, lines: string[], days: number) => {
    await generateKey('ec-p256', file(`${what}.key`));
    await certificateRequest({ key: file(`${what}.key`), subject: `/O=sigproof/CN=${name} ${what}`, out: file(`${what}.csr`) });
    writeFileSync(file(`${what}.ext`), ext(lines));
    await issueCertificate({ caDir: dir, caCert: issuer?.cert, caKey: issuer?.key ?? file(`${what}.key`), csr: file(`${what}.csr`), out: file(`${what}.pem`), notBefore: new Date(now - DAY), notAfter: new Date(now + days * DAY), extFile: file(`${what}.ext`), extSection: 'ext', signing });
  };
  await issue('root', undefined, ['basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign'], 3650);
  await issue('intermediate', { cert: file('root.pem'), key: file('root.key') }, ['basicConstraints = critical, CA:true, pathlen:0', 'keyUsage = critical, keyCertSign, cRLSign', 'extendedKeyUsage = critical, timeStamping', 'authorityKeyIdentifier = keyid'], 1825);
  await issue('leaf', { cert: file('intermediate.pem'), key: file('intermediate.key') }, ['basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = critical, timeStamping', 'authorityKeyIdentifier = keyid'], 365);
  const chain = file('chain.pem');
  writeFileSync(chain, ['leaf', 'intermediate', 'root'].map((c) => readFileSync(file(`${c}.pem`), 'utf8')).join(''));
  return { root: file('root.pem'), chain, key: file('leaf.key') };
}

/** What a scenario knows of the run's TSA. */
export interface TsaService {
  url: string;
  pki: TsaPki;
  /** Its log, attached to a failed scenario. */
  logFile: string;
}

let shared: Promise<TsaService> | undefined;

/** The run's TSA: the first worker to ask starts it (its daemon dies with the run), the others read where it is. */
export function runTsa(): Promise<TsaService> {
  shared ??= startShared();
  return shared;
}

function startShared(): Promise<TsaService> {
  return sharedByWorkers(
    'tsa',
    async () => {
      const dir = join(RUN_DIR, 'tsa');
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const tsa = await startTsa('sigproof TSA', await makeTsaPki(dir, 'sigproof TSA'), dir);
      return { url: tsa.url, pki: tsa.pki, logFile: tsa.daemon.logFile };
    },
    { timeoutMs: 60_000, what: 'the timestamp authority' },
  );
}

async function startTsa(name: string, pki: TsaPki, dir: string): Promise<Tsa> {
  let lastError: unknown;
  // The free port can be taken between asking and binding; try again with another.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const daemon = startDaemon(
      `tsa-${name}`,
      tool('timestamp-server'),
      // The chain in each response: notation finds the TSA's intermediate only there.
      ['serve', '--host', '127.0.0.1', '--port', String(port), '--timestamp-signer', 'file', '--file-signer-key-path', pki.key, '--certificate-chain-path', pki.chain, '--include-chain-in-response', '--disable-ntp-monitoring', '--log-type', 'prod'],
      { logDir: dir },
    );
    try {
      await eventually(
        async () => {
          // It also binds :2112 for its metrics, and exits if that port is taken.
          if (daemon.child.exitCode !== null) throw new Error(`timestamp-server exited (it binds :2112 for metrics, whatever its flags say): ${readFileSync(daemon.logFile, 'utf8').trim().slice(-500)}`);
          return (await fetch(`${base}/ping`, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined))?.status === 200;
        },
        { timeoutMs: READY_MS, intervalMs: 50, what: `the timestamp authority "${name}" to answer on ${base}/ping` },
      );
      return { name, url: `${base}/api/v1/timestamp`, pki, daemon, stop: () => daemon.stop() };
    } catch (err) {
      lastError = err;
      await daemon.stop();
    }
  }
  throw new Error(`could not start the timestamp authority "${name}": ${(lastError as Error).message}`);
}
