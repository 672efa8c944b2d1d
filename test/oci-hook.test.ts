import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { crioHookJson, prepareOciHook, withCreateRuntimeHook } from '../support/env/oci-hook.ts';
import { costSummary, createToStartMs, median } from '../support/hook-cost.ts';
import { parseHookDecisions } from '../support/hook-decisions.ts';

const dir = mkdtempSync(join(tmpdir(), 'sigproof-oci-hook-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the hook as runc runs it: an executable wrapper, its flags in args, a PATH and a HOME of its own', () => {
  const hook = prepareOciHook(join(dir, 'a'), '{"registries":{},"default":{"action":"block"}}', { ctr: '/t/ctr', address: '/t/containerd.sock' });
  assert.equal(statSync(hook.spec.path).mode & 0o777, 0o755);
  assert.deepEqual(hook.spec.args.slice(1), ['--policy', hook.policyFile, '--log', hook.logFile, '--ctr', '/t/ctr', '--containerd-address', '/t/containerd.sock']);
  assert.equal(hook.spec.args[0], hook.spec.path);
  assert.deepEqual(hook.spec.env, ['PATH=/usr/bin:/bin', `HOME=${join(dir, 'a', 'home')}`]);
  assert.equal(readFileSync(hook.policyFile, 'utf8'), '{"registries":{},"default":{"action":"block"}}');
});

test("CRI-O's hook JSON (schema 1.0.0) runs the hook for every container at createRuntime", () => {
  const hook = prepareOciHook(join(dir, 'b'), '{}');
  assert.deepEqual(JSON.parse(crioHookJson(hook)), { version: '1.0.0', hook: hook.spec, when: { always: true }, stages: ['createRuntime'] });
});

test("containerd's base spec keeps the default spec and adds the hook after any createRuntime hook it had", () => {
  const hook = prepareOciHook(join(dir, 'c'), '{}');
  const spec = JSON.parse(withCreateRuntimeHook(JSON.stringify({ ociVersion: '1.2.0', process: { cwd: '/' }, hooks: { createRuntime: [{ path: '/other' }], poststop: [{ path: '/p' }] } }), hook));
  assert.deepEqual(spec.process, { cwd: '/' });
  assert.deepEqual(spec.hooks, { createRuntime: [{ path: '/other' }, hook.spec], poststop: [{ path: '/p' }] });
});

test('the decision log: one JSON line per decision; a broken line names the file and line', () => {
  const line = { time: 't', container: 'c', image: 'i', digest: 'd', allowed: true, reason: 'r', ms: 5 };
  assert.deepEqual(parseHookDecisions('f', `${JSON.stringify(line)}\n\n`), [line]);
  assert.throws(() => parseHookDecisions('f', `${JSON.stringify(line)}\n{`), /^Error: f:2: not a JSON decision/);
});

// Lines as CRI-O 1.36.3 and containerd 2.4.2 wrote them on a node of this project.
const CRIO_LOG = [
  'time="2026-12-02T09:13:39.833131791Z" level=info msg="Creating container: sp-9c/cost-0/app" id=5e name=/runtime.v1.RuntimeService/CreateContainer',
  'time="2026-12-02T09:13:40.158591781Z" level=info msg="Created container 8007: sp-9c/cost-0/app" id=5e name=/runtime.v1.RuntimeService/CreateContainer',
  'time="2026-12-02T09:13:40.159531133Z" level=info msg="Starting container: 8007" id=4e name=/runtime.v1.RuntimeService/StartContainer',
  'time="2026-12-02T09:13:40.166589819Z" level=info msg="Started container" PID=1894 containerID=8007 description=sp-9c/cost-0/app id=4e name=/runtime.v1.RuntimeService/StartContainer sandboxID=8e',
].join('\n');
const CONTAINERD_LOG = [
  'time="2026-12-02T09:13:48.703506075Z" level=info msg="CreateContainer within sandbox \\"44fb\\" for container name:\\"app\\""',
  'time="2026-12-02T09:13:48.731993173Z" level=info msg="CreateContainer within sandbox \\"44fb\\" for name:\\"app\\" returns container id \\"cb12\\""',
  'time="2026-12-02T09:13:48.732613937Z" level=info msg="StartContainer for \\"cb12\\""',
  'time="2026-12-02T09:13:49.079131072Z" level=info msg="StartContainer for \\"cb12\\" returns successfully"',
].join('\n');

test("cost figures: a container's create request to its start, from each runtime's own log lines", () => {
  assert.ok(Math.abs(createToStartMs('CRI-O', CRIO_LOG, { id: '8007', description: 'sp-9c/cost-0/app' }) - 333.457828) < 1e-3);
  assert.ok(Math.abs(createToStartMs('containerd', CONTAINERD_LOG, { id: 'cb12', description: 'sp-9c/cost-0/app' }) - 375.624997) < 1e-3);
  assert.throws(() => createToStartMs('CRI-O', CRIO_LOG, { id: '9999', description: 'sp-9c/cost-0/app' }), /the CRI-O log has no line for the start of container 9999 \(sp-9c\/cost-0\/app\)/);
  assert.throws(() => createToStartMs('containerd', CONTAINERD_LOG, { id: 'ffff', description: 'x' }), /the containerd log has no line for the start of container ffff/);
});

test('cost figures: medians, and the sentence findings.md shows', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
  const s = costSummary({ runtime: 'CRI-O', withoutHook: [100, 120, 110], withHook: [700, 720, 710], hookSelf: [500, 510, 520], pullUnverified: [200, 210, 220], pullVerified: [900, 910, 920] });
  assert.equal(s, 'CRI-O: CreateContainer + StartContainer, median of 3 pods: 710 ms with the OCI hook, 110 ms without (+600 ms; the hook itself 510 ms); CRI pull of the signed image, median of 3: 910 ms with pull-time verification, 210 ms without');
});
