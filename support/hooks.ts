// Lifecycle: check and record the toolchain once per run, give each scenario
// its own temp dir and evidence trail, skip what cannot run here (with the
// reason), and run the scenario's teardown stack on success, failure and Ctrl-C.
import { After, AfterAll, Before, BeforeAll, setDefaultTimeout, setParallelCanAssign, Status } from '@cucumber/cucumber';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentOverrides, overrideVariable, tool, versionSummary } from '../toolchain/tool-paths.ts';
import { TOOLS } from '../toolchain/versions.ts';
import { bootSharedClusterInBackground, environmentSkipReason, selectedEnvironment } from './env/cluster.ts';
import { configuredRegistryHost } from './env/registry-host.ts';
import { installExitHandlers, killEverythingNow, makeTempDir, removeTempDir, sweepStaleRuns } from './lib/cleanup.ts';
import { REPORTS_DIR } from './lib/paths.ts';
import { runtimeSkipReason, strictMode } from './lib/privileges.ts';
import { formatRecord, onCommand, runCommand } from './lib/runner.ts';
import { ATTACHMENT, commandAttachmentName } from './report/attachments.ts';
import { runNeedsSharedCluster } from './run-plan.ts';
import type { SigproofWorld } from './world.ts';

// Generous: a scenario may build a 4096-bit PKI and run several tools. Each
// command has its own deadline in the runner; this only catches a hung step.
setDefaultTimeout(5 * 60_000);

const VERSIONS_FILE = join(REPORTS_DIR, 'tool-versions.json');

// Scenarios tagged @exclusive change shared state (they stop Kyverno): they
// run alone, and nothing starts beside them.
const isExclusive = (p: { tags: readonly { name: string }[] }) => p.tags.some((t) => t.name === '@exclusive');
setParallelCanAssign((pickle, running) => (isExclusive(pickle) ? running.length === 0 : !running.some(isExclusive)));

/** What every tool of the run says its version is; overridden tools say so. The probes run side by side. */
async function toolVersions(overrides: Map<string, string>): Promise<Record<string, string>> {
  const probes: Promise<[string, string]>[] = [];
  for (const t of TOOLS) {
    const programs = [...t.recipe.binaries, ...(t.recipe.kind === 'go-local' ? (t.recipe.cPrograms ?? []) : [])];
    for (const { bin, ...b } of programs) {
      const file = tool(bin);
      const versionArgs = ('versionArgs' in b ? b.versionArgs : undefined) ?? t.versionArgs;
      if (!versionArgs) {
        probes.push(Promise.resolve([bin, `${t.recipe.version} (pinned build; the binary has no version flag)`]));
        continue;
      }
      probes.push(
        runCommand(file, versionArgs).then((res) => {
          const printed = overrides.has(bin) ? versionSummary(res.stdout || res.stderr) : (res.stdout || res.stderr).trim().replace(/\s*\n\s*/g, '; ');
          return [bin, overrides.has(bin) ? `OVERRIDDEN by ${file} (not the pinned ${t.recipe.version}) — ${printed}` : `${t.recipe.version} — ${printed}`];
        }),
      );
    }
  }
  const firstLine = (bin: string, args: string[]) => runCommand(tool(bin), args).then((res): [string, string] => [bin, res.stdout.trim().split('\n')[0] ?? '']);
  probes.push(firstLine('openssl', ['version']), firstLine('docker-registry', ['--version']), firstLine('conmon', ['--version']), firstLine('runc', ['--version']));
  return Object.fromEntries(await Promise.all(probes));
}

