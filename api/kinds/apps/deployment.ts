/** apps/v1 Deployment: declarative updates for Pods and ReplicaSets. */
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
  validateNotAboveReplicas,
  validateNotDecremented,
  validateNotGreater,
  validateNotMoreThan100Percent,
  workloadCondition,
} from './workload';

export const RollingUpdateDeployment = s.object(
  'io.k8s.api.apps.v1.RollingUpdateDeployment',
  'Spec to control the desired behavior of rolling update.',
  {
    maxSurge: s.intOrString('The maximum number of pods that can be scheduled above the desired number of pods. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxUnavailable is 0. Defaults to 25%.'),
    maxUnavailable: s.intOrString('The maximum number of pods that can be unavailable during the update. Value can be an absolute number (ex: 5) or a percentage of desired pods (ex: 10%). This can not be 0 if MaxSurge is 0. Defaults to 25%.'),
  },
);
export type RollingUpdateDeployment = s.Static<typeof RollingUpdateDeployment>;

export const DeploymentStrategy = s.object('io.k8s.api.apps.v1.DeploymentStrategy', 'DeploymentStrategy describes how to replace existing pods with new ones.', {
  rollingUpdate: RollingUpdateDeployment.doc('Rolling update config params. Present only if DeploymentStrategyType = RollingUpdate.'),
  type: s.enumOf(['Recreate', 'RollingUpdate'], 'Type of deployment. Can be "Recreate" or "RollingUpdate". Default is RollingUpdate.', { default: 'RollingUpdate' }),
});
export type DeploymentStrategy = s.Static<typeof DeploymentStrategy>;

export const DeploymentSpec = s.object(
  'io.k8s.api.apps.v1.DeploymentSpec',
  'DeploymentSpec is the specification of the desired behavior of the Deployment.',
  {
    minReadySeconds: s.int32('Minimum number of seconds for which a newly created pod should be ready without any of its container crashing, for it to be considered available. Defaults to 0 (pod will be considered available as soon as it is ready)'),
    paused: s.boolean('Indicates that the deployment is paused.'),
    progressDeadlineSeconds: s.int32('The maximum time in seconds for a deployment to make progress before it is considered to be failed. The deployment controller will continue to process failed deployments and a condition with a ProgressDeadlineExceeded reason will be surfaced in the deployment status. Defaults to 600s.', { default: 600 }),
    replicas: s.int32('Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.', { default: 1 }),
    revisionHistoryLimit: s.int32('The number of old ReplicaSets to retain to allow rollback. This is a pointer to distinguish between explicit zero and not specified. Defaults to 10.', { default: 10 }),
    selector: LabelSelector.doc("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels."),
    strategy: DeploymentStrategy.doc('The deployment strategy to use to replace existing pods with new ones.').with({ patchStrategy: 'retainKeys', default: {} }),
    template: PodTemplateSpec.doc('Template describes the pods that will be created. The only allowed template.spec.restartPolicy value is "Always".'),
  },
  { required: ['selector', 'template'] },
);
export type DeploymentSpec = s.Static<typeof DeploymentSpec>;

export const DeploymentCondition = workloadCondition(
  'io.k8s.api.apps.v1.DeploymentCondition',
  'DeploymentCondition describes the state of a deployment at a certain point.',
  'Type of deployment condition.',
  { lastTransitionTime, lastUpdateTime: s.time('The last time this condition was updated.') },
);
export type DeploymentCondition = s.Static<typeof DeploymentCondition>;

export const DeploymentStatus = s.object('io.k8s.api.apps.v1.DeploymentStatus', 'DeploymentStatus is the most recently observed status of the Deployment.', {
  availableReplicas: s.int32('Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment.'),
  collisionCount: s.int32('Count of hash collisions for the Deployment. The Deployment controller uses this field as a collision avoidance mechanism when it needs to create the name for the newest ReplicaSet.'),
  conditions: s.array(DeploymentCondition, "Represents the latest available observations of a deployment's current state.", conditionListSemantics),
  observedGeneration: s.int64('The generation observed by the deployment controller.'),
  readyReplicas: s.int32('Total number of non-terminating pods targeted by this Deployment with a Ready Condition.'),
  replicas: s.int32('Total number of non-terminating pods targeted by this deployment (their labels match the selector).'),
  terminatingReplicas: s.int32('Total number of terminating pods targeted by this deployment. Terminating pods have a non-null .metadata.deletionTimestamp and have not yet reached the Failed or Succeeded .status.phase. This is an alpha field.'),
  unavailableReplicas: s.int32('Total number of unavailable pods targeted by this deployment. This is the total number of pods that are still required for the deployment to have 100% available capacity.'),
  updatedReplicas: s.int32('Total number of non-terminating pods targeted by this deployment that have the desired template spec.'),
});
export type DeploymentStatus = s.Static<typeof DeploymentStatus>;

