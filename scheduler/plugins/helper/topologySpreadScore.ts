/**
 * PodTopologySpread's Score half (podtopologyspread/scoring.go), for ScheduleAnyway constraints.
 *
 * PreScore finds the domains of the filtered nodes and counts the matching pods in each over all
 * eligible nodes; constraints on kubernetes.io/hostname are counted per node in Score instead.
 * A node's raw score is Σ (pods in its domain × log(domains + 2) + maxSkew − 1): lower is better,
 * and nodes lacking a topology key are "ignored" (they end with 0).
 */
import type { Pod } from '../../../api/kinds/core/pod';
import { MAX_NODE_SCORE, type NodeInfo, type NodeScore } from '../../framework/interfaces';
import { labelValue } from './labels';
import { requiredNodeAffinity } from './nodeAffinity';
import { LABEL_HOSTNAME, compileConstraints, countMatchingPods, nodeHasAllTopologyKeys, nodeIncluded, type SpreadConstraint } from './topologySpread';

/** preScoreState. */
export interface SpreadScoreState {
  readonly constraints: readonly SpreadConstraint[];
  /** Filtered nodes without every topology key. */
  readonly ignoredNodes: ReadonlySet<string>;
  /** Per constraint: domain → matching pods (absent for hostname constraints). */
  readonly counts: readonly Map<string, number>[];
  /** Per constraint: log(number of domains + 2), so small topologies are not watered down by big ones. */
  readonly weights: readonly number[];
  readonly namespace: string;
}

/** The PreScore state; undefined when the pod has no ScheduleAnyway constraint (Skip). */
export function computeScoreState(pod: Pod, filtered: readonly NodeInfo[], all: readonly NodeInfo[]): SpreadScoreState | undefined {
  const constraints = compileConstraints(pod, 'ScheduleAnyway');
  if (constraints.length === 0) return undefined;
  const ignoredNodes = new Set<string>();
  const counts = constraints.map(() => new Map<string, number>());
  for (const ni of filtered) {
    const labels = ni.node.metadata?.labels;
    if (!nodeHasAllTopologyKeys(labels, constraints)) {
      ignoredNodes.add(ni.name);
      continue;
    }
    for (let i = 0; i < constraints.length; i++) {
      if (constraints[i]!.topologyKey === LABEL_HOSTNAME) continue;
      const value = labelValue(labels, constraints[i]!.topologyKey)!;
      if (!counts[i]!.has(value)) counts[i]!.set(value, 0);
    }
  }
  const weights = constraints.map((c, i) => Math.log((c.topologyKey === LABEL_HOSTNAME ? filtered.length - ignoredNodes.size : counts[i]!.size) + 2));

  const namespace = pod.metadata?.namespace ?? 'default';
  const required = requiredNodeAffinity(pod);
  for (const ni of all) {
    const labels = ni.node.metadata?.labels;
    if (!nodeHasAllTopologyKeys(labels, constraints)) continue;
    for (let i = 0; i < constraints.length; i++) {
      const c = constraints[i]!;
      if (!nodeIncluded(c, pod, ni.node, required)) continue;
      const value = labelValue(labels, c.topologyKey)!;
      const n = counts[i]!.get(value);
      // Only domains of candidate nodes matter (hostname constraints have none: counted in Score).
      if (n === undefined) continue;
      counts[i]!.set(value, n + countMatchingPods(ni.pods, c.selector, namespace));
    }
  }
  return { constraints, ignoredNodes, counts, weights, namespace };
}

/** Score: the raw (lower is better) score of one node, rounded. */
export function scoreNode(s: SpreadScoreState, _pod: Pod, node: NodeInfo): number {
  if (s.ignoredNodes.has(node.name)) return 0;
  const labels = node.node.metadata?.labels;
  let score = 0;
  for (let i = 0; i < s.constraints.length; i++) {
    const c = s.constraints[i]!;
    const value = labelValue(labels, c.topologyKey);
    if (value === undefined) continue;
    const count = c.topologyKey === LABEL_HOSTNAME ? countMatchingPods(node.pods, c.selector, s.namespace) : s.counts[i]!.get(value) ?? 0;
    score += count * s.weights[i]! + (c.maxSkew - 1);
  }
  return Math.round(score);
}

/**
 * NormalizeScore: reversed onto 0..100 as MAX × (max + min − score) / max (integer division);
 * ignored nodes get 0; all zero → every node 100.
 */
export function normalizeScores(s: SpreadScoreState, scores: NodeScore[]): void {
  let min = Number.MAX_SAFE_INTEGER;
  let max = 0;
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) continue;
    if (sc.score < min) min = sc.score;
    if (sc.score > max) max = sc.score;
  }
  for (const sc of scores) {
    if (s.ignoredNodes.has(sc.name)) sc.score = 0;
    else if (max === 0) sc.score = MAX_NODE_SCORE;
    else sc.score = Math.trunc((MAX_NODE_SCORE * (max + min - sc.score)) / max);
  }
}
