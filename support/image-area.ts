// What the areas that handle a scenario's images share: the scenario context,
// its registries, and the images' provenance.
import type { Provenance } from './provenance.ts';
import type { Registries } from './registries.ts';
import type { Scenario } from './scenario.ts';

export interface ImageContext {
  scenario: Scenario;
  registries: Registries;
  provenance: Provenance;
}

export abstract class ImageArea {
  protected readonly scenario: Scenario;
  protected readonly registries: Registries;
  protected readonly provenance: Provenance;

  constructor(context: ImageContext) {
    this.scenario = context.scenario;
    this.registries = context.registries;
    this.provenance = context.provenance;
  }
}
