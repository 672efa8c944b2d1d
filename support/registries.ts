// Registries and images of a scenario: the registries it starts (each stops
// itself through the teardown stack), references by registry name
// ("ci/app:signed"), digests asked of the registry, and the test images it pushes.
import { orasCopy } from './drivers/oras.ts';
import { manifestDigest } from './env/registry-request.ts';
import { DEFAULT_REGISTRY_KIND, type Registry, type RegistryKind, type SecureOptions, startRegistry } from './env/registry.ts';
import { type Credentials, makeRegistryCa, newCredentials, registryCa, type SecureRegistries, wrongPassword } from './env/registry-tls.ts';
import { registerSecureRegistry } from './drivers/registry-access.ts';
import { configuredRegistryHost, plainHttpReaches } from './env/registry-host.ts';
import { type BuiltImage, testImage } from './images.ts';
import { type ParsedRef, parseRef } from './lib/refs.ts';
import { EVIDENCE } from './report/attachments.ts';
import type { Scenario } from './scenario.ts';

type ResolvedRef = ParsedRef & { registry: Registry; full: string; repository: string };

export class Registries {
  private readonly running = new Map<string, Registry>();
  /** Where this scenario's registries listen: loopback, or what the admission environment reaches. */
  host = configuredRegistryHost();
  /** Repositories the scenario touched, as host:port/repo (what notation's registryScopes need). */
  readonly repositories = new Set<string>();
  private readonly wrongPasswords = new Map<string, Credentials>();
  private readonly scenario: Scenario;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  /**
   * secure: TLS and basic-auth credentials of its own, its certificate from the run's registry CA (which every tool
   * is told to trust) or, "untrusted", from a CA of the scenario's that no tool trusts.
   */
  async start(name: string, kind: RegistryKind = DEFAULT_REGISTRY_KIND, secure?: 'trusted' | 'untrusted'): Promise<Registry> {
    if (this.running.has(name)) throw new Error(`registry "${name}" is already running in this scenario`);
    if (!secure && !plainHttpReaches(this.host))
      throw new Error(`registry "${name}" would be plain HTTP on ${this.host}, which the tools only reach over TLS (a name, or an address that is not loopback or private): start it with "Given the registry "${name}" with TLS and credentials", or set SIGPROOF_REGISTRY_HOST to such an address`);
    let options: SecureOptions | undefined;
    if (secure) {
      const ca = secure === 'trusted' ? await registryCa() : await makeRegistryCa(this.scenario.path(`untrusted-ca-${name}`), 'a CA nobody trusts');
      options = { caCert: ca.cert, caKey: ca.key, caDir: ca.dir, credentials: newCredentials(name) };
    }
    const registry = await startRegistry(name, kind, this.scenario.dir, this.host, options);
    if (options) {
      const forget = registerSecureRegistry(registry.host, { caFile: (await registryCa()).cert, clientConfigDir: this.scenario.path('registry-logins') });
      this.scenario.teardown.push(`registry ${name} access`, async () => forget());
    }
    this.running.set(name, registry);
    this.scenario.teardown.push(`registry ${name}`, async (failed) => {
      await registry.stop();
      // The registry's own log explains most failed pushes and lookups.
      if (failed) this.scenario.attachLog(EVIDENCE.log(`registry ${name} (${kind})`), registry.daemon.logFile);
    });
    return registry;
  }

  get(name: string): Registry {
    const registry = this.running.get(name);
    if (!registry) {
      const known = [...this.running.keys()];
      throw new Error(`no registry "${name}" in this scenario (started: ${known.length ? known.join(', ') : 'none'}). Add: Given the registry "${name}"`);
    }
    return registry;
  }

  all(): Registry[] {
    return [...this.running.values()];
  }

  /** What a runtime is told about the scenario's registries with TLS and credentials (undefined: there are none). */
  async secureRegistries(): Promise<SecureRegistries | undefined> {
    const entries = this.withCredentials();
    return entries.length ? { caFile: (await registryCa()).cert, entries } : undefined;
  }

  /** The scenario's registries that ask for credentials, each with them: what a pull secret or auth file holds. */
  withCredentials(): { host: string; credentials: Credentials }[] {
    return this.all().flatMap((r) => (r.secure ? [{ host: r.host, credentials: this.wrongPasswords.get(r.name) ?? r.secure.credentials }] : []));
  }

  /** From now on the cluster and the runtimes are given a wrong password for the registry (its tools keep the right one). */
  giveWrongPassword(name: string): void {
    const registry = this.get(name);
    if (!registry.secure) throw new Error(`registry "${name}" asks for no credentials: start it with "Given the registry "${name}" with TLS and credentials"`);
    this.wrongPasswords.set(name, wrongPassword(registry.secure.credentials));
  }

  /** "ci/app:signed" -> its registry, and the reference the tools understand. */
  ref(text: string): ResolvedRef {
    const parsed = parseRef(text);
    const registry = this.get(parsed.registryName);
    const repository = `${registry.host}/${parsed.repo}`;
    const full = parsed.digest ? `${repository}@${parsed.digest}` : `${repository}:${parsed.tag}`;
    return { ...parsed, registry, full, repository };
  }

  /** The digest the registry serves for a tag, asked of the registry itself. */
  async digestOf(text: string): Promise<string> {
    const r = this.ref(text);
    if (r.digest) return r.digest;
    // The CA every tool is told to trust, not the registry's own: a registry of a CA nobody trusts is refused here too.
    const secure = r.registry.secure && { caCert: (await registryCa()).cert, credentials: r.registry.secure.credentials };
    return manifestDigest({ host: r.registry.host, secure }, r.repo, r.tag ?? 'latest');
  }

  async digestRef(text: string): Promise<string> {
    const r = this.ref(text);
    return `${r.repository}@${await this.digestOf(text)}`;
  }

  noteRepository(text: string): void {
    this.repositories.add(this.ref(text).repository);
  }

  /** Whether any image was pushed or copied: steps that need one say so. */
  hasRepositories(): boolean {
    return this.repositories.size > 0;
  }

  async pushTestImage(image: string, target: string): Promise<BuiltImage> {
    const r = this.ref(target);
    if (!r.tag) throw new Error(`push target "${target}" needs a tag, like ${r.registryName}/${r.repo}:signed`);
    const built = await testImage(image, r.tag);
    await orasCopy({ kind: 'layout', dir: built.layoutDir, tag: built.tag }, { kind: 'registry', reference: r.full }, { recursive: false });
    this.noteRepository(target);
    return built;
  }

  /**
   * Every registry of the scenario by its name ({{prod}} -> 127.0.0.1:port), and
   * every repository the scenario pushed to by registry and path ({{ci_app}} ->
   * 127.0.0.1:port/app), for runtime policy templates.
   */
  templateValues(): Record<string, string> {
    const values: Record<string, string> = {};
    for (const [name, r] of this.running) {
      values[name] = r.host;
      for (const repo of this.repositories) {
        if (repo.startsWith(`${r.host}/`)) values[`${name}_${repo.slice(r.host.length + 1).replace(/\W/g, '_')}`] = repo;
      }
    }
    return values;
  }
}
