// The signing-algorithm claims: one algorithm, one signer, the signer's own
// verify. The result says where it stopped (signing or verification) and why.
import { getAlgorithm, isCosignDefault, type SigningAlgorithm } from './pki/algorithms.ts';
import type { CommandRecord } from './lib/runner.ts';
import type { SigproofWorld } from './world.ts';

export const CLAIM_SIGNERS = ['cosign v2 attach', 'cosign v3 sign', 'notation'] as const;
export type ClaimSigner = (typeof CLAIM_SIGNERS)[number];

export type ClaimVerdict = 'verified' | 'refused at signing' | 'refused at verification';

export interface ClaimResult {
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

export async function runClaim(world: SigproofWorld, target: string, signer: ClaimSigner, algorithmName: string): Promise<ClaimResult> {
  const algorithm = getAlgorithm(algorithmName);
  const pki = await world.pki(algorithm.profile);
  let signed: CommandRecord;
  let verify: () => Promise<CommandRecord>;
  switch (signer) {
    case 'cosign v2 attach':
      signed = await world.cosignSignV2Attach(target, algorithm.profile, { algorithm });
      verify = () => world.cosignVerify(target, 'v2', algorithm.profile);
      break;
    case 'cosign v3 sign': {
      // `cosign sign` picks the algorithm from the key. Asking for another one is
      // the only way to try it, and the CLI's answer is the verdict.
      const extraArgs = isCosignDefault(algorithm, pki.profile.key) ? [] : ['--signing-algorithm', algorithm.cosignName ?? algorithm.name];
      signed = await world.cosignSignV3(target, algorithm.profile, { extraArgs });
      verify = () => world.cosignVerify(target, 'v3', algorithm.profile);
      break;
    }
    case 'notation':
      await world.notationTrust(algorithm.profile, 'strict');
      signed = await world.notationSign(target, algorithm.profile, 'openssl', {
        ...(algorithm.padding ? { SIGPROOF_ALGORITHM_PADDING: algorithm.padding } : {}),
        SIGPROOF_ALGORITHM_DIGEST: algorithm.digest,
      }, { skipPluginCheck: true });
      verify = () => world.notationVerify(target);
      break;
  }
  if (signed.exitCode !== 0) return { signer, algorithm, verdict: 'refused at signing', record: signed };
  const verified = await verify();
  return { signer, algorithm, verdict: verified.exitCode === 0 ? 'verified' : 'refused at verification', record: verified };
}
