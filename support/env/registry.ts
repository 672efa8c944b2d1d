// Real OCI registries as processes on free loopback ports, each with its own
// storage directory. The kinds differ in how they store signatures:
//   distribution: Debian's docker-registry 2.8, no referrers API (tag fallback)
//   ggcr:         go-containerregistry's registry with its OCI 1.1 referrers API on
//   crane:        `crane registry serve`: the same registry code, but v0.22.1 leaves
//                 the referrers API off, so it behaves like distribution here
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startDaemon, type Daemon } from '../lib/cleanup.ts';
import { eventually, freePort } from '../lib/eventually.ts';
import { tool } from '../../toolchain/tool-paths.ts';
import { LOOPBACK } from './registry-host.ts';
import { type Credentials, issueServerCertificate, writeHtpasswd } from './registry-tls.ts';
import { type RegistryResponse, registryRequest } from './registry-request.ts';

const REGISTRY_KINDS = ['distribution', 'ggcr', 'crane'] as const;
export type RegistryKind = (typeof REGISTRY_KINDS)[number];

/** The kind a scenario gets when it names none: the common case in the field (no referrers API). */
export const DEFAULT_REGISTRY_KIND: RegistryKind = 'distribution';

const REGISTRY_KIND_DESCRIPTIONS: Record<RegistryKind, string> = {
  distribution: 'Debian docker-registry 2.8 (no referrers API: tag fallback)',
  ggcr: 'go-containerregistry registry with the OCI 1.1 referrers API',
  crane: 'crane registry serve (v0.22.1: referrers API off, tag fallback)',
};

const READY_TIMEOUT_MS = 20_000;
const START_ATTEMPTS = 3;

export interface Registry {
  name: string;
  kind: RegistryKind;
  /** host:port, what goes in front of a repository name. */
  host: string;
  /** A production-shaped registry: TLS with a certificate from caCert, and basic-auth credentials. */
  secure?: SecureOptions;
  storageDir: string;
  daemon: Daemon;
  stop(): Promise<void>;
}

export function parseRegistryKind(text: string): RegistryKind {
  const kind = REGISTRY_KINDS.find((k) => k === text);
  if (!kind) throw new Error(`unknown registry kind "${text}". Known kinds: ${REGISTRY_KINDS.map((k) => `${k} (${REGISTRY_KIND_DESCRIPTIONS[k]})`).join(', ')}`);
  return kind;
}

/** TLS and credentials; distribution is the kind that serves both (htpasswd auth, http.tls). */
export interface SecureOptions {
  /** The CA that issued the registry's certificate. */
  caCert: string;
  caKey: string;
  caDir: string;
  credentials: Credentials;
}

function launch(kind: RegistryKind, name: string, address: string, dir: string, tls?: { cert: string; key: string; htpasswd: string }): Daemon {
  const storageDir = join(dir, 'storage');
  mkdirSync(storageDir, { recursive: true });
  if (kind === 'crane') {
    return startDaemon(`registry-${name}`, tool('crane'), ['registry', 'serve', '--address', address, '--disk', storageDir], { logDir: dir });
  }
  if (kind === 'ggcr') {
    return startDaemon(`registry-${name}`, tool('ggcr-registry'), ['-address', address, '-disk', storageDir], { logDir: dir });
  }
  const config = join(dir, 'config.yml');
  const http = tls ? `http: {addr: "${address}", tls: {certificate: ${JSON.stringify(tls.cert)}, key: ${JSON.stringify(tls.key)}}}` : `http: {addr: "${address}"}`;
  const auth = tls ? [`auth: {htpasswd: {realm: "sigproof ${name}", path: ${JSON.stringify(tls.htpasswd)}}}`] : [];
  writeFileSync(config, ['version: 0.1', 'log: {level: warn, accesslog: {disabled: true}}', `storage: {filesystem: {rootdirectory: ${JSON.stringify(storageDir)}}, delete: {enabled: true}}`, http, ...auth, ''].join('\n'));
  return startDaemon(`registry-${name}`, tool('docker-registry'), ['serve', config], { logDir: dir });
}

/** Up: a plain registry answers 200; one with credentials asks for them (401) over TLS its CA vouches for. */
async function answersV2(host: string, secure: SecureOptions | undefined): Promise<boolean> {
  if (!secure) return (await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) })).status === 200;
  return (await registryRequest({ host, secure }, '/v2/', { anonymous: true })).status === 401;
}

