import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { logTail, mountPointsUnder, mountsUnder } from '../support/lib/cleanup.ts';

// /proc/self/mountinfo lines: the mount point is the fifth field, spaces and the like octal-escaped.
const MOUNTINFO = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '100 22 0:50 / /tmp/run rw,nosuid - tmpfs tmpfs rw',
  '101 100 0:51 / /tmp/run/crio/root/vfs/dir/abc rw - overlay overlay rw',
  '102 100 0:52 / /tmp/run/with\\040space rw - tmpfs tmpfs rw',
  '103 22 0:53 / /tmp/runner rw - tmpfs tmpfs rw',
  '',
].join('\n');

test('the mount points at or under a dir, deepest first', () => {
  assert.deepEqual(mountPointsUnder(MOUNTINFO, '/tmp/run'), ['/tmp/run/crio/root/vfs/dir/abc', '/tmp/run/with space', '/tmp/run']);
});

test('a sibling whose name starts the same is not under the dir', () => {
  assert.deepEqual(mountPointsUnder(MOUNTINFO, '/tmp/runner'), ['/tmp/runner']);
  assert.deepEqual(mountPointsUnder(MOUNTINFO, '/tmp/ru'), []);
});

test('octal escapes are decoded, so a mount point with a space is found by its real name', () => {
  assert.deepEqual(mountPointsUnder(MOUNTINFO, '/tmp/run/with space'), ['/tmp/run/with space']);
});

test('empty or truncated text gives no mount point', () => {
  assert.deepEqual(mountPointsUnder('', '/'), []);
  assert.deepEqual(mountPointsUnder('22 1 8:1 /\n', '/'), []);
});

test("this process's own mount table is read: the root is mounted", () => {
  assert.deepEqual(mountsUnder('/'), ['/']);
});

test('the tail of a log, or a note that there is none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sigproof-cleanup-'));
  try {
    writeFileSync(join(dir, 'd.log'), `${Array.from({ length: 8 }, (_, i) => `line ${i + 1}`).join('\n')}\n`);
    assert.equal(logTail(join(dir, 'd.log')), 'line 4\nline 5\nline 6\nline 7\nline 8');
    assert.equal(logTail(join(dir, 'none.log')), `(no log at ${join(dir, 'none.log')})`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
