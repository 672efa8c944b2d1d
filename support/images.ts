// Offline test images: a real OCI image (a layer with one static binary, a
// config, a manifest) written as an OCI layout, then pushed with oras. The
// binary is a file of the machine (busybox-static) or a pinned tool (pause).
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'yaml';
import { tool } from '../toolchain/tool-paths.ts';
import { SCENARIOS_DIR } from './lib/paths.ts';
import { reproducibleTar } from './drivers/tar.ts';
import { RUN_DIR } from './lib/cleanup.ts';
import { sharedByWorkers } from './lib/shared-by-workers.ts';

const IMAGES_FILE = join(SCENARIOS_DIR, 'images.yaml');

export interface ImageSpec {
  name: string;
  description: string;
  /** A file of the machine, or "tool:<name>" for a binary the installer built. */
  binary: string;
  /** Where the binary goes in the image (absolute); links are made next to it. */
  path: string;
  links: string[];
  cmd: string[];
}

export interface BuiltImage {
  /** An OCI image layout directory holding exactly this image under `tag`. */
  layoutDir: string;
  tag: string;
  manifestDigest: string;
}

export function parseImages(source: string, file = IMAGES_FILE): Map<string, ImageSpec> {
  const doc = parse(source) as Record<string, Record<string, unknown>> | null;
  if (!doc || typeof doc !== 'object') throw new Error(`${file}: expected a mapping of image names to images`);
  const images = new Map<string, ImageSpec>();
  for (const [name, r] of Object.entries(doc)) {
    if (typeof r?.binary !== 'string') throw new Error(`${file}: image "${name}": binary must be a path`);
    const links = Array.isArray(r.links) ? r.links.map(String) : [];
    const cmd = Array.isArray(r.cmd) ? r.cmd.map(String) : ['/bin/sh'];
    const path = typeof r.path === 'string' ? r.path : '/bin/busybox';
    if (!posix.isAbsolute(path) || path.split('/').includes('..')) throw new Error(`${file}: image "${name}": path must be absolute, like /bin/busybox`);
    images.set(name, { name, description: String(r.description ?? name), binary: r.binary, path, links, cmd });
  }
  return images;
}

export function getImageSpec(name: string): ImageSpec {
  const images = parseImages(readFileSync(IMAGES_FILE, 'utf8'));
  const spec = images.get(name);
  if (!spec) throw new Error(`unknown test image "${name}". Known images (${IMAGES_FILE}): ${[...images.keys()].join(', ')}`);
  return spec;
}

function binaryOf(spec: ImageSpec): string {
  return spec.binary.startsWith('tool:') ? tool(spec.binary.slice('tool:'.length)) : spec.binary;
}

function sha256(data: Buffer | string): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function writeBlob(layoutDir: string, data: Buffer | string): { digest: string; size: number } {
  const digest = sha256(data);
  const dir = join(layoutDir, 'blobs', 'sha256');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, digest.slice(7)), data);
  return { digest, size: Buffer.byteLength(data) };
}

/**
 * Build the image for one variant. The variant (the tag it is pushed as) goes
 * into /etc/sigproof-build, so variants differ in content and digest.
 */
export async function buildImage(spec: ImageSpec, variant: string, workDir: string): Promise<BuiltImage> {
  const rootfs = join(workDir, 'rootfs');
  const target = join(rootfs, spec.path);
  mkdirSync(dirname(target), { recursive: true });
  mkdirSync(join(rootfs, 'etc'), { recursive: true });
  copyFileSync(binaryOf(spec), target);
  for (const link of spec.links) symlinkSync(posix.basename(spec.path), join(dirname(target), link));
  writeFileSync(join(rootfs, 'etc', 'sigproof-build'), `${spec.name} ${variant}\n`);
  const topLevel = [...new Set([spec.path.split('/')[1] as string, 'etc'])].sort();
  const layerTar = await reproducibleTar(rootfs, topLevel);
  const layerGz = gzipSync(layerTar, { level: 6 });
  const layoutDir = join(workDir, 'layout');
  const layer = writeBlob(layoutDir, layerGz);
  const config = writeBlob(
    layoutDir,
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Cmd: spec.cmd, Env: ['PATH=/bin'], Labels: { 'dev.sigproof.build': `${spec.name}:${variant}` } },
      rootfs: { type: 'layers', diff_ids: [sha256(layerTar)] },
      history: [{ created_by: `sigproof test image ${spec.name} (${variant})` }],
    }),
  );
  const manifestJson = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...layer }],
  });
  const manifest = writeBlob(layoutDir, manifestJson);
  writeFileSync(join(layoutDir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(
    join(layoutDir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', ...manifest, annotations: { 'org.opencontainers.image.ref.name': variant } }],
    }),
  );
  return { layoutDir, tag: variant, manifestDigest: manifest.digest };
}

const builtInThisThread = new Map<string, Promise<BuiltImage>>();

/**
 * The test image for a variant, built once per run and shared read-only by
 * every thread and scenario: the same name and variant is the same image, byte
 * for byte. Each scenario still pushes it to its own registries.
 */
export function testImage(image: string, variant: string): Promise<BuiltImage> {
  const spec = getImageSpec(image);
  const name = `image-${image}-${variant}`;
  let built = builtInThisThread.get(name);
  if (!built) {
    built = sharedByWorkers(name, () => buildImage(spec, variant, join(RUN_DIR, 'images', `${image}-${variant}`)), { timeoutMs: 60_000, what: `the test image ${image}:${variant}` });
    builtInThisThread.set(name, built);
  }
  return built;
}
