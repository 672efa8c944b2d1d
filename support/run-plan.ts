// The run's plan, made in the coordinator before any scenario starts (a
// cucumber-js plugin, see cucumber.mjs): scenarios that need the shared cluster
// (control plane and Kyverno) go after those that do not, so that the cluster
// boots in the background (hooks.ts) while the others run, and the boot starts
// at all only when some scenario of the run needs it.
import type { Plugin } from '@cucumber/cucumber/api';
import { needsSharedCluster, sharedClusterLast } from './lib/run-order.ts';

let clusterNeeded = false;

/** Whether a scenario of this run needs the shared cluster (false before the plan is made, and in worker threads). */
export function runNeedsSharedCluster(): boolean {
  return clusterNeeded;
}

const plan: Plugin = {
  type: 'plugin',
  coordinator({ transform }) {
    transform('pickles:order', (pickles) => {
      clusterNeeded = pickles.some((p) => needsSharedCluster(p.pickle.tags.map((t) => t.name)));
      return sharedClusterLast(pickles, (p) => p.pickle.tags.map((t) => t.name));
    });
  },
};
export default plan;
