// The compatibility matrix, derived from cucumber's message stream and nothing
// else, so a changed verdict changes the table. Rows are flows (signer ×
// relocation × registry kind of the verified image), columns are verifiers.
// Each Then step that judges an image (a pod admitted, a pull refused, a CLI
// verification) is one observation; a cell sums up its observations.
//
// The flow of an image is read from the scenario's own steps: who signed it
// (and with which profile), how it was relocated, and the kind of the registry
// it ended up in. Pure functions: the formatter and the unit tests use them.
import { FAILING, scenarioRecords, type ScenarioRecord } from './messages.ts';

export type CellStatus = 'verified' | 'rejected as expected' | 'unexpected result' | 'finding' | 'not run';

export const VERIFIERS = ['notation CLI', 'cosign CLI', 'Kyverno Pod', 'Kyverno Deployment', 'CRI-O', 'containerd'] as const;
/** Columns that appear only when some scenario fills them. */
export const EXTRA_VERIFIERS = ['Kyverno Pod (ImageValidatingPolicy)', 'Kyverno Deployment (ImageValidatingPolicy)'] as const;

export interface Flow {
  signer: string;
  relocation: string;
  registryKind: string;
}

/**
 * The runtime policies' rule cases are named by registry (steps/README.md):
 * "open" is allowed without verification, "blocked" is rejected, and
 * "elsewhere" falls to the default rule. Judgements there are about the policy
 * rule, not a signature flow, and go to their own table.
 */
export const RULE_REGISTRIES: Record<string, string> = {
  open: 'allowed without verification',
  blocked: 'a rejected registry',
  elsewhere: 'the default rule',
};

export const OUTSIDE_POLICY = 'outside the policy (not checked)';

/** Whether the signer label describes a valid signature (so a refusal of it is a finding, an admission of it a verification). */
export function isValidSigner(signer: string): boolean {
  return !/^unsigned|\(another |\(expired|not yet valid|tampered|another digest/.test(signer);
}

export interface Observation {
  flow: Flow;
  /** Set for judgements in a rule-case registry. */
  rule?: string;
  verifier: string;
  expected: 'verified' | 'rejected';
  status: CellStatus;
  scenario: string;
  uri: string;
  /** The step text that judged, and for an unexpected or not-run result why. */
  step: string;
  reason?: string;
}

export interface Cell {
  status: CellStatus;
  observations: Observation[];
}

export interface MatrixRow {
  flow: Flow;
  cells: Map<string, Cell>;
}

export interface Matrix {
  verifiers: string[];
  rows: MatrixRow[];
}

// ---- reading the message stream --------------------------------------------

const SKIP_REASON_FILE = 'skip reason';

interface ImageState {
  signer: string;
  relocation: string;
}

/** Signer label from the signing step's words and the PKI profile used. */
function signerLabel(base: string, profile: string, extra = ''): string {
  const variants: string[] = [];
  if (/^rogue-/.test(profile)) variants.push('another root');
  if (/other-identity/.test(profile)) variants.push('another identity');
  if (/expired/.test(profile)) variants.push('expired leaf');
  if (/not-yet-valid/.test(profile)) variants.push('leaf not yet valid');
  if (/tampered/.test(extra)) variants.push('tampered');
  if (/over the payload of/.test(extra)) variants.push('signature of another digest');
  return variants.length ? `${base} (${variants.join(', ')})` : base;
}

const RELOCATIONS: [RegExp, (m: RegExpExecArray) => { from: string; to: string; how: string }][] = [
  [/^"([^"]+)" is relocated to "([^"]+)" with oras( without)? --recursive through an OCI layout archive$/, (m) => ({ from: m[1]!, to: m[2]!, how: `oras${m[3] ? ' without --recursive' : ''} via an OCI layout archive` })],
  [/^"([^"]+)" is copied with oras( without)? --recursive to "([^"]+)"$/, (m) => ({ from: m[1]!, to: m[3]!, how: `oras cp${m[2] ? ' without --recursive' : ''}` })],
  [/^"([^"]+)" is copied with cosign (v2|v3) to "([^"]+)"$/, (m) => ({ from: m[1]!, to: m[3]!, how: 'cosign copy' })],
  [/^"([^"]+)" is saved with cosign (v2|v3), carried across the air gap as a tar archive and loaded into "([^"]+)"$/, (m) => ({ from: m[1]!, to: m[3]!, how: 'cosign save/load' })],
];

export interface Judgement {
  verifier: string;
  target: string;
  expected: 'verified' | 'rejected';
  flow: Flow;
}

/** Signing steps: the image they sign and the signer label, or undefined. */
function signing(text: string): { ref: string; signer: string } | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^"([^"]+)" (?:was|is) signed with notation by "([^"]+)"(.*)$/.exec(text))) return { ref: m[1]!, signer: signerLabel('notation', m[2]!, m[3]) };
  if ((m = /^"([^"]+)" (?:was|is) signed with cosign v3 by "([^"]+)" in the legacy format$/.exec(text))) return { ref: m[1]!, signer: signerLabel('cosign v3 (legacy .sig)', m[2]!) };
  if ((m = /^"([^"]+)" (?:was|is) signed with cosign (v2|v3) by "([^"]+)"(.*)$/.exec(text))) return { ref: m[1]!, signer: signerLabel(m[2] === 'v2' ? 'cosign v2' : 'cosign v3 (bundle)', m[3]!, m[4]) };
  if ((m = /^the cosign v3 bundle of "([^"]+)" is copied onto "([^"]+)"(.*)$/.exec(text))) return { ref: m[2]!, signer: `cosign v3 (bundle copied from another repository${m[3] ? ', tampered' : ''})` };
  return undefined;
}

