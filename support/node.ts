// A scenario's own node: the kubelet with CRI-O or containerd under the
// scenario's policy, its sandbox image in a registry of the scenario, and what
// becomes of the pods placed on it: Running from the expected digest, refused
// at pull with the runtime's words, or never started.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import type { Admission } from './admission.ts';
import type { Kube } from './drivers/kube-client.ts';
import { crictlHasImage } from './drivers/crictl.ts';
import { kubectl } from './drivers/kubectl.ts';
import { orasManifestFetch } from './drivers/oras.ts';
import { type HookDecision, readHookDecisions } from './hook-decisions.ts';
import { type CostFigures, costSummary, measureHookCost } from './hook-cost.ts';
import { NODE_TAINT_KEY } from './env/kubelet.ts';
import { type Node, startNode } from './env/node.ts';
import type { OciHook } from './env/oci-hook.ts';
import { type ImageContext, ImageArea } from './image-area.ts';
import { eventually } from './lib/eventually.ts';
import type { Judgement } from './outcome.ts';
import { EVIDENCE } from './report/attachments.ts';
import type { Verifier } from './report/observations.ts';
import type { Runtime, RuntimeName } from './runtime.ts';
import { type PodFate, podFate } from './pod-fate.ts';

/** The registry that serves the sandbox image; a runtime policy needs a rule for it ({{sandbox}}). */
const SANDBOX_REGISTRY = 'sandbox';
const PAUSE = `${SANDBOX_REGISTRY}/pause:3.10`;
const SETTLE_MS = 120_000;
/** Two GETs to the API server per poll: cheap next to the second or so a pod takes to start, which every poll interval adds to on average by half. */
const POD_POLL_MS = 100;
/** What a pod that should run does: the test image's shell would exit at once. */
const WAIT_COMMAND = ['/bin/busybox', 'sleep', '86400'];

const HOW_TO_START = 'Given a node running CRI-O that enforces the policy "…" trusting "…" (or: a node running containerd that verifies pulls with the policy "…" trusting "…")';

export class NodeArea extends ImageArea {
  private node: Node | undefined;
  private kind: RuntimeName | undefined;
  private profile = '';
  private cost: CostFigures | undefined;
  private readonly runtime: Runtime;
  private readonly admission: Admission;

  constructor(context: ImageContext, runtime: Runtime, admission: Admission) {
    super(context);
    this.runtime = runtime;
    this.admission = admission;
  }

  private async policyText(kind: RuntimeName, policy: string, profile: string): Promise<{ file: string; text: string }> {
    return kind === 'CRI-O' ? this.runtime.crioPolicy(policy, profile) : this.runtime.containerdPolicy(policy, profile);
  }

