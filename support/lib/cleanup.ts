// Everything a run creates that outlives a function call (daemons, temp dirs) is
// registered here, so it is torn down on success, on failure, and on Ctrl-C.
//
// cucumber-js runs parallel workers as threads of one process, and only the
// main thread receives signals. So every thread keeps its temp dirs under one
// run directory named after the (shared) pid, and records each daemon's pid in
// it: the main thread can then kill and remove everything, whichever thread
// started it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

export const RUN_DIR = join(process.env.SIGPROOF_TMPDIR ?? tmpdir(), `sigproof-run-${process.pid}`);
const PID_DIR = join(RUN_DIR, 'pids');
const TEARDOWN_DIR = join(RUN_DIR, 'teardown');

export interface Daemon {
  name: string;
  pid: number;
  logFile: string;
  child: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/** A private (0700) temp dir inside the run dir: keys live in these. */
export function makeTempDir(prefix: string): string {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  return mkdtempSync(join(RUN_DIR, `${prefix}-`));
}

export function removeTempDir(dir: string): void {
  unmountUnder(dir);
  rmSync(dir, { recursive: true, force: true });
}

const STOP_GRACE_MS = 5_000;
const SETPRIV = '/usr/bin/setpriv';

/** Start a long-running process with its output in a log file (attached on failure). */
export function startDaemon(name: string, file: string, args: string[], opts: { env?: NodeJS.ProcessEnv; logDir: string }): Daemon {
  mkdirSync(opts.logDir, { recursive: true });
  mkdirSync(PID_DIR, { recursive: true });
  const logFile = join(opts.logDir, `${name}.log`);
  const fd = openSync(logFile, 'a');
  // setpriv --pdeathsig: the kernel kills the daemon if the thread that started it
  // dies, so even a SIGKILLed run leaves no registry behind.
  const [exe, argv] = existsSync(SETPRIV) ? [SETPRIV, ['--pdeathsig', 'KILL', '--', file, ...args]] : [file, args];
  const child = spawn(exe, argv, { env: opts.env ?? process.env, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const pidFile = child.pid ? join(PID_DIR, String(child.pid)) : undefined;
  if (pidFile) writeFileSync(pidFile, name);
  const exited = new Promise<number | null>((resolve) => {
    const done = (code: number | null) => {
      if (pidFile) rmSync(pidFile, { force: true });
      resolve(code);
    };
    child.once('exit', (code) => done(code));
    child.once('error', () => done(null));
  });
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };
  return { name, pid: child.pid ?? -1, logFile, child, exited, stop };
}

/**
 * A command that undoes something outside the run dir (a kind cluster). It is
 * recorded in the run dir, so whichever thread made the thing, the main thread
 * runs the command at the end of the run, on Ctrl-C, and a later run's sweep
 * runs it if this run was killed outright.
 */
export function registerTeardownCommand(name: string, argv: string[]): () => void {
  mkdirSync(TEARDOWN_DIR, { recursive: true });
  const file = join(TEARDOWN_DIR, `${name}.json`);
  writeFileSync(file, JSON.stringify(argv));
  return () => rmSync(file, { force: true });
}

function runTeardownCommands(runDir: string): void {
  const dir = join(runDir, 'teardown');
  if (!existsSync(dir)) return;
  for (const name of readdirSync(dir)) {
    try {
      const [file, ...args] = JSON.parse(readFileSync(join(dir, name), 'utf8')) as string[];
      if (!file) continue;
      const res = spawnSync(file, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120_000 });
      if (res.status !== 0) process.stderr.write(`sigproof: teardown "${[file, ...args].join(' ')}" failed: ${String(res.stderr ?? res.error ?? '').trim()}\n`);
    } catch (err) {
      process.stderr.write(`sigproof: teardown ${name} could not run: ${(err as Error).message}\n`);
    }
  }
}

/** Mount points at or under dir, deepest first (runtimes mount layers while they unpack). */
export function mountsUnder(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return [];
  }
  return mountPointsUnder(text, dir);
}

/** The mount points of a /proc/<pid>/mountinfo text at or under dir, deepest first. */
export function mountPointsUnder(mountinfo: string, dir: string): string[] {
  // Field 5 is the mount point, with spaces and the like octal-escaped.
  const points = mountinfo
    .split('\n')
    .map((l) => l.split(' ')[4])
    .filter((m): m is string => !!m)
    .map((m) => m.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))));
  return points.filter((m) => m === dir || m.startsWith(`${dir}/`)).sort((a, b) => b.length - a.length);
}

/** Never rm -rf through a bind mount: unmount (lazily) whatever is left under dir first. */
function unmountUnder(dir: string): void {
  for (const point of mountsUnder(dir)) spawnSync('umount', ['-l', point], { stdio: 'ignore', timeout: 30_000 });
}

const LOG_TAIL_LINES = 5;

/** The last lines of a daemon's log, for the error when it dies at start. */
export function logTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-LOG_TAIL_LINES).join('\n');
  } catch {
    return `(no log at ${file})`;
  }
}

/** Pids of daemons a run started and that have not been seen to exit. */
function liveDaemonPids(runDir = RUN_DIR): number[] {
  try {
    return readdirSync(join(runDir, 'pids'))
      .map(Number)
      .filter((pid) => isAlive(pid));
  } catch {
    return [];
  }
}

/**
 * Removes what earlier runs left when they were killed outright (SIGKILL, a CI
 * timeout): their run dirs, and any daemon still listed in them.
 */
export function sweepStaleRuns(): string[] {
  const base = dirname(RUN_DIR);
  const swept: string[] = [];
  for (const name of readdirSync(base)) {
    const m = /^sigproof-run-(\d+)$/.exec(name);
    if (!m || Number(m[1]) === process.pid || isAlive(Number(m[1]))) continue;
    const dir = join(base, name);
    for (const pid of liveDaemonPids(dir)) killQuietly(pid);
    runTeardownCommands(dir);
    unmountUnder(dir);
    rmSync(dir, { recursive: true, force: true });
    swept.push(dir);
  }
  return swept;
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Synchronous last resort, for exit and signal handlers, where nothing can be awaited. */
export function killEverythingNow(): void {
  for (const pid of liveDaemonPids()) killQuietly(pid);
  runTeardownCommands(RUN_DIR);
  unmountUnder(RUN_DIR);
  rmSync(RUN_DIR, { recursive: true, force: true });
}

let installed = false;
/** Ctrl-C and kill must not leave registries or keys behind. Main thread only: it gets the signals. */
export function installExitHandlers(): void {
  if (installed || !isMainThread) return;
  installed = true;
  process.once('exit', killEverythingNow);
  const codes = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
  for (const signal of Object.keys(codes) as (keyof typeof codes)[]) {
    process.once(signal, () => {
      process.stderr.write(`\nsigproof: ${signal} received, stopping every process of this run and removing its temp files\n`);
      killEverythingNow();
      // Worker threads run until the process ends and may have made files since;
      // the 'exit' handler above sweeps once more.
      process.exit(codes[signal]);
    });
  }
}
