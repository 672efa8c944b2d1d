import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CoreV1Event, V1Pod } from '@kubernetes/client-node';
import { bridgeConflist, subnetsInUse } from '../support/env/cni.ts';
import { kubeletConfig } from '../support/env/kubelet.ts';
import { nodeCleanupScript } from '../support/env/node-cleanup.ts';
import { podFate } from '../support/pod-fate.ts';

test('the bridge network masquerades nothing (no iptables) and keeps its leases in the node dir', () => {
  const c = JSON.parse(bridgeConflist('spbr1', '10.244.3.0/24', '/tmp/n/ipam')) as { plugins: Record<string, unknown>[] };
  const bridge = c.plugins[0] as { ipMasq: boolean; bridge: string; ipam: { dataDir: string; ranges: unknown } };
  assert.equal(bridge.ipMasq, false);
  assert.equal(bridge.bridge, 'spbr1');
  assert.equal(bridge.ipam.dataDir, '/tmp/n/ipam');
  assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.244.3.0/24' }]]);
  assert.equal(c.plugins.length, 1);
});

test('host routes in 10.244.x.0 are read from /proc/net/route (little-endian hex)', () => {
  const route = ['Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask', 'eth0\t00000000\t0100000A\t0003\t0\t0\t0\t00000000', 'spbr1\t0003F40A\t00000000\t0001\t0\t0\t0\t00FFFFFF', 'x\t0007F40B\t00000000\t0001\t0\t0\t0\t00FFFFFF', ''].join('\n');
  assert.deepEqual([...subnetsInUse(route)], [3]);
});

test('the kubelet runs on cgroup v1 and v2 with cgroupfs, its pods under the node cgroup, tainted for the scenario', () => {
  const c = JSON.parse(kubeletConfig({ name: 'sp-node-1', cgroupRoot: '/sigproof-node-1', runtimeSocket: '/tmp/n/crio.sock', port: 1, healthzPort: 2, resolvConf: '/tmp/n/resolv.conf', podLogsDir: '/tmp/n/logs', volumePluginDir: '/tmp/n/vp' })) as Record<string, unknown>;
  assert.equal(c.failCgroupV1, false);
  assert.equal(c.cgroupDriver, 'cgroupfs');
  assert.equal(c.cgroupRoot, '/sigproof-node-1');
  assert.equal(c.containerRuntimeEndpoint, 'unix:///tmp/n/crio.sock');
  assert.deepEqual(c.registerWithTaints, [{ key: 'sigproof.dev/node', value: 'sp-node-1', effect: 'NoSchedule' }]);
  assert.equal(c.address, '127.0.0.1');
});

test('the cleanup script kills by cgroup and by the node dir (never itself), removes hidden hierarchies and the bridge', () => {
  const mountinfo = '31 30 0:28 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n';
  const script = nodeCleanupScript({ cgroup: 'sigproof-node-1', dir: '/tmp/run/n', bridge: 'spbr1' }, { procCgroups: 'cpu\t1\t1\t1\nhugetlb\t0\t1\t1\n', mountinfo });
  assert.match(script, /cg='sigproof-node-1'; dir='\/tmp\/run\/n'/);
  assert.match(script, /\*"cg="\*\) ;;/);
  assert.match(script, /mount -t cgroup -o hugetlb/);
  assert.doesNotMatch(script, /-o cpu cgroup/);
  assert.match(script, /ip link delete 'spbr1'/);
});

const pod = (status: V1Pod['status']): V1Pod => ({ spec: { nodeName: 'sp-node-1', containers: [] }, status });
const warning = (reason: string, message: string, count = 1): CoreV1Event => ({ type: 'Warning', reason, message, count, involvedObject: {}, metadata: {} });

test('a pod runs when its phase is Running and every container runs', () => {
  const fate = podFate(pod({ phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: 'r/app@sha256:ab', ready: true, restartCount: 0, state: { running: {} } }] }), []);
  assert.equal(fate?.state, 'running');
  assert.match(fate?.message ?? '', /app started from r\/app@sha256:ab/);
});

test("a refused pull carries the waiting message and the kubelet's Failed events", () => {
  const fate = podFate(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: 'rpc error: blocked' } } }] }), [warning('Failed', 'Failed to pull image "x": signature required')]);
  assert.equal(fate?.state, 'pull refused');
  assert.match(fate?.message ?? '', /ErrImagePull: rpc error: blocked\nFailed to pull image "x": signature required/);
});

test('one sandbox failure may pass (the kubelet retries); two settle it', () => {
  const pending = pod({ phase: 'Pending' });
  assert.equal(podFate(pending, [warning('FailedCreatePodSandBox', 'pause refused')]), undefined);
  assert.equal(podFate(pending, [warning('FailedCreatePodSandBox', 'pause refused', 2)])?.state, 'sandbox failed');
  assert.equal(podFate(pending, []), undefined);
});

test("containerd's StartError counts as a container that could not be created, even behind the restart back-off", () => {
  const ended = { terminated: { exitCode: 128, reason: 'StartError', message: 'runc create failed: error running createRuntime hook #0: sigproof OCI hook refused x' } };
  const backingOff = pod({ phase: 'Running', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 1, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s' } }, lastState: ended }] });
  assert.deepEqual(podFate(backingOff, []), { state: 'create failed', message: 'app: StartError: runc create failed: error running createRuntime hook #0: sigproof OCI hook refused x' });
  const createError = pod({ phase: 'Pending', containerStatuses: [{ name: 'app', image: 'x', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'CreateContainerError', message: 'hook refused' } } }] });
  assert.equal(podFate(createError, [])?.state, 'create failed');
});
