/** NodeName (Kubernetes' nodename plugin): a pod with spec.nodeName fits only the node of that name. */
import type { Pod } from '../../api/kinds/core/pod';
import { success, unresolvable, type ClusterEvent, type CycleState, type EnqueueExtensions, type FilterPlugin, type NodeInfo, type PluginFactory, type Status } from '../framework/interfaces';

export const name = 'NodeName';

export const ERR_REASON = "node(s) didn't match the requested node name";

const events: readonly ClusterEvent[] = Object.freeze(['NodeAdd'] as const);

/** nodename.Fits. */
export function fits(pod: Pod, node: NodeInfo): boolean {
  const want = pod.spec?.nodeName;
  return !want || want === node.name;
}

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = name;

  filter(_state: CycleState, pod: Pod, node: NodeInfo): Status {
    return fits(pod, node) ? success : unresolvable(ERR_REASON);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = () => new NodeName();
