// The compatibility matrix, built from the run's typed observations and step
// statuses only: rows are flows (signer × relocation × registry kind of the
// judged image), columns are verifiers. A verdict observation is attached to
// the step that checked it, so that step's status says whether the verdict
// was the expected one. Pure functions: the formatter and the unit tests use them.
import type { ScenarioRecord } from './messages.ts';
import { EXTRA_VERIFIERS, type Flow, signerLabel, type VerdictObservation, VERIFIERS } from './observations.ts';

export type CellStatus = 'verified' | 'rejected as expected' | 'unexpected result' | 'finding' | 'not run';

/**
 * The runtime policies' rule cases are named by registry (steps/README.md):
 * "open" is allowed without verification, "blocked" is rejected, and
 * "elsewhere" falls to the default rule. Judgements there are about the policy
 * rule, not a signature flow, and go to their own table.
 */
const RULE_REGISTRIES: Record<string, string> = {
  open: 'allowed without verification',
  blocked: 'a rejected registry',
  elsewhere: 'the default rule',
};

const OUTSIDE_POLICY = 'outside the policy (not checked)';

/** One judged image in one scenario, with the cell status the run gave it. */
interface Judged {
  observation: VerdictObservation;
  status: CellStatus;
  /** Set for judgements in a rule-case registry, and for images let through without a valid signature. */
  rule?: string;
  scenario: string;
  /** For an unexpected result, the failed step's first line. */
  reason?: string;
}

export interface Cell {
  status: CellStatus;
  judged: Judged[];
}

interface MatrixRow {
  key: string;
  flow: Flow;
  cells: Map<string, Cell>;
}

export interface Matrix {
  verifiers: string[];
  rows: MatrixRow[];
}

interface RuleRow {
  rule: string;
  cells: Map<string, Cell>;
}

export interface RuleTable {
  verifiers: string[];
  rows: RuleRow[];
}

/** A scenario that gave no verdict to show: skipped, or failed before any verifier judged. */
export interface Unjudged {
  scenario: string;
  status: 'not run' | 'unexpected result';
  reason: string;
}

/** Every verdict observation of the run, with what the checking step's status made of it. */
export function judgedFrom(records: ScenarioRecord[]): Judged[] {
  return records.flatMap((r) => {
    const finding = r.tags.includes('@finding');
    return r.steps.flatMap((step) =>
      step.observations
        .filter((o): o is VerdictObservation => o.kind === 'verdict')
        .map((o) => {
          const failed = step.status !== 'PASSED';
          const ruleRegistry = RULE_REGISTRIES[o.flow.registry.name];
          const acceptedInvalid = o.verdict === 'accepted' && !o.flow.signer.valid;
          // In a @finding scenario, an image without a valid signature let through (not by a rule registry) is the finding.
          const letThrough = finding && acceptedInvalid && !ruleRegistry;
          const status: CellStatus = failed ? 'unexpected result' : letThrough ? 'finding' : o.verdict === 'accepted' ? 'verified' : finding && o.flow.signer.valid ? 'finding' : 'rejected as expected';
          // Elsewhere, an image without a valid signature that is let through on purpose is a policy rule, not a verified flow.
          const rule = ruleRegistry ?? (acceptedInvalid && !letThrough ? OUTSIDE_POLICY : undefined);
          return { observation: o, status, rule, scenario: r.name, reason: failed ? (step.message ?? step.status).split('\n')[0] : undefined };
        }),
    );
  });
}

/** Scenarios whose result the matrix cannot place in a cell: skipped ones, and failures before any verdict. */
export function unjudgedFrom(records: ScenarioRecord[]): Unjudged[] {
  return records.flatMap((r): Unjudged[] => {
    if (r.verdict === 'skipped') return [{ scenario: r.name, status: 'not run', reason: r.skipReason ?? 'skipped' }];
    const judgedAndFailed = r.steps.some((s) => s.status !== 'PASSED' && s.observations.some((o) => o.kind === 'verdict'));
    if (r.verdict === 'failed' && !judgedAndFailed) return [{ scenario: r.name, status: 'unexpected result', reason: r.firstError ?? 'failed' }];
    return [];
  });
}

const PRIORITY: CellStatus[] = ['unexpected result', 'finding', 'verified', 'rejected as expected', 'not run'];

/** Add a judgement to its verifier's cell; the cell takes its most important verdict. */
function addToCell(cells: Map<string, Cell>, j: Judged): void {
  const cell = cells.get(j.observation.verifier) ?? { status: 'not run' as CellStatus, judged: [] };
  cell.judged.push(j);
  cell.status = PRIORITY.find((p) => cell.judged.some((x) => x.status === p)) ?? 'not run';
  cells.set(j.observation.verifier, cell);
}

export function flowKey(f: Flow): string {
  return `${signerLabel(f.signer)} | ${f.relocation} | ${f.registry.kind}`;
}

export function buildMatrix(all: Judged[]): Matrix {
  const rows = new Map<string, MatrixRow>();
  const flows = all.filter((j) => !j.rule);
  for (const j of flows) {
    const key = flowKey(j.observation.flow);
    const row = rows.get(key) ?? { key, flow: j.observation.flow, cells: new Map() };
    rows.set(key, row);
    addToCell(row.cells, j);
  }
  const used = new Set(flows.map((j) => j.observation.verifier as string));
  const verifiers = [...VERIFIERS, ...EXTRA_VERIFIERS.filter((v) => used.has(v))];
  const signerOrder = (s: string) => (s.startsWith('notation') ? 0 : s.startsWith('cosign v2') ? 1 : s.startsWith('cosign v3') ? 2 : s === 'unsigned' ? 9 : 5);
  const sorted = [...rows.values()].sort((a, b) => signerOrder(a.flow.signer.tool) - signerOrder(b.flow.signer.tool) || a.key.localeCompare(b.key));
  return { verifiers, rows: sorted };
}

/** The runtime policies' rule cases: rows are rules, columns the verifiers that judged them (CRI-O and containerd always). */
export function buildRuleTable(all: Judged[]): RuleTable {
  const rows = new Map<string, RuleRow>();
  const ruled = all.filter((j) => j.rule);
  for (const j of ruled) {
    const rule = j.rule as string;
    const row = rows.get(rule) ?? { rule, cells: new Map() };
    rows.set(rule, row);
    addToCell(row.cells, j);
  }
  const order = [OUTSIDE_POLICY, ...Object.values(RULE_REGISTRIES)];
  const used = new Set(ruled.map((j) => j.observation.verifier as string));
  const verifiers = [...VERIFIERS, ...EXTRA_VERIFIERS].filter((v) => used.has(v) || v === 'CRI-O' || v === 'containerd');
  return { verifiers, rows: [...rows.values()].sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule)) };
}

/** The distinct verdicts in a cell, most important first (the first colours the cell). */
export function statusesOf(cell: Cell): CellStatus[] {
  return PRIORITY.filter((p) => cell.judged.some((j) => j.status === p));
}

/** A link that opens the HTML report filtered to one scenario. */
export function scenarioLink(name: string): string {
  return `cucumber.html?query=${encodeURIComponent(name)}`;
}
