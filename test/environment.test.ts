import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentSkipReason, selectedEnvironment } from '../support/env/cluster.ts';

test('embedded is the default environment', () => {
  assert.equal(selectedEnvironment(undefined), 'embedded');
});

test('an unknown environment lists the valid ones', () => {
  assert.throws(() => selectedEnvironment('minikube'), /unknown environment SIGPROOF_ENV=minikube. Valid: embedded, existing, kind/);
});

test('existing without KUBECONFIG is skipped with the reason', async () => {
  const saved = { env: process.env.SIGPROOF_ENV, kc: process.env.KUBECONFIG };
  process.env.SIGPROOF_ENV = 'existing';
  delete process.env.KUBECONFIG;
  try {
    assert.match((await environmentSkipReason([])) ?? '', /needs KUBECONFIG/);
  } finally {
    if (saved.env === undefined) delete process.env.SIGPROOF_ENV;
    else process.env.SIGPROOF_ENV = saved.env;
    if (saved.kc !== undefined) process.env.KUBECONFIG = saved.kc;
  }
});

test('kind without a Docker engine is skipped, naming Docker', async () => {
  const saved = process.env.SIGPROOF_ENV;
  process.env.SIGPROOF_ENV = 'kind';
  try {
    assert.match((await environmentSkipReason([])) ?? '', /kind/);
  } finally {
    if (saved === undefined) delete process.env.SIGPROOF_ENV;
    else process.env.SIGPROOF_ENV = saved;
  }
});

test('the embedded environment runs everything', async () => {
  assert.equal(await environmentSkipReason(['@exclusive']), undefined);
});

test('the kind gateway is read from the node default route', async () => {
  const { gatewayFromRoute, kyvernoInstallUrl } = await import('../support/env/kind.ts');
  assert.equal(gatewayFromRoute('default via 172.18.0.1 dev eth0 \n172.18.0.0/16 dev eth0 proto kernel scope link src 172.18.0.2\n'), '172.18.0.1');
  assert.equal(gatewayFromRoute('172.18.0.0/16 dev eth0\n'), undefined);
  assert.equal(kyvernoInstallUrl(), 'https://github.com/kyverno/kyverno/releases/download/v1.19.1/install.yaml');
});
