// ECDSA SHA-384 by openssl on a P-384 leaf. openssl prints DER; notation wants
// the raw r||s (IEEE P1363), so the signature is converted before it is returned.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { derToP1363 } from '../../support/lib/der.ts';
import { p1363Half } from '../../support/lib/key-types.ts';

const key = process.env.SIGPROOF_SIGNING_KEY;
if (!key) {
  process.stderr.write('SIGPROOF_SIGNING_KEY must name the private key\n');
  process.exit(2);
}
const res = spawnSync('openssl', ['dgst', '-sha384', '-sign', key], { input: readFileSync(0) });
if (res.status !== 0) {
  process.stderr.write(`openssl failed: ${res.stderr.toString()}`);
  process.exit(1);
}
process.stdout.write(derToP1363(res.stdout, p1363Half('ec-p384') as number));
