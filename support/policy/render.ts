// Verification policy templates under policies/<tool>/, rendered with the
// scenario's CAs and registries. Placeholders are {{name}} and are replaced by
// the JSON encoding of the value, which is valid in JSON and in YAML alike.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { LineCounter, parseAllDocuments } from 'yaml';
import { isAbsolute, join, resolve } from 'node:path';
import { POLICIES_DIR, REPO_ROOT } from '../lib/paths.ts';
import { checkPolicyFile } from './kinds.ts';

const TEMPLATE = /\.(json|yaml)$/;

export function listPolicies(tool: string): string[] {
  try {
    return readdirSync(join(POLICIES_DIR, tool))
      .filter((f) => TEMPLATE.test(f))
      .map((f) => f.replace(TEMPLATE, ''))
      .sort();
  } catch {
    return [];
  }
}

/** A policy named by path (the user's own file) rather than by template name. */
export function isPolicyPath(name: string): boolean {
  return name.includes('/') || /\.(json|ya?ml)$/.test(name);
}

/**
 * Render policies/<tool>/<name>.(json|yaml), or the user's own file when name is
 * a path (relative to the repository), with the same placeholders; then check
 * it is the kind of file the tool takes. An unknown name lists the known ones.
 */
export function renderPolicy(tool: string, name: string, values: Record<string, unknown>): { file: string; text: string } {
  let file: string;
  if (isPolicyPath(name)) {
    file = isAbsolute(name) ? name : resolve(REPO_ROOT, name);
    if (!existsSync(file)) throw new Error(`${name}: no such policy file`);
  } else {
    const known = listPolicies(tool);
    if (!known.includes(name)) throw new Error(`unknown ${tool} policy "${name}". Known policies (${join(POLICIES_DIR, tool)}): ${known.join(', ') || 'none'}; or give the path of your own file`);
    file = ['json', 'yaml'].map((ext) => join(POLICIES_DIR, tool, `${name}.${ext}`)).find((f) => existsSync(f)) as string;
  }
  const text = renderTemplate(file, readFileSync(file, 'utf8'), values);
  checkPolicyFile(tool, file, text);
  return { file, text };
}

export function renderTemplate(file: string, template: string, values: Record<string, unknown>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z][\w]*)\s*\}\}/g, (_, name: string) => {
    if (!(name in values))
      throw new Error(
        `${file}: unknown placeholder {{${name}}}; available: ${Object.keys(values)
          .map((k) => `{{${k}}}`)
          .join(', ')}`,
      );
    used.add(name);
    return JSON.stringify(values[name]);
  });
  if (/\.ya?ml$/.test(file)) {
    const lineCounter = new LineCounter();
    const problems = parseAllDocuments(out, { lineCounter }).flatMap((d) => d.errors);
    const first = problems[0];
    if (first) throw new Error(`${file}: line ${lineCounter.linePos(first.pos[0]).line}: not valid YAML after rendering: ${first.message.split('\n')[0]}`);
  } else {
    try {
      JSON.parse(out);
    } catch (err) {
      const pos = /position (\d+)/.exec((err as Error).message);
      const line = pos ? `line ${out.slice(0, Number(pos[1])).split('\n').length}: ` : '';
      throw new Error(`${file}: ${line}not valid JSON after rendering: ${(err as Error).message}`);
    }
  }
  return out;
}

interface NotationPolicyValues {
  trustStores: string[];
  registryScopes: string[];
  trustedIdentities: string[];
}

export function renderNotationTrustPolicy(name: string, values: NotationPolicyValues): string {
  return renderPolicy('notation', name, { ...values }).text;
}
