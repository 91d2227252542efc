/**
 * pickOneNodeForPreemption: the candidate that disturbs the least, by Kubernetes' criteria in
 * order — fewest PodDisruptionBudget violations, lowest highest-victim priority, smallest sum of
 * victim priorities, fewest victims, latest start among the highest-priority victims — the first
 * remaining candidate winning ties. A candidate without victims wins at once.
 */
import { podPriority } from '../../framework/podKey';
import { earliestStartOfHighest, type Victims } from './victims';

export interface Candidate {
  readonly nodeName: string;
  readonly victims: Victims;
}

/** Priorities are shifted by 2^31 so that sums of negative priorities still order correctly. */
const OFFSET = 2 ** 31;

function minBy(cands: readonly Candidate[], key: (c: Candidate) => number): Candidate[] {
  let best = Infinity;
  let out: Candidate[] = [];
  for (const c of cands) {
    const k = key(c);
    if (k < best) {
      best = k;
      out = [c];
    } else if (k === best) out.push(c);
  }
  return out;
}

export function pickOneNodeForPreemption(candidates: readonly Candidate[]): Candidate | undefined {
  if (candidates.length === 0) return undefined;
  const empty = candidates.find((c) => c.victims.pods.length === 0);
  if (empty) return empty;
  let left = minBy(candidates, (c) => c.victims.numPDBViolations);
  if (left.length > 1) left = minBy(left, (c) => podPriority(c.victims.pods[0]!.pod));
  if (left.length > 1) left = minBy(left, (c) => c.victims.pods.reduce((sum, pi) => sum + podPriority(pi.pod) + OFFSET, 0));
  if (left.length > 1) left = minBy(left, (c) => c.victims.pods.length);
  if (left.length > 1) left = minBy(left, (c) => -earliestStartOfHighest(c.victims.pods));
  return left[0];
}