/**
 * Replays a scenario's steps: for each step that judges an image, which
 * verifier judged it, what was expected, and the flow that brought the image
 * there (as it stood at that step).
 */
export function interpretScenario(steps: string[]): (Judgement | undefined)[] {
  const kinds = new Map<string, string>();
  const images = new Map<string, ImageState>();
  // The air-gap flow in three steps: registry -> OCI layout -> tar -> OCI layout -> registry.
  const layouts = new Map<string, ImageState & { how: string }>();
  let lastPull: { target: string; runtime: string } | undefined;
  let lastSigning: { ref: string; before: ImageState | undefined } | undefined;
  let lastVerify: { target: string; tool: string } | undefined;
  let ivp = false;
  const state = (ref: string) => images.get(ref) ?? { signer: 'unsigned', relocation: 'none' };
  const judged = (verifier: string, target: string, expected: 'verified' | 'rejected'): Judgement => {
    const img = state(target);
    return { verifier, target, expected, flow: { signer: img.signer, relocation: img.relocation, registryKind: kinds.get(target.split('/')[0] ?? '') ?? 'distribution' } };
  };
  return steps.map((text) => {
    let m: RegExpExecArray | null;
    const signed = signing(text);
    if (signed) {
      lastSigning = { ref: signed.ref, before: images.get(signed.ref) };
      images.set(signed.ref, { signer: signed.signer, relocation: 'none' });
      return undefined;
    }
    // Signing that the scenario shows failing leaves the image as it was.
    if (/^signing fails because/.test(text) && lastSigning) {
      if (lastSigning.before) images.set(lastSigning.ref, lastSigning.before);
      else images.delete(lastSigning.ref);
      return undefined;
    }
    if ((m = /^the registry "([^"]+)" of kind "([^"]+)"$/.exec(text))) kinds.set(m[1]!, m[2]!);
    else if ((m = /^"([^"]+)" is copied with oras( without)? --recursive to the OCI layout "([^"]+)"$/.exec(text))) layouts.set(m[3]!, { ...state(m[1]!), how: `oras${m[2] ? ' without --recursive' : ''} via an OCI layout archive` });
    else if ((m = /^the OCI layout "([^"]+)" is carried across the air gap as a tar archive and unpacked as the OCI layout "([^"]+)"$/.exec(text))) {
      const from = layouts.get(m[1]!);
      if (from) layouts.set(m[2]!, from);
    } else if ((m = /^the OCI layout "([^"]+)" tag "[^"]+" is copied with oras( without)? --recursive to "([^"]+)"$/.exec(text))) {
      const from = layouts.get(m[1]!);
      // A layout copied without --recursive at either end leaves the signature behind.
      const how = m[2] && from && !from.how.includes('without') ? from.how.replace('oras', 'oras without --recursive') : from?.how ?? 'oras via an OCI layout';
      images.set(m[3]!, { signer: from?.signer ?? 'unsigned', relocation: how });
    } else if ((m = /^Kyverno enforces the policy "([^"]+)"/.exec(text))) ivp = m[1]!.startsWith('ivp-');
    else if ((m = /^"([^"]+)" is pulled(?: by (?:tag|digest))? with (?:crictl|ctr) from (CRI-O|containerd)$/.exec(text))) lastPull = { target: m[1]!, runtime: m[2]! };
    else if ((m = /^"([^"]+)" is verified with (notation|cosign)/.exec(text))) lastVerify = { target: m[1]!, tool: m[2]! };
    else if ((m = /^the (pod|deployment) "[^"]+" running "([^"]+)" is (admitted|rejected)/.exec(text))) {
      // ("with Kyverno stopped, …" is about Kyverno's availability, not a signature flow: it does not match.)
      return judged(`Kyverno ${m[1] === 'pod' ? 'Pod' : 'Deployment'}${ivp ? ' (ImageValidatingPolicy)' : ''}`, m[2]!, m[3] === 'admitted' ? 'verified' : 'rejected');
    } else if ((m = /^the pull (succeeds|fails because)/.exec(text)) && lastPull) {
      return judged(lastPull.runtime, lastPull.target, m[1] === 'succeeds' ? 'verified' : 'rejected');
    } else if ((m = /^the verification (succeeds|fails because)/.exec(text)) && lastVerify) {
      return judged(`${lastVerify.tool} CLI`, lastVerify.target, m[1] === 'succeeds' ? 'verified' : 'rejected');
    } else {
      for (const [re, parts] of RELOCATIONS) {
        const r = re.exec(text);
        if (!r) continue;
        const { from, to, how } = parts(r);
        images.set(to, { signer: state(from).signer, relocation: how });
        break;
      }
    }
    return undefined;
  });
}

