/** Pod helpers of the Job controller: phases, readiness, and which active pods go first. */
import type { Pod } from '../../api/kinds/core/pod';
import { getCompletionIndex, unknownCompletionIndex } from './indexes';

export const jobTrackingFinalizer = 'batch.kubernetes.io/job-tracking';

export function hasJobTrackingFinalizer(pod: Pod): boolean {
  return (pod.metadata?.finalizers ?? []).includes(jobTrackingFinalizer);
}

export function isPodReady(pod: Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/** Not finished and not being deleted (controller.FilterActivePods). */
export function isPodActive(pod: Pod): boolean {
  return !isPodTerminal(pod) && !pod.metadata?.deletionTimestamp;
}

/** Being deleted but not finished (controller.IsPodTerminating). */
export function isPodTerminating(pod: Pod): boolean {
  return !isPodTerminal(pod) && !!pod.metadata?.deletionTimestamp;
}

const phaseOrdinal: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function readyTime(pod: Pod): number | undefined {
  const c = (pod.status?.conditions ?? []).find((x) => x.type === 'Ready' && x.status === 'True');
  return c?.lastTransitionTime ? Date.parse(c.lastTransitionTime) : undefined;
}

function maxRestarts(pod: Pod): number {
  return Math.max(0, ...(pod.status?.containerStatuses ?? []).map((c) => c.restartCount ?? 0));
}

function created(pod: Pod): number | undefined {
  const t = pod.metadata?.creationTimestamp;
  return t ? Date.parse(t) : undefined;
}

/** a after b, treating "no time" as the latest (afterOrZero). */
function afterOrZero(a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return a === undefined;
  return a > b;
}

/**
 * controller.ActivePods ordering: the pods to delete first come first — unassigned before
 * assigned, Pending < Unknown < Running, not ready before ready, ready more recently first, more
 * restarts first, newer first.
 */
export function compareActivePods(a: Pod, b: Pod): number {
  const less = (x: Pod, y: Pod): boolean => {
    const nx = x.spec?.nodeName ?? '';
    const ny = y.spec?.nodeName ?? '';
    if (nx !== ny && (nx === '' || ny === '')) return nx === '';
    const px = phaseOrdinal[x.status?.phase ?? ''] ?? 0;
    const py = phaseOrdinal[y.status?.phase ?? ''] ?? 0;
    if (px !== py) return px < py;
    const rx = isPodReady(x);
    const ry = isPodReady(y);
    if (rx !== ry) return !rx;
    if (rx && ry) {
      const tx = readyTime(x);
      const ty = readyTime(y);
      if (tx !== ty) return afterOrZero(tx, ty);
    }
    const cx = maxRestarts(x);
    const cy = maxRestarts(y);
    if (cx !== cy) return cx > cy;
    const ax = created(x);
    const ay = created(y);
    if (ax !== ay) return afterOrZero(ax, ay);
    return false;
  };
  if (less(a, b)) return -1;
  if (less(b, a)) return 1;
  return 0;
}

/**
 * The active pods to delete: for an Indexed Job, pods without a valid index and all but one pod
 * per repeated index; then, if that is not enough, `rmAtLeast` in ActivePods order.
 */
export function activePodsForRemoval(pods: readonly Pod[], rmAtLeast: number, indexedCompletions: number | undefined): Pod[] {
  let rm: Pod[] = [];
  let left: Pod[];
  if (indexedCompletions !== undefined) {
    ({ rm, left } = duplicatedIndexPodsForRemoval(pods, indexedCompletions));
  } else {
    left = [...pods];
  }
  if (rm.length < rmAtLeast) {
    left.sort(compareActivePods);
    rm = [...rm, ...left.slice(0, rmAtLeast - rm.length)];
  }
  return rm;
}

function duplicatedIndexPodsForRemoval(pods: readonly Pod[], completions: number): { rm: Pod[]; left: Pod[] } {
  const rm: Pod[] = [];
  const left: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const p of pods) {
    const ix = getCompletionIndex(p.metadata?.annotations);
    if (ix === unknownCompletionIndex || ix >= completions) {
      rm.push(p);
      continue;
    }
    const list = byIndex.get(ix) ?? [];
    list.push(p);
    byIndex.set(ix, list);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const same = byIndex.get(ix)!;
    if (same.length === 1) {
      left.push(same[0]!);
      continue;
    }
    // Keep the "best" one (last in ActivePods order).
    same.sort(compareActivePods);
    rm.push(...same.slice(0, -1));
    left.push(same[same.length - 1]!);
  }
  return { rm, left };
}
