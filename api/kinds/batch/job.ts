/** batch/v1 Job: runs pods until a number of them complete successfully. */
import * as s from '../../schema/schema';
import { defaultPodSpec } from '../core/podDefaults';
import { PodTemplateSpec } from '../core/podSpec';
import { defineKind } from '../kind';
import { LabelSelector, topLevelObject } from '../meta';
import { jobLabels, validateJob } from './jobValidation';

export { jobLabels };

export const PodFailurePolicyOnExitCodesRequirement = s.object(
  'io.k8s.api.batch.v1.PodFailurePolicyOnExitCodesRequirement',
  'PodFailurePolicyOnExitCodesRequirement describes the requirement for handling a failed pod based on its container exit codes. Containers completed with success (exit code 0) are excluded from the requirement check.',
  {
    containerName: s.string('Restricts the check for exit codes to the container with the specified name. When null, the rule applies to all containers. When specified, it should match one the container or initContainer names in the pod template.'),
    operator: s.enumOf(['In', 'NotIn'], 'Represents the relationship between the container exit code(s) and the specified values: In (at least one exit code is in the set) or NotIn (at least one exit code is not in the set).'),
    values: s.array(s.int32(), "Specifies the set of values. The list of values must be ordered and must not contain duplicates. Value '0' cannot be used for the In operator. At least one element is required. At most 255 elements are allowed.", { listType: 'set' }),
  },
  { required: ['operator', 'values'] },
);

export const PodFailurePolicyOnPodConditionsPattern = s.object(
  'io.k8s.api.batch.v1.PodFailurePolicyOnPodConditionsPattern',
  'PodFailurePolicyOnPodConditionsPattern describes a pattern for matching an actual pod condition type.',
  {
    status: s.enumOf(['False', 'True', 'Unknown'], 'Specifies the required Pod condition status. To match a pod condition it is required that the specified status equals the pod condition status. Defaults to True.'),
    type: s.string('Specifies the required Pod condition type. To match a pod condition it is required that specified type equals the pod condition type.'),
  },
  { required: ['type'] },
);

export const PodFailurePolicyRule = s.object(
  'io.k8s.api.batch.v1.PodFailurePolicyRule',
  'PodFailurePolicyRule describes how a pod failure is handled when the requirements are met. One of onExitCodes and onPodConditions, but not both, can be used in each rule.',
  {
    action: s.enumOf(['Count', 'FailIndex', 'FailJob', 'Ignore'], 'Specifies the action taken on a pod failure when the requirements are satisfied: FailJob, FailIndex (requires backoffLimitPerIndex), Ignore or Count.'),
    onExitCodes: PodFailurePolicyOnExitCodesRequirement.doc('Represents the requirement on the container exit codes.'),
    onPodConditions: s.array(PodFailurePolicyOnPodConditionsPattern, 'Represents the requirement on the pod conditions. The requirement is satisfied if at least one pattern matches an actual pod condition. At most 20 elements are allowed.', { listType: 'atomic' }),
  },
  { required: ['action'] },
);
export type PodFailurePolicyRule = s.Static<typeof PodFailurePolicyRule>;

export const PodFailurePolicy = s.object('io.k8s.api.batch.v1.PodFailurePolicy', 'PodFailurePolicy describes how failed pods influence the backoffLimit.', {
  rules: s.array(PodFailurePolicyRule, 'A list of pod failure policy rules. The rules are evaluated in order. Once a rule matches a Pod failure, the remaining of the rules are ignored. At most 20 elements are allowed.', { listType: 'atomic' }),
}, { required: ['rules'] });
export type PodFailurePolicy = s.Static<typeof PodFailurePolicy>;

export const SuccessPolicyRule = s.object(
  'io.k8s.api.batch.v1.SuccessPolicyRule',
  'SuccessPolicyRule describes rule for declaring a Job as succeeded. Each rule must have at least one of the "succeededIndexes" or "succeededCount" specified.',
  {
    succeededCount: s.int32('succeededCount specifies the minimal required size of the actual set of the succeeded indexes for the Job. When used along with succeededIndexes, the check is constrained only to the set of indexes specified by succeededIndexes.'),
    succeededIndexes: s.string('succeededIndexes specifies the set of indexes which need to be contained in the actual set of the succeeded indexes for the Job, as a list of intervals separated by commas ("1,3-5,7"). The indexes must be less than completions.'),
  },
);
export type SuccessPolicyRule = s.Static<typeof SuccessPolicyRule>;

export const SuccessPolicy = s.object('io.k8s.api.batch.v1.SuccessPolicy', 'SuccessPolicy describes when a Job can be declared as succeeded based on the success of some indexes.', {
  rules: s.array(SuccessPolicyRule, 'rules represents the list of alternative rules for the declaring the Jobs as successful before `.status.succeeded >= .spec.completions`. Rules are evaluated in order. At most 20 elements are allowed.', { listType: 'atomic' }),
}, { required: ['rules'] });
export type SuccessPolicy = s.Static<typeof SuccessPolicy>;

