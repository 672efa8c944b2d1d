// Verification policy templates under policies/<tool>/, rendered with the
// scenario's CAs and registries. Placeholders are {{name}} and are replaced by
// the JSON encoding of the value, so a template stays valid JSON in shape.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { POLICIES_DIR } from './paths.ts';

export function listPolicies(tool: string): string[] {
  try {
    return readdirSync(join(POLICIES_DIR, tool)).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
  } catch {
    return [];
  }
}

export function renderTemplate(file: string, template: string, values: Record<string, unknown>): string {
  const used = new Set<string>();
  const out = template.replace(/\{\{\s*([A-Za-z][\w]*)\s*\}\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`${file}: unknown placeholder {{${name}}}; available: ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}`);
    used.add(name);
    return JSON.stringify(values[name]);
  });
  try {
    JSON.parse(out);
  } catch (err) {
    throw new Error(`${file}: not valid JSON after rendering: ${(err as Error).message}`);
  }
  return out;
}

export interface NotationPolicyValues {
  trustStores: string[];
  registryScopes: string[];
  trustedIdentities: string[];
}

export function renderNotationTrustPolicy(name: string, values: NotationPolicyValues): string {
  const known = listPolicies('notation');
  if (!known.includes(name)) throw new Error(`unknown notation trust policy "${name}". Known policies (${join(POLICIES_DIR, 'notation')}): ${known.join(', ')}`);
  const file = join(POLICIES_DIR, 'notation', `${name}.json`);
  return renderTemplate(file, readFileSync(file, 'utf8'), { ...values });
}
