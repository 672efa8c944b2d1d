// Private PKI profiles (scenarios/pki-profiles.yaml) turned into the files the
// tools expect: root, intermediate, leaf, chains, and the leaf key (0600).
import { X509Certificate } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ByoPkiError, validateByoPki, type ByoFiles } from './byo-pki.ts';
import { runCommand } from '../lib/runner.ts';
import { parse } from 'yaml';
import { SCENARIOS_DIR } from '../lib/paths.ts';
import { certificateRequest, generateKey, issueCertificate, recordKeyFingerprints, type CertSigning } from '../drivers/openssl.ts';
import { DIGESTS, KEY_TYPES, KEY_TYPE_TABLE, isRsa, type Digest, type KeyType } from '../lib/key-types.ts';

export const PKI_PROFILES_FILE = join(SCENARIOS_DIR, 'pki-profiles.yaml');
const VALIDITIES = ['valid', 'expired', 'not-yet-valid'] as const;
type Validity = (typeof VALIDITIES)[number];
const PADDINGS = ['pkcs1', 'pss'] as const;

interface PkiProfile {
  name: string;
  description: string;
  key: KeyType;
  caKey: KeyType;
  certDigest: Digest;
  certPadding: 'pkcs1' | 'pss';
  organization: string;
  email: string;
  uri: string;
  validity: Validity;
  issuedBy?: string;
  /** Bring your own: the files, or a script that writes them; the fields above are then read from the leaf. */
  byo?: { files?: ByoFiles; script?: string };
}

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
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function oneOf<T extends string>(file: string, profile: string, field: string, value: unknown, allowed: readonly T[], fallback?: T): T {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`${file}: profile "${profile}": ${field} is ${JSON.stringify(value)}, expected one of ${allowed.join(', ')}`);
}

function text(file: string, profile: string, field: string, value: unknown, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value === 'string' && value.trim()) return value;
  throw new Error(`${file}: profile "${profile}": ${field} must be a non-empty string`);
}

