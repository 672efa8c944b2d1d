// Relocation from a CI registry to production, signatures included or left
// behind: oras between registries or through an OCI layout archive (the air
// gap, in one step or three), cosign copy, and cosign save/load. Each move is
// recorded in the images' provenance, so a later verdict knows its path.
import { type ImageContext, ImageArea } from './image-area.ts';
import type { CosignSigning } from './cosign-signing.ts';
import type { CosignVersion } from './drivers/cosign.ts';
import { orasCopy } from './drivers/oras.ts';
import { archiveDir, extractArchive } from './drivers/tar.ts';
import type { Outcome } from './outcome.ts';

const withoutRecursive = (recursive: boolean) => (recursive ? '' : ' without --recursive');

export class Relocation extends ImageArea {
  private readonly cosign: CosignSigning;
  constructor(context: ImageContext, cosign: CosignSigning) {
    super(context);
    this.cosign = cosign;
  }

  async orasCopy(source: string, target: string, recursive: boolean): Promise<void> {
    await orasCopy({ kind: 'registry', reference: this.registries.ref(source).full }, { kind: 'registry', reference: this.registries.ref(target).full }, { recursive });
    this.registries.noteRepository(target);
    this.provenance.relocated(source, target, `oras cp${withoutRecursive(recursive)}`);
  }

  /** The air gap in one step: registry -> OCI layout -> tar -> OCI layout -> registry. */
  async orasAirGap(source: string, target: string, recursive: boolean): Promise<void> {
    const tag = this.registries.ref(source).tag ?? 'latest';
    const outbound = this.scenario.path('layouts', 'outbound');
    const inbound = this.scenario.path('layouts', 'inbound');
    const archive = this.scenario.path('air-gap.tar');
    await orasCopy({ kind: 'registry', reference: this.registries.ref(source).full }, { kind: 'layout', dir: outbound, tag }, { recursive });
    await archiveDir(outbound, archive);
    await extractArchive(archive, inbound);
    await orasCopy({ kind: 'layout', dir: inbound, tag }, { kind: 'registry', reference: this.registries.ref(target).full }, { recursive });
    this.registries.noteRepository(target);
    this.provenance.relocated(source, target, `oras${withoutRecursive(recursive)} via an OCI layout archive`);
  }

  // The same air gap in three steps, each its own phrase.
  async toLayout(source: string, layout: string, recursive: boolean): Promise<void> {
    const r = this.registries.ref(source);
    await orasCopy({ kind: 'registry', reference: r.full }, { kind: 'layout', dir: this.scenario.path('layouts', layout), tag: r.tag ?? 'latest' }, { recursive });
    this.provenance.toLayout(source, layout, recursive);
  }

  async carryLayout(from: string, to: string): Promise<void> {
    const archive = this.scenario.path(`${from}.tar`);
    await archiveDir(this.scenario.path('layouts', from), archive);
    await extractArchive(archive, this.scenario.path('layouts', to));
    this.provenance.layoutCarried(from, to);
  }

  async fromLayout(layout: string, tag: string, target: string, recursive: boolean): Promise<void> {
    await orasCopy({ kind: 'layout', dir: this.scenario.path('layouts', layout), tag }, { kind: 'registry', reference: this.registries.ref(target).full }, { recursive });
    this.registries.noteRepository(target);
    this.provenance.fromLayout(layout, target, recursive);
  }

  async cosignCopy(source: string, version: CosignVersion, target: string): Promise<void> {
    await this.cosign.cli(version).copy(this.registries.ref(source).full, this.registries.ref(target).full);
    this.registries.noteRepository(target);
    this.provenance.relocated(source, target, 'cosign copy');
  }

  /** cosign save, a tar across the air gap, cosign load: the load's result is the outcome. */
  async cosignSaveLoad(source: string, version: CosignVersion, target: string): Promise<Outcome> {
    const saved = this.scenario.path('cosign-saved');
    const archive = this.scenario.path('cosign-air-gap.tar');
    const landed = this.scenario.path('cosign-landed');
    await this.cosign.cli(version).save(await this.registries.digestRef(source), saved);
    await archiveDir(saved, archive);
    await extractArchive(archive, landed);
    this.registries.noteRepository(target);
    const record = await this.cosign.cli(version).load(landed, this.registries.ref(target).full);
    this.provenance.relocated(source, target, 'cosign save/load');
    return { what: `cosign ${version} load into ${target}`, record };
  }

  async cosignSave(source: string, version: CosignVersion, dir: string): Promise<void> {
    await this.cosign.cli(version).save(await this.registries.digestRef(source), this.scenario.path('saved', dir));
  }
}
