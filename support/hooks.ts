// Lifecycle: check and record the toolchain once per run, give each scenario
// its own temp dir and evidence trail, collect diagnostics on failure, and tear
// everything down on success, failure and Ctrl-C.
import { After, AfterAll, Before, BeforeAll, Status, setDefaultTimeout, setParallelCanAssign } from '@cucumber/cucumber';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOOLS } from '../toolchain/versions.ts';
import { installExitHandlers, killEverythingNow, makeTempDir, removeTempDir, sweepStaleRuns } from './lib/cleanup.ts';
import { environmentSkipReason, selectedEnvironment } from './env/cluster.ts';
import { configuredRegistryHost } from './env/registry-host.ts';
import { kubectl } from './drivers/kubectl.ts';
import { SKIP_REASON_FILE } from './report/summary.ts';
import { runtimeSkipReason, strictMode } from './lib/privileges.ts';
import { REPORTS_DIR } from './lib/paths.ts';
import { formatRecord, onCommand, runCommand } from './lib/runner.ts';
import { clearScenarioOverrides, environmentOverrides, overrideVariable, tool, versionSummary } from '../toolchain/tool-paths.ts';
import type { SigproofWorld } from './world.ts';

// Generous: a scenario may build a 4096-bit PKI and run several tools. Each
// command has its own deadline in the runner; this only catches a hung step.
setDefaultTimeout(5 * 60_000);

const VERSIONS_FILE = join(REPORTS_DIR, 'tool-versions.json');

// Component logs of a failed scenario: external files next to the HTML report
// (cucumber.mjs externalises this media type), the last 256 kB of each.
const LOG_MEDIA_TYPE = 'text/plain; charset=utf-8';
const LOG_TAIL_BYTES = 256 * 1024;
function lastOfLog(file: string): string {
  const text = readFileSync(file, 'utf8');
  return text.length > LOG_TAIL_BYTES ? `(last ${LOG_TAIL_BYTES / 1024} kB)\n${text.slice(-LOG_TAIL_BYTES)}` : text;
}

// Scenarios tagged @exclusive change shared state (they stop Kyverno): they
// run alone, and nothing starts beside them.
const isExclusive = (p: { tags: readonly { name: string }[] }) => p.tags.some((t) => t.name === '@exclusive');
setParallelCanAssign((pickle, running) => (isExclusive(pickle) ? running.length === 0 : !running.some(isExclusive)));
const unsubscribers = new WeakMap<SigproofWorld, () => void>();

BeforeAll({ on: 'COORDINATOR' as never }, async function () {
  installExitHandlers();
  // An unknown SIGPROOF_ENV stops the run here, with the valid values.
  selectedEnvironment();
  // So does a SIGPROOF_REGISTRY_HOST the tools could not use, with the reason,
  // and a SIGPROOF_TOOL_* override that names no tool or no executable file.
  configuredRegistryHost();
  const overrides = environmentOverrides();
  for (const [bin, file] of overrides) console.log(`sigproof: ${bin} is overridden by ${file} (${overrideVariable(bin)}); the reports say so`);
  for (const dir of sweepStaleRuns()) console.log(`sigproof: removed ${dir}, left by a run that was killed`);
  // Fail the run up front, with the install command, if a tool is missing.
  const versions: Record<string, string> = {};
  for (const t of TOOLS) {
    for (const { bin, ...b } of t.recipe.binaries) {
      const file = tool(bin);
      const versionArgs = ('versionArgs' in b ? b.versionArgs : undefined) ?? t.versionArgs;
      if (!versionArgs) {
        versions[bin] = `${t.recipe.version} (pinned build; the binary has no version flag)`;
        continue;
      }
      const res = await runCommand(file, versionArgs);
      const printed = overrides.has(bin) ? versionSummary(res.stdout || res.stderr) : (res.stdout || res.stderr).trim().replace(/\s*\n\s*/g, '; ');
      versions[bin] = overrides.has(bin) ? `OVERRIDDEN by ${file} (not the pinned ${t.recipe.version}) — ${printed}` : `${t.recipe.version} — ${printed}`;
    }
  }
  const openssl = await runCommand(tool('openssl'), ['version']);
  versions.openssl = openssl.stdout.trim();
  versions['docker-registry'] = (await runCommand(tool('docker-registry'), ['--version'])).stdout.trim();
  for (const bin of ['conmon', 'crun']) versions[bin] = (await runCommand(tool(bin), ['--version'])).stdout.trim().split('\n')[0] ?? '';
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(VERSIONS_FILE, `${JSON.stringify(versions, null, 2)}\n`);
});

