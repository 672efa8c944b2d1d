// Where the run's registries listen, and so the host part of every image
// reference. Loopback is right when the verifier runs on this machine (the
// embedded environment, the CLIs, the runtimes). A cluster elsewhere (existing,
// kind) must reach the registry on an address or name of this machine it can
// route to.
import { isIP } from 'node:net';

export const LOOPBACK = '127.0.0.1';

const HOSTNAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** An IPv4 address or a DNS name of this machine; the registries bind to it and the certificates of TLS ones name it. */
export function parseRegistryHost(value: string, source = 'SIGPROOF_REGISTRY_HOST'): string {
  const v = value.trim();
  if (isIP(v) === 4 || (isIP(v) === 0 && HOSTNAME.test(v))) return v;
  throw new Error(`${source}=${value} is neither an IPv4 address nor a DNS name. Give an address or name of this machine that the cluster can reach, such as the Docker bridge gateway (172.17.0.1), or leave it unset for ${LOOPBACK}`);
}

/**
 * Whether the tools speak plain HTTP to a registry on this host without being
 * told: only for a loopback or private address (go-containerregistry's rule,
 * which cosign, crane and Kyverno follow). Any other address or name needs a
 * registry with TLS.
 */
export function plainHttpReaches(host: string): boolean {
  if (isIP(host) !== 4) return false;
  const [a, b] = host.split('.').map(Number) as [number, number];
  return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
}

/** The address the run's registries bind to when nothing more specific applies. */
export function configuredRegistryHost(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.SIGPROOF_REGISTRY_HOST;
  return value === undefined || value === '' ? LOOPBACK : parseRegistryHost(value);
}
