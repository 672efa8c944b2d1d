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

/** Finds PEM private-key headers, and body lines of known keys (by fingerprint), in a text. */
export function scanForKeyMaterial(file: string, text: string, knownKeyLines: ReadonlySet<string> = new Set()): KeyMaterialHit[] {
  const hits: KeyMaterialHit[] = [];
  text.split('\n').forEach((line, i) => {
    if (KEY_MARKER.test(line)) hits.push({ file, line: i + 1, what: 'PEM private key header' });
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
