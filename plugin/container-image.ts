// Which image a container was created from, read from the annotations the
// runtime put in its OCI config, and what the hook must verify of it.
// containerd names the image the kubelet asked for, without a digest: the digest
// is the target of that name in its image store (`ctr images ls`, which knows
// imported images too; CRI ImageStatus lists repo digests only for pulled
// ones). CRI-O does not name the image
// the kubelet asked for (io.kubernetes.cri-o.Image holds the image ID, ImageName
// only *some* name of it) but lists every repository digest the image has on
// the node: each of those is verified, so content known under several names
// runs only if every name's rule lets it. Pure, so the reading of both runtimes
// is unit-tested; anything missing is an error (fail closed).

export interface ContainerImage {
  runtime: 'CRI-O' | 'containerd';
  /** The pod's own container, or the sandbox (pause) container. */
  type: string;
  /** containerd: the image as the kubelet asked for it (host:port/repo:tag or …@sha256:…); CRI-O: some name of it. */
  name: string;
  /** Digests the runtime knows for the image (CRI-O's annotation); containerd gives none. */
  repoDigests: string[];
}

const CRIO = { image: 'io.kubernetes.cri-o.Image', someName: 'io.kubernetes.cri-o.ImageName', repoDigests: 'io.kubernetes.cri-o.ImageRepoDigests', type: 'io.kubernetes.cri-o.ContainerType' };
const CONTAINERD = { image: 'io.kubernetes.cri.image-name', sandboxImage: 'io.kubernetes.cri.podsandbox.image-name', type: 'io.kubernetes.cri.container-type' };

export function containerImageOf(annotations: Record<string, string>): ContainerImage {
  const crio = annotations[CRIO.someName] || annotations[CRIO.image];
  if (crio) {
    const repoDigests = (annotations[CRIO.repoDigests] ?? '').split(',').filter(Boolean);
    return { runtime: 'CRI-O', type: annotations[CRIO.type] ?? 'container', name: crio, repoDigests };
  }
  const containerd = annotations[CONTAINERD.image] || annotations[CONTAINERD.sandboxImage];
  if (containerd) return { runtime: 'containerd', type: annotations[CONTAINERD.type] ?? 'container', name: containerd, repoDigests: [] };
  throw new Error(`no image annotation (${CRIO.image} or ${CONTAINERD.image}) in the container's config`);
}

/** The digest a name points at in `ctr images ls` output (REF TYPE DIGEST SIZE PLATFORMS LABELS). */
export function targetDigestOf(listing: string, name: string): string {
  for (const line of listing.split('\n').slice(1)) {
    const [ref, , digest] = line.trim().split(/\s+/);
    if (ref === name && digest?.startsWith('sha256:')) return digest;
  }
  throw new Error(`containerd's image store has no image named ${name}`);
}

/** What to verify: every repo@digest CRI-O knows the image by, or containerd's named image at its digest (pinned, or its target in the store). */
export function targetsToVerify(image: ContainerImage, storeDigest?: string): { name: string; digest: string }[] {
  if (image.runtime === 'CRI-O') {
    if (!image.repoDigests.length) throw new Error(`CRI-O lists no repo digest for ${image.name}`);
    return image.repoDigests.map((d) => {
      const [name, digest] = d.split('@') as [string, string | undefined];
      if (!digest) throw new Error(`not a repo digest: ${d}`);
      return { name, digest };
    });
  }
  const digest = /@(sha256:[0-9a-f]{64})$/.exec(image.name)?.[1] ?? storeDigest;
  if (!digest) throw new Error(`no digest for ${image.name}: its name pins none and the store was not asked`);
  return [{ name: image.name, digest }];
}
