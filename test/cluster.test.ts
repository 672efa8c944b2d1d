import assert from 'node:assert/strict';
import { test } from 'node:test';
import { environmentSkipReason, selectedEnvironment } from '../support/env/cluster.ts';

/** Runs fn with these environment variables (undefined: unset), whatever the machine has set. */
async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T | Promise<T>): Promise<T> {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  const apply = (values: Record<string, string | undefined>) => {
    for (const [k, v] of Object.entries(values)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
  apply(vars);
  try {
    return await fn();
  } finally {
    apply(saved);
  }
}

test('embedded is the default environment', async () => {
  assert.equal(await withEnv({ SIGPROOF_ENV: undefined }, () => selectedEnvironment()), 'embedded');
});

test('an unknown environment lists the valid ones', () => {
  assert.throws(() => selectedEnvironment('minikube'), /unknown environment SIGPROOF_ENV=minikube. Valid: embedded, existing, kind/);
});

test('existing without KUBECONFIG is skipped with the reason', async () => {
  const reason = await withEnv({ SIGPROOF_ENV: 'existing', KUBECONFIG: undefined }, () => environmentSkipReason([]));
  assert.match(reason ?? '', /needs KUBECONFIG/);
});

test('existing never runs the scenarios that stop Kyverno', async () => {
  const reason = await withEnv({ SIGPROOF_ENV: 'existing', KUBECONFIG: '/nonexistent/kubeconfig' }, () => environmentSkipReason(['@exclusive']));
  assert.match(reason ?? '', /stopping Kyverno is only done on clusters the run made/);
});

test('the embedded environment runs everything', async () => {
  assert.equal(await withEnv({ SIGPROOF_ENV: 'embedded' }, () => environmentSkipReason(['@exclusive'])), undefined);
});
