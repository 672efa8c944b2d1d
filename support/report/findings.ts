// The proof of concept's claims (scenarios/claims.yaml) against this run: each
// claim's verdict stands only when every scenario behind it passed, with the
// reasons those scenarios asserted (the reasons of their observations).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { SCENARIOS_DIR } from '../lib/paths.ts';
import type { MatrixHeader } from './matrix-render.ts';
import { observationsOfScenario, type ScenarioRecord } from './messages.ts';
import { timeAndRevocationTable } from './time-table.ts';

const CLAIMS_FILE = join(SCENARIOS_DIR, 'claims.yaml');
const VERDICTS = ['confirmed', 'refuted', 'partly true'] as const;

interface Claim {
  id: string;
  section: string;
  claim: string;
  verdict?: (typeof VERDICTS)[number];
  summary?: string;
  scenarios: string[];
}

export function parseClaims(file: string, text: string): Claim[] {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (typeof doc !== 'object' || doc === null) throw new Error(`${file}: must map claim ids to claims`);
  return Object.entries(doc as Record<string, Record<string, unknown>>).map(([id, c]) => {
    const str = (k: string, required: boolean) => {
      const v = c?.[k];
      if (v === undefined && !required) return undefined;
      if (typeof v !== 'string' || !v) throw new Error(`${file}: claim "${id}": "${k}" must be a non-empty string`);
      return v;
    };
    const verdict = str('verdict', false);
    if (verdict !== undefined && !VERDICTS.includes(verdict as (typeof VERDICTS)[number])) throw new Error(`${file}: claim "${id}": verdict "${verdict}" is not one of ${VERDICTS.join(', ')}`);
    const scenarios = c?.scenarios ?? [];
    if (!Array.isArray(scenarios) || scenarios.some((s) => typeof s !== 'string')) throw new Error(`${file}: claim "${id}": "scenarios" must be a list of scenario names`);
    if (scenarios.length && !verdict) throw new Error(`${file}: claim "${id}" names scenarios but no verdict`);
    return { id, section: str('section', true) as string, claim: str('claim', true) as string, verdict: verdict as Claim['verdict'], summary: str('summary', false), scenarios: scenarios as string[] };
  });
}

export function loadClaims(file = CLAIMS_FILE): Claim[] {
  return parseClaims(file, readFileSync(file, 'utf8'));
}

/** A scenario pattern from the catalogue: <…> stands for an outline's value. */
export function scenarioMatcher(pattern: string): RegExp {
  const parts = pattern.split(/<[^>]+>/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.+')}`);
}

interface ScenarioRun {
  name: string;
  status: 'passed' | 'failed' | 'skipped';
  reasons: string[];
  /** What the scenario measured (the claim's evidence of a cost). */
  measurements: string[];
}

/** Every finished scenario, with the reasons its observations recorded. */
export function scenarioRuns(records: ScenarioRecord[]): ScenarioRun[] {
  return records.map((r) => ({
    name: r.name,
    status: r.verdict,
    reasons: observationsOfScenario(r).flatMap((o) => (o.kind !== 'measurement' && o.kind !== 'warning' && o.reason ? [o.reason] : [])),
    measurements: observationsOfScenario(r).flatMap((o) => (o.kind === 'measurement' ? [o.summary] : [])),
  }));
}

interface ClaimResult {
  claim: Claim;
  state: 'confirmed' | 'refuted' | 'partly true' | 'unchecked' | 'not confirmed in this run';
  scenarios: ScenarioRun[];
  why?: string;
}

export function judgeClaims(claims: Claim[], runs: ScenarioRun[]): ClaimResult[] {
  return claims.map((claim) => {
    if (!claim.scenarios.length || !claim.verdict) return { claim, state: 'unchecked', scenarios: [], why: 'no scenario checks this claim' };
    const matched = runs.filter((r) => claim.scenarios.some((p) => scenarioMatcher(p).test(r.name)));
    const missing = claim.scenarios.filter((p) => !runs.some((r) => scenarioMatcher(p).test(r.name)));
    const failed = matched.filter((r) => r.status === 'failed');
    const skipped = matched.filter((r) => r.status === 'skipped');
    if (!matched.length) return { claim, state: 'not confirmed in this run', scenarios: [], why: 'none of its scenarios ran' };
    if (failed.length) return { claim, state: 'not confirmed in this run', scenarios: matched, why: `failed: ${failed.map((f) => f.name).join('; ')}` };
    if (skipped.length || missing.length) return { claim, state: 'not confirmed in this run', scenarios: matched, why: `not run: ${[...skipped.map((s) => s.name), ...missing].join('; ')}` };
    return { claim, state: claim.verdict, scenarios: matched };
  });
}

const ICON: Record<ClaimResult['state'], string> = {
  confirmed: '✅ confirmed',
  refuted: '❌ refuted',
  'partly true': '⚖️ partly true',
  unchecked: '· unchecked',
  'not confirmed in this run': '❓ not confirmed in this run',
};

/** bundles: the trust bundles of the PKI catalogue (a rotation's window), for the time and revocation table. */
export function findingsMarkdown(claims: Claim[], records: ScenarioRecord[], h: MatrixHeader, bundles: ReadonlyMap<string, readonly string[]> = new Map()): string {
  const results = judgeClaims(claims, scenarioRuns(records));
  const lines = ["# Findings: the proof of concept's claims, checked", '', `Generated ${h.date} from this run (environment: ${h.environment}). A verdict stands only when every scenario behind the claim passed here; the quoted reasons are what those scenarios asserted against the real tools.`, ''];
  for (const r of results) {
    lines.push(`## ${ICON[r.state]}: ${r.claim.claim}`, '', `*${r.claim.section}* (\`${r.claim.id}\`)`, '');
    if (r.claim.summary && r.state !== 'unchecked') lines.push(r.claim.summary, '');
    if (r.why) lines.push(`Why not: ${r.why}.`, '');
    for (const s of r.scenarios) {
      const reasons = [...new Set(s.reasons)]
        .slice(0, 3)
        .map((x) => `"${x}"`)
        .join('; ');
      lines.push(`- ${s.status === 'passed' ? '✅' : s.status === 'failed' ? '❌' : '·'} [${s.name}](cucumber.html?query=${encodeURIComponent(s.name)})${reasons ? ` — observed: ${reasons}` : ''}`);
      for (const m of s.measurements) lines.push(`  - measured in this run: ${m}`);
    }
    lines.push('');
  }
  const time = timeAndRevocationTable(records, bundles);
  if (time) {
    lines.push(
      '## Time and revocation',
      '',
      'Each verifier against a leaf that expired after signing (with a timestamp from a TSA it trusts, from one it does not, without one), a leaf revoked after signing, a CRL nobody can reach, and a root rotation. Every cell is a verdict and the words the scenario asserted (`features/timestamps.feature`, `revocation.feature`, `rotation.feature`).',
      '',
      time,
    );
  }
  const versions = Object.entries(h.tools);
  if (versions.length) lines.push('## Tool versions', '', ...versions.map(([k, v]) => `- ${k}: ${v}`), '');
  return lines.join('\n');
}
