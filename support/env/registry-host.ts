// Where the run's registries listen, and so the host part of every image
// reference. Loopback is right when the verifier runs on this machine (the
// embedded environment, the CLIs, the runtimes). A cluster elsewhere (existing,
// kind) must reach the registry on an address of this machine it can route to.
import { isIP } from 'node:net';

export const LOOPBACK = '127.0.0.1';

/**
 * The tools speak plain HTTP to a registry without being told only when its
 * address is loopback or private (go-containerregistry's rule, which cosign and
 * crane follow), so only such addresses are accepted.
 */
export function parseRegistryHost(value: string, source = 'SIGPROOF_REGISTRY_HOST'): string {
  const v = value.trim();
  if (isIP(v) !== 4) throw new Error(`${source}=${value} is not an IPv4 address. Give an address of this machine that the cluster can reach, such as the Docker bridge gateway (172.17.0.1), or leave it unset for ${LOOPBACK}`);
  const [a, b] = v.split('.').map(Number) as [number, number];
  const isPrivate = a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) throw new Error(`${source}=${value} is not a loopback or private (RFC 1918) address; cosign and crane only speak plain HTTP to those, and the run's registries are plain HTTP`);
  return v;
}

/** The address the run's registries bind to when nothing more specific applies. */
export function configuredRegistryHost(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.SIGPROOF_REGISTRY_HOST;
  return value === undefined || value === '' ? LOOPBACK : parseRegistryHost(value);
}
