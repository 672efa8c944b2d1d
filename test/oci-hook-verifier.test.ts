import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { containerImageOf, targetDigestOf, targetsToVerify } from '../plugin/container-image.ts';

const D1 = `sha256:${'1'.repeat(64)}`;
const D2 = `sha256:${'2'.repeat(64)}`;

test("CRI-O's annotations: some name of the image (Image holds its ID), and every repo digest it has, each to verify", () => {
  const image = containerImageOf({ 'io.kubernetes.cri-o.Image': 'f1cc3f9f66a1', 'io.kubernetes.cri-o.ImageName': '127.0.0.1:5000/app:signed', 'io.kubernetes.cri-o.ImageRepoDigests': `127.0.0.1:6000/app@${D1},127.0.0.1:5000/app@${D1}`, 'io.kubernetes.cri-o.ContainerType': 'container' });
  assert.deepEqual(image, { runtime: 'CRI-O', type: 'container', name: '127.0.0.1:5000/app:signed', repoDigests: [`127.0.0.1:6000/app@${D1}`, `127.0.0.1:5000/app@${D1}`] });
  assert.deepEqual(targetsToVerify(image), [
    { name: '127.0.0.1:6000/app', digest: D1 },
    { name: '127.0.0.1:5000/app', digest: D1 },
  ]);
  assert.throws(() => targetsToVerify({ ...image, repoDigests: [] }), /CRI-O lists no repo digest for 127\.0\.0\.1:5000\/app:signed/);
});

test("containerd's annotations name the image only; a sandbox names its pause image", () => {
  assert.deepEqual(containerImageOf({ 'io.kubernetes.cri.image-name': '127.0.0.1:5000/app:signed', 'io.kubernetes.cri.container-type': 'container' }), { runtime: 'containerd', type: 'container', name: '127.0.0.1:5000/app:signed', repoDigests: [] });
  assert.equal(containerImageOf({ 'io.kubernetes.cri.podsandbox.image-name': '127.0.0.1:5000/pause:3.10', 'io.kubernetes.cri.container-type': 'sandbox' }).type, 'sandbox');
});

test('containerd: a pinned digest wins, else what the name points at in its store (ctr images ls); none is an error, not a guess', () => {
  const image = (name: string) => containerImageOf({ 'io.kubernetes.cri.image-name': name });
  assert.deepEqual(targetsToVerify(image(`127.0.0.1:5000/app@${D2}`), D1), [{ name: `127.0.0.1:5000/app@${D2}`, digest: D2 }]);
  assert.deepEqual(targetsToVerify(image('127.0.0.1:5000/app:x'), D1), [{ name: '127.0.0.1:5000/app:x', digest: D1 }]);
  assert.throws(() => targetsToVerify(image('127.0.0.1:5000/app:x')), /no digest for 127\.0\.0\.1:5000\/app:x: its name pins none and the store was not asked/);
  // As ctr 2.4.2 prints it: REF TYPE DIGEST SIZE PLATFORMS LABELS.
  const listing = [
    'REF                              TYPE                                    DIGEST   SIZE    PLATFORMS   LABELS',
    `127.0.0.1:6000/app:x             application/vnd.oci.image.manifest.v1+json ${D2} 2.1 MiB linux/amd64 io.cri-containerd.image=managed`,
    `127.0.0.1:5000/app:x             application/vnd.oci.image.manifest.v1+json ${D1} 2.1 MiB linux/amd64 io.cri-containerd.image=managed`,
  ].join('\n');
  assert.equal(targetDigestOf(listing, '127.0.0.1:5000/app:x'), D1);
  assert.throws(() => targetDigestOf(listing, '127.0.0.1:5000/app:y'), /containerd's image store has no image named 127\.0\.0\.1:5000\/app:y/);
  assert.throws(() => containerImageOf({ 'org.opencontainers.image.title': 'x' }), /no image annotation \(io\.kubernetes\.cri-o\.Image or io\.kubernetes\.cri\.image-name\)/);
});

// The hook as runc runs it: the state on stdin, the verdict in the exit code,
// one line of reason on stdout and one JSON line per decision in --log.
const HOOK = 'plugin/oci-hook-verifier.ts';
const dir = mkdtempSync(join(tmpdir(), 'sigproof-hook-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const policyFile = join(dir, 'policy.json');
writeFileSync(policyFile, JSON.stringify({ registries: { '127.0.0.1:1': { action: 'allow' } }, default: { action: 'block' } }));
const log = join(dir, 'decisions.jsonl');

function hook(annotations: Record<string, string> | undefined, stdin?: string) {
  const bundle = join(dir, `b-${Math.random().toString(36).slice(2)}`);
  mkdirSync(bundle);
  if (annotations) writeFileSync(join(bundle, 'config.json'), JSON.stringify({ ociVersion: '1.2.0', annotations }));
  const res = spawnSync(process.execPath, [HOOK, '--policy', policyFile, '--log', log], { input: stdin ?? JSON.stringify({ ociVersion: '1.2.0', id: 'c1', status: 'creating', bundle }), encoding: 'utf8' });
  return { code: res.status, out: res.stdout.trim() };
}

test('allow and block by the rule for the registry of the image the container runs', () => {
  const crio = (name: string) => ({ 'io.kubernetes.cri-o.ImageName': name, 'io.kubernetes.cri-o.ImageRepoDigests': `${name.split(':').slice(0, 2).join(':')}@${D1}` });
  assert.deepEqual(hook(crio('127.0.0.1:1/app:x')), { code: 0, out: 'sigproof OCI hook: allowed without verification by the rule for 127.0.0.1:1' });
  assert.deepEqual(hook(crio('127.0.0.1:2/app:x')), { code: 1, out: 'sigproof OCI hook refused 127.0.0.1:2/app:x: blocked by the default rule (no rule names this registry)' });
  const last = JSON.parse(readFileSync(log, 'utf8').trim().split('\n').at(-1) as string);
  assert.equal(typeof last.ms, 'number');
  assert.deepEqual({ ...last, time: undefined, ms: undefined }, { time: undefined, ms: undefined, container: 'c1', image: '127.0.0.1:2/app:x', judged: [`127.0.0.1:2/app@${D1}`], allowed: false, reason: 'blocked by the default rule (no rule names this registry)' });
});

test("CRI-O: content known under an allowed and a blocked name is refused: every name's rule must let it run", () => {
  const both = { 'io.kubernetes.cri-o.ImageName': '127.0.0.1:1/app:x', 'io.kubernetes.cri-o.ImageRepoDigests': `127.0.0.1:1/app@${D1},127.0.0.1:2/app@${D1}` };
  assert.deepEqual(hook(both), { code: 1, out: 'sigproof OCI hook refused 127.0.0.1:1/app:x: blocked by the default rule (no rule names this registry)' });
});

test('bad input refuses the container and says why (fail closed)', () => {
  assert.deepEqual(hook(undefined, 'not json').code, 1);
  assert.match(hook(undefined, 'not json').out, /refused container \?: the container state on stdin is not JSON/);
  assert.match(hook(undefined).out, /refused container c1: cannot tell which image .+ runs: ENOENT/);
  assert.match(hook({ other: 'x' }).out, /cannot tell which image .+ runs: no image annotation/);
  // containerd's name without a digest, and no way to ask the runtime for one.
  assert.match(hook({ 'io.kubernetes.cri.image-name': '127.0.0.1:1/app:x' }).out, /the hook was given no --ctr and --containerd-address to ask the runtime/);
});
