// A scenario's own node: the kubelet with CRI-O or containerd under the
// scenario's policy, its sandbox image in a registry of the scenario, and what
// becomes of the pods placed on it: Running from the expected digest, refused
// at pull with the runtime's words, or never started.
import { randomBytes } from 'node:crypto';
import type { V1Pod } from '@kubernetes/client-node';
import type { Admission } from './admission.ts';
import type { Kube } from './drivers/kube-client.ts';
import { kubectl } from './drivers/kubectl.ts';
import { NODE_TAINT_KEY } from './env/kubelet.ts';
import { type Node, startNode } from './env/node.ts';
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
/** What a pod that should run does: the test image's shell would exit at once. */
const WAIT_COMMAND = ['/bin/busybox', 'sleep', '86400'];

const HOW_TO_START = 'Given a node running CRI-O that enforces the policy "…" trusting "…" (or: a node running containerd that verifies pulls with the policy "…" trusting "…")';

export class NodeArea extends ImageArea {
  private node: Node | undefined;
  private kind: RuntimeName | undefined;
  private profile = '';
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

  async start(kind: RuntimeName, policy: string, profile: string): Promise<void> {
    if (this.node) throw new Error(`this scenario already has a node (${this.node.name})`);
    if (!this.registries.all().some((r) => r.name === SANDBOX_REGISTRY)) await this.registries.start(SANDBOX_REGISTRY);
    await this.registries.pushTestImage('pause', PAUSE);
    // Rendered before anything starts: a bad policy changes nothing.
    const { file, text } = await this.policyText(kind, policy, profile);
    const { cluster } = await this.admission.environment();
    const id = randomBytes(4).toString('hex');
    const node = await startNode(this.scenario.path('node'), id, cluster, {
      runtime: kind === 'CRI-O' ? { kind, policy: text } : { kind, verifierPolicy: text },
      registryHosts: this.registries.all().map((r) => r.host),
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
    this.scenario.note(EVIDENCE.nodeStart, `node ${node.name} with ${kind} Ready: ${boot}\n${file} rendered as\n${text}`);
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

  has(): boolean {
    return this.node !== undefined;
  }

  /** Who judged a pod on this node: Kyverno and the runtime together, or the runtime alone. */
  verifier(): Verifier {
    const { kind } = this.running();
    return this.admission.covered ? `Kyverno + ${kind}, pod running` : `${kind} node`;
  }

  /** The node's judgement of a workload: the image as it was when the workload was created (a tag may have moved since). */
  judgement(name: string): Judgement {
    const { image, flow } = this.admission.created(name);
    return { verifier: this.verifier(), target: image, flow };
  }

  /** Wait until the pod runs or is stopped for good (a pull refused, a sandbox or container that cannot be made). */
  async fate(name: string): Promise<PodFate> {
    const { kube, namespace } = await this.admission.environment();
    const fate = await eventually(async () => podFate(await kube.readPod(namespace, name), await kube.podEvents(namespace, name)), {
      timeoutMs: SETTLE_MS,
      intervalMs: 250,
      what: `pod ${name} to run or to be stopped for good`,
    }).catch(async (err: Error) => {
      throw new Error(`${err.message}\nits status: ${await this.statusText(kube, namespace, name)}`);
    });
    // bench/node.ts reads "running N ms after it was created" from here.
    this.scenario.note(EVIDENCE.podFate(name), `${fate.state} ${Date.now() - this.admission.created(name).createdAt} ms after it was created: ${fate.message}`);
    return fate;
  }

  /** The digest a pod's container runs. */
  async runningDigest(name: string): Promise<string> {
    const { kube, namespace } = await this.admission.environment();
    return runningDigest(await kube.readPod(namespace, name));
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
      { timeoutMs: SETTLE_MS, intervalMs: 250, what: `${replicas} running pod(s) of deployment ${name}` },
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