AfterAll({ on: 'COORDINATOR' as never }, function () {
  killEverythingNow();
});

Before(function (this: SigproofWorld) {
  this.dir = makeTempDir('scenario');
  unsubscribers.set(this, onCommand((record) => {
    this.commandCount++;
    this.toolsUsed.add(record.argv[0]?.split('/').pop() ?? '');
    void this.attach(formatRecord(record), { mediaType: 'text/plain', fileName: `command ${this.commandCount}: ${record.argv.slice(0, 2).join(' ')}` });
  }));
});

// Admission scenarios need a cluster; where the selected environment cannot
// give one here, they are skipped with the reason, never silently passed.
Before({ tags: '@kyverno' }, async function (this: SigproofWorld, { pickle }) {
  const reason = await environmentSkipReason(pickle.tags.map((t) => t.name));
  if (reason && strictMode()) throw new Error(`SIGPROOF_STRICT=1: this scenario would be skipped: ${reason}`);
  if (!reason) {
    // A cluster that is not on loopback (kind, existing) reaches the registries on another address.
    if (selectedEnvironment() !== 'embedded') this.registryHost = (await this.admission()).cluster.registryHost;
    return undefined;
  }
  void this.attach(reason, { mediaType: 'text/plain', fileName: SKIP_REASON_FILE });
  return 'skipped';
});

// The runtimes need root (their storage, namespaces and sockets). Without it the
// scenarios are skipped with that reason, unless the strict switch says a skip
// is a failure (CI sets it: nothing CI can run may be skipped there).
Before({ tags: '@crio or @containerd' }, function (this: SigproofWorld) {
  const reason = runtimeSkipReason();
  if (!reason) return undefined;
  if (strictMode()) throw new Error(`SIGPROOF_STRICT=1: this scenario would be skipped: ${reason}`);
  void this.attach(reason, { mediaType: 'text/plain', fileName: SKIP_REASON_FILE });
  return 'skipped';
});

After(async function (this: SigproofWorld, { result }) {
  unsubscribers.get(this)?.();
  clearScenarioOverrides();
  const failed = result?.status === Status.FAILED;
  for (const registry of this.registries.values()) {
    await registry.stop();
    // The registry's own log explains most failed pushes and lookups.
    if (failed && existsSync(registry.daemon.logFile)) {
      const log = lastOfLog(registry.daemon.logFile);
      if (log.trim()) void this.attach(log, { mediaType: LOG_MEDIA_TYPE, fileName: `log of registry ${registry.name} (${registry.kind})` });
    }
  }
  this.registries.clear();
  for (const [name, rt] of [['crio', this.crio], ['containerd', this.containerd]] as const) {
    if (!rt) continue;
    await rt.stop();
    if (failed && existsSync(rt.daemon.logFile)) {
      void this.attach(lastOfLog(rt.daemon.logFile), { mediaType: LOG_MEDIA_TYPE, fileName: `log of ${name}` });
    }
  }
  if (this.cluster) {
    if (failed && this.cluster.kyvernoLog && existsSync(this.cluster.kyvernoLog)) {
      void this.attach(lastOfLog(this.cluster.kyvernoLog), { mediaType: LOG_MEDIA_TYPE, fileName: 'log of kyverno' });
      if (this.cluster.apiserverLog && existsSync(this.cluster.apiserverLog)) void this.attach(lastOfLog(this.cluster.apiserverLog), { mediaType: LOG_MEDIA_TYPE, fileName: 'log of kube-apiserver' });
    }
    // Cluster-wide policies of this scenario go; so does its namespace.
    for (const policy of this.policies) await kubectl(this.cluster, ['delete', policy.kind, policy.name, '--wait=false'], { check: false });
    if (this.namespace) await kubectl(this.cluster, ['delete', 'namespace', this.namespace, '--wait=false'], { check: false });
  }
  if (existsSync(VERSIONS_FILE)) {
    const versions = JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as Record<string, string>;
    const used = Object.entries(versions).filter(([bin]) => this.toolsUsed.has(bin));
    if (used.length) void this.attach(used.map(([bin, v]) => `${bin}: ${v}`).join('\n'), { mediaType: 'text/plain', fileName: 'tool versions' });
  }
  removeTempDir(this.dir);
  // Nothing fails silently: a verdict that no Then step looked at is a defect in the scenario.
  if (!failed && this.outcome && !this.outcome.asserted) {
    throw new Error(`the outcome of "${this.outcome.what}" (exit ${this.outcome.record.exitCode}) was never asserted: add a Then step that checks it`);
  }
  if (!failed && this.claim && !this.claimAsserted) throw new Error('a signing-algorithm claim was run but its outcome was never asserted');
});
