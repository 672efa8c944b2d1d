// RFC 3161 timestamps in a scenario: the run's timestamp authority that signers
// ask, and which TSA the scenario's verifiers trust: the run's, or another one
// (a timestamp from a TSA the verifier does not trust). Only one TSA runs
// (env/tsa.ts says why), so "another TSA" is a chain of its own that signs nothing.
import { makeTempDir } from './lib/cleanup.ts';
import { makeTsaPki, runTsa, type TsaPki, type TsaService } from './env/tsa.ts';
import { EVIDENCE } from './report/attachments.ts';
import type { Scenario } from './scenario.ts';

/** The TSA a verifier trusts: a name for its trust store, its chain, and the URL it is known by. */
interface TrustedTsa {
  name: string;
  pki: TsaPki;
  url: string;
}

let another: Promise<TsaPki> | undefined;

export class Timestamps {
  private readonly scenario: Scenario;
  /** What the scenario's verifiers trust for timestamps; none: they check certificates at the current time. */
  trusted: TrustedTsa | undefined;
  private attached = false;

  constructor(scenario: Scenario) {
    this.scenario = scenario;
  }

  /** The run's TSA, for a signer to ask. */
  async authority(): Promise<TsaService> {
    const tsa = await runTsa();
    if (!this.attached) {
      this.attached = true;
      this.scenario.teardown.push('the timestamp authority log', (failed) => {
        if (failed) this.scenario.attachLog(EVIDENCE.log('timestamp authority'), tsa.logFile);
      });
    }
    return tsa;
  }

  /** From now on the scenario's verifiers trust the run's TSA, or another one that issued none of its timestamps. */
  async trust(which: 'the run' | 'another'): Promise<TrustedTsa> {
    if (which === 'the run') {
      const tsa = await this.authority();
      this.trusted = { name: 'sigproof-tsa', pki: tsa.pki, url: tsa.url };
    } else {
      another ??= makeTsaPki(makeTempDir('another-tsa'), 'another TSA');
      this.trusted = { name: 'another-tsa', pki: await another, url: 'http://another-tsa.invalid/api/v1/timestamp' };
    }
    return this.trusted;
  }
}
