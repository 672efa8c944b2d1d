import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseClaimSigner } from '../support/claims.ts';

test('an unknown signer for the claims lists the known ones', () => {
  assert.equal(parseClaimSigner('notation'), 'notation');
  assert.throws(() => parseClaimSigner('gpg'), /unknown signer "gpg" for the claims. Known: cosign v2 attach, cosign v3 sign, notation/);
});
