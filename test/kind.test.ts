import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gatewayFromRoute, kindUnavailableReason, kyvernoInstallUrl } from '../support/env/kind.ts';

test('the kind gateway is read from the node default route', () => {
  assert.equal(gatewayFromRoute('default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2\n'), '172.18.0.1');
  assert.equal(gatewayFromRoute('172.18.0.0/16 dev eth0\n'), undefined);
});

test('Kyverno is installed in kind from the release of the pinned version', () => {
  assert.equal(kyvernoInstallUrl(), 'https://github.com/kyverno/kyverno/releases/download/v1.19.1/install.yaml');
});

// A Docker client that is not there stands for "no Docker engine", whether or not this machine has one.
test('without a Docker engine, kind is unavailable and the reason names Docker', async () => {
  const reason = await kindUnavailableReason('/nonexistent/docker');
  assert.match(reason ?? '', /^SIGPROOF_ENV=kind needs a Docker engine, and none answers here: .*docker/);
});
