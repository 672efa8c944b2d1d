// The policy of sigproof's containerd image verifier: one rule per registry (or
// registry/repository prefix), and a default rule. Pure: parsed and matched
// here, carried out by plugin/containerd-verifier.ts.

/** How the verifying tool reaches a registry with TLS and credentials: the CA to trust, and a DOCKER_CONFIG directory. */
interface RegistryAccess {
  registryCaCert?: string;
  dockerConfig?: string;
}

export type VerifierRule =
  | { action: 'allow' }
  | { action: 'block' }
  // useSignedTimestamps: the trusted root holds a TSA, and cosign checks the leaf at the time of its timestamps.
  | ({ action: 'verify'; with: 'cosign'; cosign: string; trustedRoot: string; identity: string; useSignedTimestamps?: boolean } & RegistryAccess)
  | ({ action: 'verify'; with: 'notation'; notation: string; notationConfig: string } & RegistryAccess);

interface VerifierPolicy {
  registries: Record<string, VerifierRule>;
  default: VerifierRule;
}

const ACTIONS = ['allow', 'block', 'verify'] as const;
const VERIFIERS = ['cosign', 'notation'] as const;

function parseRule(file: string, where: string, value: unknown): VerifierRule {
  const problem = (what: string) => new Error(`${file}: ${where}: ${what}`);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw problem('must be an object like {"action": "allow"}');
  const rule = value as Record<string, unknown>;
  const action = ACTIONS.find((a) => a === rule.action);
  if (!action) throw problem(`unknown action ${JSON.stringify(rule.action)}; valid actions: ${ACTIONS.join(', ')}`);
  if (action === 'allow' || action === 'block') return { action };
  const str = (key: string): string => {
    const v = rule[key];
    if (typeof v !== 'string' || v === '') throw problem(`"verify" with ${String(rule.with)} needs "${key}" (a non-empty string)`);
    return v;
  };
  const optional = (key: keyof RegistryAccess): RegistryAccess => (rule[key] === undefined ? {} : { [key]: str(key) });
  const access = { ...optional('registryCaCert'), ...optional('dockerConfig') };
  if (rule.useSignedTimestamps !== undefined && typeof rule.useSignedTimestamps !== 'boolean') throw problem('"useSignedTimestamps" must be true or false');
  const timestamps = rule.useSignedTimestamps === true ? { useSignedTimestamps: true } : {};
  if (rule.with === 'cosign') return { action, with: 'cosign', cosign: str('cosign'), trustedRoot: str('trustedRoot'), identity: str('identity'), ...timestamps, ...access };
  if (rule.with === 'notation') return { action, with: 'notation', notation: str('notation'), notationConfig: str('notationConfig'), ...access };
  throw problem(`unknown verifier ${JSON.stringify(rule.with)}; valid: ${VERIFIERS.join(', ')}`);
}

/** Parse and check a policy; every problem names the file and where in it. */
export function parseVerifierPolicy(file: string, text: string): VerifierPolicy {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new Error(`${file}: must be an object with "registries" and "default"`);
  const { registries, default: dflt } = doc as { registries?: unknown; default?: unknown };
  if (dflt === undefined) throw new Error(`${file}: "default" is missing: say what happens to a registry no rule names`);
  if (typeof registries !== 'object' || registries === null || Array.isArray(registries)) throw new Error(`${file}: "registries" must be an object keyed by registry host[:port][/repository]`);
  const parsed: Record<string, VerifierRule> = {};
  for (const [scope, rule] of Object.entries(registries)) parsed[scope] = parseRule(file, `registries["${scope}"]`, rule);
  return { registries: parsed, default: parseRule(file, '"default"', dflt) };
}

/** The repository part of a reference: "host:port/app:signed" -> "host:port/app". */
export function repositoryOf(name: string): string {
  const noDigest = name.split('@')[0] as string;
  const lastSlash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > lastSlash ? noDigest.slice(0, colon) : noDigest;
}

/** The rule for an image: the longest scope that is its registry or a repository prefix of it. */
export function ruleFor(policy: VerifierPolicy, name: string): { rule: VerifierRule; scope: string | undefined } {
  const repo = repositoryOf(name);
  let best: string | undefined;
  for (const scope of Object.keys(policy.registries)) {
    const matches = repo === scope || repo.startsWith(`${scope}/`);
    if (matches && (best === undefined || scope.length > best.length)) best = scope;
  }
  return best === undefined ? { rule: policy.default, scope: undefined } : { rule: policy.registries[best] as VerifierRule, scope: best };
}

/**
 * The rendered policy with each "verify" rule of a registry with TLS given the CA and docker config its tool reaches
 * it with. Rules the user already gave them keep theirs.
 */
export function addRegistryAccess(text: string, hosts: readonly string[], access: Required<RegistryAccess>): string {
  if (!hosts.length) return text;
  const doc = JSON.parse(text) as { registries?: Record<string, Record<string, unknown>> };
  for (const [scope, rule] of Object.entries(doc.registries ?? {})) {
    if (rule.action === 'verify' && hosts.includes(scope.split('/')[0] as string)) Object.assign(rule, { ...access, ...rule });
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The rendered policy with every cosign "verify" rule checking RFC 3161 timestamps (the trusted root holds the TSA). */
export function withSignedTimestamps(text: string): string {
  const doc = JSON.parse(text) as { registries?: Record<string, Record<string, unknown>>; default?: Record<string, unknown> };
  for (const rule of [...Object.values(doc.registries ?? {}), ...(doc.default ? [doc.default] : [])]) {
    if (rule.action === 'verify' && rule.with === 'cosign') rule.useSignedTimestamps = true;
  }
  return `${JSON.stringify(doc, null, 2)}\n`;
}
