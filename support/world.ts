// Per-scenario state: named registries, pushed images, trusted PKIs, the
// notation instance, and the outcome of the last command that is a verdict.
// Steps stay thin: they call one method here and assert with chai.
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir } from './cleanup.ts';
import { DEFAULT_REGISTRY_KIND, startRegistry, type Registry, type RegistryKind } from './env/registry.ts';
import { buildImage, getImageSpec, type BuiltImage } from './images.ts';
import { PkiFactory, type Pki } from './pki.ts';
import { renderNotationTrustPolicy } from './policies.ts';
import { parseRef, type ParsedRef } from './refs.ts';
import { type CommandRecord } from './runner.ts';
import { resolveSigner } from './signers.ts';
import { Notation } from './tools/notation.ts';
import { orasCopy, orasResolve } from './tools/oras.ts';

/** The outcome of a command whose success or failure is what the scenario is about. */
export interface Outcome {
  what: string;
  record: CommandRecord;
  asserted: boolean;
}

let pkiFactory: PkiFactory | undefined;
/** PKIs are expensive (RSA-4096 keys) and read-only: one per profile per worker. */
export function sharedPkiFactory(): PkiFactory {
  pkiFactory ??= new PkiFactory(makeTempDir('pki'));
  return pkiFactory;
}

export class SigproofWorld extends World {
  dir = '';
  readonly registries = new Map<string, Registry>();
  readonly toolsUsed = new Set<string>();
  commandCount = 0;
  outcome: Outcome | undefined;
  private notationInstance: Notation | undefined;
  private readonly trusted: Pki[] = [];
  private notationPolicy = 'strict';
  private readonly builtImages = new Map<string, BuiltImage>();

  constructor(options: IWorldOptions) {
    super(options);
  }

  // ---- registries -------------------------------------------------------

  async startRegistry(name: string, kind: RegistryKind = DEFAULT_REGISTRY_KIND): Promise<Registry> {
    if (this.registries.has(name)) throw new Error(`registry "${name}" is already running in this scenario`);
    const registry = await startRegistry(name, kind, this.dir);
    this.registries.set(name, registry);
    return registry;
  }

  registry(name: string): Registry {
    const registry = this.registries.get(name);
    if (!registry) {
      const known = [...this.registries.keys()];
      throw new Error(`no registry "${name}" in this scenario (started: ${known.length ? known.join(', ') : 'none'}). Add: Given the registry "${name}"`);
    }
    return registry;
  }

  /** "ci/app:signed" -> its registry, and the reference the tools understand. */
  ref(text: string): ParsedRef & { registry: Registry; full: string; repository: string } {
    const parsed = parseRef(text);
    const registry = this.registry(parsed.registryName);
    const repository = `${registry.host}/${parsed.repo}`;
    const full = parsed.digest ? `${repository}@${parsed.digest}` : `${repository}:${parsed.tag}`;
    return { ...parsed, registry, full, repository };
  }

  /** The digest the registry serves for a tag, asked of the registry itself. */
  async digestOf(text: string): Promise<string> {
    const r = this.ref(text);
    return r.digest ?? orasResolve(r.full);
  }

  async digestRef(text: string): Promise<string> {
    const r = this.ref(text);
    return `${r.repository}@${await this.digestOf(text)}`;
  }

  // ---- images -----------------------------------------------------------

  async pushTestImage(image: string, target: string): Promise<BuiltImage> {
    const spec = getImageSpec(image);
    const r = this.ref(target);
    if (!r.tag) throw new Error(`push target "${target}" needs a tag, like ${r.registryName}/${r.repo}:signed`);
    const key = `${image}:${r.tag}`;
    let built = this.builtImages.get(key);
    if (!built) {
      built = await buildImage(spec, r.tag, join(this.dir, 'images', `${image}-${r.tag}`));
      this.builtImages.set(key, built);
    }
    await orasCopy({ kind: 'layout', dir: built.layoutDir, tag: built.tag }, { kind: 'registry', reference: r.full }, { recursive: false });
    this.noteRepository(target);
    return built;
  }

  // ---- notation ---------------------------------------------------------

  get notation(): Notation {
    if (!this.notationInstance) {
      this.notationInstance = new Notation(join(this.dir, 'notation'));
      this.notationInstance.installPlugin();
    }
    return this.notationInstance;
  }

  async pki(profile: string): Promise<Pki> {
    return sharedPkiFactory().get(profile);
  }

  async notationTrust(profile: string, policy: string): Promise<void> {
    const pki = await this.pki(profile);
    if (!this.trusted.some((p) => p.profile.name === profile)) {
      await this.notation.addCa(profile, pki.rootCert);
      this.trusted.push(pki);
    }
    await this.useNotationPolicy(policy);
  }

  async useNotationPolicy(policy: string): Promise<void> {
    this.notationPolicy = policy;
    await this.applyNotationPolicy();
  }

  /**
   * Render the trust policy with the scenario's CAs and every repository of its
   * registries, and hand it to notation (which validates it). Re-run before each
   * verification because relocations add repositories.
   */
  async applyNotationPolicy(extraScopes: string[] = []): Promise<void> {
    const scopes = new Set(extraScopes);
    for (const text of this.knownRepositories) scopes.add(text);
    const file = join(this.dir, 'notation-trustpolicy.json');
    writeFileSync(file, renderNotationTrustPolicy(this.notationPolicy, {
      trustStores: this.trusted.map((p) => `ca:${p.profile.name}`),
      registryScopes: [...scopes].sort(),
      trustedIdentities: this.trusted.map((p) => `x509.subject: ${p.leafSubject}`),
    }));
    const res = await this.notation.importTrustPolicy(file);
    if (res.exitCode !== 0) throw new Error(`notation refused the trust policy "${this.notationPolicy}": ${res.stderr.trim()}`);
  }

  /** Repositories the scenario touched, as host:port/repo (what notation's registryScopes need). */
  readonly knownRepositories = new Set<string>();

  noteRepository(text: string): void {
    this.knownRepositories.add(this.ref(text).repository);
  }

  async notationSign(target: string, profile: string, signerName: string, extraEnv: Record<string, string> = {}): Promise<CommandRecord> {
    const pki = await this.pki(profile);
    const signer = resolveSigner(signerName);
    const exchange = join(this.dir, 'signature-exchange');
    mkdirSync(exchange, { recursive: true });
    const ref = await this.digestRef(target);
    this.noteRepository(target);
    return this.notation.sign(ref, {
      keyId: profile,
      signer,
      chain: pki.fullChain,
      signerEnv: { SIGPROOF_SIGNING_KEY: pki.leafKey, SIGPROOF_EXCHANGE_DIR: exchange, ...extraEnv },
    });
  }

  async notationVerify(target: string): Promise<CommandRecord> {
    this.noteRepository(target);
    await this.applyNotationPolicy();
    return this.notation.verify(await this.digestRef(target));
  }

  // ---- outcomes ---------------------------------------------------------

  expectOutcome(what: string, record: CommandRecord): void {
    this.outcome = { what, record, asserted: false };
  }

  takeOutcome(): Outcome {
    if (!this.outcome) throw new Error('no command outcome to check: a When step must run the command first');
    this.outcome.asserted = true;
    return this.outcome;
  }

  /** A path inside the scenario's own temp dir. */
  scenarioPath(...parts: string[]): string {
    return join(this.dir, ...parts);
  }
}

setWorldConstructor(SigproofWorld);
