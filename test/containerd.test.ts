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
