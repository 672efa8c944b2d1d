// What each verifier needs of a signing leaf, and only that verifier: a
// bring-your-own PKI that breaks a rule is refused where a verifier that needs
// the rule takes part in the scenario, and gets a warning where none does.
// Each rule is backed by the verifier's own refusal in features/pki-rules*.feature.

/** Who uses a PKI in a scenario: a signer or verifier, as the rules tell them apart. */
export const PKI_USES = [
  'notation',
  // notation with a trust policy whose trusted identity is the leaf's x509.subject.
  'notation with an x509.subject identity',
  'cosign v2',
  'cosign v3',
  'Kyverno cosign',
  'Kyverno Notary',
  'CRI-O',
  'containerd',
] as const;
export type PkiUse = (typeof PKI_USES)[number];

export const PKI_RULE_IDS = ['key-usage', 'eku-code-signing', 'eku-forbidden', 'subject-c-st-o', 'san-identity', 'san-email'] as const;
type PkiRuleId = (typeof PKI_RULE_IDS)[number];

interface PkiRule {
  /** The check, as the README's table says it. */
  check: string;
  /** The signers and verifiers that refuse a leaf breaking it. */
  neededBy: readonly PkiUse[];
  /** What the verifier says (asserted in the scenario named below). */
  words: string;
  scenario: string;
}

export const PKI_RULES: Record<PkiRuleId, PkiRule> = {
  'key-usage': {
    check: 'keyUsage critical, with only digitalSignature',
    neededBy: ['notation', 'notation with an x509.subject identity'],
    words: 'key usage extension must be marked critical',
    scenario: 'pki-rules.feature: notation and a leaf with a keyUsage that is not critical',
  },
  'eku-code-signing': {
    check: 'an extended key usage, if there is one, holds codeSigning',
    neededBy: ['cosign v2', 'cosign v3', 'Kyverno cosign', 'CRI-O', 'containerd'],
    words: 'x509: certificate specifies an incompatible key usage',
    scenario: 'pki-rules.feature and pki-rules-cluster.feature: a leaf with serverAuth alone',
  },
  'eku-forbidden': {
    check: 'no serverAuth, clientAuth, emailProtection, timeStamping or OCSPSigning in the extended key usage',
    neededBy: ['notation', 'notation with an x509.subject identity'],
    words: 'extended key usage must not contain ClientAuth eku',
    scenario: 'pki-rules.feature: notation and a leaf with codeSigning and clientAuth',
  },
  'subject-c-st-o': {
    check: 'a subject with C, ST and O',
    neededBy: ['notation with an x509.subject identity'],
    words: 'has no mandatory RDN attribute for "C"',
    scenario: 'pki-rules.feature: notation and a leaf with a CN-only subject',
  },
  'san-identity': {
    check: 'an email or URI subjectAltName',
    neededBy: ['cosign v2', 'cosign v3', 'containerd'],
    words: 'none of the expected identities matched what was in the certificate, got subjects []',
    scenario: 'pki-rules.feature and pki-rules-cluster.feature: a leaf with no subjectAltName',
  },
  'san-email': {
    check: 'an email subjectAltName (the policy.json subjectEmail)',
    neededBy: ['CRI-O'],
    words: 'Required email',
    scenario: 'pki-rules-cluster.feature: CRI-O and a leaf with a URI and no email',
  },
};

/** A rule a leaf breaks: the file and what is wrong with it. */
export interface RuleBreach {
  rule: PkiRuleId;
  problem: string;
}

/** The breaches that stop a use: those whose rule that use needs. */
export function breachesFor(breaches: readonly RuleBreach[], use: PkiUse): RuleBreach[] {
  return breaches.filter((b) => PKI_RULES[b.rule].neededBy.includes(use));
}

/** The error for a use that a breach stops, naming the file, the reason and the verifier's words. */
export function breachError(profile: string, use: PkiUse, breaches: readonly RuleBreach[]): string {
  const lines = breaches.map((b) => `${b.problem}; ${use} refuses such a leaf ("${PKI_RULES[b.rule].words}")`);
  return `PKI profile "${profile}": ${lines.join('; and ')}`;
}

/** Warnings for the breaches no user of the scenario needs: the PKI may serve here, and would be refused by another verifier. */
export function breachWarnings(profile: string, breaches: readonly RuleBreach[], uses: ReadonlySet<PkiUse>): string[] {
  return breaches.filter((b) => !PKI_RULES[b.rule].neededBy.some((u) => uses.has(u))).map((b) => `PKI profile "${profile}": ${b.problem}; no verifier of this scenario needs it (${[...uses].join(', ') || 'none used the PKI'}), but ${PKI_RULES[b.rule].neededBy.join(', ')} would refuse it`);
}
