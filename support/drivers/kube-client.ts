// Kubernetes API access through @kubernetes/client-node: the verdict of an
// admission is what the API server answers to a create, nothing else.
import { AdmissionregistrationV1Api, ApiextensionsV1Api, AppsV1Api, CoreV1Api, type CoreV1Event, CustomObjectsApi, KubeConfig, KubernetesObjectApi, type KubernetesObject, type V1Pod, type V1PodSpec } from '@kubernetes/client-node';

export interface AdmissionResult {
  admitted: boolean;
  /** The API server's message: the admission denial, or "created". */
  message: string;
  status: number;
}

/** Where a scenario's workloads go (its own node) and what their containers run when the scenario writes them. */
export interface Placement {
  nodeSelector: Record<string, string>;
  tolerations: NonNullable<V1PodSpec['tolerations']>;
  /** The test image's shell would exit at once; a pod that should run waits instead. */
  command: string[];
  pullPolicy?: string;
}

/** What a workload's pods are given besides their image: the pull secrets that hold registry credentials. */
interface PodExtras {
  pullSecrets?: string[];
}

export class Kube {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;
  private readonly objects: KubernetesObjectApi;
  private readonly custom: CustomObjectsApi;
  private readonly admissionRegistration: AdmissionregistrationV1Api;
  private readonly apiExtensions: ApiextensionsV1Api;

