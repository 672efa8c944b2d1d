// What each kind of verification policy must look like, checked after
// rendering, for the templates in policies/ and the user's own files alike. A
// problem names the file, the line where it can tell, and the reason.
import { LineCounter, parseAllDocuments } from 'yaml';
import { parseVerifierPolicy } from './verifier-policy.ts';

const POLICY_TOOLS = ['kyverno', 'crio', 'notation', 'containerd'] as const;

class PolicyFileError extends Error {}

/** "… at position 123" -> the line and column of that offset. */
function jsonProblem(file: string, text: string, err: Error): PolicyFileError {
  const pos = /position (\d+)/.exec(err.message);
  if (!pos) return new PolicyFileError(`${file}: not valid JSON: ${err.message}`);
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return new PolicyFileError(`${file}: line ${line}, column ${column}: not valid JSON: ${err.message.replace(/\s*\(line \d+ column \d+\)/, '')}`);
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw jsonProblem(file, text, err as Error);
  }
}

/** Line of the first occurrence of a key, for messages about structure. */
function lineOf(text: string, needle: string): string {
  const i = text.indexOf(needle);
  return i < 0 ? '' : `line ${text.slice(0, i).split('\n').length}: `;
}

const CRIO_REQUIREMENTS = ['insecureAcceptAnything', 'reject', 'signedBy', 'sigstoreSigned'];

function checkCrio(file: string, text: string): void {
  const doc = parseJson(file, text) as Record<string, unknown>;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new PolicyFileError(`${file}: a policy.json must be an object with "default" and "transports"`);
  if (!Array.isArray(doc.default) || !doc.default.length) throw new PolicyFileError(`${file}: "default" must be a non-empty list of requirements (containers-policy.json(5))`);
  const check = (where: string, list: unknown) => {
    if (!Array.isArray(list) || !list.length) throw new PolicyFileError(`${file}: ${lineOf(text, `"${where.split('.').pop()}"`)}${where} must be a non-empty list of requirements`);
    for (const r of list as Record<string, unknown>[]) {
      if (!CRIO_REQUIREMENTS.includes(String(r?.type))) throw new PolicyFileError(`${file}: ${lineOf(text, `"${String(r?.type)}"`)}${where}: requirement type ${JSON.stringify(r?.type)} is not one of ${CRIO_REQUIREMENTS.join(', ')}`);
    }
  };
  check('default', doc.default);
  const transports = (doc.transports ?? {}) as Record<string, Record<string, unknown>>;
  if (typeof transports !== 'object' || Array.isArray(transports)) throw new PolicyFileError(`${file}: "transports" must map transport names to scopes`);
  for (const [t, scopes] of Object.entries(transports)) {
    for (const [scope, list] of Object.entries(scopes ?? {})) check(`transports.${t}.${scope}`, list);
  }
}

function checkNotation(file: string, text: string): void {
  const doc = parseJson(file, text) as { version?: unknown; trustPolicies?: unknown };
  if (doc?.version !== '1.0') throw new PolicyFileError(`${file}: ${lineOf(text, '"version"')}a notation trust policy needs "version": "1.0"`);
  if (!Array.isArray(doc.trustPolicies) || !doc.trustPolicies.length) throw new PolicyFileError(`${file}: "trustPolicies" must be a non-empty list`);
  for (const p of doc.trustPolicies as Record<string, unknown>[]) {
    for (const k of ['name', 'registryScopes', 'signatureVerification', 'trustStores', 'trustedIdentities']) {
      if (p?.[k] === undefined) throw new PolicyFileError(`${file}: ${lineOf(text, `"${String(p?.name)}"`)}trust policy ${JSON.stringify(p?.name ?? '(unnamed)')} lacks "${k}"`);
    }
  }
}

const KYVERNO_KINDS = ['ClusterPolicy', 'Policy', 'ImageValidatingPolicy'];

function checkKyverno(file: string, text: string): void {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter });
  for (const d of docs) {
    const e = d.errors[0];
    if (e) {
      const pos = lineCounter.linePos(e.pos[0]);
      throw new PolicyFileError(`${file}: line ${pos.line}, column ${pos.col}: not valid YAML: ${e.message.split('\n')[0]}`);
    }
  }
  const objects = docs.map((d) => d.toJS() as Record<string, unknown> | null).filter((o): o is Record<string, unknown> => !!o);
  if (!objects.length) throw new PolicyFileError(`${file}: holds no Kyverno policy`);
  for (const o of objects) {
    const kind = String(o.kind);
    const api = String(o.apiVersion);
    if (!/^(kyverno\.io|policies\.kyverno\.io)\//.test(api)) throw new PolicyFileError(`${file}: ${lineOf(text, 'apiVersion')}apiVersion ${JSON.stringify(o.apiVersion)} is not a Kyverno API (kyverno.io/v1, policies.kyverno.io/v1…)`);
    if (!KYVERNO_KINDS.includes(kind)) throw new PolicyFileError(`${file}: ${lineOf(text, 'kind:')}kind ${JSON.stringify(o.kind)} is not one of ${KYVERNO_KINDS.join(', ')}`);
    const name = (o.metadata as Record<string, unknown> | undefined)?.name;
    if (typeof name !== 'string' || !name) throw new PolicyFileError(`${file}: ${lineOf(text, 'metadata:')}metadata.name is missing (use {{name}}: sigproof names it per scenario)`);
    if (!o.spec || typeof o.spec !== 'object') throw new PolicyFileError(`${file}: ${kind} ${name} has no spec`);
  }
}

/** Check a rendered policy for the kind of file it claims to be. */
export function checkPolicyFile(tool: string, file: string, text: string): void {
  switch (tool) {
    case 'kyverno':
      checkKyverno(file, text);
      return;
    case 'crio':
      checkCrio(file, text);
      return;
    case 'notation':
      checkNotation(file, text);
      return;
    case 'containerd':
      try {
        parseVerifierPolicy(file, text);
      } catch (err) {
        const m = /position (\d+)/.exec((err as Error).message);
        throw m ? jsonProblem(file, text, new Error((err as Error).message.replace(`${file}: not valid JSON: `, ''))) : new PolicyFileError((err as Error).message);
      }
      return;
    default:
      throw new PolicyFileError(`no checks for ${tool} policies; known kinds: ${POLICY_TOOLS.join(', ')}`);
  }
}

/** The objects a rendered Kyverno file creates, for readiness and clean-up. */
export function kyvernoObjects(text: string): { kind: string; name: string }[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null)
    .filter((o) => o?.kind && o.metadata?.name)
    .map((o) => ({ kind: String(o?.kind), name: String(o?.metadata?.name) }));
}
