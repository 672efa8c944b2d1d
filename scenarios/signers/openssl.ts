// openssl in any algorithm the claims feature names: RSA PKCS#1 v1.5 or PSS,
// ECDSA with any digest (returned as raw r||s, as notation wants), or pure Ed25519.
//   SIGPROOF_ALGORITHM_PADDING  pkcs1 | pss (RSA only)
//   SIGPROOF_ALGORITHM_DIGEST   sha256 | sha384 | sha512 | none (Ed25519)
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { derToP1363 } from '../../support/lib/der.ts';
import { findKeyType, p1363Half } from '../../support/lib/key-types.ts';

const key = process.env.SIGPROOF_SIGNING_KEY;
const digest = process.env.SIGPROOF_ALGORITHM_DIGEST ?? 'sha256';
const padding = process.env.SIGPROOF_ALGORITHM_PADDING ?? 'pkcs1';
const keySpec = process.env.SIGPROOF_KEY_SPEC ?? '';
if (!key) {
  process.stderr.write('SIGPROOF_SIGNING_KEY must name the private key\n');
  process.exit(2);
}
const payload = readFileSync(0);
let res: SpawnSyncReturns<Buffer>;
if (digest === 'none') {
  // pkeyutl -rawin reads a file, not stdin, for a one-shot Ed25519 signature.
  const dir = mkdtempSync(join(tmpdir(), 'sigproof-openssl-'));
  writeFileSync(join(dir, 'payload'), payload);
  res = spawnSync('openssl', ['pkeyutl', '-sign', '-rawin', '-inkey', key, '-in', join(dir, 'payload')]);
  rmSync(dir, { recursive: true, force: true });
} else {
  const args = ['dgst', `-${digest}`, '-sign', key];
  if (padding === 'pss') args.push('-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:digest');
  res = spawnSync('openssl', args, { input: payload });
}
if (res.status !== 0) {
  process.stderr.write(`openssl failed: ${res.stderr.toString()}`);
  process.exit(1);
}
const keyType = findKeyType((f) => f.keySpec === keySpec);
const half = keyType && p1363Half(keyType);
process.stdout.write(half ? derToP1363(res.stdout, half) : res.stdout);
