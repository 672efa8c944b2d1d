// Driver for notation. Each instance has its own config and plugin directories
// (NOTATION_CONFIG, NOTATION_LIBEXEC) and HOME, so the user's ~/.config/notation
// and registry credentials are never read or written.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../lib/paths.ts';
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';
import { tool } from '../../toolchain/tool-paths.ts';

export const PLUGIN_NAME = 'sigproof';
/** What notation prints when it succeeds: a Then step checks it with the exit code. */
export const NOTATION_SIGNED = 'Successfully signed';
export const NOTATION_VERIFIED = 'Successfully verified signature';
export const PLUGIN_SOURCE = join(REPO_ROOT, 'plugin', 'notation-sigproof.ts');

export interface SignOptions {
  keyId: string;
  signer: string;
  chain: string;
  signerEnv: Record<string, string>;
  format?: 'jws' | 'cose';
  /** Sign with the OCI 1.1 referrers API where the registry has it (notation 1.3 forces the tag schema by default). */
  useReferrersApi?: boolean;
  /** Let notation see the signer's signature unchecked by the plugin. */
  skipPluginCheck?: boolean;
}

export interface InspectedSignature {
  mediaType: string;
  digest: string;
  signatureAlgorithm: string;
  certificates: { subject: string }[];
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

  private env(): Record<string, string> {
    return {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      NOTATION_CONFIG: this.configDir,
      NOTATION_LIBEXEC: this.libexecDir,
    };
  }

  run(args: string[]): Promise<CommandResult> {
    return runCommand(tool('notation'), args, { env: this.env() });
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

  async pluginList(): Promise<CommandResult> {
    return runChecked(tool('notation'), ['plugin', 'list'], { env: this.env() });
  }

  async addCa(storeName: string, rootPem: string): Promise<void> {
    await runChecked(tool('notation'), ['cert', 'add', '--type', 'ca', '--store', storeName, rootPem], { env: this.env() });
  }

  /** Import a trust policy through notation itself, so notation validates it. */
  async importTrustPolicy(file: string): Promise<CommandResult> {
    return this.run(['policy', 'import', '--force', file]);
  }

  sign(reference: string, opts: SignOptions): Promise<CommandResult> {
    const args = ['sign', '--insecure-registry', '--plugin', PLUGIN_NAME, '--id', opts.keyId,
      '--plugin-config', `signer=${opts.signer}`, '--plugin-config', `chain=${opts.chain}`];
    for (const [k, v] of Object.entries(opts.signerEnv)) args.push('--plugin-config', `env.${k}=${v}`);
    if (opts.skipPluginCheck) args.push('--plugin-config', 'check=off');
    if (opts.format) args.push('--signature-format', opts.format);
    if (opts.useReferrersApi) args.push('--force-referrers-tag=false');
    args.push(reference);
    return this.run(args);
  }

  verify(reference: string): Promise<CommandResult> {
    return this.run(['verify', '--insecure-registry', '--verbose', reference]);
  }

  async inspect(reference: string): Promise<InspectedSignature[]> {
    const res = await runChecked(tool('notation'), ['inspect', '--insecure-registry', '--output', 'json', reference], { env: this.env() });
    const doc = JSON.parse(res.stdout) as { Signatures?: InspectedSignature[]; signatures?: InspectedSignature[] };
    return doc.Signatures ?? doc.signatures ?? [];
  }

  list(reference: string): Promise<CommandResult> {
    return this.run(['list', '--insecure-registry', reference]);
  }
}