/**
 * JobSpec has no schema defaults: Kubernetes defaults a Job's spec (SetDefaults_Job) but not the
 * spec inside a CronJob's jobTemplate, so they live in the Job kind's defaults().
 */
export const JobSpec = s.object(
  'io.k8s.api.batch.v1.JobSpec',
  'JobSpec describes how the job execution will look like.',
  {
    activeDeadlineSeconds: s.int64('Specifies the duration in seconds relative to the startTime that the job may be continuously active before the system tries to terminate it; value must be positive integer. If a Job is suspended, this timer will effectively be stopped and reset when the Job is resumed again.'),
    backoffLimit: s.int32('Specifies the number of retries before marking this job failed. Defaults to 6, unless backoffLimitPerIndex (only Indexed Job) is specified. When backoffLimitPerIndex is specified, backoffLimit defaults to 2147483647.'),
    backoffLimitPerIndex: s.int32('Specifies the limit for the number of retries within an index before marking this index as failed. It can only be specified when the completionMode is Indexed, and is immutable.'),
    completionMode: s.enumOf(['NonIndexed', 'Indexed'], 'completionMode specifies how Pod completions are tracked. It can be `NonIndexed` (default) or `Indexed`. With `Indexed`, Pods get an associated completion index from 0 to (.spec.completions - 1) and .spec.completions must be specified.'),
    completions: s.int32('Specifies the desired number of successfully finished pods the job should be run with. Setting to null means that the success of any pod signals the success of all pods, and allows parallelism to have any positive value.'),
    managedBy: s.string('ManagedBy field indicates the controller that manages a Job. The k8s Job controller reconciles jobs which don\'t have this field at all or the field value is the reserved string `kubernetes.io/job-controller`. The value must be a valid domain-prefixed path, at most 63 characters, and is immutable.'),
    manualSelector: s.boolean('manualSelector controls generation of pod labels and pod selectors. Leave `manualSelector` unset unless you are certain what you are doing. When false or unset, the system pick labels unique to this job and appends those labels to the pod template. When true, the user is responsible for picking unique labels and specifying the selector.'),
    maxFailedIndexes: s.int32('Specifies the maximal number of failed indexes before marking the Job as failed, when backoffLimitPerIndex is set. It can only be specified when backoffLimitPerIndex is set. It can be null or up to completions.'),
    parallelism: s.int32('Specifies the maximum desired number of pods the job should run at any given time. The actual number of pods running in steady state will be less than this number when ((.spec.completions - .status.successful) < .spec.parallelism).'),
    podFailurePolicy: PodFailurePolicy.doc("Specifies the policy of handling failed pods. If empty, the default behaviour applies - the counter of failed pods, represented by the jobs's .status.failed field, is incremented and it is checked against the backoffLimit. This field cannot be used in combination with restartPolicy=OnFailure."),
    podReplacementPolicy: s.enumOf(['Failed', 'TerminatingOrFailed'], 'podReplacementPolicy specifies when to create replacement Pods: TerminatingOrFailed (when pods are terminating or failed) or Failed (only when pods are fully terminated). When using podFailurePolicy, Failed is the the only allowed value.'),
    selector: LabelSelector.doc('A label query over pods that should match the pod count. Normally, the system sets this field for you.'),
    successPolicy: SuccessPolicy.doc('successPolicy specifies the policy when the Job can be declared as succeeded. If empty, the default behavior applies - the Job is declared as succeeded only when the number of succeeded pods equals to the completions.'),
    suspend: s.boolean('suspend specifies whether the Job controller should create Pods or not. If a Job is created with suspend set to true, no Pods are created by the Job controller. Defaults to false.'),
    template: PodTemplateSpec.doc('Describes the pod that will be created when executing a job. The only allowed template.spec.restartPolicy values are "Never" or "OnFailure".'),
    ttlSecondsAfterFinished: s.int32('ttlSecondsAfterFinished limits the lifetime of a Job that has finished execution (either Complete or Failed). If this field is set, ttlSecondsAfterFinished after the Job finishes, it is eligible to be automatically deleted.'),
  },
  { required: ['template'] },
);
export type JobSpec = s.Static<typeof JobSpec>;

export const UncountedTerminatedPods = s.object('io.k8s.api.batch.v1.UncountedTerminatedPods', "UncountedTerminatedPods holds UIDs of Pods that have terminated but haven't been accounted in Job status counters.", {
  failed: s.array(s.string(), 'failed holds UIDs of failed Pods.', { listType: 'set' }),
  succeeded: s.array(s.string(), 'succeeded holds UIDs of succeeded Pods.', { listType: 'set' }),
});

export const JobCondition = s.object('io.k8s.api.batch.v1.JobCondition', 'JobCondition describes current state of a job.', {
  lastProbeTime: s.time('Last time the condition was checked.'),
  lastTransitionTime: s.time('Last time the condition transit from one status to another.'),
  message: s.string('Human readable message indicating details about last transition.'),
  reason: s.string("(brief) reason for the condition's last transition."),
  status: s.string('Status of the condition, one of True, False, Unknown.'),
  type: s.string('Type of job condition, Complete or Failed.'),
}, { required: ['type', 'status'] });
export type JobCondition = s.Static<typeof JobCondition>;

