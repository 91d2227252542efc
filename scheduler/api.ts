/**
 * The scheduler's writes to the API server: bindings, preemption victims' deletion, and the
 * PodScheduled condition / nominatedNodeName of pods it could not place.
 */
import type { Pod } from '../api/kinds/core/pod';
import { isStatusError } from '../api/status';
import type { RestClient } from '../client/restClient';
import type { SchedulerApi } from './framework/interfaces';

function podPath(pod: Pod, sub?: string): string {
  const ns = encodeURIComponent(pod.metadata?.namespace ?? 'default');
  const name = encodeURIComponent(pod.metadata?.name ?? '');
  return `/api/v1/namespaces/${ns}/pods/${name}${sub ? `/${sub}` : ''}`;
}

export interface PodSchedulingStatus {
  /** The PodScheduled condition's reason: Unschedulable, SchedulerError. */
  readonly reason: string;
  readonly message: string;
  /** Set (or, with '', cleared) status.nominatedNodeName; undefined leaves it. */
  readonly nominatedNodeName?: string;
}

export interface SchedulerApiWithStatus extends SchedulerApi {
  /** Writes PodScheduled=False with the reason and message (skipped when the pod already says so). */
  updatePodSchedulingStatus(pod: Pod, status: PodSchedulingStatus): Promise<void>;
}

const strategicMerge = 'application/strategic-merge-patch+json';

export function restSchedulerApi(client: RestClient): SchedulerApiWithStatus {
  return {
    async bind(pod, nodeName) {
      await client.create(podPath(pod, 'binding'), {
        apiVersion: 'v1',
        kind: 'Binding',
        metadata: { name: pod.metadata?.name, namespace: pod.metadata?.namespace, ...(pod.metadata?.uid ? { uid: pod.metadata.uid } : {}) },
        target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
      });
    },
    async deletePod(pod) {
      try {
        await client.delete(podPath(pod), { apiVersion: 'v1', kind: 'DeleteOptions', ...(pod.metadata?.uid ? { preconditions: { uid: pod.metadata.uid } } : {}) });
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    },
    async clearNominatedNodeName(pod) {
      try {
        await client.call('PATCH', podPath(pod, 'status'), { body: { status: { nominatedNodeName: null } }, contentType: strategicMerge });
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    },
    async updatePodSchedulingStatus(pod, status) {
      const current = (pod.status?.conditions ?? []).find((c) => c.type === 'PodScheduled');
      const nominatedUnchanged = status.nominatedNodeName === undefined || status.nominatedNodeName === (pod.status?.nominatedNodeName ?? '');
      if (current && current.status === 'False' && current.reason === status.reason && current.message === status.message && nominatedUnchanged) return;
      const condition = { type: 'PodScheduled', status: 'False', reason: status.reason, message: status.message, lastProbeTime: null, lastTransitionTime: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
      const body: { status: Record<string, unknown> } = { status: { conditions: [condition] } };
      if (!nominatedUnchanged) body.status.nominatedNodeName = status.nominatedNodeName || null;
      try {
        await client.call('PATCH', podPath(pod, 'status'), { body, contentType: strategicMerge });
      } catch (err) {
        if (!isStatusError(err, 404)) throw err;
      }
    },
  };
}
