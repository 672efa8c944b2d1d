// Revocation: a CA revoking leaves of a profile and publishing its CRL again.
import { When } from '@cucumber/cucumber';
import { revokeLeaves } from '../support/pkis.ts';
import type { SigproofWorld } from '../support/world.ts';

When('the leaves of {string} are revoked', async function (this: SigproofWorld, profile: string) {
  const revoked = await revokeLeaves(profile);
  this.provenance.revoked(profile);
  this.scenario.note('revocation', `revoked ${revoked.length} leaf certificate(s) of "${profile}" (keyCompromise) and published the CA's CRL again:\n${revoked.join('\n')}`);
});
