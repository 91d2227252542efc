/** apps/v1 ReplicaSet: keeps a specified number of pod replicas running. */
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { defaultPodSpec } from '../core/podDefaults';
import { PodTemplateSpec } from '../core/podSpec';
import { validatePodTemplateSpec } from '../core/podValidation';
import { defineKind } from '../kind';
import { conditionListSemantics, LabelSelector, objectMetaField, topLevelObject } from '../meta';
import {
  validateAlwaysRestart,
  validateController,
  validateControllerSelector,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotAboveReplicas,
  validateNotGreater,
  workloadCondition,
} from './workload';

export const ReplicaSetSpec = s.object(
  'io.k8s.api.apps.v1.ReplicaSetSpec',
  'ReplicaSetSpec is the specification of a ReplicaSet.',
  {
    minReadySeconds: s.int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'),
    replicas: s.int32('Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1.', { default: 1 }),
    selector: LabelSelector.doc("Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels."),
    template: PodTemplateSpec.doc('Template is the object that describes the pod that will be created if insufficient replicas are detected.'),
  },
  { required: ['selector'] },
);
export type ReplicaSetSpec = s.Static<typeof ReplicaSetSpec>;

export const ReplicaSetCondition = workloadCondition(
  'io.k8s.api.apps.v1.ReplicaSetCondition',
  'ReplicaSetCondition describes the state of a replica set at a certain point.',
  'Type of replica set condition.',
  { lastTransitionTime: s.time('The last time the condition transitioned from one status to another.') },
);
export type ReplicaSetCondition = s.Static<typeof ReplicaSetCondition>;

export const ReplicaSetStatus = s.object(
  'io.k8s.api.apps.v1.ReplicaSetStatus',
  'ReplicaSetStatus represents the current status of a ReplicaSet.',
  {
    availableReplicas: s.int32('The number of available non-terminating pods (ready for at least minReadySeconds) for this replica set.'),
    conditions: s.array(ReplicaSetCondition, "Represents the latest available observations of a replica set's current state.", conditionListSemantics),
    fullyLabeledReplicas: s.int32('The number of non-terminating pods that have labels matching the labels of the pod template of the replicaset.'),
    observedGeneration: s.int64('ObservedGeneration reflects the generation of the most recently observed ReplicaSet.'),
    readyReplicas: s.int32('The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition.'),
    replicas: s.int32('Replicas is the most recently observed number of non-terminating pods.'),
    terminatingReplicas: s.int32('The number of terminating pods for this replica set. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase. This is an alpha field.'),
  },
  { required: ['replicas'] },
);
export type ReplicaSetStatus = s.Static<typeof ReplicaSetStatus>;

export const ReplicaSet = topLevelObject(
  'io.k8s.api.apps.v1.ReplicaSet',
  'ReplicaSet ensures that a specified number of pod replicas are running at any given time.',
  { group: 'apps', version: 'v1', kind: 'ReplicaSet' },
  {
    metadata: objectMetaField.doc("If the Labels of a ReplicaSet are empty, they are defaulted to be the same as the Pod(s) that the ReplicaSet manages. Standard object's metadata."),
    spec: ReplicaSetSpec.doc('Spec defines the specification of the desired behavior of the ReplicaSet.'),
    status: ReplicaSetStatus.doc('Status is the most recently observed status of the ReplicaSet. This data may be out of date by some window of time. Populated by the system. Read-only.'),
  },
);
export type ReplicaSet = s.Static<typeof ReplicaSet>;

/** ValidateReplicaSetSpec. */
function validateReplicaSetSpec(spec: ReplicaSetSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  errs.push(...validateNonnegative(spec?.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec?.minReadySeconds, 'spec.minReadySeconds'));
  const template = spec?.template ?? {};
  // Kubernetes' messages for ReplicaSets name a deployment; kept as they are.
  errs.push(...validateControllerSelector(spec?.selector, template.metadata?.labels, 'spec', { emptyName: 'deployment', unusableDetail: 'invalid label selector' }));
  errs.push(...validatePodTemplateSpec(template, 'spec.template'));
  errs.push(...validateAlwaysRestart(template.spec, 'spec.template', 'ReplicaSet'));
  return errs;
}

/** ValidateReplicaSetStatus, for writes that carry a status (updates and /status). */
function validateReplicaSetStatus(status: ReplicaSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const errs = validateNonnegativeFields(status, ['replicas', 'fullyLabeledReplicas', 'readyReplicas', 'availableReplicas', 'terminatingReplicas', 'observedGeneration'], 'status');
  errs.push(...validateNotAboveReplicas(status, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas']));
  errs.push(...validateNotGreater(status.availableReplicas, status.readyReplicas, 'status.availableReplicas', 'cannot be greater than readyReplicas'));
  return errs;
}

export const replicaSetKind = defineKind<ReplicaSet>({
  group: 'apps',
  version: 'v1',
  kind: 'ReplicaSet',
  listKind: 'ReplicaSetList',
  plural: 'replicasets',
  singular: 'replicaset',
  shortNames: ['rs'],
  categories: ['all'],
  namespaced: true,
  schema: ReplicaSet,
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  selectableFields: { 'status.replicas': (rs) => String(rs.status?.replicas ?? 0) },
  defaults: (rs) => {
    if (rs.spec?.template?.spec) defaultPodSpec(rs.spec.template.spec);
  },
  validate: validateController<ReplicaSet>(validateReplicaSetSpec, validateReplicaSetStatus),
});
