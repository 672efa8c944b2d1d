// Warm boot time of the embedded admission environment: certificates, etcd,
// kube-apiserver, Kyverno (CRDs, webhooks, TLS), and the first ClusterPolicy
// until Kyverno enforces it. Run: node bench/admission-boot.ts
import { join } from 'node:path';
import { killEverythingNow, makeTempDir } from '../support/lib/cleanup.ts';
import { startControlPlane } from '../support/env/controlplane.ts';
import { installKyvernoPolicy, startKyverno } from '../support/env/kyverno.ts';
import { Kube } from '../support/drivers/kube-client.ts';

const POLICY = `apiVersion: kyverno.io/v1
kind: ClusterPolicy
metadata:
  name: bench-require-label
spec:
  background: false
  rules:
    - name: require-team
      match:
        any:
          - resources:
              kinds: [Pod]
      validate:
        failureAction: Enforce
        message: label team is required
        pattern:
          metadata:
            labels:
              team: "?*"
`;

const dir = makeTempDir('bench-admission');
try {
  const t0 = performance.now();
  const cp = await startControlPlane(join(dir, 'cp'));
  const kyverno = await startKyverno(cp, join(dir, 'cp'));
  const t1 = performance.now();
  await installKyvernoPolicy(cp, new Kube(cp.kubeconfig), { kind: 'ClusterPolicy', name: 'bench-require-label' }, POLICY, 'default');
  const t2 = performance.now();
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    Object.entries({ ...cp.bootMs, kyverno: kyverno.bootMs })
      .map(([k, v]) => `${k}: ${s(v)}`)
      .join(', '),
  );
  console.log(`control plane + Kyverno ready: ${s(t1 - t0)}; first policy enforced after ${s(t2 - t1)}; total ${s(t2 - t0)}`);
} finally {
  killEverythingNow();
}
