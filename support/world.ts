// Per-scenario state: named registries, pushed images, trusted PKIs, the
// notation instance, and the outcome of the last command that is a verdict.
// Steps stay thin: they call one method here and assert with chai.
import { World, setWorldConstructor, type IWorldOptions } from '@cucumber/cucumber';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signWith, type SigningAlgorithm } from './pki/algorithms.ts';
import type { ClaimResult } from './claims.ts';
import { makeTempDir } from './lib/cleanup.ts';
import { selectedEnvironment, sharedCluster, type Cluster } from './env/cluster.ts';
import { installKyvernoPolicy } from './env/kyverno.ts';
import { Kube } from './drivers/kube-client.ts';
import { DEFAULT_REGISTRY_KIND, startRegistry, type Registry, type RegistryKind } from './env/registry.ts';
import { configuredRegistryHost } from './env/registry-host.ts';
import { buildImage, getImageSpec, type BuiltImage } from './images.ts';
import { PkiFactory, type Pki } from './pki/pki.ts';
import { isPolicyPath, renderNotationTrustPolicy, renderPolicy } from './policy/render.ts';
import { kyvernoObjects } from './policy/kinds.ts';
import { parseRef, type ParsedRef } from './lib/refs.ts';
import { resolveSigner, runExternalSigner } from './pki/signers.ts';
import { Cosign, type CosignTrust, type CosignVersion } from './drivers/cosign.ts';
import { Notation } from './drivers/notation.ts';
import { recordKeyFingerprints } from './drivers/openssl.ts';
import { orasCopy, orasResolve } from './drivers/oras.ts';
import { startCrio, type Crio } from './env/crio.ts';
import { startContainerd, type Containerd } from './env/containerd.ts';
import { crictlHasImage, crictlPull } from './drivers/crictl.ts';
import { ctrImport, ctrPull, ctrRun } from './drivers/ctr.ts';
import { setScenarioOverride, tool, versionSummary } from '../toolchain/tool-paths.ts';
import { runChecked, runCommand, type CommandRecord } from './lib/runner.ts';
import { TOOLS, binariesOf } from '../toolchain/versions.ts';
import { TOOL_OVERRIDE_FILE } from './report/summary.ts';

/** The outcome of a command whose success or failure is what the scenario is about. */
export interface Outcome {
  what: string;
  record: CommandRecord;
  asserted: boolean;
  /** What the tool prints on success, checked along with the exit code. */
  successText?: string;
}

