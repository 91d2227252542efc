/**
 * Pods: a new pod starts Pending with its QoS class; a pod bound to a node is deleted gracefully
 * (it keeps running until its kubelet has stopped it and deletes it with grace 0), an unbound or
 * finished one at once.
 */
import { initialPodStatus, type Pod } from '../../api/kinds/core/pod';
import type { Strategy } from '../registry/strategy';

export const podStrategy: Strategy<Pod> = {
  returnDeletedObject: true,
  prepareForCreate(pod) {
    pod.status = initialPodStatus(pod);
  },
  gracePeriodSeconds(pod, options) {
    const phase = pod.status?.phase;
    if (!pod.spec?.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    const grace = options.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    // A negative grace period means "as soon as possible" but still through the kubelet.
    return grace < 0 ? 1 : grace;
  },
};
