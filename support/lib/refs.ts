// Image references as features write them: "<registry name>/<repository>[:tag|@digest]",
// e.g. "ci/app:signed" or "prod/team/app@sha256:…". The registry part is a scenario
// name ("ci"), not a host: the World maps it to the real loopback address.

export interface ParsedRef {
  registryName: string;
  repo: string;
  tag?: string;
  digest?: string;
}

const NAME = /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function parseRef(text: string): ParsedRef {
  const usage = `expected "<registry>/<repository>[:tag|@digest]", like "ci/app:signed"`;
  const slash = text.indexOf('/');
  if (slash <= 0) throw new Error(`bad image reference "${text}": ${usage}`);
  const registryName = text.slice(0, slash);
  let rest = text.slice(slash + 1);
  let digest: string | undefined;
  let tag: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) throw new Error(`bad digest in "${text}": expected sha256:<64 hex>`);
  }
  const colon = rest.lastIndexOf(':');
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new Error(`bad tag "${tag}" in "${text}"`);
  }
  if (!NAME.test(registryName)) throw new Error(`bad registry name "${registryName}" in "${text}": ${usage}`);
  if (!rest.split('/').every((part) => NAME.test(part))) throw new Error(`bad repository "${rest}" in "${text}": ${usage}`);
  if (!tag && !digest) throw new Error(`"${text}" names no tag or digest: ${usage}`);
  return { registryName, repo: rest, tag, digest };
}
