/**
 * Preemption's dry run on one node (selectVictimsOnNode): remove every pod of lower priority than
 * the preemptor; if the preemptor then fits, add pods back one by one, most important first —
 * first those whose eviction would violate a PodDisruptionBudget, then the others — keeping each
 * one that still leaves room. What cannot be added back are the victims.
 */
import type { Pod } from '../../../api/kinds/core/pod';
import { budgetSelectsPod } from '../../../api/kinds/policy/disruptionBudget';
import type { PodDisruptionBudget } from '../../../api/kinds/policy/podDisruptionBudget';
import { unresolvable, type CycleState, type FrameworkHandle, type PodInfo, type Status } from '../../framework/interfaces';
import type { NodeInfoImpl } from '../../framework/nodeInfo';
import { podPriority } from '../../framework/podKey';

export const NO_VICTIMS_REASON = 'No preemption victims found for incoming pod';

export interface Victims {
  /** Most important first. */
  readonly pods: readonly PodInfo[];
  readonly numPDBViolations: number;
}

function startTime(pod: Pod): number {
  const t = pod.status?.startTime ?? pod.metadata?.creationTimestamp;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? Number.MAX_SAFE_INTEGER : ms;
}

/** util.MoreImportantPod: higher priority, then started earlier. */
export function moreImportant(a: Pod, b: Pod): number {
  const d = podPriority(b) - podPriority(a);
  return d !== 0 ? d : startTime(a) - startTime(b);
}

/** The earliest start time among the highest-priority pods (GetEarliestPodStartTime). */
export function earliestStartOfHighest(pods: readonly PodInfo[]): number {
  if (pods.length === 0) return Number.MAX_SAFE_INTEGER;
  const top = Math.max(...pods.map((p) => podPriority(p.pod)));
  return Math.min(...pods.filter((p) => podPriority(p.pod) === top).map((p) => startTime(p.pod)));
}

/** filterPodsWithPDBViolation: splits pods (in order) into those whose eviction would violate a budget and the rest. */
export function splitByPDBViolation(pods: readonly PodInfo[], pdbs: readonly PodDisruptionBudget[]): { violating: PodInfo[]; nonViolating: PodInfo[] } {
  const allowed = pdbs.map((p) => p.status?.disruptionsAllowed ?? 0);
  const violating: PodInfo[] = [];
  const nonViolating: PodInfo[] = [];
  for (const pi of pods) {
    let violates = false;
    const name = pi.pod.metadata?.name ?? '';
    pdbs.forEach((pdb, i) => {
      if (!budgetSelectsPod(pdb, pi.pod)) return;
      if (pdb.status?.disruptedPods && name in pdb.status.disruptedPods) return;
      allowed[i]!--;
      if (allowed[i]! < 0) violates = true;
    });
    (violates ? violating : nonViolating).push(pi);
  }
  return { violating, nonViolating };
}

/** Mutates `node` and `state` (callers pass clones). A non-Success status when preemption cannot help here. */
export function selectVictimsOnNode(handle: FrameworkHandle, state: CycleState, pod: Pod, node: NodeInfoImpl, pdbs: readonly PodDisruptionBudget[]): Victims | Status {
  const priority = podPriority(pod);
  const remove = (pi: PodInfo): Status => {
    node.removePod(pi.pod);
    return handle.runPreFilterExtensionRemovePod(state, pod, pi, node);
  };
  const add = (pi: PodInfo): Status => {
    node.addPod(pi);
    return handle.runPreFilterExtensionAddPod(state, pod, pi, node);
  };
  const potential = node.pods.filter((pi) => podPriority(pi.pod) < priority);
  if (potential.length === 0) return unresolvable(NO_VICTIMS_REASON);
  for (const pi of potential) {
    const s = remove(pi);
    if (s.code !== 'Success') return s;
  }
  const fits = handle.runFilterPlugins(state, pod, node);
  if (fits.code !== 'Success') return fits;
  potential.sort((a, b) => moreImportant(a.pod, b.pod));
  const { violating, nonViolating } = splitByPDBViolation(potential, pdbs);
  const victims: PodInfo[] = [];
  let numPDBViolations = 0;
  const reprieve = (pi: PodInfo): boolean => {
    const s = add(pi);
    if (s.code === 'Success' && handle.runFilterPlugins(state, pod, node).code === 'Success') return true;
    remove(pi);
    victims.push(pi);
    return false;
  };
  for (const pi of violating) if (!reprieve(pi)) numPDBViolations++;
  for (const pi of nonViolating) reprieve(pi);
  victims.sort((a, b) => moreImportant(a.pod, b.pod));
  return { pods: victims, numPDBViolations };
}
