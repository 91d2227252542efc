/**
 * Which pods the pod garbage collector deletes, as Kubernetes' pkg/controller/podgc decides.
 * Pure: given the cached pods and nodes.
 */
import type { Node } from '../../api/kinds/core/node';
import type { Pod } from '../../api/kinds/core/pod';

/** The taint that marks a node out of service: its terminating pods are force-deleted. */
export const outOfServiceTaint = 'node.kubernetes.io/out-of-service';

/** Succeeded or Failed (any phase but Pending, Running and Unknown). */
export function isPodTerminated(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Pending' && phase !== 'Running' && phase !== 'Unknown' && phase !== undefined && phase !== '';
}

export function isPodTerminating(pod: Pod): boolean {
  return pod.metadata?.deletionTimestamp !== undefined;
}

export function isPodEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status?.reason === 'Evicted';
}

export function isNodeReady(node: Node): boolean {
  return (node.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** Evicted pods first, then oldest first, then by name. */
export function byEvictionAndCreation(a: Pod, b: Pod): number {
  const ea = isPodEvicted(a);
  const eb = isPodEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  const na = a.metadata?.name ?? '';
  const nb = b.metadata?.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Terminated pods beyond `threshold`, the ones to delete first (threshold <= 0: none). */
export function terminatedPodsToDelete(pods: readonly Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const count = terminated.length - threshold;
  if (count <= 0) return [];
  return [...terminated].sort(byEvictionAndCreation).slice(0, count);
}

/** Terminating pods on a node that is not Ready and carries the out-of-service taint. */
export function terminatingPodsOnOutOfServiceNodes(pods: readonly Pod[], nodes: ReadonlyMap<string, Node>): Pod[] {
  return pods
    .filter((pod) => {
      if (!isPodTerminating(pod)) return false;
      const node = nodes.get(pod.spec?.nodeName ?? '');
      return node !== undefined && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === outOfServiceTaint);
    })
    .sort(byEvictionAndCreation);
}

/** Names of nodes that pods are bound to but the cache does not have. */
export function missingNodeNames(pods: readonly Pod[], existing: ReadonlySet<string>): Set<string> {
  const missing = new Set<string>();
  for (const pod of pods) {
    const node = pod.spec?.nodeName;
    if (node && !existing.has(node)) missing.add(node);
  }
  return missing;
}

/** Terminating pods never bound to a node: no node agent will ever finish their deletion. */
export function unscheduledTerminatingPods(pods: readonly Pod[]): Pod[] {
  return pods.filter((pod) => isPodTerminating(pod) && !pod.spec?.nodeName);
}