  constructor(kubeconfigFile: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigFile);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
    this.objects = KubernetesObjectApi.makeApiClient(kc);
    this.custom = kc.makeApiClient(CustomObjectsApi);
    this.admissionRegistration = kc.makeApiClient(AdmissionregistrationV1Api);
    this.apiExtensions = kc.makeApiClient(ApiextensionsV1Api);
  }

  /** The CRDs whose Established condition is not True yet (one just created may have no status at all). */
  async crdsNotEstablished(): Promise<string[]> {
    const list = await this.apiExtensions.listCustomResourceDefinition();
    return list.items.filter((crd) => !crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')).map((crd) => crd.metadata?.name ?? '?');
  }

  async createNamespace(name: string): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, labels: { 'sigproof.dev/scenario': 'true' } } } });
  }

  /** A kubernetes.io/dockerconfigjson secret: what imagePullSecrets and Kyverno's imageRegistryCredentials name. */
  async createPullSecret(namespace: string, name: string, dockerConfigJson: string): Promise<void> {
    await this.core.createNamespacedSecret({ namespace, body: { metadata: { name }, type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': Buffer.from(dockerConfigJson).toString('base64') } } });
  }

  async deleteSecret(namespace: string, name: string): Promise<void> {
    await this.core.deleteNamespacedSecret({ namespace, name }).catch(() => undefined);
  }

  /** A custom object's status (a Kyverno policy's), or undefined while it does not exist. */
  async customStatus(o: { group: string; version: string; plural: string; name: string; namespace?: string }): Promise<Record<string, unknown> | undefined> {
    const read = o.namespace ? this.custom.getNamespacedCustomObject({ ...o, namespace: o.namespace }) : this.custom.getClusterCustomObject(o);
    const doc = (await read.catch(() => undefined)) as { status?: Record<string, unknown> } | undefined;
    return doc ? (doc.status ?? {}) : undefined;
  }

  /** The resources each webhook of a (mutating or validating) webhook configuration covers, or none while it does not exist. */
  async webhookResources(kind: 'mutating' | 'validating', name: string): Promise<string[][]> {
    const cfg = await (kind === 'mutating' ? this.admissionRegistration.readMutatingWebhookConfiguration({ name }) : this.admissionRegistration.readValidatingWebhookConfiguration({ name })).catch(() => undefined);
    return (cfg?.webhooks ?? []).map((w) => (w.rules ?? []).flatMap((r) => r.resources ?? []));
  }

  /** Delete a custom object without waiting for it to go (teardown). */
  async deleteCustom(o: { group: string; version: string; plural: string; name: string; namespace?: string }): Promise<void> {
    await (o.namespace ? this.custom.deleteNamespacedCustomObject({ ...o, namespace: o.namespace }) : this.custom.deleteClusterCustomObject(o)).catch(() => undefined);
  }

  /** Delete a namespace without waiting for it to go (teardown). */
  async deleteNamespace(name: string): Promise<void> {
    await this.core.deleteNamespace({ name }).catch(() => undefined);
  }

  createPod(namespace: string, name: string, image: string, placement?: Placement, extras?: PodExtras): Promise<AdmissionResult> {
    return admission(
      this.core.createNamespacedPod({
        namespace,
        body: { metadata: { name, labels: { app: name } }, spec: podSpec(image, placement, extras) },
      }),
    );
  }

  createDeployment(namespace: string, name: string, image: string, placement?: Placement, replicas = 1, extras?: PodExtras): Promise<AdmissionResult> {
    return admission(
      this.apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name },
          spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: podSpec(image, placement, extras) },
          },
        },
      }),
    );
  }

  /** A user's manifest object, as the API server answers its create. */
  createObject(object: KubernetesObject): Promise<AdmissionResult> {
    return admission(this.objects.create(object));
  }

  readPod(namespace: string, name: string): Promise<V1Pod> {
    return this.core.readNamespacedPod({ namespace, name });
  }

  /** The pods a Deployment selects (its matchLabels), whoever wrote it. */
  async podsOfDeployment(namespace: string, name: string): Promise<V1Pod[]> {
    const d = await this.apps.readNamespacedDeployment({ namespace, name });
    const labelSelector = Object.entries(d.spec?.selector.matchLabels ?? {})
      .map(([k, v]) => `${k}=${v}`)
      .join(',');
    return (await this.core.listNamespacedPod({ namespace, labelSelector })).items;
  }

  /** The events about one pod, oldest first: the kubelet puts the runtime's words in them. */
  async podEvents(namespace: string, name: string): Promise<CoreV1Event[]> {
    const events = (await this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}` })).items;
    return events.sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')));
  }

  /** Warning events of one kind of object and one reason, in a namespace. */
  async warnings(namespace: string, kind: string, reason: string): Promise<string[]> {
    const events = (await this.core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${kind},reason=${reason},type=Warning` })).items;
    return events.map((e) => e.message ?? '');
  }

  async scaleDeployment(namespace: string, name: string, replicas: number): Promise<void> {
    await this.apps.patchNamespacedDeploymentScale({ namespace, name, body: [{ op: 'replace', path: '/spec/replicas', value: replicas }] });
  }

  async podExists(namespace: string, name: string): Promise<boolean> {
    return this.core.readNamespacedPod({ namespace, name }).then(
      () => true,
      () => false,
    );
  }

  async deploymentExists(namespace: string, name: string): Promise<boolean> {
    return this.apps.readNamespacedDeployment({ namespace, name }).then(
      () => true,
      () => false,
    );
  }
}

function podSpec(image: string, placement?: Placement, extras: PodExtras = {}): V1PodSpec {
  const pullSecrets = extras.pullSecrets?.length ? { imagePullSecrets: extras.pullSecrets.map((name) => ({ name })) } : {};
  if (!placement) return { ...pullSecrets, containers: [{ name: 'app', image }] };
  return { ...pullSecrets, nodeSelector: placement.nodeSelector, tolerations: placement.tolerations, terminationGracePeriodSeconds: 0, containers: [{ name: 'app', image, command: placement.command, imagePullPolicy: placement.pullPolicy }] };
}

async function admission(create: Promise<unknown>): Promise<AdmissionResult> {
  try {
    await create;
    return { admitted: true, message: 'created', status: 201 };
  } catch (err) {
    const e = err as { code?: number; body?: unknown; message?: string };
    let message = e.message ?? String(err);
    if (typeof e.body === 'string') {
      try {
        message = (JSON.parse(e.body) as { message?: string }).message ?? e.body;
      } catch {
        message = e.body;
      }
    }
    return { admitted: false, message, status: e.code ?? 0 };
  }
}
