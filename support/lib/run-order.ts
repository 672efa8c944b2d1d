// The order scenarios run in: those that need the shared cluster last, so the
// cluster boots while the others run. The order within each group is kept.

/** The tags of scenarios that use the shared cluster: admission (Kyverno) and nodes (a kubelet registers with it). */
const SHARED_CLUSTER_TAGS = ['@kyverno', '@node'];

export function needsSharedCluster(tags: readonly string[]): boolean {
  return tags.some((t) => SHARED_CLUSTER_TAGS.includes(t));
}

/** A stable partition: what runs without the cluster first. */
export function sharedClusterLast<T>(items: readonly T[], tagsOf: (item: T) => readonly string[]): T[] {
  const without = items.filter((i) => !needsSharedCluster(tagsOf(i)));
  const withCluster = items.filter((i) => needsSharedCluster(tagsOf(i)));
  return [...without, ...withCluster];
}
