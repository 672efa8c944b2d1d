// What a production-shaped registry needs: a server certificate from a CA made
// for the run, and a bcrypt password file for distribution's htpasswd auth.
// The CA is made once per worker; every tool that trusts it is given its file
// (never the system's trust store).
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { certificateRequest, generateKey, issueCertificate } from '../drivers/openssl.ts';
import { RUN_DIR } from '../lib/cleanup.ts';
import { sharedByWorkers } from '../lib/shared-by-workers.ts';
import { recordSecretFingerprint } from '../lib/fingerprints.ts';
import { runChecked } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

const DAY = 86_400_000;
const CA_EXT = ['[ext]', 'basicConstraints = critical, CA:true', 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash', ''].join('\n');

interface RegistryCa {
  dir: string;
  cert: string;
  key: string;
}

export interface Credentials {
  username: string;
  /** Recorded as a secret fingerprint: the report scan looks for it. */
  password: string;
}

/** A CA of the run's own, in dir: `name` shows in its subject ("sigproof registry CA", "a CA nobody trusts"). */
export async function makeRegistryCa(dir: string, name: string): Promise<RegistryCa> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  await generateKey('ec-p256', key);
  const csr = join(dir, 'ca.csr');
  await certificateRequest({ key, subject: `/O=sigproof/CN=${name}`, out: csr });
  writeFileSync(join(dir, 'ca.ext'), CA_EXT);
  const now = Date.now();
  await issueCertificate({ caDir: dir, caCert: undefined, caKey: key, csr, out: cert, notBefore: new Date(now - DAY), notAfter: new Date(now + 30 * DAY), extFile: join(dir, 'ca.ext'), extSection: 'ext', signing: { digest: 'sha256', pss: false } });
  return { dir, cert, key };
}

let runCa: Promise<RegistryCa> | undefined;

/**
 * The CA every TLS registry of the run is issued by, and every tool is told to trust. The workers share the
 * process's run dir and the cluster, so they share the CA too: the first to ask makes it, the others wait for it.
 */
export function registryCa(): Promise<RegistryCa> {
  runCa ??= sharedRegistryCa();
  return runCa;
}

function sharedRegistryCa(): Promise<RegistryCa> {
  return sharedByWorkers('registry-ca', () => makeRegistryCa(join(RUN_DIR, 'registry-ca'), 'sigproof registry CA'), { timeoutMs: 60_000, what: 'the registry CA' });
}

/** A serving certificate for host (an IP address or a DNS name) from ca, written into dir as tls.crt and tls.key. */
export async function issueServerCertificate(ca: RegistryCa, host: string, dir: string): Promise<{ cert: string; key: string }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = join(dir, 'tls.key');
  const cert = join(dir, 'tls.crt');
  await generateKey('ec-p256', key);
  const csr = join(dir, 'tls.csr');
  await certificateRequest({ key, subject: `/O=sigproof/CN=${host}`, out: csr });
  const san = isIP(host) ? `IP:${host}` : `DNS:${host}`;
  writeFileSync(join(dir, 'tls.ext'), ['[ext]', 'basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = serverAuth', `subjectAltName = ${san}`, ''].join('\n'));
  const now = Date.now();
  // The CA is shared by the workers: its openssl database stays its own, each certificate's is the registry's.
  await issueCertificate({ caDir: dir, caCert: ca.cert, caKey: ca.key, csr, out: cert, notBefore: new Date(now - DAY), notAfter: new Date(now + 7 * DAY), extFile: join(dir, 'tls.ext'), extSection: 'ext', signing: { digest: 'sha256', pss: false } });
  return { cert, key };
}

/** Credentials made for one registry: a user named after it, a random password. */
export function newCredentials(registryName: string): Credentials {
  const credentials = { username: `${registryName}-pusher`, password: randomBytes(18).toString('base64url') };
  recordCredentials(credentials);
  return credentials;
}

/** The password, and the user:password pair in base64 as docker configs and pull secrets hold it: the report scan looks for both. */
function recordCredentials(c: Credentials): void {
  recordSecretFingerprint(c.password);
  recordSecretFingerprint(Buffer.from(`${c.username}:${c.password}`).toString('base64'));
}

/** The same user with a password of the same length and shape, one character off (recorded as a secret too). */
export function wrongPassword(c: Credentials): Credentials {
  const wrong = { username: c.username, password: `${c.password.slice(0, -1)}${c.password.at(-1) === 'x' ? 'y' : 'x'}` };
  recordCredentials(wrong);
  return wrong;
}

/** distribution's htpasswd file: bcrypt only. The password goes in on stdin and the hash straight to the file, never into a record. */
export async function writeHtpasswd(file: string, credentials: Credentials): Promise<void> {
  if (existsSync(file)) throw new Error(`internal: ${file} exists`);
  await runChecked(tool('htpasswd'), ['-ciB', file, credentials.username], { input: `${credentials.password}\n`, secrets: [credentials.password], what: `write the password file of ${credentials.username}` });
  chmodSync(file, 0o600);
}

/** What a runtime needs to pull from the scenario's registries with TLS and credentials: the CA its users tell it to trust, and each one's credentials. */
export interface SecureRegistries {
  caFile: string;
  entries: { host: string; credentials: Credentials }[];
}

/** A docker config file's text with each registry's credentials under "auths": what docker login writes, and what pull secrets, CRI-O's auth file and DOCKER_CONFIG hold. */
export function dockerAuthConfig(entries: { host: string; credentials: Credentials }[]): string {
  const auths = Object.fromEntries(entries.map((e) => [e.host, { auth: Buffer.from(`${e.credentials.username}:${e.credentials.password}`).toString('base64') }]));
  return `${JSON.stringify({ auths }, null, 2)}\n`;
}