export const JobStatus = s.object('io.k8s.api.batch.v1.JobStatus', 'JobStatus represents the current state of a Job.', {
  active: s.int32('The number of pending and running pods which are not terminating (without a deletionTimestamp).'),
  completedIndexes: s.string('completedIndexes holds the completed indexes when .spec.completionMode = "Indexed" in a text format, e.g. "1,3-5,7".'),
  completionTime: s.time('Represents time when the job was completed. It is not guaranteed to be set in happens-before order across separate operations. The completion time is set when the job finishes successfully, and only then.'),
  conditions: s.array(JobCondition, 'The latest available observations of an object\'s current state. When a Job fails, one of the conditions will have type "Failed" and status true; when it completes, type "Complete" and status true.', {
    listType: 'atomic',
    patchMergeKey: 'type',
    patchStrategy: 'merge',
  }),
  failed: s.int32('The number of pods which reached phase Failed.'),
  failedIndexes: s.string('FailedIndexes holds the failed indexes when spec.backoffLimitPerIndex is set, in the same text format as completedIndexes.'),
  ready: s.int32('The number of active pods which have a Ready condition and are not terminating (without a deletionTimestamp).'),
  startTime: s.time('Represents time when the job controller started processing a job. When a Job is created in the suspended state, this field is not set until the first time it is resumed.'),
  succeeded: s.int32('The number of pods which reached phase Succeeded.'),
  terminating: s.int32('The number of pods which are terminating (in phase Pending or Running and have a deletionTimestamp).'),
  uncountedTerminatedPods: UncountedTerminatedPods.doc("uncountedTerminatedPods holds the UIDs of Pods that have terminated but the job controller hasn't yet accounted for in the status counters."),
});
export type JobStatus = s.Static<typeof JobStatus>;

export const Job = topLevelObject(
  'io.k8s.api.batch.v1.Job',
  'Job represents the configuration of a single job.',
  { group: 'batch', version: 'v1', kind: 'Job' },
  {
    spec: JobSpec.doc('Specification of the desired behavior of a job.'),
    status: JobStatus.doc('Current status of a job.'),
  },
);
export type Job = s.Static<typeof Job>;

/** SetDefaults_Job (v1.32, with JobPodReplacementPolicy on), and the pod template's defaults. */
export function defaultJob(job: Job): void {
  const spec = job.spec;
  if (!spec) return;
  // A non-parallel job may leave both unset: both are then 1.
  if (spec.completions === undefined && spec.parallelism === undefined) spec.completions = 1;
  spec.parallelism ??= 1;
  spec.backoffLimit ??= spec.backoffLimitPerIndex !== undefined ? 2147483647 : 6;
  const templateLabels = spec.template?.metadata?.labels;
  if (job.metadata && templateLabels && Object.keys(job.metadata.labels ?? {}).length === 0) {
    job.metadata.labels = { ...templateLabels };
  }
  spec.completionMode ??= 'NonIndexed';
  spec.suspend ??= false;
  for (const rule of spec.podFailurePolicy?.rules ?? []) {
    for (const pattern of rule.onPodConditions ?? []) pattern.status ??= 'True';
  }
  spec.podReplacementPolicy ??= spec.podFailurePolicy ? 'Failed' : 'TerminatingOrFailed';
  spec.manualSelector ??= false;
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

/**
 * What the API server does at create once the Job has its uid (Kubernetes' generateSelector):
 * unless manualSelector is true, the pod template gets the controller-uid and job-name labels
 * (prefixed and legacy) and the selector selects the controller uid. Labels the user set are kept;
 * a conflict is then reported by validation. Mutates `job`.
 */
export function generateJobSelector(job: Job, uid: string): void {
  const spec = job.spec;
  if (!spec || spec.manualSelector === true) return;
  const template = (spec.template ??= {});
  const metadata = (template.metadata ??= {});
  const labels = (metadata.labels ??= {});
  const name = job.metadata?.name ?? '';
  for (const key of [jobLabels.legacyJobName, jobLabels.jobName]) labels[key] ??= name;
  for (const key of [jobLabels.legacyControllerUid, jobLabels.controllerUid]) labels[key] ??= uid;
  const selector = (spec.selector ??= {});
  const matchLabels = (selector.matchLabels ??= {});
  matchLabels[jobLabels.controllerUid] ??= uid;
}

export const jobKind = defineKind<Job>({
  group: 'batch',
  version: 'v1',
  kind: 'Job',
  listKind: 'JobList',
  plural: 'jobs',
  singular: 'job',
  shortNames: [],
  categories: ['all'],
  namespaced: true,
  schema: Job,
  subresources: { status: true },
  // Kubernetes formats the int32 counter: "0" when there is none.
  selectableFields: { 'status.successful': (job) => String(job.status?.succeeded ?? 0) },
  defaults: defaultJob,
  validate: validateJob,
});
