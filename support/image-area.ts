// What the areas that handle a scenario's images share: the scenario context,
// its registries, the images' provenance, and the timestamps its signers ask for
// and its verifiers trust.
import type { Provenance } from './provenance.ts';
import type { Registries } from './registries.ts';
import type { Scenario } from './scenario.ts';
import type { Timestamps } from './timestamps.ts';
import type { Judgement } from './outcome.ts';
import { trustedProfiles } from './pkis.ts';
import type { Flow, Verifier } from './report/observations.ts';

export interface ImageContext {
  scenario: Scenario;
  registries: Registries;
  provenance: Provenance;
  timestamps: Timestamps;
}

export abstract class ImageArea {
  protected readonly scenario: Scenario;
  protected readonly registries: Registries;
  protected readonly provenance: Provenance;
  protected readonly timestamps: Timestamps;

  constructor(context: ImageContext) {
    this.scenario = context.scenario;
    this.registries = context.registries;
    this.provenance = context.provenance;
    this.timestamps = context.timestamps;
  }

  /** A verifier's judgement of an image: where it came from, and what the scenario's verifiers trusted then. */
  protected judge(verifier: Verifier, target: string, flow: Flow = this.provenance.flow(target)): Judgement {
    return { verifier, target, flow, trust: { profiles: trustedProfiles(this.scenario), tsa: this.timestamps.trusted?.name } };
  }
}
