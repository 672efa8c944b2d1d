// Admission in a scenario: the shared cluster (booted once per run), a
// namespace of the scenario's own, Kyverno policies rendered for its registry
// and CA, and the API server's answer to a Pod or Deployment create. Whatever
// it creates, it deletes through the teardown stack.
import { type ImageContext, ImageArea } from './image-area.ts';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { CosignSigning } from './cosign-signing.ts';
import { type AdmissionResult, Kube, type Placement } from './drivers/kube-client.ts';
import { type Cluster, selectedEnvironment, sharedCluster, withKyvernoStopped } from './env/cluster.ts';
import { installKyvernoPolicy, kyvernoPolicyResource } from './env/kyverno.ts';
import { eventually } from './lib/eventually.ts';
import type { Judgement } from './outcome.ts';
import { pkiFor } from './pkis.ts';
import { kyvernoObjects } from './policy/kinds.ts';
import { isPolicyPath, renderPolicy } from './policy/render.ts';
import { ATTACHMENT, EVIDENCE } from './report/attachments.ts';
import type { Flow, Verifier } from './report/observations.ts';
import { manifestWorkloads, renderManifest } from './workload-manifest.ts';
import { ClusterCredentials } from './cluster-credentials.ts';

const WORKLOADS = ['pod', 'deployment'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** A workload as created: its image, the digest and provenance its tag had then, and when (epoch ms). */
interface Created {
  image: string;
  digest: string;
  flow: Flow;
  createdAt: number;
}

interface Admitted {
  result: AdmissionResult;
  /** Whether the object exists afterwards (an admitted object must, a rejected one must not). */
  exists: boolean;
  /** Kyverno's verdict; none when the scenario enforces no Kyverno policy (nothing judged the workload). */
  judgement: Judgement | undefined;
}

export class Admission extends ImageArea {
  private cluster: Cluster | undefined;
  private kube: Kube | undefined;
  private namespace: string | undefined;
  /** Chosen before the namespace exists, so policies can be rendered (and refused) first. */
  private readonly namespaceName = `sp-${randomBytes(4).toString('hex')}`;
  /** Whether the last policy enforced is an ImageValidatingPolicy: the matrix has columns for that form. */
  private validatingPolicyForm = false;
  private readonly cosign: CosignSigning;
  /** Set when the scenario has a node: its workloads go there, and run. */
  private placement: Placement | undefined;
  /** Whether a Kyverno policy covers the scenario's namespace (one for another namespace does not). */
  covered = false;
  /** Whether the scenario enforces any Kyverno policy (for its namespace or another). */
  private enforcing = false;
  /** The image each workload was created with, the digest its tag had then, and when (epoch ms), by name. */
  private readonly images = new Map<string, Created>();

  private readonly credentials: ClusterCredentials;

  constructor(context: ImageContext, cosign: CosignSigning) {
    super(context);
    this.cosign = cosign;
    this.credentials = new ClusterCredentials(context.scenario, context.registries);
  }

  /** The shared cluster, and a namespace of this scenario's own. */
  async environment(): Promise<{ cluster: Cluster; kube: Kube; namespace: string }> {
    if (!this.cluster) {
      const cluster = await sharedCluster();
      this.cluster = cluster;
      const boot = Object.entries(cluster.bootMs)
        .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
        .join(', ');
      this.scenario.note(ATTACHMENT.environment, `environment ${selectedEnvironment()}${boot ? `, booted once for the run: ${boot}` : ''}`);
      // The shared logs explain a failed admission; they are attached once, whatever failed.
      this.scenario.teardown.push('the cluster logs', (failed) => {
        if (!failed || !cluster.kyvernoLog) return;
        this.scenario.attachLog(EVIDENCE.log('kyverno'), cluster.kyvernoLog);
        if (cluster.apiserverLog) this.scenario.attachLog(EVIDENCE.log('kube-apiserver'), cluster.apiserverLog);
      });
    }
    this.kube ??= new Kube(this.cluster.kubeconfig);
    if (!this.namespace) {
      await this.kube.createNamespace(this.namespaceName);
      this.namespace = this.namespaceName;
      const kube = this.kube;
      this.scenario.teardown.push(`namespace ${this.namespaceName}`, () => kube.deleteNamespace(this.namespaceName));
    }
    return { cluster: this.cluster, kube: this.kube, namespace: this.namespace };
  }

  /** Where the cluster reaches the registries (kind and existing clusters are not on loopback). */
  async registryHost(): Promise<string> {
    return (await this.environment()).cluster.registryHost;
  }

  /**
   * Render policies/kyverno/<policy> (or the user's own file, by path), install
   * it for this scenario's namespace and registry, wait until Kyverno enforces
   * it. The file is rendered and checked before the cluster is touched, so a
   * bad policy changes nothing.
   */
  async enforce(policy: string, registryName: string, profile: string, opts: { elsewhere?: boolean } = {}): Promise<void> {
    // Which Kyverno verifier holds the leaf to its rules: the policy's Notary attestor, or its cosign one.
    const notary = /notary/i.test(isPolicyPath(policy) && existsSync(policy) ? readFileSync(policy, 'utf8') : policy);
    const p = await pkiFor(profile, notary ? 'Kyverno Notary' : 'Kyverno cosign', this.scenario);
    const base = policy.includes('/') ? (policy.split('/').pop() as string).replace(/\.ya?ml$/, '') : policy;
    const images = `${this.registries.get(registryName).host}/*`;
    const { file, text } = renderPolicy('kyverno', policy, {
      name: `${this.namespaceName}-${base}`,
      // Elsewhere: a namespace of the scenario's that nothing runs in, so its own namespace is not covered.
      namespaces: [opts.elsewhere ? `${this.namespaceName}-elsewhere` : this.namespaceName],
      imageReferences: [images],
      imageGlobs: [{ glob: images }],
      rootCert: readFileSync(p.rootCert, 'utf8'),
      chain: readFileSync(p.chain, 'utf8'),
      trustedRoot: policy.includes('cosign') ? readFileSync((await this.cosign.trust(profile)).trustedRoot, 'utf8') : '',
      registryCredentials: this.credentials.kyvernoCredentials(this.namespaceName),
      // The TSA the scenario's verifiers trust: its chain (cosign attestor) or its root (Notary), none otherwise.
      tsaCertChain: this.timestamps.trusted ? readFileSync(this.timestamps.trusted.pki.chain, 'utf8') : '',
      tsaRootCert: this.timestamps.trusted ? readFileSync(this.timestamps.trusted.pki.root, 'utf8') : '',
    });
    const objects = kyvernoObjects(text);
    // A namespaced Policy covers only the namespace it is created in: the scenario's own.
    const namespaced = objects.find((o) => o.kind === 'Policy');
    if (namespaced && opts.elsewhere) throw new Error(`${file}: the Kyverno Policy ${namespaced.name} is namespaced and covers only the namespace it is created in; "in another namespace" needs a ClusterPolicy or an ImageValidatingPolicy`);
    const { cluster, kube, namespace } = await this.environment();
    await this.credentials.createKyvernoSecret(kube, namespace);
    for (const o of objects) {
      await installKyvernoPolicy(cluster, kube, o, text, namespace);
      const resource = kyvernoPolicyResource(o.kind, o.name, namespace);
      this.scenario.teardown.push(`${o.kind} ${o.name}`, () => kube.deleteCustom(resource));
    }
    this.validatingPolicyForm = objects.some((o) => o.kind === 'ImageValidatingPolicy');
    this.covered ||= !opts.elsewhere;
    this.enforcing = true;
    if (isPolicyPath(policy)) this.scenario.note(EVIDENCE.userKyvernoPolicy, `${file} rendered as\n${text}`);
  }

  /** Create the workload; the API server's answer is Kyverno's verdict. */
  async admit(kind: Workload, name: string, image: string, opts: { pullPolicy?: string } = {}): Promise<Admitted> {
    const { kube, namespace } = await this.environment();
    const ref = this.registries.ref(image).full;
    this.images.set(name, await this.creating(image));
    const placement = this.placement && opts.pullPolicy ? { ...this.placement, pullPolicy: opts.pullPolicy } : this.placement;
    const extras = { pullSecrets: await this.credentials.podPullSecrets(kube, namespace) };
    const result = kind === 'pod' ? await kube.createPod(namespace, name, ref, placement, extras) : await kube.createDeployment(namespace, name, ref, placement, 1, extras);
    const exists = kind === 'pod' ? await kube.podExists(namespace, name) : await kube.deploymentExists(namespace, name);
    this.scenario.note(EVIDENCE.admission(kind, name), `create ${kind} ${namespace}/${name} (${ref}): ${result.admitted ? 'admitted' : `denied (HTTP ${result.status})`}\n${result.message}\n${kind} exists afterwards: ${exists}`);
    return { result, exists, judgement: this.judgementOf(kind, image) };
  }

  /** Create every Pod and Deployment of the user's manifest with the image in place; the API server's answer to each is Kyverno's verdict. */
  async admitManifest(path: string, image: string): Promise<(Admitted & { kind: Workload; name: string })[]> {
    const ref = this.registries.ref(image).full;
    // Rendered and parsed before the cluster is touched: a bad manifest changes nothing.
    const { file, text } = renderManifest(path, ref);
    const { kube, namespace } = await this.environment();
    const workloads = manifestWorkloads(file, text, namespace, this.placement);
    this.scenario.note(EVIDENCE.userManifest, `${file} rendered as\n${text}`);
    const out: (Admitted & { kind: Workload; name: string })[] = [];
    for (const w of workloads) {
      const kind: Workload = w.kind === 'Pod' ? 'pod' : 'deployment';
      this.images.set(w.name, await this.creating(image));
      const result = await kube.createObject(w.object);
      const exists = kind === 'pod' ? await kube.podExists(namespace, w.name) : await kube.deploymentExists(namespace, w.name);
      this.scenario.note(EVIDENCE.admission(kind, w.name), `create ${kind} ${namespace}/${w.name} from ${path} (${ref}): ${result.admitted ? 'admitted' : `denied (HTTP ${result.status})`}\n${result.message}\n${kind} exists afterwards: ${exists}`);
      out.push({ kind, name: w.name, result, exists, judgement: this.judgementOf(kind, image) });
    }
    return out;
  }

  /** What a workload is created from, taken before the create: a tag may move afterwards. */
  private async creating(image: string): Promise<Created> {
    // Only a node scenario looks at digests later; others stay free of the extra registry call.
    // An image sigproof cannot resolve either (a registry whose CA nobody trusts) has no digest to compare later.
    const digest = this.placement ? await this.registries.digestOf(image).catch(() => '') : '';
    return { image, digest, flow: this.provenance.flow(image), createdAt: Date.now() };
  }

  private judgementOf(kind: Workload, image: string): Judgement | undefined {
    return this.enforcing ? this.judge(this.verifierFor(kind), image) : undefined;
  }

  private verifierFor(kind: Workload): Verifier {
    return `Kyverno ${kind === 'pod' ? 'Pod' : 'Deployment'}${this.validatingPolicyForm ? ' (ImageValidatingPolicy)' : ''}`;
  }

  /** The image a workload of the scenario was created with, and the digest its tag had at that moment. */
  created(name: string): Created {
    const created = this.images.get(name);
    if (!created) throw new Error(`no workload "${name}" was created in this scenario (created: ${[...this.images.keys()].join(', ') || 'none'})`);
    return created;
  }

  /** The image a pod's spec names after admission (a policy that pins digests rewrites it). */
  async admittedImage(name: string): Promise<string> {
    const { kube, namespace } = await this.environment();
    return (await kube.readPod(namespace, name)).spec?.containers[0]?.image ?? '';
  }

  /** Why a Deployment's ReplicaSet could not make pods (the API server's denial, in its FailedCreate events), once one says `text`. */
  async replicaSetFailures(text: string): Promise<string[]> {
    const { kube, namespace } = await this.environment();
    return eventually(
      async () => {
        const messages = await kube.warnings(namespace, 'ReplicaSet', 'FailedCreate');
        return messages.some((m) => m.includes(text)) ? messages : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `a FailedCreate event of a ReplicaSet saying "${text}"` },
      // On timeout the caller asserts on what there is; the wait's own message would quote the text and pass.
    ).catch(() => kube.warnings(namespace, 'ReplicaSet', 'FailedCreate'));
  }

  /** The reference a scenario image name stands for (host:port/repo:tag). */
  refOf(image: string): string {
    return this.registries.ref(image).full;
  }

  /** From now on, the scenario's workloads go to its node. */
  placeOn(placement: Placement): void {
    this.placement = placement;
  }

  /** Admission while Kyverno is down: about the webhook's availability, not a signature. */
  async admitWithKyvernoStopped(name: string, image: string): Promise<Admitted> {
    const { cluster } = await this.environment();
    return withKyvernoStopped(cluster, () => this.admit('pod', name, image));
  }

  /** A line of Kyverno's log about this scenario's image (the log is shared by every scenario). */
  async kyvernoLogLine(text: string, image: string): Promise<string> {
    const { cluster } = await this.environment();
    const ref = this.registries.ref(image);
    const needle = `image=${ref.repository}:${ref.tag ?? ''}`;
    const line = await eventually(
      async () =>
        readFileSync(cluster.kyvernoLog, 'utf8')
          .split('\n')
          .find((l) => l.includes(text) && l.includes(needle)),
      {
        timeoutMs: 10_000,
        what: `a Kyverno log line about ${needle} saying "${text}"`,
      },
    );
    this.scenario.note(EVIDENCE.kyvernoLogLine, line);
    return line;
  }
}
