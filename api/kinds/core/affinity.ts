/**
 * core/v1 scheduling affinity: node affinity (node selector terms) and inter-pod (anti-)affinity,
 * with Kubernetes' v1.32 validation (validateAffinity and its helpers), paths and messages.
 */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import { child, index, type FieldPath } from '../../field/path';
import * as s from '../../schema/schema';
import { validateLabelSelector } from '../../validation/labelSelector';
import { isDNS1123Label, isDNS1123Subdomain, isQualifiedName } from '../../validation/names';
import { LabelSelector } from '../meta';

export const NodeSelectorRequirement = s.object(
  'io.k8s.api.core.v1.NodeSelectorRequirement',
  'A node selector requirement is a selector that contains values, a key, and an operator that relates the key and values.',
  {
    key: s.string('The label key that the selector applies to.'),
    operator: s.string("Represents a key's relationship to a set of values. Valid operators are In, NotIn, Exists, DoesNotExist. Gt, and Lt."),
    values: s.array(
      s.string(),
      'An array of string values. If the operator is In or NotIn, the values array must be non-empty. If the operator is Exists or DoesNotExist, the values array must be empty. If the operator is Gt or Lt, the values array must have a single element, which will be interpreted as an integer.',
      { listType: 'atomic' },
    ),
  },
  { required: ['key', 'operator'] },
);
export type NodeSelectorRequirement = s.Static<typeof NodeSelectorRequirement>;

export const NodeSelectorTerm = s.object(
  'io.k8s.api.core.v1.NodeSelectorTerm',
  'A null or empty node selector term matches no objects. The requirements of them are ANDed.',
  {
    matchExpressions: s.array(NodeSelectorRequirement, "A list of node selector requirements by node's labels.", { listType: 'atomic' }),
    matchFields: s.array(NodeSelectorRequirement, "A list of node selector requirements by node's fields.", { listType: 'atomic' }),
  },
).with({ mapType: 'atomic' });
export type NodeSelectorTerm = s.Static<typeof NodeSelectorTerm>;

export const NodeSelector = s.object(
  'io.k8s.api.core.v1.NodeSelector',
  'A node selector represents the union of the results of one or more label queries over a set of nodes; that is, it represents the OR of the selectors represented by the node selector terms.',
  {
    nodeSelectorTerms: s.array(NodeSelectorTerm, 'Required. A list of node selector terms. The terms are ORed.', { listType: 'atomic' }),
  },
  { required: ['nodeSelectorTerms'] },
).with({ mapType: 'atomic' });
export type NodeSelector = s.Static<typeof NodeSelector>;

export const PreferredSchedulingTerm = s.object(
  'io.k8s.api.core.v1.PreferredSchedulingTerm',
  "An empty preferred scheduling term matches all objects with implicit weight 0 (i.e. it's a no-op). A null preferred scheduling term matches no objects (i.e. is also a no-op).",
  {
    preference: NodeSelectorTerm.doc('A node selector term, associated with the corresponding weight.'),
    weight: s.int32('Weight associated with matching the corresponding nodeSelectorTerm, in the range 1-100.'),
  },
  { required: ['weight', 'preference'] },
);
export type PreferredSchedulingTerm = s.Static<typeof PreferredSchedulingTerm>;

const preferredText = (what: string) =>
  `The scheduler will prefer to schedule pods to nodes that satisfy the ${what} expressions specified by this field, but it may choose a node that violates one or more of the expressions. The node that is most preferred is the one with the greatest sum of weights.`;

export const NodeAffinity = s.object('io.k8s.api.core.v1.NodeAffinity', 'Node affinity is a group of node affinity scheduling rules.', {
  preferredDuringSchedulingIgnoredDuringExecution: s.array(PreferredSchedulingTerm, preferredText('affinity'), { listType: 'atomic' }),
  requiredDuringSchedulingIgnoredDuringExecution: NodeSelector.doc(
    'If the affinity requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. If they cease to be met during pod execution, the system may or may not try to eventually evict the pod from its node.',
  ),
});
export type NodeAffinity = s.Static<typeof NodeAffinity>;

