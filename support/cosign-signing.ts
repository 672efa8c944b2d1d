// cosign v2 and v3 in a scenario: the proof of concept's v2 flow (generate the
// payload, sign outside cosign, attach signature + leaf + chain), v3 native
// signing with the leaf key and no transparency log, and verification against
// the private CA. Each version has its own HOME under the scenario's dir.
import { type ImageContext, ImageArea } from './image-area.ts';
import { createHash, randomBytes } from 'node:crypto';
import { makeTempDir } from './lib/cleanup.ts';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COSIGN_PUSHED, COSIGN_VERIFIED, Cosign, type CosignTrust, type CosignVersion } from './drivers/cosign.ts';
import { recordKeyFingerprints } from './lib/fingerprints.ts';
import { timestampResponse } from './drivers/tsa-client.ts';
import type { Outcome } from './outcome.ts';
import { pki, pkiFor, signingPki } from './pkis.ts';
import type { PkiUse } from './pki/pki-rules.ts';
import { type SigningAlgorithm, signWith } from './pki/algorithms.ts';
import type { Pki } from './pki/pki.ts';
import { resolveSigner, runExternalSigner } from './pki/signers.ts';
import { type SignatureDefect, signerOf } from './provenance.ts';

/** cosign's own choice for a key, which is what an external signer must match: SHA-256, PKCS#1 v1.5. */
function defaultCosignAlgorithm(p: Pki): SigningAlgorithm {
  if (p.profile.key === 'ed25519') return { name: 'ed25519', label: 'Ed25519', profile: p.profile.name, digest: 'none' };
  return { name: 'default', label: 'cosign default', profile: p.profile.name, padding: 'pkcs1', digest: 'sha256' };
}

interface AttachOptions {
  algorithm?: SigningAlgorithm;
  /** Sign the payload of another image: a signature of another digest. */
  payloadOf?: string;
  /** Flip one bit of the signature. */
  tamper?: boolean;
  /** An external signer (a profile of scenarios/signers.yaml) instead of openssl. */
  signer?: string;
  /** An RFC 3161 timestamp from the run's TSA attached with the signature: of the signature, or of another one (same key, another payload). */
  timestamp?: boolean | 'of another signature';
}

/**
 * One random password per thread for cosign's encrypted keys, redacted from
 * every record: a key imported once serves every scenario of the thread.
 */
const THREAD_PASSWORD = randomBytes(18).toString('base64url');

/**
 * Files that depend only on their inputs (a trusted root of a chain, an
 * imported leaf key, a signing config), made once per thread and only read
 * after that: every scenario gets the same bytes it would have made itself.
 */
const threadFiles = new Map<string, Promise<string>>();
let threadDir: string | undefined;

function madeOncePerThread(key: string, make: (file: string) => Promise<unknown>): Promise<string> {
  let file = threadFiles.get(key);
  if (!file) {
    threadDir ??= makeTempDir('cosign-files');
    const path = join(threadDir, createHash('sha256').update(key).digest('hex').slice(0, 16));
    // A maker returns the file it wrote when that is not the one it was given.
    file = make(path).then((made) => (typeof made === 'string' ? made : path));
    threadFiles.set(key, file);
    // A failure is reported by the scenario that met it, and the next one tries again.
    file.catch(() => threadFiles.delete(key));
  }
  return file;
}

/** What a trusted root is made of, by content: a short-lived profile's fresh leaves share their CA's chain. */
function trustedRootKey(chains: string | string[], tsa?: { url: string; chain: string }): string {
  const files = [...(typeof chains === 'string' ? [chains] : chains), ...(tsa ? [tsa.chain] : [])];
  return `trusted-root ${tsa?.url ?? ''} ${files.map((f) => readFileSync(f, 'utf8')).join('')}`;
}

export class CosignSigning extends ImageArea {
  private readonly password = THREAD_PASSWORD;
  private readonly clis = new Map<CosignVersion, Cosign>();

  constructor(context: ImageContext) {
    super(context);
  }

  cli(version: CosignVersion): Cosign {
    let c = this.clis.get(version);
    if (!c) {
      c = new Cosign(version, this.scenario.path('cosign'), this.password);
      this.clis.set(version, c);
    }
    return c;
  }

  /**
   * What a verifier needs to trust the profile; `use` names that verifier, so a bring-your-own leaf is held to its
   * rules (none when signing). The identity is the leaf's URI or email SAN, the other one when the leaf lacks it.
   */
  async trust(profile: string, identity: 'uri' | 'email' = 'uri', use?: PkiUse): Promise<CosignTrust> {
    const p = use ? await pkiFor(profile, use, this.scenario) : await pki(profile);
    // With a TSA trusted, the trusted root holds its chain too, and verification checks the timestamps.
    const tsa = this.timestamps.trusted;
    const tsaTrust = tsa && { url: tsa.url, chain: tsa.pki.chain };
    const trustedRoot = await madeOncePerThread(trustedRootKey(p.chains ?? p.chain, tsaTrust), (f) => this.cli('v3').trustedRootCreate(p.chains ?? p.chain, f, tsaTrust));
    const { uri, email } = p.profile;
    return { rootCert: p.rootCert, intermediateCert: p.intermediateCert, trustedRoot, identity: identity === 'uri' ? uri || email : email || uri, timestamps: tsa && { chain: tsa.pki.chain } };
  }

