// Then: the verdict and its reason. A rejection for the wrong reason fails.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { withKyvernoStopped } from '../support/env/cluster.ts';
import { eventually } from '../support/lib/eventually.ts';
import { signatureStorage, type SignatureStorage } from '../support/env/registry.ts';
import { BUNDLE_ARTIFACT_TYPE } from '../support/bundles.ts';
import { CLAIM_FILE } from '../support/report/summary.ts';
import { orasDiscover } from '../support/drivers/oras.ts';
import type { SigproofWorld } from '../support/world.ts';

const NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';

function describeStorage(name: string, kind: string, s: SignatureStorage): string {
  const list = (x: string[] | undefined, absent: string) => (x === undefined ? absent : JSON.stringify(x));
  const reported = JSON.stringify(s.referrersApiReported) !== JSON.stringify(s.referrersApi) ? ` (the API itself reports ${list(s.referrersApiReported, '')})` : '';
  return `registry ${name} (${kind}): referrers API ${list(s.referrersApi, 'absent (404)')}${reported}, fallback tag index ${list(s.fallbackTag, 'absent')}, cosign .sig tag ${s.cosignSigTag ? 'present' : 'absent'}`;
}

function outputOf(world: SigproofWorld): string {
  const { record } = world.takeOutcome();
  return `${record.stdout}\n${record.stderr}`;
}

function expectSuccess(world: SigproofWorld): void {
  const { what, record, successText } = world.takeOutcome();
  const output = `${record.stdout}\n${record.stderr}`;
  expect(record.exitCode, `${what} was expected to succeed, but exited ${record.exitCode}:\n${output.trim()}`).to.equal(0);
  if (successText) expect(output, `${what} exited 0 without saying "${successText}"`).to.include(successText);
}

function expectFailure(world: SigproofWorld, reason: string): void {
  const { what, record } = world.takeOutcome();
  const output = `${record.stdout}\n${record.stderr}`;
  expect(record.exitCode, `${what} was expected to fail because "${reason}", but it succeeded:\n${output.trim()}`).to.not.equal(0);
  expect(output, `${what} failed, but not because "${reason}"`).to.include(reason);
}

