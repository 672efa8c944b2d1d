import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CommandFailed, type CommandRecord, formatRecord, onCommand, runChecked, runCommand, trimOutput } from '../support/lib/runner.ts';

// Real commands, all of them this Node: the runner is exercised the way the drivers use it.
const NODE = process.execPath;
const node = (script: string): [string, string[]] => [NODE, ['-e', script]];
// Assembled at run time, so this fixture is not itself a key block in the repository.
const PEM = (kind: 'BEGIN' | 'END') => `-----${kind} PRIVATE KEY-----`;
const KEY = `${PEM('BEGIN')}\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n${PEM('END')}`;
const dir = mkdtempSync(join(tmpdir(), 'sigproof-runner-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('a command is recorded with argv, exit code, duration and both outputs', async () => {
  const res = await runCommand(...node('process.stdout.write("out"); process.stderr.write("err"); process.exit(3)'));
  assert.deepEqual([res.exitCode, res.stdout, res.stderr, res.timedOut, res.spawnError], [3, 'out', 'err', false, undefined]);
  assert.deepEqual(res.argv.slice(1, 2), ['-e']);
  assert.ok(res.durationMs >= 0);
});

test('private keys and named secrets are redacted from output and argv before anything keeps them', async () => {
  const secret = 'correct-horse-battery-staple';
  const seen: CommandRecord[] = [];
  const stop = onCommand((r) => seen.push(r));
  try {
    const res = await runCommand(NODE, ['-e', `console.log(${JSON.stringify(KEY)}); console.error("pw=" + process.argv[1])`, secret], { secrets: [secret] });
    assert.equal(res.stdout, '[redacted private key]\n');
    assert.equal(res.stderr, 'pw=[redacted]\n');
    assert.ok(!res.argv.join(' ').includes(secret) && res.argv.includes('[redacted]'));
    assert.ok(!res.argv.join(' ').includes('MIIEvQ'), 'the key in the script argument is redacted too');
    assert.equal(seen.length, 1);
    assert.equal(seen[0]?.stdout, res.stdout, 'listeners get the redacted record');
  } finally {
    stop();
  }
  await runCommand(...node(''));
  assert.equal(seen.length, 1, 'an unsubscribed listener hears nothing more');
});

test('binary output is kept as bytes, and the record says how many', async () => {
  const res = await runCommand(...node('process.stdout.write(Buffer.from([0, 255, 1]))'), { binaryStdout: true });
  assert.deepEqual([...(res.stdoutBytes ?? [])], [0, 255, 1]);
  assert.equal(res.stdout, '<3 bytes of binary output>');
});

test('a program that cannot start, and one that overruns its deadline, are told apart', async () => {
  const missing = await runCommand(join(dir, 'no-such-program'), []);
  assert.equal(missing.exitCode, 127);
  assert.match(missing.spawnError ?? '', /ENOENT/);
  const hung = await runCommand(...node('setInterval(() => {}, 1000)'), { timeoutMs: 300 });
  assert.deepEqual([hung.timedOut, hung.exitCode], [true, 124]);
});

test('runChecked says what the command was for, why it failed and the end of its output', async () => {
  const failing = node('console.error("line 1\\nthe real error"); process.exit(1)');
  await assert.rejects(runChecked(...failing, { what: 'create the Kyverno CRDs' }), (err: unknown) => {
    assert.ok(err instanceof CommandFailed);
    assert.match(err.message, /^could not create the Kyverno CRDs: command failed \(exit code 1\): \S*node -e /);
    assert.match(err.message, /\nline 1\nthe real error$/);
    assert.equal(err.record.exitCode, 1);
    return true;
  });
  assert.equal((await runChecked(...node('console.log("ok")'), { what: 'print ok' })).stdout, 'ok\n');
});

test('a failure keeps the head and the tail of long output', async () => {
  const err = await runChecked(...node('console.error("HEAD" + "x".repeat(5000) + "TAIL"); process.exit(2)'), { what: 'be long' }).catch((e: unknown) => e);
  assert.ok(err instanceof CommandFailed);
  assert.match(err.message, /\nHEADx+\n… \[3508 characters trimmed\] …\nx+TAIL$/);
});

test('trimOutput leaves short text alone and keeps both ends of long text', () => {
  assert.equal(trimOutput('short', 10), 'short');
  assert.equal(trimOutput('abcdefghijklmnopqrstuvwxyz', 10), 'abcde\n… [16 characters trimmed] …\nvwxyz');
});

test('programs from .tools/bin are recorded by their short name, and records print as a shell line', async () => {
  const bin = join(dir, '.tools', 'bin');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'greet'), '#!/bin/sh\necho "hello $1"\n');
  chmodSync(join(bin, 'greet'), 0o755);
  const res = await runCommand(join(bin, 'greet'), ["it's me"]);
  assert.deepEqual(res.argv, ['greet', "it's me"]);
  assert.equal(formatRecord(res).split('\n')[0], `$ greet 'it'\\''s me'`);
  assert.match(formatRecord(res), /^exit 0 in \d+ ms\n--- stdout\nhello it's me$/m);
});
