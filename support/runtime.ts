// The runtimes of a scenario, at pull time: a CRI-O with the scenario's
// policy.json, a containerd whose transfer service runs sigproof's verifier,
// pulls through crictl (as the kubelet would) or ctr, the image store asked
// through CRI ImageStatus, and the ways around a pull (import, run from store).
import { type ImageContext, ImageArea } from './image-area.ts';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CosignSigning } from './cosign-signing.ts';
import { crictlHasImage, crictlPull } from './drivers/crictl.ts';
import { ctrImport, ctrPull, ctrRun } from './drivers/ctr.ts';
import { orasCopy } from './drivers/oras.ts';
import { archiveDir } from './drivers/tar.ts';
import { type Containerd, type LegacyRegistryAuth, startContainerd } from './env/containerd.ts';
import { type Crio, startCrio } from './env/crio.ts';
import { type NodeNamespace, startNodeNamespace } from './env/node-namespace.ts';
import type { NotationSigning } from './notation-signing.ts';
import type { Outcome } from './outcome.ts';
import { EVIDENCE } from './report/attachments.ts';
import { pkiFor } from './pkis.ts';
import { renderPolicy } from './policy/render.ts';
import { addRegistryAccess, withSignedTimestamps } from './policy/verifier-policy.ts';
import { dockerAuthConfig } from './env/registry-tls.ts';
import { recordSecretFingerprint } from './lib/fingerprints.ts';
import { tool } from '../toolchain/tool-paths.ts';

const RUNTIMES = ['CRI-O', 'containerd'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];
export type PullClient = 'crictl' | 'ctr';

const HOW_TO_START: Record<RuntimeName, string> = {
  'CRI-O': 'Given CRI-O enforces the policy "…" trusting "…"',
  containerd: 'Given containerd verifies pulls with the policy "…" trusting "…"',
};

export class Runtime extends ImageArea {
  private crio: Crio | undefined;
  private containerd: Containerd | undefined;
  private readonly notation: NotationSigning;
  private readonly cosign: CosignSigning;

  constructor(context: ImageContext, notation: NotationSigning, cosign: CosignSigning) {
    super(context);
    this.notation = notation;
    this.cosign = cosign;
  }

  /** Render policies/crio/<policy>.json with the scenario's registries and CA, and start CRI-O with it. */
  async crioEnforce(policy: string, profile: string): Promise<void> {
    if (this.crio) throw new Error('CRI-O already runs in this scenario');
    const { file, text } = await this.crioPolicy(policy, profile);
    const ns = await this.privateNamespace('crio');
    const crio = await startCrio(this.scenario.dir, { registryHosts: this.registries.all().map((r) => r.host), policy: text, inside: ns.inside, secure: await this.registries.secureRegistries() });
    this.crio = crio;
    this.scenario.teardown.push('CRI-O', async (failed) => {
      await crio.stop();
      await ns.daemon.stop();
      if (failed) this.scenario.attachLog(EVIDENCE.log('crio'), crio.daemon.logFile);
    });
    this.scenario.note(EVIDENCE.crioPolicy, `CRI-O started in ${(crio.bootMs / 1000).toFixed(2)} s with ${file} rendered as\n${text}`);
  }

  /** policies/crio/<policy>.json rendered with the scenario's registries and the profile's CA. */
  async crioPolicy(policy: string, profile: string): Promise<{ file: string; text: string }> {
    const p = await pkiFor(profile, 'CRI-O', this.scenario);
    return renderPolicy('crio', policy, {
      ...this.registries.templateValues(),
      caRoots: p.rootCert,
      caIntermediates: p.intermediateCert,
      subjectEmail: p.profile.email,
    });
  }

  /** policies/containerd/<policy>.json rendered for sigproof's verifier (cosign v3 or notation, trusting the profile). */
  async containerdPolicy(policy: string, profile: string): Promise<{ file: string; text: string }> {
    // The URI SAN: cosign v3 (sigstore-go) matches the identity against the leaf's URI, not its email.
    const { trustedRoot, identity, timestamps } = await this.cosign.trust(profile, 'uri', 'containerd');
    const notationConfig = this.notation.configDirIfUsed();
    // notation verify needs a trust policy statement whose registryScopes cover the pulled repository.
    if (notationConfig) await this.notation.applyPolicy();
    const rendered = renderPolicy('containerd', policy, {
      ...this.registries.templateValues(),
      cosign: tool('cosign3'),
      trustedRoot,
      identity,
      notation: tool('notation'),
      notationConfig: notationConfig ?? '',
    });
    // A TSA the scenario trusts is in the trusted root: the verifier's cosign then checks the timestamps.
    const text = timestamps ? withSignedTimestamps(rendered.text) : rendered.text;
    const secure = await this.registries.secureRegistries();
    if (!secure) return { ...rendered, text };
    // The verifier's tools reach a registry with TLS as a user's would: the CA, and credentials in a docker config.
    const dockerConfig = this.scenario.path('verifier-docker-config');
    mkdirSync(dockerConfig, { recursive: true, mode: 0o700 });
    writeFileSync(join(dockerConfig, 'config.json'), dockerAuthConfig(secure.entries), { mode: 0o600 });
    const hosts = secure.entries.map((e) => e.host);
    return { ...rendered, text: addRegistryAccess(text, hosts, { registryCaCert: secure.caFile, dockerConfig }) };
  }