/** Parse and validate the catalogue; every problem names the file and the profile. */
export function parseProfiles(source: string, file = PKI_PROFILES_FILE): Map<string, PkiProfile> {
  let doc: unknown;
  try {
    doc = parse(source);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: expected a mapping of profile names to profiles`);
  const profiles = new Map<string, PkiProfile>();
  const known = new Set(['description', 'key', 'caKey', 'certDigest', 'certPadding', 'organization', 'email', 'uri', 'validity', 'issuedBy', 'files', 'script']);
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') throw new Error(`${file}: profile "${name}" must be a mapping`);
    const r = raw as Record<string, unknown>;
    const unknownFields = Object.keys(r).filter((k) => !known.has(k));
    if (unknownFields.length) throw new Error(`${file}: profile "${name}": unknown field(s) ${unknownFields.join(', ')}; known fields: ${[...known].join(', ')}`);
    if (r.files !== undefined || r.script !== undefined) {
      profiles.set(name, parseByoProfile(file, name, r));
      continue;
    }
    const key = oneOf(file, name, 'key', r.key, KEY_TYPES);
    // An Ed25519 leaf gets an EC P-256 CA unless told otherwise.
    const caKey = oneOf(file, name, 'caKey', r.caKey, KEY_TYPES, key === 'ed25519' ? 'ec-p256' : key);
    const certPadding = oneOf(file, name, 'certPadding', r.certPadding, PADDINGS, 'pkcs1');
    if (caKey === 'ed25519') throw new Error(`${file}: profile "${name}": caKey ed25519 is not supported; use an EC or RSA CA for an Ed25519 leaf`);
    if (certPadding === 'pss' && !isRsa(caKey)) throw new Error(`${file}: profile "${name}": certPadding pss needs an RSA caKey, not ${caKey}`);
    profiles.set(name, {
      name,
      description: text(file, name, 'description', r.description, name),
      key,
      caKey,
      certDigest: oneOf(file, name, 'certDigest', r.certDigest, DIGESTS, 'sha256'),
      certPadding,
      organization: text(file, name, 'organization', r.organization),
      email: text(file, name, 'email', r.email),
      uri: text(file, name, 'uri', r.uri),
      validity: oneOf(file, name, 'validity', r.validity, VALIDITIES, 'valid'),
      issuedBy: r.issuedBy === undefined ? undefined : text(file, name, 'issuedBy', r.issuedBy),
    });
  }
  for (const p of profiles.values()) {
    if (p.issuedBy && !profiles.has(p.issuedBy)) throw new Error(`${file}: profile "${p.name}": issuedBy "${p.issuedBy}" is not a profile`);
    if (p.issuedBy && profiles.get(p.issuedBy)?.issuedBy) throw new Error(`${file}: profile "${p.name}": issuedBy must name a profile with its own CA`);
  }
  return profiles;
}

const BYO_FILE_FIELDS = ['root', 'intermediates', 'leafCert', 'leafKey'] as const;
/** A PKI of root and leaf has no intermediates: the one field a profile may leave out. */
const OPTIONAL_BYO_FIELDS: readonly string[] = ['intermediates'];

/** files: {root, intermediates?, leafCert, leafKey} or script: a command given the dir to write them to. Paths are relative to the catalogue. */
function parseByoProfile(file: string, name: string, r: Record<string, unknown>): PkiProfile {
  const base = dirname(file);
  const generatedOnly = ['key', 'caKey', 'certDigest', 'certPadding', 'organization', 'email', 'uri', 'validity', 'issuedBy'].filter((k) => r[k] !== undefined);
  if (generatedOnly.length) throw new Error(`${file}: profile "${name}": ${generatedOnly.join(', ')} describe a generated PKI; a profile with files or script takes them from the leaf certificate`);
  if (r.files !== undefined && r.script !== undefined) throw new Error(`${file}: profile "${name}": give files or script, not both`);
  let byo: PkiProfile['byo'];
  if (r.script !== undefined) {
    byo = { script: resolve(base, text(file, name, 'script', r.script)) };
  } else {
    const f = r.files as Record<string, unknown> | null;
    if (!f || typeof f !== 'object') throw new Error(`${file}: profile "${name}": files must map ${BYO_FILE_FIELDS.join(', ')} to paths`);
    const missing = BYO_FILE_FIELDS.filter((k) => !OPTIONAL_BYO_FIELDS.includes(k) && (typeof f[k] !== 'string' || !f[k]));
    if (missing.length) throw new Error(`${file}: profile "${name}": files lacks ${missing.join(', ')}`);
    byo = { files: Object.fromEntries(BYO_FILE_FIELDS.filter((k) => typeof f[k] === 'string' && f[k]).map((k) => [k, resolve(base, f[k] as string)])) as unknown as ByoFiles };
  }
  // Placeholders until the files are read: the leaf says what they are.
  return { name, description: text(file, name, 'description', r.description, name), key: 'ec-p256', caKey: 'ec-p256', certDigest: 'sha256', certPadding: 'pkcs1', organization: '', email: '', uri: '', validity: 'valid', byo };
}

let catalogue: Map<string, PkiProfile> | undefined;
export function loadProfiles(): Map<string, PkiProfile> {
  catalogue ??= parseProfiles(readFileSync(PKI_PROFILES_FILE, 'utf8'));
  return catalogue;
}

export function getProfile(name: string): PkiProfile {
  const profiles = loadProfiles();
  const profile = profiles.get(name);
  if (!profile) throw new Error(`unknown PKI profile "${name}". Known profiles (${PKI_PROFILES_FILE}): ${[...profiles.keys()].join(', ')}`);
  return profile;
}

/** The algorithm notation derives from the key, which it does not let you choose. */
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
  }
}

function subject(c: { organization: string; cn: string }): string {
  return `/C=US/ST=California/O=${c.organization}/CN=${c.cn}`;
}

const CA_EXTENSIONS = (pathlen?: number) => [`basicConstraints = critical, CA:true${pathlen === undefined ? '' : `, pathlen:${pathlen}`}`, 'keyUsage = critical, keyCertSign, cRLSign', 'subjectKeyIdentifier = hash'];

/** Builds profiles on demand, once per run (a worker), in the run's temp dir. */
export class PkiFactory {
  private readonly built = new Map<string, Promise<Pki>>();
  private readonly baseDir: string;
  constructor(baseDir: string) {
    this.baseDir = baseDir;
  }

  get(name: string): Promise<Pki> {
    const profile = getProfile(name);
    let pki = this.built.get(name);
    if (!pki) {
      pki = this.build(profile);
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
    const facts = await validateByoPki(files);
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
    };
  }

  private async build(profile: PkiProfile): Promise<Pki> {
    const dir = join(this.baseDir, `pki-${profile.name}`);
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
    await certificateRequest({ key: leafKey, subject: subject({ organization: profile.organization, cn }), out: csr });
    const ext = join(dir, 'leaf.ext');
    // Notation wants keyUsage critical with only digitalSignature; containers/image wants codeSigning.
    writeFileSync(ext, ['[ext]', 'basicConstraints = critical, CA:false', 'keyUsage = critical, digitalSignature', 'extendedKeyUsage = codeSigning', 'subjectKeyIdentifier = hash', 'authorityKeyIdentifier = keyid', `subjectAltName = email:${profile.email}, URI:${profile.uri}`, ''].join('\n'));
    const { notBefore, notAfter } = leafValidity(profile.validity, new Date());
    await issueCertificate({ caDir: profile.issuedBy ? join(this.baseDir, `pki-${profile.issuedBy}`) : dir, caCert: intermediate, caKey: intermediateKey, csr, out: leafCert, notBefore, notAfter, extFile: ext, extSection: 'ext', signing });

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
      leafSubject: `C=US, ST=California, O=${profile.organization}, CN=${cn}`,
      notationAlgorithm: notationAlgorithmFor(profile.key),
    };
  }
}

/**
 * What a PKI script wrote, in one of two layouts: sigproof's (root.pem,
 * intermediates.pem, leaf.pem, leaf.key) or the proof of concept's scripts'
 * (ca.crt, sub-ca.crt, leaf.crt, leaf.key, certificate_chain.pem), where
 * sub-ca.crt is absent for a root-and-leaf PKI and certificate_chain.pem must
 * be the leaf followed by its issuers.
 */
export function scriptOutput(profile: string, script: string, dir: string): ByoFiles {
  const at = (f: string) => join(dir, f);
  const poc = !existsSync(at('root.pem')) && existsSync(at('ca.crt'));
  const files: ByoFiles = poc ? { root: at('ca.crt'), intermediates: existsSync(at('sub-ca.crt')) ? at('sub-ca.crt') : undefined, leafCert: at('leaf.crt'), leafKey: at('leaf.key') } : { root: at('root.pem'), intermediates: at('intermediates.pem'), leafCert: at('leaf.pem'), leafKey: at('leaf.key') };
  const absent = Object.values(files).filter((f): f is string => f !== undefined && !existsSync(f));
  if (absent.length)
    throw new ByoPkiError(`PKI profile "${profile}": the script ${script} did not write ${absent.map((f) => f.slice(dir.length + 1)).join(', ')} into the directory it was given (write root.pem, intermediates.pem, leaf.pem and leaf.key, or ca.crt, sub-ca.crt, leaf.crt, leaf.key and certificate_chain.pem)`);
  if (poc) checkChainFile(at('certificate_chain.pem'), files);
  return files;
}

/** certificate_chain.pem of the proof of concept's layout: the leaf first, then certificates of the PKI's own. */
function checkChainFile(file: string, files: ByoFiles): void {
  if (!existsSync(file)) throw new ByoPkiError(`${file}: no such file (the proof of concept's layout has the leaf and its issuers in certificate_chain.pem)`);
  const blocks = (f: string) => (readFileSync(f, 'utf8').match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? []).map((b) => b.replace(/\s+/g, ''));
  const chain = blocks(file);
  const known = [files.leafCert, ...(files.intermediates ? [files.intermediates] : []), files.root].flatMap(blocks);
  if (chain[0] !== blocks(files.leafCert)[0]) throw new ByoPkiError(`${file}: the first certificate is not the leaf of leaf.crt`);
  const stranger = chain.findIndex((c) => !known.includes(c));
  if (stranger >= 0) throw new ByoPkiError(`${file}: certificate ${stranger + 1} is none of ca.crt, sub-ca.crt and leaf.crt`);
}
