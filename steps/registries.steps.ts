// Registries and images: what a scenario starts from, and what a registry holds.
import { Given, Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { BUNDLE_ARTIFACT_TYPE } from '../support/bundles.ts';
import { orasDiscover } from '../support/drivers/oras.ts';
import { parseRegistryKind, type SignatureStorage, signatureStorage } from '../support/env/registry.ts';
import { EVIDENCE } from '../support/report/attachments.ts';
import type { SigproofWorld } from '../support/world.ts';

const NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';

Given('the registry {string}', async function (this: SigproofWorld, name: string) {
  await this.registries.start(name);
});

Given('the registry {string} of kind {string}', async function (this: SigproofWorld, name: string, kind: string) {
  await this.registries.start(name, parseRegistryKind(kind));
});

Given('the registries {string} and {string}', async function (this: SigproofWorld, a: string, b: string) {
  await Promise.all([a, b].map((name) => this.registries.start(name)));
});

Given('the registries {string}, {string}, {string} and {string}', async function (this: SigproofWorld, a: string, b: string, c: string, d: string) {
  await Promise.all([a, b, c, d].map((name) => this.registries.start(name)));
});

Given('the test image {string} is pushed as {string}', async function (this: SigproofWorld, image: string, target: string) {
  await this.registries.pushTestImage(image, target);
});

Given('the test image {string} is pushed to {string} as {string} and {string}', async function (this: SigproofWorld, image: string, registry: string, a: string, b: string) {
  const first = await this.registries.pushTestImage(image, `${registry}/${a}`);
  const second = await this.registries.pushTestImage(image, `${registry}/${b}`);
  // Two tags of one digest would make "signed" and "unsigned" the same image.
  expect(first.manifestDigest, `${a} and ${b} must be different builds`).not.to.equal(second.manifestDigest);
});

Then('{string} has the digest of {string}', async function (this: SigproofWorld, a: string, b: string) {
  const [da, db] = [await this.registries.digestOf(a), await this.registries.digestOf(b)];
  this.scenario.note(EVIDENCE.digests, `${a}: ${da}\n${b}: ${db}`);
  expect(da, `${a} must be the same image as ${b}`).to.equal(db);
});

Then('{string} has {int} notation signature(s)', async function (this: SigproofWorld, target: string, count: number) {
  const referrers = await orasDiscover(await this.registries.digestRef(target));
  const signatures = referrers.filter((r) => r.artifactType === NOTATION_SIGNATURE);
  expect(signatures, `notation signatures referring to ${target} (all referrers: ${JSON.stringify(referrers.map((r) => r.artifactType))})`).to.have.length(count);
});

function describeStorage(name: string, kind: string, s: SignatureStorage): string {
  const list = (x: string[] | undefined, absent: string) => (x === undefined ? absent : JSON.stringify(x));
  const reported = JSON.stringify(s.referrersApiReported) !== JSON.stringify(s.referrersApi) ? ` (the API itself reports ${list(s.referrersApiReported, '')})` : '';
  return `registry ${name} (${kind}): referrers API ${list(s.referrersApi, 'absent (404)')}${reported}, fallback tag index ${list(s.fallbackTag, 'absent')}, cosign .sig tag ${s.cosignSigTag ? 'present' : 'absent'}`;
}

async function storageOf(world: SigproofWorld, target: string) {
  const r = world.registries.ref(target);
  const storage = await signatureStorage(r.registry, r.repo, await world.registries.digestOf(target));
  world.scenario.note(EVIDENCE.signatureStorage, describeStorage(r.registryName, r.registry.kind, storage));
  return { kind: r.registry.kind, storage };
}

type StorageCheck = (s: SignatureStorage, kind: string) => void;

/** Where a notation signature is looked up. */
const NOTATION_LOOKUPS: Record<string, StorageCheck> = {
  'the referrers API': (s, kind) => expect(s.referrersApi?.includes(NOTATION_SIGNATURE) ?? false, `the ${kind} registry's referrers API does not list the signature`).to.equal(true),
  'the referrers tag fallback': (s, kind) => {
    expect(s.referrersApi, `the ${kind} registry has a referrers API`).to.equal(undefined);
    expect(s.fallbackTag ?? [], 'the sha256-<digest> fallback index does not list the signature').to.include(NOTATION_SIGNATURE);
  },
};

/** How cosign stored its signature: the legacy tag, or a v3 bundle as a referrer. */
const COSIGN_STORAGE: Record<string, StorageCheck> = {
  'a .sig tag': (s) => expect(s.cosignSigTag, 'the sha256-<digest>.sig tag is missing').to.equal(true),
  'a bundle through the referrers API': (s, kind) => expect(s.referrersApi ?? [], `the ${kind} registry's referrers API does not list a bundle`).to.include(BUNDLE_ARTIFACT_TYPE),
  'a bundle under the referrers tag fallback': (s, kind) => {
    expect(s.referrersApi, `the ${kind} registry has a referrers API`).to.equal(undefined);
    expect(s.fallbackTag ?? [], 'the sha256-<digest> fallback index does not list a bundle').to.include(BUNDLE_ARTIFACT_TYPE);
  },
};

async function checkStorage(world: SigproofWorld, target: string, checks: Record<string, StorageCheck>, how: string): Promise<void> {
  const check = checks[how];
  if (!check)
    throw new Error(
      `unknown storage "${how}". Known: ${Object.keys(checks)
        .map((k) => `"${k}"`)
        .join(', ')}`,
    );
  const { kind, storage } = await storageOf(world, target);
  check(storage, kind);
}

Then('the signature of {string} is found through {string}', async function (this: SigproofWorld, target: string, how: string) {
  await checkStorage(this, target, NOTATION_LOOKUPS, how);
});

Then('the cosign signature of {string} is stored as {string}', async function (this: SigproofWorld, target: string, how: string) {
  await checkStorage(this, target, COSIGN_STORAGE, how);
});
