/**
 * One profile's framework (frameworkImpl): its plugins per extension point, and the Run* methods
 * the scheduling cycle calls. It is also the FrameworkHandle its plugins get.
 *
 * Invariants:
 * - a rejecting Status returned by a Run* method carries the plugin's name (`plugin`), which the
 *   queue uses to decide which cluster events may help the pod;
 * - Filter plugins run in profile order and stop at the first rejection (as Kubernetes);
 * - plugins whose PreFilter/PreScore returned Skip are left out of Filter/Score for that cycle.
 */
import type { Pod } from '../../../api/kinds/core/pod';
import type { PodDisruptionBudget } from '../../../api/kinds/policy/podDisruptionBudget';
import type { Profile } from '../../config/types';
import { CycleStateImpl } from '../cycleState';
import {
  error,
  isEnqueueExtensions,
  MAX_NODE_SCORE,
  success,
  type BindPlugin,
  type ClusterEvent,
  type CycleState,
  type FilterPlugin,
  type FrameworkHandle,
  type NodeInfo,
  type NodeScore,
  type NodeStatuses,
  type Plugin,
  type PluginFactory,
  type PodInfo,
  type PostFilterPlugin,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ReservePlugin,
  type SchedulerApi,
  type ScorePlugin,
  type Snapshot,
  type Status,
} from '../interfaces';
import { NodeInfoImpl } from '../nodeInfo';
import { podPriority, podUid } from '../podKey';
import { resolveProfile, type DefaultPluginRef } from './resolvePlugins';

/** What the scheduler provides every profile's framework. */
export interface FrameworkDeps {
  readonly registry: ReadonlyMap<string, PluginFactory>;
  readonly defaults: readonly DefaultPluginRef[];
  /** The snapshot of the current cycle. */
  readonly snapshot: () => Snapshot;
  readonly api: SchedulerApi;
  readonly namespaceLabels?: (ns: string) => Record<string, string> | undefined;
  readonly nominatedPodsForNode?: (nodeName: string) => readonly PodInfo[];
  readonly podDisruptionBudgets?: () => readonly PodDisruptionBudget[];
}

export interface PreFilterOutcome {
  readonly status: Status;
  /** The only nodes worth filtering (intersection of the plugins' results); undefined: all. */
  readonly nodeNames?: ReadonlySet<string>;
}

function tag(status: Status, plugin: Plugin): Status {
  return { code: status.code, reasons: status.reasons, plugin: plugin.name };
}

export class Framework implements FrameworkHandle {
  readonly schedulerName: string;
  readonly percentageOfNodesToScore: number | undefined;
  readonly api: SchedulerApi;
  readonly namespaceLabels?: (ns: string) => Record<string, string> | undefined;
  readonly preFilterPlugins: readonly PreFilterPlugin[];
  readonly filterPlugins: readonly FilterPlugin[];
  readonly postFilterPlugins: readonly PostFilterPlugin[];
  readonly preScorePlugins: readonly PreScorePlugin[];
  readonly scorePlugins: readonly ScorePlugin[];
  readonly scoreWeights: readonly number[];
  readonly reservePlugins: readonly ReservePlugin[];
  readonly bindPlugins: readonly BindPlugin[];
  /** Plugin name → the cluster events it registered (EnqueueExtensions). */
  private readonly interests = new Map<string, ReadonlySet<ClusterEvent>>();
  /** The NodeScore list runScorePlugins reuses (scoreList). */
  private scores: { name: string; score: number }[] = [];
  private readonly deps: FrameworkDeps;

  /** Throws a one-line Error when the profile is invalid (unknown plugins, bad args, ...). */
  constructor(profile: Profile, deps: FrameworkDeps) {
    this.deps = deps;
    this.schedulerName = profile.schedulerName;
    this.percentageOfNodesToScore = profile.percentageOfNodesToScore;
    this.api = deps.api;
    this.namespaceLabels = deps.namespaceLabels;
    const resolved = resolveProfile(profile, deps.registry, deps.defaults, this);
    const at = <T extends Plugin>(names: readonly string[]) => names.map((n) => resolved.plugins.get(n)! as T);
    this.preFilterPlugins = at(resolved.points.preFilter);
    this.filterPlugins = at(resolved.points.filter);
    this.postFilterPlugins = at(resolved.points.postFilter);
    this.preScorePlugins = at(resolved.points.preScore);
    this.scorePlugins = at(resolved.points.score);
    this.scoreWeights = resolved.points.score.map((n) => resolved.weights.get(n) ?? 1);
    this.reservePlugins = at(resolved.points.reserve);
    this.bindPlugins = at(resolved.points.bind);
    for (const p of resolved.plugins.values()) if (isEnqueueExtensions(p)) this.interests.set(p.name, new Set(p.events()));
  }

