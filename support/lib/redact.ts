import { createHash } from 'node:crypto';

// Private key material must never reach a log or a report. Everything the runner
// keeps passes through redact(); scanForKeyMaterial() is the after-the-fact check.

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(-----END ([A-Z0-9]+ )*PRIVATE KEY-----|$)/g;
const KEY_MARKER = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/;

const REDACTED = '[redacted]';

export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(PEM_PRIVATE_KEY, '[redacted private key]');
  for (const secret of secrets) {
    // Short secrets would blank out ordinary words; callers pass passwords and key bodies.
    if (secret.length >= 8) out = out.split(secret).join(REDACTED);
  }
  return out;
}

export interface KeyMaterialHit {
  file: string;
  line: number;
  what: string;
}

const BASE64_RUN = /[A-Za-z0-9+/=]{40,}/g;

function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * Fingerprints of a PEM key's body lines. The scan compares against these, so
 * it can find key material in reports without the key itself being kept.
 */
export function keyLineHashes(pem: string): string[] {
  return pem
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length >= 40 && !l.startsWith('-----'))
    .map(sha256Hex);
}

const SECRET_PREFIX = 'secret:';
const TOKEN = /[A-Za-z0-9+/=_.~-]{8,}/g;

/** The fingerprint of a credential (a registry password, its base64 form): its length and hash, never the value. */
export function secretFingerprint(secret: string): string {
  return `${SECRET_PREFIX}${secret.length}:${sha256Hex(secret)}`;
}

/** Whether a line holds a known credential: any window, of a known credential's length, of one of its tokens. */
function holdsSecret(line: string, secrets: ReadonlyMap<number, ReadonlySet<string>>): boolean {
  for (const token of line.match(TOKEN) ?? []) {
    for (const [len, hashes] of secrets) {
      for (let at = 0; at + len <= token.length; at++) if (hashes.has(sha256Hex(token.slice(at, at + len)))) return true;
    }
  }
  return false;
}

/** Finds PEM private-key headers, body lines of known keys and known credentials (by fingerprint), in a text. */
export function scanForKeyMaterial(file: string, text: string, known: ReadonlySet<string> = new Set()): KeyMaterialHit[] {
  const hits: KeyMaterialHit[] = [];
  const knownKeyLines = new Set([...known].filter((k) => !k.startsWith(SECRET_PREFIX)));
  const secrets = new Map<number, Set<string>>();
  for (const k of known) {
    if (!k.startsWith(SECRET_PREFIX)) continue;
    const [len, hash] = k.slice(SECRET_PREFIX.length).split(':') as [string, string];
    secrets.set(Number(len), (secrets.get(Number(len)) ?? new Set()).add(hash));
  }
  text.split('\n').forEach((line, i) => {
    if (KEY_MARKER.test(line)) hits.push({ file, line: i + 1, what: 'PEM private key header' });
    if (secrets.size && holdsSecret(line, secrets)) hits.push({ file, line: i + 1, what: 'a credential of this run' });
    if (knownKeyLines.size === 0) return;
    for (const run of line.match(BASE64_RUN) ?? []) {
      // A key line is 64 characters; a longer run may hold one anywhere inside it.
      for (let at = 0; at + 40 <= run.length; at++) {
        for (const len of [64, run.length - at]) {
          if (at + len <= run.length && len >= 40 && knownKeyLines.has(sha256Hex(run.slice(at, at + len)))) {
            hits.push({ file, line: i + 1, what: 'a line of a private key generated in this run' });
            return;
          }
        }
      }
    }
  });
  return hits;
}
