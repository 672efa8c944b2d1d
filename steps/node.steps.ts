// A node of the scenario's own: pods placed on it, and what the kubelet and the
// runtime made of them (Running from the admitted digest, a refused pull, a
// sandbox that never started), each recorded as the node's verdict.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { verdictObservation } from '../support/outcome.ts';
import type { RuntimeName } from '../support/runtime.ts';
import type { SigproofWorld } from '../support/world.ts';

Given('a node running CRI-O that enforces the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.node.start('CRI-O', policy, profile);
});

Given('a node running containerd that verifies pulls with the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.node.start('containerd', policy, profile);
});

Given('a node running {runtime} with the policy {string} trusting {string}', async function (this: SigproofWorld, runtime: RuntimeName, policy: string, profile: string) {
  await this.node.start(runtime, policy, profile);
});

When("the node's policy becomes {string}", async function (this: SigproofWorld, policy: string) {
  await this.node.changePolicy(policy);
});

Then('the pod {string} runs', async function (this: SigproofWorld, name: string) {
  const { image, digest } = this.admission.created(name);
  const fate = await this.node.fate(name);
  this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', fate.state === 'running' ? undefined : fate.message));
  expect(fate.state, `pod ${name} does not run: ${fate.message}`).to.equal('running');
  const { running, admitted } = await this.node.runningAndAdmitted(name);
  expect(running, `pod ${name} runs, but not what ${image} was (${digest}) when it was admitted`).to.equal(admitted);
});

Then('the pod {string} cannot pull its image because {string}', async function (this: SigproofWorld, name: string, reason: string) {
  const fate = await this.node.fate(name);
  this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', reason));
  expect(fate.state, `pod ${name} should have been refused at pull because "${reason}": ${fate.message}`).to.equal('pull refused');
  expect(fate.message, `pod ${name}'s pull was refused, but not because "${reason}"`).to.include(reason);
});

Then('the pod {string} cannot start because {string}', async function (this: SigproofWorld, name: string, reason: string) {
  const fate = await this.node.fate(name);
  this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', reason));
  expect(fate.state, `pod ${name} should never have started because "${reason}": ${fate.message}`).to.equal('sandbox failed');
  expect(fate.message, `pod ${name}'s sandbox failed, but not because "${reason}"`).to.include(reason);
});

Then('the pod {string} cannot be created because {string}', async function (this: SigproofWorld, name: string, reason: string) {
  const fate = await this.node.fate(name);
  this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', reason));
  expect(fate.state, `pod ${name}'s container should not have been created because "${reason}": ${fate.message}`).to.equal('create failed');
  expect(fate.message, `pod ${name}'s container was not created, but not because "${reason}"`).to.include(reason);
});

Then('the deployment {string} has {int} running pod(s)', async function (this: SigproofWorld, name: string, replicas: number) {
  const { image, digest } = this.admission.created(name);
  const { fates, digests } = await this.node.deploymentPods(name, replicas);
  const stopped = fates.find((f) => f.state !== 'running');
  this.scenario.observe(verdictObservation(this.node.judgement(name), !stopped, stopped?.message));
  expect(stopped?.message, `a pod of deployment ${name} does not run`).to.equal(undefined);
  expect(fates.length, `deployment ${name}'s running pods`).to.equal(replicas);
  expect(digests, `deployment ${name}'s pods run the digest ${image} had when it was admitted`).to.deep.equal(digests.map(() => digest));
});

When('the deployment {string} is scaled to {int}', async function (this: SigproofWorld, name: string, replicas: number) {
  await this.node.scale(name, replicas);
});

// Kyverno's cache of verified tags decides which branch a run takes (node-runtime.feature); each branch asserts its reason.
Then(
  'the pod {string} running {string} with the pull policy {word} is either admitted by Kyverno from its cache and cannot pull its image because {string}, or denied by Kyverno because {string}',
  async function (this: SigproofWorld, name: string, image: string, pullPolicy: string, pullReason: string, denyReason: string) {
    const { result, exists, judgement } = await this.admission.admit('pod', name, image, { pullPolicy });
    if (judgement) this.scenario.observe(verdictObservation(judgement, result.admitted, result.admitted ? undefined : denyReason));
    if (!result.admitted) {
      this.scenario.observe(verdictObservation(this.node.judgement(name), false, denyReason));
      expect(result.message, `pod ${name} was denied, but not because "${denyReason}"`).to.include(denyReason);
      expect(exists, `pod ${name} was denied but exists`).to.equal(false);
      return;
    }
    const fate = await this.node.fate(name);
    this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', pullReason));
    expect(fate.state, `pod ${name} was admitted for the moved tag and should have been refused at pull because "${pullReason}": ${fate.message}`).to.equal('pull refused');
    expect(fate.message, `pod ${name}'s pull was refused, but not because "${pullReason}"`).to.include(pullReason);
  },
);
