// RFC 3161 timestamps: signing with the run's timestamp authority, the
// verifiers trusting it (or another one), and waiting for a short-lived leaf to expire.
import { Given, When } from '@cucumber/cucumber';
import { eventually } from '../support/lib/eventually.ts';
import type { SigproofWorld } from '../support/world.ts';
import { mustSucceed } from './check.ts';

Given('{string} was signed with notation by {string} through the signer {string} with a timestamp', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  mustSucceed(await this.notation.sign(target, profile, signer, {}, { timestamp: true }));
});

Given("notation trusts the run's timestamp authority", async function (this: SigproofWorld) {
  await this.notation.trustTimestampAuthority('the run');
});

Given('notation trusts another timestamp authority', async function (this: SigproofWorld) {
  await this.notation.trustTimestampAuthority('another');
});

When('the short-lived leaves of {string} have expired', async function (this: SigproofWorld, profile: string) {
  const until = this.provenance.shortLivedSignaturesExpireAt(profile);
  if (until === undefined) throw new Error(`nothing was signed with a short-lived leaf of "${profile}" in this scenario: sign with it first`);
  // Polled against the leaves' own notAfter; a verifier compares with its clock, so one more second of margin.
  await eventually(async () => Date.now() > until + 1_000, { timeoutMs: until - Date.now() + 30_000, intervalMs: 250, what: `the short-lived leaves of "${profile}" to pass their notAfter (${new Date(until).toISOString()})` });
  this.scenario.note('leaf expiry', `the short-lived leaves of "${profile}" expired at ${new Date(until).toISOString()}; it is now ${new Date().toISOString()}`);
});

Given('notation trusts no timestamp authority', async function (this: SigproofWorld) {
  await this.notation.trustTimestampAuthority('none');
});

Given('{string} was signed with cosign v2 by {string} with a timestamp', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV2Attach(target, profile, { timestamp: true }));
});

Given('{string} was signed with cosign v3 by {string} with a timestamp', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV3(target, profile, { timestamp: true }));
});

Given("the verifiers trust the run's timestamp authority", async function (this: SigproofWorld) {
  await this.timestamps.trust('the run');
});

Given('the verifiers trust another timestamp authority', async function (this: SigproofWorld) {
  await this.timestamps.trust('another');
});

Given('{string} was signed with cosign v2 by {string} with the timestamp of another signature', async function (this: SigproofWorld, target: string, profile: string) {
  mustSucceed(await this.cosign.signV2Attach(target, profile, { timestamp: 'of another signature' }));
});
