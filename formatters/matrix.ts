// cucumber-js formatter plugin: the compatibility matrix and the findings list,
// written from the run's own message stream when the run ends.
//   format: ['./formatters/matrix.ts:reports/matrix.md']
// writes reports/matrix.md (its target), and next to it matrix.html,
// matrix.txt (the console form) and findings.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadClaims, findingsMarkdown } from '../support/findings.ts';
import { buildMatrix, buildRuleTable, matrixHtml, matrixMarkdown, matrixText, observationsFrom, type MatrixHeader } from '../support/matrix.ts';

interface PluginArgs {
  on: (event: 'message', handler: (envelope: unknown) => void) => void;
  write: (chunk: string) => void;
  directory?: string;
}

function header(directory: string): MatrixHeader {
  const versionsFile = join(directory, 'tool-versions.json');
  const tools = existsSync(versionsFile) ? (JSON.parse(readFileSync(versionsFile, 'utf8')) as Record<string, string>) : {};
  return { date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'), environment: process.env.SIGPROOF_ENV ?? 'embedded', tools };
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
      const h = header(dir);
      write(matrixMarkdown(matrix, rules, h));
      writeFileSync(join(dir, 'matrix.html'), matrixHtml(matrix, rules, h));
      writeFileSync(join(dir, 'matrix.txt'), matrixText(matrix, rules));
      writeFileSync(join(dir, 'findings.md'), findingsMarkdown(loadClaims(), ndjson, h));
    };
  },
};