/** Every judging step of the run, with its verdict. */
export function observationsFrom(ndjson: string): Observation[] {
  return scenarioRecords(ndjson).flatMap(observeScenario);
}

function observeScenario(r: ScenarioRecord): Observation[] {
  const judges = interpretScenario(r.steps.map((s) => s.text));
  const finding = r.tags.includes('@finding');
  const skipReason = r.attachments.find((a) => a.fileName === SKIP_REASON_FILE)?.body;
  const firstFailure = r.steps.find((st) => FAILING.has(st.status));
  const out: Observation[] = [];
  r.steps.forEach((step, i) => {
    const judge = judges[i];
    if (!judge) return;
    const { flow } = judge;
    let cell: CellStatus;
    let reason: string | undefined;
    if (step.status === 'PASSED') {
      cell = judge.expected === 'verified' ? 'verified' : finding && isValidSigner(flow.signer) ? 'finding' : 'rejected as expected';
    } else if (FAILING.has(step.status)) {
      cell = 'unexpected result';
      reason = (step.message ?? step.status).split('\n')[0];
    } else {
      cell = 'not run';
      reason = skipReason ?? (firstFailure ? `an earlier step failed: ${(firstFailure.message ?? firstFailure.status).split('\n')[0]}` : r.firstError ? `a hook failed: ${r.firstError}` : 'skipped');
    }
    // An image without a valid signature that is let through on purpose is a policy rule, not a verified flow.
    const outsidePolicy = judge.expected === 'verified' && !isValidSigner(flow.signer) ? OUTSIDE_POLICY : undefined;
    const rule = RULE_REGISTRIES[judge.target.split('/')[0] ?? ''] ?? outsidePolicy;
    out.push({ flow, rule, verifier: judge.verifier, expected: judge.expected, status: cell, scenario: r.name, uri: r.uri, step: step.text, reason });
  });
  return out;
}

