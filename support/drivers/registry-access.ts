// How the run's tools reach a registry that serves TLS and asks for
// credentials, keyed by its host:port while the scenario that started it runs:
// the CA file every tool is told to trust (the run's registry CA, whichever CA
// really issued the registry's certificate), and the directory where each
// tool's login writes its credentials. Drivers look references up here, so a
// plain registry keeps its plain-HTTP flags and a secure one gets its CA.
const secureHosts = new Map<string, RegistryAccess>();

interface RegistryAccess {
  /** The CA the tools trust for the run's registries. */
  caFile: string;
  /** The scenario's directory of client configs: <dir>/<tool>/config.json, written by that tool's login. */
  clientConfigDir: string;
}

/** Returns what forgets it again (at the scenario's teardown). */
export function registerSecureRegistry(host: string, access: RegistryAccess): () => void {
  secureHosts.set(host, access);
  return () => secureHosts.delete(host);
}

/** The access of the registry a reference (host:port/repo…) or host names, when it is a secure one. */
export function secureAccess(referenceOrHost: string): RegistryAccess | undefined {
  return secureHosts.get(referenceOrHost.split('/')[0] as string);
}

/** oras's flags for one registry reference: plain HTTP, or the run's CA and the login file oras wrote. */
export function orasRemoteFlags(reference: string, prefix = ''): string[] {
  const access = secureAccess(reference);
  if (!access) return [`--${prefix}plain-http`];
  return [`--${prefix}ca-file`, access.caFile, `--${prefix}registry-config`, orasConfigFile(access)];
}

/** Where `oras login` writes the scenario's credentials (oras's --registry-config). */
export function orasConfigFile(access: RegistryAccess): string {
  return `${access.clientConfigDir}/oras/config.json`;
}
