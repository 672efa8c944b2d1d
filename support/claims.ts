// The signing-algorithm claims: one algorithm, one signer, the signer's own
// verify. The result says where it stopped (signing or verification) and why.
import type { CosignSigning } from './cosign-signing.ts';
import type { CommandRecord } from './lib/runner.ts';
import type { NotationSigning } from './notation-signing.ts';
import type { Outcome } from './outcome.ts';
import { pki } from './pkis.ts';
import { getAlgorithm, isCosignDefault, type SigningAlgorithm } from './pki/algorithms.ts';

const CLAIM_SIGNERS = ['cosign v2 attach', 'cosign v3 sign', 'notation'] as const;
type ClaimSigner = (typeof CLAIM_SIGNERS)[number];

type ClaimVerdict = 'verified' | 'refused at signing' | 'refused at verification';

interface ClaimResult {
  signer: ClaimSigner;
  algorithm: SigningAlgorithm;
  verdict: ClaimVerdict;
  record: CommandRecord;
}

export function parseClaimSigner(text: string): ClaimSigner {
  const s = CLAIM_SIGNERS.find((c) => c === text);
  if (!s) throw new Error(`unknown signer "${text}" for the claims. Known: ${CLAIM_SIGNERS.join(', ')}`);
  return s;
}

export class Claims {
  private readonly notation: NotationSigning;
  private readonly cosign: CosignSigning;
  constructor(notation: NotationSigning, cosign: CosignSigning) {
    this.notation = notation;
    this.cosign = cosign;
  }

  async run(target: string, signer: ClaimSigner, algorithmName: string): Promise<ClaimResult> {
    const algorithm = getAlgorithm(algorithmName);
    const p = await pki(algorithm.profile);
    let signed: Outcome;
    let verify: () => Promise<Outcome>;
    switch (signer) {
      case 'cosign v2 attach':
        signed = await this.cosign.signV2Attach(target, algorithm.profile, { algorithm });
        verify = () => this.cosign.verify(target, 'v2', algorithm.profile);
        break;
      case 'cosign v3 sign': {
        // `cosign sign` picks the algorithm from the key. Asking for another one is
        // the only way to try it, and the CLI's answer is the verdict.
        const extraArgs = isCosignDefault(algorithm, p.profile.key) ? [] : ['--signing-algorithm', algorithm.cosignName ?? algorithm.name];
        signed = await this.cosign.signV3(target, algorithm.profile, { extraArgs });
        verify = () => this.cosign.verify(target, 'v3', algorithm.profile);
        break;
      }
      case 'notation':
        await this.notation.trust(algorithm.profile, 'strict');
        signed = await this.notation.sign(
          target,
          algorithm.profile,
          'openssl',
          {
            ...(algorithm.padding ? { SIGPROOF_ALGORITHM_PADDING: algorithm.padding } : {}),
            SIGPROOF_ALGORITHM_DIGEST: algorithm.digest,
          },
          { skipPluginCheck: true },
        );
        verify = () => this.notation.verify(target);
        break;
    }
    if (signed.record.exitCode !== 0) return { signer, algorithm, verdict: 'refused at signing', record: signed.record };
    const verified = (await verify()).record;
    return { signer, algorithm, verdict: verified.exitCode === 0 ? 'verified' : 'refused at verification', record: verified };
  }
}

/** A claim's result as the outcome its Then checks: the decisive command, and the claim. */
export function claimOutcome(c: ClaimResult): Outcome {
  return { what: `${c.signer} with ${c.algorithm.label}`, record: c.record, claim: c };
}