// ---- the table ----------------------------------------------------------------

const PRIORITY: CellStatus[] = ['unexpected result', 'finding', 'verified', 'rejected as expected', 'not run'];

/** Add an observation to its verifier's cell; the cell takes its most important verdict. */
function addToCell(cells: Map<string, Cell>, o: Observation): void {
  const cell = cells.get(o.verifier) ?? { status: 'not run' as CellStatus, observations: [] };
  cell.observations.push(o);
  cell.status = PRIORITY.find((p) => cell.observations.some((x) => x.status === p)) ?? 'not run';
  cells.set(o.verifier, cell);
}

export function flowKey(f: Flow): string {
  return `${f.signer} | ${f.relocation} | ${f.registryKind}`;
}

export function buildMatrix(all: Observation[]): Matrix {
  const rows = new Map<string, MatrixRow>();
  const observations = all.filter((o) => !o.rule);
  for (const o of observations) {
    const key = flowKey(o.flow);
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { flow: o.flow, cells: new Map() }));
    addToCell(row.cells, o);
  }
  const used = new Set(observations.map((o) => o.verifier));
  const verifiers = [...VERIFIERS, ...EXTRA_VERIFIERS.filter((v) => used.has(v))];
  const signerOrder = (s: string) => (s.startsWith('notation') ? 0 : s.startsWith('cosign v2') ? 1 : s.startsWith('cosign v3') ? 2 : s === 'unsigned' ? 9 : 5);
  const sorted = [...rows.values()].sort((a, b) => signerOrder(a.flow.signer) - signerOrder(b.flow.signer) || flowKey(a.flow).localeCompare(flowKey(b.flow)));
  return { verifiers, rows: sorted };
}

export interface RuleRow {
  rule: string;
  cells: Map<string, Cell>;
}

/** The runtime policies' rule cases: rows are rules, columns the runtimes. */
export function buildRuleTable(all: Observation[]): { verifiers: string[]; rows: RuleRow[] } {
  const rows = new Map<string, RuleRow>();
  for (const o of all.filter((x) => x.rule)) {
    const rule = o.rule as string;
    let row = rows.get(rule);
    if (!row) rows.set(rule, (row = { rule, cells: new Map() }));
    addToCell(row.cells, o);
  }
  const order = [OUTSIDE_POLICY, ...Object.values(RULE_REGISTRIES)];
  const used = new Set(all.filter((x) => x.rule).map((x) => x.verifier));
  const verifiers = [...VERIFIERS, ...EXTRA_VERIFIERS].filter((v) => used.has(v) || v === 'CRI-O' || v === 'containerd');
  return { verifiers, rows: [...rows.values()].sort((a, b) => order.indexOf(a.rule) - order.indexOf(b.rule)) };
}

const MARK: Record<CellStatus, string> = {
  verified: '✅ verified',
  'rejected as expected': '🛑 rejected as expected',
  'unexpected result': '❌ unexpected result',
  finding: '🔎 finding',
  'not run': '· not run',
};

export interface MatrixHeader {
  date: string;
  environment: string;
  tools: Record<string, string>;
  /** Tools replaced by the user's own binaries, so nobody mistakes a patched run for a release. */
  overrides?: string[];
}

/** A link that opens the HTML report filtered to one scenario. */
export function scenarioLink(name: string): string {
  return `cucumber.html?query=${encodeURIComponent(name)}`;
}

/** The distinct verdicts in a cell, most important first (the first colours the cell). */
export function statusesOf(cell: Cell): CellStatus[] {
  return PRIORITY.filter((p) => cell.observations.some((o) => o.status === p));
}

export type RuleTable = ReturnType<typeof buildRuleTable>;

function ruleLabel(cell: Cell): string {
  if (cell.status === 'verified') return '✅ let through, as the rule says';
  if (cell.status === 'rejected as expected') return '🛑 refused, as the rule says';
  return MARK[cell.status];
}

