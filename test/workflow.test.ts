import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { tool } from '../toolchain/tool-paths.ts';

const WORKFLOW = '.github/workflows/nightly.yml';

test('the nightly workflow passes actionlint', () => {
  const res = spawnSync(tool('actionlint'), ['-no-color', WORKFLOW], { encoding: 'utf8' });
  assert.equal(res.status, 0, `actionlint found problems:\n${res.stdout}${res.stderr}`);
});

test('actionlint is not a rubber stamp: a broken workflow fails', () => {
  const broken = readFileSync(WORKFLOW, 'utf8').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: "soon"');
  const res = spawnSync(tool('actionlint'), ['-no-color', '-'], { input: broken, encoding: 'utf8' });
  assert.notEqual(res.status, 0);
  assert.match(res.stdout, /timeout-minutes/);
});

test('the workflow runs nightly and on demand, caches the tools, uploads reports and publishes the matrix', () => {
  const text = readFileSync(WORKFLOW, 'utf8');
  for (const needle of ['schedule:', 'workflow_dispatch:', 'actions/cache@', '~/.cache/sigproof', 'actions/upload-artifact@', 'path: reports/', 'reports/matrix.md >> "$GITHUB_STEP_SUMMARY"', 'bash .ci/run']) {
    assert.ok(text.includes(needle), `${WORKFLOW} lacks ${needle}`);
  }
});
