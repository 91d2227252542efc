/**
 * Which pods a ReplicaSet deletes first when it scales down: Kubernetes' ActivePodsWithRanks
 * ordering (pkg/controller/controller_utils.go), with the PodDeletionCost and
 * LogarithmicScaleDown features on, as they are by default:
 *
 *   1. unscheduled before scheduled;
 *   2. Pending before Unknown before Running;
 *   3. not ready before ready;
 *   4. lower controller.kubernetes.io/pod-deletion-cost before higher;
 *   5. pods sharing their node with more related pods before those with fewer (the rank);
 *   6. both ready: ready more recently before ready longer (in log2 buckets of the time since);
 *   7. more container restarts before fewer;
 *   8. created more recently before older (in log2 buckets of the age); ties in a bucket go
 *      by uid.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { isPodActive, isPodReady, maxContainerRestarts, podReadySince } from './pods';

export const podDeletionCostAnnotation = 'controller.kubernetes.io/pod-deletion-cost';

const phaseOrdinal: Readonly<Record<string, number>> = { Pending: 0, Unknown: 1, Running: 2 };

/** The pod-deletion-cost annotation as an int32; 0 when absent or not a valid int32. */
export function podDeletionCost(pod: Pod): number {
  const value = pod.metadata?.annotations?.[podDeletionCostAnnotation];
  if (value === undefined || !/^[+-]?\d+$/.test(value.trim())) return 0;
  const n = Number(value.trim());
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function timeOf(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

/** floor(log2(now - t)) in nanoseconds, -1 when t is not in the past (logarithmicRankDiff). */
function logRank(t: number, nowMs: number): number {
  const ns = (nowMs - t) * 1e6;
  return ns <= 0 ? -1 : Math.floor(Math.log2(ns));
}

/**
 * Compares two times for "which goes first": a missing time first, then the later one
 * (afterOrZero), or with `nowMs` the one in the lower log2 bucket of its age, uid on ties.
 * Returns negative when `a` goes first, positive when `b` does, 0 when undecided.
 */
function compareTimes(ta: number | undefined, tb: number | undefined, a: Pod, b: Pod, nowMs: number | undefined): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  if (nowMs === undefined) return ta > tb ? -1 : 1;
  const diff = logRank(ta, nowMs) - logRank(tb, nowMs);
  if (diff !== 0) return diff;
  const ua = a.metadata?.uid ?? '';
  const ub = b.metadata?.uid ?? '';
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

/**
 * The comparator of ActivePodsWithRanks: negative when `a` should be deleted before `b`.
 * `rankA`/`rankB` are the pods' ranks (related pods on their node); `nowMs` enables the
 * logarithmic comparison of times (undefined: plain newest-first).
 */
export function comparePodsForDeletion(a: Pod, rankA: number, b: Pod, rankB: number, nowMs?: number): number {
  const nodeA = a.spec?.nodeName ?? '';
  const nodeB = b.spec?.nodeName ?? '';
  // 1. Unassigned < assigned.
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  // 2. Pending < Unknown < Running.
  const pa = phaseOrdinal[a.status?.phase ?? ''] ?? 0;
  const pb = phaseOrdinal[b.status?.phase ?? ''] ?? 0;
  if (pa !== pb) return pa - pb;
  // 3. Not ready < ready.
  const readyA = isPodReady(a);
  const readyB = isPodReady(b);
  if (readyA !== readyB) return readyA ? 1 : -1;
  // 4. Lower deletion cost < higher.
  const costA = podDeletionCost(a);
  const costB = podDeletionCost(b);
  if (costA !== costB) return costA - costB;
  // 5. Doubled up < not doubled up.
  if (rankA !== rankB) return rankB - rankA;
  // 6. Both ready: ready for less time < more time.
  if (readyA && readyB) {
    const c = compareTimes(podReadySince(a), podReadySince(b), a, b, nowMs);
    if (c !== 0) return c;
  }
  // 7. More restarts < fewer.
  const restartsA = maxContainerRestarts(a);
  const restartsB = maxContainerRestarts(b);
  if (restartsA !== restartsB) return restartsB - restartsA;
  // 8. Newer < older.
  return compareTimes(timeOf(a.metadata?.creationTimestamp), timeOf(b.metadata?.creationTimestamp), a, b, nowMs);
}

/**
 * The rank of each pod: how many active related pods (the ReplicaSet's and its siblings', by
 * uid) share its node (getPodsRankedByRelatedPodsOnSameNode).
 */
export function ranksByRelatedPodsOnSameNode(pods: readonly Pod[], relatedPods: readonly Pod[]): number[] {
  const onNode = new Map<string, number>();
  for (const p of relatedPods) {
    if (!isPodActive(p)) continue;
    const node = p.spec?.nodeName ?? '';
    onNode.set(node, (onNode.get(node) ?? 0) + 1);
  }
  return pods.map((p) => onNode.get(p.spec?.nodeName ?? '') ?? 0);
}

/** The `count` pods to delete first out of `pods` (getPodsToDelete). */
export function podsToDelete(pods: readonly Pod[], relatedPods: readonly Pod[], count: number, nowMs: number): Pod[] {
  if (count <= 0) return [];
  if (count >= pods.length) return [...pods];
  const ranks = ranksByRelatedPodsOnSameNode(pods, relatedPods);
  const order = pods.map((pod, i) => ({ pod, rank: ranks[i]!, i }));
  order.sort((x, y) => comparePodsForDeletion(x.pod, x.rank, y.pod, y.rank, nowMs) || x.i - y.i);
  return order.slice(0, count).map((x) => x.pod);
}
