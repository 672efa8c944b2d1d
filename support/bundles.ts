// Tampering with cosign v3 bundles the way an attacker with registry write
// access could: copy a bundle made for one image onto another, or change its
// signature bytes. Only a registry client (oras) is involved, no signing tool.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { orasAttach, orasBlobFetch, orasDiscover, orasManifestFetch } from './drivers/oras.ts';
import type { Provenance } from './provenance.ts';
import type { Registries } from './registries.ts';
import type { Scenario } from './scenario.ts';

export const BUNDLE_ARTIFACT_TYPE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

/** The bundle JSON that cosign v3 stored for an image (the first one, if several). */
export async function fetchBundle(scenario: Scenario, registries: Registries, source: string): Promise<Record<string, unknown>> {
  const ref = await registries.digestRef(source);
  const bundles = (await orasDiscover(ref)).filter((r) => r.artifactType === BUNDLE_ARTIFACT_TYPE);
  if (bundles.length === 0) throw new Error(`${source} has no cosign bundle to copy`);
  const repository = registries.ref(source).repository;
  const manifest = await orasManifestFetch(`${repository}@${bundles[0]?.digest}`);
  const layer = manifest.layers?.find((l) => l.mediaType === BUNDLE_ARTIFACT_TYPE);
  if (!layer) throw new Error(`the bundle manifest of ${source} has no ${BUNDLE_ARTIFACT_TYPE} layer`);
  const dir = scenario.path('bundles');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${layer.digest.slice(7, 19)}.json`);
  await orasBlobFetch(`${repository}@${layer.digest}`, file);
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
}

/** Flip one bit of the DSSE signature: the bundle still parses, the signature no longer matches. */
export function tamperBundleSignature(bundle: Record<string, unknown>): Record<string, unknown> {
  const copy = structuredClone(bundle) as { dsseEnvelope?: { signatures?: { sig: string }[] } };
  const sig = copy.dsseEnvelope?.signatures?.[0];
  if (!sig) throw new Error('the bundle has no DSSE signature to tamper with');
  const bytes = Buffer.from(sig.sig, 'base64');
  bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] as number) ^ 0x01;
  sig.sig = bytes.toString('base64');
  return copy as Record<string, unknown>;
}

/** Attach a bundle to another image, as an attacker with write access could; the image now carries it. */
export async function attachBundle(scenario: Scenario, registries: Registries, provenance: Provenance, bundle: Record<string, unknown>, target: string, tampered: boolean): Promise<void> {
  const dir = scenario.path('bundles');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'attached.json'), JSON.stringify(bundle));
  await orasAttach(await registries.digestRef(target), {
    dir,
    file: 'attached.json',
    mediaType: BUNDLE_ARTIFACT_TYPE,
    artifactType: BUNDLE_ARTIFACT_TYPE,
    annotations: { 'dev.sigstore.bundle.content': 'dsse-envelope', 'dev.sigstore.bundle.predicateType': 'https://sigstore.dev/cosign/sign/v1' },
  });
  const variants = ['bundle copied from another repository', ...(tampered ? ['tampered'] : [])];
  provenance.signed(target, { tool: 'cosign v3', variants, valid: !tampered });
}
