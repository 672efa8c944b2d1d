// Verification policy templates under policies/<tool>/, rendered with the
// scenario's CAs and registries. Placeholders are {{name}} and are replaced by
// the JSON encoding of the value, which is valid in JSON and in YAML alike.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { join } from 'node:path';
import { POLICIES_DIR } from './paths.ts';

const TEMPLATE = /\.(json|yaml)$/;

export function listPolicies(tool: string): string[] {
  try {
    return readdirSync(join(POLICIES_DIR, tool)).filter((f) => TEMPLATE.test(f)).map((f) => f.replace(TEMPLATE, '')).sort();
  } catch {
    return [];
  }
}

/** Render policies/<tool>/<name>.(json|yaml); an unknown name lists the known ones. */
export function renderPolicy(tool: string, name: string, values: Record<string, unknown>): { file: string; text: string } {
  const known = listPolicies(tool);
  if (!known.includes(name)) throw new Error(`unknown ${tool} policy "${name}". Known policies (${join(POLICIES_DIR, tool)}): ${known.join(', ') || 'none'}`);
  const file = ['json', 'yaml'].map((ext) => join(POLICIES_DIR, tool, `${name}.${ext}`)).find((f) => existsSync(f)) as string;
  return { file, text: renderTemplate(file, readFileSync(file, 'utf8'), values) };
}

export function renderTemplate(file: string, template: string, values: Record<string, unknown>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z][\w]*)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`${file}: unknown placeholder {{${name}}}; available: ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}`);
    used.add(name);
    return JSON.stringify(values[name]);
  });
  if (file.endsWith('.yaml')) {
    const problems = parseAllDocuments(out).flatMap((d) => d.errors.map((e) => e.message));
    if (problems.length) throw new Error(`${file}: not valid YAML after rendering: ${problems[0]}`);
  } else {
    try {
      JSON.parse(out);
    } catch (err) {
      throw new Error(`${file}: not valid JSON after rendering: ${(err as Error).message}`);
    }
  }
  return out;
}

export interface NotationPolicyValues {
  trustStores: string[];
  registryScopes: string[];
  trustedIdentities: string[];
}

export function renderNotationTrustPolicy(name: string, values: NotationPolicyValues): string {
  return renderPolicy('notation', name, { ...values }).text;
}