  /**
   * The proof of concept's cosign v2 flow: `cosign generate` the payload, sign it
   * outside cosign with openssl (or the user's signer), `cosign attach signature`
   * with leaf and chain.
   */
  async signV2Attach(target: string, profile: string, opts: AttachOptions = {}): Promise<Outcome> {
    const what = `cosign v2 attach signature to ${target}${opts.signer ? ` (signed by ${opts.signer})` : ''}`;
    const p = signingPki(await pki(profile));
    const cosign = this.cli('v2');
    const dir = this.scenario.path('cosign', `attach-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    const payload = join(dir, 'payload.json');
    writeFileSync(payload, await cosign.generate(await this.registries.digestRef(opts.payloadOf ?? target)));
    let signature: Buffer;
    if (opts.signer) {
      const signed = await runExternalSigner(resolveSigner(opts.signer, this.scenario.dir), opts.signer, p, payload);
      if ('failure' in signed) return { what, record: signed.failure };
      signature = signed.signature;
    } else {
      signature = await signWith(opts.algorithm ?? defaultCosignAlgorithm(p), p, payload, 'der');
    }
    // Tampering: one flipped bit in the middle of the signature.
    if (opts.tamper) signature[signature.length >> 1] = (signature[signature.length >> 1] as number) ^ 0x01;
    const sigFile = join(dir, 'signature.b64');
    writeFileSync(sigFile, signature.toString('base64'));
    let tsr: string | undefined;
    if (opts.timestamp) {
      // The timestamp is over the raw signature, as cosign checks it; or over a signature of a payload one byte longer.
      const other = join(dir, 'other-payload.json');
      if (opts.timestamp !== true) writeFileSync(other, `${readFileSync(payload, 'utf8')}\n`);
      writeFileSync(join(dir, 'signature.raw'), opts.timestamp === true ? signature : await signWith(opts.algorithm ?? defaultCosignAlgorithm(p), p, other, 'der'));
      tsr = await timestampResponse((await this.timestamps.authority()).url, join(dir, 'signature.raw'), join(dir, 'signature.tsr'));
    }
    this.registries.noteRepository(target);
    const record = await cosign.attachSignature(await this.registries.digestRef(target), { payload, signatureBase64: sigFile, certificate: p.leafCert, chain: p.chain, tsr });
    const defects: SignatureDefect[] = [...(opts.tamper ? (['tampered'] as const) : []), ...(opts.payloadOf ? (['signature of another digest'] as const) : [])];
    if (opts.timestamp === 'of another signature') defects.push('timestamp of another signature');
    if (record.exitCode === 0) this.provenance.signed(target, signerOf('cosign v2', profile, defects, { timestamped: !!opts.timestamp }));
    return { what: `${what}${opts.timestamp === true ? ' with a timestamp' : opts.timestamp ? ' with the timestamp of another signature' : ''}`, record };
  }

  /** cosign v3 native signing: the leaf key imported into cosign's format, new bundle format (or legacy .sig), no transparency log. */
  async signV3(target: string, profile: string, opts: { withChain?: boolean; extraArgs?: string[]; legacyFormat?: boolean; timestamp?: boolean } = {}): Promise<Outcome> {
    const p = signingPki(await pki(profile));
    const cosign = this.cli('v3');
    // By the leaf's own dir: a short-lived profile has a new leaf (and key) at each use.
    const key = await madeOncePerThread(`imported ${p.leafKey}`, async (prefix) => {
      const file = await cosign.importKeyPair(p.leafKey, prefix);
      recordKeyFingerprints(readFileSync(file, 'utf8'));
      return file;
    });
    const tsa = opts.timestamp ? await this.timestamps.authority() : undefined;
    const signingConfig = await madeOncePerThread(`signing-config ${tsa?.url ?? ''}`, (f) => cosign.signingConfigCreate(f, tsa?.url));
    // Signing with a TSA checks its answer against the trusted root: the run's TSA goes in.
    const signingTsa = tsa && { url: tsa.url, chain: tsa.pki.chain };
    const trustedRoot = signingTsa ? await madeOncePerThread(trustedRootKey(p.chain, signingTsa), (f) => cosign.trustedRootCreate(p.chain, f, signingTsa)) : (await this.trust(profile)).trustedRoot;
    this.registries.noteRepository(target);
    const record = await cosign.signNative(await this.registries.digestRef(target), {
      key,
      certificate: p.leafCert,
      chain: opts.withChain ? p.chain : undefined,
      signingConfig,
      trustedRoot,
      extraArgs: opts.extraArgs,
      legacyFormat: opts.legacyFormat,
    });
    if (record.exitCode === 0) this.provenance.signed(target, signerOf(opts.legacyFormat ? 'cosign v3 (legacy .sig)' : 'cosign v3 (bundle)', profile, [], { timestamped: opts.timestamp }));
    return { what: `cosign v3 sign ${target}${opts.withChain ? ' --certificate-chain' : ''}${opts.timestamp ? ' with a timestamp' : ''}`, record, successText: COSIGN_PUSHED };
  }

  async verify(target: string, version: CosignVersion, profile: string, identity: 'uri' | 'email' = 'uri', opts: { trustedRoot?: boolean } = {}): Promise<Outcome> {
    const record = await this.cli(version).verify(await this.registries.digestRef(target), await this.trust(profile, identity, `cosign ${version}`), opts);
    const how = opts.trustedRoot ? ' --trusted-root' : identity === 'email' ? ' (email identity)' : '';
    return { what: `cosign ${version} verify ${target}${how}`, record, successText: COSIGN_VERIFIED, judgement: this.judge('cosign CLI', target) };
  }

  /** `cosign verify --local-image` of a directory written by `cosign save`: not a registry image, so no verdict for the matrix. */
  async verifyLocal(dir: string, version: CosignVersion, profile: string): Promise<Outcome> {
    const record = await this.cli(version).verify(dir, await this.trust(profile, 'uri', `cosign ${version}`), { localImage: true });
    return { what: `cosign ${version} verify --local-image ${dir}`, record, successText: COSIGN_VERIFIED };
  }
}
