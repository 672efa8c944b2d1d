// Private key material must never reach a log or a report. Everything the runner
// keeps passes through redact(); scanForKeyMaterial() is the after-the-fact check.

const PEM_PRIVATE_KEY = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?(-----END ([A-Z0-9]+ )*PRIVATE KEY-----|$)/g;
const KEY_MARKER = /-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----/;

export const REDACTED = '[redacted]';

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

/** Finds PEM private-key blocks and any of the given secret strings in a text. */
export function scanForKeyMaterial(file: string, text: string, secrets: readonly string[] = []): KeyMaterialHit[] {
  const hits: KeyMaterialHit[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (KEY_MARKER.test(line)) hits.push({ file, line: i + 1, what: 'PEM private key header' });
    for (const secret of secrets) {
      if (secret.length >= 16 && line.includes(secret)) hits.push({ file, line: i + 1, what: 'a private key body from this run' });
    }
  });
  return hits;
}
