// The signing-algorithm claims: one signer, one algorithm, where it stopped and why.
import { Then, When } from '@cucumber/cucumber';
import { expect } from 'chai';
import { claimOutcome, parseClaimSigner } from '../support/claims.ts';
import type { SigproofWorld } from '../support/world.ts';
import { outputOf } from './check.ts';

When('{string} is signed and verified by {string} with the algorithm {string}', async function (this: SigproofWorld, target: string, signer: string, algorithm: string) {
  this.expectOutcome(claimOutcome(await this.claims.run(target, parseClaimSigner(signer), algorithm)));
});

Then('the outcome is {string}, because {string}', function (this: SigproofWorld, verdict: string, reason: string) {
  const outcome = this.checkOutcome(reason);
  const claim = outcome.claim;
  if (!claim) throw new Error('no claim was run: use "… is signed and verified by … with the algorithm …" first');
  const output = outputOf(outcome);
  expect(claim.verdict, `${claim.signer} with ${claim.algorithm.label}: ${output.trim().split('\n').slice(-3).join(' | ')}`).to.equal(verdict);
  expect(output, `${claim.signer} with ${claim.algorithm.label} was ${claim.verdict}, but not because "${reason}"`).to.include(reason);
});
