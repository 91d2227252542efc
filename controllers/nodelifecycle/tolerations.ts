/** Which tolerations of a pod tolerate which taints (core/v1 Toleration.ToleratesTaint, in api/). */
import type { Taint } from '../../api/kinds/core/taint';
import { toleratesTaint, type Toleration } from '../../api/kinds/core/toleration';

/** For each taint, the first toleration that tolerates it; undefined if some taint is not tolerated. */
export function matchingTolerations(taints: readonly Taint[], tolerations: readonly Toleration[]): Toleration[] | undefined {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = tolerations.find((x) => toleratesTaint(x, taint));
    if (!t) return undefined;
    used.push(t);
  }
  return used;
}

/**
 * When a pod on a node with these NoExecute taints must go: now (not every taint tolerated, or a
 * toleration of 0 s or less), at the earliest expiry of a limited toleration (counted from the
 * taint's timeAdded, or `firstSeen` for a taint without one), or never (undefined).
 */
export function evictionTime(taints: readonly Taint[], tolerations: readonly Toleration[], now: number, firstSeen: (taint: Taint) => number): number | undefined {
  if (taints.length === 0) return undefined;
  const used = matchingTolerations(taints, tolerations);
  if (!used) return now;
  let at: number | undefined;
  taints.forEach((taint, i) => {
    const seconds = used[i]!.tolerationSeconds;
    if (seconds === undefined) return;
    const added = taint.timeAdded ? Date.parse(taint.timeAdded) : NaN;
    const start = Number.isNaN(added) ? firstSeen(taint) : added;
    const expiry = seconds <= 0 ? now : start + seconds * 1000;
    at = at === undefined ? expiry : Math.min(at, expiry);
  });
  return at;
}
