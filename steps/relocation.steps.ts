// Relocation from CI to production: oras (between registries, or through an
// OCI layout archive across the air gap), cosign copy, cosign save/load.
import { When } from '@cucumber/cucumber';
import type { CosignVersion } from '../support/drivers/cosign.ts';
import type { SigproofWorld } from '../support/world.ts';

When('{string} is copied {copyMode} to {string}', async function (this: SigproofWorld, source: string, recursive: boolean, target: string) {
  await this.relocation.orasCopy(source, target, recursive);
});

When('{string} is relocated to {string} {copyMode} through an OCI layout archive', async function (this: SigproofWorld, source: string, target: string, recursive: boolean) {
  await this.relocation.orasAirGap(source, target, recursive);
});

When('{string} is copied {copyMode} to the OCI layout {string}', async function (this: SigproofWorld, source: string, recursive: boolean, layout: string) {
  await this.relocation.toLayout(source, layout, recursive);
});

When('the OCI layout {string} is carried across the air gap as a tar archive and unpacked as the OCI layout {string}', async function (this: SigproofWorld, from: string, to: string) {
  await this.relocation.carryLayout(from, to);
});

When('the OCI layout {string} tag {string} is copied {copyMode} to {string}', async function (this: SigproofWorld, layout: string, tag: string, recursive: boolean, target: string) {
  await this.relocation.fromLayout(layout, tag, target, recursive);
});

When('{string} is copied with {cosign} to {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, target: string) {
  await this.relocation.cosignCopy(source, version, target);
});

When('{string} is saved with {cosign}, carried across the air gap as a tar archive and loaded into {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, target: string) {
  this.expectOutcome(await this.relocation.cosignSaveLoad(source, version, target));
});

When('{string} is saved with {cosign} into the directory {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, dir: string) {
  await this.relocation.cosignSave(source, version, dir);
});
