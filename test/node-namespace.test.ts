import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cgroupMounts, hostHasCgroupV1, namespaceScript, unmountedControllers } from '../support/env/node-namespace.ts';

// This machine's layout: cgroup v1 under a tmpfs, hugetlb (and others) enabled but not mounted.
const V1 = [
  '30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755',
  '31 30 0:28 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu',
  '33 30 0:30 / /sys/fs/cgroup/cpuset rw,relatime - cgroup cgroup rw,cpuset',
  '39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd',
  '40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw',
  '',
].join('\n');
const V2 = '30 22 0:27 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n';
const PROC_CGROUPS = ['#subsys_name\thierarchy\tnum_cgroups\tenabled', 'cpuset\t3\t1\t1', 'cpu\t1\t1\t1', 'hugetlb\t0\t1\t1', 'net_cls\t11\t1\t1', 'rdma\t0\t1\t0', ''].join('\n');

test('the cgroup mounts under /sys/fs/cgroup, with their super options', () => {
  assert.deepEqual(
    cgroupMounts(V1).map((m) => `${m.type} ${m.point} ${m.options}`),
    ['cgroup /sys/fs/cgroup/cpu rw,cpu', 'cgroup /sys/fs/cgroup/cpuset rw,cpuset', 'cgroup /sys/fs/cgroup/systemd rw,name=systemd', 'cgroup2 /sys/fs/cgroup/unified rw'],
  );
});

test('controllers enabled but mounted nowhere visible, even when a hierarchy number says otherwise', () => {
  // net_cls has a hierarchy (a namespace that is gone mounted it) but no visible mount; rdma is disabled.
  assert.deepEqual(unmountedControllers(PROC_CGROUPS, V1), ['hugetlb', 'net_cls']);
});

test('a v1 host is told apart from a v2 host by the tmpfs at /sys/fs/cgroup', () => {
  assert.equal(hostHasCgroupV1(V1), true);
  assert.equal(hostHasCgroupV1(V2), false);
});

test('on v1 the namespace remounts every hierarchy, adds the missing controllers and the node cgroup, and hides the private dirs', () => {
  const script = namespaceScript({ mountinfo: V1, procCgroups: PROC_CGROUPS, cgroupV1: true }, 'sigproof-node-x', ['/tmp/run']);
  assert.match(script, /^mount -t tmpfs -o mode=755 sigproof-cgroup \/sys\/fs\/cgroup$/m);
  assert.match(script, /^mount -t cgroup -o 'rw,cpu' cgroup '\/sys\/fs\/cgroup\/cpu'$/m);
  assert.match(script, /^mount -t cgroup -o 'hugetlb' cgroup '\/sys\/fs\/cgroup\/hugetlb'$/m);
  assert.match(script, /^mkdir -p '\/sys\/fs\/cgroup\/hugetlb\/sigproof-node-x'$/m);
  // A new v1 cpuset child has no CPUs until given its parent's.
  assert.match(script, /^cat '\/sys\/fs\/cgroup\/cpuset\/cpuset.cpus' > '\/sys\/fs\/cgroup\/cpuset\/sigproof-node-x\/cpuset.cpus'$/m);
  for (const d of ['/run', '/var/log', '/var/lib']) assert.ok(script.includes(`sigproof-private '${d}'`), d);
});

test('on v2 only the node cgroup is made, with its controllers delegated; a private dir holding the run is left alone', () => {
  const script = namespaceScript({ mountinfo: V2, procCgroups: PROC_CGROUPS, cgroupV1: false }, 'sigproof-node-x', ['/var/lib/ci/run']);
  assert.doesNotMatch(script, /sigproof-cgroup/);
  assert.match(script, /mkdir -p '\/sys\/fs\/cgroup\/sigproof-node-x'/);
  assert.match(script, /cgroup\.subtree_control/);
  assert.ok(!script.includes(`sigproof-private '/var/lib'`));
  assert.ok(script.includes(`sigproof-private '/run'`));
});

test('a runtime without a kubelet gets the private dirs only, and no cgroup layout', () => {
  const script = namespaceScript({ mountinfo: V1, procCgroups: PROC_CGROUPS, cgroupV1: true }, undefined, ['/tmp/run']);
  assert.doesNotMatch(script, /cgroup/);
  assert.ok(script.includes(`sigproof-private '/run'`));
});