export function matrixMarkdown(m: Matrix, rules: RuleTable, h: MatrixHeader): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Compatibility matrix',
    '',
    `Generated ${h.date} from this run's results (environment: ${h.environment}). Rows are flows: signer, relocation, and the kind of registry the image was verified in. A cell links to the scenarios behind it in the HTML report.`,
    '',
    ...(h.overrides?.length ? ['> **⚠ Tools replaced in this run** (not the pinned releases):', ...h.overrides.map((o) => `> - ${esc(o)}`), ''] : []),
    '| signer | relocation | registry | ' + m.verifiers.join(' | ') + ' |',
    '|' + ' --- |'.repeat(3 + m.verifiers.length),
  ];
  for (const row of m.rows) {
    const cells = m.verifiers.map((v) => {
      const cell = row.cells.get(v);
      if (!cell) return '·';
      return statusesOf(cell).map((st) => {
        const names = [...new Set(cell.observations.filter((o) => o.status === st).map((o) => o.scenario))];
        return `${MARK[st]} ${names.map((name, i) => `[${i + 1}](${scenarioLink(name)} "${esc(name).replace(/"/g, "'")}")`).join(' ')}`;
      }).join('<br>');
    });
    lines.push(`| ${esc(row.flow.signer)} | ${esc(row.flow.relocation)} | ${esc(row.flow.registryKind)} | ${cells.join(' | ')} |`);
  }
  if (rules.rows.length) {
    lines.push('', '## Policy rules', '', 'Images a policy lets through or refuses by rule rather than by signature: outside the policy\'s image references, and the other three cases of the runtime policies (registry "open" is allowed without verification, "blocked" is rejected, any other registry falls to the default rule, which rejects).', '');
    lines.push(`| rule | ${rules.verifiers.join(' | ')} |`, `|${' --- |'.repeat(1 + rules.verifiers.length)}`);
    for (const row of rules.rows) {
      lines.push(`| ${row.rule} | ${rules.verifiers.map((v) => {
        const c = row.cells.get(v);
        if (!c) return '·';
        const names = [...new Set(c.observations.map((o) => o.scenario))];
        return `${ruleLabel(c)} ${names.map((n, i) => `[${i + 1}](${scenarioLink(n)})`).join(' ')}`;
      }).join(' | ')} |`);
    }
  }
  lines.push('', '`·` no scenario covers the pair. Legend: ✅ verified (a validly signed image passed), 🛑 rejected as expected, 🔎 finding (a valid signature the verifier does not accept, asserted with its message), ❌ unexpected result (the scenario failed), `· not run` (skipped, with the reason).', '');
  const unexpected = m.rows.flatMap((r) => [...r.cells.values()].flatMap((c) => c.observations.filter((o) => o.status !== 'verified' && o.status !== 'rejected as expected')));
  if (unexpected.length) {
    lines.push('## Findings, unexpected results and cells not run', '');
    for (const o of unexpected) lines.push(`- **${MARK[o.status]}** — ${o.verifier}, ${flowKey(o.flow)}: [${esc(o.scenario)}](${scenarioLink(o.scenario)})${o.reason ? ` — ${esc(o.reason)}` : ''}`);
    lines.push('');
  }
  lines.push('## Tool versions', '', ...Object.entries(h.tools).map(([k, v]) => `- ${k}: ${esc(v)}`), '');
  return lines.join('\n');
}

