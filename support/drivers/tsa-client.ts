// Asking a timestamp authority for an RFC 3161 timestamp the way any client
// can, for a signer that has no TSA option of its own (cosign v2's attach flow):
// `openssl ts -query` makes the request over the data's SHA-256, and the TSA's
// answer is kept as the DER response cosign attaches (--tsr).
import { readFileSync, writeFileSync } from 'node:fs';
import { runChecked } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

export async function timestampResponse(tsaUrl: string, dataFile: string, out: string): Promise<string> {
  const query = `${out}.tsq`;
  // -cert: the TSA puts its certificate in the token, which a verifier given only a chain needs.
  await runChecked(tool('openssl'), ['ts', '-query', '-data', dataFile, '-sha256', '-cert', '-out', query], { what: `make an RFC 3161 request over ${dataFile}` });
  const res = await fetch(tsaUrl, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: readFileSync(query), signal: AbortSignal.timeout(15_000) });
  if (res.status !== 200) throw new Error(`the timestamp authority ${tsaUrl} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  writeFileSync(out, Buffer.from(await res.arrayBuffer()));
  return out;
}
