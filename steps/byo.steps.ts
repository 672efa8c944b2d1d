// Bring your own: PKI profiles, tool binaries and policy files of the user's,
// and their bad input refused with the file and the reason.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { pki, pkiWarnings } from '../support/pkis.ts';
import type { SigproofWorld } from '../support/world.ts';
import { binaryNamed } from '../toolchain/tool-paths.ts';

Given('{replaceable} is replaced by the binary {string}', async function (this: SigproofWorld, which: string, path: string) {
  await this.byo.overrideTool(binaryNamed(which), path);
});

When('{replaceable} is replaced by the binary {string} for this scenario', async function (this: SigproofWorld, which: string, path: string) {
  const bin = binaryNamed(which);
  await this.expectSetup(`replace ${bin} by ${path}`, () => this.byo.overrideTool(bin, path));
});

When('the PKI profile {string} is prepared', async function (this: SigproofWorld, profile: string) {
  await this.expectSetup(`prepare the PKI profile ${profile}`, () => pki(profile));
});

When('notation is given the private PKI {string} with the trust policy {string}', async function (this: SigproofWorld, profile: string, policy: string) {
  await this.expectSetup(`notation trust in ${profile} with the trust policy ${policy}`, () => this.notation.trust(profile, policy));
});

When('Kyverno is given the policy {string} for the registry {string} trusting {string}', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.expectSetup(`Kyverno policy ${policy}`, () => this.admission.enforce(policy, registry, profile));
});

When('Kyverno is given the policy {string} for the registry {string} trusting {string} in another namespace', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.expectSetup(`Kyverno policy ${policy} in another namespace`, () => this.admission.enforce(policy, registry, profile, { elsewhere: true }));
});

Then('{replaceable} runs as {string}, whose version says {string}', function (this: SigproofWorld, which: string, path: string, text: string) {
  const o = this.byo.override(binaryNamed(which));
  this.scenario.observe({ kind: 'outcome', what: `${which} replaced by ${path}`, verdict: 'observed', reason: text });
  expect(o, `${which} was not replaced in this scenario`).to.not.equal(undefined);
  expect(o?.path, `${which} runs as ${o?.path}`).to.match(new RegExp(`${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  expect(o?.version, `the version of ${o?.path} (recorded in the report)`).to.include(text);
});

Then('the report warns that {string}', async function (this: SigproofWorld, text: string) {
  // The same warnings the scenario's teardown records, as they stand now.
  const warnings = await pkiWarnings(this.scenario);
  this.scenario.observe({ kind: 'outcome', what: 'a warning about the PKI', verdict: 'observed', reason: text });
  expect(
    warnings.map((w) => w.text),
    'the warnings so far',
  ).to.satisfy((ws: string[]) => ws.some((w) => w.includes(text)));
});
