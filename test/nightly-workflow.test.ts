import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { type TestContext, test } from 'node:test';
import { MissingToolError, tool } from '../toolchain/tool-paths.ts';

const WORKFLOW = '.github/workflows/nightly.yml';

/** actionlint is built by `npm run tools`; before that, the lint tests skip and say so. */
function actionlint(t: TestContext): string | undefined {
  try {
    return tool('actionlint');
  } catch (err) {
    if (!(err instanceof MissingToolError)) throw err;
    t.skip(err.message);
    return undefined;
  }
}

test('the nightly workflow passes actionlint', (t) => {
  const bin = actionlint(t);
  if (!bin) return;
  const res = spawnSync(bin, ['-no-color', WORKFLOW], { encoding: 'utf8' });
  assert.equal(res.status, 0, `actionlint found problems:\n${res.stdout}${res.stderr}`);
});

test('actionlint is not a rubber stamp: a broken workflow fails', (t) => {
  const bin = actionlint(t);
  if (!bin) return;
  const broken = readFileSync(WORKFLOW, 'utf8').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latest\n    timeout-minutes: "soon"');
  const res = spawnSync(bin, ['-no-color', '-'], { input: broken, encoding: 'utf8' });
  assert.notEqual(res.status, 0);
  assert.match(res.stdout, /timeout-minutes/);
});

test('the workflow runs nightly and on demand, caches the tools, uploads reports and publishes the matrix', () => {
  const text = readFileSync(WORKFLOW, 'utf8');
  for (const needle of ['schedule:', 'workflow_dispatch:', 'actions/cache@', '~/.cache/sigproof', 'actions/upload-artifact@', 'path: reports/', 'reports/matrix.md >> "$GITHUB_STEP_SUMMARY"', 'bash .ci/run']) {
    assert.ok(text.includes(needle), `${WORKFLOW} lacks ${needle}`);
  }
});
