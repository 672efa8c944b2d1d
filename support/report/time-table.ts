// The "time and revocation" table of findings.md: each verifier against a leaf
// that expired (with a timestamp from a TSA it trusts, from one it does not,
// without one), a leaf revoked after signing, a CRL nobody can reach, and a
// root rotation (the window in which both roots are trusted, and after it).
// Built from the verdicts the scenarios recorded (who signed, what the verifier
// trusted), from passed scenarios only, so each reason was asserted.
import type { ScenarioRecord } from './messages.ts';
import { observationsOfScenario } from './messages.ts';
import type { VerdictObservation } from './observations.ts';

const CONDITIONS = [
  'expired, timestamp from a TSA it trusts',
  'expired, timestamp from a TSA it does not trust (or none trusted)',
  'expired, timestamp of another signature',
  'expired, no timestamp',
  'revoked after signing',
  'CRL unreachable',
  'root rotation window (roots A and B trusted)',
  'root rotated away (only B trusted)',
] as const;
type Condition = (typeof CONDITIONS)[number];

/** Which condition of the table a verdict is about, if any; bundles: trust bundles by name, with their members. */
export function timeCondition(o: VerdictObservation, bundles: ReadonlyMap<string, readonly string[]>): Condition | undefined {
  const s = o.flow.signer;
  const profile = s.profile ?? '';
  if (s.variants.includes('leaf revoked after signing')) return 'revoked after signing';
  if (/crl-unreachable/.test(profile)) return 'CRL unreachable';
  if (/short-lived/.test(profile)) {
    if (!s.tool.endsWith('(RFC 3161 timestamp)')) return 'expired, no timestamp';
    if (s.variants.includes('timestamp of another signature')) return 'expired, timestamp of another signature';
    return o.trust?.tsa === 'sigproof-tsa' ? 'expired, timestamp from a TSA it trusts' : 'expired, timestamp from a TSA it does not trust (or none trusted)';
  }
  const trusted = o.trust?.profiles ?? [];
  // A rotation: a signature with nothing wrong with it, under a root that a trust bundle names, or that has been rotated away.
  const rotated = [...bundles.values()].some((members) => members.includes(profile));
  if (!rotated || s.variants.length) return undefined;
  if (trusted.some((t) => bundles.get(t)?.includes(profile))) return 'root rotation window (roots A and B trusted)';
  if (trusted.length && !trusted.includes(profile)) return 'root rotated away (only B trusted)';
  return undefined;
}

// The signer in front: one verifier column (Kyverno Pod) holds its cosign and its Notary attestor.
const cell = (o: VerdictObservation) => `${o.flow.signer.tool.replace(' (RFC 3161 timestamp)', '')}: ${o.verdict}${o.reason ? ` ("${o.reason.replaceAll('|', '\\|')}")` : ''}`;

/** The table as Markdown, or nothing when no scenario of the run is about time or revocation. */
export function timeAndRevocationTable(records: ScenarioRecord[], bundles: ReadonlyMap<string, readonly string[]>): string {
  const cells = new Map<string, Map<Condition, Set<string>>>();
  for (const r of records.filter((x) => x.verdict === 'passed')) {
    for (const o of observationsOfScenario(r)) {
      if (o.kind !== 'verdict') continue;
      const condition = timeCondition(o, bundles);
      if (!condition) continue;
      const row = cells.get(o.verifier) ?? new Map<Condition, Set<string>>();
      row.set(condition, (row.get(condition) ?? new Set()).add(cell(o)));
      cells.set(o.verifier, row);
    }
  }
  if (!cells.size) return '';
  const lines = [`| verifier | ${CONDITIONS.join(' | ')} |`, `|---|${CONDITIONS.map(() => '---').join('|')}|`];
  for (const [verifier, row] of [...cells].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| ${verifier} | ${CONDITIONS.map((c) => [...(row.get(c) ?? ['not run'])].join('<br>')).join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