export const Deployment = topLevelObject(
  'io.k8s.api.apps.v1.Deployment',
  'Deployment enables declarative updates for Pods and ReplicaSets.',
  { group: 'apps', version: 'v1', kind: 'Deployment' },
  {
    spec: DeploymentSpec.doc('Specification of the desired behavior of the Deployment.'),
    status: DeploymentStatus.doc('Most recently observed status of the Deployment.'),
  },
);
export type Deployment = s.Static<typeof Deployment>;

/** SetDefaults_Deployment's conditional part and the pod template's defaults. */
function defaultDeployment(deployment: Deployment): void {
  const spec = deployment.spec;
  if (!spec) return;
  defaultRollingUpdate((spec.strategy ??= {}), { maxUnavailable: '25%', maxSurge: '25%' });
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

function validateStrategy(strategy: DeploymentStrategy | undefined): FieldError[] {
  const path = 'spec.strategy';
  const errs: FieldError[] = [];
  switch (strategy?.type) {
    case 'Recreate':
      if (strategy.rollingUpdate) errs.push(field.forbidden(`${path}.rollingUpdate`, "may not be specified when strategy `type` is 'Recreate'"));
      break;
    case 'RollingUpdate': {
      const rollingUpdate = strategy.rollingUpdate;
      if (!rollingUpdate) {
        errs.push(field.required(`${path}.rollingUpdate`, 'this should be defaulted and never be nil'));
        break;
      }
      const at = `${path}.rollingUpdate`;
      errs.push(...validateIntOrPercent(rollingUpdate.maxUnavailable, `${at}.maxUnavailable`));
      errs.push(...validateIntOrPercent(rollingUpdate.maxSurge, `${at}.maxSurge`));
      if (intOrPercentValue(rollingUpdate.maxUnavailable) === 0 && intOrPercentValue(rollingUpdate.maxSurge) === 0) {
        errs.push(field.invalid(`${at}.maxUnavailable`, rollingUpdate.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
      }
      errs.push(...validateNotMoreThan100Percent(rollingUpdate.maxUnavailable, `${at}.maxUnavailable`));
      break;
    }
    default:
      errs.push(field.notSupported(path, strategy ?? null, ['Recreate', 'RollingUpdate']));
  }
  return errs;
}

/** ValidateDeploymentSpec: the spec alone, on create and update alike. */
export function validateDeploymentSpec(spec: DeploymentSpec | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!spec) return [field.required('spec.selector'), field.required('spec.template')];
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  errs.push(...validateControllerSelector(spec.selector, spec.template?.metadata?.labels, 'spec', { emptyName: 'deployment', unusableDetail: 'invalid label selector' }));
  errs.push(...validatePodTemplateSpec(spec.template ?? {}, 'spec.template'));
  errs.push(...validateAlwaysRestart(spec.template?.spec, 'spec.template', 'ReplicaSet'));
  errs.push(...validateStrategy(spec.strategy));
  errs.push(...validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds'));
  errs.push(...validateNonnegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (spec.progressDeadlineSeconds !== undefined) {
    errs.push(...validateNonnegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= (spec.minReadySeconds ?? 0)) {
      errs.push(field.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  return errs;
}

/** ValidateDeploymentStatus, for writes that carry a status (updates and /status). */
function validateDeploymentStatus(status: DeploymentStatus | undefined, old: DeploymentStatus | undefined): FieldError[] {
  if (!status) return [];
  const counters = ['observedGeneration', 'replicas', 'updatedReplicas', 'readyReplicas', 'availableReplicas', 'unavailableReplicas', 'terminatingReplicas', 'collisionCount'] as const;
  const errs = validateNonnegativeFields(status, counters, 'status');
  errs.push(...validateNotAboveReplicas(status, ['updatedReplicas', 'readyReplicas', 'availableReplicas']));
  errs.push(...validateNotGreater(status.availableReplicas, status.readyReplicas, 'status.availableReplicas', 'cannot be greater than readyReplicas'));
  errs.push(...validateNotDecremented(status.collisionCount, old?.collisionCount, 'status.collisionCount'));
  return errs;
}

export const deploymentKind = defineKind<Deployment>({
  group: 'apps',
  version: 'v1',
  kind: 'Deployment',
  listKind: 'DeploymentList',
  plural: 'deployments',
  singular: 'deployment',
  shortNames: ['deploy'],
  categories: ['all'],
  namespaced: true,
  schema: Deployment,
  subresources: {
    status: true,
    scale: { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas', labelSelectorPath: '.status.selector' },
  },
  defaults: defaultDeployment,
  validate: validateController<Deployment>(validateDeploymentSpec, validateDeploymentStatus),
});
