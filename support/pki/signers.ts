// External signers: any command that reads the payload on stdin and writes the
// raw signature on stdout (ECDSA as IEEE P1363 r||s, as notation wants). Two
// kinds, named the same way by features:
//   - the files in scenarios/signers/, by file name without the extension;
//   - the profiles in scenarios/signers.yaml: a command line and environment,
//     for the user's own signing service or HSM client.
// An unknown name lists the known ones.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { SCENARIOS_DIR } from '../lib/paths.ts';
import { signWith } from './algorithms.ts';
import { eventually } from '../lib/eventually.ts';
import type { Pki } from './pki.ts';
import { isDerSignature, p1363ToDer } from '../lib/der.ts';
import { KEY_TYPE_TABLE, isRsa, p1363Half, type KeyType } from '../lib/key-types.ts';
import { runCommand, type CommandRecord } from '../lib/runner.ts';

const SIGNERS_DIR = join(SCENARIOS_DIR, 'signers');

export function listSigners(dir = SIGNERS_DIR): Map<string, string> {
  const signers = new Map<string, string>();
  for (const file of readdirSync(dir).sort()) {
    const m = /^(.+)\.(sh|ts)$/.exec(file);
    if (m?.[1]) signers.set(m[1], join(dir, file));
  }
  return signers;
}

const SIGNER_PROFILES_FILE = join(SCENARIOS_DIR, 'signers.yaml');

interface SignerProfile {
  name: string;
  description: string;
  /** argv; a relative program path is relative to scenarios/ (a bare name is looked up on PATH). */
  command: string[];
  env: Record<string, string>;
}

/** Parse scenarios/signers.yaml; every problem names the file and the profile. */
function parseSignerProfiles(file: string, text: string): Map<string, SignerProfile> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  const out = new Map<string, SignerProfile>();
  if (doc === null || doc === undefined) return out;
  if (typeof doc !== 'object' || Array.isArray(doc)) throw new Error(`${file}: must map signer names to {command, env}`);
  for (const [name, raw] of Object.entries(doc as Record<string, unknown>)) {
    const r = (raw ?? {}) as Record<string, unknown>;
    const command = r.command;
    if (!Array.isArray(command) || !command.length || command.some((c) => typeof c !== 'string' || !c)) throw new Error(`${file}: signer "${name}": command must be a non-empty list of strings (the program, then its arguments)`);
    const env = r.env ?? {};
    if (typeof env !== 'object' || Array.isArray(env) || Object.values(env as object).some((v) => typeof v !== 'string')) throw new Error(`${file}: signer "${name}": env must map names to strings`);
    const [program, ...args] = command as [string, ...string[]];
    const resolved = program.includes('/') && !isAbsolute(program) ? resolve(SCENARIOS_DIR, program) : program;
    out.set(name, { name, description: typeof r.description === 'string' ? r.description : name, command: [resolved, ...args], env: env as Record<string, string> });
  }
  return out;
}

function loadSignerProfiles(file = SIGNER_PROFILES_FILE): Map<string, SignerProfile> {
  return existsSync(file) ? parseSignerProfiles(file, readFileSync(file, 'utf8')) : new Map();
}

interface ResolvedSigner {
  /** An executable file (a .ts file runs on the suite's Node). */
  file: string;
  /** Environment the profile adds. */
  env: Record<string, string>;
}

/**
 * A signer by name: a file signer as is; a profile through a small wrapper
 * written into workDir (notation's plugin config takes one program path).
 */
export function resolveSigner(name: string, workDir?: string, dir = SIGNERS_DIR): ResolvedSigner {
  const file = listSigners(dir).get(name);
  if (file) return { file, env: {} };
  const profile = loadSignerProfiles().get(name);
  if (!profile) {
    throw new Error(`unknown signer "${name}". Known signers: ${[...listSigners(dir).keys()].join(', ')} (files in ${dir}); ${[...loadSignerProfiles().keys()].join(', ') || 'none'} (profiles in ${SIGNER_PROFILES_FILE})`);
  }
  const [program, ...args] = profile.command as [string, ...string[]];
  if (program.includes('/') && !existsSync(program)) throw new Error(`${SIGNER_PROFILES_FILE}: signer "${name}": ${program} does not exist`);
  const argv = program.endsWith('.ts') ? [process.execPath, program, ...args] : [program, ...args];
  const wrapDir = join(workDir ?? dir, 'signer-wrappers');
  mkdirSync(wrapDir, { recursive: true, mode: 0o700 });
  const wrapper = join(wrapDir, name);
  writeFileSync(wrapper, `#!/bin/sh\nexec ${argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')} "$@"\n`);
  chmodSync(wrapper, 0o700);
  return { file: wrapper, env: profile.env };
}

