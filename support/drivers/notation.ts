// Driver for notation. Each instance has its own config and plugin directories
// (NOTATION_CONFIG, NOTATION_LIBEXEC) and HOME, so the user's ~/.config/notation
// and registry credentials are never read or written.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/paths.ts';
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { secureAccess } from './registry-access.ts';

const PLUGIN_NAME = 'sigproof';
/** What notation prints when it succeeds: a Then step checks it with the exit code. */
export const NOTATION_SIGNED = 'Successfully signed';
export const NOTATION_VERIFIED = 'Successfully verified signature';
export const PLUGIN_SOURCE = join(REPO_ROOT, 'plugin', 'notation-sigproof.ts');

interface SignOptions {
  keyId: string;
  signer: string;
  chain: string;
  signerEnv: Record<string, string>;
  /** Let notation see the signer's signature unchecked by the plugin. */
  skipPluginCheck?: boolean;
  /** An RFC 3161 timestamp from this TSA, whose root notation checks the answer against. */
  timestamp?: { url: string; rootCert: string };
}

interface InspectedSignature {
  mediaType: string;
  digest: string;
  signatureAlgorithm: string;
  certificates: { subject: string }[];
}

/** notation speaks plain HTTP to a registry only when told to; a registry with TLS is not told. */
function plainHttp(reference: string): string[] {
  return secureAccess(reference) ? [] : ['--insecure-registry'];
}

export class Notation {
  readonly configDir: string;
  readonly libexecDir: string;
  private readonly home: string;

  constructor(baseDir: string) {
    this.configDir = join(baseDir, 'config');
    this.libexecDir = join(baseDir, 'libexec');
    this.home = join(baseDir, 'home');
    for (const d of [this.configDir, this.libexecDir, this.home]) mkdirSync(d, { recursive: true, mode: 0o700 });
  }

  /**
   * reference: the registry the command talks to. notation has no CA flag: it trusts the system roots, which
   * SSL_CERT_FILE replaces with the run's registry CA for a registry with TLS. Its login goes to $HOME/.docker.
   */
  private env(reference?: string): Record<string, string> {
    const access = reference ? secureAccess(reference) : undefined;
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      NOTATION_CONFIG: this.configDir,
      NOTATION_LIBEXEC: this.libexecDir,
      ...(access ? { SSL_CERT_FILE: access.caFile } : {}),
    };
  }

  private run(args: string[], reference?: string): Promise<CommandResult> {
    return runCommand(tool('notation'), args, { env: this.env(reference) });
  }

  /**
   * What a notation user does instead of `notation login`, which will not keep a password without a credentials
   * store: the registry's credentials in the docker config file notation reads ($HOME/.docker/config.json), 0600.
   */
  addDockerConfigAuth(host: string, username: string, password: string): string {
    const dir = join(this.home, '.docker');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'config.json');
    const config = (existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {}) as { auths?: Record<string, { auth: string }> };
    config.auths = { ...config.auths, [host]: { auth: Buffer.from(`${username}:${password}`).toString('base64') } };
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    return file;
  }

  /** `notation login` as a user runs it, the password on stdin. */
  login(host: string, username: string, password: string): Promise<CommandResult> {
    return runCommand(tool('notation'), ['login', '--username', username, '--password-stdin', host], { env: this.env(host), input: password, secrets: [password] });
  }

  /**
   * Install the external-signer plugin. Notation wants a regular executable file
   * named notation-<name> (no symlink), so this is a two-line launcher that runs
   * the TypeScript plugin on the suite's own Node.
   */
  installPlugin(): void {
    const dir = join(this.libexecDir, 'plugins', PLUGIN_NAME);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `notation-${PLUGIN_NAME}`);
    writeFileSync(file, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(PLUGIN_SOURCE)} "$@"\n`);
    chmodSync(file, 0o755);
  }

  async addCa(storeName: string, rootPem: string): Promise<void> {
    await runChecked(tool('notation'), ['cert', 'add', '--type', 'ca', '--store', storeName, rootPem], { env: this.env(), what: `add ${rootPem} to notation's trust store ca:${storeName}` });
  }

  /** A TSA's root in a trust store of type tsa, which a trust policy names as tsa:<store>. */
  async addTsa(storeName: string, rootPem: string): Promise<CommandResult> {
    return runChecked(tool('notation'), ['cert', 'add', '--type', 'tsa', '--store', storeName, rootPem], { env: this.env(), what: `add ${rootPem} to notation's trust store tsa:${storeName}` });
  }

  /** Import a trust policy through notation itself, so notation validates it (and a refused one fails here). */
  importTrustPolicy(file: string): Promise<CommandResult> {
    return runChecked(tool('notation'), ['policy', 'import', '--force', file], { env: this.env(), what: `import the notation trust policy ${file}` });
  }

  sign(reference: string, opts: SignOptions): Promise<CommandResult> {
    const args = ['sign', ...plainHttp(reference), '--plugin', PLUGIN_NAME, '--id', opts.keyId, '--plugin-config', `signer=${opts.signer}`, '--plugin-config', `chain=${opts.chain}`];
    for (const [k, v] of Object.entries(opts.signerEnv)) args.push('--plugin-config', `env.${k}=${v}`);
    if (opts.skipPluginCheck) args.push('--plugin-config', 'check=off');
    if (opts.timestamp) args.push('--timestamp-url', opts.timestamp.url, '--timestamp-root-cert', opts.timestamp.rootCert);
    args.push(reference);
    return this.run(args, reference);
  }

  verify(reference: string): Promise<CommandResult> {
    return this.run(['verify', ...plainHttp(reference), '--verbose', reference], reference);
  }

  async inspect(reference: string): Promise<InspectedSignature[]> {
    const res = await runChecked(tool('notation'), ['inspect', ...plainHttp(reference), '--output', 'json', reference], { env: this.env(reference), what: `list the notation signatures of ${reference}` });
    const doc = JSON.parse(res.stdout) as { Signatures?: InspectedSignature[]; signatures?: InspectedSignature[] };
    return doc.Signatures ?? doc.signatures ?? [];
  }
}
