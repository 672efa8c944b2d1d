// A manual signing process, as when a payload is mailed to a key holder and
// the signature mailed back: the payload is written to the exchange directory
// as payload.bin, and the signature is read from signature.bin once someone
// puts it there. The wait is a poll with a deadline.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.SIGPROOF_EXCHANGE_DIR;
if (!dir) {
  process.stderr.write('SIGPROOF_EXCHANGE_DIR must name the exchange directory\n');
  process.exit(2);
}
const deadlineMs = Number(process.env.SIGPROOF_SIGNATURE_TIMEOUT_MS ?? 60_000);
const POLL_MS = 50;
const payload = readFileSync(0);
// Write then rename, so the other side never reads half a payload.
writeFileSync(join(dir, 'payload.bin.tmp'), payload);
renameSync(join(dir, 'payload.bin.tmp'), join(dir, 'payload.bin'));
const signatureFile = join(dir, 'signature.bin');
const deadline = Date.now() + deadlineMs;
const timer = setInterval(() => {
  if (existsSync(signatureFile)) {
    clearInterval(timer);
    process.stdout.write(readFileSync(signatureFile));
  } else if (Date.now() > deadline) {
    clearInterval(timer);
    process.stderr.write(`no signature arrived in ${signatureFile} within ${deadlineMs} ms\n`);
    process.exitCode = 1;
  }
}, POLL_MS);
