import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, type TestContext, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { buildImage, getImageSpec, type ImageSpec, parseImages } from '../support/images.ts';
import { MissingToolError, tool } from '../toolchain/tool-paths.ts';

// Real builds: GNU tar (Debian's tar) packs the layer, busybox-static is the binary inside.
const base = mkdtempSync(join(tmpdir(), 'sigproof-images-'));
after(() => rmSync(base, { recursive: true, force: true }));

/** The busybox spec, or undefined (and the test skipped, saying why) when tar or the binary is missing. */
function busybox(t: TestContext): ImageSpec | undefined {
  try {
    tool('tar');
  } catch (err) {
    if (!(err instanceof MissingToolError)) throw err;
    t.skip(err.message);
    return undefined;
  }
  const spec = getImageSpec('busybox');
  if (existsSync(spec.binary)) return spec;
  t.skip(`${spec.binary} is missing (Debian package busybox-static): apt-get install -y busybox-static`);
  return undefined;
}

const build = (spec: ImageSpec, variant: string) => buildImage(spec, variant, mkdtempSync(join(base, `${variant}-`)));

test('the same spec and variant build to the same digest, wherever and whenever they are built', async (t) => {
  const spec = busybox(t);
  if (!spec) return;
  const [a, b] = [await build(spec, 'signed'), await build(spec, 'signed')];
  assert.notEqual(a.layoutDir, b.layoutDir);
  assert.match(a.manifestDigest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(a.manifestDigest, b.manifestDigest);
});

test('different variants of one image build to different digests', async (t) => {
  const spec = busybox(t);
  if (!spec) return;
  const [signed, unsigned] = [await build(spec, 'signed'), await build(spec, 'unsigned')];
  assert.notEqual(signed.manifestDigest, unsigned.manifestDigest);
});

test('the layout holds the image under its tag, and its manifest blob under its digest', async (t) => {
  const spec = busybox(t);
  if (!spec) return;
  const image = await build(spec, 'v1');
  assert.equal(image.tag, 'v1');
  const index = JSON.parse(readFileSync(join(image.layoutDir, 'index.json'), 'utf8')) as { manifests: { digest: string; annotations: Record<string, string> }[] };
  assert.deepEqual(
    index.manifests.map((m) => [m.digest, m.annotations['org.opencontainers.image.ref.name']]),
    [[image.manifestDigest, 'v1']],
  );
  const manifest = JSON.parse(readFileSync(join(image.layoutDir, 'blobs', 'sha256', image.manifestDigest.slice(7)), 'utf8')) as { layers: unknown[] };
  assert.equal(manifest.layers.length, 1);
});

test('the pause image holds the installer-built pause binary at /pause, and the catalogue refuses a relative path', async (t) => {
  let pause: string;
  try {
    pause = tool('pause');
    tool('tar');
  } catch (err) {
    if (!(err instanceof MissingToolError)) throw err;
    t.skip(err.message);
    return;
  }
  const spec = getImageSpec('pause');
  assert.deepEqual([spec.binary, spec.path, spec.cmd], ['tool:pause', '/pause', ['/pause']]);
  const image = await build(spec, 'v1');
  const manifest = JSON.parse(readFileSync(join(image.layoutDir, 'blobs', 'sha256', image.manifestDigest.slice(7)), 'utf8')) as { layers: { digest: string }[] };
  const layer = gunzipSync(readFileSync(join(image.layoutDir, 'blobs', 'sha256', (manifest.layers[0] as { digest: string }).digest.slice(7))));
  // A tar header starts with the entry's name: /pause is at the top level, and its bytes are the binary's.
  assert.ok(layer.includes(Buffer.from('pause\0')), 'the layer has a top-level pause entry');
  assert.ok(layer.includes(readFileSync(pause).subarray(0, 4096)), 'the layer carries the pause binary');
  assert.throws(() => parseImages('x:\n  binary: /bin/true\n  path: pause\n'), /image "x": path must be absolute/);
});
