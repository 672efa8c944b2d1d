// Resolves every external program to one exact file: Go-built tools from
// .tools/bin (never whatever is on PATH), Debian tools from their package paths.
//
// Bring your own binary: SIGPROOF_TOOL_<NAME>=/path (NAME is the binary's name
// in upper case, non-alphanumerics as _, e.g. SIGPROOF_TOOL_COSIGN3) replaces a
// tool for the whole run; a scenario can replace one for itself. Every report
// then names the override, so a patched run is never mistaken for a release.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { REPO_ROOT } from '../support/lib/paths.ts';
import { DEBIAN_PACKAGES, TOOLS, binariesOf } from './versions.ts';
import { INSTALL_COMMAND, TOOLS_BIN } from '../support/lib/paths.ts';

const PROJECT_BINARIES = new Map(TOOLS.flatMap((t) => binariesOf(t).map((b) => [b, t] as const)));
const SYSTEM_BINARIES = new Map(DEBIAN_PACKAGES.map((p) => [p.provides.split('/').pop() as string, p] as const));

export class MissingToolError extends Error {}

const OVERRIDE_PREFIX = 'SIGPROOF_TOOL_';

/** Every binary a run can use, by the name an override refers to. */
function knownBinaries(): string[] {
  return [...PROJECT_BINARIES.keys(), ...SYSTEM_BINARIES.keys()].sort();
}

export function overrideVariable(bin: string): string {
  return `${OVERRIDE_PREFIX}${bin.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** Check an override path: it must exist and be executable. Relative paths are relative to the repository. */
function checkOverride(source: string, path: string): string {
  const file = isAbsolute(path) ? path : resolve(REPO_ROOT, path);
  if (!existsSync(file)) throw new Error(`${source}=${path}: no such file`);
  if (!statSync(file).isFile()) throw new Error(`${source}=${path}: not a file`);
  if (!isExecutable(file)) throw new Error(`${source}=${path}: not executable (chmod +x it)`);
  return file;
}

/** The run's overrides from the environment, checked; an unknown name lists the valid ones. */
export function environmentOverrides(env: NodeJS.ProcessEnv = process.env): Map<string, string> {
  const byVariable = new Map(knownBinaries().map((b) => [overrideVariable(b), b]));
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(OVERRIDE_PREFIX) || value === undefined) continue;
    const bin = byVariable.get(name);
    if (!bin) throw new Error(`${name} names no tool. Valid: ${[...byVariable.keys()].join(', ')}`);
    out.set(bin, checkOverride(name, value));
  }
  return out;
}

/** Per-thread overrides a scenario sets for itself (cleared after it). */
const scenarioOverrides = new Map<string, string>();

export function setScenarioOverride(bin: string, path: string): string {
  if (!knownBinaries().includes(bin)) throw new Error(`unknown tool "${bin}". Valid: ${knownBinaries().join(', ')}`);
  const file = checkOverride(`the override of ${bin}`, path);
  scenarioOverrides.set(bin, file);
  return file;
}

export function clearScenarioOverrides(): void {
  scenarioOverrides.clear();
}

/** The override in force for a binary, if any. */
function overrideOf(bin: string): string | undefined {
  const scenario = scenarioOverrides.get(bin);
  if (scenario) return scenario;
  const value = process.env[overrideVariable(bin)];
  return value ? checkOverride(overrideVariable(bin), value) : undefined;
}

export function tool(bin: string): string {
  const override = overrideOf(bin);
  if (override) return override;
  const pinned = PROJECT_BINARIES.get(bin);
  if (pinned) {
    const file = join(TOOLS_BIN, bin);
    if (!isExecutable(file)) {
      throw new MissingToolError(`${bin} (${pinned.name} ${pinned.recipe.version}) is not installed in .tools/bin. Run: ${INSTALL_COMMAND}`);
    }
    return file;
  }
  const pkg = SYSTEM_BINARIES.get(bin);
  if (pkg) {
    if (!isExecutable(pkg.provides)) {
      throw new MissingToolError(`${pkg.provides} is missing (Debian package ${pkg.name}). Run: ${INSTALL_COMMAND} (as root), or apt-get install -y ${pkg.name}`);
    }
    return pkg.provides;
  }
  throw new Error(`internal: "${bin}" is neither a pinned tool nor a known Debian package; add it to toolchain/versions.ts`);
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The informative lines of a version output (cosign prints ASCII art first). */
export function versionSummary(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const useful = lines.filter((l) => /version|patch|\bv?\d+\.\d+\.\d+/i.test(l) && /[a-z]{3}/i.test(l)).slice(0, 4);
  return (useful.length ? useful : lines.slice(-1)).join('; ');
}

/** The binary a feature means: "cosign v2" / "cosign v3", or `the tool "<bin>"`. */
export function binaryNamed(phrase: string): string {
  const named: Record<string, string> = { 'cosign v2': 'cosign2', 'cosign v3': 'cosign3' };
  return named[phrase] ?? phrase.replace(/^the tool "(.+)"$/, '$1');
}
