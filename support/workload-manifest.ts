// A user's own Pod or Deployment manifest, with {{image}} where the image
// reference goes: rendered like a policy template, then placed in the
// scenario's namespace and, on a node, on the scenario's node. Everything else
// (init containers, annotations, pull policies, commands) stays as written.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { KubernetesObject, V1PodSpec } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import type { Placement } from './drivers/kube-client.ts';
import { REPO_ROOT } from './lib/paths.ts';
import { renderTemplate } from './policy/render.ts';

const KINDS = ['Pod', 'Deployment'] as const;
type ManifestKind = (typeof KINDS)[number];

interface ManifestWorkload {
  kind: ManifestKind;
  name: string;
  object: KubernetesObject;
}

type WithPodSpec = KubernetesObject & { spec?: V1PodSpec & { template?: { spec?: V1PodSpec } } };

function place(spec: V1PodSpec | undefined, placement: Placement | undefined): void {
  if (!spec || !placement) return;
  spec.nodeSelector = { ...spec.nodeSelector, ...placement.nodeSelector };
  spec.tolerations = [...(spec.tolerations ?? []), ...placement.tolerations];
}

/** Parse and place a manifest's text; `file` names it in every error. */
export function manifestWorkloads(file: string, text: string, namespace: string, placement?: Placement): ManifestWorkload[] {
  const docs = parseAllDocuments(text);
  const out: ManifestWorkload[] = [];
  for (const doc of docs) {
    if (doc.errors.length) throw new Error(`${file}: not valid YAML: ${doc.errors[0]?.message.split('\n')[0]}`);
    const object = doc.toJS() as WithPodSpec | null;
    if (!object) continue;
    const kind = KINDS.find((k) => k === object.kind);
    if (!kind) throw new Error(`${file}: kind ${JSON.stringify(object.kind)} is not a workload sigproof places; valid: ${KINDS.join(', ')}`);
    const name = object.metadata?.name;
    if (!name) throw new Error(`${file}: a ${kind} without metadata.name`);
    object.metadata = { ...object.metadata, namespace };
    place(kind === 'Pod' ? object.spec : object.spec?.template?.spec, placement);
    out.push({ kind, name, object });
  }
  if (!out.length) throw new Error(`${file}: no Pod or Deployment in it`);
  return out;
}

/** Read the user's manifest (relative to the repository) and put the image reference in place of {{image}}. */
export function renderManifest(path: string, image: string): { file: string; text: string } {
  const file = isAbsolute(path) ? path : resolve(REPO_ROOT, path);
  if (!existsSync(file)) throw new Error(`${path}: no such manifest file`);
  return { file, text: renderTemplate(file, readFileSync(file, 'utf8'), { image }) };
}