BeforeAll({ on: 'COORDINATOR' as never }, async () => {
  installExitHandlers();
  // An unknown SIGPROOF_ENV stops the run here, with the valid values.
  selectedEnvironment();
  // So does a SIGPROOF_REGISTRY_HOST the tools could not use, with the reason,
  // and a SIGPROOF_TOOL_* override that names no tool or no executable file.
  configuredRegistryHost();
  const overrides = environmentOverrides();
  for (const [bin, file] of overrides) console.log(`sigproof: ${bin} is overridden by ${file} (${overrideVariable(bin)}); the reports say so`);
  for (const dir of sweepStaleRuns()) console.log(`sigproof: removed ${dir}, left by a run that was killed`);
  // A missing tool fails the run here, with the install command.
  const versions = await toolVersions(overrides);
  mkdirSync(REPORTS_DIR, { recursive: true });
  writeFileSync(VERSIONS_FILE, `${JSON.stringify(versions, null, 2)}\n`);
  // The scenarios that need the cluster run last (run-plan.ts): it boots while the others run.
  if (runNeedsSharedCluster()) await bootSharedClusterInBackground();
});

AfterAll({ on: 'COORDINATOR' as never }, () => {
  killEverythingNow();
});

Before(function (this: SigproofWorld) {
  const s = this.scenario;
  s.dir = makeTempDir('scenario');
  // The first stop registered runs last: the temp dir goes after everything that used it.
  s.teardown.push('the scenario temp dir', () => removeTempDir(s.dir));
  const toolsUsed = new Set<string>();
  let commands = 0;
  const unsubscribe = onCommand((record) => {
    toolsUsed.add(record.argv[0]?.split('/').pop() ?? '');
    s.note(commandAttachmentName(++commands, record.argv), formatRecord(record));
  });
  s.teardown.push('the tool versions note', () => {
    unsubscribe();
    if (!existsSync(VERSIONS_FILE)) return;
    const versions = JSON.parse(readFileSync(VERSIONS_FILE, 'utf8')) as Record<string, string>;
    const used = Object.entries(versions).filter(([bin]) => toolsUsed.has(bin));
    if (used.length) s.note(ATTACHMENT.toolVersions, used.map(([bin, v]) => `${bin}: ${v}`).join('\n'));
  });
});

/** A scenario that cannot run here is skipped with its reason, unless the strict switch (CI) makes that a failure. */
function skip(world: SigproofWorld, reason: string): 'skipped' {
  if (strictMode()) throw new Error(`SIGPROOF_STRICT=1: this scenario would be skipped: ${reason}`);
  world.scenario.note(ATTACHMENT.skipReason, reason);
  return 'skipped';
}

// Admission scenarios need a cluster; where the selected environment cannot give one here, they are skipped.
Before({ tags: '@kyverno' }, async function (this: SigproofWorld, { pickle }) {
  const reason = await environmentSkipReason(pickle.tags.map((t) => t.name));
  if (reason) return skip(this, reason);
  // A cluster that is not on loopback (kind, existing) reaches the registries on another address.
  if (selectedEnvironment() !== 'embedded') this.registries.host = await this.admission.registryHost();
  return undefined;
});

// A node needs a per-scenario runtime policy and its own kubelet: only a cluster the run makes itself gives that.
Before({ tags: '@node' }, function (this: SigproofWorld) {
  const env = selectedEnvironment();
  if (env !== 'embedded') return skip(this, `a node scenario starts its own kubelet and runtime with the scenario's policy; on the ${env} environment the nodes and their runtime policies belong to the cluster`);
  return undefined;
});

// The runtimes need root (their storage, namespaces and sockets).
Before({ tags: '@crio or @containerd' }, function (this: SigproofWorld) {
  const reason = runtimeSkipReason();
  return reason ? skip(this, reason) : undefined;
});

After(async function (this: SigproofWorld, { result }) {
  const failed = result?.status === Status.FAILED;
  const errors = await this.scenario.teardown.run(failed);
  if (errors.length) throw new Error(`teardown failed:\n${errors.join('\n')}`);
  // Nothing fails silently: a verdict that no Then step looked at is a defect in the scenario.
  const unchecked = this.uncheckedOutcome();
  if (!failed && unchecked) throw new Error(`the outcome of "${unchecked.what}" (exit ${unchecked.record.exitCode}) was never asserted: add a Then step that checks it`);
});
