// Signature algorithms as the claims feature names them (scenarios/signing-algorithms.yaml),
// and raw signing with openssl in exactly that algorithm.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { derToP1363 } from '../lib/der.ts';
import { SCENARIOS_DIR } from '../lib/paths.ts';
import type { Pki } from './pki.ts';
import { signDigest, signEd25519 } from '../drivers/openssl.ts';
import { DIGESTS, findKeyFacts, p1363Half, type Digest } from '../lib/key-types.ts';

export const ALGORITHMS_FILE = join(SCENARIOS_DIR, 'signing-algorithms.yaml');

export interface SigningAlgorithm {
  name: string;
  label: string;
  profile: string;
  padding?: 'pkcs1' | 'pss';
  digest: Digest | 'none';
  /** Sigstore's name for it, where its algorithm registry has one. */
  cosignName?: string;
}

export function parseAlgorithms(source: string, file = ALGORITHMS_FILE): Map<string, SigningAlgorithm> {
  const doc = parse(source) as Record<string, Record<string, unknown>> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: expected a mapping of algorithm names`);
  const out = new Map<string, SigningAlgorithm>();
  for (const [name, r] of Object.entries(doc)) {
    const digest = r.digest;
    if (digest !== 'none' && !(DIGESTS as readonly unknown[]).includes(digest)) throw new Error(`${file}: algorithm "${name}": digest must be one of ${DIGESTS.join(', ')}, none`);
    if (r.padding !== undefined && r.padding !== 'pkcs1' && r.padding !== 'pss') throw new Error(`${file}: algorithm "${name}": padding must be pkcs1 or pss`);
    if (typeof r.profile !== 'string') throw new Error(`${file}: algorithm "${name}": profile must name a PKI profile`);
    out.set(name, { name, label: String(r.label ?? name), profile: r.profile, padding: r.padding as SigningAlgorithm['padding'], digest: digest as SigningAlgorithm['digest'], cosignName: typeof r.cosignName === 'string' ? r.cosignName : undefined });
  }
  return out;
}

export function getAlgorithm(name: string): SigningAlgorithm {
  const all = parseAlgorithms(readFileSync(ALGORITHMS_FILE, 'utf8'));
  const algorithm = all.get(name);
  if (!algorithm) throw new Error(`unknown signing algorithm "${name}". Known algorithms (${ALGORITHMS_FILE}): ${[...all.keys()].join(', ')}`);
  return algorithm;
}

/**
 * Sign a file's bytes with the leaf key in exactly this algorithm. ECDSA comes
 * out as DER (what cosign expects) unless `ecdsaEncoding` asks for raw r||s (notation).
 */
export async function signWith(algorithm: SigningAlgorithm, pki: Pki, file: string, ecdsaEncoding: 'der' | 'p1363' = 'der'): Promise<Buffer> {
  if (algorithm.digest === 'none') return signEd25519({ key: pki.leafKey, inputFile: file });
  const raw = await signDigest({ key: pki.leafKey, digest: algorithm.digest, pss: algorithm.padding === 'pss', input: readFileSync(file) });
  const half = p1363Half(pki.profile.key);
  return half && ecdsaEncoding === 'p1363' ? derToP1363(raw, half) : raw;
}

/** What `cosign sign --key` uses for a key, with no way to choose: sigstore's default per key type. */
export function cosignDefaultFor(key: string): { padding?: 'pkcs1'; digest: Digest | 'none' } {
  const facts = findKeyFacts(key);
  if (!facts) throw new Error(`no cosign default for key type ${key}`);
  return { ...facts.cosignDefault };
}

export function isCosignDefault(algorithm: SigningAlgorithm, key: string): boolean {
  const d = cosignDefaultFor(key);
  return d.digest === algorithm.digest && (d.padding ?? undefined) === (algorithm.padding ?? (findKeyFacts(key)?.family === 'rsa' ? 'pkcs1' : undefined));
}
