// Installs every pinned tool into .tools/bin: Debian packages with apt-get when
// missing, Go tools built from the Go module proxy into a per-user cache
// (~/.cache/sigproof/tools/<name>-<version>/) and linked into the checkout.
// A tool whose cache entry matches its pin is never rebuilt.
//
//   node toolchain/install.ts            install everything that is missing
//   node toolchain/install.ts notation   only the named tools
//   node toolchain/install.ts --list     show pins and what is installed
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE_ROOT, REPO_ROOT, TOOLS_BIN } from '../support/lib/paths.ts';
import { runChecked } from '../support/lib/runner.ts';
import { DEBIAN_PACKAGES, TOOLS, binariesOf, type GoLocalBuild, type GoModuleBuild, type ToolPin } from './versions.ts';

const TOOL_CACHE = join(CACHE_ROOT, 'tools');
const LOCAL_SOURCES = join(REPO_ROOT, 'toolchain');
const GO_ENV = {
  GOMODCACHE: join(CACHE_ROOT, 'go', 'mod'),
  GOCACHE: join(CACHE_ROOT, 'go', 'build'),
  GOFLAGS: '-mod=readonly',
  GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? 'local',
};
// A cold Go build is silent for minutes; say it is still alive this often.
const PROGRESS_EVERY_MS = 20_000;
const BUILD_TIMEOUT_MS = 60 * 60_000;

class InstallError extends Error {}

function log(msg: string): void {
  process.stdout.write(`[tools] ${msg}\n`);
}

