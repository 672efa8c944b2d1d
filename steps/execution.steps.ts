// When: the action under test. A command whose exit is the verdict is kept as
// the scenario's outcome, and a Then step must look at it.
import { When, defineParameterType } from '@cucumber/cucumber';
import { attachBundle, fetchBundle, tamperBundleSignature } from '../support/bundles.ts';
import { parseClaimSigner, runClaim } from '../support/claims.ts';
import { answerAsKeyHolder } from '../support/pki/signers.ts';
import { COSIGN_PUSHED, COSIGN_VERIFIED, parseCosignVersion, type CosignVersion } from '../support/drivers/cosign.ts';
import { NOTATION_SIGNED, NOTATION_VERIFIED } from '../support/drivers/notation.ts';
import { orasCopy } from '../support/drivers/oras.ts';
import { archiveDir, extractArchive } from '../support/drivers/tar.ts';
import type { SigproofWorld } from '../support/world.ts';
import { binaryNamed } from '../toolchain/tool-paths.ts';

defineParameterType({
  name: 'copyMode',
  regexp: /with oras --recursive|with oras without --recursive/,
  transformer: (text: string) => text === 'with oras --recursive',
});

When('{string} is signed with notation by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  this.expectOutcome(`notation sign ${target}`, await this.notationSign(target, profile, signer), NOTATION_SIGNED);
});

When('{string} is signed with notation by {string} through the signature-file signer, answered by the key holder', async function (this: SigproofWorld, target: string, profile: string) {
  const pki = await this.pki(profile);
  const keyHolder = answerAsKeyHolder(this.scenarioPath('signature-exchange'), pki, 60_000);
  const record = await this.notationSign(target, profile, 'signature-file');
  await keyHolder;
  this.expectOutcome(`notation sign ${target} (signature by file)`, record, NOTATION_SIGNED);
});

When('{string} is signed with notation by {string} through the signature-file signer, and nobody answers within {int} second(s)', async function (this: SigproofWorld, target: string, profile: string, seconds: number) {
  const record = await this.notationSign(target, profile, 'signature-file', { SIGPROOF_SIGNATURE_TIMEOUT_MS: String(seconds * 1000) });
  this.expectOutcome(`notation sign ${target} (signature by file)`, record, NOTATION_SIGNED);
});

When('{string} is verified with notation', async function (this: SigproofWorld, target: string) {
  this.expectOutcome(`notation verify ${target}`, await this.notationVerify(target), NOTATION_VERIFIED);
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


defineParameterType({ name: 'cosign', regexp: /cosign (v2|v3)/, transformer: (v: string) => parseCosignVersion(v) });
defineParameterType({ name: 'identity', regexp: /email|URI/, transformer: (v: string) => (v === 'email' ? 'email' : 'uri') });

When('{string} is signed with cosign v2 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(`cosign v2 attach signature to ${target}`, await this.cosignSignV2Attach(target, profile));
});

When('{string} is signed with cosign v2 by {string} over the payload of {string}', async function (this: SigproofWorld, target: string, profile: string, other: string) {
  this.expectOutcome(`cosign v2 attach signature to ${target}`, await this.cosignSignV2Attach(target, profile, { payloadOf: other }));
});

When('{string} is signed with cosign v2 by {string} with a tampered signature', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(`cosign v2 attach signature to ${target}`, await this.cosignSignV2Attach(target, profile, { tamper: true }));
});

When('{string} is signed with cosign v3 by {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(`cosign v3 sign ${target}`, await this.cosignSignV3(target, profile), COSIGN_PUSHED);
});

When('{string} is signed with cosign v3 by {string} with its certificate chain', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(`cosign v3 sign ${target} --certificate-chain`, await this.cosignSignV3(target, profile, { withChain: true }), COSIGN_PUSHED);
});

When('{string} is verified with {cosign} trusting {string}', async function (this: SigproofWorld, target: string, version: CosignVersion, profile: string) {
  this.expectOutcome(`cosign ${version} verify ${target}`, await this.cosignVerify(target, version, profile), COSIGN_VERIFIED);
});

When('{string} is verified with cosign v2 using a trusted root made from {string}', async function (this: SigproofWorld, target: string, profile: string) {
  this.expectOutcome(`cosign v2 verify ${target} --trusted-root`, await this.cosignVerify(target, 'v2', profile, 'uri', { trustedRoot: true }), COSIGN_VERIFIED);
});

