/** apps/v1 DaemonSet: one pod on every (selected) node. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defaultPodSpec } from '../core/podDefaults';
import { PodTemplateSpec } from '../core/podSpec';
import { validatePodTemplateSpec } from '../core/podValidation';
import { defineKind } from '../kind';
import { conditionListSemantics, LabelSelector, topLevelObject } from '../meta';
import {
  defaultRollingUpdate,
  intOrPercentValue,
  lastTransitionTime,
  validateAlwaysRestart,
  validateController,
  validateControllerSelector,
  validateIntOrPercent,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotDecremented,
  validateNotMoreThan100Percent,
  workloadCondition,
} from './workload';

export const RollingUpdateDaemonSet = s.object('io.k8s.api.apps.v1.RollingUpdateDaemonSet', 'Spec to control the desired behavior of daemon set rolling update.', {
  maxSurge: s.intOrString('The maximum number of nodes with an existing available DaemonSet pod that can have an updated DaemonSet pod during during an update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Default value is 0.'),
  maxUnavailable: s.intOrString('The maximum number of DaemonSet pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of total number of DaemonSet pods at the start of the update (ex: 10%). This cannot be 0 if MaxSurge is 0. Default value is 1.'),
});
export type RollingUpdateDaemonSet = s.Static<typeof RollingUpdateDaemonSet>;

export const DaemonSetUpdateStrategy = s.object('io.k8s.api.apps.v1.DaemonSetUpdateStrategy', 'DaemonSetUpdateStrategy is a struct used to control the update strategy for a DaemonSet.', {
  rollingUpdate: RollingUpdateDaemonSet.doc('Rolling update config params. Present only if type = "RollingUpdate".'),
  type: s.enumOf(['OnDelete', 'RollingUpdate'], 'Type of daemon set update. Can be "RollingUpdate" or "OnDelete". Default is RollingUpdate.', { default: 'RollingUpdate' }),
});
export type DaemonSetUpdateStrategy = s.Static<typeof DaemonSetUpdateStrategy>;

export const DaemonSetSpec = s.object(
  'io.k8s.api.apps.v1.DaemonSetSpec',
  'DaemonSetSpec is the specification of a daemon set.',
  {
    minReadySeconds: s.int32('The minimum number of seconds for which a newly created DaemonSet pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready).'),
    revisionHistoryLimit: s.int32('The number of old history to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.', { default: 10 }),
    selector: LabelSelector.doc("A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels."),
    template: PodTemplateSpec.doc('An object that describes the pod that will be created. The DaemonSet will create exactly one copy of this pod on every node that matches the template\'s node selector (or on every node if no node selector is specified). The only allowed template.spec.restartPolicy value is "Always".'),
    updateStrategy: DaemonSetUpdateStrategy.doc('An update strategy to replace existing DaemonSet pods with new pods.').with({ default: {} }),
  },
  { required: ['selector', 'template'] },
);
export type DaemonSetSpec = s.Static<typeof DaemonSetSpec>;

export const DaemonSetCondition = workloadCondition(
  'io.k8s.api.apps.v1.DaemonSetCondition',
  'DaemonSetCondition describes the state of a DaemonSet at a certain point.',
  'Type of DaemonSet condition.',
  { lastTransitionTime },
);
export type DaemonSetCondition = s.Static<typeof DaemonSetCondition>;

export const DaemonSetStatus = s.object(
  'io.k8s.api.apps.v1.DaemonSetStatus',
  'DaemonSetStatus represents the current status of a daemon set.',
  {
    collisionCount: s.int32('Count of hash collisions for the DaemonSet. The DaemonSet controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.'),
    conditions: s.array(DaemonSetCondition, "Represents the latest available observations of a DaemonSet's current state.", conditionListSemantics),
    currentNumberScheduled: s.int32('The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod.'),
    desiredNumberScheduled: s.int32('The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod).'),
    numberAvailable: s.int32('The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    numberMisscheduled: s.int32('The number of nodes that are running the daemon pod, but are not supposed to run the daemon pod.'),
    numberReady: s.int32('numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.'),
    numberUnavailable: s.int32('The number of nodes that should be running the daemon pod and have none of the daemon pod running and available (ready for at least spec.minReadySeconds)'),
    observedGeneration: s.int64('The most recent generation observed by the daemon set controller.'),
    updatedNumberScheduled: s.int32('The total number of nodes that are running updated daemon pod'),
  },
  { required: ['currentNumberScheduled', 'numberMisscheduled', 'desiredNumberScheduled', 'numberReady'] },
);
export type DaemonSetStatus = s.Static<typeof DaemonSetStatus>;

export const DaemonSet = topLevelObject(
  'io.k8s.api.apps.v1.DaemonSet',
  'DaemonSet represents the configuration of a daemon set.',
  { group: 'apps', version: 'v1', kind: 'DaemonSet' },
  {
    spec: DaemonSetSpec.doc('The desired behavior of this daemon set.'),
    status: DaemonSetStatus.doc('The current status of this daemon set. This data may be out of date by some window of time. Populated by the system. Read-only.'),
  },
);
export type DaemonSet = s.Static<typeof DaemonSet>;

/** SetDefaults_DaemonSet's conditional part and the pod template's defaults. */
function defaultDaemonSet(ds: DaemonSet): void {
  const spec = ds.spec;
  if (!spec) return;
  defaultRollingUpdate((spec.updateStrategy ??= {}), { maxUnavailable: 1, maxSurge: 0 });
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function validateUpdateStrategy(strategy: DaemonSetUpdateStrategy | undefined): FieldError[] {
  const path = 'spec.updateStrategy';
  if (strategy?.type === 'OnDelete') return [];
  if (strategy?.type !== 'RollingUpdate') return [field.notSupported(path, strategy ?? null, ['RollingUpdate', 'OnDelete'])];
  const rollingUpdate = strategy.rollingUpdate;
  if (!rollingUpdate) return [field.required(`${path}.rollingUpdate`)];
  const at = `${path}.rollingUpdate`;
  const errs: FieldError[] = [
    ...validateIntOrPercent(rollingUpdate.maxUnavailable, `${at}.maxUnavailable`),
    ...validateIntOrPercent(rollingUpdate.maxSurge, `${at}.maxSurge`),
    ...validateNotMoreThan100Percent(rollingUpdate.maxUnavailable, `${at}.maxUnavailable`),
    ...validateNotMoreThan100Percent(rollingUpdate.maxSurge, `${at}.maxSurge`),
  ];
  // Exactly one of maxSurge and maxUnavailable is non-zero.
  const hasUnavailable = intOrPercentValue(rollingUpdate.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(rollingUpdate.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(field.invalid(`${at}.maxSurge`, rollingUpdate.maxSurge, 'may not be set when maxUnavailable is non-zero'));
  if (!hasUnavailable && !hasSurge) errs.push(field.required(`${at}.maxUnavailable`, 'cannot be 0 when maxSurge is 0'));
  return errs;
}

/** ValidateDaemonSetSpec. */
function validateDaemonSetSpec(spec: DaemonSetSpec | undefined): FieldError[] {
  if (!spec) return [field.required('spec.selector'), field.required('spec.template')];
  const template = spec.template ?? {};
  return [
    ...validateControllerSelector(spec.selector, template.metadata?.labels, 'spec', { emptyName: 'daemonset' }),
    ...validatePodTemplateSpec(template, 'spec.template'),
    ...validateAlwaysRestart(template.spec, 'spec.template', 'DaemonSet'),
    ...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'),
    ...validateUpdateStrategy(spec.updateStrategy),
    ...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'),
  ];
}

/** validateDaemonSetStatus, for writes that carry a status (updates and /status). */
function validateDaemonSetStatus(status: DaemonSetStatus | undefined, old: DaemonSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const counters = [
    'currentNumberScheduled',
    'numberMisscheduled',
    'desiredNumberScheduled',
    'numberReady',
    'observedGeneration',
    'updatedNumberScheduled',
    'numberAvailable',
    'numberUnavailable',
    'collisionCount',
  ] as const;
  const errs = validateNonnegativeFields(status, counters, 'status');
  errs.push(...validateNotDecremented(status.collisionCount, old?.collisionCount, 'status.collisionCount'));
  return errs;
}

export const daemonSetKind = defineKind<DaemonSet>({
  group: 'apps',
  version: 'v1',
  kind: 'DaemonSet',
  listKind: 'DaemonSetList',
  plural: 'daemonsets',
  singular: 'daemonset',
  shortNames: ['ds'],
  categories: ['all'],
  namespaced: true,
  schema: DaemonSet,
  subresources: { status: true },
  defaults: defaultDaemonSet,
  validate: validateController<DaemonSet>(validateDaemonSetSpec, validateDaemonSetStatus),
});
