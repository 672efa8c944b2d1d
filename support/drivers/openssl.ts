// Driver for openssl: key generation, certificate issuance and raw signing.
// Keys are written 0600 and their contents never pass through a recorded output.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordKeyFingerprints } from '../lib/fingerprints.ts';
import { runChecked } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { keyFacts, type Digest, type KeyType } from '../lib/key-types.ts';

export async function generateKey(type: KeyType, file: string): Promise<void> {
  const args = ['genpkey', '-quiet', ...keyFacts(type).genpkey, '-out', file];
  // umask is not ours to set: create the file 0600 first, openssl keeps the mode.
  writeFileSync(file, '', { mode: 0o600 });
  await runChecked(tool('openssl'), args, { what: `generate a ${type} key` });
  chmodSync(file, 0o600);
  recordKeyFingerprints(readFileSync(file, 'utf8'));
}

export interface CertSigning {
  digest: Digest;
  /** RSASSA-PSS certificate signatures instead of PKCS#1 v1.5 (RSA issuers only). */
  pss: boolean;
}

function sigopts(signing: CertSigning): string[] {
  return signing.pss ? ['-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest'] : [];
}

export async function certificateRequest(opts: { key: string; subject: string; out: string }): Promise<void> {
  await runChecked(tool('openssl'), ['req', '-new', '-key', opts.key, '-subj', opts.subject, '-out', opts.out], { what: 'make a certificate request' });
}

/**
 * Issue a certificate with explicit validity dates. `openssl ca` is used because
 * OpenSSL 3.0's `req -x509` and `x509 -req` cannot backdate, and both expired
 * leaves and roots older than their leaves are needed: cosign without a
 * transparency log checks the chain at the leaf's notBefore.
 */
/** One issuance at a time per CA: `openssl ca` rewrites its config and database. */
const caQueues = new Map<string, Promise<unknown>>();

export function issueCertificate(opts: IssueOptions): Promise<void> {
  const next = (caQueues.get(opts.caDir) ?? Promise.resolve()).catch(() => undefined).then(() => issueNow(opts));
  caQueues.set(opts.caDir, next);
  return next;
}

interface IssueOptions {
  caDir: string;
  /** The issuer's certificate; undefined for a self-signed root. */
  caCert: string | undefined;
  caKey: string;
  csr: string;
  out: string;
  notBefore: Date;
  notAfter: Date;
  extFile: string;
  extSection: string;
  signing: CertSigning;
}

/** The `openssl ca` configuration and database of a CA dir: what issued its certificates, and revokes them. */
function caConfig(caDir: string): string {
  const db = join(caDir, 'db');
  mkdirSync(join(db, 'new'), { recursive: true });
  const conf = join(db, 'ca.cnf');
  writeFileSync(join(db, 'index.txt'), '', { flag: 'a' });
  writeFileSync(join(db, 'index.txt.attr'), 'unique_subject = no\n');
  writeFileSync(
    conf,
    [
      '[ca]',
      'default_ca = sigproof',
      '',
      '[sigproof]',
      `database = ${join(db, 'index.txt')}`,
      `new_certs_dir = ${join(db, 'new')}`,
      `serial = ${join(db, 'serial')}`,
      'policy = any',
      'unique_subject = no',
      'copy_extensions = none',
      // Issuance names its digest; revocation and CRLs use this one.
      'default_md = sha256',
      '',
      '[any]',
      'countryName = optional',
      'stateOrProvinceName = optional',
      'organizationName = optional',
      'commonName = supplied',
      '',
    ].join('\n'),
  );
  return conf;
}

async function issueNow(opts: IssueOptions): Promise<void> {
  const conf = caConfig(opts.caDir);
  await runChecked(
    tool('openssl'),
    [
      'ca',
      '-batch',
      '-notext',
      '-preserveDN',
      '-create_serial',
      '-rand_serial',
      '-config',
      conf,
      ...(opts.caCert ? ['-cert', opts.caCert] : ['-selfsign']),
      '-keyfile',
      opts.caKey,
      '-in',
      opts.csr,
      '-out',
      opts.out,
      '-startdate',
      asn1Time(opts.notBefore),
      '-enddate',
      asn1Time(opts.notAfter),
      '-md',
      opts.signing.digest,
      ...sigopts(opts.signing),
      '-extfile',
      opts.extFile,
      '-extensions',
      opts.extSection,
    ],
    { what: `issue the certificate ${opts.out}` },
  );
}

/** Revoke certificates the CA dir issued, then publish its CRL (DER, next update in a day) to `out`; one at a time per CA. */
export function revokeAndPublishCrl(opts: { caDir: string; caCert: string; caKey: string; revoke: string[]; out: string }): Promise<void> {
  const next = (caQueues.get(opts.caDir) ?? Promise.resolve())
    .catch(() => undefined)
    .then(async () => {
      const conf = caConfig(opts.caDir);
      const ca = ['-config', conf, '-cert', opts.caCert, '-keyfile', opts.caKey];
      for (const cert of opts.revoke) await runChecked(tool('openssl'), ['ca', '-batch', ...ca, '-revoke', cert, '-crl_reason', 'keyCompromise'], { what: `revoke ${cert}` });
      const pem = `${opts.out}.pem`;
      // crlnumber would need a file of its own; notation needs NextUpdate, which -crldays sets.
      await runChecked(tool('openssl'), ['ca', '-batch', ...ca, '-gencrl', '-crldays', '1', '-md', 'sha256', '-out', pem], { what: `make the CRL of ${opts.caCert}` });
      await runChecked(tool('openssl'), ['crl', '-in', pem, '-outform', 'DER', '-out', opts.out], { what: `publish the CRL of ${opts.caCert} as DER` });
    });
  caQueues.set(opts.caDir, next);
  return next;
}

/** YYYYMMDDHHMMSSZ, what `openssl ca -startdate/-enddate` accepts. */
function asn1Time(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
}

/** openssl dgst -sign: the raw signature bytes of stdin (DER for ECDSA). */
export async function signDigest(opts: { key: string; digest: Digest; pss?: boolean; input: Buffer }): Promise<Buffer> {
  const args = ['dgst', `-${opts.digest}`, '-sign', opts.key];
  if (opts.pss) args.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest');
  const res = await runChecked(tool('openssl'), args, { input: opts.input, binaryStdout: true, what: `sign with openssl dgst -${opts.digest}` });
  return res.stdoutBytes ?? Buffer.alloc(0);
}

/** Pure Ed25519 (no pre-hash), which `openssl dgst` cannot do: pkeyutl -rawin. */
export async function signEd25519(opts: { key: string; inputFile: string }): Promise<Buffer> {
  const res = await runChecked(tool('openssl'), ['pkeyutl', '-sign', '-rawin', '-inkey', opts.key, '-in', opts.inputFile], { binaryStdout: true, what: 'sign with Ed25519 (openssl pkeyutl -rawin)' });
  return res.stdoutBytes ?? Buffer.alloc(0);
}
