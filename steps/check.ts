// How a Then checks an outcome, and how a Given insists on a precondition.
// Each check records what it saw (a typed observation) before asserting.
import { expect } from 'chai';
import type { CommandRecord } from '../support/lib/runner.ts';
import type { Outcome } from '../support/outcome.ts';
import type { SigproofWorld } from '../support/world.ts';

const output = (r: CommandRecord) => `${r.stdout}\n${r.stderr}`;

export function expectSuccess(world: SigproofWorld): void {
  const { what, record, successText } = world.checkOutcome();
  expect(record.exitCode, `${what} was expected to succeed, but exited ${record.exitCode}:\n${output(record).trim()}`).to.equal(0);
  if (successText) expect(output(record), `${what} exited 0 without saying "${successText}"`).to.include(successText);
}

export function expectFailure(world: SigproofWorld, reason: string): void {
  const { what, record } = world.checkOutcome(reason);
  expect(record.exitCode, `${what} was expected to fail because "${reason}", but it succeeded:\n${output(record).trim()}`).to.not.equal(0);
  expect(output(record), `${what} failed, but not because "${reason}"`).to.include(reason);
}

/** A precondition (a Given) that must succeed: the scene is set, or the step says what went wrong. */
export function mustSucceed(outcome: Outcome): void {
  const { what, record } = outcome;
  expect(record.exitCode, `the step sets the scene with ${what}, which failed (exit ${record.exitCode}):\n${output(record).trim()}`).to.equal(0);
}

export function outputOf(o: Outcome): string {
  return output(o.record);
}
