/** scheduling.k8s.io/v1 PriorityClass: a name for a pod priority value. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defineKind } from '../kind';
import { topLevelObject } from '../meta';

export const preemptionPolicies = ['PreemptLowerPriority', 'Never'] as const;

export const PriorityClass = topLevelObject(
  'io.k8s.api.scheduling.v1.PriorityClass',
  'PriorityClass defines mapping from a priority class name to the priority integer value. The value can be any valid integer.',
  { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
  {
    description: s.string('description is an arbitrary string that usually provides guidelines on when this priority class should be used.'),
    globalDefault: s.boolean(
      'globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`.',
    ),
    preemptionPolicy: s.enumOf(
      preemptionPolicies,
      'preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.',
      { default: 'PreemptLowerPriority' },
    ),
    value: s.int32(
      'value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.',
    ),
  },
  { required: ['value'] },
);
export type PriorityClass = s.Static<typeof PriorityClass>;

/** The largest priority a user-defined PriorityClass may have; larger values are for system classes. */
export const highestUserDefinablePriority = 1_000_000_000;
/** The priority of system-cluster-critical; system-node-critical is 1000 above it. */
export const systemCriticalPriority = 2 * highestUserDefinablePriority;
export const systemPriorityClassPrefix = 'system-';

/** The PriorityClasses the API server creates itself; only they may use the `system-` prefix. */
export const systemPriorityClasses: readonly { readonly name: string; readonly value: number; readonly globalDefault: boolean; readonly description: string }[] = [
  {
    name: 'system-node-critical',
    value: systemCriticalPriority + 1000,
    globalDefault: false,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: 'system-cluster-critical',
    value: systemCriticalPriority,
    globalDefault: false,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** Why `name`/`value`/`globalDefault` is not one of the system classes, or undefined when it is. */
function systemClassMismatch(name: string, value: number, globalDefault: boolean): string | undefined {
  const known = systemPriorityClasses.find((pc) => pc.name === name);
  if (!known) return `${name} is not a known system priority class`;
  if (known.value !== value) return `value of ${known.name} PriorityClass must be ${known.value}`;
  if (known.globalDefault !== globalDefault) return `globalDefault of ${known.name} PriorityClass must be ${known.globalDefault}`;
  return undefined;
}

function validatePriorityClass(pc: PriorityClass, old?: PriorityClass): FieldError[] {
  if (old) {
    // As Kubernetes' ValidatePriorityClassUpdate: only immutability is checked on update.
    const errs: FieldError[] = [];
    if (pc.value !== old.value) errs.push(field.forbidden('value', 'may not be changed in an update.'));
    if (pc.preemptionPolicy !== old.preemptionPolicy) errs.push(field.invalid('preemptionPolicy', pc.preemptionPolicy ?? null, 'field is immutable'));
    return errs;
  }
  const name = pc.metadata?.name ?? '';
  if (name.startsWith(systemPriorityClassPrefix)) {
    const why = systemClassMismatch(name, pc.value, pc.globalDefault ?? false);
    if (why) {
      return [field.forbidden('metadata.name', `priority class names with '${systemPriorityClassPrefix}' prefix are reserved for system use only. error: ${why}`)];
    }
  } else if (pc.value > highestUserDefinablePriority) {
    return [field.forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinablePriority}`)];
  }
  return [];
}

export const priorityClassKind = defineKind<PriorityClass>({
  group: 'scheduling.k8s.io',
  version: 'v1',
  kind: 'PriorityClass',
  listKind: 'PriorityClassList',
  plural: 'priorityclasses',
  singular: 'priorityclass',
  shortNames: ['pc'],
  categories: [],
  namespaced: false,
  schema: PriorityClass,
  subresources: {},
  validate: validatePriorityClass,
});
