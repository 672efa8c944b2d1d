// When: the action under test. A command whose exit is the verdict is kept as
// the scenario's outcome, and a Then step must look at it.
import { When, defineParameterType } from '@cucumber/cucumber';
import { answerAsKeyHolder } from '../support/signers.ts';
import { orasCopy } from '../support/tools/oras.ts';
import { archiveDir, extractArchive } from '../support/tools/tar.ts';
import type { SigproofWorld } from '../support/world.ts';

defineParameterType({
  name: 'copyMode',
  regexp: /with oras --recursive|with oras without --recursive/,
  transformer: (text: string) => text === 'with oras --recursive',
});

When('{string} is signed with notation by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  this.expectOutcome(`notation sign ${target}`, await this.notationSign(target, profile, signer));
});

When('{string} is signed with notation by {string} through the signature-file signer, answered by the key holder', async function (this: SigproofWorld, target: string, profile: string) {
  const pki = await this.pki(profile);
  const keyHolder = answerAsKeyHolder(this.scenarioPath('signature-exchange'), pki, 60_000);
  const record = await this.notationSign(target, profile, 'signature-file');
  await keyHolder;
  this.expectOutcome(`notation sign ${target} (signature by file)`, record);
});

When('{string} is signed with notation by {string} through the signature-file signer, and nobody answers within {int} second(s)', async function (this: SigproofWorld, target: string, profile: string, seconds: number) {
  const record = await this.notationSign(target, profile, 'signature-file', { SIGPROOF_SIGNATURE_TIMEOUT_MS: String(seconds * 1000) });
  this.expectOutcome(`notation sign ${target} (signature by file)`, record);
});

When('{string} is verified with notation', async function (this: SigproofWorld, target: string) {
  this.expectOutcome(`notation verify ${target}`, await this.notationVerify(target));
});

When('{string} is copied {copyMode} to the OCI layout {string}', async function (this: SigproofWorld, source: string, recursive: boolean, layout: string) {
  const r = this.ref(source);
  await orasCopy({ kind: 'registry', reference: r.full }, { kind: 'layout', dir: this.scenarioPath('layouts', layout), tag: r.tag ?? 'latest' }, { recursive });
});

When('the OCI layout {string} is carried across the air gap as a tar archive and unpacked as the OCI layout {string}', async function (this: SigproofWorld, from: string, to: string) {
  const archive = this.scenarioPath(`${from}.tar`);
  await archiveDir(this.scenarioPath('layouts', from), archive);
  await extractArchive(archive, this.scenarioPath('layouts', to));
});

When('the OCI layout {string} tag {string} is copied {copyMode} to {string}', async function (this: SigproofWorld, layout: string, tag: string, recursive: boolean, target: string) {
  await orasCopy({ kind: 'layout', dir: this.scenarioPath('layouts', layout), tag }, { kind: 'registry', reference: this.ref(target).full }, { recursive });
  this.noteRepository(target);
});

When('{string} is copied {copyMode} to {string}', async function (this: SigproofWorld, source: string, recursive: boolean, target: string) {
  await orasCopy({ kind: 'registry', reference: this.ref(source).full }, { kind: 'registry', reference: this.ref(target).full }, { recursive });
  this.noteRepository(target);
});

When('{string} is relocated to {string} {copyMode} through an OCI layout archive', async function (this: SigproofWorld, source: string, target: string, recursive: boolean) {
  const tag = this.ref(source).tag ?? 'latest';
  const outbound = this.scenarioPath('layouts', 'outbound');
  const inbound = this.scenarioPath('layouts', 'inbound');
  const archive = this.scenarioPath('air-gap.tar');
  await orasCopy({ kind: 'registry', reference: this.ref(source).full }, { kind: 'layout', dir: outbound, tag }, { recursive });
  await archiveDir(outbound, archive);
  await extractArchive(archive, inbound);
  await orasCopy({ kind: 'layout', dir: inbound, tag }, { kind: 'registry', reference: this.ref(target).full }, { recursive });
  this.noteRepository(target);
});