export function matrixHtml(m: Matrix, rules: RuleTable, h: MatrixHeader): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const color: Record<CellStatus, string> = { verified: '#d4f7d4', 'rejected as expected': '#e8eefc', 'unexpected result': '#ffd0d0', finding: '#fff2b3', 'not run': '#eeeeee' };
  const rows = m.rows.map((row) => {
    const cells = m.verifiers.map((v) => {
      const cell = row.cells.get(v);
      if (!cell) return '<td class="none">·</td>';
      const parts = statusesOf(cell).map((st) => {
        const names = [...new Set(cell.observations.filter((o) => o.status === st).map((o) => o.scenario))];
        const detail = cell.observations.filter((o) => o.status === st).map((o) => `${o.scenario}${o.reason ? `: ${o.reason}` : ''}`);
        return `<span title="${esc(detail.join('\n'))}">${esc(MARK[st])} ${names.map((n, i) => `<a href="${esc(scenarioLink(n))}" title="${esc(n)}">${i + 1}</a>`).join(' ')}</span>`;
      });
      return `<td style="background:${color[cell.status]}">${parts.join('<br>')}</td>`;
    });
    return `<tr><td>${esc(row.flow.signer)}</td><td>${esc(row.flow.relocation)}</td><td>${esc(row.flow.registryKind)}</td>${cells.join('')}</tr>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><title>sigproof compatibility matrix</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;font-size:13px;vertical-align:top}th{background:#f4f4f4}td.none{color:#999;text-align:center}</style></head><body>
<h1>Compatibility matrix</h1>
<p>Generated ${esc(h.date)} from this run's results (environment: ${esc(h.environment)}). Hover a cell for its scenarios; the numbers open them in the <a href="cucumber.html">HTML report</a>.</p>
${h.overrides?.length ? `<p style="background:#fff2b3;padding:6px"><b>⚠ Tools replaced in this run</b> (not the pinned releases):<br>${h.overrides.map(esc).join('<br>')}</p>` : ''}
<table><tr><th>signer</th><th>relocation</th><th>registry</th>${m.verifiers.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>
${rows.join('\n')}
</table>
${rules.rows.length ? `<h2>Policy rules</h2><table><tr><th>rule</th>${rules.verifiers.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>
${rules.rows.map((row) => `<tr><td>${esc(row.rule)}</td>${rules.verifiers.map((v) => {
    const c = row.cells.get(v);
    if (!c) return '<td class="none">·</td>';
    const names = [...new Set(c.observations.map((o) => o.scenario))];
    return `<td style="background:${color[c.status]}">${esc(ruleLabel(c))} ${names.map((n, i) => `<a href="${esc(scenarioLink(n))}" title="${esc(n)}">${i + 1}</a>`).join(' ')}</td>`;
  }).join('')}</tr>`).join('\n')}</table>` : ''}
<h2>Tool versions</h2><ul>${Object.entries(h.tools).map(([k, v]) => `<li>${esc(k)}: ${esc(v)}</li>`).join('')}</ul>
</body></html>
`;
}

/** The compact form for the console: one line per flow, one symbol per verifier. */
export function matrixText(m: Matrix, rules?: RuleTable): string {
  const sym: Record<CellStatus, string> = { verified: 'V', 'rejected as expected': 'R', 'unexpected result': 'X', finding: 'F', 'not run': '-' };
  const abbrev = m.verifiers.map((v) => v.replace('Kyverno ', 'K.').replace(' (ImageValidatingPolicy)', '/IVP').replace(' CLI', ''));
  const width = Math.max(...m.rows.map((r) => flowKey(r.flow).length), 10);
  const lines = [`${'flow (signer | relocation | registry)'.padEnd(width)}  ${abbrev.join('  ')}`];
  for (const row of m.rows) {
    const cells = m.verifiers.map((v, i) => {
      const cell = row.cells.get(v);
      return (cell ? statusesOf(cell).map((st) => sym[st]).join('') : '.').padEnd(abbrev[i]!.length);
    });
    lines.push(`${flowKey(row.flow).padEnd(width)}  ${cells.join('  ')}`);
  }
  for (const row of rules?.rows ?? []) {
    const cells = (rules as RuleTable).verifiers.map((v) => `${v} ${row.cells.get(v) ? sym[row.cells.get(v)!.status] : '.'}`);
    lines.push(`${`policy rule: ${row.rule}`.padEnd(width)}  ${cells.join('  ')}`);
  }
  lines.push('V verified  R rejected as expected  F finding  X unexpected result  - not run  . not covered');
  return `${lines.join('\n')}\n`;
}
