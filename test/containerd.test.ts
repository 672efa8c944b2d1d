import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerdConfig } from '../support/env/containerd.ts';

test('the containerd config points into the scenario dir and keeps CRI pulls on the transfer service', () => {
  const cfg = containerdConfig('/tmp/x');
  assert.match(cfg, /bin_dir = "\/tmp\/x\/verifiers"/);
  assert.match(cfg, /root = "\/tmp\/x\/root"/);
  // CRI falls back to local pull (no verifiers) if mirrors/configs/auths are set.
  assert.doesNotMatch(cfg, /mirrors|configs|auths/);
});

test('on a node, containerd gets the sandbox image, runc state in its dir, the node CNI dirs, and an oom score it may set', () => {
  const cfg = containerdConfig('/tmp/x', { pauseImage: '127.0.0.1:5/pause:3.10', cniConfDir: '/tmp/n/conf', cniBinDir: '/tmp/n/bin' });
  assert.match(cfg, /sandbox = "127\.0\.0\.1:5\/pause:3\.10"/);
  assert.match(cfg, /Root = "\/tmp\/x\/runc"/);
  assert.match(cfg, /bin_dirs = \["\/tmp\/n\/bin"\]/);
  // The key belongs to the CRI runtime table itself, not to the cni table below it.
  assert.match(cfg, /\[plugins\."io\.containerd\.cri\.v1\.runtime"\]\n {2}restrict_oom_score_adj = true\n/);
  assert.doesNotMatch(containerdConfig('/tmp/x'), /restrict_oom_score_adj|pinned_images/);
});

test("with the OCI hook, the runc handler's base runtime spec is the one sigproof wrote, under the handler's own table", () => {
  const node = { pauseImage: '127.0.0.1:5/pause:3.10', cniConfDir: '/tmp/n/conf', cniBinDir: '/tmp/n/bin' };
  const cfg = containerdConfig('/tmp/x', node, '/tmp/x/base.json');
  assert.match(cfg, /runtimes\.runc\]\n {4}runtime_type = "io\.containerd\.runc\.v2"\n {4}base_runtime_spec = "\/tmp\/x\/base\.json"\n/);
  assert.doesNotMatch(containerdConfig('/tmp/x', node), /base_runtime_spec/);
});

test("credentials the legacy way go into CRI's registry.configs, under the registry's own table, beside the hosts dir", () => {
  const cfg = containerdConfig('/tmp/x', undefined, undefined, { host: '127.0.0.1:5000', username: 'u', password: 'p' });
  assert.match(cfg, /config_path = "\/tmp\/x\/certs\.d"\n {2}\[plugins\."io\.containerd\.cri\.v1\.images"\.registry\.configs\."127\.0\.0\.1:5000"\.auth\]\n {4}username = "u"\n {4}password = "p"\n/);
  assert.doesNotMatch(containerdConfig('/tmp/x'), /registry\.configs/);
});
