// The run's secrets as the final report scan knows them: fingerprints of every
// generated or brought key's lines and of every credential, in one file beside
// the reports, never the secrets themselves (see redact.ts for the scan).
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { REPORTS_DIR } from './paths.ts';
import { keyLineHashes, secretFingerprint } from './redact.ts';

export const KEY_FINGERPRINTS_FILE = join(REPORTS_DIR, 'key-line-fingerprints.txt');

export function recordKeyFingerprints(pem: string): void {
  mkdirSync(REPORTS_DIR, { recursive: true });
  appendFileSync(
    KEY_FINGERPRINTS_FILE,
    keyLineHashes(pem)
      .map((h) => `${h}\n`)
      .join(''),
  );
}

/** A credential of the run (a registry password): its fingerprint goes beside the keys', so the final scan finds it too. */
export function recordSecretFingerprint(secret: string): void {
  mkdirSync(REPORTS_DIR, { recursive: true });
  appendFileSync(KEY_FINGERPRINTS_FILE, `${secretFingerprint(secret)}\n`);
}
