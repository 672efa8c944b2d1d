// cucumber-js formatter plugin: the compatibility matrix and the findings list,
// written from the run's own message stream when the run ends.
//   format: ['./formatters/matrix.ts:reports/matrix.md']
// writes reports/matrix.md (its target), and next to it matrix.html,
// matrix.txt (the console form) and findings.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClaims, findingsMarkdown } from '../support/report/findings.ts';
import { TOOL_OVERRIDE_FILE } from '../support/report/summary.ts';
import { buildMatrix, buildRuleTable, matrixHtml, matrixMarkdown, matrixText, observationsFrom, type MatrixHeader } from '../support/report/matrix.ts';

interface PluginArgs {
  on: (event: 'message', handler: (envelope: unknown) => void) => void;
  write: (chunk: string) => void;
  directory?: string;
}

function header(directory: string, ndjson: string): MatrixHeader {
  const versionsFile = join(directory, 'tool-versions.json');
  const tools = existsSync(versionsFile) ? (JSON.parse(readFileSync(versionsFile, 'utf8')) as Record<string, string>) : {};
  // Replaced tools: for the whole run (tool-versions.json says OVERRIDDEN) and per scenario (attachments).
  const overrides = Object.entries(tools).filter(([, v]) => v.startsWith('OVERRIDDEN')).map(([k, v]) => `${k} for the whole run: ${v}`);
  const pickleNames = new Map<string, string>();
  const caseToPickle = new Map<string, string>();
  const startedToCase = new Map<string, string>();
  for (const line of ndjson.split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { pickle?: { id: string; name: string }; testCase?: { id: string; pickleId: string }; testCaseStarted?: { id: string; testCaseId: string }; attachment?: { testCaseStartedId?: string; fileName?: string; body?: string } };
    if (e.pickle) pickleNames.set(e.pickle.id, e.pickle.name);
    else if (e.testCase) caseToPickle.set(e.testCase.id, e.testCase.pickleId);
    else if (e.testCaseStarted) startedToCase.set(e.testCaseStarted.id, e.testCaseStarted.testCaseId);
    else if (e.attachment?.fileName === TOOL_OVERRIDE_FILE && e.attachment.body) {
      const o = JSON.parse(e.attachment.body) as { bin: string; path: string; version: string };
      const scenario = pickleNames.get(caseToPickle.get(startedToCase.get(e.attachment.testCaseStartedId ?? '') ?? '') ?? '') ?? '?';
      overrides.push(`${o.bin} in "${scenario}": ${o.path} — ${o.version.replace(/\s*\n\s*/g, '; ')}`);
    }
  }
  return { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), environment: process.env.SIGPROOF_ENV ?? 'embedded', tools, overrides };
}

export default {
  type: 'formatter',
  optionsKey: 'matrix',
  formatter({ on, write, directory }: PluginArgs) {
    const lines: string[] = [];
    on('message', (envelope) => {
      lines.push(JSON.stringify(envelope));
    });
    return async () => {
      const dir = directory ?? 'reports';
      const ndjson = lines.join('\n');
      const observations = observationsFrom(ndjson);
      const matrix = buildMatrix(observations);
      const rules = buildRuleTable(observations);
      const h = header(dir, ndjson);
      write(matrixMarkdown(matrix, rules, h));
      writeFileSync(join(dir, 'matrix.html'), matrixHtml(matrix, rules, h));
      writeFileSync(join(dir, 'matrix.txt'), matrixText(matrix, rules));
      writeFileSync(join(dir, 'findings.md'), findingsMarkdown(loadClaims(), ndjson, h));
    };
  },
};
