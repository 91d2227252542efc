/** policy/v1 PodDisruptionBudget: the maximum disruption a collection of pods may suffer. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { validateLabelSelector } from '../../validation/labelSelector';
import { validateIntOrPercent, validateNonnegativeFields, validateNotMoreThan100Percent } from '../apps/workload';
import { defineKind } from '../kind';
import { Condition, conditionListSemantics, LabelSelector, topLevelObject } from '../meta';

export const PodDisruptionBudgetSpec = s.object('io.k8s.api.policy.v1.PodDisruptionBudgetSpec', 'PodDisruptionBudgetSpec is a description of a PodDisruptionBudget.', {
  maxUnavailable: s.intOrString('An eviction is allowed if at most "maxUnavailable" pods selected by "selector" are unavailable after the eviction, i.e. even in absence of the evicted pod. Mutually exclusive with "minAvailable".'),
  minAvailable: s.intOrString('An eviction is allowed if at least "minAvailable" pods selected by "selector" will still be available after the eviction, i.e. even in the absence of the evicted pod. So for example you can prevent all voluntary evictions by specifying "100%".'),
  selector: LabelSelector.doc('Label query over pods whose evictions are managed by the disruption budget. A null selector will match no pods, while an empty ({}) selector will select all pods within the namespace.').with({ patchStrategy: 'replace' }),
  unhealthyPodEvictionPolicy: s.enumOf(['AlwaysAllow', 'IfHealthyBudget'], 'UnhealthyPodEvictionPolicy defines the criteria for when unhealthy pods should be considered for eviction: IfHealthyBudget (the default behavior when unset) or AlwaysAllow.'),
});
export type PodDisruptionBudgetSpec = s.Static<typeof PodDisruptionBudgetSpec>;

export const PodDisruptionBudgetStatus = s.object(
  'io.k8s.api.policy.v1.PodDisruptionBudgetStatus',
  'PodDisruptionBudgetStatus represents information about the status of a PodDisruptionBudget. Status may trail the actual state of a system.',
  {
    conditions: s.array(Condition, 'Conditions contain conditions for PDB. The disruption controller sets the DisruptionAllowed condition.', conditionListSemantics),
    currentHealthy: s.int32('current number of healthy pods'),
    desiredHealthy: s.int32('minimum desired number of healthy pods'),
    disruptedPods: s.map(s.time(), 'DisruptedPods contains information about pods whose eviction was processed by the API server eviction subresource handler but has not yet been observed by the PodDisruptionBudget controller. The key in the map is the name of the pod and the value is the time when the API server processed the eviction request.'),
    disruptionsAllowed: s.int32('Number of pod disruptions that are currently allowed.'),
    expectedPods: s.int32('total number of pods counted by this disruption budget'),
    observedGeneration: s.int64("Most recent generation observed when updating this PDB status. DisruptionsAllowed and other status information is valid only if observedGeneration equals to PDB's object generation."),
  },
  { required: ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods'] },
);
export type PodDisruptionBudgetStatus = s.Static<typeof PodDisruptionBudgetStatus>;

export const PodDisruptionBudget = topLevelObject(
  'io.k8s.api.policy.v1.PodDisruptionBudget',
  'PodDisruptionBudget is an object to define the max disruption that can be caused to a collection of pods',
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget' },
  {
    spec: PodDisruptionBudgetSpec.doc('Specification of the desired behavior of the PodDisruptionBudget.'),
    status: PodDisruptionBudgetStatus.doc('Most recently observed status of the PodDisruptionBudget.'),
  },
);
export type PodDisruptionBudget = s.Static<typeof PodDisruptionBudget>;

/** ValidatePodDisruptionBudgetSpec; the spec may change on update. */
function validateSpec(spec: PodDisruptionBudgetSpec | undefined): FieldError[] {
  if (!spec) return [];
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(field.invalid('spec', spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const name of ['minAvailable', 'maxUnavailable'] as const) {
    errs.push(...validateIntOrPercent(spec[name], `spec.${name}`));
    errs.push(...validateNotMoreThan100Percent(spec[name], `spec.${name}`));
  }
  errs.push(...validateLabelSelector(spec.selector, 'spec.selector'));
  return errs;
}

/** The counters of a status write (updates and /status). */
function validateStatus(status: PodDisruptionBudgetStatus | undefined): FieldError[] {
  if (!status) return [];
  return validateNonnegativeFields(status, ['disruptionsAllowed', 'currentHealthy', 'desiredHealthy', 'expectedPods', 'observedGeneration'], 'status');
}

export const podDisruptionBudgetKind = defineKind<PodDisruptionBudget>({
  group: 'policy',
  version: 'v1',
  kind: 'PodDisruptionBudget',
  listKind: 'PodDisruptionBudgetList',
  plural: 'poddisruptionbudgets',
  singular: 'poddisruptionbudget',
  shortNames: ['pdb'],
  categories: [],
  namespaced: true,
  schema: PodDisruptionBudget,
  subresources: { status: true },
  validate: (pdb, old) => [...validateSpec(pdb.spec), ...(old ? validateStatus(pdb.status) : [])],
});
