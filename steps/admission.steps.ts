// Admission: Kyverno policies for the scenario's registry, and the API
// server's answer to a Pod or Deployment, as Kyverno's verdict.
import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { Workload } from '../support/admission.ts';
import { verdictObservation } from '../support/outcome.ts';
import type { SigproofWorld } from '../support/world.ts';

Given('Kyverno enforces the policy {string} for the registry {string} trusting {string}', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.admission.enforce(policy, registry, profile);
});

Then('the {workload} {string} running {string} is admitted', async function (this: SigproofWorld, kind: Workload, name: string, image: string) {
  const { result, exists, judgement } = await this.admission.admit(kind, name, image);
  if (judgement) this.scenario.observe(verdictObservation(judgement, result.admitted));
  expect(result.admitted, `${kind} ${name} was denied: ${result.message}`).to.equal(true);
  expect(exists, `${kind} ${name} was admitted but is not there`).to.equal(true);
});

Then('the {workload} {string} running {string} is rejected because {string}', async function (this: SigproofWorld, kind: Workload, name: string, image: string, reason: string) {
  const { result, exists, judgement } = await this.admission.admit(kind, name, image);
  if (judgement) this.scenario.observe(verdictObservation(judgement, result.admitted, reason));
  // On a node, a workload stopped at admission is also the node's verdict: it never runs there.
  if (this.node.has()) this.scenario.observe(verdictObservation(this.node.judgement(name), result.admitted, reason));
  expect(result.admitted, `${kind} ${name} was admitted, but should have been rejected because "${reason}"`).to.equal(false);
  expect(result.message, `${kind} ${name} was rejected, but not because "${reason}"`).to.include(reason);
  expect(exists, `${kind} ${name} was rejected but exists`).to.equal(false);
});

// About Kyverno's availability, not a signature: no verdict for the matrix.
Then('with Kyverno stopped, the pod {string} running {string} is rejected because {string}', async function (this: SigproofWorld, name: string, image: string, reason: string) {
  const { result, exists } = await this.admission.admitWithKyvernoStopped(name, image);
  this.scenario.observe({ kind: 'outcome', what: `pod ${name} with Kyverno stopped`, verdict: result.admitted ? 'succeeded' : 'failed', reason });
  expect(result.admitted, `pod ${name} was admitted while Kyverno was down: the webhook failed open`).to.equal(false);
  expect(result.message, `pod ${name} was rejected, but not because "${reason}"`).to.include(reason);
  expect(exists, `pod ${name} was rejected but exists`).to.equal(false);
});

Then("Kyverno's log says {string} about {string}", async function (this: SigproofWorld, text: string, image: string) {
  const line = await this.admission.kyvernoLogLine(text, image);
  this.scenario.observe({ kind: 'outcome', what: `Kyverno's log about ${image}`, verdict: 'observed', reason: text });
  expect(line).to.include(text);
});

Given('Kyverno enforces the policy {string} for the registry {string} trusting {string} in another namespace', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.admission.enforce(policy, registry, profile, { elsewhere: true });
});

Then('the pod {string} running {string} with the pull policy {word} is admitted', async function (this: SigproofWorld, name: string, image: string, pullPolicy: string) {
  const { result, exists, judgement } = await this.admission.admit('pod', name, image, { pullPolicy });
  if (judgement) this.scenario.observe(verdictObservation(judgement, result.admitted));
  expect(result.admitted, `pod ${name} was denied: ${result.message}`).to.equal(true);
  expect(exists, `pod ${name} was admitted but is not there`).to.equal(true);
});

Then('the pod {string} was admitted with its image pinned to the digest of {string}', async function (this: SigproofWorld, name: string, image: string) {
  const admitted = await this.admission.admittedImage(name);
  const { digest } = this.admission.created(name);
  this.scenario.observe({ kind: 'outcome', what: `pod ${name}'s image after admission`, verdict: 'observed', reason: admitted });
  expect(admitted, `pod ${name}'s image was not rewritten to the digest of ${image}`).to.match(new RegExp(`@${digest}$`));
});

Then('the pod {string} was admitted with its image left as the tag of {string}', async function (this: SigproofWorld, name: string, image: string) {
  const admitted = await this.admission.admittedImage(name);
  this.scenario.observe({ kind: 'outcome', what: `pod ${name}'s image after admission`, verdict: 'observed', reason: admitted });
  expect(admitted, `pod ${name}'s image`).to.equal(this.admission.refOf(image));
});

Then("the deployment's new pods are rejected because {string}", async function (this: SigproofWorld, reason: string) {
  const failures = await this.admission.replicaSetFailures(reason);
  this.scenario.observe({ kind: 'outcome', what: "the ReplicaSet's pod creations", verdict: 'failed', reason });
  expect(failures.join('\n'), `no FailedCreate event of the ReplicaSet says "${reason}"`).to.include(reason);
});

Then('the manifest {string} with the image {string} is admitted', async function (this: SigproofWorld, file: string, image: string) {
  for (const w of await this.admission.admitManifest(file, image)) {
    if (w.judgement) this.scenario.observe(verdictObservation(w.judgement, w.result.admitted));
    expect(w.result.admitted, `${w.kind} ${w.name} from ${file} was denied: ${w.result.message}`).to.equal(true);
    expect(w.exists, `${w.kind} ${w.name} was admitted but is not there`).to.equal(true);
  }
});

Then('the manifest {string} with the image {string} is rejected because {string}', async function (this: SigproofWorld, file: string, image: string, reason: string) {
  for (const w of await this.admission.admitManifest(file, image)) {
    if (w.judgement) this.scenario.observe(verdictObservation(w.judgement, w.result.admitted, reason));
    if (this.node.has()) this.scenario.observe(verdictObservation(this.node.judgement(w.name), w.result.admitted, reason));
    expect(w.result.admitted, `${w.kind} ${w.name} from ${file} was admitted, but should have been rejected because "${reason}"`).to.equal(false);
    expect(w.result.message, `${w.kind} ${w.name} was rejected, but not because "${reason}"`).to.include(reason);
    expect(w.exists, `${w.kind} ${w.name} was rejected but exists`).to.equal(false);
  }
});