When('{string} is verified with {cosign} trusting {string} for the {identity} identity', async function (this: SigproofWorld, target: string, version: CosignVersion, profile: string, identity: 'uri' | 'email') {
  this.expectOutcome(`cosign ${version} verify ${target} (${identity} identity)`, await this.cosignVerify(target, version, profile, identity), COSIGN_VERIFIED);
});

When('the cosign v3 bundle of {string} is copied onto {string}', async function (this: SigproofWorld, source: string, target: string) {
  await attachBundle(this, await fetchBundle(this, source), target);
});

When('the cosign v3 bundle of {string} is copied onto {string} with its signature tampered', async function (this: SigproofWorld, source: string, target: string) {
  await attachBundle(this, tamperBundleSignature(await fetchBundle(this, source)), target);
});

When('{string} is saved with {cosign}, carried across the air gap as a tar archive and loaded into {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, target: string) {
  const saved = this.scenarioPath('cosign-saved');
  const archive = this.scenarioPath('cosign-air-gap.tar');
  const landed = this.scenarioPath('cosign-landed');
  await this.cosign(version).save(await this.digestRef(source), saved);
  await archiveDir(saved, archive);
  await extractArchive(archive, landed);
  this.noteRepository(target);
  this.expectOutcome(`cosign ${version} load into ${target}`, await this.cosign(version).load(landed, this.ref(target).full));
});

When('{string} is copied with {cosign} to {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, target: string) {
  await this.cosign(version).copy(this.ref(source).full, this.ref(target).full);
  this.noteRepository(target);
});

When('{string} is saved with {cosign} into the directory {string}', async function (this: SigproofWorld, source: string, version: CosignVersion, dir: string) {
  await this.cosign(version).save(await this.digestRef(source), this.scenarioPath('saved', dir));
});

When('the saved directory {string} is verified with {cosign} --local-image trusting {string}', async function (this: SigproofWorld, dir: string, version: CosignVersion, profile: string) {
  const record = await this.cosign(version).verify(this.scenarioPath('saved', dir), await this.cosignTrust(profile), { localImage: true });
  this.expectOutcome(`cosign ${version} verify --local-image ${dir}`, record, COSIGN_VERIFIED);
});

When('{string} is signed and verified by {string} with the algorithm {string}', async function (this: SigproofWorld, target: string, signer: string, algorithm: string) {
  this.claim = await runClaim(this, target, parseClaimSigner(signer), algorithm);
});

When(/^"([^"]+)" is pulled(?: by (tag|digest))? with (crictl|ctr) from (CRI-O|containerd)$/, async function (this: SigproofWorld, target: string, by: string | undefined, client: 'crictl' | 'ctr', runtime: 'CRI-O' | 'containerd') {
  await this.runtimePull(target, client, runtime, { byDigest: by === 'digest' });
});

When('the containerd policy is tightened to {string} trusting {string}', async function (this: SigproofWorld, policy: string, profile: string) {
  await this.containerdEnforce(policy, profile);
});

// ---- bring your own ------------------------------------------------------

When('the PKI profile {string} is prepared', async function (this: SigproofWorld, profile: string) {
  await this.expectSetup(`prepare the PKI profile ${profile}`, () => this.pki(profile));
});

When(/^(cosign v2|cosign v3|the tool "[^"]+") is replaced by the binary "([^"]+)" for this scenario$/, async function (this: SigproofWorld, which: string, path: string) {
  const bin = binaryNamed(which);
  await this.expectSetup(`replace ${bin} by ${path}`, () => this.overrideTool(bin, path));
});

When('Kyverno is given the policy {string} for the registry {string} trusting {string}', async function (this: SigproofWorld, policy: string, registry: string, profile: string) {
  await this.expectSetup(`Kyverno policy ${policy}`, () => this.kyvernoEnforce(policy, registry, profile));
});

When('{string} is signed with cosign v2 by {string} through the signer {string}', async function (this: SigproofWorld, target: string, profile: string, signer: string) {
  this.expectOutcome(`cosign v2 attach signature to ${target} (signed by ${signer})`, await this.cosignSignV2Attach(target, profile, { signer }));
});

When('a container is started by ctr from {string} in containerd\'s store', async function (this: SigproofWorld, target: string) {
  // A marker of this run: output that only a container that really ran can print.
  await this.containerdRunFromStore(target, `started-from-the-store-${Date.now().toString(36)}`);
});
