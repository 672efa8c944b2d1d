// The run's verdicts and counts, for the test command's table and closing
// line, read from the message stream by the one reader. Pure functions.
import { ATTACHMENT } from './attachments.ts';
import { observationsOfScenario, readRun, type Verdict } from './messages.ts';
import type { ClaimObservation } from './observations.ts';

interface ScenarioResult {
  name: string;
  uri: string;
  verdict: Verdict;
  /** For skipped scenarios, why; for failed ones, the first error. */
  reason?: string;
  commands: number;
  durationMs: number;
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  /** Signing-algorithm claim results, from scenarios that passed (their verdicts were confirmed). */
  claims: ClaimObservation[];
  /** What the reader should know that failed nothing, by scenario. */
  warnings: { scenario: string; text: string }[];
  passed: number;
  failed: number;
  skipped: number;
  commands: number;
}

export function summarizeMessages(ndjson: string): RunSummary {
  const claims: ClaimObservation[] = [];
  const warnings: RunSummary['warnings'] = [];
  const finished: ScenarioResult[] = readRun(ndjson)
    .scenarios()
    .map((r) => {
      if (r.verdict === 'passed') claims.push(...observationsOfScenario(r).filter((o): o is ClaimObservation => o.kind === 'claim'));
      for (const o of observationsOfScenario(r)) if (o.kind === 'warning') warnings.push({ scenario: r.name, text: o.reason });
      return {
        name: r.name,
        uri: r.uri,
        verdict: r.verdict,
        reason: r.verdict === 'failed' ? r.firstError : r.verdict === 'skipped' ? (r.skipReason ?? `skipped without a stated reason (no "${ATTACHMENT.skipReason}" attachment)`) : undefined,
        commands: r.commands,
        durationMs: r.durationMs,
      };
    });
  return {
    scenarios: finished,
    claims,
    warnings,
    passed: finished.filter((s) => s.verdict === 'passed').length,
    failed: finished.filter((s) => s.verdict === 'failed').length,
    skipped: finished.filter((s) => s.verdict === 'skipped').length,
    commands: finished.reduce((n, s) => n + s.commands, 0),
  };
}

/** The closing line every test command ends with. */
export function closingLine(passed: number, failed: number, skipped: number): string {
  return `${passed} passed, ${failed} failed, ${skipped} skipped`;
}

/** node --test prints "# pass N" and "# fail N" (and skipped) in its summary. */
export function parseNodeTestCounts(output: string): { passed: number; failed: number; skipped: number } | undefined {
  const count = (label: string) => Number(new RegExp(`^[#ℹ] ${label} (\\d+)$`, 'm').exec(output)?.[1] ?? Number.NaN);
  const passed = count('pass');
  const failed = count('fail');
  if (Number.isNaN(passed) || Number.isNaN(failed)) return undefined;
  const skipped = count('skipped');
  return { passed, failed, skipped: Number.isNaN(skipped) ? 0 : skipped };
}

/** signer x algorithm -> verdict (reason), as a Markdown table. */
export function claimsTable(claims: ClaimObservation[], algorithmOrder: string[] = []): string {
  if (claims.length === 0) return '';
  const signers = [...new Set(claims.map((c) => c.signer))].sort();
  const rank = (a: string) => (algorithmOrder.includes(a) ? algorithmOrder.indexOf(a) : algorithmOrder.length);
  const algorithms = [...new Map(claims.map((c) => [c.algorithm, c.label])).entries()].sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));
  const cell = (signer: string, algorithm: string) => {
    const c = claims.find((x) => x.signer === signer && x.algorithm === algorithm);
    if (!c) return 'not run';
    return c.verdict === 'verified' ? 'verified' : `${c.verdict}: ${c.reason.replaceAll('|', '\\|')}`;
  };
  const lines = [`| algorithm | ${signers.join(' | ')} |`, `|---|${signers.map(() => '---').join('|')}|`];
  for (const [algorithm, label] of algorithms) lines.push(`| ${label} | ${signers.map((s) => cell(s, algorithm)).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
