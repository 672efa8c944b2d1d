// Notation in a scenario: its own config dir with sigproof's external-signer
// plugin, the CAs it trusts, the trust policy (re-rendered before each
// verification with every repository the scenario touched), signing and verifying.
import { type ImageContext, ImageArea } from './image-area.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { NOTATION_SIGNED, NOTATION_VERIFIED, Notation } from './drivers/notation.ts';
import type { Outcome } from './outcome.ts';
import { pkiFor, signingPki } from './pkis.ts';
import type { Pki } from './pki/pki.ts';
import { resolveSigner } from './pki/signers.ts';
import { renderNotationTrustPolicy } from './policy/render.ts';
import { signerOf } from './provenance.ts';

export class NotationSigning extends ImageArea {
  private instance: Notation | undefined;
  private readonly trusted: Pki[] = [];
  private policy = 'strict';
  /** The tsa trust store the trust policy names (at most one), and those notation has. */
  private readonly tsaStores: string[] = [];
  private readonly tsaStoresAdded = new Set<string>();

  constructor(context: ImageContext) {
    super(context);
  }

  /** The scenario's notation, made on first use. */
  get cli(): Notation {
    if (!this.instance) {
      this.instance = new Notation(this.scenario.path('notation'));
      this.instance.installPlugin();
    }
    return this.instance;
  }

  /** notation's config dir, when notation takes part in the scenario (the containerd verifier reuses it). */
  configDirIfUsed(): string | undefined {
    return this.instance?.configDir;
  }

  async trust(profile: string, policy: string): Promise<void> {
    // notation refuses a trust policy without registry scopes ("zero registry scopes"): say which step is missing instead.
    if (!this.registries.hasRepositories()) throw new Error(`notation can only trust "${profile}" once the scenario has an image: add "Given the test image "busybox" is pushed as "ci/app:signed"" (or another push) before this step`);
    // The leaf's C, ST and O matter only to a trust policy that names its x509.subject.
    const namesSubject = renderNotationTrustPolicy(policy, { trustStores: [], registryScopes: [], trustedIdentities: ['x509.subject: C=probe'] }).includes('x509.subject');
    const p = await pkiFor(profile, namesSubject ? 'notation with an x509.subject identity' : 'notation', this.scenario);
    if (!this.trusted.some((t) => t.profile.name === profile)) {
      await this.cli.addCa(profile, p.rootCert);
      this.trusted.push(p);
    }
    await this.usePolicy(policy);
  }

  async usePolicy(policy: string): Promise<void> {
    this.policy = policy;
    await this.applyPolicy();
  }

  /**
   * Render the trust policy with the scenario's CAs and every repository of its
   * registries, and hand it to notation (which validates it). Re-run before each
   * verification because relocations add repositories.
   */
  async applyPolicy(): Promise<void> {
    const file = this.scenario.path('notation-trustpolicy.json');
    writeFileSync(
      file,
      renderNotationTrustPolicy(this.policy, {
        trustStores: [...this.trusted.map((p) => `ca:${p.profile.name}`), ...this.tsaStores.map((s) => `tsa:${s}`)],
        registryScopes: [...this.registries.repositories].sort(),
        trustedIdentities: this.trusted.map((p) => `x509.subject: ${p.leafSubject}`),
      }),
    );
    await this.cli.importTrustPolicy(file);
  }

  /** Sign through the external-signer plugin; the image counts as signed only if notation says so. */
  /**
   * notation trusts one TSA (the run's, or another), or none: its root in a tsa trust store, which the trust policy
   * then names instead of any other.
   */
  async trustTimestampAuthority(which: 'the run' | 'another' | 'none'): Promise<void> {
    this.tsaStores.length = 0;
    if (which !== 'none') {
      const tsa = await this.timestamps.trust(which);
      if (!this.tsaStoresAdded.has(tsa.name)) await this.cli.addTsa(tsa.name, tsa.pki.root);
      this.tsaStoresAdded.add(tsa.name);
      this.tsaStores.push(tsa.name);
    }
    if (this.trusted.length) await this.applyPolicy();
  }

  async sign(target: string, profile: string, signerName: string, extraEnv: Record<string, string> = {}, opts: { skipPluginCheck?: boolean; timestamp?: boolean } = {}): Promise<Outcome> {
    const p = signingPki(await pkiFor(profile, 'notation', this.scenario));
    const signer = resolveSigner(signerName, this.scenario.dir);
    const exchange = this.scenario.path('signature-exchange');
    mkdirSync(exchange, { recursive: true });
    const ref = await this.registries.digestRef(target);
    this.registries.noteRepository(target);
    const record = await this.cli.sign(ref, {
      keyId: profile,
      signer: signer.file,
      chain: p.fullChain,
      signerEnv: { ...signer.env, SIGPROOF_SIGNING_KEY: p.leafKey, SIGPROOF_EXCHANGE_DIR: exchange, ...extraEnv },
      skipPluginCheck: opts.skipPluginCheck,
      timestamp: opts.timestamp ? { url: (await this.timestamps.authority()).url, rootCert: (await this.timestamps.authority()).pki.root } : undefined,
    });
    if (record.exitCode === 0) this.provenance.signed(target, signerOf('notation', profile, [], { timestamped: opts.timestamp }));
    return { what: `notation sign ${target}${opts.timestamp ? ' with a timestamp' : ''}`, record, successText: NOTATION_SIGNED };
  }

  async verify(target: string): Promise<Outcome> {
    this.registries.noteRepository(target);
    await this.applyPolicy();
    const record = await this.cli.verify(await this.registries.digestRef(target));
    return { what: `notation verify ${target}`, record, successText: NOTATION_VERIFIED, judgement: this.judge('notation CLI', target) };
  }

  async inspect(target: string) {
    return this.cli.inspect(await this.registries.digestRef(target));
  }
}
