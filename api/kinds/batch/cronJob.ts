/** batch/v1 CronJob: creates Jobs on a repeating schedule. */
import * as field from '../../field/errors';
import type { FieldError } from '../../field/errors';
import * as s from '../../schema/schema';
import { ObjectReference } from '../core/objectReference';
import { defaultPodSpec } from '../core/podDefaults';
import { defineKind } from '../kind';
import { ObjectMeta, topLevelObject } from '../meta';
import { validateNonnegative } from '../apps/workload';
import { cronScheduleError, isTimeZone } from './cronSchedule';
import { JobSpec } from './job';
import { validateJobSpecCommon } from './jobValidation';

export const JobTemplateSpec = s.object('io.k8s.api.batch.v1.JobTemplateSpec', 'JobTemplateSpec describes the data a Job should have when created from a template', {
  metadata: ObjectMeta.doc("Standard object's metadata of the jobs created from this template."),
  spec: JobSpec.doc('Specification of the desired behavior of the job.'),
});
export type JobTemplateSpec = s.Static<typeof JobTemplateSpec>;

export const CronJobSpec = s.object(
  'io.k8s.api.batch.v1.CronJobSpec',
  'CronJobSpec describes how the job execution will look like and when it will actually run.',
  {
    concurrencyPolicy: s.enumOf(['Allow', 'Forbid', 'Replace'], 'Specifies how to treat concurrent executions of a Job: "Allow" (default) allows CronJobs to run concurrently; "Forbid" skips the next run if the previous run hasn\'t finished yet; "Replace" cancels the currently running job and replaces it with a new one.', { default: 'Allow' }),
    failedJobsHistoryLimit: s.int32('The number of failed finished jobs to retain. Value must be non-negative integer. Defaults to 1.', { default: 1 }),
    jobTemplate: JobTemplateSpec.doc('Specifies the job that will be created when executing a CronJob.'),
    schedule: s.string('The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.'),
    startingDeadlineSeconds: s.int64('Optional deadline in seconds for starting the job if it misses scheduled time for any reason. Missed jobs executions will be counted as failed ones.'),
    successfulJobsHistoryLimit: s.int32('The number of successful finished jobs to retain. Value must be non-negative integer. Defaults to 3.', { default: 3 }),
    suspend: s.boolean('This flag tells the controller to suspend subsequent executions, it does not apply to already started executions. Defaults to false.', { default: false }),
    timeZone: s.string('The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process.'),
  },
  { required: ['schedule', 'jobTemplate'] },
);
export type CronJobSpec = s.Static<typeof CronJobSpec>;

export const CronJobStatus = s.object('io.k8s.api.batch.v1.CronJobStatus', 'CronJobStatus represents the current state of a cron job.', {
  active: s.array(ObjectReference, 'A list of pointers to currently running jobs.', { listType: 'atomic' }),
  lastScheduleTime: s.time('Information when was the last time the job was successfully scheduled.'),
  lastSuccessfulTime: s.time('Information when was the last time the job successfully completed.'),
});
export type CronJobStatus = s.Static<typeof CronJobStatus>;

export const CronJob = topLevelObject(
  'io.k8s.api.batch.v1.CronJob',
  'CronJob represents the configuration of a single cron job.',
  { group: 'batch', version: 'v1', kind: 'CronJob' },
  {
    spec: CronJobSpec.doc('Specification of the desired behavior of a cron job, including the schedule.'),
    status: CronJobStatus.doc('Current status of a cron job.'),
  },
);
export type CronJob = s.Static<typeof CronJob>;

/** The controller appends an 11-character suffix (`-<timestamp>`) to name Jobs, which are DNS labels. */
const maxCronJobNameLength = 52;

const timeZonePart = /^[A-Za-z.\-_0-9+]{1,14}$/;

