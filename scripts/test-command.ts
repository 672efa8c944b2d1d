// The two commands of the README, after scripts/sigproof.sh has put npm
// packages and Node 24 in place:
//
//   run  [cucumber args]  install the tools, run the scenario suite, summarise
//   test [cucumber args]  the same, plus the type check, lint, unused-export check,
//                         unit tests, the report scan and the leftover-process
//                         check; ends with "N passed, N failed, N skipped"
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALGORITHMS_FILE, parseAlgorithms } from '../support/pki/algorithms.ts';
import { nodeLeftovers } from '../support/env/node-cleanup.ts';
import { mountsUnder, sweepStaleRuns } from '../support/lib/cleanup.ts';
import { REPO_ROOT, REPORTS_DIR } from '../support/lib/paths.ts';
import { scanForKeyMaterial, type KeyMaterialHit } from '../support/lib/redact.ts';
import { claimsTable, closingLine, parseNodeTestCounts, summarizeMessages, type RunSummary } from '../support/report/summary.ts';
import { KEY_FINGERPRINTS_FILE } from '../support/lib/fingerprints.ts';
import { main as installTools } from '../toolchain/install.ts';
import { unusedExports } from './check-unused-exports.ts';

const BIN = join(REPO_ROOT, 'node_modules', '.bin');

function banner(text: string): void {
  process.stdout.write(`\n==> ${text}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Run a child with the terminal attached; resolve with its exit code and pid. */
function runInherited(file: string, args: string[], capture = false): Promise<{ code: number; pid: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: REPO_ROOT, stdio: ['ignore', capture ? 'pipe' : 'inherit', capture ? 'pipe' : 'inherit'] });
    let output = '';
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      process.stdout.write(d);
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
      process.stderr.write(d);
    });
    // Ctrl-C reaches the child through the terminal; the child cleans up and exits.
    const forward = () => undefined;
    process.on('SIGINT', forward);
    child.on('close', (code, signal) => {
      process.off('SIGINT', forward);
      resolve({ code: code ?? (signal ? 128 : 1), pid: child.pid ?? -1, output });
    });
  });
}

function scanReports(): KeyMaterialHit[] {
  const known = new Set(existsSync(KEY_FINGERPRINTS_FILE) ? readFileSync(KEY_FINGERPRINTS_FILE, 'utf8').split('\n').filter(Boolean) : []);
  const hits: KeyMaterialHit[] = [];
  for (const name of readdirSync(REPORTS_DIR)) {
    const file = join(REPORTS_DIR, name);
    if (file === KEY_FINGERPRINTS_FILE || !statSync(file).isFile()) continue;
    hits.push(...scanForKeyMaterial(`reports/${name}`, readFileSync(file, 'utf8'), known));
  }
  return hits;
}

/** Processes whose command line still points into the finished run's temp dir, mounts under it, and what nodes left. */
function leftovers(runPid: number): string[] {
  const marker = `sigproof-run-${runPid}`;
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
      if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline.slice(0, 200)}`);
    } catch {
      // the process ended while we looked
    }
  }
  const dir = join(process.env.SIGPROOF_TMPDIR ?? tmpdir(), marker);
  // CRI-O and containerd mount while they unpack; none of it may outlive the run.
  for (const point of mountsUnder(dir)) found.push(`mount ${point} is still mounted`);
  if (existsSync(dir)) found.push(`temp dir ${dir} was not removed`);
  // A node's containers, cgroups and bridge are not children or files of the run; network namespaces live
  // only as long as a process or a mount of the run holds them, both checked above.
  found.push(...nodeLeftovers());
  return found;
}

function printScenarioTable(summary: RunSummary): void {
  for (const s of summary.scenarios) {
    const mark = s.verdict === 'passed' ? 'ok  ' : s.verdict === 'failed' ? 'FAIL' : 'skip';
    const why = s.reason ? ` — ${s.reason}` : '';
    process.stdout.write(`  ${mark} ${s.uri.replace(/^features\//, '')}: ${s.name} (${seconds(s.durationMs)}, ${s.commands} commands)${why}\n`);
  }
}