  /**
   * A node whose runtime checks pulls with the policy, or (hookPolicy) one whose
   * pulls are not checked (CRI-O: insecureAcceptAnything; containerd: no
   * verifier) and whose OCI hook verifier checks every container creation.
   */
  async start(kind: RuntimeName, policy: string, profile: string, hookPolicy?: string): Promise<void> {
    if (this.node) throw new Error(`this scenario already has a node (${this.node.name})`);
    await this.servePauseImage();
    // Rendered before anything starts: a bad policy changes nothing.
    const pull = kind === 'CRI-O' || hookPolicy === undefined ? await this.policyText(kind, policy, profile) : undefined;
    const hook = hookPolicy === undefined ? undefined : await this.runtime.containerdPolicy(hookPolicy, profile);
    const { cluster } = await this.admission.environment();
    const id = randomBytes(4).toString('hex');
    const node = await startNode(this.scenario.path('node'), id, cluster, {
      runtime: kind === 'CRI-O' ? { kind, policy: pull?.text ?? '' } : { kind, verifierPolicy: pull?.text },
      hookPolicy: hook?.text,
      registryHosts: this.registries.all().map((r) => r.host),
      secure: await this.registries.secureRegistries(),
      pauseImage: this.registries.ref(PAUSE).full,
    });
    this.node = node;
    this.kind = kind;
    this.profile = profile;
    this.scenario.teardown.push(`node ${node.name}`, async (failed) => {
      await node.stop();
      if (failed) {
        this.scenario.attachLog(EVIDENCE.log('kubelet'), node.kubelet.daemon.logFile);
        this.scenario.attachLog(EVIDENCE.log(kind === 'CRI-O' ? 'crio' : 'containerd'), node.runtime.daemon.logFile);
      }
    });
    // Runs before the node stops (the stack unwinds in reverse): what ran where, as a user would list it.
    this.scenario.teardown.push('the pod listing', async () => {
      const { namespace } = await this.admission.environment();
      const res = await kubectl(cluster, ['get', 'pods', '--namespace', namespace, '--output', 'wide'], { check: false });
      this.scenario.note(EVIDENCE.podListing, res.stdout || res.stderr);
      const events = await kubectl(cluster, ['get', 'events', '--namespace', namespace, '--sort-by', '.lastTimestamp'], { check: false });
      this.scenario.note(EVIDENCE.events, events.stdout || events.stderr);
    });
    this.admission.placeOn({ nodeSelector: { 'kubernetes.io/hostname': node.name }, tolerations: [{ key: NODE_TAINT_KEY, operator: 'Equal', value: node.name, effect: 'NoSchedule' }], command: WAIT_COMMAND });
    const boot = Object.entries(node.bootMs)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(2)} s`)
      .join(', ');
    const policies = [pull ? `${pull.file} rendered as\n${pull.text}` : 'no image verifier at pull', hook ? `the OCI hook's policy, ${hook.file}, rendered as\n${hook.text}` : ''];
    this.scenario.note(EVIDENCE.nodeStart, `node ${node.name} with ${kind} Ready: ${boot}\n${policies.filter(Boolean).join('\n')}`);
    if (node.hook) {
      const log = node.hook.logFile;
      this.scenario.teardown.push("the OCI hook's decisions", async () => this.scenario.attachLog(EVIDENCE.log('OCI hook decisions'), log));
    }
  }

  /** The scenario's sandbox registry with the pause image every node's pods start from. */
  private async servePauseImage(): Promise<void> {
    if (!this.registries.all().some((r) => r.name === SANDBOX_REGISTRY)) await this.registries.start(SANDBOX_REGISTRY);
    await this.registries.pushTestImage('pause', PAUSE);
  }

  private running(): { node: Node; kind: RuntimeName } {
    if (!this.node || !this.kind) throw new Error(`this scenario has no node. Add: ${HOW_TO_START}`);
    return { node: this.node, kind: this.kind };
  }

  /** The node's runtime re-reads its policy at every pull: rewrite it. */
  async changePolicy(policy: string): Promise<void> {
    const { node, kind } = this.running();
    const { file, text } = await this.policyText(kind, policy, this.profile);
    await node.setPolicy(text);
    this.scenario.note(EVIDENCE.nodePolicy, `${file} rendered as\n${text}`);
  }

  /** The OCI hook reads its policy at every container creation: rewrite it. */
  async changeHookPolicy(policy: string): Promise<void> {
    const hook = this.hook();
    const { file, text } = await this.runtime.containerdPolicy(policy, this.profile);
    writeFileSync(hook.policyFile, text);
    this.scenario.note(EVIDENCE.nodePolicy, `the OCI hook's policy, ${file}, rendered as\n${text}`);
  }

  private hook(): OciHook {
    const hook = this.running().node.hook;
    if (!hook) throw new Error('this scenario\'s node has no OCI hook. Start it with: Given a node running … with pull-time verification off and the OCI hook verifying with the policy "…" trusting "…"');
    return hook;
  }

  /** What the OCI hook decided about an image, one entry per container creation it was called for. */
  hookDecisions(target: string): HookDecision[] {
    const reference = this.registries.ref(target).full;
    return readHookDecisions(this.hook().logFile).filter((d) => d.image === reference);
  }

  /** The hook's decisions, split: about the sandbox (pause) image, whose containers the runtime makes itself, and about the rest. */
  hookCalls(): { sandbox: HookDecision[]; others: HookDecision[] } {
    const pause = this.registries.ref(PAUSE).full;
    const all = readHookDecisions(this.hook().logFile);
    return { sandbox: all.filter((d) => d.image === pause), others: all.filter((d) => d.image !== pause) };
  }

  /** Put an image into the node's containerd store without a pull (an OCI archive, `ctr image import`). */
  async importIntoStore(target: string): Promise<void> {
    const { node, kind } = this.running();
    if (kind !== 'containerd') throw new Error(`only containerd imports OCI archives into its store; this node runs ${kind}`);
    await this.runtime.containerdImport(target, node.runtime.socket);
  }

  /** Whether the node's runtime holds the image, as the kubelet asks it (CRI ImageStatus). */
  storeHas(target: string): Promise<boolean> {
    return crictlHasImage(this.running().node.runtime.crictlConfig, this.registries.ref(target).full);
  }

  /** The OCI hook's cost on two fresh nodes of the runtime (the scenario's own node, if any, is not used). */
  async measureHookCost(kind: RuntimeName, target: string, profile: string, pods: number): Promise<CostFigures> {
    await this.servePauseImage();
    const [verifying, open] = kind === 'CRI-O' ? ['node', 'node-allow-all'] : ['node-cosign', 'allow-all'];
    const { cluster, kube, namespace } = await this.admission.environment();
    const figures = await measureHookCost(
      {
        dir: this.scenario.path('cost'),
        kind,
        cluster,
        kube,
        namespace,
        registryHosts: this.registries.all().map((r) => r.host),
        pauseImage: this.registries.ref(PAUSE).full,
        image: this.registries.ref(target).full,
        command: WAIT_COMMAND,
        verifying: (await this.policyText(kind, verifying, profile)).text,
        open: (await this.policyText(kind, open, profile)).text,
        hook: (await this.runtime.containerdPolicy('node-cosign', profile)).text,
      },
      randomBytes(4).toString('hex'),
      pods,
    );
    this.cost = figures;
    this.scenario.observe({ kind: 'measurement', what: `the OCI hook's cost on ${kind}`, summary: costSummary(figures), samples: { withHook: figures.withHook, withoutHook: figures.withoutHook, hookSelf: figures.hookSelf, pullVerified: figures.pullVerified, pullUnverified: figures.pullUnverified } });
    return figures;
  }

  measuredCost(): CostFigures {
    if (!this.cost) throw new Error('nothing was measured: use "When the OCI hook\'s cost on … is measured with … pods of … each way, trusting …" first');
    return this.cost;
  }

  has(): boolean {
    return this.node !== undefined;
  }

  /** Who judged a pod on this node: Kyverno and the runtime together, or the runtime alone. */
  verifier(): Verifier {
    const { kind, node } = this.running();
    if (node.hook) return `${kind} OCI hook`;
    return this.admission.covered ? `Kyverno + ${kind}, pod running` : `${kind} node`;
  }

  /** The node's judgement of a workload: the image as it was when the workload was created (a tag may have moved since). */
  judgement(name: string): Judgement {
    const { image, flow } = this.admission.created(name);
    return this.judge(this.verifier(), image, flow);
  }

  /** Wait until the pod runs or is stopped for good (a pull refused, a sandbox or container that cannot be made). */
  async fate(name: string): Promise<PodFate> {
    const { kube, namespace } = await this.admission.environment();
    const fate = await eventually(async () => podFate(await kube.readPod(namespace, name), await kube.podEvents(namespace, name)), {
      timeoutMs: SETTLE_MS,
      intervalMs: POD_POLL_MS,
      what: `pod ${name} to run or to be stopped for good`,
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nits status: ${await this.statusText(kube, namespace, name)}`);
    });
    // bench/node.ts reads "running N ms after it was created" from here.
    this.scenario.note(EVIDENCE.podFate(name), `${fate.state} ${Date.now() - this.admission.created(name).createdAt} ms after it was created: ${fate.message}`);
    return fate;
  }

  /**
   * What a pod's container runs, and what its image was when the pod was created, in the same terms: the
   * manifest digest; or, when the node knows the image by no repo digest (imported, never pulled) and the
   * kubelet reports only its image ID, the config digest of the created-from manifest.
   */
  async runningAndAdmitted(name: string): Promise<{ running: string; admitted: string }> {
    const { kube, namespace } = await this.admission.environment();
    const { image, digest } = this.admission.created(name);
    const pod = await kube.readPod(namespace, name);
    const running = runningDigest(pod);
    const imageId = pod.status?.containerStatuses?.[0]?.imageID ?? '';
    if (imageId.includes('@')) return { running, admitted: digest };
    const config = (await orasManifestFetch(`${this.registries.ref(image).repository}@${digest}`)).config?.digest ?? '(no config)';
    return { running, admitted: config };
  }

  /** The pods of a Deployment, once `replicas` of them run (or one is stopped for good), with the digests they run. */
  async deploymentPods(name: string, replicas: number): Promise<{ fates: PodFate[]; digests: string[] }> {
    const { kube, namespace } = await this.admission.environment();
    return eventually(
      async () => {
        const pods = (await kube.podsOfDeployment(namespace, name)).filter((p) => !p.metadata?.deletionTimestamp);
        const fates = await Promise.all(pods.map(async (p) => podFate(p, await kube.podEvents(namespace, p.metadata?.name ?? ''))));
        const settled = fates.filter((f) => f !== undefined);
        const runningCount = settled.filter((f) => f.state === 'running').length;
        if (runningCount >= replicas || settled.some((f) => f.state !== 'running')) return { fates: settled, digests: pods.map(runningDigest) };
        return undefined;
      },
      { timeoutMs: SETTLE_MS, intervalMs: POD_POLL_MS, what: `${replicas} running pod(s) of deployment ${name}` },
    );
  }

  async scale(name: string, replicas: number): Promise<void> {
    const { kube, namespace } = await this.admission.environment();
    await kube.scaleDeployment(namespace, name, replicas);
  }

  private async statusText(kube: Kube, namespace: string, name: string): Promise<string> {
    try {
      const pod = await kube.readPod(namespace, name);
      return JSON.stringify(pod.status?.containerStatuses?.map((c) => c.state) ?? pod.status?.conditions ?? pod.status?.phase);
    } catch (err) {
      return (err as Error).message;
    }
  }
}

/** The digest in a container's imageID (repo@sha256:…, or sha256:… alone). */
function runningDigest(pod: V1Pod): string {
  const id = pod.status?.containerStatuses?.[0]?.imageID ?? '';
  return /sha256:[0-9a-f]{64}/.exec(id)?.[0] ?? '';
}
