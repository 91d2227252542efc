/**
 * PodInfo: a pod with what the scheduler derives from it once (requests, compiled affinity terms),
 * so that nodes and plugins never recompute them per node (framework.NewPodInfo).
 */
import type { Pod } from '../../api/kinds/core/pod';
import type { PodAffinityTerm, WeightedPodAffinityTerm } from '../../api/kinds/core/affinity';
import type { LabelSelector } from '../../api/kinds/meta';
import { fromLabelSelector, matches, type Requirement } from '../../api/labels/selector';
import type { AffinityTerm, CompiledSelector, PodInfo, WeightedAffinityTerm } from './interfaces';
import { computePodRequests } from './resources';

export function newPodInfo(pod: Pod): PodInfo {
  const affinity = pod.spec?.affinity;
  const podAffinity = affinity?.podAffinity;
  const podAntiAffinity = affinity?.podAntiAffinity;
  return {
    pod,
    requests: computePodRequests(pod, false),
    nonZeroRequests: computePodRequests(pod, true),
    requiredAffinityTerms: (podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileAffinityTerm(pod, t)),
    requiredAntiAffinityTerms: (podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileAffinityTerm(pod, t)),
    preferredAffinityTerms: (podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileWeightedTerm(pod, t)),
    preferredAntiAffinityTerms: (podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t) => compileWeightedTerm(pod, t)),
  };
}

/** metav1.LabelSelectorAsSelector: a missing selector selects nothing, {} selects everything. */
export function compileSelector(selector: LabelSelector | undefined): CompiledSelector {
  return selector === undefined || selector === null ? null : fromLabelSelector(selector);
}

/** True when `selector` selects `labels`. */
export function selectorMatches(selector: CompiledSelector, labels: Readonly<Record<string, string>> | undefined): boolean {
  return selector !== null && matches(selector, labels);
}

/**
 * Compiles a PodAffinityTerm for `pod`. matchLabelKeys / mismatchLabelKeys are merged into the
 * selector with the pod's own label values (Kubernetes' API server does this at creation; Marina's
 * does not, so the scheduler does; keys the pod lacks are ignored).
 */
export function compileAffinityTerm(pod: Pod, term: PodAffinityTerm): AffinityTerm {
  let selector = compileSelector(term.labelSelector);
  if (selector !== null) {
    const labels = pod.metadata?.labels ?? {};
    const extra: Requirement[] = [];
    for (const key of term.matchLabelKeys ?? []) {
      if (key in labels) extra.push({ key, operator: 'In', values: [labels[key]!] });
    }
    for (const key of term.mismatchLabelKeys ?? []) {
      if (key in labels) extra.push({ key, operator: 'NotIn', values: [labels[key]!] });
    }
    if (extra.length) selector = [...selector, ...extra];
  }
  const namespaces = new Set<string>();
  if ((term.namespaces ?? []).length === 0 && term.namespaceSelector === undefined) namespaces.add(pod.metadata?.namespace ?? 'default');
  else for (const ns of term.namespaces ?? []) namespaces.add(ns);
  return { namespaces, selector, namespaceSelector: compileSelector(term.namespaceSelector), topologyKey: term.topologyKey };
}

function compileWeightedTerm(pod: Pod, term: WeightedPodAffinityTerm): WeightedAffinityTerm {
  return { ...compileAffinityTerm(pod, term.podAffinityTerm), weight: term.weight };
}

/**
 * AffinityTerm.Matches: the pod is in one of the term's namespaces (by name, or by the
 * namespace selector against `namespaceLabels`) and its labels match the selector.
 */
export function affinityTermMatches(term: AffinityTerm, pod: Pod, namespaceLabels: Readonly<Record<string, string>> | undefined): boolean {
  const ns = pod.metadata?.namespace ?? 'default';
  if (term.namespaces.has(ns) || (term.namespaceSelector !== null && matches(term.namespaceSelector, namespaceLabels ?? {}))) {
    return selectorMatches(term.selector, pod.metadata?.labels);
  }
  return false;
}
