// sigproof's containerd image verifier, for the io.containerd.image-verifier.v1.bindir
// plugin. containerd runs it for every pull through the transfer service as
//   <bin> -name <ref> -digest <digest> -stdin-media-type application/vnd.oci.descriptor.v1+json
// with the image's descriptor JSON on stdin. Exit 0 allows the pull, any other
// code blocks it, and what this prints on stdout is containerd's reason.
//
// It passes no signatures: the verifier fetches them itself, here by running the
// real cosign or notation against the registry. The policy file (rendered from
// policies/containerd/) is given with --policy, by the wrapper containerd runs.
// Any problem (bad policy, bad input) blocks the pull: fail closed.
import { readFileSync } from 'node:fs';
import { runCommand } from '../support/lib/runner.ts';
import { parseVerifierPolicy, repositoryOf, ruleFor, type VerifierRule } from '../support/policy/verifier-policy.ts';

const TOOL_TIMEOUT_MS = 50_000;

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
}

/** The last meaningful line a tool printed: its reason, without usage noise. */
function reasonOf(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('WARNING'));
  return lines.find((l) => /^Error:/.test(l)) ?? lines.at(-1) ?? '(no output)';
}

async function verify(rule: Extract<VerifierRule, { action: 'verify' }>, reference: string): Promise<{ ok: boolean; detail: string }> {
  if (rule.with === 'cosign') {
    const res = await runCommand(rule.cosign, ['verify', '--trusted-root', rule.trustedRoot, '--certificate-identity', rule.identity, '--certificate-oidc-issuer-regexp', '.*', '--insecure-ignore-sct', '--insecure-ignore-tlog', reference], { timeoutMs: TOOL_TIMEOUT_MS });
    return res.exitCode === 0 ? { ok: true, detail: `cosign verified ${reference} for ${rule.identity}` } : { ok: false, detail: `cosign found no valid signature for ${reference}: ${reasonOf(res.stderr || res.stdout)}` };
  }
  const res = await runCommand(rule.notation, ['verify', '--insecure-registry', reference], {
    env: { ...process.env, NOTATION_CONFIG: rule.notationConfig },
    timeoutMs: TOOL_TIMEOUT_MS,
  });
  return res.exitCode === 0 ? { ok: true, detail: `notation verified ${reference}` } : { ok: false, detail: `notation found no valid signature for ${reference}: ${reasonOf(res.stderr || res.stdout)}` };
}

async function main(argv: string[]): Promise<number> {
  const policyFile = flag(argv, '--policy');
  const name = flag(argv, '-name');
  const digest = flag(argv, '-digest');
  if (!policyFile || !name || !digest) {
    console.log(`sigproof verifier: called without ${!policyFile ? '--policy' : !name ? '-name' : '-digest'}; blocking`);
    return 2;
  }
  let descriptor: { digest?: string };
  try {
    descriptor = JSON.parse(readFileSync(0, 'utf8')) as { digest?: string };
  } catch (err) {
    console.log(`sigproof verifier: the descriptor on stdin is not JSON (${(err as Error).message}); blocking`);
    return 2;
  }
  if (descriptor.digest !== digest) {
    console.log(`sigproof verifier: -digest ${digest} and the descriptor's ${String(descriptor.digest)} differ; blocking`);
    return 2;
  }
  let policy: ReturnType<typeof parseVerifierPolicy>;
  try {
    policy = parseVerifierPolicy(policyFile, readFileSync(policyFile, 'utf8'));
  } catch (err) {
    console.log(`sigproof verifier: ${(err as Error).message}; blocking`);
    return 2;
  }
  const { rule, scope } = ruleFor(policy, name);
  const which = scope ? `the rule for ${scope}` : 'the default rule (no rule names this registry)';
  if (rule.action === 'allow') {
    console.log(`allowed without verification by ${which}`);
    return 0;
  }
  if (rule.action === 'block') {
    console.log(`blocked by ${which}`);
    return 1;
  }
  const result = await verify(rule, `${repositoryOf(name)}@${digest}`);
  console.log(`${result.ok ? 'verified' : 'rejected'} by ${which}: ${result.detail}`);
  return result.ok ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