export const PodAffinityTerm = s.object(
  'io.k8s.api.core.v1.PodAffinityTerm',
  'Defines a set of pods (namely those matching the labelSelector relative to the given namespace(s)) that this pod should be co-located (affinity) or not co-located (anti-affinity) with, where co-located is defined as running on a node whose value of the label with key <topologyKey> matches that of any node on which a pod of the set of pods is running',
  {
    labelSelector: LabelSelector.doc("A label query over a set of resources, in this case pods. If it's null, this PodAffinityTerm matches with no Pods."),
    matchLabelKeys: s.array(
      s.string(),
      "MatchLabelKeys is a set of pod label keys whose values in the incoming pod are merged with `labelSelector` as `key in (value)` to select the existing pods considered for the incoming pod's pod (anti) affinity. matchLabelKeys cannot be set when labelSelector isn't set.",
      { listType: 'atomic' },
    ),
    mismatchLabelKeys: s.array(
      s.string(),
      "MismatchLabelKeys is a set of pod label keys whose values in the incoming pod are merged with `labelSelector` as `key notin (value)` to select the existing pods considered for the incoming pod's pod (anti) affinity. mismatchLabelKeys cannot be set when labelSelector isn't set.",
      { listType: 'atomic' },
    ),
    namespaceSelector: LabelSelector.doc(
      'A label query over the set of namespaces that the term applies to. The term is applied to the union of the namespaces selected by this field and the ones listed in the namespaces field. An empty selector ({}) matches all namespaces.',
    ),
    namespaces: s.array(
      s.string(),
      'namespaces specifies a static list of namespace names that the term applies to. null or empty namespaces list and null namespaceSelector means "this pod\'s namespace".',
      { listType: 'atomic' },
    ),
    topologyKey: s.string(
      'This pod should be co-located (affinity) or not co-located (anti-affinity) with the pods matching the labelSelector in the specified namespaces, where co-located is defined as running on a node whose value of the label with key topologyKey matches that of any node on which any of the selected pods is running. Empty topologyKey is not allowed.',
    ),
  },
  { required: ['topologyKey'] },
);
export type PodAffinityTerm = s.Static<typeof PodAffinityTerm>;

export const WeightedPodAffinityTerm = s.object(
  'io.k8s.api.core.v1.WeightedPodAffinityTerm',
  'The weights of all of the matched WeightedPodAffinityTerm fields are added per-node to find the most preferred node(s)',
  {
    podAffinityTerm: PodAffinityTerm.doc('Required. A pod affinity term, associated with the corresponding weight.'),
    weight: s.int32('weight associated with matching the corresponding podAffinityTerm, in the range 1-100.'),
  },
  { required: ['weight', 'podAffinityTerm'] },
);
export type WeightedPodAffinityTerm = s.Static<typeof WeightedPodAffinityTerm>;

const requiredText = (what: string) =>
  `If the ${what} requirements specified by this field are not met at scheduling time, the pod will not be scheduled onto the node. When there are multiple elements, the lists of nodes corresponding to each podAffinityTerm are intersected, i.e. all terms must be satisfied.`;

export const PodAffinity = s.object('io.k8s.api.core.v1.PodAffinity', 'Pod affinity is a group of inter pod affinity scheduling rules.', {
  preferredDuringSchedulingIgnoredDuringExecution: s.array(WeightedPodAffinityTerm, preferredText('affinity'), { listType: 'atomic' }),
  requiredDuringSchedulingIgnoredDuringExecution: s.array(PodAffinityTerm, requiredText('affinity'), { listType: 'atomic' }),
});
export type PodAffinity = s.Static<typeof PodAffinity>;

export const PodAntiAffinity = s.object('io.k8s.api.core.v1.PodAntiAffinity', 'Pod anti affinity is a group of inter pod anti affinity scheduling rules.', {
  preferredDuringSchedulingIgnoredDuringExecution: s.array(WeightedPodAffinityTerm, preferredText('anti-affinity'), { listType: 'atomic' }),
  requiredDuringSchedulingIgnoredDuringExecution: s.array(PodAffinityTerm, requiredText('anti-affinity'), { listType: 'atomic' }),
});
export type PodAntiAffinity = s.Static<typeof PodAntiAffinity>;

export const Affinity = s.object('io.k8s.api.core.v1.Affinity', 'Affinity is a group of affinity scheduling rules.', {
  nodeAffinity: NodeAffinity.doc('Describes node affinity scheduling rules for the pod.'),
  podAffinity: PodAffinity.doc('Describes pod affinity scheduling rules (e.g. co-locate this pod in the same node, zone, etc. as some other pod(s)).'),
  podAntiAffinity: PodAntiAffinity.doc('Describes pod anti-affinity scheduling rules (e.g. avoid putting this pod in the same node, zone, etc. as some other pod(s)).'),
});
export type Affinity = s.Static<typeof Affinity>;

// ---- validation --------------------------------------------------------------------------------

function labelName(key: string, path: FieldPath): FieldError[] {
  return isQualifiedName(key).map((msg) => field.invalid(path, key, msg));
}

