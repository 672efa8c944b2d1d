// Private PKI profiles (parsed in profiles.ts) turned into the files the tools
// expect: root, intermediate, leaf, chains, and the leaf key (0600).
import { X509Certificate, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ByoPkiError, scriptOutput, validateByoPki, type ByoFiles } from './byo-pki.ts';
import type { RuleBreach } from './pki-rules.ts';
import { getProfile, type PkiProfile, type Validity } from './profiles.ts';
import { runCommand } from '../lib/runner.ts';
import { certificateRequest, generateKey, issueCertificate, revokeAndPublishCrl, type CertSigning } from '../drivers/openssl.ts';
import { crlService, unreachableCrlUrl } from '../env/crl.ts';
import { recordKeyFingerprints } from '../lib/fingerprints.ts';
import { KEY_TYPE_TABLE, type KeyType } from '../lib/key-types.ts';
import { RUN_DIR } from '../lib/cleanup.ts';
import { sharedByWorkers } from '../lib/shared-by-workers.ts';

export interface Pki {
  profile: PkiProfile;
  dir: string;
  rootCert: string;
  intermediateCert: string;
  leafCert: string;
  /** 0600. Its path may be logged; its content never is. */
  leafKey: string;
  /** intermediate + root: what cosign calls the certificate chain. */
  chain: string;
  /** leaf + intermediate + root: what a notation plugin returns. */
  fullChain: string;
  /** The leaf's subject in notation's x509.subject form. */
  leafSubject: string;
  /** The signing algorithm notation derives from the leaf key (e.g. RSASSA-PSS-SHA-512). */
  notationAlgorithm: string;
  /** The verifier rules a bring-your-own leaf breaks (none for a generated one). */
  breaches: RuleBreach[];
  /** A trust bundle's chains, one per CA (intermediate + root); rootCert, intermediateCert and chain then hold them all. */
  chains?: string[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * How long a short-lived leaf is valid. Each signing gets a leaf of its own,
 * made just before it, so this only has to cover one signing (about 1 s, a few
 * on a busy 2-core machine); a signing that outlasts it stops the scenario
 * (assertShortLivedLeafOutlivedSigning). Every expiry scenario waits this long.
 */
const SHORT_LIVED_MS = 8_000;

export function notationAlgorithmFor(key: KeyType): string {
  return KEY_TYPE_TABLE[key].notation?.algorithm ?? 'none (notation has no Ed25519 key spec)';
}

export function leafValidity(validity: Validity, now: Date): { notBefore: Date; notAfter: Date } {
  const t = now.getTime();
  switch (validity) {
    case 'valid':
      return { notBefore: new Date(t - HOUR), notAfter: new Date(t + 30 * DAY) };
    case 'expired':
      return { notBefore: new Date(t - 30 * DAY), notAfter: new Date(t - DAY) };
    case 'not-yet-valid':
      return { notBefore: new Date(t + DAY), notAfter: new Date(t + 30 * DAY) };
    case 'short-lived':
      return { notBefore: new Date(t - HOUR), notAfter: new Date(t + SHORT_LIVED_MS) };
  }
}

function subject(c: { organization: string; cn: string }): string {
  return `/C=US/ST=California/O=${c.organization}/CN=${c.cn}`;
}

/** Where the run's generated PKIs live, shared read-only by its threads. */
const SHARED_PKI_DIR = join(RUN_DIR, 'pkis');
/** An RSA-4096 PKI on a busy 2-core machine takes tens of seconds; another thread waits for it this long. */
const SHARED_BUILD_MS = 5 * 60_000;

const CA_EXTENSIONS = (pathlen?: number) => [`basicConstraints = critical, CA:true${pathlen === undefined ? '' : `, pathlen:${pathlen}`}`, 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash'];

/** Builds profiles on demand: a generated one once per run (shared by the threads), fresh leaves per use in this thread's dir. */
export class PkiFactory {
  private readonly built = new Map<string, Promise<Pki>>();
  private readonly baseDir: string;
  constructor(baseDir: string) {
    this.baseDir = baseDir;
  }

  /** The notAfter of the latest leaf of each short-lived profile: the one a signing that just asked for it uses. */
  readonly latestShortLived = new Map<string, number>();

  get(name: string): Promise<Pki> {
    const profile = getProfile(name);
    // A short-lived leaf would expire for the next scenario, a revocable one be revoked for it: each use gets its own, under the shared CA.
    if (profile.validity === 'short-lived' || profile.crl) return this.buildShortLived(profile);
    if (profile.trusts) return this.buildBundle(profile, profile.trusts);
    let pki = this.built.get(name);
    if (!pki) {
      // A generated PKI is made once per run, by the first thread that asks, and only read after that. A user's
      // own (byo) is checked by each thread, so that its errors read the same wherever they are met.
      pki = profile.byo ? this.build(profile) : sharedByWorkers(`pki-${name}`, () => this.build(profile, join(SHARED_PKI_DIR, `pki-${name}`)), { timeoutMs: SHARED_BUILD_MS, what: `the PKI "${name}"` });
      this.built.set(name, pki);
      // A failed build must not be cached as the answer forever.
      pki.catch(() => this.built.delete(name));
    }
    return pki;
  }

  /** A profile of the user's own files: copied into the run (the key 0600), checked, then described by its leaf. */
  private async buildByo(profile: PkiProfile, dir: string): Promise<Pki> {
    const byo = profile.byo as NonNullable<PkiProfile['byo']>;
    let files: ByoFiles;
    if (byo.script) {
      const res = await runCommand(byo.script, [dir], { timeoutMs: 120_000 });
      if (res.exitCode !== 0) throw new ByoPkiError(`PKI profile "${profile.name}": the script ${byo.script} failed (exit ${res.exitCode}): ${(res.spawnError ?? res.stderr).trim().split('\n').slice(-3).join(' ')}`);
      files = scriptOutput(profile.name, byo.script, dir);
    } else {
      files = byo.files as ByoFiles;
    }
    const { facts, breaches } = await validateByoPki(files);
    const leafKey = join(dir, 'leaf.key');
    if (files.leafKey !== leafKey) copyFileSync(files.leafKey, leafKey);
    chmodSync(leafKey, 0o600);
    // The user's key is as secret as a generated one: the report scan looks for it too.
    recordKeyFingerprints(readFileSync(leafKey, 'utf8'));
    const derived: PkiProfile = { ...profile, key: facts.key, caKey: facts.key, organization: facts.organization, email: facts.email, uri: facts.uri };
    const chain = join(dir, 'chain.pem');
    const fullChain = join(dir, 'fullchain.pem');
    const pems = (f: string) =>
      readFileSync(f, 'utf8')
        .match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g)
        ?.map((b) => (b.endsWith('\n') ? b : `${b}\n`))
        .join('') ?? '';
    const intermediates = files.intermediates ? pems(files.intermediates) : '';
    writeFileSync(chain, intermediates + pems(files.root));
    writeFileSync(fullChain, pems(files.leafCert) + intermediates + pems(files.root));
    return {
      profile: derived,
      dir,
      rootCert: files.root,
      // Without intermediates the root stands in for the intermediates file (CRI-O's caIntermediatesPath, cosign v2's
      // --ca-intermediates): a self-signed root in the intermediate pool changes no chain.
      intermediateCert: files.intermediates ?? files.root,
      leafCert: files.leafCert,
      leafKey,
      chain,
      fullChain,
      leafSubject: facts.subject,
      notationAlgorithm: notationAlgorithmFor(facts.key),
      breaches,
    };
  }

  /** Every leaf of a profile with a CRL made so far, with the CA that can revoke it. */
  private readonly revocable = new Map<string, { leafCert: string; caDir: string; caCert: string; caKey: string; crlFile: string }[]>();

  /** Revoke every leaf the profile has had so far, and publish its CA's CRL again. */
  async revokeLeaves(name: string): Promise<string[]> {
    const leaves = this.revocable.get(name) ?? [];
    const [first] = leaves;
    if (!first) throw new Error(`PKI profile "${name}" has made no leaf with a published CRL in this run: sign with it first (its profile needs crl: published)`);
    await revokeAndPublishCrl({ caDir: first.caDir, caCert: first.caCert, caKey: first.caKey, revoke: leaves.map((l) => l.leafCert), out: first.crlFile });
    this.revocable.set(name, []);
    return leaves.map((l) => l.leafCert);
  }

  /** A trust bundle: every member's CA in one set of files, what a verifier trusting them all at once is given. */
  private async buildBundle(profile: PkiProfile, members: string[]): Promise<Pki> {
    const pkis = await Promise.all(members.map((m) => this.get(m)));
    const [first] = pkis;
    if (!first) throw new Error(`internal: PKI profile "${profile.name}" trusts nothing`);
    const identities = new Set(pkis.map((p) => `${p.profile.email} ${p.profile.uri}`));
    if (identities.size > 1) throw new Error(`PKI profile "${profile.name}": its members ${members.join(', ')} sign with different identities (email and URI); a verifier matches one identity`);
    const dir = join(this.baseDir, `pki-${profile.name}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const bundle = (name: string, files: string[]) => {
      writeFileSync(join(dir, name), files.map((f) => readFileSync(f, 'utf8')).join(''));
      return join(dir, name);
    };
    const chains = pkis.map((p) => p.chain);
    return {
      profile: { ...first.profile, name: profile.name, description: profile.description, trusts: members },
      dir,
      rootCert: bundle(
        'roots.pem',
        pkis.map((p) => p.rootCert),
      ),
      intermediateCert: bundle(
        'intermediates.pem',
        pkis.map((p) => p.intermediateCert),
      ),
      // A bundle signs nothing: no leaf.
      leafCert: '',
      leafKey: '',
      chain: bundle('chain.pem', chains),
      fullChain: '',
      leafSubject: '',
      notationAlgorithm: first.notationAlgorithm,
      breaches: [],
      chains,
    };
  }

  /** The CRL a CA's leaves name: published by the run (once, empty, before any revocation) or at a URL nothing answers. */
  private async crlOf(caDir: string, caCert: string, caKey: string, how: 'published' | 'unreachable'): Promise<{ url: string; file?: string }> {
    // Each thread records its leaves of a shared CA in a database of its own (ca-db-*): the file is named after this thread's PKI dir too.
    const name = `${basename(this.baseDir)}-${basename(caDir)}.crl`;
    if (how === 'unreachable') return { url: await unreachableCrlUrl(name) };
    const service = await crlService();
    const file = join(service.dir, name);
    if (!existsSync(file)) await revokeAndPublishCrl({ caDir, caCert, caKey, revoke: [], out: file });
    return { url: `${service.baseUrl}/${name}`, file };
  }

  private async buildShortLived(profile: PkiProfile): Promise<Pki> {
    if (!profile.issuedBy) throw new Error(`PKI profile "${profile.name}": a leaf made afresh at each use (short-lived, or with a CRL) needs issuedBy (a CA that outlives it)`);
    const pki = await this.build(profile, join(this.baseDir, `pki-${profile.name}-${randomBytes(4).toString('hex')}`));
    const notAfter = new Date(new X509Certificate(readFileSync(pki.leafCert)).validTo).getTime();
    this.latestShortLived.set(profile.name, notAfter);
    return pki;
  }

  private async build(profile: PkiProfile, dir = join(this.baseDir, `pki-${profile.name}`)): Promise<Pki> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (profile.byo) return this.buildByo(profile, dir);
    const signing: CertSigning = { digest: profile.certDigest, pss: profile.certPadding === 'pss' };
    let root: string;
    let intermediate: string;
    let intermediateKey: string;
    if (profile.issuedBy) {
      const ca = await this.get(profile.issuedBy);
      root = ca.rootCert;
      intermediate = ca.intermediateCert;
      intermediateKey = join(ca.dir, 'intermediate.key');
      Object.assign(signing, { digest: ca.profile.certDigest, pss: ca.profile.certPadding === 'pss' });
    } else {
      root = join(dir, 'root.pem');
      intermediate = join(dir, 'intermediate.pem');
      intermediateKey = join(dir, 'intermediate.key');
      const rootKey = join(dir, 'root.key');
      await generateKey(profile.caKey, rootKey);
      const now = Date.now();
      const rootCsr = join(dir, 'root.csr');
      await certificateRequest({ key: rootKey, subject: subject({ organization: profile.organization, cn: `${profile.organization} Root CA` }), out: rootCsr });
      const rootExt = join(dir, 'root.ext');
      writeFileSync(rootExt, ['[ext]', ...CA_EXTENSIONS(), ''].join('\n'));
      // The CAs predate every leaf, even an expired one: a chain is checked at the leaf's time.
      await issueCertificate({ caDir: dir, caCert: undefined, caKey: rootKey, csr: rootCsr, out: root, notBefore: new Date(now - 365 * DAY), notAfter: new Date(now + 10 * 365 * DAY), extFile: rootExt, extSection: 'ext', signing });
      await generateKey(profile.caKey, intermediateKey);
      const csr = join(dir, 'intermediate.csr');
      await certificateRequest({ key: intermediateKey, subject: subject({ organization: profile.organization, cn: `${profile.organization} Signing CA` }), out: csr });
      const ext = join(dir, 'intermediate.ext');
      writeFileSync(ext, ['[ext]', ...CA_EXTENSIONS(0), 'authorityKeyIdentifier = keyid:always', ''].join('\n'));
      await issueCertificate({ caDir: dir, caCert: root, caKey: rootKey, csr, out: intermediate, notBefore: new Date(now - 180 * DAY), notAfter: new Date(now + 3 * 365 * DAY), extFile: ext, extSection: 'ext', signing });
    }
    const leafKey = join(dir, 'leaf.key');
    const leafCert = join(dir, 'leaf.pem');
    await generateKey(profile.key, leafKey);
    const csr = join(dir, 'leaf.csr');
    const cn = `${profile.email.split('@')[0]} (${profile.name})`;
    const leaf = profile.leaf ?? {};
    await certificateRequest({ key: leafKey, subject: leaf.subject === 'cn-only' ? `/CN=${cn}` : subject({ organization: profile.organization, cn }), out: csr });
    const ext = join(dir, 'leaf.ext');
    // Notation wants keyUsage critical with only digitalSignature; containers/image wants codeSigning. A profile's leaf options break one on purpose.
    const eku = leaf.extendedKeyUsage ?? 'codeSigning';
    const lines = [
      'basicConstraints = critical, CA:false',
      `keyUsage = ${leaf.keyUsage ?? 'critical, digitalSignature'}`,
      ...(eku === 'none' ? [] : [`extendedKeyUsage = ${eku}`]),
      'subjectKeyIdentifier = hash',
      'authorityKeyIdentifier = keyid',
      ...(leaf.san === 'none' ? [] : [`subjectAltName = ${leaf.san === 'uri-only' ? '' : `email:${profile.email}, `}URI:${profile.uri}`]),
    ];
    // openssl ca's database (serials are random): a leaf under a shared CA is recorded in this thread's own, so that
    // threads never write one database at once, and this thread's CRL lists what this thread revoked.
    const caDir = profile.issuedBy ? join(this.baseDir, `ca-db-${profile.issuedBy}`) : dir;
    const crl = profile.crl && (await this.crlOf(caDir, intermediate, intermediateKey, profile.crl));
    if (crl) lines.push(`crlDistributionPoints = URI:${crl.url}`);
    writeFileSync(ext, ['[ext]', ...lines, ''].join('\n'));
    const { notBefore, notAfter } = leafValidity(profile.validity, new Date());
    await issueCertificate({ caDir, caCert: intermediate, caKey: intermediateKey, csr, out: leafCert, notBefore, notAfter, extFile: ext, extSection: 'ext', signing });
    if (crl?.file) this.revocable.set(profile.name, [...(this.revocable.get(profile.name) ?? []), { leafCert, caDir, caCert: intermediate, caKey: intermediateKey, crlFile: crl.file }]);

    const pem = (f: string) => new X509Certificate(readFileSync(f)).toString();
    const chain = join(dir, 'chain.pem');
    const fullChain = join(dir, 'fullchain.pem');
    writeFileSync(chain, pem(intermediate) + pem(root));
    writeFileSync(fullChain, pem(leafCert) + pem(intermediate) + pem(root));
    return {
      profile,
      dir,
      rootCert: root,
      intermediateCert: intermediate,
      leafCert,
      leafKey,
      chain,
      fullChain,
      leafSubject: leaf.subject === 'cn-only' ? `CN=${cn}` : `C=US, ST=California, O=${profile.organization}, CN=${cn}`,
      notationAlgorithm: notationAlgorithmFor(profile.key),
      breaches: [],
    };
  }
}
