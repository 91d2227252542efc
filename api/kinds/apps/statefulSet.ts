/** apps/v1 StatefulSet: a set of pods with stable network identities and storage. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { deepEqual } from '../../util/deepEqual';
import { validateAnnotations, validateLabels } from '../../validation/objectMeta';
import { PersistentVolumeClaim } from '../core/persistentVolumeClaim';
import { defaultPodSpec } from '../core/podDefaults';
import { PodTemplateSpec } from '../core/podSpec';
import { defineKind } from '../kind';
import { conditionListSemantics, LabelSelector, topLevelObject } from '../meta';
import {
  intOrPercentValue,
  lastTransitionTime,
  validateAlwaysRestart,
  validateControllerSelector,
  validateIntOrPercent,
  validateNonnegative,
  validateNonnegativeFields,
  validateNotAboveReplicas,
  validateNotDecremented,
  validateNotGreater,
  validateNotMoreThan100Percent,
  workloadCondition,
} from './workload';

export const RollingUpdateStatefulSetStrategy = s.object(
  'io.k8s.api.apps.v1.RollingUpdateStatefulSetStrategy',
  'RollingUpdateStatefulSetStrategy is used to communicate parameter for RollingUpdateStatefulSetStrategyType.',
  {
    maxUnavailable: s.intOrString('The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0. Defaults to 1. This field is alpha-level (MaxUnavailableStatefulSet).'),
    partition: s.int32('Partition indicates the ordinal at which the StatefulSet should be partitioned for updates. During a rolling update, all pods from ordinal Replicas-1 to Partition are updated. The default value is 0.', { default: 0 }),
  },
);

export const StatefulSetUpdateStrategy = s.object(
  'io.k8s.api.apps.v1.StatefulSetUpdateStrategy',
  'StatefulSetUpdateStrategy indicates the strategy that the StatefulSet controller will use to perform updates.',
  {
    rollingUpdate: RollingUpdateStatefulSetStrategy.doc('RollingUpdate is used to communicate parameters when Type is RollingUpdateStatefulSetStrategyType.'),
    type: s.enumOf(['OnDelete', 'RollingUpdate'], 'Type indicates the type of the StatefulSetUpdateStrategy. Default is RollingUpdate.'),
  },
);
export type StatefulSetUpdateStrategy = s.Static<typeof StatefulSetUpdateStrategy>;

const retentionPolicyType = (what: string) => s.enumOf(['Delete', 'Retain'], what, { default: 'Retain' });

export const StatefulSetPersistentVolumeClaimRetentionPolicy = s.object(
  'io.k8s.api.apps.v1.StatefulSetPersistentVolumeClaimRetentionPolicy',
  'StatefulSetPersistentVolumeClaimRetentionPolicy describes the policy used for PVCs created from the StatefulSet VolumeClaimTemplates.',
  {
    whenDeleted: retentionPolicyType('WhenDeleted specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is deleted. The default policy of `Retain` causes PVCs to not be affected by StatefulSet deletion. The `Delete` policy causes those PVCs to be deleted.'),
    whenScaled: retentionPolicyType('WhenScaled specifies what happens to PVCs created from StatefulSet VolumeClaimTemplates when the StatefulSet is scaled down. The default policy of `Retain` causes PVCs to not be affected by a scaledown. The `Delete` policy causes the associated PVCs for any excess pods above the replica count to be deleted.'),
  },
);

export const StatefulSetOrdinals = s.object('io.k8s.api.apps.v1.StatefulSetOrdinals', 'StatefulSetOrdinals describes the policy used for replica ordinal assignment in this StatefulSet.', {
  start: s.int32("start is the number representing the first replica's index. If set, replica indices will be in the range [.spec.ordinals.start, .spec.ordinals.start + .spec.replicas). If unset, defaults to 0."),
});

export const StatefulSetSpec = s.object(
  'io.k8s.api.apps.v1.StatefulSetSpec',
  'A StatefulSetSpec is the specification of a StatefulSet.',
  {
    minReadySeconds: s.int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'),
    ordinals: StatefulSetOrdinals.doc('ordinals controls the numbering of replica indices in a StatefulSet. The default ordinals behavior assigns a "0" index to the first replica and increments the index by one for each additional replica requested.'),
    persistentVolumeClaimRetentionPolicy: StatefulSetPersistentVolumeClaimRetentionPolicy.doc('persistentVolumeClaimRetentionPolicy describes the lifecycle of persistent volume claims created from volumeClaimTemplates. By default, all persistent volume claims are created as needed and retained until manually deleted.').with({ default: {} }),
    podManagementPolicy: s.enumOf(['OrderedReady', 'Parallel'], 'podManagementPolicy controls how pods are created during initial scale up, when replacing pods on nodes, or when scaling down. The default policy is `OrderedReady`; the alternative policy is `Parallel`.', { default: 'OrderedReady' }),
    replicas: s.int32('replicas is the desired number of replicas of the given Template. If unspecified, defaults to 1.', { default: 1 }),
    revisionHistoryLimit: s.int32("revisionHistoryLimit is the maximum number of revisions that will be maintained in the StatefulSet's revision history. The default value is 10.", { default: 10 }),
    selector: LabelSelector.doc("selector is a label query over pods that should match the replica count. It must match the pod template's labels."),
    serviceName: s.string('serviceName is the name of the service that governs this StatefulSet. This service must exist before the StatefulSet, and is responsible for the network identity of the set.'),
    template: PodTemplateSpec.doc('template is the object that describes the pod that will be created if insufficient replicas are detected. Each pod stamped out by the StatefulSet will fulfill this Template, but have a unique identity from the rest of the StatefulSet. The only allowed template.spec.restartPolicy value is "Always".'),
    updateStrategy: StatefulSetUpdateStrategy.doc('updateStrategy indicates the StatefulSetUpdateStrategy that will be employed to update Pods in the StatefulSet when a revision is made to Template.'),
    // Kept as written, unlike Kubernetes (which stores them defaulted, so that every re-apply of a
    // manifest with claim templates reports "configured"); claims made from them are defaulted.
    volumeClaimTemplates: s
      .array(PersistentVolumeClaim, 'volumeClaimTemplates is a list of claims that pods are allowed to reference. Every claim in this list must have at least one matching (by name) volumeMount in one container in the template.', { listType: 'atomic' })
      .with({ keepAsWritten: true }),
  },
  { required: ['selector', 'template'] },
);
export type StatefulSetSpec = s.Static<typeof StatefulSetSpec>;

export const StatefulSetCondition = workloadCondition(
  'io.k8s.api.apps.v1.StatefulSetCondition',
  'StatefulSetCondition describes the state of a statefulset at a certain point.',
  'Type of statefulset condition.',
  { lastTransitionTime },
);
export type StatefulSetCondition = s.Static<typeof StatefulSetCondition>;

export const StatefulSetStatus = s.object(
  'io.k8s.api.apps.v1.StatefulSetStatus',
  'StatefulSetStatus represents the current state of a StatefulSet.',
  {
    availableReplicas: s.int32('Total number of available pods (ready for at least minReadySeconds) targeted by this statefulset.'),
    collisionCount: s.int32('collisionCount is the count of hash collisions for the StatefulSet. The StatefulSet controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ControllerRevision.'),
    conditions: s.array(StatefulSetCondition, "Represents the latest available observations of a statefulset's current state.", conditionListSemantics),
    currentReplicas: s.int32('currentReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by currentRevision.'),
    currentRevision: s.string('currentRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [0,currentReplicas).'),
    observedGeneration: s.int64("observedGeneration is the most recent generation observed for this StatefulSet. It corresponds to the StatefulSet's generation, which is updated on mutation by the API Server."),
    readyReplicas: s.int32('readyReplicas is the number of pods created for this StatefulSet with a Ready Condition.'),
    replicas: s.int32('replicas is the number of Pods created by the StatefulSet controller.'),
    updateRevision: s.string('updateRevision, if not empty, indicates the version of the StatefulSet used to generate Pods in the sequence [replicas-updatedReplicas,replicas)'),
    updatedReplicas: s.int32('updatedReplicas is the number of Pods created by the StatefulSet controller from the StatefulSet version indicated by updateRevision.'),
  },
  { required: ['replicas'] },
);
export type StatefulSetStatus = s.Static<typeof StatefulSetStatus>;

export const StatefulSet = topLevelObject(
  'io.k8s.api.apps.v1.StatefulSet',
  'StatefulSet represents a set of pods with consistent identities: a stable DNS name and hostname, and as many volume claims as requested.',
  { group: 'apps', version: 'v1', kind: 'StatefulSet' },
  {
    spec: StatefulSetSpec.doc('Spec defines the desired identities of pods in this set.'),
    status: StatefulSetStatus.doc('Status is the current status of Pods in this StatefulSet. This data may be out of date by some window of time.'),
  },
);
export type StatefulSet = s.Static<typeof StatefulSet>;

/** SetDefaults_StatefulSet's conditional part (rollingUpdate only when the type was defaulted) and the pod template. */
function defaultStatefulSet(sts: StatefulSet): void {
  const spec = sts.spec;
  if (!spec) return;
  const strategy = (spec.updateStrategy ??= {});
  if (strategy.type === undefined) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function validateUpdateStrategy(strategy: StatefulSetUpdateStrategy | undefined): FieldError[] {
  const path = 'spec.updateStrategy';
  const errs: FieldError[] = [];
  if (!strategy?.type) return [field.required(path)];
  const rollingUpdate = strategy.rollingUpdate;
  if (!rollingUpdate) return errs;
  if (strategy.type === 'OnDelete') {
    errs.push(field.invalid(`${path}.rollingUpdate`, rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
    return errs;
  }
  errs.push(...validateNonnegative(rollingUpdate.partition, `${path}.rollingUpdate.partition`));
  if (rollingUpdate.maxUnavailable !== undefined) {
    const at = `${path}.rollingUpdate.maxUnavailable`;
    errs.push(...validateIntOrPercent(rollingUpdate.maxUnavailable, at));
    if (intOrPercentValue(rollingUpdate.maxUnavailable) === 0) errs.push(field.invalid(at, rollingUpdate.maxUnavailable, 'cannot be 0'));
    errs.push(...validateNotMoreThan100Percent(rollingUpdate.maxUnavailable, at));
  }
  return errs;
}

/** ValidateStatefulSetSpec. Like Kubernetes, the pod spec itself is not validated here (only labels and annotations). */
function validateStatefulSetSpec(spec: StatefulSetSpec | undefined): FieldError[] {
  if (!spec) return [field.required('spec.selector'), field.required('spec.template')];
  const errs: FieldError[] = [];
  if (!spec.podManagementPolicy) errs.push(field.required('spec.podManagementPolicy'));
  errs.push(...validateUpdateStrategy(spec.updateStrategy));
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.ordinals?.start, 'spec.ordinals.start'));
  const template = spec.template ?? {};
  errs.push(...validateControllerSelector(spec.selector, template.metadata?.labels, 'spec', { emptyName: 'statefulset', unusableDetail: '' }));
  errs.push(...validateLabels(template.metadata?.labels, 'spec.template.labels'));
  errs.push(...validateAnnotations(template.metadata?.annotations, 'spec.template.annotations'));
  errs.push(...validateAlwaysRestart(template.spec, 'spec.template', 'StatefulSet'));
  return errs;
}

/** ValidateStatefulSetStatus, for writes that carry a status (updates and /status). */
function validateStatefulSetStatus(status: StatefulSetStatus | undefined, old: StatefulSetStatus | undefined): FieldError[] {
  if (!status) return [];
  const errs = validateNonnegativeFields(status, ['replicas', 'readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas', 'observedGeneration', 'collisionCount'], 'status');
  errs.push(...validateNotAboveReplicas(status, ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas']));
  errs.push(...validateNotGreater(status.availableReplicas, status.readyReplicas, 'status.availableReplicas', 'cannot be greater than status.readyReplicas'));
  errs.push(...validateNotDecremented(status.collisionCount, old?.collisionCount, 'status.collisionCount'));
  return errs;
}

/** Spec fields an update may change; any other change is forbidden. */
const mutableSpecFields = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'] as const;

function validateStatefulSet(sts: StatefulSet, old?: StatefulSet): FieldError[] {
  const errs = validateStatefulSetSpec(sts.spec);
  if (old) {
    const rest = (spec: StatefulSetSpec | undefined): Record<string, unknown> => {
      const copy: Record<string, unknown> = { ...spec };
      for (const name of mutableSpecFields) delete copy[name];
      return copy;
    };
    if (!deepEqual(rest(sts.spec), rest(old.spec))) {
      errs.push(
        field.forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
    errs.push(...validateStatefulSetStatus(sts.status, old.status));
  }
  return errs;
}

export const statefulSetKind = defineKind<StatefulSet>({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  listKind: 'StatefulSetList',
  plural: 'statefulsets',
  singular: 'statefulset',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  // Pod names are <name>-<ordinal> and become hostnames: the name must be a DNS label.
  nameRule: 'dns1123Label',
  schema: StatefulSet,
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  defaults: defaultStatefulSet,
  validate: validateStatefulSet,
});
