/**
 * NodeResourcesBalancedAllocation (Kubernetes' noderesources.BalancedAllocation): favours nodes
 * whose resources would be used in balance with the pod on them — 100 × (1 − the standard
 * deviation of the requested/allocatable fractions of the configured resources, cpu and memory
 * by default). Plain requests are used (no 100m / 200Mi defaults), as Kubernetes does; a pod that
 * requests none of the resources is not scored (PreScore returns Skip).
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  skip,
  success,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type NodeInfo,
  type PluginFactory,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/interfaces';
import { argsObject, resourceSpecs, type ResourceSpec } from './helper/args';
import { ResourceAllocationScorer, balancedResourceScorer } from './helper/resourceAllocation';

export const name = 'NodeResourcesBalancedAllocation';

const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze([] as ClusterEvent[]);

/** config.NodeResourcesBalancedAllocationArgs, defaulted. */
export interface BalancedAllocationArgs {
  readonly resources: readonly ResourceSpec[];
}

export function parseArgs(args: unknown): BalancedAllocationArgs {
  return { resources: resourceSpecs(name, argsObject(name, args), 'resources') };
}

/** isBestEffortPod: the pod requests none of the scored resources. */
function isBestEffort(podRequests: readonly number[]): boolean {
  for (const r of podRequests) if (r !== 0) return false;
  return true;
}

export class NodeResourcesBalancedAllocation implements PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  private readonly scorer: ResourceAllocationScorer;

  constructor(args: BalancedAllocationArgs = parseArgs(undefined)) {
    this.scorer = new ResourceAllocationScorer(args.resources, balancedResourceScorer, true);
  }

  preScore(state: CycleState, pod: Pod): Status {
    const podRequests = this.scorer.podRequests(pod);
    // A best-effort pod would score every empty node alike and pile onto one (kubernetes#129138).
    if (isBestEffort(podRequests)) return skip();
    state.write(preScoreStateKey, podRequests);
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    // Written by a PreScore that did not skip: the pod is not best-effort.
    const podRequests = state.read<number[]>(preScoreStateKey);
    if (podRequests) return this.scorer.score(node, podRequests);
    const computed = this.scorer.podRequests(pod);
    return isBestEffort(computed) ? 0 : this.scorer.score(node, computed);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

export const factory: PluginFactory = (args) => new NodeResourcesBalancedAllocation(parseArgs(args));