Then('signing succeeds', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then('signing fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then('the verification succeeds', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then('the verification fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then('the load succeeds', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then('the load fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then('the output also says {string}', function (this: SigproofWorld, text: string) {
  expect(outputOf(this)).to.include(text);
});

Then('notation inspect of {string} shows the signature algorithm {string}', async function (this: SigproofWorld, target: string, algorithm: string) {
  const signatures = await this.notation.inspect(await this.digestRef(target));
  expect(signatures.map((s) => s.signatureAlgorithm), `signatures of ${target}`).to.deep.equal([algorithm]);
});

Then('{string} has the digest of {string}', async function (this: SigproofWorld, a: string, b: string) {
  const [da, db] = [await this.digestOf(a), await this.digestOf(b)];
  void this.attach(`${a}: ${da}\n${b}: ${db}`, { mediaType: 'text/plain', fileName: 'digests' });
  expect(da, `${a} must be the same image as ${b}`).to.equal(db);
});

Then('{string} has {int} notation signature(s)', async function (this: SigproofWorld, target: string, count: number) {
  const referrers = await orasDiscover(await this.digestRef(target));
  const signatures = referrers.filter((r) => r.artifactType === NOTATION_SIGNATURE);
  expect(signatures, `notation signatures referring to ${target} (all referrers: ${JSON.stringify(referrers.map((r) => r.artifactType))})`).to.have.length(count);
});

Then('the signature of {string} is found through {string}', async function (this: SigproofWorld, target: string, how: string) {
  const r = this.ref(target);
  const storage = await signatureStorage(r.registry, r.repo, await this.digestOf(target));
  const viaApi = storage.referrersApi?.includes(NOTATION_SIGNATURE) ?? false;
  void this.attach(describeStorage(r.registryName, r.registry.kind, storage));
  switch (how) {
    case 'the referrers API':
      expect(viaApi, `the ${r.registry.kind} registry's referrers API does not list the signature`).to.equal(true);
      break;
    case 'the referrers tag fallback':
      expect(storage.referrersApi, `the ${r.registry.kind} registry has a referrers API`).to.equal(undefined);
      expect(storage.fallbackTag ?? [], 'the sha256-<digest> fallback index does not list the signature').to.include(NOTATION_SIGNATURE);
      break;
    default:
      throw new Error(`unknown lookup "${how}": use "the referrers API" or "the referrers tag fallback"`);
  }
});

Then('the cosign signature of {string} is stored as {string}', async function (this: SigproofWorld, target: string, how: string) {
  const r = this.ref(target);
  const storage = await signatureStorage(r.registry, r.repo, await this.digestOf(target));
  void this.attach(describeStorage(r.registryName, r.registry.kind, storage));
  switch (how) {
    case 'a .sig tag':
      expect(storage.cosignSigTag, 'the sha256-<digest>.sig tag is missing').to.equal(true);
      break;
    case 'a bundle through the referrers API':
      expect(storage.referrersApi ?? [], `the ${r.registry.kind} registry's referrers API does not list a bundle`).to.include(BUNDLE_ARTIFACT_TYPE);
      break;
    case 'a bundle under the referrers tag fallback':
      expect(storage.referrersApi, `the ${r.registry.kind} registry has a referrers API`).to.equal(undefined);
      expect(storage.fallbackTag ?? [], 'the sha256-<digest> fallback index does not list a bundle').to.include(BUNDLE_ARTIFACT_TYPE);
      break;
    default:
      throw new Error(`unknown storage "${how}": use "a .sig tag", "a bundle through the referrers API" or "a bundle under the referrers tag fallback"`);
  }
});

Then('the outcome is {string}, because {string}', function (this: SigproofWorld, verdict: string, reason: string) {
  const claim = this.claim;
  if (!claim) throw new Error('no claim was run: use "… is signed and verified by … with the algorithm …" first');
  this.claimAsserted = true;
  const output = `${claim.record.stdout}\n${claim.record.stderr}`;
  void this.attach(JSON.stringify({ signer: claim.signer, algorithm: claim.algorithm.name, label: claim.algorithm.label, verdict: claim.verdict, reason }), { mediaType: 'application/json', fileName: CLAIM_FILE });
  expect(claim.verdict, `${claim.signer} with ${claim.algorithm.label}: ${output.trim().split('\n').slice(-3).join(' | ')}`).to.equal(verdict);
  expect(output, `${claim.signer} with ${claim.algorithm.label} was ${claim.verdict}, but not because "${reason}"`).to.include(reason);
});

type Workload = 'pod' | 'deployment';

async function admit(world: SigproofWorld, kind: Workload, name: string, image: string) {
  const { kube, namespace } = await world.admission();
  const ref = world.ref(image).full;
  const result = kind === 'pod' ? await kube.createPod(namespace, name, ref) : await kube.createDeployment(namespace, name, ref);
  const exists = kind === 'pod' ? await kube.podExists(namespace, name) : await kube.deploymentExists(namespace, name);
  void world.attach(`create ${kind} ${namespace}/${name} (${ref}): ${result.admitted ? 'admitted' : `denied (HTTP ${result.status})`}\n${result.message}\n${kind} exists afterwards: ${exists}`, { mediaType: 'text/plain', fileName: `admission of ${kind} ${name}` });
  return { result, exists };
}

Then('the {word} {string} running {string} is admitted', async function (this: SigproofWorld, kind: Workload, name: string, image: string) {
  const { result, exists } = await admit(this, kind, name, image);
  expect(result.admitted, `${kind} ${name} was denied: ${result.message}`).to.equal(true);
  expect(exists, `${kind} ${name} was admitted but is not there`).to.equal(true);
});

Then('the {word} {string} running {string} is rejected because {string}', async function (this: SigproofWorld, kind: Workload, name: string, image: string, reason: string) {
  const { result, exists } = await admit(this, kind, name, image);
  expect(result.admitted, `${kind} ${name} was admitted, but should have been rejected because "${reason}"`).to.equal(false);
  expect(result.message, `${kind} ${name} was rejected, but not because "${reason}"`).to.include(reason);
  expect(exists, `${kind} ${name} was rejected but exists`).to.equal(false);
});

Then('with Kyverno stopped, the pod {string} running {string} is rejected because {string}', async function (this: SigproofWorld, name: string, image: string, reason: string) {
  const { cluster } = await this.admission();
  const { result, exists } = await withKyvernoStopped(cluster, () => admit(this, 'pod', name, image));
  expect(result.admitted, `pod ${name} was admitted while Kyverno was down: the webhook failed open`).to.equal(false);
  expect(result.message, `pod ${name} was rejected, but not because "${reason}"`).to.include(reason);
  expect(exists, `pod ${name} was rejected but exists`).to.equal(false);
});

Then('Kyverno\'s log says {string} about {string}', async function (this: SigproofWorld, text: string, image: string) {
  const { cluster } = await this.admission();
  const ref = this.ref(image);
  const needle = `image=${ref.repository}:${ref.tag ?? ''}`;
  // The log is shared by every scenario: only lines about this scenario's image count.
  const line = await eventually(async () => readFileSync(cluster.kyvernoLog, 'utf8').split('\n').find((l) => l.includes(text) && l.includes(needle)), {
    timeoutMs: 10_000, what: `a Kyverno log line about ${needle} saying "${text}"`,
  });
  void this.attach(line, { mediaType: 'text/plain', fileName: 'kyverno log line' });
  expect(line).to.include(text);
});

Then('the pull succeeds', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then('the pull fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then(/^(CRI-O|containerd)'s image store (holds|does not hold) "([^"]+)"$/, async function (this: SigproofWorld, runtime: 'CRI-O' | 'containerd', holds: string, target: string) {
  const present = await this.runtimeHasImage(target, runtime);
  expect(present, `${runtime}'s image store ${present ? 'holds' : 'does not hold'} ${target} (asked through CRI ImageStatus)`).to.equal(holds === 'holds');
});

Then('the setup succeeds', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then('the setup fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then(/^(cosign v2|cosign v3) runs as "([^"]+)", whose version says "([^"]+)"$/, async function (this: SigproofWorld, which: string, path: string, text: string) {
  const o = this.toolOverrides.find((x) => x.bin === (which === 'cosign v2' ? 'cosign2' : 'cosign3'));
  expect(o, `${which} was not replaced in this scenario`).to.not.equal(undefined);
  expect(o?.path, `${which} runs as ${o?.path}`).to.match(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  expect(o?.version, `the version of ${o?.path} (recorded in the report)`).to.include(text);
});

Then('the container runs', function (this: SigproofWorld) {
  expectSuccess(this);
});