async function runSuite(cucumberArgs: string[]): Promise<{ summary: RunSummary; problems: string[] }> {
  rmSync(REPORTS_DIR, { recursive: true, force: true });
  banner(`scenarios: cucumber-js ${cucumberArgs.join(' ')}`.trim());
  const started = performance.now();
  const run = await runInherited(join(BIN, 'cucumber-js'), cucumberArgs);
  const wall = performance.now() - started;
  const problems: string[] = [];
  const messages = join(REPORTS_DIR, 'messages.ndjson');
  const summary = existsSync(messages) ? summarizeMessages(readFileSync(messages, 'utf8')) : { scenarios: [], claims: [], warnings: [], passed: 0, failed: 0, skipped: 0, commands: 0 };
  if (run.code !== 0 && summary.failed === 0) problems.push(`cucumber-js exited ${run.code} without a failed scenario (see its output above)`);
  banner(`scenario results (${seconds(wall)} wall time, ${summary.commands} external commands)`);
  printScenarioTable(summary);
  if (summary.warnings.length) {
    banner(`warnings (${summary.warnings.length}): they failed nothing`);
    for (const w of summary.warnings) process.stdout.write(`  ${w.scenario}: ${w.text}\n`);
  }
  const table = claimsTable(summary.claims, [...parseAlgorithms(readFileSync(ALGORITHMS_FILE, 'utf8')).keys()]);
  if (table) {
    writeFileSync(join(REPORTS_DIR, 'claims.md'), `# Signing algorithms: what each signer does today\n\nFrom scenarios that passed, so each verdict and reason was asserted against the real tool.\n\n${table}`);
    banner('signing-algorithm claims (reports/claims.md)');
    process.stdout.write(table);
  }
  const left = leftovers(run.pid);
  // Then sweep, so a killed run's remains do not outlive this report of them.
  sweepStaleRuns();
  if (left.length) problems.push(`the run left things behind:\n    ${left.join('\n    ')}`);
  else process.stdout.write('  no process, mount, temp dir, node cgroup or bridge of the run is left\n');
  const hits = existsSync(REPORTS_DIR) ? scanReports() : [];
  if (hits.length) problems.push(`private key material or credentials in the reports:\n    ${hits.map((h) => `${h.file}:${h.line}: ${h.what}`).join('\n    ')}`);
  else process.stdout.write('  the reports hold no private key material and no credential of the run\n');
  const expected = ['cucumber.html', 'junit.xml', 'messages.ndjson', 'tool-versions.json', 'matrix.md', 'matrix.html', 'findings.md'];
  const absent = expected.filter((f) => !existsSync(join(REPORTS_DIR, f)));
  if (absent.length) problems.push(`the run did not write ${absent.map((f) => `reports/${f}`).join(', ')}`);
  process.stdout.write(`  reports: ${expected.map((f) => `reports/${f}`).join(', ')}\n`);
  const matrixText = join(REPORTS_DIR, 'matrix.txt');
  if (existsSync(matrixText)) {
    banner('compatibility matrix (reports/matrix.md, reports/matrix.html)');
    process.stdout.write(readFileSync(matrixText, 'utf8'));
  }
  return { summary, problems };
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== 'run' && command !== 'test') {
    process.stderr.write('usage: scripts/sigproof.sh run|test [cucumber-js arguments]\n');
    return 2;
  }
  banner('tools: pinned versions into .tools/bin');
  if ((await installTools([])) !== 0) return 1;

  let unit = { passed: 0, failed: 0, skipped: 0 };
  const problems: string[] = [];
  if (command === 'test') {
    // Node strips the types without checking them: the compiler does, here.
    banner('typecheck: tsc --noEmit (strict)');
    const tsc = await runInherited(join(BIN, 'tsc'), ['--noEmit', '-p', 'tsconfig.json']);
    if (tsc.code !== 0) problems.push(`tsc --noEmit found type errors (above)`);
    else process.stdout.write('  no type errors\n');
    banner('lint: biome check (rules and formatting, biome.json)');
    const lint = await runInherited(join(BIN, 'biome'), ['check', '.']);
    if (lint.code !== 0) problems.push('biome check found lint or formatting problems (above)');
    else process.stdout.write('  no lint or formatting findings\n');
    banner('unused exports: scripts/check-unused-exports.ts');
    try {
      const unused = unusedExports();
      process.stdout.write(unused.length ? unused.map((u) => `  ${u}\n`).join('') : '  no unused exports\n');
      if (unused.length) problems.push(`${unused.length} export(s) that nothing else imports (above)`);
    } catch (err) {
      problems.push(`the unused-export check could not run: ${(err as Error).message}`);
    }
    banner('unit tests: node --test');
    const res = await runInherited(join(BIN, 'node'), ['--test', 'test/**/*.test.ts'], true);
    const counts = parseNodeTestCounts(res.output);
    if (!counts) problems.push(`node --test exited ${res.code} without a summary`);
    else unit = counts;
    if (res.code !== 0 && unit.failed === 0) problems.push(`node --test exited ${res.code}`);
  }
  const { summary, problems: suiteProblems } = await runSuite(rest);
  problems.push(...suiteProblems);
  if (summary.passed + summary.failed + summary.skipped === 0) problems.push('no scenario ran');

  for (const p of problems) process.stdout.write(`\nPROBLEM: ${p}\n`);
  const failed = unit.failed + summary.failed + problems.length;
  if (command === 'test') process.stdout.write(`\nunit tests: ${closingLine(unit.passed, unit.failed, unit.skipped)}\nscenarios: ${closingLine(summary.passed, summary.failed, summary.skipped)}\n`);
  process.stdout.write(`${closingLine(unit.passed + summary.passed, failed, unit.skipped + summary.skipped)}\n`);
  return failed === 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