/**
 * The other side of the signature-file signer: a key holder who waits for the
 * payload to arrive, signs it with openssl, and drops the signature back.
 */
export async function answerAsKeyHolder(exchangeDir: string, pki: Pki, timeoutMs: number): Promise<void> {
  const payloadFile = join(exchangeDir, 'payload.bin');
  await eventually(async () => existsSync(payloadFile), { timeoutMs, what: `a payload in ${payloadFile}` });
  const key = pki.profile.key;
  // The key size or curve fixes the digest notation requires.
  const digest = KEY_TYPE_TABLE[key].notation?.digest;
  if (!digest) throw new Error(`notation cannot sign with a ${key} leaf`);
  const algorithm = { name: 'notation', label: 'notation', profile: pki.profile.name, padding: isRsa(key) ? ('pss' as const) : undefined, digest };
  const signature = await signWith(algorithm, pki, payloadFile, 'p1363');
  writeFileSync(join(exchangeDir, 'signature.bin.tmp'), signature);
  renameSync(join(exchangeDir, 'signature.bin.tmp'), join(exchangeDir, 'signature.bin'));
}

/**
 * A signer's output as cosign wants it: an ECDSA r||s (IEEE P1363) becomes DER;
 * a signer that already prints DER has always been accepted as it is; other
 * keys' signatures pass unchanged. Anything else is a problem to report.
 */
export function signatureForCosign(out: Buffer, key: KeyType): { signature: Buffer } | { problem: string } {
  const half = p1363Half(key);
  if (!half) return { signature: out };
  if (out.length === 2 * half) return { signature: p1363ToDer(out) };
  if (isDerSignature(out, half)) return { signature: out };
  return { problem: `printed ${out.length} bytes, which is neither the ${2 * half}-byte r||s (IEEE P1363) of an ${KEY_TYPE_TABLE[key].keySpec} signature nor DER` };
}

/**
 * Sign a payload file with an external signer for cosign's attach flow, which
 * wants SHA-256 and, for ECDSA, a DER signature: the signer's raw r||s is
 * converted. A signer that fails, prints nothing or prints a signature of the
 * wrong shape gives a failed record with its stderr, which the scenario asserts
 * like any tool's refusal.
 */
export async function runExternalSigner(signer: ResolvedSigner, name: string, pki: Pki, payloadFile: string): Promise<{ signature: Buffer } | { failure: CommandRecord }> {
  // The signer scripts read notation's key spec (SIGPROOF_KEY_SPEC).
  const keySpec = KEY_TYPE_TABLE[pki.profile.key].keySpec;
  const res = await runCommand(signer.file, [], {
    input: readFileSync(payloadFile),
    binaryStdout: true,
    env: { ...process.env, ...signer.env, SIGPROOF_SIGNING_KEY: pki.leafKey, SIGPROOF_HASH: 'SHA-256', SIGPROOF_KEY_SPEC: keySpec },
    timeoutMs: 120_000,
  });
  const out = res.stdoutBytes ?? Buffer.alloc(0);
  const fail = (why: string): { failure: CommandRecord } => ({ failure: { ...res, exitCode: res.exitCode || 1, stderr: `signer "${name}" ${why}${res.stderr.trim() ? `: ${res.stderr.trim()}` : ''}` } });
  if (res.exitCode !== 0) return fail(`exited ${res.exitCode}`);
  if (!out.length) return fail('printed no signature');
  const shaped = signatureForCosign(out, pki.profile.key);
  return 'problem' in shaped ? fail(shaped.problem) : shaped;
}
