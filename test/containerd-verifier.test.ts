import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

// The verifier as containerd runs it: fixed flags, the descriptor on stdin,
// the verdict in the exit code and the reason on stdout.
const VERIFIER = 'plugin/containerd-verifier.ts';
const dir = mkdtempSync(join(tmpdir(), 'sigproof-verifier-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const DIGEST = `sha256:${'a'.repeat(64)}`;
const descriptor = JSON.stringify({ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 1 });

function run(policy: object | string, name: string, stdin = descriptor, digest = DIGEST) {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, typeof policy === 'string' ? policy : JSON.stringify(policy));
  const res = spawnSync(process.execPath, [VERIFIER, '--policy', file, '-name', name, '-digest', digest, '-stdin-media-type', 'application/vnd.oci.descriptor.v1+json'], { input: stdin, encoding: 'utf8' });
  return { code: res.status, out: res.stdout.trim() };
}

const policy = { registries: { '127.0.0.1:1': { action: 'allow' }, '127.0.0.1:2': { action: 'block' } }, default: { action: 'block' } };

test('allow, block and the default rule, each with its reason', () => {
  assert.deepEqual(run(policy, '127.0.0.1:1/app:x'), { code: 0, out: 'allowed without verification by the rule for 127.0.0.1:1' });
  assert.deepEqual(run(policy, '127.0.0.1:2/app:x'), { code: 1, out: 'blocked by the rule for 127.0.0.1:2' });
  assert.deepEqual(run(policy, '127.0.0.1:3/app:x'), { code: 1, out: 'blocked by the default rule (no rule names this registry)' });
});

test('bad input blocks the pull and says why (fail closed)', () => {
  const notJson = run(policy, '127.0.0.1:1/app:x', 'not json');
  assert.equal(notJson.code, 2);
  assert.match(notJson.out, /^sigproof verifier: the descriptor on stdin is not JSON \(.+\); blocking$/);
  assert.match(run(policy, '127.0.0.1:1/app:x', descriptor, `sha256:${'b'.repeat(64)}`).out, /-digest sha256:b+ and the descriptor's sha256:a+ differ; blocking/);
  const bad = run('{"registries": {}}', '127.0.0.1:1/app:x');
  assert.equal(bad.code, 2);
  assert.match(bad.out, /"default" is missing: say what happens to a registry no rule names; blocking/);
});
