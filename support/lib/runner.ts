// The one runner for external commands. Every tool driver, the installer and the
// PKI go through runCommand, so argv, exit code, duration and output are always
// recorded the same way, and secrets are redacted before anything is kept.
import { AsyncLocalStorage } from 'node:async_hooks';
import { execa } from 'execa';
import { redact } from './redact.ts';

export interface CommandRecord {
  /** What the reader sees: the program's short name and its arguments. */
  argv: string[];
  exitCode: number;
  durationMs: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** The program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

interface RunOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  input?: string | Buffer;
  /** Every command has a deadline, so a hung tool fails its step instead of the suite. */
  timeoutMs?: number;
  /** Extra strings (passwords, key bodies) to blank out of the record. */
  secrets?: string[];
  /** Keep stdout as raw bytes (signatures); the record still gets a text form. */
  binaryStdout?: boolean;
}

export interface CommandResult extends CommandRecord {
  stdoutBytes?: Buffer;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 180_000;

type Listener = (record: CommandRecord) => void;
const listeners = new Set<Listener>();
// Work the run does for all scenarios (the shared cluster booting in the background) is nobody's evidence.
const unrecordedScope = new AsyncLocalStorage<true>();

/** Run fn with its commands kept out of the scenario running beside it: the run's own work, for every scenario. */
export function outsideScenarios<T>(fn: () => Promise<T>): Promise<T> {
  return unrecordedScope.run(true, fn);
}

/** Subscribe to every command run in this process (the World attaches them to steps). */
export function onCommand(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export async function runCommand(file: string, args: string[], opts: RunOptions = {}): Promise<CommandResult> {
  const started = performance.now();
  const result = await execa(file, args, {
    env: opts.env,
    extendEnv: opts.env === undefined,
    cwd: opts.cwd,
    input: opts.input,
    timeout: opts.timeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    reject: false,
    stripFinalNewline: false,
    encoding: opts.binaryStdout ? 'buffer' : 'utf8',
  });
  const durationMs = Math.round(performance.now() - started);
  const secrets = opts.secrets ?? [];
  const stdoutBytes = opts.binaryStdout ? Buffer.from(result.stdout as unknown as Uint8Array) : undefined;
  const stdoutText = stdoutBytes ? `<${stdoutBytes.length} bytes of binary output>` : String(result.stdout ?? '');
  const stderrText = opts.binaryStdout ? Buffer.from(result.stderr as unknown as Uint8Array).toString('utf8') : String(result.stderr ?? '');
  const record: CommandResult = {
    argv: [shortName(file), ...args].map((a) => redact(a, secrets)),
    exitCode: result.exitCode ?? (result.timedOut ? 124 : 127),
    durationMs,
    stdout: redact(stdoutText, secrets),
    stderr: redact(stderrText, secrets),
    timedOut: Boolean(result.timedOut),
    spawnError: result.failed && result.exitCode === undefined && !result.timedOut ? result.shortMessage : undefined,
    stdoutBytes,
  };
  if (!unrecordedScope.getStore()) for (const listener of listeners) listener(record);
  return record;
}

interface CheckedOptions extends RunOptions {
  /**
   * What the command was for, read as "could not <what>" when it fails: the
   * reader learns which step broke before reading any argv.
   */
  what: string;
}

/** Run and throw a readable error unless the command exits 0. */
export async function runChecked(file: string, args: string[], opts: CheckedOptions): Promise<CommandResult> {
  const record = await runCommand(file, args, opts);
  if (record.exitCode !== 0) throw new CommandFailed(record, opts.what);
  return record;
}

const FAILURE_OUTPUT_CHARS = 1500;

export class CommandFailed extends Error {
  readonly record: CommandRecord;
  constructor(record: CommandRecord, what?: string) {
    const why = record.spawnError ?? (record.timedOut ? `timed out after ${record.durationMs} ms` : `exit code ${record.exitCode}`);
    const tail = trimOutput((record.stderr || record.stdout).trim(), FAILURE_OUTPUT_CHARS);
    super(`${what ? `could not ${what}: ` : ''}command failed (${why}): ${record.argv.join(' ')}${tail ? `\n${tail}` : ''}`);
    this.name = 'CommandFailed';
    this.record = record;
  }
}

/** Keep the head and the tail of long output: errors usually sit at the end. */
export function trimOutput(text: string, max: number): string {
  if (text.length <= max) return text;
  const half = Math.floor(max / 2);
  return `${text.slice(0, half)}\n… [${text.length - max} characters trimmed] …\n${text.slice(-half)}`;
}

/** Short, readable program names in reports: the project's paths are noise. */
function shortName(file: string): string {
  const marker = '/.tools/bin/';
  const i = file.indexOf(marker);
  return i >= 0 ? file.slice(i + marker.length) : file;
}

const RECORD_OUTPUT_CHARS = 4000;

export function formatRecord(record: CommandRecord): string {
  const lines = [`$ ${record.argv.map(quoteArg).join(' ')}`, `exit ${record.exitCode}${record.timedOut ? ' (timed out)' : ''} in ${record.durationMs} ms${record.spawnError ? ` — ${record.spawnError}` : ''}`];
  const out = record.stdout.trim();
  const err = record.stderr.trim();
  if (out) lines.push('--- stdout', trimOutput(out, RECORD_OUTPUT_CHARS));
  if (err) lines.push('--- stderr', trimOutput(err, RECORD_OUTPUT_CHARS));
  return lines.join('\n');
}

function quoteArg(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`;
}