function elapsed(since: number): string {
  const s = Math.round((performance.now() - since) / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
}

/** A hash of the recipe: a changed pin, tag or flag means a different cache entry. */
function recipeStamp(tool: ToolPin): string {
  const hash = createHash('sha256').update(JSON.stringify(tool.recipe));
  // A main kept in this repo is rebuilt when its source changes, not only its pin.
  if (tool.recipe.kind === 'go-local') {
    const dir = join(LOCAL_SOURCES, tool.recipe.dir);
    for (const f of readdirSync(dir)
      .filter((f) => f === 'go.mod' || f === 'go.sum' || f.endsWith('.go'))
      .sort())
      hash.update(readFileSync(join(dir, f)));
  }
  return hash.digest('hex').slice(0, 16);
}

function toolDir(tool: ToolPin): string {
  return join(TOOL_CACHE, `${tool.name}-${tool.recipe.version}`);
}

function isCached(tool: ToolPin): boolean {
  const dir = toolDir(tool);
  const stampFile = join(dir, '.sigproof-stamp');
  if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8').trim() !== recipeStamp(tool)) return false;
  return binariesOf(tool).every((b) => existsSync(join(dir, 'bin', b)));
}

function linkIntoCheckout(tool: ToolPin): void {
  mkdirSync(TOOLS_BIN, { recursive: true });
  for (const bin of binariesOf(tool)) {
    const target = join(toolDir(tool), 'bin', bin);
    const link = join(TOOLS_BIN, bin);
    let current: string | undefined;
    try {
      current = lstatSync(link).isSymbolicLink() ? readlinkSync(link) : 'not-a-link';
    } catch {
      current = undefined;
    }
    if (current === target) continue;
    rmSync(link, { force: true });
    symlinkSync(target, link);
  }
}

/** The machine's Go: on PATH, or where the official tarball puts it. */
function goBinary(): string {
  if (process.env.GO) return process.env.GO;
  const onPath = (process.env.PATH ?? '')
    .split(':')
    .map((d) => join(d, 'go'))
    .find((f) => existsSync(f));
  return onPath ?? '/usr/local/go/bin/go';
}

function go(what: string, args: string[], cwd: string, extraEnv: Record<string, string> = {}) {
  return runChecked(goBinary(), args, {
    cwd,
    env: { ...process.env, ...GO_ENV, ...extraEnv },
    timeoutMs: BUILD_TIMEOUT_MS,
    what,
  });
}

/** Stripped binaries, with -X settings so `version` prints the pinned release. */
function ldflagsOf(x: Record<string, string> = {}): string {
  return ['-s', '-w', ...Object.entries(x).map(([k, v]) => `-X=${k}=${v}`)].join(' ');
}

async function buildGoModule(recipe: GoModuleBuild, outDir: string): Promise<void> {
  const ref = `${recipe.module}@${recipe.version}`;
  // `go install mod@version` is refused here: the proxy does not list every
  // module's versions (403 on @v/list). Downloading the exact version works, and
  // building inside its tree uses the module's own go.mod and go.sum.
  const dl = await go(`download ${ref}`, ['mod', 'download', '-json', ref], TOOL_CACHE);
  const dir = (JSON.parse(dl.stdout) as { Dir?: string; Error?: string }).Dir;
  if (!dir) throw new InstallError(`go mod download gave no source directory for ${ref}`);
  const ldflags = ldflagsOf(recipe.ldflagsX);
  for (const { pkg, bin } of recipe.binaries) {
    const args = ['build', '-trimpath', `-ldflags=${ldflags}`, '-o', join(outDir, bin)];
    if (recipe.tags?.length) args.push(`-tags=${recipe.tags.join(',')}`);
    args.push(pkg);
    await go(`build ${pkg}`, args, dir, { CGO_ENABLED: recipe.cgo ? '1' : '0' });
  }
  for (const c of recipe.makeBinaries ?? []) {
    // The module cache is read-only; make writes its objects next to the sources.
    const work = mkdtempSync(join(outDir, '..', 'make-'));
    await runChecked('cp', ['-r', '--no-preserve=mode', join(dir, c.dir), join(work, c.dir)], { what: `copy ${c.dir} out of ${ref}` });
    await runChecked('make', ['-C', join(work, c.dir)], { timeoutMs: BUILD_TIMEOUT_MS, what: `build ${c.bin} with make -C ${c.dir}` });
    cpSync(join(work, c.output), join(outDir, c.bin));
    rmSync(work, { recursive: true, force: true });
  }
  for (const share of recipe.shareDirs ?? []) {
    cpSync(join(dir, share), join(outDir, '..', 'share', share), { recursive: true });
  }
}

async function buildGoLocal(recipe: GoLocalBuild, outDir: string): Promise<void> {
  const dir = join(LOCAL_SOURCES, recipe.dir);
  for (const { pkg, bin } of recipe.binaries) {
    await go(`build ${pkg} in toolchain/${recipe.dir}`, ['build', '-trimpath', `-ldflags=${ldflagsOf(recipe.ldflagsX)}`, '-o', join(outDir, bin), pkg], dir, { CGO_ENABLED: '0' });
  }
  if (!recipe.cPrograms?.length) return;
  // The module's source as the wrapper's go.sum pins it, read-only in the module cache.
  const listed = await go(`locate ${recipe.module} in the module cache`, ['list', '-m', '-f', '{{.Dir}}', recipe.module], dir);
  const source = listed.stdout.trim();
  for (const c of recipe.cPrograms) {
    const defines = Object.entries(c.defines ?? {}).map(([k, v]) => `-D${k}=${v}`);
    await runChecked('gcc', ['-static', '-O2', '-Wall', ...defines, '-o', join(outDir, c.bin), join(source, c.source)], { timeoutMs: BUILD_TIMEOUT_MS, what: `compile ${c.source} of ${recipe.module} (gcc -static)` });
  }
}

async function installTool(tool: ToolPin): Promise<'cached' | 'built'> {
  if (isCached(tool)) {
    linkIntoCheckout(tool);
    return 'cached';
  }
  const dir = toolDir(tool);
  const staging = `${dir}.partial-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, 'bin'), { recursive: true });
  const started = performance.now();
  log(`${tool.name} ${tool.recipe.version}: building (${tool.purpose})`);
  const ticker = setInterval(() => log(`${tool.name} ${tool.recipe.version}: still building, ${elapsed(started)} so far`), PROGRESS_EVERY_MS);
  try {
    if (tool.recipe.kind === 'go-local') await buildGoLocal(tool.recipe, join(staging, 'bin'));
    else await buildGoModule(tool.recipe, join(staging, 'bin'));
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new InstallError(`${tool.name} ${tool.recipe.version} failed to build after ${elapsed(started)}: ${(err as Error).message}`);
  } finally {
    clearInterval(ticker);
  }
  writeFileSync(join(staging, '.sigproof-stamp'), `${recipeStamp(tool)}\n`);
  // Swap in the finished build in one step: an interrupted build never looks installed.
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  linkIntoCheckout(tool);
  log(`${tool.name} ${tool.recipe.version}: built in ${elapsed(started)}`);
  return 'built';
}

async function installDebianPackages(): Promise<void> {
  const missing = DEBIAN_PACKAGES.filter((p) => !existsSync(p.provides));
  if (missing.length === 0) return;
  const names = [...new Set(missing.map((p) => p.name))];
  if (process.getuid?.() !== 0) {
    throw new InstallError(`missing Debian packages: ${names.join(', ')}. Install them as root: apt-get update && apt-get install -y ${names.join(' ')}`);
  }
  log(`apt-get install ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await runChecked('apt-get', ['update', '-qq'], { env, timeoutMs: 600_000, what: 'update the apt package lists' });
  await runChecked('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], { env, timeoutMs: 900_000, what: `install the Debian packages ${names.join(', ')}` });
}

async function checkGo(): Promise<void> {
  await runChecked(goBinary(), ['version'], { timeoutMs: 30_000, what: 'run Go, which builds the tools (install Go 1.26.8 or newer and put it on PATH)' });
}

function list(): void {
  for (const tool of TOOLS) {
    const state = isCached(tool) ? 'installed' : 'missing';
    console.log(`${tool.name.padEnd(16)} ${tool.recipe.version.padEnd(10)} ${state.padEnd(10)} ${binariesOf(tool).join(', ')}`);
  }
  for (const p of DEBIAN_PACKAGES) console.log(`${p.name.padEnd(16)} ${'(debian)'.padEnd(10)} ${(existsSync(p.provides) ? 'installed' : 'missing').padEnd(10)} ${p.provides}`);
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--list')) {
    list();
    return 0;
  }
  const wanted = argv.filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !TOOLS.some((t) => t.name === w));
  if (unknown.length) {
    console.error(`unknown tool(s): ${unknown.join(', ')}. Known tools: ${TOOLS.map((t) => t.name).join(', ')}`);
    return 2;
  }
  const tools = wanted.length ? TOOLS.filter((t) => wanted.includes(t.name)) : TOOLS;
  const started = performance.now();
  mkdirSync(TOOL_CACHE, { recursive: true });
  try {
    await installDebianPackages();
    const toBuild = tools.filter((t) => !isCached(t));
    if (toBuild.length) await checkGo();
    if (toBuild.length) log(`building ${toBuild.length} of ${tools.length} tools: ${toBuild.map((t) => `${t.name} ${t.recipe.version}`).join(', ')}`);
    let built = 0;
    for (const tool of tools) if ((await installTool(tool)) === 'built') built++;
    log(`${tools.length} tools ready in .tools/bin (${built} built, ${tools.length - built} cached) in ${elapsed(started)}`);
    return 0;
  } catch (err) {
    console.error(`[tools] ERROR: ${(err as Error).message}`);
    return 1;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
