/** Identities of pods inside the scheduler. */
import type { Pod } from '../../api/kinds/core/pod';

/** The cache's key of a pod: its uid (namespace/name when it has none, as in unit tests). */
export function podUid(pod: Pod): string {
  return pod.metadata?.uid || podName(pod);
}

/** namespace/name, the queue's key of a pod. */
export function podName(pod: Pod): string {
  return `${pod.metadata?.namespace ?? 'default'}/${pod.metadata?.name ?? ''}`;
}

/** The pod's priority as the scheduler resolved it (see priority/), 0 when unset. */
export function podPriority(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}
