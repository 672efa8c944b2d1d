// One HTTP(S) request to a run's registry, as sigproof itself asks it things
// (is it up, how does it store signatures): over TLS with the registry's CA and
// its basic-auth credentials when it has them. node's fetch takes no CA of its own.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface RegistryResponse {
  status: number;
  body: string;
  /** The body as sent: a manifest's digest is the sha256 of these bytes. */
  raw: Buffer;
  headers: import('node:http').IncomingHttpHeaders;
}

interface Target {
  host: string;
  secure?: { caCert: string; credentials: { username: string; password: string } };
}

export function registryRequest(registry: Target, path: string, opts: { accept?: string; method?: 'GET' | 'HEAD'; anonymous?: boolean } = {}): Promise<RegistryResponse> {
  const [hostname, port] = splitHost(registry.host);
  const headers: Record<string, string> = opts.accept ? { Accept: opts.accept } : {};
  const secure = registry.secure;
  if (secure && !opts.anonymous) headers.Authorization = `Basic ${Buffer.from(`${secure.credentials.username}:${secure.credentials.password}`).toString('base64')}`;
  const options = { hostname, port, path, method: opts.method ?? 'GET', headers, timeout: 10_000 };
  return new Promise((resolve, reject) => {
    const done = (res: import('node:http').IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, body: raw.toString('utf8'), raw, headers: res.headers });
      });
      res.on('error', reject);
    };
    const req = secure ? httpsRequest({ ...options, ca: readFileSync(secure.caCert) }, done) : httpRequest(options, done);
    req.on('timeout', () => req.destroy(new Error(`${registry.host}${path}: no answer in 10 s`)));
    req.on('error', reject);
    req.end();
  });
}

/** Every manifest kind the run's images and signatures use: the registry answers with the one it has. */
const MANIFEST_TYPES = ['application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json', 'application/vnd.docker.distribution.manifest.v2+json'].join(', ');

/**
 * The digest a registry serves for a tag: what the steps sign and verify by.
 * Plumbing, so asked in-process instead of through a tool: the registry's
 * Docker-Content-Digest, or the sha256 of the manifest bytes it sent.
 */
export async function manifestDigest(registry: Target, repo: string, tag: string): Promise<string> {
  const res = await registryRequest(registry, `/v2/${repo}/manifests/${tag}`, { accept: MANIFEST_TYPES });
  if (res.status !== 200) throw new Error(`could not resolve ${registry.host}/${repo}:${tag} to a digest: the registry answered HTTP ${res.status}: ${res.body.trim().slice(0, 300)}`);
  const header = res.headers['docker-content-digest'];
  return typeof header === 'string' && header.startsWith('sha256:') ? header : `sha256:${createHash('sha256').update(res.raw).digest('hex')}`;
}

function splitHost(host: string): [string, number] {
  const i = host.lastIndexOf(':');
  return [host.slice(0, i), Number(host.slice(i + 1))];
}
