/**
 * NodeUnschedulable (Kubernetes' nodeunschedulable plugin): a node with spec.unschedulable takes
 * only pods that tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
 */
import type { Pod } from '../../api/kinds/core/pod';
import { success, unresolvable, type ClusterEvent, type CycleState, type EnqueueExtensions, type FilterPlugin, type NodeInfo, type PluginFactory, type Status } from '../framework/interfaces';
import type { TaintLike } from '../../api/kinds/core/toleration';
import { TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from './helper/taints';

export const name = 'NodeUnschedulable';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

const unschedulableTaint: TaintLike = { key: TAINT_NODE_UNSCHEDULABLE, effect: 'NoSchedule' };
const events: readonly ClusterEvent[] = Object.freeze(['NodeAdd', 'NodeUpdate', 'NodeTaintChange'] as const);

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = name;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    if (!node.unschedulable) return success;
    // A pod that tolerates the unschedulable taint tolerates spec.unschedulable too.
    if (tolerationsTolerateTaint(pod.spec?.tolerations, unschedulableTaint)) return success;
    return unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = () => new NodeUnschedulable();
