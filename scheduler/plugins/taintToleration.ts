/**
 * TaintToleration (Kubernetes' tainttoleration plugin). Filter: every NoSchedule and NoExecute
 * taint of the node must be tolerated. Score: the number of PreferNoSchedule taints the pod does
 * not tolerate, normalised in reverse (fewer untolerated taints, higher score). When no feasible
 * node has a PreferNoSchedule taint, every node would get the top score, which ranks none above
 * another: PreScore returns Skip and the per-node scoring is saved.
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { Toleration } from '../../api/kinds/core/toleration';
import {
  skip,
  success,
  unresolvable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type NodeInfo,
  type NodeScore,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/interfaces';
import { defaultNormalizeScore } from './helper/normalize';
import { findUntoleratedTaint, isDoNotScheduleTaint, tolerationsTolerateTaint } from './helper/taints';

export const name = 'TaintToleration';

const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze(['NodeAdd', 'NodeTaintChange', 'PodUpdate'] as const);

/** getAllTolerationPreferNoSchedule: tolerations with effect PreferNoSchedule or empty (every effect). */
function preferNoScheduleTolerations(tolerations: readonly Toleration[] | undefined): Toleration[] {
  return (tolerations ?? []).filter((t) => !t.effect || t.effect === 'PreferNoSchedule');
}

/** countIntolerableTaintsPreferNoSchedule. */
function countIntolerablePreferNoSchedule(node: NodeInfo, tolerations: readonly Toleration[]): number {
  let n = 0;
  const taints = node.taints; // per node per cycle, usually empty: an indexed loop, no iterator
  for (let i = 0; i < taints.length; i++) {
    const taint = taints[i]!;
    if (taint.effect === 'PreferNoSchedule' && !tolerationsTolerateTaint(tolerations, taint)) n++;
  }
  return n;
}

function hasPreferNoScheduleTaint(node: NodeInfo): boolean {
  const taints = node.taints;
  for (let i = 0; i < taints.length; i++) if (taints[i]!.effect === 'PreferNoSchedule') return true;
  return false;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    const taint = findUntoleratedTaint(node.taints, pod.spec?.tolerations, isDoNotScheduleTaint);
    if (!taint) return success;
    return unresolvable(`node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`);
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return success;
    if (!nodes.some(hasPreferNoScheduleTaint)) return skip();
    state.write(preScoreStateKey, preferNoScheduleTolerations(pod.spec?.tolerations));
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const tolerations = state.read<Toleration[]>(preScoreStateKey) ?? preferNoScheduleTolerations(pod.spec?.tolerations);
    return countIntolerablePreferNoSchedule(node, tolerations);
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, true);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = () => new TaintToleration();
