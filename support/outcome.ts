// The outcome contract: a command whose success or failure is what the
// scenario is about is kept as its outcome, and a Then step must check it
// before another outcome replaces it (the After hook fails a scenario whose
// last outcome nobody checked). Checking it records a typed observation.
import type { CommandRecord } from './lib/runner.ts';
import type { Flow, Observation, VerdictObservation, Verifier } from './report/observations.ts';

/** The verifier and the image, when the outcome is a verifier's verdict on an image. */
export interface Judgement {
  verifier: Verifier;
  target: string;
  flow: Flow;
  /** What the scenario's verifiers were told to trust when it judged: PKI profiles (a trust bundle's members too), and a TSA. */
  trust?: VerdictObservation['trust'];
}

export interface Outcome {
  what: string;
  record: CommandRecord;
  /** What the tool prints on success, checked along with the exit code. */
  successText?: string;
  judgement?: Judgement;
  /** A signing-algorithm claim's result (its record is the command that decided it). */
  claim?: { signer: string; algorithm: { name: string; label: string }; verdict: string };
}

export class OutcomeSlot {
  private current: (Outcome & { asserted: boolean }) | undefined;

  set(outcome: Outcome): void {
    // A verdict must not be overwritten before a Then has looked at it.
    if (this.current && !this.current.asserted) throw new Error(`the outcome of "${this.current.what}" was never asserted before "${outcome.what}" ran: add a Then step in between`);
    this.current = { ...outcome, asserted: false };
  }

  take(): Outcome {
    if (!this.current) throw new Error('no command outcome to check: a When step must run the command first');
    this.current.asserted = true;
    return this.current;
  }

  /** The outcome a Then already checked, for a further look at its output. */
  checked(): Outcome {
    if (!this.current?.asserted) throw new Error('no checked outcome to look at again: a Then that checks the verdict must come first');
    return this.current;
  }

  /** The outcome nobody checked, if any. */
  unchecked(): Outcome | undefined {
    return this.current && !this.current.asserted ? this.current : undefined;
  }
}

/** A verifier's verdict on an image, as the matrix reads it. */
export function verdictObservation(j: Judgement, accepted: boolean, reason?: string): VerdictObservation {
  return { kind: 'verdict', ...j, verdict: accepted ? 'accepted' : 'refused', reason };
}

/** The observation a checked outcome stands for: a verifier's verdict, a claim, or any other result. */
export function observationOf(o: Outcome, reason?: string): Observation {
  const ok = o.record.exitCode === 0;
  if (o.claim) return { kind: 'claim', signer: o.claim.signer, algorithm: o.claim.algorithm.name, label: o.claim.algorithm.label, verdict: o.claim.verdict, reason: reason ?? '' };
  if (o.judgement) return verdictObservation(o.judgement, ok, reason);
  return { kind: 'outcome', what: o.what, verdict: ok ? 'succeeded' : 'failed', reason };
}

/** Setup that must refuse bad input: its error becomes an outcome record. */
export async function setupOutcome(what: string, action: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    await action();
    return { what, record: { argv: [what], exitCode: 0, durationMs: durationMs(), stdout: 'ok', stderr: '', timedOut: false } };
  } catch (err) {
    return { what, record: { argv: [what], exitCode: 1, durationMs: durationMs(), stdout: '', stderr: (err as Error).message, timedOut: false } };
  }
}
