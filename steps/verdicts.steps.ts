// The verdict of the last When, by its subject: "the verification succeeds",
// "the pull fails because …". Each checks the kept outcome and records it.
import { Then } from '@cucumber/cucumber';
import type { SigproofWorld } from '../support/world.ts';
import { expectFailure, expectSuccess } from './check.ts';

for (const subject of ['signing', 'the verification', 'the load', 'the pull', 'the setup', 'the login', 'the push', 'the copy']) {
  Then(`${subject} succeeds`, function (this: SigproofWorld) {
    expectSuccess(this);
  });
  Then(`${subject} fails because {string}`, function (this: SigproofWorld, reason: string) {
    expectFailure(this, reason);
  });
}
