import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { environmentOverrides, overrideVariable } from '../toolchain/tool-paths.ts';

test('an override variable is named after the binary', () => {
  assert.equal(overrideVariable('cosign3'), 'SIGPROOF_TOOL_COSIGN3');
  assert.equal(overrideVariable('kube-apiserver'), 'SIGPROOF_TOOL_KUBE_APISERVER');
});

test('a good override is taken; a bad one fails with the variable and the reason', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigproof-override-'));
  try {
    const exe = join(dir, 'cosign');
    writeFileSync(exe, '#!/bin/sh\n');
    chmodSync(exe, 0o755);
    assert.equal(environmentOverrides({ SIGPROOF_TOOL_COSIGN3: exe }).get('cosign3'), exe);
    const plain = join(dir, 'plain');
    writeFileSync(plain, '');
    assert.throws(() => environmentOverrides({ SIGPROOF_TOOL_COSIGN3: plain }), /SIGPROOF_TOOL_COSIGN3=.*plain: not executable/);
    assert.throws(() => environmentOverrides({ SIGPROOF_TOOL_COSIGN3: join(dir, 'nope') }), /SIGPROOF_TOOL_COSIGN3=.*nope: no such file/);
    assert.throws(() => environmentOverrides({ SIGPROOF_TOOL_COSING3: exe }), /SIGPROOF_TOOL_COSING3 names no tool\. Valid: .*SIGPROOF_TOOL_COSIGN3/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
