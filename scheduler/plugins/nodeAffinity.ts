/**
 * NodeAffinity (Kubernetes' nodeaffinity plugin).
 *
 * PreFilter compiles the pod's spec.nodeSelector and required node affinity once, and narrows the
 * nodes to those named by matchFields `metadata.name In (...)` when every term names nodes.
 * Filter checks the scheduler-enforced addedAffinity (args) and the pod's required affinity.
 * Score sums the weights of the preferred terms a node matches (pod's and addedAffinity's),
 * normalised so the best node scores 100.
 */
import type { NodeAffinity as NodeAffinitySpec, NodeSelectorRequirement, NodeSelectorTerm } from '../../api/kinds/core/affinity';
import type { Pod } from '../../api/kinds/core/pod';
import {
  error,
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
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ScorePlugin,
  type Status,
} from '../framework/interfaces';
import { argsObject, isObject } from './helper/args';
import {
  OBJECT_NAME_FIELD,
  compileAddedAffinity,
  compilePreferredTerms,
  nodeSelectorMatches,
  preferredTermsScore,
  requiredNodeAffinity,
  requiredNodeAffinityMatches,
  type AddedAffinity,
  type RequiredNodeAffinity,
  type WeightedTerm,
} from './helper/nodeAffinity';
import { defaultNormalizeScore } from './helper/normalize';

export const name = 'NodeAffinity';

export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
export const ERR_REASON_ENFORCED = "node(s) didn't match scheduler-enforced node affinity";
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

const preFilterStateKey = 'PreFilter' + name;
const preScoreStateKey = 'PreScore' + name;
const events: readonly ClusterEvent[] = Object.freeze(['NodeAdd', 'NodeLabelChange', 'NodeTaintChange'] as const);

/** NodeAffinityArgs. */
export interface NodeAffinityArgs {
  /** Node affinity every pod of the profile must also satisfy (required) and prefers (preferred). */
  readonly addedAffinity?: NodeAffinitySpec;
}

function isRequirementList(v: unknown): v is NodeSelectorRequirement[] {
  return Array.isArray(v) && v.every((r) => isObject(r) && typeof r['key'] === 'string' && typeof r['operator'] === 'string' && (r['values'] === undefined || (Array.isArray(r['values']) && (r['values'] as unknown[]).every((x) => typeof x === 'string'))));
}

function isTerm(v: unknown): v is NodeSelectorTerm {
  return isObject(v) && (v['matchExpressions'] === undefined || isRequirementList(v['matchExpressions'])) && (v['matchFields'] === undefined || isRequirementList(v['matchFields']));
}

/** Checks and reads NodeAffinityArgs. */
export function parseArgs(args: unknown): NodeAffinityArgs {
  const obj = argsObject(name, args);
  const added = obj['addedAffinity'];
  if (added === undefined || added === null) return {};
  if (!isObject(added)) throw new Error(`${name}: addedAffinity must be an object`);
  const req = added['requiredDuringSchedulingIgnoredDuringExecution'];
  if (req !== undefined && !(isObject(req) && Array.isArray(req['nodeSelectorTerms']) && (req['nodeSelectorTerms'] as unknown[]).every(isTerm))) {
    throw new Error(`${name}: addedAffinity.requiredDuringSchedulingIgnoredDuringExecution must be a NodeSelector`);
  }
  const pref = added['preferredDuringSchedulingIgnoredDuringExecution'];
  if (pref !== undefined && !(Array.isArray(pref) && pref.every((p) => isObject(p) && typeof p['weight'] === 'number' && p['weight'] >= 1 && p['weight'] <= 100 && isTerm(p['preference'])))) {
    throw new Error(`${name}: addedAffinity.preferredDuringSchedulingIgnoredDuringExecution must be weighted (1..100) node selector terms`);
  }
  return { addedAffinity: added as NodeAffinitySpec };
}

/**
 * The node names a required node affinity restricts the pod to: for each term the intersection of
 * its `metadata.name In` fields, unioned over the terms; undefined when some term names no node
 * (then every node is a candidate).
 */
export function nodeNamesOf(terms: readonly NodeSelectorTerm[]): Set<string> | undefined {
  let names: Set<string> | undefined;
  for (const t of terms) {
    let termNames: Set<string> | undefined;
    for (const r of t.matchFields ?? []) {
      if (r.key !== OBJECT_NAME_FIELD || r.operator !== 'In') continue;
      const s = new Set(r.values ?? []);
      termNames = termNames === undefined ? s : new Set([...termNames].filter((n) => s.has(n)));
    }
    if (termNames === undefined) return undefined;
    names = names === undefined ? termNames : new Set([...names, ...termNames]);
  }
  return names;
}

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = name;
  private readonly added: AddedAffinity;

  constructor(args: NodeAffinityArgs = {}) {
    this.added = compileAddedAffinity(args.addedAffinity);
  }

  preFilter(state: CycleState, pod: Pod): { status: Status; result?: PreFilterResult } {
    const required = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
    if (!required && this.added.required === null && !pod.spec?.nodeSelector) return { status: skip() };
    state.write(preFilterStateKey, requiredNodeAffinity(pod));
    const terms = required?.nodeSelectorTerms ?? [];
    if (terms.length === 0) return { status: success };
    const names = nodeNamesOf(terms);
    if (names === undefined) return { status: success };
    // Every term names nodes, and the names of each term conflict: no node can match.
    if (names.size === 0) return { status: unresolvable(ERR_REASON_CONFLICT) };
    return { status: success, result: { nodeNames: names } };
  }

  filter(state: CycleState, pod: Pod, node: NodeInfo): Status {
    if (this.added.required !== null && !nodeSelectorMatches(this.added.required, node.node)) return unresolvable(ERR_REASON_ENFORCED);
    const required = state.read<RequiredNodeAffinity>(preFilterStateKey) ?? requiredNodeAffinity(pod);
    return requiredNodeAffinityMatches(required, node.node) ? success : unresolvable(ERR_REASON_POD);
  }

  preScore(state: CycleState, pod: Pod, nodes: readonly NodeInfo[]): Status {
    if (nodes.length === 0) return success;
    const preferred = preferredOf(pod);
    if (typeof preferred === 'string') return error(preferred);
    if (preferred === null && this.added.preferred === null) return skip();
    state.write(preScoreStateKey, preferred);
    return success;
  }

  score(state: CycleState, pod: Pod, node: NodeInfo): number {
    let count = 0;
    if (this.added.preferred !== null) count += preferredTermsScore(this.added.preferred, node.node);
    let preferred = state.read<WeightedTerm[] | null>(preScoreStateKey);
    if (preferred === undefined) {
      const p = preferredOf(pod);
      preferred = typeof p === 'string' ? null : p;
    }
    if (preferred !== null) count += preferredTermsScore(preferred, node.node);
    return count;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(scores, false);
  }

  events(): readonly ClusterEvent[] {
    return events;
  }
}

/** The pod's compiled preferred node affinity terms; null when it has none; a string on a parse error. */
function preferredOf(pod: Pod): WeightedTerm[] | null | string {
  const terms = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution;
  return terms ? compilePreferredTerms(terms) : null;
}

export const factory: PluginFactory = (args) => new NodeAffinity(parseArgs(args));
