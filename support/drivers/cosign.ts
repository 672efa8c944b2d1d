// Driver for cosign v2 (cosign2) and v3 (cosign3), side by side. Each instance
// has its own HOME and TUF root, so no user config or cached Sigstore root is
// read, and nothing reaches the public Sigstore services: signing uses a
// signing config with no services, verification a private trusted root.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { secureAccess } from './registry-access.ts';

const COSIGN_VERSIONS = ['v2', 'v3'] as const;
/** What cosign verify prints when it succeeds. */
export const COSIGN_VERIFIED = 'The following checks were performed on each of these signatures';
/** What cosign sign prints once the signature is stored. */
export const COSIGN_PUSHED = 'Pushing signature to:';
export type CosignVersion = (typeof COSIGN_VERSIONS)[number];

export function parseCosignVersion(text: string): CosignVersion {
  const v = COSIGN_VERSIONS.find((c) => c === text);
  if (!v) throw new Error(`unknown cosign version "${text}". Known: ${COSIGN_VERSIONS.join(', ')} (binaries cosign2 and cosign3 in .tools/bin)`);
  return v;
}

/** What verification trusts: the private CA, and which identity the leaf must carry. */
export interface CosignTrust {
  rootCert: string;
  intermediateCert: string;
  /** cosign trusted-root JSON made from the chain (v3's way to trust a private CA). */
  trustedRoot: string;
  identity: string;
  /** A trusted TSA: its chain (leaf first), also in trustedRoot. Verification then checks the timestamps and the leaf at their time. */
  timestamps?: { chain: string };
}

/** cosign's --registry-cacert for a command whose references include a registry with TLS (one CA for all of them). */
function withCa(args: string[]): string[] {
  const access = args.map((a) => secureAccess(a)).find((a) => a !== undefined);
  return access ? [...args.slice(0, -1), '--registry-cacert', access.caFile, ...args.slice(-1)] : args;
}

export class Cosign {
  readonly version: CosignVersion;
  private readonly home: string;
  private readonly password: string;

  constructor(version: CosignVersion, baseDir: string, password: string) {
    this.version = version;
    this.home = join(baseDir, `cosign-${version}-home`);
    this.password = password;
    mkdirSync(this.home, { recursive: true, mode: 0o700 });
  }

  get bin(): string {
    return tool(this.version === 'v2' ? 'cosign2' : 'cosign3');
  }

