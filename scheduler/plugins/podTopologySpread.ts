/**
 * PodTopologySpread (Kubernetes' podtopologyspread plugin).
 *
 * Filter (whenUnsatisfiable: DoNotSchedule): PreFilter counts, per constraint and topology domain,
 * the pods its selector matches on the eligible nodes (nodes with every topology key that pass the
 * inclusion policies: nodeAffinityPolicy Honor and nodeTaintsPolicy Ignore by default). A node
 * fits when, for every constraint, `pods in its domain + (1 if the pod matches its own selector) −
 * global minimum <= maxSkew`, the global minimum being 0 while fewer than minDomains domains exist.
 * PreFilterExtensions keep the counts right when preemption adds/removes pods in its dry runs.
 *
 * Score (ScheduleAnyway): each node gets, per constraint, the matching pods in its domain weighted
 * by log(domains + 2), plus maxSkew − 1; fewer is better, so the normalisation reverses it.
 *
 * Kubernetes' system default constraints (spreading pods of the same Service/ReplicaSet when a pod
 * has none) are not applied: the handle has no listers to derive their selectors from.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  error,
  skip,
  success,
  unresolvable,
  unschedulable,
  type ClusterEvent,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type NodeScore,
  type PluginFactory,
  type PodInfo,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type StateData,
  type Status,
} from '../framework/interfaces';
import { argsObject, optionalString } from './helper/args';
import { compiledMatches, labelValue } from './helper/labels';
import { requiredNodeAffinity, type RequiredNodeAffinity } from './helper/nodeAffinity';
import {
  CriticalPaths,
  compileConstraints,
  countMatchingPods,
  nodeHasAllTopologyKeys,
  nodeIncluded,
  podCounts,
  type SpreadConstraint,
} from './helper/topologySpread';
import { computeScoreState, normalizeScores, scoreNode, type SpreadScoreState } from './helper/topologySpreadScore';

export const name = 'PodTopologySpread';

export const ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
export const ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH + ' (missing required label)';

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze([
  'PodAdd',
  'PodLabelChange',
  'PodDelete',
  'NodeAdd',
  'NodeDelete',
  'NodeLabelChange',
  'NodeTaintChange',
] as const);

/** config.PodTopologySpreadArgs: only defaultingType is read (see the file comment on defaults). */
export interface PodTopologySpreadArgs {
  readonly defaultingType: 'System' | 'List';
}

export function parseArgs(args: unknown): PodTopologySpreadArgs {
  const obj = argsObject(name, args);
  const defaultingType = optionalString(name, obj, 'defaultingType') ?? 'System';
  if (defaultingType !== 'System' && defaultingType !== 'List') {
    throw new Error(`${name}: defaultingType: Unsupported value: "${defaultingType}": supported values: List, System`);
  }
  const dc = obj['defaultConstraints'];
  if (dc !== undefined && dc !== null && !Array.isArray(dc)) throw new Error(`${name}: defaultConstraints must be a list`);
  if (defaultingType === 'System' && Array.isArray(dc) && dc.length > 0) {
    throw new Error(`${name}: defaultConstraints: Invalid value: when .defaultingType is "System", .defaultConstraints must be empty`);
  }
  return { defaultingType };
}

/** preFilterState: per constraint, domain → matching pods, and the two least loaded domains. */
export class SpreadFilterState implements StateData {
  constructor(
    readonly pod: Pod,
    readonly constraints: readonly SpreadConstraint[],
    readonly requiredAffinity: RequiredNodeAffinity,
    /** Per constraint: 1 when the incoming pod matches the constraint's selector itself. */
    readonly selfMatch: readonly number[],
    readonly counts: Map<string, number>[],
    readonly paths: CriticalPaths[],
  ) {}

  /** minMatchNum: the global minimum, 0 while fewer than minDomains domains are eligible. */
  minMatch(i: number): number {
    return this.counts[i]!.size < this.constraints[i]!.minDomains ? 0 : this.paths[i]!.min;
  }

  /** updateWithPod: `other` appears on (delta 1) or leaves (delta −1) `node`. */
  updateWithPod(other: Pod, node: NodeInfo, delta: number): void {
    const labels = node.node.metadata?.labels;
    if (!nodeHasAllTopologyKeys(labels, this.constraints)) return;
    const namespace = this.pod.metadata?.namespace ?? 'default';
    for (let i = 0; i < this.constraints.length; i++) {
      const c = this.constraints[i]!;
      // Counted as PreFilter counts (not Kubernetes' plain selector match), so add/remove undo each other.
      if (!podCounts(c.selector, other, namespace)) continue;
      if (!nodeIncluded(c, this.pod, node.node, this.requiredAffinity)) continue;
      const value = labelValue(labels, c.topologyKey)!;
      const n = (this.counts[i]!.get(value) ?? 0) + delta;
      this.counts[i]!.set(value, n);
      this.paths[i]!.update(value, n);
    }
  }

