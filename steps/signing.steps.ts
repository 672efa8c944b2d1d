// Signing and verifying with notation and cosign v2/v3, and the verdicts.
import { Given, Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { attachBundle, fetchBundle, tamperBundleSignature } from '../support/bundles.ts';
import type { CosignVersion } from '../support/drivers/cosign.ts';
import { answerAsKeyHolder } from '../support/pki/signers.ts';
import { pki } from '../support/pkis.ts';
import type { SigproofWorld } from '../support/world.ts';
import { mustSucceed, outputOf } from './check.ts';

// ---- notation -------------------------------------------------------------

Given('notation trusts the private PKI {string} with the trust policy {string}', async function (this: SigproofWorld, profile: string, policy: string) {
  await this.notation.trust(profile, policy);
});

Given('notation uses the trust policy {string}', async function (this: SigproofWorld, policy: string) {
  await this.notation.usePolicy(policy);
});

Given('{string} was signed with notation by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  mustSucceed(await this.notation.sign(target, profile, signer));
});

When('{string} is signed with notation by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  this.expectOutcome(await this.notation.sign(target, profile, signer));
});

When('{string} is signed with notation by {string} through the signature-file signer, answered by the key holder', async function (this: SigproofWorld, target: string, profile: string) {
  const keyHolder = answerAsKeyHolder(this.scenario.path('signature-exchange'), await pki(profile), 60_000);
  const outcome = await this.notation.sign(target, profile, 'signature-file');
  await keyHolder;
  this.expectOutcome({ ...outcome, what: `${outcome.what} (signature by file)` });
});

When('{string} is signed with notation by {string} through the signature-file signer, and nobody answers within {int} second(s)', async function (this: SigproofWorld, target: string, profile: string, seconds: number) {
  const outcome = await this.notation.sign(target, profile, 'signature-file', { SIGPROOF_SIGNATURE_TIMEOUT_MS: String(seconds * 1000) });
  this.expectOutcome({ ...outcome, what: `${outcome.what} (signature by file)` });
});

When('{string} is verified with notation', async function (this: SigproofWorld, target: string) {
  this.expectOutcome(await this.notation.verify(target));
});

Then('notation inspect of {string} shows the signature algorithm {string}', async function (this: SigproofWorld, target: string, algorithm: string) {
  const signatures = await this.notation.inspect(target);
  expect(
    signatures.map((s) => s.signatureAlgorithm),
    `signatures of ${target}`,
  ).to.deep.equal([algorithm]);
});

// ---- cosign ---------------------------------------------------------------

Given('{string} was signed with cosign v2 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV2Attach(target, profile));
});

Given('{string} was signed with cosign v2 by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  mustSucceed(await this.cosign.signV2Attach(target, profile, { signer }));
});

Given('{string} was signed with cosign v3 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV3(target, profile));
});

Given('{string} was signed with cosign v3 by {string} in the legacy format', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV3(target, profile, { legacyFormat: true }));
});

When('{string} is signed with cosign v2 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(await this.cosign.signV2Attach(target, profile));
});

When('{string} is signed with cosign v2 by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  this.expectOutcome(await this.cosign.signV2Attach(target, profile, { signer }));
});

When('{string} is signed with cosign v2 by {string} over the payload of {string}', async function (this: SigproofWorld, target: string, profile: string, other: string) {
  this.expectOutcome(await this.cosign.signV2Attach(target, profile, { payloadOf: other }));
});

When('{string} is signed with cosign v2 by {string} with a tampered signature', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(await this.cosign.signV2Attach(target, profile, { tamper: true }));
});

When('{string} is signed with cosign v3 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(await this.cosign.signV3(target, profile));
});

When('{string} is signed with cosign v3 by {string} with its certificate chain', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(await this.cosign.signV3(target, profile, { withChain: true }));
});

When('{string} is verified with {cosign} trusting {string}', async function (this: SigproofWorld, target: string, version: CosignVersion, profile: string) {
  this.expectOutcome(await this.cosign.verify(target, version, profile));
});

When('{string} is verified with cosign v2 using a trusted root made from {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(await this.cosign.verify(target, 'v2', profile, 'uri', { trustedRoot: true }));
});

When('{string} is verified with {cosign} trusting {string} for the {identity} identity', async function (this: SigproofWorld, target: string, version: CosignVersion, profile: string, identity: 'uri' | 'email') {
  this.expectOutcome(await this.cosign.verify(target, version, profile, identity));
});

When('the saved directory {string} is verified with {cosign} --local-image trusting {string}', async function (this: SigproofWorld, dir: string, version: CosignVersion, profile: string) {
  this.expectOutcome(await this.cosign.verifyLocal(this.scenario.path('saved', dir), version, profile));
});

// An attacker with registry write access: a v3 bundle copied onto another image, or with its signature changed.
When('the cosign v3 bundle of {string} is copied onto {string}', async function (this: SigproofWorld, source: string, target: string) {
  await attachBundle(this.scenario, this.registries, this.provenance, await fetchBundle(this.scenario, this.registries, source), target, false);
});

When('the cosign v3 bundle of {string} is copied onto {string} with its signature tampered', async function (this: SigproofWorld, source: string, target: string) {
  await attachBundle(this.scenario, this.registries, this.provenance, tamperBundleSignature(await fetchBundle(this.scenario, this.registries, source)), target, true);
});

Then('the output also says {string}', function (this: SigproofWorld, text: string) {
  expect(outputOf(this.recheckOutcome(text))).to.include(text);
});
