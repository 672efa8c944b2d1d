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
  storageDir: string;
  daemon: Daemon;
  stop(): Promise<void>;
}

export function parseRegistryKind(text: string): RegistryKind {
  const kind = REGISTRY_KINDS.find((k) => k === text);
  if (!kind) throw new Error(`unknown registry kind "${text}". Known kinds: ${REGISTRY_KINDS.map((k) => `${k} (${REGISTRY_KIND_DESCRIPTIONS[k]})`).join(', ')}`);
  return kind;
}

function launch(kind: RegistryKind, name: string, address: string, dir: string): Daemon {
  const storageDir = join(dir, 'storage');
  mkdirSync(storageDir, { recursive: true });
  if (kind === 'crane') {
    return startDaemon(`registry-${name}`, tool('crane'), ['registry', 'serve', '--address', address, '--disk', storageDir], { logDir: dir });
  }
  if (kind === 'ggcr') {
    return startDaemon(`registry-${name}`, tool('ggcr-registry'), ['-address', address, '-disk', storageDir], { logDir: dir });
  }
  const config = join(dir, 'config.yml');
  writeFileSync(config, ['version: 0.1', 'log: {level: warn, accesslog: {disabled: true}}', `storage: {filesystem: {rootdirectory: ${JSON.stringify(storageDir)}}, delete: {enabled: true}}`, `http: {addr: "${address}"}`, ''].join('\n'));
  return startDaemon(`registry-${name}`, tool('docker-registry'), ['serve', config], { logDir: dir });
}

async function answersV2(host: string): Promise<boolean> {
  const res = await fetch(`http://${host}/v2/`, { signal: AbortSignal.timeout(2_000) });
  return res.status === 200;
}

/** bindHost: see registry-host.ts; loopback unless a cluster elsewhere must reach it. */
export async function startRegistry(name: string, kind: RegistryKind, baseDir: string, bindHost = LOOPBACK): Promise<Registry> {
  const dir = join(baseDir, `registry-${name}`);
  mkdirSync(dir, { recursive: true });
  let lastError: unknown;
  // The free port can be taken between asking and binding; try again with another.
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const port = await freePort();
    const host = `${bindHost}:${port}`;
    const daemon = launch(kind, name, host, dir);
    let exitedEarly = false;
    void daemon.exited.then(() => {
      exitedEarly = true;
    });
    try {
      await eventually(
        async () => {
          if (exitedEarly) throw new Error(`registry process exited: ${readFileSync(daemon.logFile, 'utf8').trim().slice(-500)}`);
          return answersV2(host);
        },
        { timeoutMs: READY_TIMEOUT_MS, what: `registry "${name}" (${kind}) to answer on http://${host}/v2/` },
      );
      return { name, kind, host, storageDir: join(dir, 'storage'), daemon, stop: () => daemon.stop() };
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

/** How a registry holds what refers to a manifest, asked of the registry itself over HTTP. */
export async function signatureStorage(registry: Registry, repo: string, digest: string): Promise<SignatureStorage> {
  const base = `http://${registry.host}/v2/${repo}`;
  const signal = () => AbortSignal.timeout(10_000);
  const descriptors = async (res: Response) => ((await res.json()) as { manifests?: { artifactType?: string; digest: string }[] }).manifests ?? [];
  const artifactTypes = async (res: Response) => (await descriptors(res)).map((m) => m.artifactType ?? '');
  const manifestArtifactType = async (d: string) => {
    const m = (await (await fetch(`${base}/manifests/${d}`, { headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' }, signal: signal() })).json()) as { artifactType?: string; config?: { mediaType?: string } };
    return m.artifactType ?? m.config?.mediaType ?? '';
  };
  const api = await fetch(`${base}/referrers/${digest}`, { signal: signal() });
  const listed = api.status === 200 ? await descriptors(api) : undefined;
  const fallback = await fetch(`${base}/manifests/${digest.replace(':', '-')}`, { headers: { Accept: 'application/vnd.oci.image.index.v1+json' }, signal: signal() });
  const sig = await fetch(`${base}/manifests/${digest.replace(':', '-')}.sig`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json' },
    signal: signal(),
  });
  return {
    referrersApi: listed ? await Promise.all(listed.map((m) => manifestArtifactType(m.digest))) : undefined,
    referrersApiReported: listed?.map((m) => m.artifactType ?? ''),
    fallbackTag: fallback.status === 200 ? await artifactTypes(fallback) : undefined,
    cosignSigTag: sig.status === 200,
  };
}
