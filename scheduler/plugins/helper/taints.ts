/** Taints and tolerations, as component-helpers/scheduling/corev1 and v1helper. */
import type { Taint } from '../../../api/kinds/core/taint';
import { toleratesTaint, type TaintLike, type Toleration } from '../../../api/kinds/core/toleration';

/** The taint a node's spec.unschedulable stands for. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: TaintLike): boolean {
  if (!tolerations) return false;
  for (let i = 0; i < tolerations.length; i++) if (toleratesTaint(tolerations[i]!, taint)) return true;
  return false;
}

/** helper.DoNotScheduleTaintsFilterFunc: the taints a pod must tolerate to be placed. */
export function isDoNotScheduleTaint(taint: Taint): boolean {
  return taint.effect === 'NoSchedule' || taint.effect === 'NoExecute';
}

/**
 * FindMatchingUntoleratedTaint: the first taint that passes `filter` and that no toleration
 * tolerates; undefined when every such taint is tolerated.
 */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  filter: (taint: Taint) => boolean,
): Taint | undefined {
  if (!taints) return undefined;
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (filter(taint) && !tolerationsTolerateTaint(tolerations, taint)) return taint;
  }
  return undefined;
}