  private env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      TUF_ROOT: join(this.home, 'tuf'),
      DOCKER_CONFIG: join(this.home, 'docker'),
      COSIGN_PASSWORD: this.password,
    };
  }

  /** The last argument is the registry reference, if the command has one: a registry with TLS gets the run's CA. */
  private run(args: string[]): Promise<CommandResult> {
    return runCommand(this.bin, withCa(args), { env: this.env(), secrets: [this.password] });
  }

  private checked(what: string, args: string[]): Promise<CommandResult> {
    return runChecked(this.bin, withCa(args), { env: this.env(), secrets: [this.password], what });
  }

  /** `cosign login` as a user runs it, the password on stdin, into this cosign's own docker config. */
  login(host: string, username: string, password: string): Promise<CommandResult> {
    return runCommand(this.bin, ['login', '--username', username, '--password-stdin', host], { env: this.env(), input: password, secrets: [this.password, password] });
  }

  /** The simple-signing payload cosign would sign for this digest. */
  async generate(reference: string): Promise<string> {
    return (await this.checked(`generate the payload cosign signs for ${reference}`, ['generate', reference])).stdout;
  }

  /** Legacy format: signature + leaf + chain as the sha256-<digest>.sig tag. */
  /** tsr: an RFC 3161 timestamp response over the raw signature, attached with it. */
  attachSignature(reference: string, files: { payload: string; signatureBase64: string; certificate: string; chain: string; tsr?: string }): Promise<CommandResult> {
    return this.run(['attach', 'signature', '--payload', files.payload, '--signature', files.signatureBase64, '--certificate', files.certificate, '--certificate-chain', files.chain, ...(files.tsr ? ['--tsr', files.tsr] : []), reference]);
  }

  /** A PEM private key into cosign's encrypted format (cosign sign --key wants that). */
  async importKeyPair(keyPem: string, outputPrefix: string): Promise<string> {
    await this.checked(`import ${keyPem} into cosign's encrypted key format`, ['import-key-pair', '--key', keyPem, '--output-key-prefix', outputPrefix]);
    return `${outputPrefix}.key`;
  }

  /** tsa: a timestamp authority whose timestamps verification trusts (its chain, leaf first). */
  /** chainPems: one chain per CA (a root rotation's window trusts two). */
  async trustedRootCreate(chainPems: string | string[], out: string, tsa?: { url: string; chain: string }): Promise<void> {
    const chains = typeof chainPems === 'string' ? [chainPems] : chainPems;
    // cosign needs a URL for the CA; a private PKI has none, and nothing is fetched from it.
    const cas = chains.flatMap((c) => ['--fulcio', `url=https://ca.invalid,certificate-chain=${c}`]);
    const withTsa = tsa ? ['--tsa', `url=${tsa.url},certificate-chain=${tsa.chain}`] : [];
    await this.checked(`make a cosign trusted root from ${chains.join(', ')}${tsa ? ` and the TSA chain ${tsa.chain}` : ''}`, ['trusted-root', 'create', ...cas, ...withTsa, '--out', out]);
  }

  /** A signing config that names no transparency log, and a timestamp authority or none. */
  async signingConfigCreate(out: string, tsaUrl?: string): Promise<void> {
    // A service's start-time is required; any moment before the run will do.
    const tsa = tsaUrl ? ['--tsa', `url=${tsaUrl},api-version=1,start-time=2020-01-01T00:00:00Z,operator=sigproof`, '--tsa-config', 'ANY'] : [];
    await this.checked(`make a cosign signing config without transparency log, ${tsaUrl ? `with the timestamp authority ${tsaUrl}` : 'without timestamp authority'}`, ['signing-config', 'create', ...tsa, '--out', out]);
  }

  /** v3 native signing: new bundle format, no transparency log. */
  signNative(reference: string, opts: { key: string; certificate: string; chain?: string; signingConfig: string; trustedRoot: string; extraArgs?: string[]; legacyFormat?: boolean }): Promise<CommandResult> {
    const args = ['sign', '--yes', '--key', opts.key, '--certificate', opts.certificate];
    if (opts.chain) args.push('--certificate-chain', opts.chain);
    // The legacy .sig format needs the signing config off, and then the tlog upload off explicitly.
    if (opts.legacyFormat) args.push('--new-bundle-format=false', '--use-signing-config=false', '--tlog-upload=false');
    else args.push('--signing-config', opts.signingConfig, '--trusted-root', opts.trustedRoot);
    args.push(...(opts.extraArgs ?? []), reference);
    return this.run(args);
  }

  /** Verify with a private CA, identity checks on, SCT and transparency-log checks off. */
  verify(reference: string, trust: CosignTrust, opts: { localImage?: boolean; trustedRoot?: boolean } = {}): Promise<CommandResult> {
    const common = ['--certificate-identity', trust.identity, '--certificate-oidc-issuer-regexp', '.*', '--insecure-ignore-sct', '--insecure-ignore-tlog'];
    // v2 takes the CA as PEM files (or, since 2.5, a trusted root); v3 deprecates the PEM files.
    const pem = this.version === 'v2' && !opts.trustedRoot;
    const ca = pem ? ['--ca-roots', trust.rootCert, '--ca-intermediates', trust.intermediateCert, '--private-infrastructure'] : ['--trusted-root', trust.trustedRoot];
    // v2 takes the TSA chain as PEM (its --trusted-root path panics on a timestamp that fails, cosign v2.6.5); v3 from the trusted root.
    const timestamps = !trust.timestamps ? [] : pem ? ['--timestamp-certificate-chain', trust.timestamps.chain] : ['--use-signed-timestamps'];
    return this.run(['verify', ...ca, ...common, ...timestamps, ...(opts.localImage ? ['--local-image'] : []), reference]);
  }

  save(reference: string, dir: string): Promise<CommandResult> {
    return this.checked(`save ${reference} and its signatures to ${dir} with cosign`, ['save', '--dir', dir, reference]);
  }

  load(dir: string, reference: string): Promise<CommandResult> {
    return this.run(['load', '--dir', dir, reference]);
  }

  copy(source: string, destination: string): Promise<CommandResult> {
    return this.checked(`copy ${source} and its signatures to ${destination} with cosign`, ['copy', '--force', source, destination]);
  }
}
