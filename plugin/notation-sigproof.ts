// notation-sigproof: a Notation plugin (contract 1.0, SIGNATURE_GENERATOR.RAW)
// that hands the payload to any external command and returns its raw signature
// with the configured certificate chain. The command can be openssl, an HSM
// client, or a person answering by e-mail: anything that turns bytes into a
// signature.
//
// Plugin config (notation sign --plugin-config KEY=VALUE):
//   signer=/path/to/command     reads the payload on stdin, writes the signature to stdout
//   chain=/path/to/fullchain.pem leaf first, then intermediates, ending with the root
//   env.NAME=value              passed to the signer as environment variable NAME
//   check=off                   skip the plugin's own check (to see what notation itself does)
//
// Before returning, the plugin checks the signature against the leaf's public
// key, so a signer that returns garbage fails here, with a message that says so.
import { spawnSync } from 'node:child_process';
import { X509Certificate, verify as verifySignature, constants } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KEY_TYPES, KEY_TYPE_TABLE, findKeyType, hashName } from '../support/lib/key-types.ts';

const PLUGIN_NAME = 'sigproof';
const PLUGIN_VERSION = '0.1.0';
const SIGNER_TIMEOUT_MS = 120_000;

class PluginError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

interface Request {
  contractVersion?: string;
  keyId?: string;
  keySpec?: string;
  hashAlgorithm?: string;
  payload?: string;
  pluginConfig?: Record<string, string>;
}

function config(req: Request, key: string): string {
  const value = req.pluginConfig?.[key];
  if (!value) throw new PluginError('VALIDATION_ERROR', `plugin config "${key}" is required (notation sign --plugin-config ${key}=...)`);
  return value;
}

