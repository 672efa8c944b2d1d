// PKIs of the run: expensive to make (RSA-4096 keys) and read-only once made,
// so one per profile per run, shared by every thread and scenario. A verifier or signer
// that uses one says so (pkiFor): a bring-your-own leaf is refused where a rule
// it breaks is one that user needs, and warned about at the end of a scenario
// where no user needed it.
import { makeTempDir } from './lib/cleanup.ts';
import { type Pki, PkiFactory } from './pki/pki.ts';
import { ByoPkiError } from './pki/byo-pki.ts';
import { breachError, breachesFor, breachWarnings, type PkiUse } from './pki/pki-rules.ts';
import type { Scenario } from './scenario.ts';

let factory: PkiFactory | undefined;

/** The PKI for a use that no rule is about (a key holder answering, an algorithm claim's setup). */
export function pki(profile: string): Promise<Pki> {
  factory ??= new PkiFactory(makeTempDir('pki'));
  return factory.get(profile);
}

/** Revoke every leaf the profile (one with crl: published) has made so far; its CA publishes its CRL again. */
export function revokeLeaves(profile: string): Promise<string[]> {
  if (!factory) throw new Error(`PKI profile "${profile}" has made no leaf in this run: sign with it first`);
  return factory.revokeLeaves(profile);
}

/**
 * The notAfter of the short-lived leaf a signing just used (each signing asks
 * for a fresh one, right before it signs). A signing that ends after it proves
 * nothing about time: the scenario stops there, saying so, instead of reporting
 * a verdict the machine's slowness made. Undefined for other profiles.
 */
export function shortLivedLeafOfSigning(profile: string): number | undefined {
  const until = factory?.latestShortLived.get(profile);
  if (until !== undefined && Date.now() >= until) {
    throw new Error(`the short-lived leaf of "${profile}" expired (${new Date(until).toISOString()}) before its signing finished: this machine took longer than the leaf's validity (SHORT_LIVED_MS in support/pki/pki.ts) to sign`);
  }
  return until;
}

/** A PKI that can sign: a trust bundle (a rotation's window) has no leaf. */
export function signingPki(p: Pki): Pki {
  if (!p.leafKey) throw new Error(`PKI profile "${p.profile.name}" is a trust bundle of ${p.profile.trusts?.join(' and ')}: it signs nothing; sign with one of them`);
  return p;
}

/** Who used which PKI in each scenario, for the warnings at its end. */
const usesOf = new WeakMap<Scenario, Map<string, Set<PkiUse>>>();

/** The profiles the scenario's verifiers were given, a trust bundle's members included: what a verdict was judged against. */
const trustedOf = new WeakMap<Scenario, Set<string>>();

export function trustedProfiles(scenario: Scenario): string[] {
  return [...(trustedOf.get(scenario) ?? [])];
}

export async function pkiFor(profile: string, use: PkiUse, scenario: Scenario): Promise<Pki> {
  const p = await pki(profile);
  const trusted = trustedOf.get(scenario) ?? new Set<string>();
  for (const name of [profile, ...(p.profile.trusts ?? [])]) trusted.add(name);
  trustedOf.set(scenario, trusted);
  if (!p.breaches.length) return p;
  const stopping = breachesFor(p.breaches, use);
  if (stopping.length) throw new ByoPkiError(breachError(profile, use, stopping));
  let uses = usesOf.get(scenario);
  if (!uses) {
    uses = new Map<string, Set<PkiUse>>();
    usesOf.set(scenario, uses);
    scenario.teardown.push('PKI rule warnings', async () => {
      for (const w of await pkiWarnings(scenario)) scenario.observe({ kind: 'warning', what: w.profile, reason: w.text });
    });
  }
  const used = uses.get(profile) ?? new Set<PkiUse>();
  used.add(use);
  uses.set(profile, used);
  return p;
}

/** The rules the scenario's bring-your-own PKIs break that none of their users needs, so far. */
export async function pkiWarnings(scenario: Scenario): Promise<{ profile: string; text: string }[]> {
  const warnings: { profile: string; text: string }[] = [];
  for (const [name, used] of usesOf.get(scenario) ?? []) {
    for (const text of breachWarnings(name, (await pki(name)).breaches, used)) warnings.push({ profile: `PKI profile "${name}"`, text });
  }
  return warnings;
}
