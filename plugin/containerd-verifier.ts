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
import { judgeImage, readPolicy } from './image-verification.ts';

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
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
  let policy: ReturnType<typeof readPolicy>;
  try {
    policy = readPolicy(policyFile);
  } catch (err) {
    console.log(`sigproof verifier: ${(err as Error).message}; blocking`);
    return 2;
  }
  const { allowed, reason } = await judgeImage(policy, name, digest);
  console.log(reason);
  return allowed ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
