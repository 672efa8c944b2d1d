import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCosignVersion } from '../support/drivers/cosign.ts';

test('cosign versions are v2 and v3; another lists them and their binaries', () => {
  assert.equal(parseCosignVersion('v2'), 'v2');
  assert.equal(parseCosignVersion('v3'), 'v3');
  assert.throws(() => parseCosignVersion('v1'), /unknown cosign version "v1". Known: v2, v3 \(binaries cosign2 and cosign3 in \.tools\/bin\)/);
});