  /**
   * Render policies/containerd/<policy>.json for the verifier; containerd starts on first use and re-reads it at
   * every pull. legacyAuthFor: a registry whose credentials go into CRI's legacy registry settings.
   */
  async containerdEnforce(policy: string, profile: string, opts: { legacyAuthFor?: string } = {}): Promise<void> {
    const { file, text } = await this.containerdPolicy(policy, profile);
    if (this.containerd && opts.legacyAuthFor) throw new Error('containerd already runs in this scenario: its registry settings are read at start');
    if (!this.containerd) {
      const ns = await this.privateNamespace('containerd');
      const containerd = await startContainerd(
        this.scenario.dir,
        this.registries.all().map((r) => r.host),
        { inside: ns.inside, legacyAuth: opts.legacyAuthFor === undefined ? undefined : this.legacyAuth(opts.legacyAuthFor), secure: await this.registries.secureRegistries() },
      );
      this.containerd = containerd;
      this.scenario.teardown.push('containerd', async (failed) => {
        await containerd.stop();
        await ns.daemon.stop();
        if (failed) this.scenario.attachLog(EVIDENCE.log('containerd'), containerd.daemon.logFile);
      });
      this.scenario.note(EVIDENCE.containerdStart, `containerd started in ${(containerd.bootMs / 1000).toFixed(2)} s`);
    }
    writeFileSync(this.containerd.verifierPolicy, text);
    this.scenario.note(EVIDENCE.containerdPolicy, `${file} rendered as\n${text}`);
  }

  /**
   * Made-up credentials (the loopback registries need none): what matters is where they are configured. They
   * live only in containerd's config (0600, in the scenario's dir); the final report scan looks for the password.
   */
  private legacyAuth(registryName: string): LegacyRegistryAuth {
    const password = randomBytes(12).toString('hex');
    recordSecretFingerprint(password);
    return { host: this.registries.get(registryName).host, username: 'sigproof', password };
  }

  /** The first line of containerd's own log that says `text`. */
  containerdLogLine(text: string): string | undefined {
    const rt = this.containerd;
    if (!rt) throw new Error(`containerd is not running in this scenario. Add: ${HOW_TO_START.containerd}`);
    return readFileSync(rt.daemon.logFile, 'utf8')
      .split('\n')
      .find((l) => l.includes(text));
  }

  /** A private mount namespace for a runtime: what it writes to /run (shim sockets, runc state) stays out of the host's. */
  private async privateNamespace(name: string): Promise<NodeNamespace> {
    const ns = await startNodeNamespace(this.scenario.path(`${name}-namespace`), undefined);
    // Stopped after the runtime (its own teardown entry); this one covers a failed start.
    this.scenario.teardown.push(`${name}'s mount namespace`, () => ns.daemon.stop());
    return ns;
  }

  private running(name: RuntimeName): { crictlConfig: string; socket: string } {
    const rt = name === 'CRI-O' ? this.crio : this.containerd;
    if (!rt) throw new Error(`${name} is not running in this scenario. Add: ${HOW_TO_START[name]}`);
    return rt;
  }

  /** A pull; crictl works on both runtimes, ctr only on containerd. The runtime's verdict is the outcome. */
  async pull(target: string, client: PullClient, runtime: RuntimeName, opts: { byDigest?: boolean } = {}): Promise<Outcome> {
    const rt = this.running(runtime);
    const reference = opts.byDigest ? await this.registries.digestRef(target) : this.registries.ref(target).full;
    const judgement = this.judge(runtime, target);
    if (client === 'ctr') {
      if (runtime !== 'containerd') throw new Error('ctr talks to containerd only; use crictl for CRI-O');
      // No success text: ctr's progress printer can exit 0 before drawing its last frame ("Completed pull from …"),
      // seen in a bench run; the exit code is ctr's verdict, and the scenarios look in the image store too.
      return { what: `ctr image pull of ${target} from containerd`, record: await ctrPull(rt.socket, reference), judgement };
    }
    return { what: `crictl pull of ${target}${opts.byDigest ? ' by digest' : ''} from ${runtime}`, record: await crictlPull(rt.crictlConfig, reference), successText: 'Image is up to date for', judgement };
  }

  /** Whether the runtime's image store holds the image, as the kubelet would ask (CRI ImageStatus). */
  hasImage(target: string, runtime: RuntimeName): Promise<boolean> {
    return crictlHasImage(this.running(runtime).crictlConfig, this.registries.ref(target).full);
  }

  /** Run a container from the image in containerd's store; its output must carry a fresh marker. */
  async containerdRunFromStore(target: string, marker: string): Promise<Outcome> {
    const rt = this.running('containerd');
    const record = await ctrRun(rt.socket, this.registries.ref(target).full, `sp-${randomBytes(4).toString('hex')}`, ['/bin/busybox', 'echo', marker], this.scenario.path('ctr-fifos'));
    return { what: `ctr run of ${target} from containerd's store`, record, successText: marker };
  }

  /** Put an image into containerd's store without a pull: an OCI archive, as a user would carry it in (socket: a node's containerd). */
  async containerdImport(target: string, socket = this.running('containerd').socket): Promise<void> {
    const r = this.registries.ref(target);
    const layout = this.scenario.path(`import-${randomBytes(4).toString('hex')}`);
    await orasCopy({ kind: 'registry', reference: r.full }, { kind: 'layout', dir: layout, tag: r.tag ?? 'latest' }, { recursive: false });
    const archive = `${layout}.tar`;
    await archiveDir(layout, archive);
    await ctrImport(socket, archive, r.repository);
  }
}
