/**
 * The bookkeeping of InterPodAffinity (interpodaffinity/filtering.go and scoring.go): counts and
 * weights per topology pair (node label key = value), and matching affinity terms against pods
 * with namespace labels looked up once per namespace per scheduling cycle.
 */
import type { Pod } from '../../../api/kinds/core/pod';
import type { AffinityTerm, Handle, WeightedAffinityTerm } from '../../framework/interfaces';
import { affinityTermMatches } from '../../framework/podInfo';
import { labelValue, type Labels } from './labels';

/** topologyToMatchedTermCount: topology key → value → count; `pairs` counts the non-zero pairs. */
export class TopologyCounts {
  readonly byKey = new Map<string, Map<string, number>>();
  pairs = 0;

  add(key: string, value: string, n: number): void {
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map()));
    const before = values.get(value) ?? 0;
    const after = before + n;
    if (after === 0) {
      values.delete(value);
      if (before !== 0) this.pairs--;
    } else {
      values.set(value, after);
      if (before === 0) this.pairs++;
    }
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** Some label pair of the node has a positive count (the node's labels walked, as Kubernetes does; no allocation). */
  anyPositiveFor(nodeLabels: Labels): boolean {
    if (this.pairs === 0 || nodeLabels === undefined) return false;
    for (const key in nodeLabels) {
      const values = this.byKey.get(key);
      if (values !== undefined && (values.get(nodeLabels[key]!) ?? 0) > 0) return true;
    }
    return false;
  }

  /** Adds `n` for the node's value of `key`, if the node has that label. */
  addForNode(labels: Labels, key: string, n: number): void {
    const value = labelValue(labels, key);
    if (value !== undefined) this.add(key, value, n);
  }

  clone(): TopologyCounts {
    const c = new TopologyCounts();
    for (const [key, values] of this.byKey) c.byKey.set(key, new Map(values));
    c.pairs = this.pairs;
    return c;
  }
}

/** Namespace labels, looked up once per namespace per cycle. */
export type NamespaceLabels = (ns: string) => Labels;

export function namespaceLabelsOf(handle: Handle): NamespaceLabels {
  const cache = new Map<string, Labels>();
  return (ns) => {
    if (!cache.has(ns)) cache.set(ns, handle.namespaceLabels?.(ns));
    return cache.get(ns);
  };
}

export function namespaceOf(pod: Pod): string {
  return pod.metadata?.namespace ?? 'default';
}

/** AffinityTerm.Matches of an incoming pod's term against another pod (its namespace's labels when the term has a namespaceSelector). */
export function termMatchesPod(term: AffinityTerm, pod: Pod, nsLabels: NamespaceLabels): boolean {
  return affinityTermMatches(term, pod, term.namespaceSelector === null ? undefined : nsLabels(namespaceOf(pod)));
}

/** podMatchesAllAffinityTerms: false for no terms. */
export function matchesAllTerms(terms: readonly AffinityTerm[], pod: Pod, nsLabels: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  for (const t of terms) if (!termMatchesPod(t, pod, nsLabels)) return false;
  return true;
}

/** The scoreMap of PreScore: topology key → value → summed weight. */
export class TopologyScores {
  // Parallel arrays (key i → its values), so Score walks them without allocating per node.
  private readonly keys: string[] = [];
  private readonly values: Map<string, number>[] = [];

  /** Some term added weight (possibly netting to 0): Kubernetes scores then, else skips. */
  get any(): boolean {
    return this.keys.length > 0;
  }

  private add(key: string, value: string, n: number): void {
    const i = this.keys.indexOf(key);
    let values = this.values[i];
    if (values === undefined) {
      this.keys.push(key);
      this.values.push((values = new Map()));
    }
    values.set(value, (values.get(value) ?? 0) + n);
  }

  /** Score: the summed weights of the node's domains. */
  sumFor(nodeLabels: Labels): number {
    let score = 0;
    for (let i = 0; i < this.keys.length; i++) {
      const v = labelValue(nodeLabels, this.keys[i]!);
      if (v !== undefined) score += this.values[i]!.get(v) ?? 0;
    }
    return score;
  }

  /** processTerm: when `pod` matches `term`, the domain of the existing pod's node gains weight × multiplier. */
  processTerm(term: AffinityTerm, weight: number, pod: Pod, podNsLabels: Labels, nodeLabels: Labels, multiplier: number): void {
    if (!affinityTermMatches(term, pod, podNsLabels)) return;
    const value = labelValue(nodeLabels, term.topologyKey);
    if (value !== undefined) this.add(term.topologyKey, value, weight * multiplier);
  }

  processIncoming(terms: readonly WeightedAffinityTerm[], existing: Pod, nsLabels: NamespaceLabels, nodeLabels: Labels, multiplier: number): void {
    for (const t of terms) {
      const ns = t.namespaceSelector === null ? undefined : nsLabels(namespaceOf(existing));
      this.processTerm(t, t.weight, existing, ns, nodeLabels, multiplier);
    }
  }
}
