// Registry credentials in the cluster, the way its users give them: a pull
// secret in the scenario's namespace that its pods name (the kubelet hands it
// to the runtime with each pull), and a copy in Kyverno's namespace that a
// policy's imageRegistryCredentials names. Kyverno 1.19 reads secrets only from
// the namespaces it watches (its own, and those of --imagePullSecrets), so a
// pod's own pull secret is skipped there without a word.
import type { Kube } from './drivers/kube-client.ts';
import { KYVERNO_NAMESPACE } from './env/kyverno.ts';
import { dockerAuthConfig } from './env/registry-tls.ts';
import type { Registries } from './registries.ts';
import type { Scenario } from './scenario.ts';

const POD_PULL_SECRET = 'registry-credentials';

export class ClusterCredentials {
  private readonly scenario: Scenario;
  private readonly registries: Registries;
  private podSecret: Promise<string[]> | undefined;

  constructor(scenario: Scenario, registries: Registries) {
    this.scenario = scenario;
    this.registries = registries;
  }

  /** The pull secrets the scenario's pods name: one, when a registry of the scenario asks for credentials. */
  podPullSecrets(kube: Kube, namespace: string): Promise<string[]> {
    this.podSecret ??= (async () => {
      const entries = this.registries.withCredentials();
      if (!entries.length) return [];
      await kube.createPullSecret(namespace, POD_PULL_SECRET, dockerAuthConfig(entries));
      this.scenario.note('registry credentials', `pull secret ${namespace}/${POD_PULL_SECRET} (kubernetes.io/dockerconfigjson) for ${entries.map((e) => e.host).join(', ')}; every pod of the scenario names it in imagePullSecrets`);
      return [POD_PULL_SECRET];
    })();
    return this.podSecret;
  }

  /** What a Kyverno policy's imageRegistryCredentials holds for this scenario: the secret's name, or nothing when no registry asks for credentials. */
  kyvernoCredentials(namespace: string): { secrets?: string[] } {
    return this.registries.withCredentials().length ? { secrets: [this.kyvernoSecretName(namespace)] } : {};
  }

  /** Create the secret kyvernoCredentials names, in Kyverno's namespace, removed with the scenario. */
  async createKyvernoSecret(kube: Kube, namespace: string): Promise<void> {
    const entries = this.registries.withCredentials();
    if (!entries.length) return;
    const name = this.kyvernoSecretName(namespace);
    await kube.createPullSecret(KYVERNO_NAMESPACE, name, dockerAuthConfig(entries));
    this.scenario.teardown.push(`secret ${KYVERNO_NAMESPACE}/${name}`, () => kube.deleteSecret(KYVERNO_NAMESPACE, name));
    this.scenario.note('Kyverno registry credentials', `secret ${KYVERNO_NAMESPACE}/${name} (kubernetes.io/dockerconfigjson) for ${entries.map((e) => e.host).join(', ')}, named in the policy's imageRegistryCredentials.secrets`);
  }

  private kyvernoSecretName(namespace: string): string {
    return `${namespace}-registry-credentials`;
  }
}
