// Typed observations: what a verifier, a signer or a setup step concluded in a
// scenario, recorded by the code that ran it and attached to the step that
// checked it (media type OBSERVATION_MEDIA_TYPE). The matrix, the findings and
// the summary are built from these and from step statuses, never from step text.

/** The columns of the matrix: who judged an image. */
export const VERIFIERS = ['notation CLI', 'cosign CLI', 'Kyverno Pod', 'Kyverno Deployment', 'CRI-O', 'containerd'] as const;
/** Columns that appear only when some scenario fills them. */
export const EXTRA_VERIFIERS = [
  'Kyverno Pod (ImageValidatingPolicy)',
  'Kyverno Deployment (ImageValidatingPolicy)',
  // A node: the pod admitted by Kyverno, then pulled and run by the runtime under its policy, or the runtime alone.
  'Kyverno + CRI-O, pod running',
  'Kyverno + containerd, pod running',
  'CRI-O node',
  'containerd node',
  // A node whose pulls are not checked: sigproof's OCI hook verifier judges every container creation.
  'CRI-O OCI hook',
  'containerd OCI hook',
] as const;
export type Verifier = (typeof VERIFIERS)[number] | (typeof EXTRA_VERIFIERS)[number];

/** Who signed an image, and how its signature differs from a valid one. */
export interface SignerInfo {
  /** notation, cosign v2, cosign v3 (bundle), cosign v3 (legacy .sig), …, or unsigned. */
  tool: string;
  /** The PKI profile that signed, when there is one. */
  profile?: string;
  /** another root, another identity, expired leaf, tampered, signature of another digest, … */
  variants: string[];
  /** Whether a verifier that trusts the scenario's PKI should accept it. */
  valid: boolean;
}

export const UNSIGNED: SignerInfo = { tool: 'unsigned', variants: [], valid: false };

/** How the image reached the registry it was judged in: its signer, relocation path and registry. */
export interface Flow {
  signer: SignerInfo;
  /** none, oras cp, cosign copy, cosign save/load, oras via an OCI layout archive, … */
  relocation: string;
  registry: { name: string; kind: string };
}

/** A verifier judged an image: the matrix's unit. */
export interface VerdictObservation {
  kind: 'verdict';
  verifier: Verifier;
  /** The image as the scenario names it (registry/repo:tag). */
  target: string;
  flow: Flow;
  verdict: 'accepted' | 'refused';
  /** The words of the tool that the scenario asserted. */
  reason?: string;
  /** What the verifier trusted when it judged: the PKI profiles it was given, and the TSA whose timestamps it accepts. */
  trust?: { profiles: string[]; tsa?: string };
}

/** Any other checked result: a signing, a load, a setup, a log line, a version string. */
interface OutcomeObservation {
  kind: 'outcome';
  what: string;
  verdict: 'succeeded' | 'failed' | 'observed';
  reason?: string;
}

/** A signing-algorithm claim: one signer, one algorithm, where it stopped and why. */
export interface ClaimObservation {
  kind: 'claim';
  signer: string;
  algorithm: string;
  label: string;
  verdict: string;
  reason: string;
}

/** A cost a scenario measured: reported as the claim's evidence, never asserted. */
interface MeasurementObservation {
  kind: 'measurement';
  what: string;
  /** One sentence with the medians, as findings.md shows it. */
  summary: string;
  /** Every sample, in ms. */
  samples: Record<string, number[]>;
}

/** Something the reader should know that did not fail the scenario: a bring-your-own PKI breaking a rule no verifier of it needs. */
interface WarningObservation {
  kind: 'warning';
  what: string;
  reason: string;
}

export type Observation = VerdictObservation | OutcomeObservation | ClaimObservation | MeasurementObservation | WarningObservation;

export function signerLabel(s: SignerInfo): string {
  return s.variants.length ? `${s.tool} (${s.variants.join(', ')})` : s.tool;
}

export function parseObservation(body: string): Observation {
  const o = JSON.parse(body) as Observation;
  if (!o || !['verdict', 'outcome', 'claim', 'measurement', 'warning'].includes(o.kind)) throw new Error(`not a sigproof observation: ${body.slice(0, 200)}`);
  return o;
}
