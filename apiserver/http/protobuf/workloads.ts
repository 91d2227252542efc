/**
 * Workload and policy kinds kubectl creates with its typed client: apps/v1 Deployment, batch/v1
 * Job and CronJob, policy/v1 PodDisruptionBudget and Eviction, scheduling.k8s.io/v1
 * PriorityClass (k8s.io/api/<group>/v1/generated.proto).
 */
import { always, bool, defineMessage, int32, int64, list, map, msg, str } from './descriptor';
import { Condition, DeleteOptions, emptyMessage, IntOrString, LabelSelector, ObjectMeta, Time } from './meta';
import { PodTemplateSpec } from './podSpec';

// --- apps/v1 --------------------------------------------------------------------------------

const apps = 'k8s.io.api.apps.v1.';

const RollingUpdateDeployment = defineMessage(`${apps}RollingUpdateDeployment`, {
  maxUnavailable: always(msg(1, IntOrString)),
  maxSurge: always(msg(2, IntOrString)),
});

const DeploymentStrategy = defineMessage(`${apps}DeploymentStrategy`, {
  type: str(1),
  rollingUpdate: msg(2, RollingUpdateDeployment),
});

const DeploymentSpec = defineMessage(`${apps}DeploymentSpec`, {
  replicas: always(int32(1)),
  selector: msg(2, LabelSelector),
  template: msg(3, PodTemplateSpec),
  strategy: msg(4, DeploymentStrategy),
  minReadySeconds: int32(5),
  revisionHistoryLimit: always(int32(6)),
  paused: bool(7),
  progressDeadlineSeconds: always(int32(9)),
});

export const Deployment = defineMessage(`${apps}Deployment`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, DeploymentSpec),
  status: msg(3, emptyMessage(`${apps}DeploymentStatus`)),
});

// --- batch/v1 -------------------------------------------------------------------------------

const batch = 'k8s.io.api.batch.v1.';

const PodFailurePolicyOnExitCodesRequirement = defineMessage(`${batch}PodFailurePolicyOnExitCodesRequirement`, {
  containerName: always(str(1)),
  operator: always(str(2)),
  values: list(3, 'int32'),
});

const PodFailurePolicyOnPodConditionsPattern = defineMessage(`${batch}PodFailurePolicyOnPodConditionsPattern`, {
  type: always(str(1)),
  status: always(str(2)),
});

const PodFailurePolicyRule = defineMessage(`${batch}PodFailurePolicyRule`, {
  action: always(str(1)),
  onExitCodes: msg(2, PodFailurePolicyOnExitCodesRequirement),
  onPodConditions: list(3, PodFailurePolicyOnPodConditionsPattern),
});

const PodFailurePolicy = defineMessage(`${batch}PodFailurePolicy`, {
  rules: list(1, PodFailurePolicyRule),
});

const SuccessPolicyRule = defineMessage(`${batch}SuccessPolicyRule`, {
  succeededIndexes: always(str(1)),
  succeededCount: always(int32(2)),
});

const SuccessPolicy = defineMessage(`${batch}SuccessPolicy`, {
  rules: list(1, SuccessPolicyRule),
});

const JobSpec = defineMessage(`${batch}JobSpec`, {
  parallelism: always(int32(1)),
  completions: always(int32(2)),
  activeDeadlineSeconds: always(int64(3)),
  podFailurePolicy: msg(11, PodFailurePolicy),
  successPolicy: msg(16, SuccessPolicy),
  backoffLimit: always(int32(7)),
  backoffLimitPerIndex: always(int32(12)),
  maxFailedIndexes: always(int32(13)),
  selector: msg(4, LabelSelector),
  manualSelector: always(bool(5)),
  template: msg(6, PodTemplateSpec),
  ttlSecondsAfterFinished: always(int32(8)),
  completionMode: always(str(9)),
  suspend: always(bool(10)),
  podReplacementPolicy: always(str(14)),
  managedBy: always(str(15)),
});

export const Job = defineMessage(`${batch}Job`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, JobSpec),
  status: msg(3, emptyMessage(`${batch}JobStatus`)),
});

const JobTemplateSpec = defineMessage(`${batch}JobTemplateSpec`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, JobSpec),
});

const CronJobSpec = defineMessage(`${batch}CronJobSpec`, {
  schedule: always(str(1)),
  timeZone: always(str(8)),
  startingDeadlineSeconds: always(int64(2)),
  concurrencyPolicy: str(3),
  suspend: always(bool(4)),
  jobTemplate: msg(5, JobTemplateSpec),
  successfulJobsHistoryLimit: always(int32(6)),
  failedJobsHistoryLimit: always(int32(7)),
});

export const CronJob = defineMessage(`${batch}CronJob`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, CronJobSpec),
  status: msg(3, emptyMessage(`${batch}CronJobStatus`)),
});

// --- policy/v1 ------------------------------------------------------------------------------

const policy = 'k8s.io.api.policy.v1.';

const PodDisruptionBudgetSpec = defineMessage(`${policy}PodDisruptionBudgetSpec`, {
  minAvailable: always(msg(1, IntOrString)),
  selector: msg(2, LabelSelector),
  maxUnavailable: always(msg(3, IntOrString)),
  unhealthyPodEvictionPolicy: always(str(4)),
});

/** Decoded in full: its counts have no omitempty, and kubectl sends them (as zeros). */
const PodDisruptionBudgetStatus = defineMessage(`${policy}PodDisruptionBudgetStatus`, {
  observedGeneration: int64(1),
  disruptedPods: map(2, Time),
  disruptionsAllowed: always(int32(3)),
  currentHealthy: always(int32(4)),
  desiredHealthy: always(int32(5)),
  expectedPods: always(int32(6)),
  conditions: list(7, Condition),
});

export const PodDisruptionBudget = defineMessage(`${policy}PodDisruptionBudget`, {
  metadata: msg(1, ObjectMeta),
  spec: msg(2, PodDisruptionBudgetSpec),
  status: msg(3, PodDisruptionBudgetStatus),
});

/** What `kubectl drain` posts to pods/eviction. */
export const Eviction = defineMessage(`${policy}Eviction`, {
  metadata: msg(1, ObjectMeta),
  deleteOptions: msg(2, DeleteOptions),
});

// --- scheduling.k8s.io/v1 -------------------------------------------------------------------

export const PriorityClass = defineMessage('k8s.io.api.scheduling.v1.PriorityClass', {
  metadata: msg(1, ObjectMeta),
  value: always(int32(2)),
  globalDefault: bool(3),
  description: str(4),
  preemptionPolicy: always(str(5)),
});