/** bindHost: see registry-host.ts; loopback unless a cluster elsewhere must reach it. */
export async function startRegistry(name: string, kind: RegistryKind, baseDir: string, bindHost = LOOPBACK, secure?: SecureOptions): Promise<Registry> {
  if (secure && kind !== 'distribution') throw new Error(`registry "${name}": TLS and credentials need the kind distribution (htpasswd auth and http.tls); ${kind} serves neither`);
  const dir = join(baseDir, `registry-${name}`);
  mkdirSync(dir, { recursive: true });
  let tls: { cert: string; key: string; htpasswd: string } | undefined;
  if (secure) {
    const htpasswd = join(dir, 'htpasswd');
    await writeHtpasswd(htpasswd, secure.credentials);
    tls = { ...(await issueServerCertificate({ dir: secure.caDir, cert: secure.caCert, key: secure.caKey }, bindHost, join(dir, 'tls'))), htpasswd };
  }
  let lastError: unknown;
  // The free port can be taken between asking and binding; try again with another.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const host = `${bindHost}:${port}`;
    const daemon = launch(kind, name, host, dir, tls);
    let exitedEarly = false;
    void daemon.exited.then(() => {
      exitedEarly = true;
    });
    try {
      await eventually(
        async () => {
          if (exitedEarly) throw new Error(`registry process exited: ${readFileSync(daemon.logFile, 'utf8').trim().slice(-500)}`);
          return answersV2(host, secure);
        },
        { timeoutMs: READY_TIMEOUT_MS, what: `registry "${name}" (${kind}) to answer on ${secure ? 'https' : 'http'}://${host}/v2/` },
      );
      return { name, kind, host, secure, storageDir: join(dir, 'storage'), daemon, stop: () => daemon.stop() };
    } catch (err) {
      lastError = err;
      await daemon.stop();
    }
  }
  throw new Error(`could not start registry "${name}" (${kind}): ${(lastError as Error).message}`);
}

export interface SignatureStorage {
  /**
   * Artifact types of the manifests the registry's referrers API lists, read
   * from the manifests themselves, or undefined when it has no such API (404).
   */
  referrersApi: string[] | undefined;
  /** The artifact types the referrers API itself reports (ggcr reports the config media type). */
  referrersApiReported: string[] | undefined;
  /** Artifact types in the referrers tag schema's fallback index (sha256-<hex>), or undefined when there is none. */
  fallbackTag: string[] | undefined;
  /** Whether cosign's legacy signature tag (sha256-<hex>.sig) exists. */
  cosignSigTag: boolean;
}

/** How a registry holds what refers to a manifest, asked of the registry itself over HTTP(S). */
export async function signatureStorage(registry: Registry, repo: string, digest: string): Promise<SignatureStorage> {
  const base = `/v2/${repo}`;
  const get = (path: string, accept?: string, method: 'GET' | 'HEAD' = 'GET') => registryRequest(registry, `${base}${path}`, { accept, method });
  const descriptors = (res: RegistryResponse) => (JSON.parse(res.body) as { manifests?: { artifactType?: string; digest: string }[] }).manifests ?? [];
  const artifactTypes = (res: RegistryResponse) => descriptors(res).map((m) => m.artifactType ?? '');
  const manifestArtifactType = async (d: string) => {
    const m = JSON.parse((await get(`/manifests/${d}`, 'application/vnd.oci.image.manifest.v1+json')).body) as { artifactType?: string; config?: { mediaType?: string } };
    return m.artifactType ?? m.config?.mediaType ?? '';
  };
  const api = await get(`/referrers/${digest}`);
  const listed = api.status === 200 ? descriptors(api) : undefined;
  const fallback = await get(`/manifests/${digest.replace(':', '-')}`, 'application/vnd.oci.image.index.v1+json');
  const sig = await get(`/manifests/${digest.replace(':', '-')}.sig`, 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json', 'HEAD');
  return {
    referrersApi: listed ? await Promise.all(listed.map((m) => manifestArtifactType(m.digest))) : undefined,
    referrersApiReported: listed?.map((m) => m.artifactType ?? ''),
    fallbackTag: fallback.status === 200 ? artifactTypes(fallback) : undefined,
    cosignSigTag: sig.status === 200,
  };
}