  clone(): SpreadFilterState {
    return new SpreadFilterState(
      this.pod,
      this.constraints,
      this.requiredAffinity,
      this.selfMatch,
      this.counts.map((m) => new Map(m)),
      this.paths.map((p) => p.clone()),
    );
  }
}

export class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;

  constructor(
    private readonly handle: Handle,
    readonly args: PodTopologySpreadArgs = parseArgs(undefined),
  ) {}

  preFilter(state: CycleState, pod: Pod): { status: Status; result?: PreFilterResult } {
    const constraints = compileConstraints(pod, 'DoNotSchedule');
    if (constraints.length === 0) return { status: skip() };
    state.write(preFilterStateKey, this.computeFilterState(pod, constraints));
    return { status: success };
  }

  /** calPreFilterState. */
  private computeFilterState(pod: Pod, constraints: readonly SpreadConstraint[]): SpreadFilterState {
    const required = requiredNodeAffinity(pod);
    const namespace = pod.metadata?.namespace ?? 'default';
    const counts = constraints.map(() => new Map<string, number>());
    for (const ni of this.handle.snapshot().list()) {
      const labels = ni.node.metadata?.labels;
      if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
      for (let i = 0; i < constraints.length; i++) {
        const c = constraints[i]!;
        if (!nodeIncluded(c, pod, ni.node, required)) continue;
        const value = labelValue(labels, c.topologyKey)!;
        // A domain with eligible nodes counts even without matching pods (it may be the minimum).
        counts[i]!.set(value, (counts[i]!.get(value) ?? 0) + countMatchingPods(ni.pods, c.selector, namespace));
      }
    }
    const paths = counts.map((m) => {
      const p = new CriticalPaths();
      for (const [value, n] of m) p.update(value, n);
      return p;
    });
    const podLabels = pod.metadata?.labels;
    const selfMatch = constraints.map((c) => (compiledMatches(c.selector, podLabels) ? 1 : 0));
    return new SpreadFilterState(pod, constraints, required, selfMatch, counts, paths);
  }

  filter(state: CycleState, _pod: Pod, node: NodeInfo): Status {
    const s = state.read<SpreadFilterState>(preFilterStateKey);
    if (!s) return error(`reading "${preFilterStateKey}" from cycleState: not found`);
    const labels = node.node.metadata?.labels;
    for (let i = 0; i < s.constraints.length; i++) {
      const c = s.constraints[i]!;
      const value = labelValue(labels, c.topologyKey);
      if (value === undefined) return unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      const skew = (s.counts[i]!.get(value) ?? 0) + s.selfMatch[i]! - s.minMatch(i);
      if (skew > c.maxSkew) return unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
    }
    return success;
  }

  preFilterExtensions(): PreFilterExtensions {
    return extensions;
  }

  events(): readonly ClusterEvent[] {
    return events;
  }

  preScore(state: CycleState, pod: Pod, filtered: readonly NodeInfo[]): Status {
    const all = this.handle.snapshot().list();
    if (filtered.length === 0 || all.length === 0) return skip();
    const s = computeScoreState(pod, filtered, all);
    if (s === undefined) return skip();
    state.write(preScoreStateKey, s);
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    const s = state.read<SpreadScoreState>(preScoreStateKey);
    return s ? scoreNode(s, pod, node) : 0;
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const s = state.read<SpreadScoreState>(preScoreStateKey);
    if (s) normalizeScores(s, scores);
  }
}

function update(state: CycleState, pi: PodInfo, node: NodeInfo, delta: number): Status {
  const s = state.read<SpreadFilterState>(preFilterStateKey);
  if (s) s.updateWithPod(pi.pod, node, delta);
  return success;
}

const extensions: PreFilterExtensions = {
  addPod: (state, _pod, podInfoToAdd, node) => update(state, podInfoToAdd, node, 1),
  removePod: (state, _pod, podInfoToRemove, node) => update(state, podInfoToRemove, node, -1),
};

export const factory: PluginFactory = (args, handle) => new PodTopologySpread(handle, parseArgs(args));
