// External signers are the files in scenarios/signers/, named by their file
// name without the extension. An unknown name lists the known ones.
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIOS_DIR } from './paths.ts';
import { signWith } from './algorithms.ts';
import { eventually } from './eventually.ts';
import type { Pki } from './pki.ts';
import { isRsa, type Digest } from './tools/openssl.ts';

export const SIGNERS_DIR = join(SCENARIOS_DIR, 'signers');

export function listSigners(dir = SIGNERS_DIR): Map<string, string> {
  const signers = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const m = /^(.+)\.(sh|ts)$/.exec(file);
    if (m?.[1]) signers.set(m[1], join(dir, file));
  }
  return signers;
}

export function resolveSigner(name: string, dir = SIGNERS_DIR): string {
  const signers = listSigners(dir);
  const file = signers.get(name);
  if (!file) throw new Error(`unknown signer "${name}". Known signers (${dir}): ${[...signers.keys()].join(', ')}`);
  return file;
}


/** The digest notation requires for each key (the key size or curve fixes it). */
const NOTATION_DIGEST: Record<string, Digest> = {
  'rsa-2048': 'sha256', 'rsa-3072': 'sha384', 'rsa-4096': 'sha512', 'ec-p256': 'sha256', 'ec-p384': 'sha384', 'ec-p521': 'sha512',
};

/**
 * The other side of the signature-file signer: a key holder who waits for the
 * payload to arrive, signs it with openssl, and drops the signature back.
 */
export async function answerAsKeyHolder(exchangeDir: string, pki: Pki, timeoutMs: number): Promise<void> {
  const payloadFile = join(exchangeDir, 'payload.bin');
  await eventually(async () => existsSync(payloadFile), { timeoutMs, what: `a payload in ${payloadFile}` });
  const key = pki.profile.key;
  const digest = NOTATION_DIGEST[key];
  if (!digest) throw new Error(`notation cannot sign with a ${key} leaf`);
  const algorithm = { name: 'notation', label: 'notation', profile: pki.profile.name, padding: isRsa(key) ? ('pss' as const) : undefined, digest };
  const signature = await signWith(algorithm, pki, payloadFile, 'p1363');
  writeFileSync(join(exchangeDir, 'signature.bin.tmp'), signature);
  renameSync(join(exchangeDir, 'signature.bin.tmp'), join(exchangeDir, 'signature.bin'));
}
