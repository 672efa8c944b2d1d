// What the areas that handle a scenario's images share: the scenario context,
// its registries, the images' provenance, and the timestamps its signers ask for
// and its verifiers trust.
import type { Provenance } from './provenance.ts';
import type { Registries } from './registries.ts';
import type { Scenario } from './scenario.ts';
import type { Timestamps } from './timestamps.ts';

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
}
