// cucumber-js formatter plugin: the compatibility matrix and the findings list,
// written from the run's own messages when the run ends.
//   format: ['./formatters/matrix.ts:reports/matrix.md']
// writes reports/matrix.md (its target), and next to it matrix.html,
// matrix.txt (the console form) and findings.md.
import type { Envelope } from '@cucumber/messages';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ATTACHMENT } from '../support/report/attachments.ts';
import { findingsMarkdown, loadClaims } from '../support/report/findings.ts';
import { loadProfiles } from '../support/pki/profiles.ts';
import { buildMatrix, buildRuleTable, judgedFrom, unjudgedFrom } from '../support/report/matrix.ts';
import { type MatrixHeader, matrixHtml, matrixMarkdown, matrixText } from '../support/report/matrix-render.ts';
import { RunReader, type ScenarioRecord } from '../support/report/messages.ts';

interface PluginArgs {
  on: (event: 'message', handler: (envelope: Envelope) => void) => void;
  write: (chunk: string) => void;
  directory?: string;
}

function header(directory: string, records: ScenarioRecord[]): MatrixHeader {
  const versionsFile = join(directory, 'tool-versions.json');
  const tools = existsSync(versionsFile) ? (JSON.parse(readFileSync(versionsFile, 'utf8')) as Record<string, string>) : {};
  // Replaced tools: for the whole run (tool-versions.json says OVERRIDDEN) and per scenario (attachments).
  const overrides = Object.entries(tools)
    .filter(([, v]) => v.startsWith('OVERRIDDEN'))
    .map(([k, v]) => `${k} for the whole run: ${v}`);
  for (const r of records) {
    for (const a of r.attachments.filter((x) => x.name === ATTACHMENT.toolOverride)) {
      const o = JSON.parse(a.body) as { bin: string; path: string; version: string };
      overrides.push(`${o.bin} in "${r.name}": ${o.path} — ${o.version.replace(/\s*\n\s*/g, '; ')}`);
    }
  }
  return { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), environment: process.env.SIGPROOF_ENV ?? 'embedded', tools, overrides };
}

export default {
  type: 'formatter',
  formatter({ on, write, directory }: PluginArgs) {
    const reader = new RunReader();
    on('message', (envelope) => reader.update(envelope));
    return async () => {
      const dir = directory ?? 'reports';
      const records = reader.scenarios();
      const judged = judgedFrom(records);
      const report = { matrix: buildMatrix(judged), rules: buildRuleTable(judged), unjudged: unjudgedFrom(records), header: header(dir, records) };
      write(matrixMarkdown(report));
      writeFileSync(join(dir, 'matrix.html'), matrixHtml(report));
      writeFileSync(join(dir, 'matrix.txt'), matrixText(report));
      // The catalogue's trust bundles (a root rotation's window) say which verdicts are about a rotation.
      const bundles = new Map([...loadProfiles().values()].flatMap((p) => (p.trusts ? [[p.name, p.trusts] as const] : [])));
      writeFileSync(join(dir, 'findings.md'), findingsMarkdown(loadClaims(), records, report.header, bundles));
    };
  },
};