  /** The events a plugin registered; undefined: it registered none (every event may help). */
  interest(plugin: string): ReadonlySet<ClusterEvent> | undefined {
    return this.interests.get(plugin);
  }

  // ---- Handle --------------------------------------------------------------------------------

  snapshot(): Snapshot {
    return this.deps.snapshot();
  }

  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    return this.deps.nominatedPodsForNode?.(nodeName) ?? [];
  }

  podDisruptionBudgets(): readonly PodDisruptionBudget[] {
    return this.deps.podDisruptionBudgets?.() ?? [];
  }

  cloneCycleState(state: CycleState): CycleState {
    return state instanceof CycleStateImpl ? state.clone() : state;
  }

  // ---- filtering -----------------------------------------------------------------------------

  runPreFilterPlugins(state: CycleStateImpl, pod: Pod, nodes: readonly NodeInfo[]): PreFilterOutcome {
    let nodeNames: Set<string> | undefined;
    for (const p of this.preFilterPlugins) {
      const { status, result } = p.preFilter(state, pod, nodes);
      if (status.code === 'Skip') {
        state.skipFilterPlugins.add(p.name);
        continue;
      }
      if (status.code !== 'Success') return { status: tag(status, p) };
      if (result?.nodeNames) {
        nodeNames = nodeNames ? new Set([...nodeNames].filter((n) => result.nodeNames!.has(n))) : new Set(result.nodeNames);
        if (nodeNames.size === 0) {
          return { status: { code: 'UnschedulableAndUnresolvable', reasons: ['node(s) didn\'t satisfy plugin(s) [' + p.name + ']'], plugin: p.name } };
        }
      }
    }
    return { status: success, nodeNames };
  }

  /** Filter plugins on one node, without nominated pods. */
  runFilterPluginsOnly(state: CycleState, pod: Pod, node: NodeInfo): Status {
    // Hot path (nodes × pods): the cycle's filter list is computed once per CycleState.
    const plugins = state instanceof CycleStateImpl ? this.activeFilters(state) : this.filterPlugins;
    for (let i = 0; i < plugins.length; i++) {
      const p = plugins[i]!;
      const status = p.filter(state, pod, node);
      if (status.code !== 'Success') return tag(status, p);
    }
    return success;
  }

  /** The Filter plugins not skipped by their PreFilter in this cycle (memoised on the state). */
  private activeFilters(state: CycleStateImpl): readonly FilterPlugin[] {
    let list = state.activeFilters as readonly FilterPlugin[] | undefined;
    if (!list) {
      list = state.skipFilterPlugins.size === 0 ? this.filterPlugins : this.filterPlugins.filter((p) => !state.skipFilterPlugins.has(p.name));
      state.activeFilters = list;
    }
    return list;
  }

  /**
   * RunFilterPluginsWithNominatedPods: when pods of at least this pod's priority are nominated to
   * the node, the node must fit the pod with them added too (so their room is kept); then without
   * them (pod affinity may need them absent).
   */
  runFilterPlugins(state: CycleState, pod: Pod, node: NodeInfo): Status {
    const nominated = this.deps.nominatedPodsForNode?.(node.name);
    if (nominated && nominated.length > 0) {
      const uid = podUid(pod);
      const priority = podPriority(pod);
      const add = nominated.filter((pi) => podUid(pi.pod) !== uid && podPriority(pi.pod) >= priority);
      if (add.length > 0) {
        const info = node instanceof NodeInfoImpl ? node.clone() : undefined;
        if (info) {
          const cloned = this.cloneCycleState(state);
          for (const pi of add) {
            info.addPod(pi);
            const s = this.runPreFilterExtensionAddPod(cloned, pod, pi, info);
            if (s.code !== 'Success') return s;
          }
          const s = this.runFilterPluginsOnly(cloned, pod, info);
          if (s.code !== 'Success') return s;
        }
      }
    }
    return this.runFilterPluginsOnly(state, pod, node);
  }

  runPreFilterExtensionAddPod(state: CycleState, pod: Pod, podInfoToAdd: PodInfo, node: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state instanceof CycleStateImpl && state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.addPod(state, pod, podInfoToAdd, node);
      if (s.code !== 'Success') return s.code === 'Error' ? s : tag(s, p);
    }
    return success;
  }

  runPreFilterExtensionRemovePod(state: CycleState, pod: Pod, podInfoToRemove: PodInfo, node: NodeInfo): Status {
    for (const p of this.preFilterPlugins) {
      if (state instanceof CycleStateImpl && state.skipFilterPlugins.has(p.name)) continue;
      const ext = p.preFilterExtensions?.();
      if (!ext) continue;
      const s = ext.removePod(state, pod, podInfoToRemove, node);
      if (s.code !== 'Success') return s.code === 'Error' ? s : tag(s, p);
    }
    return success;
  }

  /** PostFilter plugins in order until one succeeds (nominating a node) or errors. */
  async runPostFilterPlugins(state: CycleState, pod: Pod, statuses: NodeStatuses): Promise<{ status: Status; nominatedNodeName?: string }> {
    const reasons: string[] = [];
    for (const p of this.postFilterPlugins) {
      const out = await p.postFilter(state, pod, statuses);
      if (out.status.code === 'Success' || out.status.code === 'Error') return { ...out, status: tag(out.status, p) };
      reasons.push(...out.status.reasons);
      if (out.nominatedNodeName !== undefined) return { status: { code: 'Unschedulable', reasons, plugin: p.name }, nominatedNodeName: out.nominatedNodeName };
    }
    return { status: { code: 'Unschedulable', reasons } };
  }

  // ---- scoring -------------------------------------------------------------------------------

  runPreScorePlugins(state: CycleStateImpl, pod: Pod, nodes: readonly NodeInfo[]): Status {
    for (const p of this.preScorePlugins) {
      const s = p.preScore(state, pod, nodes);
      if (s.code === 'Skip') state.skipScorePlugins.add(p.name);
      else if (s.code !== 'Success') return tag(s, p);
    }
    return success;
  }

  /** The weighted sum of normalised scores per node (same order as `nodes`). */
  runScorePlugins(state: CycleStateImpl, pod: Pod, nodes: readonly NodeInfo[]): number[] {
    const totals = new Array<number>(nodes.length).fill(0);
    const scores = this.scoreList(nodes);
    for (let i = 0; i < this.scorePlugins.length; i++) {
      const p = this.scorePlugins[i]!;
      if (state.skipScorePlugins.has(p.name)) continue;
      for (let j = 0; j < nodes.length; j++) scores[j]!.score = p.score(state, pod, nodes[j]!);
      p.normalizeScore?.(state, pod, scores);
      const w = this.scoreWeights[i]!;
      for (let j = 0; j < nodes.length; j++) {
        const s = scores[j]!.score;
        // A plugin outside 0..100 is a bug; clamp rather than let it dominate.
        totals[j]! += w * (s > MAX_NODE_SCORE ? MAX_NODE_SCORE : s < 0 ? 0 : s);
      }
    }
    return totals;
  }

  /**
   * The NodeScore list for `nodes`, reused from the previous cycle when of the same length (the
   * common case: sampling finds the same number of feasible nodes pod after pod), which saves
   * hundreds of allocations per pod. Valid until the next call; plugins must not keep it.
   */
  private scoreList(nodes: readonly NodeInfo[]): NodeScore[] {
    let scores = this.scores;
    if (scores.length !== nodes.length) this.scores = scores = nodes.map((n) => ({ name: n.name, score: 0 }));
    else for (let j = 0; j < nodes.length; j++) scores[j]!.name = nodes[j]!.name;
    return scores;
  }

  // ---- reserve and bind ----------------------------------------------------------------------

  runReservePlugins(state: CycleState, pod: Pod, nodeName: string): Status {
    for (const p of this.reservePlugins) {
      const s = p.reserve(state, pod, nodeName);
      if (s.code !== 'Success') return tag(s, p);
    }
    return success;
  }

  /** In reverse order, as Kubernetes. */
  runUnreservePlugins(state: CycleState, pod: Pod, nodeName: string): void {
    for (let i = this.reservePlugins.length - 1; i >= 0; i--) this.reservePlugins[i]!.unreserve(state, pod, nodeName);
  }

  async runBindPlugins(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    for (const p of this.bindPlugins) {
      const s = await p.bind(state, pod, nodeName);
      if (s.code === 'Skip') continue;
      return s.code === 'Success' ? s : tag(s, p);
    }
    return error('no bind plugin bound the pod');
  }
}