/** validateTimeZone: an explicit IANA zone name. */
function validateTimeZone(timeZone: string | undefined, path: string): FieldError[] {
  if (timeZone === undefined) return [];
  if (timeZone === '') return [field.invalid(path, timeZone, 'timeZone must be nil or non-empty string')];
  for (const part of timeZone.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !timeZonePart.test(part)) {
      return [field.invalid(path, timeZone, `unknown time zone ${timeZone}`)];
    }
  }
  if (timeZone.toLowerCase() === 'local') {
    return [field.invalid(path, timeZone, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones')];
  }
  if (!isTimeZone(timeZone)) return [field.invalid(path, timeZone, `unknown time zone ${timeZone}`)];
  return [];
}

function validateSchedule(spec: CronJobSpec, oldSpec: CronJobSpec | undefined): FieldError[] {
  const path = 'spec.schedule';
  if (!spec.schedule) return [field.required(path)];
  const errs: FieldError[] = [];
  const parseError = cronScheduleError(spec.schedule);
  if (parseError) errs.push(field.invalid(path, spec.schedule, parseError));
  // TZ in the schedule is only tolerated on CronJobs that already had it.
  const allowTZ = oldSpec?.schedule.includes('TZ') ?? false;
  const hasTZ = spec.schedule.includes('TZ');
  if (allowTZ && hasTZ && spec.timeZone !== undefined) {
    errs.push(field.invalid(path, spec.schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
  } else if (!allowTZ && hasTZ) {
    errs.push(field.invalid(path, spec.schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
  }
  return errs;
}

/** ValidateJobTemplateSpec: a Job spec whose selector is always generated. */
function validateJobTemplate(template: JobTemplateSpec | undefined): FieldError[] {
  const path = 'spec.jobTemplate.spec';
  const spec = template?.spec ?? { template: {} };
  const errs = validateJobSpecCommon(spec, path);
  if (spec.selector) errs.push(field.invalid(`${path}.selector`, spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(field.notSupported(`${path}.manualSelector`, true, ['nil', 'false']));
  return errs;
}

function validateCronJob(cronJob: CronJob, old?: CronJob): FieldError[] {
  const errs: FieldError[] = [];
  const spec = cronJob.spec;
  if (!spec) return [field.required('spec.schedule'), field.required('spec.jobTemplate')];
  const oldSpec = old?.spec;
  errs.push(...validateSchedule(spec, oldSpec));
  errs.push(...validateNonnegative(spec.startingDeadlineSeconds, 'spec.startingDeadlineSeconds'));
  if (!oldSpec || oldSpec.timeZone !== spec.timeZone) errs.push(...validateTimeZone(spec.timeZone, 'spec.timeZone'));
  errs.push(...validateJobTemplate(spec.jobTemplate));
  errs.push(...validateNonnegative(spec.successfulJobsHistoryLimit, 'spec.successfulJobsHistoryLimit'));
  errs.push(...validateNonnegative(spec.failedJobsHistoryLimit, 'spec.failedJobsHistoryLimit'));
  // Only checked on create, so that older CronJobs with longer names can still be updated.
  const name = cronJob.metadata?.name ?? '';
  if (!old && name.length > maxCronJobNameLength) {
    errs.push(field.invalid('metadata.name', name, `must be no more than ${maxCronJobNameLength} characters`));
  }
  return errs;
}

export const cronJobKind = defineKind<CronJob>({
  group: 'batch',
  version: 'v1',
  kind: 'CronJob',
  listKind: 'CronJobList',
  plural: 'cronjobs',
  singular: 'cronjob',
  shortNames: ['cj'],
  categories: ['all'],
  namespaced: true,
  schema: CronJob,
  subresources: { status: true },
  defaults: (cronJob) => {
    // Only the pod template is defaulted: SetDefaults_Job does not apply to a jobTemplate.
    const podSpec = cronJob.spec?.jobTemplate?.spec?.template?.spec;
    if (podSpec) defaultPodSpec(podSpec);
  },
  validate: validateCronJob,
});
