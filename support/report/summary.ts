// Reads cucumber's message stream (reports/messages.ndjson) into per-scenario
// verdicts and counts. Pure functions: the test command and the unit tests use them.

import { scenarioRecords, type Verdict } from './messages.ts';

export type { Verdict } from './messages.ts';

export interface ScenarioResult {
  name: string;
  uri: string;
  verdict: Verdict;
  /** For skipped scenarios, why; for failed ones, the first error. */
  reason?: string;
  commands: number;
  durationMs: number;
}

export interface ClaimRow {
  signer: string;
  algorithm: string;
  label: string;
  verdict: string;
  reason: string;
}

export interface RunSummary {
  scenarios: ScenarioResult[];
  /** Signing-algorithm claim results, from scenarios that passed (their verdicts were confirmed). */
  claims: ClaimRow[];
  passed: number;
  failed: number;
  skipped: number;
  commands: number;
}

export const SKIP_REASON_FILE = 'skip reason';
export const COMMAND_FILE_PREFIX = 'command ';
/** Attachments with this name hold one signing-algorithm claim result (JSON). */
export const CLAIM_FILE = 'claim result';
/** Attachments with this name record a tool a scenario replaced (JSON: bin, path, version). */
export const TOOL_OVERRIDE_FILE = 'tool override';

export function summarizeMessages(ndjson: string): RunSummary {
  const claims: ClaimRow[] = [];
  const finished: ScenarioResult[] = scenarioRecords(ndjson).map((r) => {
    const attachment = (name: string) => r.attachments.find((x) => x.fileName === name)?.body;
    const claim = attachment(CLAIM_FILE);
    if (claim && r.verdict === 'passed') claims.push(JSON.parse(claim) as ClaimRow);
    return {
      name: r.name,
      uri: r.uri,
      verdict: r.verdict,
      reason: r.verdict === 'failed' ? r.firstError : r.verdict === 'skipped' ? (attachment(SKIP_REASON_FILE) ?? 'skipped without a stated reason') : undefined,
      commands: r.attachments.filter((x) => x.fileName?.startsWith(COMMAND_FILE_PREFIX)).length,
      durationMs: r.durationMs,
    };
  });
  return {
    scenarios: finished,
    claims,
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
export function claimsTable(claims: ClaimRow[], algorithmOrder: string[] = []): string {
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
