/**
 * DefaultPreemption (Kubernetes' defaultpreemption PostFilter): when a pod fits nowhere, find
 * nodes where evicting lower-priority pods would make it fit (dry runs on copies of the nodes),
 * pick the one that disturbs the least (preemption/pickNode.ts), delete its victims, clear the
 * nominations of lower-priority pods nominated there, and nominate the node for the pod (the
 * scheduler writes status.nominatedNodeName; the pod is retried once the victims are gone).
 *
 * Not eligible: preemptionPolicy Never, and a pod whose nominated node still has lower-priority
 * pods terminating (it waits for them instead of preempting again). Nodes rejected as
 * UnschedulableAndUnresolvable (taints, selectors, ...) are never candidates.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  isFrameworkHandle,
  success,
  unschedulable,
  type CycleState,
  type FrameworkHandle,
  type NodeStatuses,
  type PluginFactory,
  type PostFilterPlugin,
  type Status,
} from '../framework/interfaces';
import { NodeInfoImpl } from '../framework/nodeInfo';
import { podPriority } from '../framework/podKey';
import { argsObject, optionalNumber } from './helper/args';
import { pickOneNodeForPreemption, type Candidate } from './preemption/pickNode';
import { selectVictimsOnNode } from './preemption/victims';

export const name = 'DefaultPreemption';

export const NOT_HELPFUL_REASON = 'Preemption is not helpful for scheduling';

export interface DefaultPreemptionArgs {
  /** Candidates sought: at least this percentage of the nodes... Default 10. */
  readonly minCandidateNodesPercentage: number;
  /** ...and at least this many. Default 100. */
  readonly minCandidateNodesAbsolute: number;
}

/** "N reason" counts, sorted, as the FitError message does. */
function histogram(statuses: ReadonlyMap<string, Status>): string {
  const counts = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return [...counts].map(([r, n]) => `${n} ${r}`).sort().join(', ');
}

export class DefaultPreemption implements PostFilterPlugin {
  readonly name = name;

  constructor(
    private readonly handle: FrameworkHandle,
    private readonly args: DefaultPreemptionArgs,
  ) {}

  async postFilter(state: CycleState, pod: Pod, statuses: NodeStatuses): Promise<{ status: Status; nominatedNodeName?: string }> {
    const why = this.notEligible(pod);
    if (why) return { status: unschedulable(`preemption: ${why}`) };
    const nodes = this.handle.snapshot().list();
    const results = new Map<string, Status>();
    const candidates: Candidate[] = [];
    const pdbs = this.handle.podDisruptionBudgets();
    const wanted = Math.max(Math.trunc((nodes.length * this.args.minCandidateNodesPercentage) / 100), this.args.minCandidateNodesAbsolute);
    for (const ni of nodes) {
      const status = statuses.get(ni.name);
      if (status && status.code !== 'Unschedulable') {
        results.set(ni.name, { code: 'UnschedulableAndUnresolvable', reasons: [NOT_HELPFUL_REASON] });
        continue;
      }
      if (candidates.length >= wanted) continue;
      const copy = ni instanceof NodeInfoImpl ? ni.clone() : undefined;
      if (!copy) continue;
      const outcome = selectVictimsOnNode(this.handle, this.handle.cloneCycleState(state), pod, copy, pdbs);
      if ('pods' in outcome) candidates.push({ nodeName: ni.name, victims: outcome });
      else results.set(ni.name, outcome);
    }
    const best = pickOneNodeForPreemption(candidates);
    if (!best) return { status: unschedulable(`preemption: 0/${nodes.length} nodes are available: ${histogram(results)}.`), nominatedNodeName: pod.status?.nominatedNodeName ? '' : undefined };
    await Promise.all(best.victims.pods.map((pi) => this.handle.api.deletePod(pi.pod)));
    const priority = podPriority(pod);
    const uid = pod.metadata?.uid;
    const lower = this.handle.nominatedPodsForNode(best.nodeName).filter((pi) => podPriority(pi.pod) < priority && pi.pod.metadata?.uid !== uid);
    await Promise.all(lower.map((pi) => this.handle.api.clearNominatedNodeName(pi.pod)));
    return { status: success, nominatedNodeName: best.nodeName };
  }

  /** PodEligibleToPreemptOthers: why the pod may not preempt, or undefined. */
  private notEligible(pod: Pod): string | undefined {
    if (pod.spec?.preemptionPolicy === 'Never') return 'not eligible due to preemptionPolicy=Never.';
    const nominated = pod.status?.nominatedNodeName;
    if (nominated) {
      const ni = this.handle.snapshot().get(nominated);
      const priority = podPriority(pod);
      if (ni?.pods.some((pi) => pi.pod.metadata?.deletionTimestamp && podPriority(pi.pod) < priority)) {
        return 'not eligible due to a terminating pod on the nominated node.';
      }
    }
    return undefined;
  }
}

export const factory: PluginFactory = (args, handle) => {
  if (!isFrameworkHandle(handle)) throw new Error(`${name} needs the scheduler's framework handle`);
  const obj = argsObject(name, args);
  const pct = optionalNumber(name, obj, 'minCandidateNodesPercentage') ?? 10;
  const abs = optionalNumber(name, obj, 'minCandidateNodesAbsolute') ?? 100;
  if (pct < 0 || pct > 100) throw new Error(`${name}: minCandidateNodesPercentage must be from 0 to 100`);
  if (abs < 0) throw new Error(`${name}: minCandidateNodesAbsolute must not be negative`);
  return new DefaultPreemption(handle, { minCandidateNodesPercentage: pct, minCandidateNodesAbsolute: abs });
};
