// What both of sigproof's runtime verifiers do once they know the image: find
// the policy's rule for its registry, and allow, block, or verify it with the
// real cosign or notation against the registry. Used by the containerd
// verifier (at pull) and the OCI hook (at container creation), so both judge
// with the same policy and say the same words.
import { readFileSync } from 'node:fs';
import { runCommand } from '../support/lib/runner.ts';
import { parseVerifierPolicy, repositoryOf, ruleFor, type VerifierRule } from '../support/policy/verifier-policy.ts';

const TOOL_TIMEOUT_MS = 50_000;

/** The line that says why: notation's per-signature reason (only with --verbose), else the error line, else the last one. */
function reasonOf(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('WARNING'));
  const perSignature = lines.find((l) => l.includes('failed verification with error:'));
  return perSignature?.slice(perSignature.indexOf('failed verification with error:')) ?? lines.find((l) => /^Error:/.test(l)) ?? lines.at(-1) ?? '(no output)';
}

async function verify(rule: Extract<VerifierRule, { action: 'verify' }>, reference: string): Promise<{ ok: boolean; detail: string }> {
  // A registry with TLS and credentials: its CA and a docker config, as the rule names them.
  const env = { ...process.env, ...(rule.dockerConfig ? { DOCKER_CONFIG: rule.dockerConfig } : {}) };
  if (rule.with === 'cosign') {
    const ca = rule.registryCaCert ? ['--registry-cacert', rule.registryCaCert] : [];
    const timestamps = rule.useSignedTimestamps ? ['--use-signed-timestamps'] : [];
    const res = await runCommand(rule.cosign, ['verify', ...ca, '--trusted-root', rule.trustedRoot, '--certificate-identity', rule.identity, '--certificate-oidc-issuer-regexp', '.*', '--insecure-ignore-sct', '--insecure-ignore-tlog', ...timestamps, reference], { env, timeoutMs: TOOL_TIMEOUT_MS });
    return res.exitCode === 0 ? { ok: true, detail: `cosign verified ${reference} for ${rule.identity}` } : { ok: false, detail: `cosign found no valid signature for ${reference}: ${reasonOf(res.stderr || res.stdout)}` };
  }
  // notation has no CA flag; plain HTTP only when the registry has no TLS.
  // --verbose: notation says why a signature failed (revoked, expired, no timestamp) only in its verbose log.
  const res = await runCommand(rule.notation, ['verify', '--verbose', ...(rule.registryCaCert ? [] : ['--insecure-registry']), reference], {
    env: { ...env, NOTATION_CONFIG: rule.notationConfig, ...(rule.registryCaCert ? { SSL_CERT_FILE: rule.registryCaCert } : {}) },
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  return res.exitCode === 0 ? { ok: true, detail: `notation verified ${reference}` } : { ok: false, detail: `notation found no valid signature for ${reference}: ${reasonOf(res.stderr || res.stdout)}` };
}

/** Read and check the policy file; a problem is thrown with the file's name, for the caller to block on. */
export function readPolicy(file: string): ReturnType<typeof parseVerifierPolicy> {
  return parseVerifierPolicy(file, readFileSync(file, 'utf8'));
}

/** Judge name@digest under the policy: allowed or not, and the one line that says why. */
export async function judgeImage(policy: ReturnType<typeof parseVerifierPolicy>, name: string, digest: string): Promise<{ allowed: boolean; reason: string }> {
  const { rule, scope } = ruleFor(policy, name);
  const which = scope ? `the rule for ${scope}` : 'the default rule (no rule names this registry)';
  if (rule.action === 'allow') return { allowed: true, reason: `allowed without verification by ${which}` };
  if (rule.action === 'block') return { allowed: false, reason: `blocked by ${which}` };
  const result = await verify(rule, `${repositoryOf(name)}@${digest}`);
  return { allowed: result.ok, reason: `${result.ok ? 'verified' : 'rejected'} by ${which}: ${result.detail}` };
}