/** ValidateNodeSelectorRequirement (label values are not checked for node affinity, as upstream). */
export function validateNodeSelectorRequirement(req: NodeSelectorRequirement, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  switch (req.operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(field.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(field.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(field.required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(field.invalid(child(path, 'operator'), req.operator, 'not a valid selector operator'));
  }
  errs.push(...labelName(req.key, child(path, 'key')));
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only `metadata.name In/NotIn <one node name>`. */
function validateNodeFieldSelectorRequirement(req: NodeSelectorRequirement, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  const values = req.values ?? [];
  if (req.operator === 'In' || req.operator === 'NotIn') {
    if (values.length !== 1) errs.push(field.required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(field.invalid(child(path, 'operator'), req.operator, 'not a valid selector operator'));
  }
  if (req.key !== 'metadata.name') {
    errs.push(field.invalid(child(path, 'key'), req.key, 'not a valid field selector key'));
  } else {
    values.forEach((v, i) => {
      for (const msg of isDNS1123Subdomain(v)) errs.push(field.invalid(index(child(path, 'values'), i), v, msg));
    });
  }
  return errs;
}

export function validateNodeSelectorTerm(term: NodeSelectorTerm, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (term.matchExpressions ?? []).forEach((req, j) => errs.push(...validateNodeSelectorRequirement(req, index(child(path, 'matchExpressions'), j))));
  (term.matchFields ?? []).forEach((req, j) => errs.push(...validateNodeFieldSelectorRequirement(req, index(child(path, 'matchFields'), j))));
  return errs;
}

/** ValidateNodeSelector: at least one term, each valid. */
export function validateNodeSelector(selector: NodeSelector, path: FieldPath): FieldError[] {
  const termsPath = child(path, 'nodeSelectorTerms');
  if (selector.nodeSelectorTerms.length === 0) return [field.required(termsPath, 'must have at least one node selector term')];
  return selector.nodeSelectorTerms.flatMap((term, i) => validateNodeSelectorTerm(term, index(termsPath, i)));
}

function weight(value: number, path: FieldPath): FieldError[] {
  return value <= 0 || value > 100 ? [field.invalid(path, value, 'must be in the range 1-100')] : [];
}

function validateNodeAffinity(na: NodeAffinity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  if (na.requiredDuringSchedulingIgnoredDuringExecution) {
    errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, child(path, 'requiredDuringSchedulingIgnoredDuringExecution')));
  }
  (na.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
    const at = index(child(path, 'preferredDuringSchedulingIgnoredDuringExecution'), i);
    errs.push(...weight(term.weight, child(at, 'weight')));
    errs.push(...validateNodeSelectorTerm(term.preference, child(at, 'preference')));
  });
  return errs;
}

function validateLabelKeys(keys: readonly string[], selector: PodAffinityTerm['labelSelector'], path: FieldPath): FieldError[] {
  if (!selector) return keys.length > 0 ? [field.forbidden(path, 'must not be specified when labelSelector is not set')] : [];
  return keys.flatMap((key, i) => labelName(key, index(path, i)));
}

function validatePodAffinityTerm(term: PodAffinityTerm, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [
    ...validateLabelSelector(term.labelSelector, child(path, 'labelSelector')),
    ...validateLabelSelector(term.namespaceSelector, child(path, 'namespaceSelector')),
  ];
  // Kubernetes reports bad namespace names at `namespace` (singular).
  for (const name of term.namespaces ?? []) for (const msg of isDNS1123Label(name)) errs.push(field.invalid(child(path, 'namespace'), name, msg));
  const matchKeys = term.matchLabelKeys ?? [];
  const mismatchKeys = term.mismatchLabelKeys ?? [];
  errs.push(...validateLabelKeys(matchKeys, term.labelSelector, child(path, 'matchLabelKeys')));
  errs.push(...validateLabelKeys(mismatchKeys, term.labelSelector, child(path, 'mismatchLabelKeys')));
  matchKeys.forEach((k, i) => {
    if (mismatchKeys.includes(k)) errs.push(field.invalid(index(child(path, 'matchLabelKeys'), i), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  });
  if (term.topologyKey === '') errs.push(field.required(child(path, 'topologyKey'), 'can not be empty'));
  errs.push(...labelName(term.topologyKey, child(path, 'topologyKey')));
  return errs;
}

function validatePodAffinityRules(rules: PodAffinity | PodAntiAffinity, path: FieldPath): FieldError[] {
  const errs: FieldError[] = [];
  (rules.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, i) => {
    errs.push(...validatePodAffinityTerm(term, index(child(path, 'requiredDuringSchedulingIgnoredDuringExecution'), i)));
  });
  (rules.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((term, j) => {
    const at = index(child(path, 'preferredDuringSchedulingIgnoredDuringExecution'), j);
    errs.push(...weight(term.weight, child(at, 'weight')));
    errs.push(...validatePodAffinityTerm(term.podAffinityTerm, child(at, 'podAffinityTerm')));
  });
  return errs;
}

/** validateAffinity: node affinity, pod affinity and pod anti-affinity of a pod spec. */
export function validateAffinity(affinity: Affinity | undefined, path: FieldPath): FieldError[] {
  if (!affinity) return [];
  const errs: FieldError[] = [];
  if (affinity.nodeAffinity) errs.push(...validateNodeAffinity(affinity.nodeAffinity, child(path, 'nodeAffinity')));
  if (affinity.podAffinity) errs.push(...validatePodAffinityRules(affinity.podAffinity, child(path, 'podAffinity')));
  if (affinity.podAntiAffinity) errs.push(...validatePodAffinityRules(affinity.podAntiAffinity, child(path, 'podAntiAffinity')));
  return errs;
}
