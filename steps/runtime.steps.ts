// Runtimes at pull time: CRI-O with a policy.json, containerd with sigproof's
// verifier, pulls through crictl or ctr, and what ends up in the image store.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import type { PullClient, RuntimeName } from '../support/runtime.ts';
import type { SigproofWorld } from '../support/world.ts';
import { expectSuccess, mustSucceed } from './check.ts';

Given('CRI-O enforces the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.runtime.crioEnforce(policy, profile);
});

Given('containerd verifies pulls with the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.runtime.containerdEnforce(policy, profile);
});

Given("containerd verifies pulls with the policy {string} trusting {string}, with credentials for {string} in CRI's legacy registry settings", async function (this: SigproofWorld, policy: string, profile: string, registry: string) {
  await this.runtime.containerdEnforce(policy, profile, { legacyAuthFor: registry });
});

Then("containerd's log says {string}", function (this: SigproofWorld, text: string) {
  const line = this.runtime.containerdLogLine(text);
  this.scenario.observe({ kind: 'outcome', what: "containerd's log", verdict: 'observed', reason: text });
  expect(line, `containerd's log has no line saying "${text}"`).to.be.a('string');
});

When('the containerd policy is tightened to {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.runtime.containerdEnforce(policy, profile);
});

Given('{string} was pulled with ctr from containerd', async function (this: SigproofWorld, target: string) {
  mustSucceed(await this.runtime.pull(target, 'ctr', 'containerd'));
});

Given('{string} is imported into containerd from an OCI archive', async function (this: SigproofWorld, target: string) {
  await this.runtime.containerdImport(target);
});

When('{string} is pulled with {pullClient} from {runtime}', async function (this: SigproofWorld, target: string, client: PullClient, runtime: RuntimeName) {
  this.expectOutcome(await this.runtime.pull(target, client, runtime));
});

When('{string} is pulled by tag with {pullClient} from {runtime}', async function (this: SigproofWorld, target: string, client: PullClient, runtime: RuntimeName) {
  this.expectOutcome(await this.runtime.pull(target, client, runtime));
});

When('{string} is pulled by digest with {pullClient} from {runtime}', async function (this: SigproofWorld, target: string, client: PullClient, runtime: RuntimeName) {
  this.expectOutcome(await this.runtime.pull(target, client, runtime, { byDigest: true }));
});

When("a container is started by ctr from {string} in containerd's store", async function (this: SigproofWorld, target: string) {
  // A marker of this run: output that only a container that really ran can print.
  this.expectOutcome(await this.runtime.containerdRunFromStore(target, `started-from-the-store-${Date.now().toString(36)}`));
});

Then('the container runs', function (this: SigproofWorld) {
  expectSuccess(this);
});

Then("{runtime}'s image store holds {string}", async function (this: SigproofWorld, runtime: RuntimeName, target: string) {
  expect(await this.runtime.hasImage(target, runtime), `${runtime}'s image store does not hold ${target} (asked through CRI ImageStatus)`).to.equal(true);
});

Then("{runtime}'s image store does not hold {string}", async function (this: SigproofWorld, runtime: RuntimeName, target: string) {
  expect(await this.runtime.hasImage(target, runtime), `${runtime}'s image store holds ${target} (asked through CRI ImageStatus)`).to.equal(false);
});
