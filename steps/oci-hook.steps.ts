// The OCI hook verifier on a node: pull-time checks off, the hook judging every
// container creation, its refusals in the pod's status, and its decision log
// as the evidence that it ran (and ran again for a cached image).
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { verdictObservation } from '../support/outcome.ts';
import type { RuntimeName } from '../support/runtime.ts';
import type { SigproofWorld } from '../support/world.ts';

/** The pull-time policy that checks nothing: CRI-O's insecureAcceptAnything (containerd simply runs no verifier). */
const NO_PULL_CHECK = 'node-allow-all';

Given('a node running {runtime} with pull-time verification off and the OCI hook verifying with the policy {string} trusting {string}', async function (this: SigproofWorld, runtime: RuntimeName, hookPolicy: string, profile: string) {
  await this.node.start(runtime, NO_PULL_CHECK, profile, hookPolicy);
});

When("the OCI hook's policy becomes {string}", async function (this: SigproofWorld, policy: string) {
  await this.node.changeHookPolicy(policy);
});

Then("the OCI hook refuses to create the pod {string}'s container because {string}", async function (this: SigproofWorld, name: string, reason: string) {
  const { image } = this.admission.created(name);
  const fate = await this.node.fate(name);
  this.scenario.observe(verdictObservation(this.node.judgement(name), fate.state === 'running', reason));
  expect(fate.state, `pod ${name}'s container should not have been created because "${reason}": ${fate.message}`).to.equal('create failed');
  expect(fate.message, `pod ${name}'s container was not created, but its status does not carry the hook's "${reason}"`).to.include(reason);
  const refusals = this.node.hookDecisions(image).filter((d) => !d.allowed);
  expect(refusals.map((d) => d.reason).join('\n'), `the OCI hook's log has no refusal of ${image} because "${reason}"`).to.include(reason);
});

Then('the OCI hook allowed {string} every time, because {string}', function (this: SigproofWorld, target: string, reason: string) {
  const decisions = this.node.hookDecisions(target);
  const summary = decisions.map((d) => `${d.allowed ? 'allowed' : 'refused'}: ${d.reason}`).join(' | ');
  expect(decisions.length, `the OCI hook's decisions about ${target}: none, so it never ran`).to.be.greaterThan(0);
  expect(
    decisions.every((d) => d.allowed && d.reason.includes(reason)),
    `the OCI hook's decisions about ${target}: ${summary}`,
  ).to.equal(true);
});

Then('the OCI hook allowed {string} once, then refused it at every later creation because {string}', function (this: SigproofWorld, target: string, reason: string) {
  const decisions = this.node.hookDecisions(target);
  const summary = decisions.map((d) => `${d.allowed ? 'allowed' : 'refused'}: ${d.reason}`).join(' | ');
  // The kubelet retries a failed creation, so "later" is one or more.
  expect(decisions.length, `the OCI hook's decisions about ${target}: ${summary}`).to.be.greaterThan(1);
  expect(decisions[0]?.allowed, `the OCI hook's first decision about ${target}: ${summary}`).to.equal(true);
  expect(
    decisions.slice(1).every((d) => !d.allowed && d.reason.includes(reason)),
    `the OCI hook's later decisions about ${target}: ${summary}`,
  ).to.equal(true);
});

Given("{string} is imported into the node's containerd from an OCI archive", async function (this: SigproofWorld, target: string) {
  await this.node.importIntoStore(target);
});

Then("the OCI hook was never called for a pod's sandbox container, only for its own", function (this: SigproofWorld) {
  const { sandbox, others } = this.node.hookCalls();
  this.scenario.observe({ kind: 'outcome', what: "the OCI hook's calls", verdict: 'observed', reason: `${others.length} for pods' own containers, ${sandbox.length} for sandbox containers` });
  expect(others.length, "the OCI hook's calls for the pods' own containers").to.be.greaterThan(0);
  expect(
    sandbox.map((d) => d.reason),
    'the OCI hook judged the sandbox (pause) image',
  ).to.deep.equal([]);
});

Then("{string} is in the node's image store all the same", async function (this: SigproofWorld, target: string) {
  expect(await this.node.storeHas(target), `CRI ImageStatus of ${target} on the node's runtime: not found`).to.equal(true);
});

When("the OCI hook's cost on {runtime} is measured with {int} pods of {string} each way, trusting {string}", async function (this: SigproofWorld, runtime: RuntimeName, pods: number, target: string, profile: string) {
  await this.node.measureHookCost(runtime, target, profile, pods);
});

Then('every measured pod ran, the OCI hook verified each of the {int} pods on its node, and every pull succeeded', function (this: SigproofWorld, pods: number) {
  const f = this.node.measuredCost();
  expect(f.withoutHook.length, 'pods timed without the hook').to.equal(pods);
  expect(f.withHook.length, 'pods timed with the hook').to.equal(pods);
  expect(f.hookSelf.length, "the OCI hook's decisions about the measured image (one per container creation)").to.equal(pods);
  expect([f.pullVerified.length, f.pullUnverified.length], 'pulls with and without pull-time verification').to.deep.equal([pods, pods]);
});
