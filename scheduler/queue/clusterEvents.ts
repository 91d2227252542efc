/**
 * Which cluster events a change is (framework/events.go's node and pod update classification),
 * and whether a pod rejected by some plugins should be retried after one.
 *
 * A node update yields 'NodeUpdate' plus the specific kinds of change it contains; an update that
 * changes nothing the scheduler looks at (a heartbeat) yields no event at all. A plugin that
 * registered 'NodeUpdate' is interested in every node update; one that registered only
 * 'NodeTaintChange' only in those. Likewise 'PodUpdate' and 'PodLabelChange'.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';
import { deepEqual } from '../../api/util/deepEqual';
import type { ClusterEvent } from '../framework/interfaces';

function conditionsKey(node: Node): string {
  return JSON.stringify((node.status?.conditions ?? []).map((c) => [c.type, c.status]).sort());
}

/** The events of a node update; [] when nothing relevant to scheduling changed. */
export function nodeUpdateEvents(oldNode: Node, newNode: Node): ClusterEvent[] {
  const events: ClusterEvent[] = [];
  if (!deepEqual(oldNode.metadata?.labels ?? {}, newNode.metadata?.labels ?? {})) events.push('NodeLabelChange');
  if (!deepEqual(oldNode.spec?.taints ?? [], newNode.spec?.taints ?? []) || !!oldNode.spec?.unschedulable !== !!newNode.spec?.unschedulable) {
    events.push('NodeTaintChange');
  }
  if (!deepEqual(oldNode.status?.allocatable ?? {}, newNode.status?.allocatable ?? {})) events.push('NodeAllocatableChange');
  const other =
    conditionsKey(oldNode) !== conditionsKey(newNode) ||
    !deepEqual(oldNode.metadata?.annotations ?? {}, newNode.metadata?.annotations ?? {}) ||
    !deepEqual(oldNode.status?.images ?? [], newNode.status?.images ?? []);
  if (events.length > 0 || other) events.push('NodeUpdate');
  return events;
}

/** The events of an update of an assigned pod. */
export function podUpdateEvents(oldPod: Pod, newPod: Pod): ClusterEvent[] {
  const events: ClusterEvent[] = ['PodUpdate'];
  if (!deepEqual(oldPod.metadata?.labels ?? {}, newPod.metadata?.labels ?? {})) events.push('PodLabelChange');
  return events;
}

/**
 * Whether an event is worth retrying a pod that `rejectors` rejected: a pod without known
 * rejectors (an error, or no nodes at all) is retried on any event; otherwise when some rejector
 * registered one of the events. `interest(plugin)` gives the plugin's registered events
 * (undefined: the plugin registered none, which counts as every event, as in Kubernetes).
 */
export function worthRetrying(
  rejectors: ReadonlySet<string>,
  events: readonly ClusterEvent[],
  interest: (plugin: string) => ReadonlySet<ClusterEvent> | undefined,
): boolean {
  if (rejectors.size === 0) return true;
  for (const plugin of rejectors) {
    const registered = interest(plugin);
    if (!registered) return true;
    for (const e of events) if (registered.has(e)) return true;
  }
  return false;
}

/**
 * Whether an update of a pod waiting in the queue may change the outcome of scheduling it
 * (isPodUpdated): anything but status, resourceVersion, generation, managedFields and finalizers.
 */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod) => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, finalizers: _f, ...meta } = p.metadata ?? {};
    return { ...p, metadata: meta, status: undefined };
  };
  return !deepEqual(strip(oldPod), strip(newPod));
}
