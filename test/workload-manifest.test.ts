import assert from 'node:assert/strict';
import { test } from 'node:test';
import { manifestWorkloads, renderManifest } from '../support/workload-manifest.ts';

const placement = { nodeSelector: { 'kubernetes.io/hostname': 'sp-node-1' }, tolerations: [{ key: 'sigproof.dev/node', operator: 'Equal', value: 'sp-node-1', effect: 'NoSchedule' }], command: ['/bin/busybox', 'sleep', '1'] };

test("the example manifests render with the image in place and land on the node, keeping the user's own settings", () => {
  const pod = renderManifest('examples/workloads/team-pod.yaml', '127.0.0.1:5/app:signed');
  const [w] = manifestWorkloads(pod.file, pod.text, 'ns1', placement);
  assert.ok(w);
  const spec = (w.object as { spec: { initContainers: { image: string; imagePullPolicy: string }[]; containers: { command: string[] }[]; nodeSelector: Record<string, string>; tolerations: unknown[] } }).spec;
  assert.equal(w?.kind, 'Pod');
  assert.equal(w?.object.metadata?.namespace, 'ns1');
  assert.equal(spec.initContainers[0]?.image, '127.0.0.1:5/app:signed');
  assert.equal(spec.initContainers[0]?.imagePullPolicy, 'Always');
  // The user's command stays; the placement only adds where the pod goes.
  assert.deepEqual(spec.containers[0]?.command, ['/bin/busybox', 'sleep', '86400']);
  assert.deepEqual(spec.nodeSelector, placement.nodeSelector);
  assert.equal(spec.tolerations.length, 1);

  const deployment = renderManifest('examples/workloads/team-deployment.yaml', '127.0.0.1:5/app:signed');
  const [d] = manifestWorkloads(deployment.file, deployment.text, 'ns1', placement);
  assert.ok(d);
  assert.equal(d.kind, 'Deployment');
  assert.deepEqual((d.object as { spec: { template: { spec: { nodeSelector: unknown } } } }).spec.template.spec.nodeSelector, placement.nodeSelector);
});

test('a manifest of another kind, without a name, or missing, says what is wrong and where', () => {
  assert.throws(() => manifestWorkloads('m.yaml', 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\n', 'ns'), /m\.yaml: kind "Service" is not a workload sigproof places; valid: Pod, Deployment/);
  assert.throws(() => manifestWorkloads('m.yaml', 'apiVersion: v1\nkind: Pod\nspec: {}\n', 'ns'), /m\.yaml: a Pod without metadata\.name/);
  assert.throws(() => manifestWorkloads('m.yaml', '# nothing\n', 'ns'), /m\.yaml: no Pod or Deployment in it/);
  assert.throws(() => renderManifest('examples/workloads/none.yaml', 'x'), /examples\/workloads\/none\.yaml: no such manifest file/);
});
