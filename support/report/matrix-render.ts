// The matrix as a reviewer reads it: Markdown (links into the HTML report),
// HTML (coloured cells), and the compact console text. Rendering only: every
// verdict comes from matrix.ts.
import { type Cell, type CellStatus, flowKey, type Matrix, type RuleTable, scenarioLink, statusesOf, type Unjudged } from './matrix.ts';
import { signerLabel } from './observations.ts';

export interface MatrixHeader {
  date: string;
  environment: string;
  tools: Record<string, string>;
  /** Tools replaced by the user's own binaries, so nobody mistakes a patched run for a release. */
  overrides?: string[];
}

interface MatrixReport {
  matrix: Matrix;
  rules: RuleTable;
  unjudged: Unjudged[];
  header: MatrixHeader;
}

const MARK: Record<CellStatus, string> = {
  verified: '✅ verified',
  'rejected as expected': '🛑 rejected as expected',
  'unexpected result': '❌ unexpected result',
  finding: '🔎 finding',
  'not run': '· not run',
};

const scenariosOf = (cell: Cell, status?: CellStatus) => [...new Set(cell.judged.filter((j) => !status || j.status === status).map((j) => j.scenario))];

function ruleLabel(cell: Cell): string {
  if (cell.status === 'verified') return '✅ let through, as the rule says';
  if (cell.status === 'rejected as expected') return '🛑 refused, as the rule says';
  return MARK[cell.status];
}

