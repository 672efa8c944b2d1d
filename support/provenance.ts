// What happened to each image of a scenario, recorded as it happens: who signed
// it (tool, PKI profile, how the signature differs from a valid one) and how it
// was relocated. A verifier's verdict carries this flow into the matrix.
import { shortLivedLeafOfSigning } from './pkis.ts';
import type { Registries } from './registries.ts';
import { type Flow, type SignerInfo, UNSIGNED } from './report/observations.ts';

interface ImageState {
  signer: SignerInfo;
  relocation: string;
}

/** What a PKI profile's name says about the signature (profiles are named for what they test). */
function profileVariants(profile: string): string[] {
  const variants: string[] = [];
  if (/^rogue-/.test(profile)) variants.push('another root');
  if (/other-identity/.test(profile)) variants.push('another identity');
  if (/expired/.test(profile)) variants.push('expired leaf');
  if (/not-yet-valid/.test(profile)) variants.push('leaf not yet valid');
  if (/short-lived/.test(profile)) variants.push('short-lived leaf, no timestamp');
  return variants;
}

export type SignatureDefect = 'tampered' | 'signature of another digest' | 'timestamp of another signature';

/** A signer as the matrix labels it, from the signing tool, the PKI profile and any defect made on purpose. */
export function signerOf(tool: string, profile: string | undefined, defects: SignatureDefect[] = [], opts: { timestamped?: boolean } = {}): SignerInfo {
  // A trusted timestamp from while the leaf was valid is what keeps a short-lived leaf's signature valid.
  const variants = [...(profile ? profileVariants(profile) : []), ...defects].filter((v) => !(opts.timestamped && v === 'short-lived leaf, no timestamp'));
  return { tool: opts.timestamped ? `${tool} (RFC 3161 timestamp)` : tool, profile, variants, valid: variants.length === 0 };
}

export class Provenance {
  private readonly images = new Map<string, ImageState>();
  /** The air-gap flow in three steps: registry -> OCI layout -> tar -> OCI layout -> registry. */
  private readonly layouts = new Map<string, ImageState>();
  private readonly registries: Registries;

  constructor(registries: Registries) {
    this.registries = registries;
  }

  of(target: string): ImageState {
    return this.images.get(target) ?? { signer: UNSIGNED, relocation: 'none' };
  }

  /** The latest notAfter of the short-lived leaves that signed something here, by profile: what an expiry waits for. */
  private readonly shortLivedSigned = new Map<string, number>();

  signed(target: string, signer: SignerInfo): void {
    const until = signer.profile ? shortLivedLeafOfSigning(signer.profile) : undefined;
    if (signer.profile && until !== undefined) this.shortLivedSigned.set(signer.profile, Math.max(until, this.shortLivedSigned.get(signer.profile) ?? 0));
    this.images.set(target, { signer, relocation: 'none' });
  }

  /** When every short-lived leaf of the profile that signed in this scenario has expired (epoch ms). */
  shortLivedSignaturesExpireAt(profile: string): number | undefined {
    return this.shortLivedSigned.get(profile);
  }

  /** The profile's leaves were revoked: every image they signed now carries a signature no verifier should accept. */
  revoked(profile: string): void {
    for (const [target, state] of this.images) {
      const s = state.signer;
      if (s.profile !== profile || s.variants.includes('leaf revoked after signing')) continue;
      this.images.set(target, { ...state, signer: { ...s, variants: [...s.variants, 'leaf revoked after signing'], valid: false } });
    }
  }

  relocated(from: string, to: string, how: string): void {
    this.images.set(to, { signer: this.of(from).signer, relocation: how });
  }

  toLayout(from: string, layout: string, recursive: boolean): void {
    this.layouts.set(layout, { signer: this.of(from).signer, relocation: `oras${recursive ? '' : ' without --recursive'} via an OCI layout archive` });
  }

  layoutCarried(from: string, to: string): void {
    const state = this.layouts.get(from);
    if (state) this.layouts.set(to, state);
  }

  fromLayout(layout: string, to: string, recursive: boolean): void {
    const from = this.layouts.get(layout);
    // A layout copied without --recursive at either end leaves the signature behind.
    const how = !recursive && from && !from.relocation.includes('without') ? from.relocation.replace('oras', 'oras without --recursive') : (from?.relocation ?? 'oras via an OCI layout');
    this.images.set(to, { signer: from?.signer ?? UNSIGNED, relocation: how });
  }

  flow(target: string): Flow {
    const { signer, relocation } = this.of(target);
    const registry = this.registries.ref(target).registry;
    return { signer, relocation, registry: { name: registry.name, kind: registry.kind } };
  }
}
