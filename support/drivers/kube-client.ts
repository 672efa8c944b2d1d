// Kubernetes API access through @kubernetes/client-node: the verdict of an
// admission is what the API server answers to a create, nothing else.
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export interface AdmissionResult {
  admitted: boolean;
  /** The API server's message: the admission denial, or "created". */
  message: string;
  status: number;
}

export class Kube {
  private readonly core: CoreV1Api;
  private readonly apps: AppsV1Api;

  constructor(kubeconfigFile: string) {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigFile);
    this.core = kc.makeApiClient(CoreV1Api);
    this.apps = kc.makeApiClient(AppsV1Api);
  }

  async createNamespace(name: string): Promise<void> {
    await this.core.createNamespace({ body: { metadata: { name, labels: { 'sigproof.dev/scenario': 'true' } } } });
  }

  createPod(namespace: string, name: string, image: string): Promise<AdmissionResult> {
    return admission(
      this.core.createNamespacedPod({
        namespace,
        body: { metadata: { name, labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
      }),
    );
  }

  createDeployment(namespace: string, name: string, image: string): Promise<AdmissionResult> {
    return admission(
      this.apps.createNamespacedDeployment({
        namespace,
        body: {
          metadata: { name },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: name } },
            template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image }] } },
          },
        },
      }),
    );
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
