// Then: the verdict and its reason. A rejection for the wrong reason fails.
import { Then } from '@cucumber/cucumber';
import { expect } from 'chai';
import { signatureStorage } from '../support/env/registry.ts';
import { orasDiscover } from '../support/tools/oras.ts';
import type { SigproofWorld } from '../support/world.ts';

const NOTATION_SIGNATURE = 'application/vnd.cncf.notary.signature';

function outputOf(world: SigproofWorld): string {
  const { record } = world.takeOutcome();
  return `${record.stdout}\n${record.stderr}`;
}

function expectSuccess(world: SigproofWorld, says?: string): void {
  const { what, record } = world.takeOutcome();
  const output = `${record.stdout}\n${record.stderr}`;
  expect(record.exitCode, `${what} was expected to succeed, but exited ${record.exitCode}:\n${output.trim()}`).to.equal(0);
  if (says) expect(output, `${what} succeeded without saying "${says}"`).to.include(says);
}

function expectFailure(world: SigproofWorld, reason: string): void {
  const { what, record } = world.takeOutcome();
  const output = `${record.stdout}\n${record.stderr}`;
  expect(record.exitCode, `${what} was expected to fail because "${reason}", but it succeeded:\n${output.trim()}`).to.not.equal(0);
  expect(output, `${what} failed, but not because "${reason}"`).to.include(reason);
}

Then('signing succeeds', function (this: SigproofWorld) {
  expectSuccess(this, 'Successfully signed');
});

Then('signing fails because {string}', function (this: SigproofWorld, reason: string) {
  expectFailure(this, reason);
});

Then('the verification succeeds', function (this: SigproofWorld) {
  expectSuccess(this, 'Successfully verified signature');
});

Then('the verification fails because {string}', function (this: SigproofWorld, reason: string) {
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
  expect(await this.digestOf(a), `${a} must be the same image as ${b}`).to.equal(await this.digestOf(b));
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
  void this.attach(`registry ${r.registryName} (${r.registry.kind}): referrers API ${storage.referrersApi === undefined ? 'absent (404)' : JSON.stringify(storage.referrersApi)}, fallback tag ${storage.fallbackTag ? 'present' : 'absent'}`);
  switch (how) {
    case 'the referrers API':
      expect(viaApi, `the ${r.registry.kind} registry's referrers API does not list the signature`).to.equal(true);
      break;
    case 'the referrers tag fallback':
      expect(storage.referrersApi, `the ${r.registry.kind} registry has a referrers API`).to.equal(undefined);
      expect(storage.fallbackTag, 'the sha256-<digest> fallback tag is missing').to.equal(true);
      break;
    default:
      throw new Error(`unknown lookup "${how}": use "the referrers API" or "the referrers tag fallback"`);
  }
});
