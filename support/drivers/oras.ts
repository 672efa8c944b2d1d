// Driver for oras: copies between registries and OCI image layouts, with or
// without the referrers graph (where signatures live), and referrer discovery.
// oras only talks plain HTTP to "localhost" on its own, so loopback registries
// are named with the plain-http flags; a registry with TLS and credentials gets
// the run's CA and the file `oras login` wrote instead (registry-access.ts).
import { runChecked, runCommand, type CommandResult } from '../lib/runner.ts';
import { orasConfigFile, orasRemoteFlags, secureAccess } from './registry-access.ts';
import { tool } from '../../toolchain/tool-paths.ts';

/** Where an artifact is: a repository in a registry, or a tag in an OCI layout directory. */
type Location = { kind: 'registry'; reference: string } | { kind: 'layout'; dir: string; tag: string };

function side(loc: Location, which: 'from' | 'to'): { flags: string[]; ref: string } {
  if (loc.kind === 'registry') return { flags: orasRemoteFlags(loc.reference, `${which}-`), ref: loc.reference };
  return { flags: [`--${which}-oci-layout`], ref: `${loc.dir}:${loc.tag}` };
}

export async function orasCopy(from: Location, to: Location, opts: { recursive: boolean }): Promise<CommandResult> {
  const a = side(from, 'from');
  const b = side(to, 'to');
  const args = ['cp', ...(opts.recursive ? ['--recursive'] : []), ...a.flags, ...b.flags, a.ref, b.ref];
  return runChecked(tool('oras'), args, { what: `copy ${a.ref} to ${b.ref}${opts.recursive ? ' with its referrers' : ''}` });
}

interface Referrer {
  artifactType: string;
  digest: string;
  mediaType: string;
}

/** The referrers of a manifest, as oras sees them (referrers API, or the tag fallback). */
export async function orasDiscover(reference: string): Promise<Referrer[]> {
  const res = await runChecked(tool('oras'), ['discover', ...orasRemoteFlags(reference), '--format', 'json', reference], { what: `list the referrers of ${reference}` });
  const doc = JSON.parse(res.stdout) as { referrers?: Referrer[]; manifests?: Referrer[] };
  return doc.referrers ?? doc.manifests ?? [];
}

interface Manifest {
  config?: { digest: string };
  layers?: { digest: string; mediaType: string }[];
}

export async function orasManifestFetch(reference: string): Promise<Manifest> {
  const res = await runChecked(tool('oras'), ['manifest', 'fetch', ...orasRemoteFlags(reference), reference], { what: `fetch the manifest ${reference}` });
  return JSON.parse(res.stdout) as Manifest;
}

export async function orasBlobFetch(reference: string, out: string): Promise<void> {
  await runChecked(tool('oras'), ['blob', 'fetch', ...orasRemoteFlags(reference), '--output', out, reference], { what: `fetch the blob ${reference}` });
}

/** Attach a file as a referrer of `subject`, the way any registry client can: no signing tool involved. */
export async function orasAttach(subject: string, opts: { dir: string; file: string; mediaType: string; artifactType: string; annotations: Record<string, string> }): Promise<CommandResult> {
  const args = ['attach', ...orasRemoteFlags(subject), '--artifact-type', opts.artifactType];
  for (const [k, v] of Object.entries(opts.annotations)) args.push('--annotation', `${k}=${v}`);
  args.push(subject, `${opts.file}:${opts.mediaType}`);
  return runChecked(tool('oras'), args, { cwd: opts.dir, what: `attach ${opts.file} to ${subject} as ${opts.artifactType}` });
}

/** `oras login` as a user runs it: the password on stdin, into the scenario's oras login file. */
export function orasLogin(host: string, username: string, password: string): Promise<CommandResult> {
  const access = secureAccess(host);
  if (!access) throw new Error(`${host} is not a registry with TLS and credentials: there is nothing to log in to`);
  return runCommand(tool('oras'), ['login', '--ca-file', access.caFile, '--registry-config', orasConfigFile(access), '--username', username, '--password-stdin', host], { input: password, secrets: [password] });
}
