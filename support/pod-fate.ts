// What became of a pod on a node, read from its status and its events: it
// runs, its image pull was refused (the runtime's words are in the waiting
// message and the kubelet's "Failed" events), its sandbox could not be made,
// or its container could not be created. Undefined while it is still on its way.
import type { CoreV1Event, V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

export interface PodFate {
  state: 'running' | 'pull refused' | 'sandbox failed' | 'create failed';
  message: string;
}

const PULL_REFUSED = ['ErrImagePull', 'ImagePullBackOff'];
const CREATE_FAILED = ['CreateContainerError', 'CreateContainerConfigError', 'RunContainerError'];
/** The kubelet retries a sandbox; one failure can be a passing one (a fresh bridge), two are not. */
const SANDBOX_FAILURES_TO_SETTLE = 2;

function warnings(events: CoreV1Event[], reason: string): string[] {
  return [...new Set(events.filter((e) => e.type === 'Warning' && e.reason === reason).map((e) => e.message ?? ''))];
}

export function podFate(pod: V1Pod, events: CoreV1Event[]): PodFate | undefined {
  const statuses: V1ContainerStatus[] = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const main = pod.status?.containerStatuses ?? [];
  if (pod.status?.phase === 'Running' && main.length > 0 && main.every((c) => c.state?.running)) {
    return { state: 'running', message: `Running on ${pod.spec?.nodeName}: ${main.map((c) => `${c.name} started from ${c.imageID}`).join('; ')}` };
  }
  for (const c of statuses) {
    const waiting = c.state?.waiting;
    if (!waiting?.reason) continue;
    if (PULL_REFUSED.includes(waiting.reason)) {
      const failed = warnings(events, 'Failed');
      return { state: 'pull refused', message: [`${c.name}: ${waiting.reason}: ${waiting.message ?? ''}`, ...failed].join('\n') };
    }
    if (CREATE_FAILED.includes(waiting.reason)) return { state: 'create failed', message: `${c.name}: ${waiting.reason}: ${waiting.message ?? ''}` };
  }
  // containerd creates the task (runc create, its hooks) only at StartContainer: a failure there leaves a
  // container that ended with StartError, and the kubelet may already show the restart back-off instead.
  for (const c of statuses) {
    const ended = [c.state?.terminated, c.lastState?.terminated].find((t) => t?.reason === 'StartError');
    if (ended) return { state: 'create failed', message: `${c.name}: StartError: ${ended.message ?? ''}` };
  }
  const sandbox = events.filter((e) => e.type === 'Warning' && e.reason === 'FailedCreatePodSandBox');
  const count = sandbox.reduce((n, e) => n + (e.count ?? 1), 0);
  if (count >= SANDBOX_FAILURES_TO_SETTLE) return { state: 'sandbox failed', message: warnings(events, 'FailedCreatePodSandBox').join('\n') };
  return undefined;
}
