// The PKI profile catalogue (scenarios/pki-profiles.yaml): parsed and checked
// here, every problem naming the file and the profile; pki.ts turns a profile
// into files.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SCENARIOS_DIR } from '../lib/paths.ts';
import { DIGESTS, KEY_TYPES, isRsa, type Digest, type KeyType } from '../lib/key-types.ts';
import type { ByoFiles } from './byo-pki.ts';

export const PKI_PROFILES_FILE = join(SCENARIOS_DIR, 'pki-profiles.yaml');
// short-lived: valid when made, expired SHORT_LIVED_MS later (a fresh leaf at each use, see pki.ts).
const VALIDITIES = ['valid', 'expired', 'not-yet-valid', 'short-lived'] as const;
export type Validity = (typeof VALIDITIES)[number];
const PADDINGS = ['pkcs1', 'pss'] as const;

export interface PkiProfile {
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
  /** The leaf as a PKI that breaks a verifier's rule has it: openssl's keyUsage and extendedKeyUsage values ("none": no EKU), a CN-only subject, no SAN or a URI SAN only. */
  leaf?: { keyUsage?: string; extendedKeyUsage?: string; subject?: 'cn-only'; san?: 'none' | 'uri-only' };
  /** The leaf names its CA's CRL in a distribution point: published by the run, or at a URL nothing answers. */
  crl?: 'published' | 'unreachable';
  /** A trust bundle: verifiers trust every one of these profiles' CAs at once (a root rotation's window); it signs nothing. */
  trusts?: string[];
  /** Bring your own: the files, or a script that writes them; the fields above are then read from the leaf. */
  byo?: { files?: ByoFiles; script?: string };
}

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
  const known = new Set(['description', 'key', 'caKey', 'certDigest', 'certPadding', 'organization', 'email', 'uri', 'validity', 'issuedBy', 'leaf', 'crl', 'trusts', 'files', 'script']);
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    if (!raw || typeof raw !== 'object') throw new Error(`${file}: profile "${name}" must be a mapping`);
    const r = raw as Record<string, unknown>;
    const unknownFields = Object.keys(r).filter((k) => !known.has(k));
    if (unknownFields.length) throw new Error(`${file}: profile "${name}": unknown field(s) ${unknownFields.join(', ')}; known fields: ${[...known].join(', ')}`);
    if (r.files !== undefined || r.script !== undefined) {
      profiles.set(name, parseByoProfile(file, name, r));
      continue;
    }
    if (r.trusts !== undefined) {
      const extra = Object.keys(r).filter((k) => k !== 'trusts' && k !== 'description');
      if (extra.length) throw new Error(`${file}: profile "${name}": a trust bundle (trusts) takes only a description, not ${extra.join(', ')}`);
      if (!Array.isArray(r.trusts) || r.trusts.length < 2 || !r.trusts.every((t) => typeof t === 'string')) throw new Error(`${file}: profile "${name}": trusts must list two or more profile names`);
      // Placeholders: the members say what the bundle is (pki.ts).
      profiles.set(name, { name, description: text(file, name, 'description', r.description, name), key: 'ec-p256', caKey: 'ec-p256', certDigest: 'sha256', certPadding: 'pkcs1', organization: '', email: '', uri: '', validity: 'valid', trusts: r.trusts as string[] });
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
      leaf: r.leaf === undefined ? undefined : leafOptions(file, name, r.leaf),
      crl: r.crl === undefined ? undefined : oneOf(file, name, 'crl', r.crl, ['published', 'unreachable'] as const),
    });
  }
  for (const p of profiles.values()) {
    const unknownMembers = (p.trusts ?? []).filter((t) => !profiles.has(t) || profiles.get(t)?.trusts);
    if (unknownMembers.length) throw new Error(`${file}: profile "${p.name}": trusts ${unknownMembers.join(', ')}, which is not a profile that signs`);
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
function leafOptions(file: string, profile: string, raw: unknown): NonNullable<PkiProfile['leaf']> {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${file}: profile "${profile}": leaf must be a mapping of keyUsage, extendedKeyUsage, subject, san`);
  const r = raw as Record<string, unknown>;
  const extra = Object.keys(r).filter((k) => !['keyUsage', 'extendedKeyUsage', 'subject', 'san'].includes(k));
  if (extra.length) throw new Error(`${file}: profile "${profile}": leaf: unknown field(s) ${extra.join(', ')}; known: keyUsage, extendedKeyUsage, subject, san`);
  return {
    keyUsage: r.keyUsage === undefined ? undefined : text(file, profile, 'leaf.keyUsage', r.keyUsage),
    extendedKeyUsage: r.extendedKeyUsage === undefined ? undefined : text(file, profile, 'leaf.extendedKeyUsage', r.extendedKeyUsage),
    subject: r.subject === undefined ? undefined : oneOf(file, profile, 'leaf.subject', r.subject, ['cn-only'] as const),
    san: r.san === undefined ? undefined : oneOf(file, profile, 'leaf.san', r.san, ['none', 'uri-only'] as const),
  };
}
