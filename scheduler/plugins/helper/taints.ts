/** Taints and tolerations, as component-helpers/scheduling/corev1 and v1helper. */
import type { Taint } from '../../../api/kinds/core/taint';
import type { Toleration } from '../../../api/kinds/core/toleration';

/** The taint a node's spec.unschedulable stands for. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** A taint as far as toleration matching is concerned. */
export interface TaintLike {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

/** Toleration.ToleratesTaint: empty effect matches every effect, empty key (with Exists) every key. */
export function toleratesTaint(t: Toleration, taint: TaintLike): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  switch (t.operator ?? '') {
    case '':
    case 'Equal':
      return (t.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

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