/** cosign's own choice for a key, which is what an external signer must match: SHA-256, PKCS#1 v1.5. */
function defaultCosignAlgorithm(pki: Pki): SigningAlgorithm {
  const key = pki.profile.key;
  if (key === 'ed25519') return { name: 'ed25519', label: 'Ed25519', profile: pki.profile.name, digest: 'none' };
  return { name: 'default', label: 'cosign default', profile: pki.profile.name, padding: 'pkcs1', digest: 'sha256' };
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
  /** Where this scenario's registries listen: loopback, or what the admission environment reaches. */
  registryHost = configuredRegistryHost();
  readonly toolsUsed = new Set<string>();
  commandCount = 0;
  outcome: Outcome | undefined;
  claim: ClaimResult | undefined;
  claimAsserted = false;
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
    const registry = await startRegistry(name, kind, this.dir, this.registryHost);
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

  async notationSign(target: string, profile: string, signerName: string, extraEnv: Record<string, string> = {}, opts: { skipPluginCheck?: boolean } = {}): Promise<CommandRecord> {
    const pki = await this.pki(profile);
    const signer = resolveSigner(signerName, this.dir);
    const exchange = join(this.dir, 'signature-exchange');
    mkdirSync(exchange, { recursive: true });
    const ref = await this.digestRef(target);
    this.noteRepository(target);
    return this.notation.sign(ref, {
      keyId: profile,
      signer: signer.file,
      chain: pki.fullChain,
      signerEnv: { ...signer.env, SIGPROOF_SIGNING_KEY: pki.leafKey, SIGPROOF_EXCHANGE_DIR: exchange, ...extraEnv },
      skipPluginCheck: opts.skipPluginCheck,
    });
  }

  async notationVerify(target: string): Promise<CommandRecord> {
    this.noteRepository(target);
    await this.applyNotationPolicy();
    return this.notation.verify(await this.digestRef(target));
  }

  // ---- cosign -----------------------------------------------------------

  /** One random password per scenario for cosign's encrypted keys; redacted from every record. */
  readonly cosignPassword = randomBytes(18).toString('base64url');
  private readonly cosigns = new Map<CosignVersion, Cosign>();
  private readonly cosignFiles = new Map<string, string>();

  cosign(version: CosignVersion): Cosign {
    let c = this.cosigns.get(version);
    if (!c) {
      c = new Cosign(version, this.scenarioPath('cosign'), this.cosignPassword);
      this.cosigns.set(version, c);
    }
    return c;
  }

  /** Files made once per scenario (trusted roots, imported keys, the signing config). */
  private async once(key: string, make: (file: string) => Promise<string | void>): Promise<string> {
    const known = this.cosignFiles.get(key);
    if (known) return known;
    mkdirSync(this.scenarioPath('cosign'), { recursive: true, mode: 0o700 });
    const file = this.scenarioPath('cosign', key);
    const made = (await make(file)) ?? file;
    this.cosignFiles.set(key, made);
    return made;
  }

  async cosignTrust(profile: string, identity: 'uri' | 'email' = 'uri'): Promise<CosignTrust> {
    const pki = await this.pki(profile);
    const trustedRoot = await this.once(`trusted-root-${profile}.json`, (f) => this.cosign('v3').trustedRootCreate(pki.chain, f));
    return { rootCert: pki.rootCert, intermediateCert: pki.intermediateCert, trustedRoot, identity: identity === 'uri' ? pki.profile.uri : pki.profile.email };
  }

  /**
   * The proof of concept's cosign v2 flow: `cosign generate` the payload, sign it
   * outside cosign with openssl, `cosign attach signature` with leaf and chain.
   */
  async cosignSignV2Attach(target: string, profile: string, opts: { algorithm?: SigningAlgorithm; payloadOf?: string; tamper?: boolean; signer?: string } = {}): Promise<CommandRecord> {
    const pki = await this.pki(profile);
    const cosign = this.cosign('v2');
    const dir = this.scenarioPath('cosign', `attach-${randomBytes(4).toString('hex')}`);
    mkdirSync(dir, { recursive: true });
    const payload = join(dir, 'payload.json');
    writeFileSync(payload, await cosign.generate(await this.digestRef(opts.payloadOf ?? target)));
    let signature: Buffer;
    if (opts.signer) {
      const signed = await runExternalSigner(resolveSigner(opts.signer, this.dir), opts.signer, pki, payload);
      if ('failure' in signed) return signed.failure;
      signature = signed.signature;
    } else {
      signature = await signWith(opts.algorithm ?? defaultCosignAlgorithm(pki), pki, payload, 'der');
    }
    // Tampering: one flipped bit in the middle of the signature.
    if (opts.tamper) signature[signature.length >> 1] = (signature[signature.length >> 1] as number) ^ 0x01;
    const sigFile = join(dir, 'signature.b64');
    writeFileSync(sigFile, signature.toString('base64'));
    this.noteRepository(target);
    return cosign.attachSignature(await this.digestRef(target), { payload, signatureBase64: sigFile, certificate: pki.leafCert, chain: pki.chain });
  }

  /** cosign v3 native signing: the leaf key imported into cosign's format, new bundle format, no transparency log. */
  async cosignSignV3(target: string, profile: string, opts: { withChain?: boolean; extraArgs?: string[]; legacyFormat?: boolean } = {}): Promise<CommandRecord> {
    const pki = await this.pki(profile);
    const cosign = this.cosign('v3');
    const key = await this.once(`signer-${profile}`, async (prefix) => {
      const file = await cosign.importKeyPair(pki.leafKey, prefix);
      recordKeyFingerprints(readFileSync(file, 'utf8'));
      return file;
    });
    const signingConfig = await this.once('signing-config.json', (f) => cosign.signingConfigCreate(f));
    const { trustedRoot } = await this.cosignTrust(profile);
    this.noteRepository(target);
    return cosign.signNative(await this.digestRef(target), {
      key, certificate: pki.leafCert, chain: opts.withChain ? pki.chain : undefined, signingConfig, trustedRoot, extraArgs: opts.extraArgs, legacyFormat: opts.legacyFormat,
    });
  }

  async cosignVerify(target: string, version: CosignVersion, profile: string, identity: 'uri' | 'email' = 'uri', opts: { trustedRoot?: boolean } = {}): Promise<CommandRecord> {
    return this.cosign(version).verify(await this.digestRef(target), await this.cosignTrust(profile, identity), opts);
  }

  // ---- admission (Kyverno) ---------------------------------------------

  private kubeClient: Kube | undefined;
  namespace: string | undefined;
  /** Chosen before the namespace exists, so policies can be rendered (and refused) first. */
  namespaceName: string | undefined;
  cluster: Cluster | undefined;
  readonly policies: { kind: string; name: string }[] = [];

  /** The shared cluster, and a namespace of this scenario's own. */
  async admission(): Promise<{ cluster: Cluster; kube: Kube; namespace: string }> {
    if (!this.cluster) {
      this.cluster = await sharedCluster();
      const boot = Object.entries(this.cluster.bootMs).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ');
      void this.attach(`environment ${selectedEnvironment()}${boot ? `, booted once for the run: ${boot}` : ''}`, { mediaType: 'text/plain', fileName: 'environment' });
    }
    this.kubeClient ??= new Kube(this.cluster.kubeconfig);
    if (!this.namespace) {
      const ns = (this.namespaceName ??= `sp-${randomBytes(4).toString('hex')}`);
      await this.kubeClient.createNamespace(ns);
      this.namespace = ns;
    }
    return { cluster: this.cluster, kube: this.kubeClient, namespace: this.namespace };
  }

  /**
   * Render policies/kyverno/<policy> (or the user's own file, by path), install
   * it for this scenario's namespace and registry, wait until Kyverno enforces
   * it. The file is rendered and checked before the cluster is touched, so a
   * bad policy changes nothing.
   */
  async kyvernoEnforce(policy: string, registryName: string, profile: string): Promise<void> {
    const pki = await this.pki(profile);
    this.namespaceName ??= `sp-${randomBytes(4).toString('hex')}`;
    const namespace = this.namespaceName;
    const base = policy.includes('/') ? (policy.split('/').pop() as string).replace(/\.ya?ml$/, '') : policy;
    const name = `${namespace}-${base}`;
    const images = `${this.registry(registryName).host}/*`;
    const { file, text } = renderPolicy('kyverno', policy, {
      name,
      namespaces: [namespace],
      imageReferences: [images],
      imageGlobs: [{ glob: images }],
      rootCert: readFileSync(pki.rootCert, 'utf8'),
      chain: readFileSync(pki.chain, 'utf8'),
      trustedRoot: policy.includes('cosign') ? readFileSync((await this.cosignTrust(profile)).trustedRoot, 'utf8') : '',
    });
    const { cluster } = await this.admission();
    for (const o of kyvernoObjects(text)) {
      await installKyvernoPolicy(cluster, o.name, text);
      this.policies.push({ kind: o.kind === 'ImageValidatingPolicy' ? 'imagevalidatingpolicy.policies.kyverno.io' : o.kind.toLowerCase(), name: o.name });
    }
    if (isPolicyPath(policy)) void this.attach(`${file} rendered as\n${text}`, { mediaType: 'text/plain', fileName: 'your Kyverno policy' });
  }

  // ---- runtimes (CRI-O, containerd) ------------------------------------

  crio: Crio | undefined;
  containerd: Containerd | undefined;

  /** Every registry of the scenario by its name ({{prod}} -> 127.0.0.1:port), for runtime policy templates. */
  /**
   * Every registry of the scenario by its name ({{prod}} -> 127.0.0.1:port), and
   * every repository the scenario pushed to by registry and path ({{ci_app}} ->
   * 127.0.0.1:port/app), for runtime policy templates.
   */
  private registryValues(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [name, r] of this.registries) {
      values[name] = r.host;
      for (const repo of this.knownRepositories) {
        if (repo.startsWith(`${r.host}/`)) values[`${name}_${repo.slice(r.host.length + 1).replace(/\W/g, '_')}`] = repo;
      }
    }
    return values;
  }

  /** Render policies/crio/<policy>.json with the scenario's registries and CA, and start CRI-O with it. */
  async crioEnforce(policy: string, profile: string): Promise<void> {
    if (this.crio) throw new Error('CRI-O already runs in this scenario');
    const pki = await this.pki(profile);
    const { file, text } = renderPolicy('crio', policy, {
      ...this.registryValues(), caRoots: pki.rootCert, caIntermediates: pki.intermediateCert, subjectEmail: pki.profile.email,
    });
    this.crio = await startCrio(this.dir, { registryHosts: [...this.registries.values()].map((r) => r.host), policy: text });
    void this.attach(`CRI-O started in ${(this.crio.bootMs / 1000).toFixed(2)} s with ${file} rendered as\n${text}`, { mediaType: 'text/plain', fileName: 'CRI-O policy.json' });
  }

  /** Render policies/containerd/<policy>.json for the verifier; containerd starts on first use and re-reads it at every pull. */
  async containerdEnforce(policy: string, profile: string): Promise<void> {
    // The URI SAN: cosign v3 (sigstore-go) matches the identity against the leaf's URI, not its email.
    const { trustedRoot, identity } = await this.cosignTrust(profile, 'uri');
    const notation = this.notationInstance;
    // notation verify needs a trust policy statement whose registryScopes cover the pulled repository.
    if (notation) await this.applyNotationPolicy();
    const { file, text } = renderPolicy('containerd', policy, {
      ...this.registryValues(), cosign: tool('cosign3'), trustedRoot, identity,
      notation: tool('notation'), notationConfig: notation ? notation.configDir : '',
    });
    if (!this.containerd) {
      this.containerd = await startContainerd(this.dir, [...this.registries.values()].map((r) => r.host));
      void this.attach(`containerd started in ${(this.containerd.bootMs / 1000).toFixed(2)} s`, { mediaType: 'text/plain', fileName: 'containerd start' });
    }
    writeFileSync(this.containerd.verifierPolicy, text);
    void this.attach(`${file} rendered as\n${text}`, { mediaType: 'text/plain', fileName: 'containerd verifier policy' });
  }

  private runtime(name: 'CRI-O' | 'containerd'): { crictlConfig: string; socket: string } {
    const rt = name === 'CRI-O' ? this.crio : this.containerd;
    if (!rt) throw new Error(`${name} is not running in this scenario. Add: Given ${name === 'CRI-O' ? 'CRI-O enforces the policy "…" trusting "…"' : 'containerd verifies pulls with the policy "…" trusting "…"'}`);
    return rt;
  }

  /** A pull whose verdict a Then checks; crictl works on both runtimes, ctr only on containerd. */
  async runtimePull(target: string, client: 'crictl' | 'ctr', runtime: 'CRI-O' | 'containerd', opts: { byDigest?: boolean } = {}): Promise<void> {
    const rt = this.runtime(runtime);
    const reference = opts.byDigest ? await this.digestRef(target) : this.ref(target).full;
    if (client === 'ctr') {
      if (runtime !== 'containerd') throw new Error('ctr talks to containerd only; use crictl for CRI-O');
      this.expectOutcome(`ctr image pull of ${target} from containerd`, await ctrPull(rt.socket, reference), `Completed pull from OCI Registry (${reference})`);
      return;
    }
    this.expectOutcome(`crictl pull of ${target}${opts.byDigest ? ' by digest' : ''} from ${runtime}`, await crictlPull(rt.crictlConfig, reference), 'Image is up to date for');
  }

  /** Whether the runtime's image store holds the image, as the kubelet would ask (CRI ImageStatus). */
  async runtimeHasImage(target: string, runtime: 'CRI-O' | 'containerd'): Promise<boolean> {
    return crictlHasImage(this.runtime(runtime).crictlConfig, this.ref(target).full);
  }

  /** Run a container from the image in containerd's store; the outcome a Then checks (its output must carry a fresh marker). */
  async containerdRunFromStore(target: string, marker: string): Promise<void> {
    const rt = this.runtime('containerd');
    const record = await ctrRun(rt.socket, this.ref(target).full, `sp-${randomBytes(4).toString('hex')}`, ['/bin/busybox', 'echo', marker]);
    this.expectOutcome(`ctr run of ${target} from containerd's store`, record, marker);
  }

  /** Put an image into containerd's store without a pull: an OCI archive, as a user would carry it in. */
  async containerdImport(target: string): Promise<void> {
    const rt = this.runtime('containerd');
    const r = this.ref(target);
    const layout = this.scenarioPath(`import-${randomBytes(4).toString('hex')}`);
    await orasCopy({ kind: 'registry', reference: r.full }, { kind: 'layout', dir: layout, tag: r.tag ?? 'latest' }, { recursive: false });
    const archive = `${layout}.tar`;
    await runChecked(tool('tar'), ['-C', layout, '-cf', archive, '.']);
    const res = await ctrImport(rt.socket, archive, r.repository);
    if (res.exitCode !== 0) throw new Error(`ctr image import failed:\n${res.stderr.trim()}`);
  }

  // ---- bring your own -----------------------------------------------------

  /** Replace a tool for this scenario only; the report names the override and what its version says. */
  async overrideTool(bin: string, path: string): Promise<void> {
    const file = setScenarioOverride(bin, path);
    const versionArgs = TOOLS.find((t) => binariesOf(t).includes(bin))?.versionArgs ?? ['--version'];
    const res = await runCommand(file, versionArgs);
    const printed = versionSummary(res.stdout || res.stderr);
    this.toolOverrides.push({ bin, path: file, version: printed });
    void this.attach(JSON.stringify({ bin, path: file, version: printed }), { mediaType: 'application/json', fileName: TOOL_OVERRIDE_FILE });
  }

  /** Tools this scenario replaced, as the report records them. */
  readonly toolOverrides: { bin: string; path: string; version: string }[] = [];

  /** Setup that must refuse bad input: its error becomes the outcome a Then checks. */
  async expectSetup(what: string, action: () => Promise<unknown>): Promise<void> {
    const started = performance.now();
    let record: CommandRecord;
    try {
      await action();
      record = { argv: [what], exitCode: 0, durationMs: Math.round(performance.now() - started), stdout: 'ok', stderr: '', timedOut: false };
    } catch (err) {
      record = { argv: [what], exitCode: 1, durationMs: Math.round(performance.now() - started), stdout: '', stderr: (err as Error).message, timedOut: false };
    }
    this.expectOutcome(what, record);
  }

  // ---- outcomes ---------------------------------------------------------

  expectOutcome(what: string, record: CommandRecord, successText?: string): void {
    // A verdict must not be overwritten before a Then has looked at it.
    if (this.outcome && !this.outcome.asserted) throw new Error(`the outcome of "${this.outcome.what}" was never asserted before "${what}" ran: add a Then step in between`);
    this.outcome = { what, record, asserted: false, successText };
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
