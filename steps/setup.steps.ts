// Given: the environment a scenario starts from. Each step is one support call.
import { Given } from '@cucumber/cucumber';
import { expect } from 'chai';
import { parseRegistryKind } from '../support/env/registry.ts';
import { binaryNamed } from '../toolchain/tool-paths.ts';
import type { SigproofWorld } from '../support/world.ts';

Given('the registry {string}', async function (this: SigproofWorld, name: string) {
  await this.startRegistry(name);
});

Given('the registry {string} of kind {string}', async function (this: SigproofWorld, name: string, kind: string) {
  await this.startRegistry(name, parseRegistryKind(kind));
});

Given('the registries {string} and {string}', async function (this: SigproofWorld, a: string, b: string) {
  await Promise.all([this.startRegistry(a), this.startRegistry(b)]);
});

Given('the test image {string} is pushed as {string}', async function (this: SigproofWorld, image: string, target: string) {
  await this.pushTestImage(image, target);
});

Given('the test image {string} is pushed to {string} as {string} and {string}', async function (this: SigproofWorld, image: string, registry: string, a: string, b: string) {
  const first = await this.pushTestImage(image, `${registry}/${a}`);
  const second = await this.pushTestImage(image, `${registry}/${b}`);
  // Two tags of one digest would make "signed" and "unsigned" the same image.
  expect(first.manifestDigest, `${a} and ${b} must be different builds`).not.to.equal(second.manifestDigest);
});

Given('notation trusts the private PKI {string} with the trust policy {string}', async function (this: SigproofWorld, profile: string, policy: string) {
  await this.notationTrust(profile, policy);
});

Given('notation uses the trust policy {string}', async function (this: SigproofWorld, policy: string) {
  await this.useNotationPolicy(policy);
});

Given('{string} was signed with notation by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  const record = await this.notationSign(target, profile, signer);
  expect(record.exitCode, `notation sign failed:\n${record.stderr}`).to.equal(0);
});

Given('{string} was signed with cosign v2 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  const record = await this.cosignSignV2Attach(target, profile);
  expect(record.exitCode, `cosign attach signature failed:\n${record.stderr}`).to.equal(0);
});

Given('{string} was signed with cosign v3 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  const record = await this.cosignSignV3(target, profile);
  expect(record.exitCode, `cosign sign failed:\n${record.stderr}`).to.equal(0);
});

Given('Kyverno enforces the policy {string} for the registry {string} trusting {string}', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.kyvernoEnforce(policy, registry, profile);
});

Given('{string} was signed with cosign v3 by {string} in the legacy format', async function (this: SigproofWorld, target: string, profile: string) {
  const record = await this.cosignSignV3(target, profile, { legacyFormat: true });
  expect(record.exitCode, `cosign sign --new-bundle-format=false failed:\n${record.stderr}`).to.equal(0);
});

Given('the registries {string}, {string}, {string} and {string}', async function (this: SigproofWorld, a: string, b: string, c: string, d: string) {
  await Promise.all([a, b, c, d].map((name) => this.startRegistry(name)));
});

Given('CRI-O enforces the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.crioEnforce(policy, profile);
});

Given('containerd verifies pulls with the policy {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.containerdEnforce(policy, profile);
});

Given('{string} was pulled with ctr from containerd', async function (this: SigproofWorld, target: string) {
  await this.runtimePull(target, 'ctr', 'containerd');
  const { record } = this.takeOutcome();
  expect(record.exitCode, `the pull that sets the scene failed:\n${record.stderr}`).to.equal(0);
});

Given('{string} is imported into containerd from an OCI archive', async function (this: SigproofWorld, target: string) {
  await this.containerdImport(target);
});

// ---- bring your own ------------------------------------------------------

Given(/^(cosign v2|cosign v3|the tool "[^"]+") is replaced by the binary "([^"]+)"$/, async function (this: SigproofWorld, which: string, path: string) {
  await this.overrideTool(binaryNamed(which), path);
});

Given('{string} was signed with cosign v2 by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  const record = await this.cosignSignV2Attach(target, profile, { signer });
  expect(record.exitCode, `cosign v2 signing through ${signer} failed:\n${record.stderr}`).to.equal(0);
});
