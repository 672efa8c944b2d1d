// The per-scenario World: state slots for each area of behaviour, and the
// outcome contract. Behaviour lives in the area modules, which take only the
// parts they need (the scenario context and each other), never the World.
import { type IWorldOptions, setWorldConstructor, World } from '@cucumber/cucumber';
import { Admission } from './admission.ts';
import { Byo } from './byo.ts';
import { Claims } from './claims.ts';
import { CosignSigning } from './cosign-signing.ts';
import { NodeArea } from './node.ts';
import { NotationSigning } from './notation-signing.ts';
import { type Outcome, OutcomeSlot, observationOf, setupOutcome } from './outcome.ts';
import { Provenance } from './provenance.ts';
import { Registries } from './registries.ts';
import { RegistryLogins } from './registry-logins.ts';
import { Relocation } from './relocation.ts';
import { Runtime } from './runtime.ts';
import { Scenario } from './scenario.ts';
import { Timestamps } from './timestamps.ts';

export class SigproofWorld extends World {
  readonly scenario: Scenario;
  readonly registries: Registries;
  readonly provenance: Provenance;
  readonly timestamps: Timestamps;
  readonly notation: NotationSigning;
  readonly cosign: CosignSigning;
  readonly relocation: Relocation;
  readonly admission: Admission;
  readonly runtime: Runtime;
  readonly node: NodeArea;
  readonly claims: Claims;
  readonly byo: Byo;
  readonly logins: RegistryLogins;
  private readonly outcome = new OutcomeSlot();

  constructor(options: IWorldOptions) {
    super(options);
    const s = new Scenario((data, opts) => this.attach(data, opts));
    this.scenario = s;
    this.registries = new Registries(s);
    this.provenance = new Provenance(this.registries);
    this.timestamps = new Timestamps(s);
    const images = { scenario: s, registries: this.registries, provenance: this.provenance, timestamps: this.timestamps };
    this.notation = new NotationSigning(images);
    this.cosign = new CosignSigning(images);
    this.relocation = new Relocation(images, this.cosign);
    this.admission = new Admission(images, this.cosign);
    this.runtime = new Runtime(images, this.notation, this.cosign);
    this.node = new NodeArea(images, this.runtime, this.admission);
    this.claims = new Claims(this.notation, this.cosign);
    this.byo = new Byo(s);
    this.logins = new RegistryLogins(this.registries, this.notation, this.cosign);
  }

  /** Keep a When's outcome: a Then must check it before the next one. */
  expectOutcome(outcome: Outcome): void {
    this.outcome.set(outcome);
  }

  /** Setup that must refuse bad input: its error becomes the outcome a Then checks. */
  async expectSetup(what: string, action: () => Promise<unknown>): Promise<void> {
    this.outcome.set(await setupOutcome(what, action));
  }

  /**
   * Take the outcome for a Then, recording what it shows (a verifier's verdict,
   * a claim, or another result) with the reason the Then asserts, before the
   * assertion: a failed assertion leaves the observation on its failed step.
   */
  checkOutcome(reason?: string): Outcome {
    const o = this.outcome.take();
    this.scenario.observe(observationOf(o, reason));
    return o;
  }

  /** Look again at the checked outcome's output: evidence, not another verdict. */
  recheckOutcome(says: string): Outcome {
    const o = this.outcome.checked();
    this.scenario.observe({ kind: 'outcome', what: o.what, verdict: 'observed', reason: says });
    return o;
  }

  /** The outcome nobody checked, for the After hook. */
  uncheckedOutcome(): Outcome | undefined {
    return this.outcome.unchecked();
  }
}

setWorldConstructor(SigproofWorld);