export function matrixMarkdown({ matrix: m, rules, unjudged, header: h }: MatrixReport): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Compatibility matrix',
    '',
    `Generated ${h.date} from this run's results (environment: ${h.environment}). Rows are flows: signer, relocation, and the kind of registry the image was verified in. A cell links to the scenarios behind it in the HTML report.`,
    '',
    ...(h.overrides?.length ? ['> **⚠ Tools replaced in this run** (not the pinned releases):', ...h.overrides.map((o) => `> - ${esc(o)}`), ''] : []),
    `| signer | relocation | registry | ${m.verifiers.join(' | ')} |`,
    `|${' --- |'.repeat(3 + m.verifiers.length)}`,
  ];
  for (const row of m.rows) {
    const cells = m.verifiers.map((v) => {
      const cell = row.cells.get(v);
      if (!cell) return '·';
      return statusesOf(cell)
        .map(
          (st) =>
            `${MARK[st]} ${scenariosOf(cell, st)
              .map((name, i) => `[${i + 1}](${scenarioLink(name)} "${esc(name).replace(/"/g, "'")}")`)
              .join(' ')}`,
        )
        .join('<br>');
    });
    lines.push(`| ${esc(signerLabel(row.flow.signer))} | ${esc(row.flow.relocation)} | ${esc(row.flow.registry.kind)} | ${cells.join(' | ')} |`);
  }
  if (rules.rows.length) {
    lines.push(
      '',
      '## Policy rules',
      '',
      'Images a policy lets through or refuses by rule rather than by signature: outside the policy\'s image references, and the other three cases of the runtime policies (registry "open" is allowed without verification, "blocked" is rejected, any other registry falls to the default rule, which rejects).',
      '',
    );
    lines.push(`| rule | ${rules.verifiers.join(' | ')} |`, `|${' --- |'.repeat(1 + rules.verifiers.length)}`);
    for (const row of rules.rows) {
      lines.push(
        `| ${row.rule} | ${rules.verifiers
          .map((v) => {
            const c = row.cells.get(v);
            return c
              ? `${ruleLabel(c)} ${scenariosOf(c)
                  .map((n, i) => `[${i + 1}](${scenarioLink(n)})`)
                  .join(' ')}`
              : '·';
          })
          .join(' | ')} |`,
      );
    }
  }
  lines.push('', '`·` no scenario covers the pair. Legend: ✅ verified (a validly signed image passed), 🛑 rejected as expected, 🔎 finding (a valid signature the verifier does not accept, asserted with its message), ❌ unexpected result (the scenario failed), `· not run` (skipped, with the reason).', '');
  const notable = m.rows.flatMap((r) => [...r.cells.values()].flatMap((c) => c.judged.filter((j) => j.status !== 'verified' && j.status !== 'rejected as expected')));
  if (notable.length || unjudged.length) {
    lines.push('## Findings, unexpected results and scenarios not run', '');
    for (const j of notable) lines.push(`- **${MARK[j.status]}** — ${j.observation.verifier}, ${flowKey(j.observation.flow)}: [${esc(j.scenario)}](${scenarioLink(j.scenario)})${j.reason ? ` — ${esc(j.reason)}` : ''}`);
    for (const u of unjudged) lines.push(`- **${MARK[u.status]}** — [${esc(u.scenario)}](${scenarioLink(u.scenario)}) — ${esc(u.reason)}`);
    lines.push('');
  }
  lines.push('## Tool versions', '', ...Object.entries(h.tools).map(([k, v]) => `- ${k}: ${esc(v)}`), '');
  return lines.join('\n');
}

const COLOR: Record<CellStatus, string> = { verified: '#d4f7d4', 'rejected as expected': '#e8eefc', 'unexpected result': '#ffd0d0', finding: '#fff2b3', 'not run': '#eeeeee' };

export function matrixHtml({ matrix: m, rules, unjudged, header: h }: MatrixReport): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  const links = (names: string[]) => names.map((n, i) => `<a href="${esc(scenarioLink(n))}" title="${esc(n)}">${i + 1}</a>`).join(' ');
  const rows = m.rows.map((row) => {
    const cells = m.verifiers.map((v) => {
      const cell = row.cells.get(v);
      if (!cell) return '<td class="none">·</td>';
      const parts = statusesOf(cell).map((st) => {
        const detail = cell.judged.filter((j) => j.status === st).map((j) => `${j.scenario}${j.reason ? `: ${j.reason}` : ''}`);
        return `<span title="${esc(detail.join('\n'))}">${esc(MARK[st])} ${links(scenariosOf(cell, st))}</span>`;
      });
      return `<td style="background:${COLOR[cell.status]}">${parts.join('<br>')}</td>`;
    });
    return `<tr><td>${esc(signerLabel(row.flow.signer))}</td><td>${esc(row.flow.relocation)}</td><td>${esc(row.flow.registry.kind)}</td>${cells.join('')}</tr>`;
  });
  const ruleRows = rules.rows.map(
    (row) =>
      `<tr><td>${esc(row.rule)}</td>${rules.verifiers
        .map((v) => {
          const c = row.cells.get(v);
          return c ? `<td style="background:${COLOR[c.status]}">${esc(ruleLabel(c))} ${links(scenariosOf(c))}</td>` : '<td class="none">·</td>';
        })
        .join('')}</tr>`,
  );
  return `<!doctype html><html><head><meta charset="utf-8"><title>sigproof compatibility matrix</title>
<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:4px 8px;font-size:13px;vertical-align:top}th{background:#f4f4f4}td.none{color:#999;text-align:center}</style></head><body>
<h1>Compatibility matrix</h1>
<p>Generated ${esc(h.date)} from this run's results (environment: ${esc(h.environment)}). Hover a cell for its scenarios; the numbers open them in the <a href="cucumber.html">HTML report</a>.</p>
${h.overrides?.length ? `<p style="background:#fff2b3;padding:6px"><b>⚠ Tools replaced in this run</b> (not the pinned releases):<br>${h.overrides.map(esc).join('<br>')}</p>` : ''}
<table><tr><th>signer</th><th>relocation</th><th>registry</th>${m.verifiers.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>
${rows.join('\n')}
</table>
${rules.rows.length ? `<h2>Policy rules</h2><table><tr><th>rule</th>${rules.verifiers.map((v) => `<th>${esc(v)}</th>`).join('')}</tr>\n${ruleRows.join('\n')}</table>` : ''}
${unjudged.length ? `<h2>Scenarios without a verdict to show</h2><ul>${unjudged.map((u) => `<li>${esc(MARK[u.status])}: <a href="${esc(scenarioLink(u.scenario))}">${esc(u.scenario)}</a> — ${esc(u.reason)}</li>`).join('')}</ul>` : ''}
<h2>Tool versions</h2><ul>${Object.entries(h.tools)
    .map(([k, v]) => `<li>${esc(k)}: ${esc(v)}</li>`)
    .join('')}</ul>
</body></html>
`;
}

const SYMBOL: Record<CellStatus, string> = { verified: 'V', 'rejected as expected': 'R', 'unexpected result': 'X', finding: 'F', 'not run': '-' };

/** The compact form for the console: one line per flow, one symbol per verifier. */
export function matrixText({ matrix: m, rules, unjudged }: Pick<MatrixReport, 'matrix' | 'rules' | 'unjudged'>): string {
  const abbrev = m.verifiers.map((v) => v.replace('Kyverno ', 'K.').replace(' (ImageValidatingPolicy)', '/IVP').replace(' CLI', ''));
  const width = Math.max(...m.rows.map((r) => r.key.length), 10);
  const lines = [`${'flow (signer | relocation | registry)'.padEnd(width)}  ${abbrev.join('  ')}`];
  for (const row of m.rows) {
    const cells = m.verifiers.map((v, i) => {
      const cell = row.cells.get(v);
      return (
        cell
          ? statusesOf(cell)
              .map((st) => SYMBOL[st])
              .join('')
          : '.'
      ).padEnd(abbrev[i]?.length ?? 1);
    });
    lines.push(`${row.key.padEnd(width)}  ${cells.join('  ')}`);
  }
  for (const row of rules.rows) {
    const cells = rules.verifiers.map((v) => {
      const c = row.cells.get(v);
      return `${v} ${c ? SYMBOL[c.status] : '.'}`;
    });
    lines.push(`${`policy rule: ${row.rule}`.padEnd(width)}  ${cells.join('  ')}`);
  }
  for (const u of unjudged) lines.push(`${SYMBOL[u.status]} ${u.scenario}: ${u.reason}`);
  lines.push('V verified  R rejected as expected  F finding  X unexpected result  - not run  . not covered');
  return `${lines.join('\n')}\n`;
}