function loadChain(req: Request): X509Certificate[] {
  const file = config(req, 'chain');
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (err) {
    throw new PluginError('VALIDATION_ERROR', `cannot read certificate chain ${file}: ${(err as Error).message}`);
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw new PluginError('VALIDATION_ERROR', `${file} holds no PEM certificate`);
  return blocks.map((b) => new X509Certificate(b));
}

/** The key specs the plugin contract has, as "RSA-2048/3072/4096 and EC-256/384/521". */
function contractKeySpecs(): string {
  const sizes = new Map<string, string[]>();
  for (const key of KEY_TYPES) {
    const { keySpec, notation } = KEY_TYPE_TABLE[key];
    if (!notation) continue;
    const [family = '', size = ''] = keySpec.split('-');
    sizes.set(family, [...(sizes.get(family) ?? []), size]);
  }
  return [...sizes].map(([family, s]) => `${family}-${s.join('/')}`).join(' and ');
}

/** Notation's key spec, which fixes the signing algorithm. */
export function keySpecOf(cert: X509Certificate): string {
  const key = cert.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  // Any RSA size gets its spec: notation itself refuses the ones it has no algorithm for.
  if (key.asymmetricKeyType === 'rsa' || key.asymmetricKeyType === 'rsa-pss') return `RSA-${details.modulusLength}`;
  if (key.asymmetricKeyType === 'ec') {
    const ec = findKeyType((f) => f.family === 'ec' && f.namedCurve === details.namedCurve);
    if (ec) return KEY_TYPE_TABLE[ec].keySpec;
  }
  throw new PluginError('VALIDATION_ERROR', `unsupported leaf key for notation: ${key.asymmetricKeyType} ${JSON.stringify(details)} (the plugin contract's key specs are ${contractKeySpecs()})`);
}

export function signingAlgorithmOf(keySpec: string): { algorithm: string; hash: string } {
  const key = findKeyType((f) => f.keySpec === keySpec);
  const notation = key && KEY_TYPE_TABLE[key].notation;
  if (!notation) throw new PluginError('VALIDATION_ERROR', `no notation signing algorithm for key spec ${keySpec}`);
  return { algorithm: notation.algorithm, hash: hashName(notation.digest) };
}

function runSigner(req: Request, payload: Buffer, keySpec: string, hash: string): Buffer {
  const signer = config(req, 'signer');
  const env: Record<string, string> = { ...(process.env as Record<string, string>), SIGPROOF_KEY_SPEC: keySpec, SIGPROOF_HASH: hash };
  for (const [k, v] of Object.entries(req.pluginConfig ?? {})) if (k.startsWith('env.')) env[k.slice(4)] = v;
  // TypeScript signers run on the same Node as the plugin.
  const [file, args] = signer.endsWith('.ts') ? [process.execPath, [signer]] : [signer, []];
  const res = spawnSync(file, args, { input: payload, env, timeout: SIGNER_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  const name = signer.split('/').pop();
  // EPIPE: the signer exited without reading all of its input (one that returns garbage, or a prepared signature
  // from a file, need not read it); what it printed and its exit status still say what it did.
  const ignoredInput = (res.error as NodeJS.ErrnoException | undefined)?.code === 'EPIPE' && res.status !== null;
  if (res.error && !ignoredInput) throw new PluginError('ERROR', `signer ${name} could not run: ${res.error.message}`);
  if (res.status !== 0) {
    const stderr = res.stderr.toString('utf8').trim().slice(-1000);
    throw new PluginError('ERROR', `signer ${name} failed (exit ${res.status ?? res.signal}): ${stderr || 'no message'}`);
  }
  if (res.stdout.length === 0) throw new PluginError('ERROR', `signer ${name} returned an empty signature`);
  return res.stdout;
}

function checkSignature(leaf: X509Certificate, payload: Buffer, signature: Buffer, hash: string, signer: string): void {
  const digest = hash.replace('-', '').toLowerCase();
  const isRsa = leaf.publicKey.asymmetricKeyType !== 'ec';
  const ok = isRsa ? verifySignature(digest, payload, { key: leaf.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature) : verifySignature(digest, payload, { key: leaf.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  if (!ok) {
    const expected = isRsa ? `RSASSA-PSS with ${hash} and salt length = digest length` : `ECDSA with ${hash}, encoded as IEEE P1363 r||s (not DER)`;
    throw new PluginError('ERROR', `signer ${signer.split('/').pop()} returned a signature that does not verify against the leaf certificate (expected ${expected})`);
  }
}

function handle(command: string, req: Request): unknown {
  switch (command) {
    case 'get-plugin-metadata':
      return {
        name: PLUGIN_NAME,
        description: 'Signs through any external command (openssl, HSM client, a manual process)',
        version: PLUGIN_VERSION,
        url: 'https://example.invalid/sigproof',
        supportedContractVersions: ['1.0'],
        capabilities: ['SIGNATURE_GENERATOR.RAW'],
      };
    case 'describe-key': {
      const [leaf] = loadChain(req);
      return { keyId: req.keyId, keySpec: keySpecOf(leaf as X509Certificate) };
    }
    case 'generate-signature': {
      const chain = loadChain(req);
      const leaf = chain[0] as X509Certificate;
      const keySpec = keySpecOf(leaf);
      const { algorithm, hash } = signingAlgorithmOf(keySpec);
      if (req.hashAlgorithm && req.hashAlgorithm !== hash) {
        throw new PluginError('VALIDATION_ERROR', `notation asked for ${req.hashAlgorithm}, but a ${keySpec} key signs with ${hash}`);
      }
      const payload = Buffer.from(req.payload ?? '', 'base64');
      const signature = runSigner(req, payload, keySpec, hash);
      if (req.pluginConfig?.check !== 'off') checkSignature(leaf, payload, signature, hash, config(req, 'signer'));
      return {
        keyId: req.keyId,
        signature: signature.toString('base64'),
        signingAlgorithm: algorithm,
        certificateChain: chain.map((c) => c.raw.toString('base64')),
      };
    }
    default:
      throw new PluginError('VALIDATION_ERROR', `unsupported command "${command}"`);
  }
}

function main(): void {
  const command = process.argv[2] ?? '';
  try {
    const input = command === 'get-plugin-metadata' ? readStdinIfAny() : readFileSync(0, 'utf8');
    const req = (input.trim() ? JSON.parse(input) : {}) as Request;
    process.stdout.write(JSON.stringify(handle(command, req)));
  } catch (err) {
    const code = err instanceof PluginError ? err.code : 'ERROR';
    process.stderr.write(JSON.stringify({ errorCode: code, errorMessage: (err as Error).message }));
    process.exitCode = 1;
  }
}

function readStdinIfAny(): string {
  try {
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

if (import.meta.url === `file://${process.argv[1]}`) main();
