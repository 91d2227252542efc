/**
 * InterPodAffinity (Kubernetes' interpodaffinity plugin).
 *
 * PreFilter counts, per topology pair (node label key = value), (1) existing pods whose required
 * anti-affinity terms match the incoming pod, (2) existing pods matching all of the incoming pod's
 * required affinity terms and (3) existing pods matching each of its anti-affinity terms. Filter
 * then only looks up the node's labels in those counts:
 * - affinity: every term's topology key is on the node and its domain holds a matching pod; when no
 *   pod anywhere matches and the pod matches its own terms, it may go (the first pod of a group);
 * - anti-affinity: no domain of the node holds a pod matching one of the pod's anti terms;
 * - existing anti-affinity: no pod in a domain of the node has an anti term matching this pod.
 * Namespaces of a term are its `namespaces` plus those its namespaceSelector selects (labels
 * from the handle). PreFilterExtensions update the counts for pods added/removed in preemption's
 * dry runs.
 *
 * Score: preferred (anti-)affinity of the incoming pod against existing pods, and existing pods'
 * preferred terms and required affinity (hardPodAffinityWeight) against the incoming pod, summed
 * per topology domain, then min-max normalised to 0..100.
 */
import type { Pod } from '../../api/kinds/core/pod';
import {
  MAX_NODE_SCORE,
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
import { affinityTermMatches, newPodInfo } from '../framework/podInfo';
import { argsObject, optionalBoolean, optionalNumber } from './helper/args';
import { labelValue, type Labels } from './helper/labels';
import { TopologyCounts, TopologyScores, matchesAllTerms, namespaceLabelsOf, namespaceOf, termMatchesPod, type NamespaceLabels } from './helper/podAffinity';

export const name = 'InterPodAffinity';

export const ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't satisfy existing pods anti-affinity rules";
export const ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
export const ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze(['PodAdd', 'PodLabelChange', 'PodDelete', 'NodeAdd', 'NodeLabelChange', 'NodeTaintChange'] as const);

/** config.InterPodAffinityArgs, defaulted. */
export interface InterPodAffinityArgs {
  /** The score weight of an existing pod's required affinity term that the incoming pod matches (0..100, default 1). */
  readonly hardPodAffinityWeight: number;
  /** Skip existing pods' preferred terms when the incoming pod has no preferred (anti-)affinity. */
  readonly ignorePreferredTermsOfExistingPods: boolean;
}

export function parseArgs(args: unknown): InterPodAffinityArgs {
  const obj = argsObject(name, args);
  const hardPodAffinityWeight = optionalNumber(name, obj, 'hardPodAffinityWeight') ?? 1;
  if (hardPodAffinityWeight < 0 || hardPodAffinityWeight > 100) throw new Error(`${name}: hardPodAffinityWeight: not in valid range [0-100]`);
  return { hardPodAffinityWeight, ignorePreferredTermsOfExistingPods: optionalBoolean(name, obj, 'ignorePreferredTermsOfExistingPods') ?? false };
}

// ---- filter --------------------------------------------------------------------------------------

/** preFilterState; cloned for preemption's dry runs, which then add/remove pods (updateWithPod). */
class PreFilterState implements StateData {
  constructor(
    readonly podInfo: PodInfo,
    readonly nsLabels: NamespaceLabels,
    /** Existing pods' required anti-affinity terms that match the incoming pod. */
    readonly existingAntiAffinity: TopologyCounts,
    /** Existing pods that match all the incoming pod's required affinity terms. */
    readonly affinity: TopologyCounts,
    /** Existing pods that match one of the incoming pod's required anti-affinity terms. */
    readonly antiAffinity: TopologyCounts,
    /** The incoming pod matches all its own required affinity terms. */
    readonly matchesOwnAffinity: boolean,
  ) {}

  /** Counts `existing` (on `node`) in, with multiplier 1, or out, with −1. */
  updateWithPod(existing: PodInfo, node: NodeInfo, multiplier: number): void {
    const labels = node.node.metadata?.labels;
    this.countExistingAntiAffinity(existing, labels, multiplier);
    this.countIncomingTerms(existing.pod, labels, multiplier);
  }

  /** An existing pod's required anti-affinity terms that match the incoming pod. */
  countExistingAntiAffinity(existing: PodInfo, nodeLabels: Labels, multiplier: number): void {
    const pod = this.podInfo.pod;
    const ownNsLabels = this.nsLabels(namespaceOf(pod));
    for (const term of existing.requiredAntiAffinityTerms) {
      if (affinityTermMatches(term, pod, ownNsLabels)) this.existingAntiAffinity.addForNode(nodeLabels, term.topologyKey, multiplier);
    }
  }

  /** The incoming pod's required (anti-)affinity terms against an existing pod. */
  countIncomingTerms(existing: Pod, nodeLabels: Labels, multiplier: number): void {
    const affinityTerms = this.podInfo.requiredAffinityTerms;
    if (matchesAllTerms(affinityTerms, existing, this.nsLabels)) {
      for (const t of affinityTerms) this.affinity.addForNode(nodeLabels, t.topologyKey, multiplier);
    }
    for (const t of this.podInfo.requiredAntiAffinityTerms) {
      if (termMatchesPod(t, existing, this.nsLabels)) this.antiAffinity.addForNode(nodeLabels, t.topologyKey, multiplier);
    }
  }

  clone(): PreFilterState {
    return new PreFilterState(
      this.podInfo,
      this.nsLabels,
      this.existingAntiAffinity.clone(),
      this.affinity.clone(),
      this.antiAffinity.clone(),
      this.matchesOwnAffinity,
    );
  }
}

function updateState(state: CycleState, pi: PodInfo, node: NodeInfo, multiplier: number): Status {
  state.read<PreFilterState>(preFilterStateKey)?.updateWithPod(pi, node, multiplier);
  return success;
}

const extensions: PreFilterExtensions = {
  addPod: (state, _pod, podInfoToAdd, node) => updateState(state, podInfoToAdd, node, 1),
  removePod: (state, _pod, podInfoToRemove, node) => updateState(state, podInfoToRemove, node, -1),
};

export class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;

  constructor(
    private readonly handle: Handle,
    private readonly args: InterPodAffinityArgs = parseArgs(undefined),
  ) {}

  preFilter(state: CycleState, pod: Pod): { status: Status; result?: PreFilterResult } {
    const snapshot = this.handle.snapshot();
    const nsLabels = namespaceLabelsOf(this.handle);
    const podInfo = newPodInfo(pod);
    const affinityTerms = podInfo.requiredAffinityTerms;
    const antiTerms = podInfo.requiredAntiAffinityTerms;
    const s = new PreFilterState(podInfo, nsLabels, new TopologyCounts(), new TopologyCounts(), new TopologyCounts(), matchesAllTerms(affinityTerms, pod, nsLabels));

    // Existing pods' required anti-affinity against the incoming pod: only pods that have some.
    for (const ni of snapshot.havePodsWithRequiredAntiAffinity()) {
      const labels = ni.node.metadata?.labels;
      for (const existing of ni.podsWithRequiredAntiAffinity) s.countExistingAntiAffinity(existing, labels, 1);
    }
    // Every existing pod against the incoming pod's required terms.
    if (affinityTerms.length > 0 || antiTerms.length > 0) {
      for (const ni of snapshot.list()) {
        const labels = ni.node.metadata?.labels;
        for (const existing of ni.pods) s.countIncomingTerms(existing.pod, labels, 1);
      }
    }

    if (s.existingAntiAffinity.pairs === 0 && affinityTerms.length === 0 && antiTerms.length === 0) return { status: skip() };
    state.write(preFilterStateKey, s);
    return { status: success };
  }

  preFilterExtensions(): PreFilterExtensions {
    return extensions;
  }

  filter(state: CycleState, _pod: Pod, node: NodeInfo): Status {
    const s = state.read<PreFilterState>(preFilterStateKey);
    if (!s) return error(`reading "${preFilterStateKey}" from cycleState: not found`);
    const labels = node.node.metadata?.labels;
    if (!satisfyPodAffinity(s, labels)) return unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyPodAntiAffinity(s, labels)) return unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    if (!satisfyExistingPodsAntiAffinity(s, labels)) return unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    return success;
  }

  // ---- score -------------------------------------------------------------------------------------

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return skip();
    const affinity = pod.spec?.affinity;
    const hasConstraints =
      (affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0 ||
      (affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).length > 0;
    if (this.args.ignorePreferredTermsOfExistingPods && !hasConstraints) return skip();

    const snapshot = this.handle.snapshot();
    // Unless the incoming pod has preferred terms, only pods with affinity can contribute.
    const candidates = hasConstraints ? snapshot.list() : snapshot.havePodsWithAffinity();
    const podInfo = newPodInfo(pod);
    const nsLabels = namespaceLabelsOf(this.handle);
    const ownNsLabels = nsLabels(namespaceOf(pod));
    const scores = new TopologyScores();
    const hard = this.args.hardPodAffinityWeight;

    for (const ni of candidates) {
      const labels = ni.node.metadata?.labels;
      if (!labels || Object.keys(labels).length === 0) continue;
      const existingPods = hasConstraints ? ni.pods : ni.podsWithAffinity;
      for (const existing of existingPods) {
        // The incoming pod's preferred terms against the existing pod.
        scores.processIncoming(podInfo.preferredAffinityTerms, existing.pod, nsLabels, labels, 1);
        scores.processIncoming(podInfo.preferredAntiAffinityTerms, existing.pod, nsLabels, labels, -1);
        // The existing pod's terms against the incoming pod.
        if (hard > 0) {
          for (const t of existing.requiredAffinityTerms) scores.processTerm(t, hard, pod, ownNsLabels, labels, 1);
        }
        for (const t of existing.preferredAffinityTerms) scores.processTerm(t, t.weight, pod, ownNsLabels, labels, 1);
        for (const t of existing.preferredAntiAffinityTerms) scores.processTerm(t, t.weight, pod, ownNsLabels, labels, -1);
      }
    }
    if (!scores.any) return skip();
    state.write(preScoreStateKey, scores);
    return success;
  }

  score(state: CycleState, _pod: Pod, node: NodeInfo): number {
    const s = state.read<TopologyScores>(preScoreStateKey);
    return s ? s.sumFor(node.node.metadata?.labels) : 0;
  }

  normalizeScore(state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    const s = state.read<TopologyScores>(preScoreStateKey);
    if (!s || !s.any) return;
    let min = Infinity;
    let max = -Infinity;
    for (const sc of scores) {
      if (sc.score > max) max = sc.score;
      if (sc.score < min) min = sc.score;
    }
    const diff = max - min;
    for (const sc of scores) sc.score = diff > 0 ? Math.trunc(MAX_NODE_SCORE * ((sc.score - min) / diff)) : 0;
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

// ---- filter predicates ---------------------------------------------------------------------------

/** satisfyPodAffinity: every term's key on the node, and its domain holds a match (or the first-pod exception). */
function satisfyPodAffinity(s: PreFilterState, labels: Labels): boolean {
  let podsExist = true;
  for (const term of s.podInfo.requiredAffinityTerms) {
    const value = labelValue(labels, term.topologyKey);
    // All topology labels must exist on the node.
    if (value === undefined) return false;
    if (s.affinity.get(term.topologyKey, value) <= 0) podsExist = false;
  }
  if (podsExist) return true;
  // The first pod of a group with affinity to itself: nothing matches anywhere and it matches its
  // own terms, so it is allowed rather than left pending forever.
  return s.affinity.pairs === 0 && s.matchesOwnAffinity;
}

function satisfyPodAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  if (s.antiAffinity.pairs === 0) return true;
  for (const term of s.podInfo.requiredAntiAffinityTerms) {
    const value = labelValue(labels, term.topologyKey);
    if (value !== undefined && s.antiAffinity.get(term.topologyKey, value) > 0) return false;
  }
  return true;
}

function satisfyExistingPodsAntiAffinity(s: PreFilterState, labels: Labels): boolean {
  return !s.existingAntiAffinity.anyPositiveFor(labels);
}

export const factory: PluginFactory = (args, handle) => new InterPodAffinity(handle, parseArgs(args));
